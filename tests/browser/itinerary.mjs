// Non-linear journeys, end to end in a real browser (Debian's headless Chromium,
// driven by playwright-core): an owner and an editor (separate browser contexts).
//
// Omnichannel (retail template): channel chips and the legend, the switch row with its
// arrows; the owner draws a switch from a touchpoint to another with a note and the
// editor's page draws it. The editor's link to the server is held for a moment (its
// WebSocket routed through the test) while it adds a card to the last stage and the
// owner removes that stage: released, both pages list the card in the orphan tray;
// the owner puts it back and both trays empty. An emotion point is moved with ↑/↓ and
// cleared with Delete (the editor's page follows); the owner moves a persona.
// Personalized (university template): following a path highlights exactly the cards
// the server says are on it and fades the other personas' curves; a path is added,
// renamed, moved up, given a card (the editor sees the card's paths change) and
// deleted (the card is back on every path on both pages); the branch view says where
// paths diverge. Screenshots of the three itinerary kinds.
//
//   node tests/browser/itinerary.mjs <baseUrl> <artifactsDir> <scenario json>
//   scenario: {"retail", "university", "linear": map ids, "owner", "editor": tokens,
//              "retailSwitches": n, "onPath": {path id: [card ids]}, "allCards": [...],
//              "commonCard": a card on every path, "personas": n on the university map}
//
// Prints `ok <step> (ms)` per step, `SWITCH <from> -> <to>` for the switch it draws,
// `PLACED <card> in <stage>/<lane>` for the orphan it puts back and `CLEARED
// <persona>/<stage>` for the score it clears. Exit 0 when every step passes.

import {
  attributeIs,
  byTestId,
  check,
  gone,
  run,
  screenshot,
  setup,
  signedIn,
  until,
  visible,
} from './harness.mjs';

const { BASE, SCENARIO } = setup({
  usage: 'node itinerary.mjs <baseUrl> <artifactsDir> <scenario json>',
  artifacts: 'artifacts/itinerary',
  overallTimeoutMs: 200_000,
  viewport: { width: 1500, height: 1000 },
  required: ['retail', 'university', 'linear', 'owner', 'editor', 'retailSwitches', 'onPath', 'allCards', 'commonCard', 'personas'],
});

const state = {};

/** Opens map `id` and waits until the board is live. */
async function openBoard(page, id, who) {
  await page.goto(`${BASE}/maps/${id}`);
  await visible(byTestId(page, 'board'), `${who}: the board`);
  await attributeIs(byTestId(page, 'connection-state'), 'data-state', 'live', `${who}: the live connection`);
}

/**
 * Routes `page`'s sync socket through the test so its traffic can be held both ways
 * and released later (a short network cut the client does not notice).
 */
async function holdable(page) {
  const link = { held: false, toServer: [], toPage: [], sockets: [] };
  await page.routeWebSocket(/\/sync\//, (ws) => {
    const server = ws.connectToServer();
    const pair = { ws, server };
    link.sockets.push(pair);
    ws.onMessage((m) => (link.held ? link.toServer.push([pair, m]) : server.send(m)));
    server.onMessage((m) => (link.held ? link.toPage.push([pair, m]) : ws.send(m)));
  });
  link.release = () => {
    link.held = false;
    for (const [pair, m] of link.toServer.splice(0)) pair.server.send(m);
    for (const [pair, m] of link.toPage.splice(0)) pair.ws.send(m);
  };
  return link;
}

/** Ids of the elements with `testid` in `page`, read from `attr`. */
async function idsOf(page, testid, attr, extra = '') {
  return byTestId(page, testid, extra).evaluateAll((els, a) => els.map((e) => e.getAttribute(a)), attr);
}

/** Clicks `locator` after scrolling it into the middle of the board. */
async function clickOnBoard(locator, what) {
  const target = await visible(locator, what);
  await target.evaluate((el) => el.scrollIntoView({ block: 'center', inline: 'center' }));
  await target.click();
}

// ---------------------------------------------------------------------------------------
// Omnichannel
// ---------------------------------------------------------------------------------------

