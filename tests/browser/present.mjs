// Presentation mode and following the presenter, end to end in a real browser
// (Debian's headless Chromium, driven by playwright-core). Two people on a map made
// from the retail bank template: the presenter (owner) and a follower (editor), each in
// a browser context of their own.
//
// 1. The follower clicks the presenter's avatar: "Following <name>".
// 2. The presenter starts presenting (opening step: objective and personas), and moves
//    through the stages with the arrow keys: after each key the follower's page shows
//    the same step within a second (the slowest is printed). The presentation passes
//    an axe-core audit; its stage step puts pain points and emotions first.
// 3. Escape ends the presenter's presentation; the follower's closes too and both are
//    back on the board where they were.
// 4. The presenter scrolls the board: the follower's board follows within a second.
// 5. The follower scrolls on their own (mouse wheel): following stops, and the
//    presenter's next scroll no longer moves the follower's board.
// 6. The presenter asks everyone to follow: the follower follows again at once.
// 7. A commenter on a phone (390 × 844): the map reads one step at a time, a stage's
//    cards in view and nothing wider than the screen; they reply to a thread.
// Throughout, the follower's WebSocket traffic is counted: while following it sends no
// presence of its own beyond its start and stop, and what it receives is printed as
// awareness bytes per second (`FOLLOW ...`).
//
//   node tests/browser/present.mjs <baseUrl> <artifactsDir> <scenario json>
//   scenario: {"map": id, "presenter": token, "follower": token, "commenter": token}
//
// Exit 0 when every step passes; otherwise the failing step and why are printed, a
// screenshot of every open page is saved as failure-<visitor>.png, and the exit code
// is 1 (2 on the overall timeout).

import {
  absent,
  attributeIs,
  audit,
  byTestId,
  check,
  fail,
  gone,
  run,
  screenshot,
  setup,
  signedIn,
  STEP_TIMEOUT_MS,
  until,
  visible,
} from './harness.mjs';

const { BASE, SCENARIO } = setup({
  usage: 'node present.mjs <baseUrl> <artifactsDir> <scenario json>',
  artifacts: 'artifacts/present',
  overallTimeoutMs: 120_000,
  viewport: { width: 1280, height: 800 },
  required: ['map', 'presenter', 'follower', 'commenter'],
});

/** A follower's page must show the presenter's step or scroll within this. */
const FOLLOW_MS = 1000;

const state = {};

/** Counts the y-protocols messages a page sends and receives on its live socket. */
function countTraffic(page) {
  const traffic = { sent: [], received: [] };
  page.on('websocket', (ws) => {
    if (!ws.url().includes('/sync/')) return;
    const record = (list) => (frame) => {
      const data = frame.payload;
      if (typeof data === 'string') return;
      // Message type 0 is sync, 1 awareness (y-protocols).
      list.push({ at: Date.now(), type: data[0], bytes: data.length });
    };
    ws.on('framesent', record(traffic.sent));
    ws.on('framereceived', record(traffic.received));
  });
  return traffic;
}

/** Waits (polling fast) until `predicate(arg)` holds in `page`; returns when it did. */
async function inPage(page, what, predicate, arg, timeoutMs = STEP_TIMEOUT_MS) {
  try {
    await page.waitForFunction(predicate, arg, { polling: 10, timeout: timeoutMs });
    return Date.now();
  } catch (error) {
    fail(`${what}: not seen within ${timeoutMs} ms (${error.message.split('\n')[0]})`);
  }
}

async function openBoard(page, what) {
  await page.goto(`${BASE}/maps/${SCENARIO.map}`);
  await visible(byTestId(page, 'board'), `${what}: the board`);
  await attributeIs(byTestId(page, 'connection-state'), 'data-state', 'live', `${what}: the connection`);
}

/** (1) Both on the map; the follower follows the presenter from their avatar. */
async function theFollowerFollowsThePresenter() {
  state.presenter = await signedIn('presenter', SCENARIO.presenter);
  state.follower = await signedIn('follower', SCENARIO.follower);
  state.traffic = countTraffic(state.follower);
  await openBoard(state.presenter, 'the presenter');
  await openBoard(state.follower, 'the follower');
  const presenterId = await until('the presenter knows their own client id', async () =>
    state.presenter.locator('[data-testid="presence-avatar"].avatar-self').getAttribute('data-client-id', { timeout: 1000 }),
  );
  state.presenterId = presenterId;
  const avatar = byTestId(state.follower, 'presence-avatar', `[data-client-id="${presenterId}"]`);
  await (await visible(avatar, "the presenter's avatar in the follower's page")).click();
  const banner = await visible(byTestId(state.follower, 'following'), 'the "Following" line');
  const text = (await banner.textContent()) ?? '';
  check(text.includes('Following'), `the follower's page should say whom it follows: "${text}"`);
  await attributeIs(avatar, 'aria-pressed', 'true', "the followed person's avatar");
  state.followFrom = Date.now();
}

