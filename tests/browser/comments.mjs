// Comment threads, end to end in a real browser (Debian's headless Chromium, driven by
// playwright-core): a commenter opens a thread on a card; the editor's page, open all
// along and never reloaded, shows the card's marker and the thread; the editor resolves
// it; the commenter's page shows it resolved. Two visitors signed in with session cookies.
//
//   node tests/browser/comments.mjs <baseUrl> <artifactsDir> <scenario json>
//   scenario: {"map": id, "card": card id, "commenter": token, "editor": token}
//
// The server must serve the built web app (client/dist) at <baseUrl>; the map and its
// members exist already (tests/comments_browser.rs makes them over REST). Prints one
// `ok <step> (ms)` line per step and `LIVE <what> <ms>` timings. Exit 0 when every step
// passes; otherwise the failing step and why are printed, a screenshot of every open page
// is saved as failure-<visitor>.png, and the exit code is 1 (2 on the overall timeout).

import {
  absent,
  atPath,
  attributeIs,
  byTestId,
  check,
  fail,
  run,
  screenshot,
  setup,
  until,
  visible,
  visitor,
} from './harness.mjs';

const { BASE, SCENARIO } = setup({
  usage: 'node comments.mjs <baseUrl> <artifactsDir> <scenario json>',
  artifacts: 'artifacts/comments',
  overallTimeoutMs: 90_000,
  required: ['map', 'card'],
});

// ---------------------------------------------------------------------------------------
// Settings and helpers
// ---------------------------------------------------------------------------------------

/** How soon another open page must show a change (the event stream, no reload). */
const LIVE_TIMEOUT_MS = 5_000;
const THREAD_TEXT = 'Is this step really needed? cc @eddie.editor @outsider';

/** Visitors whose page got the map's event stream answered (200). */
const subscribed = new Set();

/** A browser context signed in with the session `token` (its own cookies), one page. */
async function signedIn(name, token) {
  const page = await visitor(name);
  page.on('response', (response) => {
    if (response.url().includes(`/api/maps/${SCENARIO.map}/events`) && response.status() === 200) {
      subscribed.add(name);
    }
  });
  await page.context().addCookies([{ name: 'parcours_session', value: token, url: BASE }]);
  return page;
}

/** Opens the map and waits for its board, the card and the comments panel. */
async function openMap(page, who) {
  await page.goto(`${BASE}/maps/${SCENARIO.map}`);
  await visible(byTestId(page, 'map-title'), `${who}: the map title`);
  await visible(cardOf(page), `${who}: the card ${SCENARIO.card}`);
  await visible(byTestId(page, 'comments-panel'), `${who}: the comments panel`);
}

function cardOf(page) {
  return byTestId(page, 'card', `[data-card-id="${SCENARIO.card}"]`);
}

function markerOf(page) {
  return byTestId(cardOf(page), 'comment-marker');
}

/** The threads of the panel. */
function threads(page) {
  return byTestId(byTestId(page, 'comments-panel'), 'thread');
}

let commenter;
let editor;
let threadId;

async function bothOpenTheMap() {
  commenter = await signedIn('commenter', SCENARIO.commenter);
  editor = await signedIn('editor', SCENARIO.editor);
  await openMap(commenter, 'commenter');
  await openMap(editor, 'editor');
  check((await byTestId(commenter, 'map-role').textContent())?.toLowerCase().includes('comment'),
    'the commenter page should show the commenter role');
  await attributeIs(markerOf(editor), 'data-count', '0', 'the editor sees no thread on the card yet');
  await attributeIs(byTestId(editor, 'inbox-count'), 'data-count', '0', "the editor's inbox is empty");
  await until('the editor page lists no thread yet', async () => (await threads(editor).count()) === 0);
  // Let the event streams open before anything happens.
  await until('both pages are subscribed to the map events', async () =>
    subscribed.has('commenter') && subscribed.has('editor'));
  await screenshot(editor, '01-editor-before.png');
}

async function commenterOpensAThreadOnTheCard() {
  await markerOf(commenter).click();
  const scope = await visible(byTestId(commenter, 'comments-scope'), 'the panel scoped to the card');
  check((await scope.getAttribute('data-card-id')) === SCENARIO.card, 'the panel is scoped to the clicked card');
  await byTestId(commenter, 'thread-body').fill(THREAD_TEXT);
  await byTestId(commenter, 'thread-submit').click();
  commenterPostedAt = Date.now();
  const thread = await visible(threads(commenter), "the commenter's new thread");
  threadId = await thread.getAttribute('data-thread-id');
  check(threadId, 'the thread has an id');
  await attributeIs(thread, 'data-resolved', 'false', 'the new thread is open');
  const body = (await byTestId(thread, 'comment-body').first().textContent())?.trim();
  check(body === THREAD_TEXT, `the thread's comment should read "${THREAD_TEXT}", reads "${body}"`);
  const notice = await visible(byTestId(commenter, 'mentions-without-access'), 'the no-access mention notice');
  check((await notice.textContent()).includes('@outsider'), 'the notice names the mention without access');
  await attributeIs(markerOf(commenter), 'data-count', '1', "the commenter's marker counts the thread");
  await screenshot(commenter, '02-commenter-thread.png');
}
let commenterPostedAt = 0;