async function bothOpenTheOmnichannelMap() {
  state.a = await signedIn('owner', SCENARIO.owner);
  state.b = await signedIn('editor', SCENARIO.editor);
  state.link = await holdable(state.b);
  await openBoard(state.a, SCENARIO.retail, 'owner');
  await openBoard(state.b, SCENARIO.retail, 'editor');
  for (const [page, who] of [[state.a, 'owner'], [state.b, 'editor']]) {
    await visible(byTestId(page, 'switch-row'), `${who}: the channel-switch row`);
    const legend = await idsOf(page, 'channel-chip', 'data-channel', '');
    check(legend.length > 0, `${who}: channel chips on the touchpoints`);
    const inLegend = await byTestId(page, 'channel-legend').locator('[data-testid="channel-chip"]').count();
    check(inLegend >= 4, `${who}: the legend names the map's channels (${inLegend})`);
    await until(`${who}: the template's ${SCENARIO.retailSwitches} switches drawn`, async () =>
      (await byTestId(page, 'switch-arrow').count()) === SCENARIO.retailSwitches);
    check((await byTestId(page, 'hop-arrow').count()) >= 1, `${who}: hops between stages drawn`);
    check((await byTestId(page, 'stage-mix').count()) === (await byTestId(page, 'stage-col').count()),
      `${who}: a channel mix per stage`);
  }
  await byTestId(state.a, 'switch-row').scrollIntoViewIfNeeded();
  await screenshot(state.a, 'itinerary-omnichannel.png');
}

async function ownerDrawsASwitch() {
  const a = state.a;
  state.stages = await idsOf(a, 'stage-col', 'data-stage-id');
  const touch = (stage) => a.locator(`[data-testid="cell"][data-stage-id="${stage}"] [data-testid="card"][data-lane-kind="touchpoints"]`);
  const first = touch(state.stages[0]).first();
  const from = await first.getAttribute('data-card-id');
  const to = await touch(state.stages[state.stages.length - 2]).first().getAttribute('data-card-id');
  const countBefore = Number(await byTestId(state.b, 'stage-mix', `[data-stage-id="${state.stages[0]}"]`).locator('[data-testid="switch-count"]').getAttribute('data-count'));
  await clickOnBoard(first.locator('[data-testid="switch-draw"]'), 'the draw-a-switch button');
  const form = await visible(byTestId(a, 'switch-form'), 'the switch form');
  // Nothing picked: the form says so and draws nothing.
  await byTestId(form, 'switch-submit').click();
  await visible(form.locator('[role="alert"]'), 'the form asks for a touchpoint');
  await byTestId(form, 'switch-to').selectOption(to);
  await byTestId(form, 'switch-form-note').fill('continues in branch');
  await byTestId(form, 'switch-submit').click();
  await gone(byTestId(a, 'switch-form'), 'the form closes');
  const arrow = `[data-from="${from}"][data-to="${to}"]`;
  await visible(byTestId(state.b, 'switch-arrow', arrow), 'editor: the new switch arrow');
  const label = await byTestId(state.b, 'switch-arrow', arrow).locator('text').textContent();
  check(/→/.test(label), `the arrow is labelled with its channels: ${label}`);
  const list = byTestId(state.b, 'switch-list');
  if ((await list.getAttribute('open')) === null) await byTestId(state.b, 'switch-list-toggle').click();
  await until('editor: the switch note', async () => {
    const items = byTestId(state.b, 'switch-item');
    for (const item of await items.all()) {
      if ((await byTestId(item, 'switch-note').inputValue()) === 'continues in branch') return true;
    }
    return false;
  });
  await until('editor: the stage counts one more switch', async () =>
    Number(await byTestId(state.b, 'stage-mix', `[data-stage-id="${state.stages[0]}"]`).locator('[data-testid="switch-count"]').getAttribute('data-count')) === countBefore + 1);
  console.log(`SWITCH ${from} -> ${to}`);
}