/** (2) Presenting: each step reaches the follower within a second. */
async function thePresenterPresentsAndTheFollowerFollows() {
  const { presenter, follower } = state;
  await byTestId(presenter, 'present-open').click();
  await visible(byTestId(presenter, 'slide-opening'), "the presenter's opening step");
  const objective = (await byTestId(presenter, 'presentation-objective').textContent())?.trim() ?? '';
  check(objective.length > 10, `the opening should show the objective: "${objective}"`);
  check(
    (await byTestId(presenter, 'presentation-persona').count()) >= 1,
    'the opening should show the personas',
  );
  await inPage(follower, "the follower's page showing the presentation",
    () => document.querySelector('[data-testid="presentation"]')?.dataset.step === '0');
  await audit(presenter, 'the presentation (opening)');
  const stages = await presenter.evaluate(() => document.querySelectorAll('[data-testid="stage-col"]').length);
  let slowest = 0;
  for (let step = 1; step <= stages + 1; step += 1) {
    const sentAt = Date.now();
    await presenter.keyboard.press('ArrowRight');
    await attributeIs(byTestId(presenter, 'presentation'), 'data-step', String(step), `the presenter at step ${step}`);
    const seenAt = await inPage(follower, `the follower at step ${step}`,
      (want) => document.querySelector('[data-testid="presentation"]')?.dataset.step === want, String(step));
    slowest = Math.max(slowest, seenAt - sentAt);
    if (step === 1) {
      await visible(byTestId(follower, 'slide-stage'), "the follower's first stage");
      const pains = await byTestId(presenter, 'presentation-pain').count();
      check(pains >= 1, 'the first stage should show its pain points');
      check(
        (await byTestId(presenter, 'presentation-emotion').count()) >= 1,
        'the first stage should show how each persona feels',
      );
      await audit(presenter, 'the presentation (a stage)');
      await screenshot(presenter, 'presenter-stage.png');
      await screenshot(follower, 'follower-stage.png');
    }
  }
  await visible(byTestId(follower, 'slide-journey'), "the follower's whole-journey step");
  console.log(`    slowest step to reach the follower: ${slowest} ms (${stages + 1} steps)`);
  check(slowest <= FOLLOW_MS, `a step took ${slowest} ms to reach the follower (at most ${FOLLOW_MS})`);
}

/** (3) Escape ends the presentation for both; the board is where it was. */
async function escapeEndsThePresentation() {
  const { presenter, follower } = state;
  await presenter.keyboard.press('Escape');
  await gone(byTestId(presenter, 'presentation'), "the presenter's presentation");
  await gone(byTestId(follower, 'presentation'), "the follower's presentation");
  await visible(byTestId(presenter, 'board'), "the presenter's board");
  await visible(byTestId(follower, 'following'), 'the follower still following');
}

/** Scrolls `page`'s board (as far as it goes); returns where it ended up. */
async function scrollBoard(page, x, y) {
  return page.evaluate(([x, y]) => {
    const board = document.querySelector('[data-testid="board"]');
    board.scrollLeft = x;
    board.scrollTop = y;
    return [board.scrollLeft, board.scrollTop];
  }, [x, y]);
}

/** Waits until `page`'s board is scrolled to `[x, y]`; returns when it was. */
function boardAt(page, what, [x, y]) {
  return inPage(page, what, ([x, y]) => {
    const b = document.querySelector('[data-testid="board"]');
    return b && Math.abs(b.scrollLeft - x) <= 2 && Math.abs(b.scrollTop - y) <= 2;
  }, [x, y]);
}

/** (4) The presenter scrolls the board; the follower's follows. */
async function theFollowerBoardFollowsTheScroll() {
  const { presenter, follower } = state;
  const sentAt = Date.now();
  const at = await scrollBoard(presenter, 300, 120);
  check(at[0] > 100 && at[1] > 50, `the presenter's board should scroll, is at ${at}`);
  const seenAt = await boardAt(follower, "the follower's board scrolled like the presenter's", at);
  console.log(`    scroll reached the follower in ${seenAt - sentAt} ms`);
  check(seenAt - sentAt <= FOLLOW_MS, `the scroll took ${seenAt - sentAt} ms to reach the follower`);
  const line = (await byTestId(follower, 'following').textContent()) ?? '';
  check(line.includes(' at '), `the following line should name the stage in focus: "${line}"`);
  state.followUntil = Date.now();
}

/** (5) The follower scrolls on their own: following stops. */
async function aFollowerWhoScrollsStopsFollowing() {
  const { presenter, follower } = state;
  const board = byTestId(follower, 'board');
  const box = await board.boundingBox();
  await follower.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await follower.mouse.wheel(-300, 0);
  await gone(byTestId(follower, 'following'), 'the "Following" line once the follower scrolls');
  const own = await follower.evaluate(() => document.querySelector('[data-testid="board"]').scrollLeft);
  await scrollBoard(presenter, 250, 0);
  await presenter.waitForTimeout(800);
  const after = await follower.evaluate(() => document.querySelector('[data-testid="board"]').scrollLeft);
  check(after === own, `the follower's board moved with the presenter after they stopped following (${own} -> ${after})`);
}