async function editorSeesItLive() {
  await until('the editor marker shows 1 open thread', async () =>
    (await markerOf(editor).getAttribute('data-count', { timeout: 500 })) === '1', LIVE_TIMEOUT_MS);
  const thread = byTestId(editor, 'thread', `[data-thread-id="${threadId}"]`);
  await until("the commenter's thread in the editor's panel", async () => (await thread.count()) === 1, LIVE_TIMEOUT_MS);
  console.log(`LIVE thread-to-editor ${Date.now() - commenterPostedAt}`);
  const body = (await byTestId(thread, 'comment-body').first().textContent())?.trim();
  check(body === THREAD_TEXT, `the editor should read "${THREAD_TEXT}", reads "${body}"`);
  await visible(byTestId(thread, 'thread-resolve'), "the editor's resolve button");
  await visible(byTestId(thread, 'reply-body'), "the editor's reply box");
  await attributeIs(byTestId(editor, 'inbox-count'), 'data-count', '1', "the editor's inbox counts the mention");
  await screenshot(editor, '03-editor-sees-thread.png');
}

let resolvedAt = 0;

async function editorResolvesIt() {
  const thread = byTestId(editor, 'thread', `[data-thread-id="${threadId}"]`);
  await byTestId(thread, 'thread-resolve').click();
  resolvedAt = Date.now();
  await attributeIs(thread, 'data-resolved', 'true', "the editor's thread is resolved");
  await visible(byTestId(thread, 'thread-reopen'), 'the reopen button');
  await attributeIs(markerOf(editor), 'data-count', '0', 'no open thread on the card for the editor');
}

async function commenterSeesItResolved() {
  const thread = byTestId(commenter, 'thread', `[data-thread-id="${threadId}"]`);
  await until('the commenter sees the thread resolved', async () =>
    (await thread.getAttribute('data-resolved', { timeout: 500 })) === 'true', LIVE_TIMEOUT_MS);
  console.log(`LIVE resolve-to-commenter ${Date.now() - resolvedAt}`);
  await attributeIs(markerOf(commenter), 'data-count', '0', "the commenter's marker has no open thread");
  // Filters: the resolved thread is under "Resolved", not under "Open".
  await byTestId(commenter, 'comments-scope-clear').click();
  await byTestId(commenter, 'thread-filter', '[data-filter="open"]').click();
  await until('no open thread listed', async () => (await threads(commenter).count()) === 0);
  await byTestId(commenter, 'thread-filter', '[data-filter="resolved"]').click();
  await until('the resolved thread listed', async () => (await threads(commenter).count()) === 1);
  await screenshot(commenter, '04-commenter-sees-resolved.png');
  await screenshot(editor, '05-editor-after.png');
}

async function commenterReviewsTheRound() {
  const banner = await visible(byTestId(commenter, 'round-banner'), "the commenter's round banner");
  const title = (await byTestId(banner, 'round-title').textContent())?.trim();
  check(title === 'Friday review', `the banner should name the round, shows "${title}"`);
  await attributeIs(byTestId(banner, 'round-reviewer'), 'data-done', 'false', 'the review is not done yet');
  const editorBanner = await visible(byTestId(editor, 'round-banner'), "the editor's round banner");
  await absent(byTestId(editor, 'review-submit'), 'a review form for the editor, who is no reviewer');
  await byTestId(banner, 'review-verdict').selectOption('changes_requested');
  await byTestId(banner, 'review-summary').fill('The evaluation stage needs a proof of concept.');
  await byTestId(banner, 'review-submit').click();
  const doneAt = Date.now();
  await attributeIs(byTestId(banner, 'round-reviewer'), 'data-done', 'true', "the commenter's review is done");
  await attributeIs(byTestId(banner, 'round-reviewer'), 'data-verdict', 'changes_requested', 'the verdict');
  await until("the editor's banner shows the review done", async () =>
    (await byTestId(editorBanner, 'round-reviewer').getAttribute('data-done', { timeout: 500 })) === 'true',
    LIVE_TIMEOUT_MS);
  console.log(`LIVE review-to-editor ${Date.now() - doneAt}`);
  await screenshot(editor, '06-editor-sees-review.png');
}

async function commenterReadsTheInbox() {
  await attributeIs(byTestId(commenter, 'inbox-count'), 'data-count', '1', "the commenter's review request");
  await byTestId(commenter, 'inbox-bell').click();
  const item = await visible(byTestId(commenter, 'inbox-item'), "the commenter's inbox item");
  check((await item.getAttribute('data-kind')) === 'review_request', 'the item is the review request');
  check((await item.getAttribute('data-read')) === 'false', 'the item is unread');
  await screenshot(commenter, '07-commenter-inbox.png');
  await byTestId(commenter, 'inbox-mark-all').click();
  await attributeIs(byTestId(commenter, 'inbox-count'), 'data-count', '0', 'all read');
  await attributeIs(byTestId(commenter, 'inbox-item'), 'data-read', 'true', 'the item reads as read');
}

const STEPS = [
  bothOpenTheMap,
  commenterOpensAThreadOnTheCard,
  editorSeesItLive,
  editorResolvesIt,
  commenterSeesItResolved,
  commenterReviewsTheRound,
  commenterReadsTheInbox,
];

run(STEPS);