async function aStageRemovedWhileACardIsAddedToIt() {
  const { a, b, link } = state;
  const last = state.stages[state.stages.length - 1];
  const lane = await byTestId(b, 'lane-row').first().getAttribute('data-lane-id');
  const cellOf = (page) => byTestId(page, 'cell', `[data-stage-id="${last}"][data-lane-id="${lane}"]`);
  const before = await idsOf(b, 'card', 'data-card-id', '');
  link.held = true;
  await clickOnBoard(byTestId(cellOf(b), 'card-add'), 'editor: + Card in the last stage');
  const card = await until('editor: the new card', async () =>
    (await idsOf(b, 'card', 'data-card-id', '')).find((id) => !before.includes(id)));
  const text = b.locator(`[data-card-id="${card}"] [data-testid="card-text"]`);
  await text.fill('Added while the stage went away');
  await text.press('Enter');
  await clickOnBoard(byTestId(a, 'stage-col', `[data-stage-id="${last}"]`).locator('[data-testid="stage-remove"]'),
    'owner: remove the last stage');
  await gone(byTestId(a, 'stage-col', `[data-stage-id="${last}"]`), 'owner: the stage is gone');
  check(link.toServer.length > 0, 'the editor\'s card was held back');
  link.release();
  for (const [page, who] of [[a, 'owner'], [b, 'editor']]) {
    await visible(byTestId(page, 'orphan-tray'), `${who}: the orphan tray`);
    await visible(byTestId(page, 'orphan-card', `[data-card-id="${card}"]`), `${who}: the card in the tray`);
  }
  await screenshot(a, 'orphan-tray.png');
  const orphan = byTestId(a, 'orphan-card', `[data-card-id="${card}"]`);
  const stage = await byTestId(orphan, 'orphan-stage').inputValue();
  const placedLane = await byTestId(orphan, 'orphan-lane').inputValue();
  check(placedLane === lane, 'the tray offers the card\'s own lane');
  await byTestId(orphan, 'orphan-place').click();
  for (const [page, who] of [[a, 'owner'], [b, 'editor']]) {
    await gone(byTestId(page, 'orphan-tray'), `${who}: the tray empties`);
    await visible(byTestId(page, 'cell', `[data-stage-id="${stage}"][data-lane-id="${lane}"]`)
      .locator(`[data-card-id="${card}"]`), `${who}: the card back on the board`);
  }
  console.log(`PLACED ${card} in ${stage}/${lane}`);
}

async function anEmotionPointMovesByKeyboard() {
  const { a, b } = state;
  const point = (page) => byTestId(page, 'emotion-point').first();
  const persona = await point(a).getAttribute('data-persona-id');
  const stage = await point(a).getAttribute('data-stage-id');
  const sel = `[data-persona-id="${persona}"][data-stage-id="${stage}"]`;
  const score = async (page) => byTestId(page, 'emotion-point', sel).getAttribute('data-score');
  const start = Number(await score(a));
  check((await point(a).getAttribute('role')) === 'slider', 'points are sliders');
  check(/·/.test(await point(a).getAttribute('aria-label')), 'points are labelled');
  await byTestId(a, 'emotion-point', sel).focus();
  const key = start >= 2 ? 'ArrowDown' : 'ArrowUp';
  const next = start >= 2 ? start - 1 : start + 1;
  await a.keyboard.press(key);
  await until(`editor: the score reads ${next}`, async () => (await score(b)) === String(next));
  // The focus stays on the point: a second key press moves it again.
  const back = key === 'ArrowUp' ? 'ArrowDown' : 'ArrowUp';
  await a.keyboard.press(back);
  await until(`editor: the score back to ${start}`, async () => (await score(b)) === String(start));
  const focused = await a.evaluate(() => document.activeElement?.getAttribute('data-stage-id'));
  check(focused === stage, `the focus stays on the point (${focused})`);
  await a.keyboard.press('Delete');
  await until('editor: the score cleared', async () => (await score(b)) === '');
  console.log(`CLEARED ${persona}/${stage}`);
}

async function ownerReordersPersonas() {
  const { a, b } = state;
  const before = await idsOf(b, 'persona', 'data-persona-id');
  check(before.length >= 2, 'two personas');
  await clickOnBoard(byTestId(a, 'persona', `[data-persona-id="${before[0]}"]`).locator('[data-testid="persona-move-right"]'),
    'owner: move the first persona later');
  await until('editor: the personas swapped', async () => {
    const after = await idsOf(b, 'persona', 'data-persona-id');
    return after[0] === before[1] && after[1] === before[0];
  });
}

// ---------------------------------------------------------------------------------------
// Personalized
// ---------------------------------------------------------------------------------------

async function bothOpenThePersonalizedMap() {
  state.link.release();
  await openBoard(state.a, SCENARIO.university, 'owner');
  await openBoard(state.b, SCENARIO.university, 'editor');
  await visible(byTestId(state.a, 'path-panel'), 'the paths panel');
  const states = await idsOf(state.a, 'branch-state', 'data-diverges');
  check(states.includes('true'), 'the branch view shows where the paths diverge');
}

