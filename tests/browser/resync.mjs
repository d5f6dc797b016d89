// Typing while the live connection resyncs, in a real browser (Debian's headless
// Chromium, driven by playwright-core), with the page's socket routed through the test
// (page.routeWebSocket) so the order of messages is set, not left to timing.
//
// 1. The page opens the map and goes live; the route forwards everything.
// 2. An edit is lost in transit: the route stops forwarding the page's messages, the
//    page edits card A (and believes it sent it), then the route drops the connection.
// 3. The page reconnects. The route forwards the page's messages to the server but holds
//    the server's (its sync step 1 among them) while the page edits card B. Card B's edit
//    comes after card A's in the page's clock, and the server has not got card A's: sent
//    on its own, it would be a clock gap the server refuses by closing the socket (1007).
//    The page must keep it until it answers the server's step 1 (which carries both).
// 4. The route releases the server's messages: the page goes live on that same
//    connection, no socket was closed with 1007, and no third connection was needed.
//    tests/board.rs then reads both texts from the server.
//
//   node tests/browser/resync.mjs <baseUrl> <artifactsDir> <scenario json>
//   scenario: {"map": id, "token": session, "cardA": id, "cardB": id,
//              "textA": text, "textB": text}

import { attributeIs, byTestId, check, run, screenshot, setup, until, visible, visitor } from './harness.mjs';

const { BASE, SCENARIO } = setup({
  usage: 'node resync.mjs <baseUrl> <artifactsDir> <scenario json>',
  artifacts: 'artifacts/resync',
  overallTimeoutMs: 60_000,
  required: ['map', 'token', 'cardA', 'cardB', 'textA', 'textB'],
});

/** Every routed socket: its two ends and what the test does with its messages. */
const connections = [];
let page;

function cardText(id) {
  return byTestId(page, 'card', `[data-card-id="${id}"]`).locator('[data-testid="card-text"]');
}

async function writeCard(id, text) {
  const area = cardText(id);
  await area.fill(text);
  await area.press('Enter');
}

async function theMapGoesLiveThroughTheRoute() {
  page = await visitor('editor', SCENARIO.token);
  await page.routeWebSocket(/\/sync\//, (ws) => {
    const conn = {
      ws,
      server: ws.connectToServer(),
      // The second connection holds the server's messages until released.
      hold: connections.length === 1,
      held: [],
      dropFromPage: false,
      fromPage: 0,
      serverCloses: [],
    };
    connections.push(conn);
    ws.onMessage((message) => {
      conn.fromPage += 1;
      if (!conn.dropFromPage) conn.server.send(message);
    });
    conn.server.onMessage((message) => {
      if (conn.hold) conn.held.push(message);
      else ws.send(message);
    });
    conn.server.onClose((code, reason) => {
      conn.serverCloses.push(code);
      ws.close({ code, reason });
    });
    ws.onClose((code, reason) => conn.server.close({ code, reason }));
  });
  await page.goto(`${BASE}/maps/${SCENARIO.map}`);
  await attributeIs(byTestId(page, 'connection-state'), 'data-state', 'live', 'the page is live');
  await visible(cardText(SCENARIO.cardA), 'card A');
  await visible(cardText(SCENARIO.cardB), 'card B');
  check(connections.length === 1, `one connection so far, ${connections.length}`);
}

async function anEditIsLostInTransit() {
  const first = connections[0];
  first.dropFromPage = true;
  const before = first.fromPage;
  await writeCard(SCENARIO.cardA, SCENARIO.textA);
  await until('the page sent card A (into the void)', async () => first.fromPage > before);
  // The connection drops (as a network would): both ends are closed.
  first.server.close({ code: 1001, reason: 'dropped by the test' });
  first.ws.close({ code: 1001, reason: 'dropped by the test' });
  await until('the page reconnects', async () => connections.length === 2);
}

async function typingWhileTheConnectionResyncs() {
  const second = connections[1];
  await until("the page sent its sync step 1 on the new connection", async () => second.fromPage >= 1);
  const stateNow = await byTestId(page, 'connection-state').getAttribute('data-state');
  check(stateNow !== 'live', `not live before the server answers, reads "${stateNow}"`);
  await writeCard(SCENARIO.cardB, SCENARIO.textB);
  // Time for a refused update to reach the server and be refused (it answers at once).
  await page.waitForTimeout(800);
  check(!second.serverCloses.includes(1007),
    'the server closed the connection with 1007: an update with a clock gap was sent before the resync');
  second.hold = false;
  for (const message of second.held.splice(0)) second.ws.send(message);
  await attributeIs(byTestId(page, 'connection-state'), 'data-state', 'live', 'live again on the same connection');
  await screenshot(page, '01-live-again.png');
}

async function nothingWasRefused() {
  await page.waitForTimeout(500);
  const closes = connections.flatMap((c) => c.serverCloses);
  check(!closes.includes(1007), `no socket closed with 1007 (closes: ${closes})`);
  check(connections.length === 2, `no third connection was needed, ${connections.length}`);
  const a = await cardText(SCENARIO.cardA).inputValue();
  const b = await cardText(SCENARIO.cardB).inputValue();
  check(a === SCENARIO.textA && b === SCENARIO.textB, `both edits on the page ("${a}", "${b}")`);
}

run([theMapGoesLiveThroughTheRoute, anEditIsLostInTransit, typingWhileTheConnectionResyncs, nothingWasRefused]);