/** (6) The presenter asks everyone to follow: the follower follows again. */
async function askingEveryoneToFollow() {
  const { presenter, follower } = state;
  await byTestId(presenter, 'lead-toggle').click();
  await attributeIs(byTestId(presenter, 'lead-toggle'), 'aria-pressed', 'true', "the presenter's request");
  await visible(byTestId(follower, 'following'), 'the follower following again on request');
  const at = await scrollBoard(presenter, 200, 0);
  await boardAt(follower, "the follower's board following the request", at);
}

/** Fails when `page` is wider than its window, naming the elements that stick out. */
async function noSidewaysScroll(page, what) {
  // The screen's width: a phone browser zooms out to show a page wider than it, and
  // then the window's width is the page's.
  const screenWidth = page.viewportSize().width;
  const { overflow, culprits } = await page.evaluate((width) => {
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      // The innermost ones: those with no child sticking out too.
      .filter((el) => ![...el.children].some((c) => c.getBoundingClientRect().right > width + 1))
      .slice(0, 6)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (right ${Math.round(el.getBoundingClientRect().right)})`);
    return { overflow: document.documentElement.scrollWidth - width, culprits };
  }, screenWidth);
  check(overflow <= 0, `${what} should not scroll sideways: ${overflow} px too wide, from ${culprits.join(', ')}`);
}

/** (7) A commenter on a phone reads the map stage by stage and replies to a thread. */
async function aPhoneShowsStagesAndLetsACommenterReply() {
  const page = await signedIn('phone', SCENARIO.commenter, { viewport: { width: 390, height: 844 }, isMobile: true });
  await page.goto(`${BASE}/maps/${SCENARIO.map}`);
  const board = await visible(byTestId(page, 'phone-board'), 'the phone layout of the map');
  await visible(byTestId(board, 'slide-stage'), 'the first stage on the phone');
  await absent(byTestId(page, 'board'), 'the wide board on a phone');
  const cards = await board.locator('.presentation-lane li, .presentation-pains li').count();
  check(cards >= 3, `the stage's cards should show on the phone, ${cards} do`);
  await noSidewaysScroll(page, 'the map on a phone');
  await byTestId(page, 'phone-next').click();
  await until('the phone should show the second stage', async () =>
    (await byTestId(page, 'phone-step').inputValue()) === '2'
    && (await byTestId(page, 'slide-stage').textContent()).includes('Stage 2 of'));
  await screenshot(page, 'phone-stage.png');
  await audit(page, 'the map on a phone');

  await (await visible(byTestId(page, 'comments-toggle'), 'the Comments button on the phone')).click();
  const thread = await visible(byTestId(page, 'thread'), 'a thread on the phone');
  await byTestId(thread, 'reply-body').fill('Seen from my phone: agreed.');
  await byTestId(thread, 'reply-submit').click();
  await visible(
    byTestId(thread, 'comment-body').filter({ hasText: 'Seen from my phone' }),
    'the reply in the thread',
  );
  await noSidewaysScroll(page, 'the phone page with comments open');
  await audit(page, 'the comments on a phone');
  await screenshot(page, 'phone-comments.png');
}

/** The follower's traffic while it followed (steps 2 to 4). */
function reportTraffic() {
  const { sent, received } = state.traffic;
  const from = state.followFrom + 300;
  const until = state.followUntil;
  const seconds = (until - from) / 1000;
  const inWindow = (list) => list.filter((m) => m.at >= from && m.at <= until);
  const awarenessIn = inWindow(received).filter((m) => m.type === 1);
  const awarenessOut = inWindow(sent).filter((m) => m.type === 1);
  const bytesIn = awarenessIn.reduce((n, m) => n + m.bytes, 0);
  const bytesOut = awarenessOut.reduce((n, m) => n + m.bytes, 0);
  console.log(
    `FOLLOW over ${seconds.toFixed(1)} s of following: the follower received ${awarenessIn.length} awareness messages, ` +
      `${bytesIn} bytes (${(bytesIn / seconds).toFixed(0)} B/s), and sent ${awarenessOut.length} (${bytesOut} bytes)`,
  );
  check(
    awarenessOut.length <= 1,
    `a follower should publish nothing while it follows, sent ${awarenessOut.length} awareness messages`,
  );
}

run(
  [
    theFollowerFollowsThePresenter,
    thePresenterPresentsAndTheFollowerFollows,
    escapeEndsThePresentation,
    theFollowerBoardFollowsTheScroll,
    aFollowerWhoScrollsStopsFollowing,
    askingEveryoneToFollow,
    aPhoneShowsStagesAndLetsACommenterReply,
    async function followerTraffic() {
      reportTraffic();
    },
  ],
);