async function followingAPathHighlightsExactlyItsCards() {
  const a = state.a;
  for (const [path, expected] of Object.entries(SCENARIO.onPath)) {
    await byTestId(a, 'path-item', `[data-path-id="${path}"]`).locator('[data-testid="path-pick"]').click();
    await attributeIs(byTestId(a, 'path-item', `[data-path-id="${path}"]`).locator('[data-testid="path-pick"]'),
      'aria-pressed', 'true', 'the path is followed');
    const on = await a.locator('[data-testid="card"].path-on').evaluateAll((cs) => cs.map((c) => c.getAttribute('data-card-id')));
    const off = await a.locator('[data-testid="card"].path-off').evaluateAll((cs) => cs.map((c) => c.getAttribute('data-card-id')));
    const want = [...expected].sort();
    check(JSON.stringify([...on].sort()) === JSON.stringify(want),
      `path ${path}: highlighted ${on.length} cards, the server says ${want.length}`);
    check(on.length + off.length === SCENARIO.allCards.length, 'every other card is dimmed');
    // The route: the stages where the path takes cards of its own are marked.
    const routeStages = await a.locator('[data-testid="stage-col"].path-route').count();
    check(routeStages >= 1, `path ${path}: its route through the stages is marked (${routeStages})`);
    const faded = await a.locator('[data-testid="emotion-curve"] g.curve.dimmed').count();
    check(faded === 2 * (SCENARIO.personas - 1), `the other personas' curves fade (${faded})`);
  }
  await screenshot(a, 'itinerary-personalized.png');
  // Following is one's own: the editor's page highlights nothing.
  check((await state.b.locator('[data-testid="card"].path-on').count()) === 0, 'the editor follows nothing');
  const last = Object.keys(SCENARIO.onPath).pop();
  await byTestId(a, 'path-item', `[data-path-id="${last}"]`).locator('[data-testid="path-pick"]').click();
  await until('nothing highlighted once unfollowed', async () => (await a.locator('[data-testid="card"].path-on').count()) === 0);
}

async function aPathIsCreatedRenamedMovedUsedAndDeleted() {
  const { a, b } = state;
  const before = await idsOf(b, 'path-item', 'data-path-id');
  await byTestId(a, 'path-add').click();
  const path = await until('editor: a new path', async () =>
    (await idsOf(b, 'path-item', 'data-path-id')).find((id) => !before.includes(id)));
  const item = (page) => byTestId(page, 'path-item', `[data-path-id="${path}"]`);
  await byTestId(item(a), 'path-name').fill('Transfer students');
  await byTestId(item(a), 'path-name').press('Tab');
  await byTestId(item(a), 'path-condition').fill('Applicant has credits from another university');
  await byTestId(item(a), 'path-condition').press('Tab');
  await until('editor: the new name and condition', async () =>
    (await byTestId(item(b), 'path-name').inputValue()) === 'Transfer students'
    && (await byTestId(item(b), 'path-condition').inputValue()).startsWith('Applicant has credits'));
  await byTestId(item(a), 'path-move-up').click();
  await until('editor: the path moved up one place', async () => {
    const order = await idsOf(b, 'path-item', 'data-path-id');
    return order.indexOf(path) === order.length - 2;
  });
  // The common card goes on the new path only.
  const card = SCENARIO.commonCard;
  const cardOf = (page) => byTestId(page, 'card', `[data-card-id="${card}"]`);
  // A card on every path shows its paths control once focused.
  await cardOf(a).locator('[data-testid="card-text"]').focus();
  await clickOnBoard(byTestId(cardOf(a), 'card-paths-summary'), 'the card\'s paths');
  await byTestId(cardOf(a), 'card-path', `[data-path-id="${path}"]`).check();
  await until('editor: the card is on the new path', async () =>
    (await byTestId(cardOf(b), 'card-paths-summary').textContent()).trim() === 'Transfer students');
  await byTestId(item(a), 'path-remove').click();
  await gone(item(b), 'editor: the path is gone');
  await until('editor: the card is back on every path (its path names gone)', async () =>
    (await byTestId(cardOf(b), 'card-paths-summary').count()) === 0);
  check((await byTestId(cardOf(a), 'card-paths-summary').textContent()).trim() === 'All paths',
    'owner: the card is back on every path');
}

async function theLinearMapForTheRecord() {
  await openBoard(state.a, SCENARIO.linear, 'owner');
  const rows = await byTestId(state.a, 'switch-row').count();
  check(rows === 0, 'a linear map has no switch row');
  await screenshot(state.a, 'itinerary-linear.png');
}

run([
  bothOpenTheOmnichannelMap,
  ownerDrawsASwitch,
  aStageRemovedWhileACardIsAddedToIt,
  anEmotionPointMovesByKeyboard,
  ownerReordersPersonas,
  bothOpenThePersonalizedMap,
  followingAPathHighlightsExactlyItsCards,
  aPathIsCreatedRenamedMovedUsedAndDeleted,
  theLinearMapForTheRecord,
]);
