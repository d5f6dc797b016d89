// Comment threads and review rounds, end to end in a real browser (Debian's headless
// Chromium, driven by playwright-core): a commenter opens a thread on a card; the
// editor's page, open all along and never reloaded, shows the card's marker and the
// thread; the editor resolves it; the commenter's page shows it resolved. Then the editor
// starts a review round from the page with the commenter as reviewer; the commenter's
// page shows its banner live, comments on a stage (in the round) and on a cell (not in
// it), follows what changes on the map since the round opened while the editor renames
// the stage, and marks the review done; the editor filters "This round", resolves the
// stage thread and closes the round; both pages read the closed round's summary. Two
// visitors signed in with session cookies.
//
//   node tests/browser/comments.mjs <baseUrl> <artifactsDir> <scenario json>
//   scenario: {"map": id, "card": card id, "commenter": token, "editor": token,
//              "commenterId": user id, "editorId": user id,
//              "stage": stage id, "stageName": its name,
//              "cellStage": stage id, "cellLane": lane id,
//              "ivy": token of an account with "ivyItems" (more than a page) mentions}
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
  gone,
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
  // A desktop screen: the comments panel is open beside the board from the start
  // (laptops start with it collapsed; tests/browser/workshop.mjs checks that).
  viewport: { width: 1600, height: 900 },
  required: ['map', 'card', 'commenterId', 'editorId', 'stage', 'stageName', 'cellStage', 'cellLane', 'ivy', 'ivyItems'],
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
  // "Close this round now?" and other confirmations are accepted.
  page.on('dialog', (dialog) => dialog.accept());
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

const ROUND_TITLE = 'Friday review';
const STAGE_TEXT = 'This stage reads like an internal process, not what the customer lives.';
const CELL_TEXT = 'Could this cell hold a touchpoint?';
const NEW_STAGE_NAME = 'Trial and evaluation';
let roundId;
let stageThreadId;
let cellThreadId;

function stageMarker(page) {
  return byTestId(byTestId(page, 'stage-col', `[data-stage-id="${SCENARIO.stage}"]`), 'comment-marker');
}

function cellMarker(page) {
  const cell = byTestId(page, 'cell', `[data-stage-id="${SCENARIO.cellStage}"][data-lane-id="${SCENARIO.cellLane}"]`);
  return cell.locator(':scope > [data-testid="comment-marker"]');
}

async function editorStartsARound() {
  await absent(byTestId(commenter, 'round-start'), 'a "start a round" button for the commenter');
  await byTestId(editor, 'round-start').click();
  const dialog = await visible(byTestId(editor, 'round-new'), 'the new round dialog');
  // Nothing chosen yet: the form says what is missing and sends nothing.
  await byTestId(dialog, 'round-new-submit').click();
  await visible(byTestId(dialog, 'round-new-problem'), 'the missing title problem');
  await byTestId(dialog, 'round-new-title').fill(ROUND_TITLE);
  await byTestId(dialog, 'round-new-instructions').fill('Check the evaluation stage.');
  const due = await byTestId(dialog, 'round-new-due').inputValue();
  check(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(due), `the due date has a default, reads "${due}"`);
  // Both review: the commenter, and the editor who opens it.
  await byTestId(dialog, 'round-new-reviewer', `[data-user-id="${SCENARIO.commenterId}"]`).check();
  await byTestId(dialog, 'round-new-reviewer', `[data-user-id="${SCENARIO.editorId}"]`).check();
  await byTestId(dialog, 'round-new-submit').click();
  const startedAt = Date.now();
  await gone(byTestId(editor, 'round-new'), 'the dialog once the round started');
  const banner = await visible(byTestId(editor, 'round-banner'), "the editor's round banner");
  roundId = await banner.getAttribute('data-round-id');
  check(roundId, 'the banner names its round');
  await visible(byTestId(banner, 'review-submit'), "the editor's own review form");
  const theirs = byTestId(commenter, 'round-banner', `[data-round-id="${roundId}"]`);
  await until("the commenter's page shows the round", async () => (await theirs.count()) === 1, LIVE_TIMEOUT_MS);
  console.log(`LIVE round-to-reviewer ${Date.now() - startedAt}`);
  const title = (await byTestId(theirs, 'round-title').textContent())?.trim();
  check(title === ROUND_TITLE, `the banner should name the round, shows "${title}"`);
  await attributeIs(reviewerIn(theirs, SCENARIO.commenterId), 'data-done', 'false', 'the review is not done yet');
  check((await byTestId(theirs, 'round-reviewer').count()) === 2, 'two reviewers');
  await until("the commenter's inbox counts the review request", async () =>
    (await byTestId(commenter, 'inbox-count').getAttribute('data-count', { timeout: 500 })) === '1', LIVE_TIMEOUT_MS);
  await screenshot(commenter, '06-commenter-round-banner.png');
}

async function commenterCommentsOnAStageAndACell() {
  await byTestId(commenter, 'thread-filter', '[data-filter="all"]').click();
  await stageMarker(commenter).click();
  const scope = await visible(byTestId(commenter, 'comments-scope'), 'the panel scoped to the stage');
  await attributeIs(scope, 'data-anchor-kind', 'stage', 'the scope is a stage');
  await attributeIs(scope, 'data-anchor-id', SCENARIO.stage, 'the scope is the clicked stage');
  const inRound = byTestId(commenter, 'thread-in-round');
  check(await inRound.isChecked(), 'a new thread belongs to the open round by default');
  await byTestId(commenter, 'thread-body').fill(STAGE_TEXT);
  await byTestId(commenter, 'thread-submit').click();
  const stageThread = await visible(threads(commenter), 'the stage thread');
  stageThreadId = await stageThread.getAttribute('data-thread-id');
  await attributeIs(stageThread, 'data-round-id', roundId, 'the stage thread belongs to the round');
  await visible(byTestId(stageThread, 'thread-round-badge'), "the thread's round badge");
  await attributeIs(stageMarker(commenter), 'data-count', '1', "the stage's marker counts the thread");

  // A cell, outside the round.
  await cellMarker(commenter).click();
  await attributeIs(byTestId(commenter, 'comments-scope'), 'data-anchor-kind', 'cell', 'the scope is a cell');
  await byTestId(commenter, 'thread-in-round').uncheck();
  await byTestId(commenter, 'thread-body').fill(CELL_TEXT);
  await byTestId(commenter, 'thread-submit').click();
  const cellThread = await visible(threads(commenter), 'the cell thread');
  cellThreadId = await cellThread.getAttribute('data-thread-id');
  check(cellThreadId !== stageThreadId, 'a second thread');
  check(!(await cellThread.getAttribute('data-round-id')), 'the cell thread is outside the round');
  await attributeIs(cellMarker(commenter), 'data-count', '1', "the cell's marker counts the thread");
  await screenshot(commenter, '07-commenter-stage-and-cell.png');

  // The editor's page, live: markers on the stage and the cell; "This round" lists only
  // the stage thread.
  await until("the editor's stage marker shows 1", async () =>
    (await stageMarker(editor).getAttribute('data-count', { timeout: 500 })) === '1', LIVE_TIMEOUT_MS);
  await until("the editor's cell marker shows 1", async () =>
    (await cellMarker(editor).getAttribute('data-count', { timeout: 500 })) === '1', LIVE_TIMEOUT_MS);
  await byTestId(editor, 'thread-filter', '[data-filter="round"]').click();
  await until('"This round" lists the stage thread only', async () => {
    const ids = await threads(editor).evaluateAll((els) => els.map((el) => el.dataset.threadId));
    return ids.length === 1 && ids[0] === stageThreadId;
  });
  await byTestId(editor, 'thread-filter', '[data-filter="all"]').click();
  await until('"All" lists the three threads', async () => (await threads(editor).count()) === 3);
  // A thread's anchor scopes the panel to its element.
  await byTestId(byTestId(editor, 'thread', `[data-thread-id="${cellThreadId}"]`), 'thread-anchor').click();
  await attributeIs(byTestId(editor, 'comments-scope'), 'data-anchor-kind', 'cell', "the editor's panel on the cell");
  await until('the panel lists the cell thread only', async () => (await threads(editor).count()) === 1);
  await byTestId(editor, 'comments-scope-clear').click();
  await until('all three threads again', async () => (await threads(editor).count()) === 3);
}

async function theReviewerFollowsWhatChanges() {
  const banner = byTestId(commenter, 'round-banner', `[data-round-id="${roundId}"]`);
  await byTestId(banner, 'round-compare-toggle').click();
  await visible(byTestId(banner, 'round-changes-none'), 'no change since the round opened');
  // The editor renames the stage on the board.
  const name = byTestId(editor, 'stage-col', `[data-stage-id="${SCENARIO.stage}"]`).locator('[data-testid="stage-name"]');
  await name.fill(NEW_STAGE_NAME);
  await name.press('Enter');
  const renamedAt = Date.now();
  const change = byTestId(banner, 'round-change', `[data-element="stage"][data-id="${SCENARIO.stage}"]`);
  await until("the reviewer's comparison shows the renamed stage", async () => (await change.count()) === 1, LIVE_TIMEOUT_MS);
  console.log(`LIVE change-to-comparison ${Date.now() - renamedAt}`);
  await attributeIs(change, 'data-change', 'changed', 'the stage changed');
  const text = await change.textContent();
  check(text.includes(NEW_STAGE_NAME) && text.includes(SCENARIO.stageName),
    `the change reads the new and the recorded name, reads "${text}"`);
  await screenshot(commenter, '08-commenter-compares.png');
}

function reviewerIn(banner, userId) {
  return byTestId(banner, 'round-reviewer', `[data-user-id="${userId}"]`);
}

const REVIEW_TEXT = 'The evaluation stage needs a proof of concept.';

async function bothReviewTheRound() {
  const banner = byTestId(commenter, 'round-banner', `[data-round-id="${roundId}"]`);
  const editorBanner = byTestId(editor, 'round-banner', `[data-round-id="${roundId}"]`);
  // The commenter starts writing their review...
  await byTestId(banner, 'review-verdict').selectOption('changes_requested');
  await byTestId(banner, 'review-summary').fill(REVIEW_TEXT);
  // ...while the editor approves: the commenter's banner follows, their draft stays.
  await byTestId(editorBanner, 'review-submit').click();
  await attributeIs(reviewerIn(editorBanner, SCENARIO.editorId), 'data-verdict', 'approve', "the editor's verdict");
  await gone(byTestId(editorBanner, 'review-submit'), "the editor's review form once done");
  await until("the commenter's banner shows the editor's review", async () =>
    (await reviewerIn(banner, SCENARIO.editorId).getAttribute('data-done', { timeout: 500 })) === 'true',
    LIVE_TIMEOUT_MS);
  const draft = await byTestId(banner, 'review-summary').inputValue();
  check(draft === REVIEW_TEXT, `the commenter's draft survives the update, reads "${draft}"`);
  const verdict = await byTestId(banner, 'review-verdict').inputValue();
  check(verdict === 'changes_requested', `the commenter's chosen verdict survives, reads "${verdict}"`);
  await byTestId(banner, 'review-submit').click();
  const doneAt = Date.now();
  await attributeIs(reviewerIn(banner, SCENARIO.commenterId), 'data-done', 'true', "the commenter's review is done");
  await attributeIs(reviewerIn(banner, SCENARIO.commenterId), 'data-verdict', 'changes_requested', 'the verdict');
  await until("the editor's banner shows the commenter's review done", async () =>
    (await reviewerIn(editorBanner, SCENARIO.commenterId).getAttribute('data-done', { timeout: 500 })) === 'true',
    LIVE_TIMEOUT_MS);
  console.log(`LIVE review-to-editor ${Date.now() - doneAt}`);
  await screenshot(editor, '09-editor-sees-review.png');
}

async function checkSummary(page, who) {
  const summary = await visible(byTestId(page, 'round-summary'), `${who}: the round's summary`);
  await attributeIs(byTestId(summary, 'summary-reviewer', `[data-user-id="${SCENARIO.commenterId}"]`),
    'data-verdict', 'changes_requested', `${who}: the commenter's verdict`);
  await attributeIs(byTestId(summary, 'summary-reviewer', `[data-user-id="${SCENARIO.editorId}"]`),
    'data-verdict', 'approve', `${who}: the editor's verdict`);
  await until(`${who}: the summary lists the two threads opened during the round`, async () => {
    const ids = await byTestId(summary, 'summary-thread-opened').evaluateAll((els) => els.map((el) => el.dataset.threadId));
    return ids.length === 2 && ids.includes(stageThreadId) && ids.includes(cellThreadId);
  });
  const resolved = await byTestId(summary, 'summary-thread-resolved').evaluateAll((els) => els.map((el) => el.dataset.threadId));
  check(resolved.length === 1 && resolved[0] === stageThreadId, `${who}: the stage thread was resolved during the round (${resolved})`);
  await visible(byTestId(summary, 'round-change', `[data-element="stage"][data-id="${SCENARIO.stage}"]`),
    `${who}: the renamed stage among the changes`);
  const closed = await byTestId(summary, 'round-summary-closed').textContent();
  check(closed.includes('Closed by hand'), `${who}: the summary says how it closed ("${closed}")`);
}

async function editorClosesTheRound() {
  const thread = byTestId(editor, 'thread', `[data-thread-id="${stageThreadId}"]`);
  await byTestId(thread, 'thread-resolve').click();
  await attributeIs(thread, 'data-resolved', 'true', 'the stage thread is resolved');
  const banner = byTestId(editor, 'round-banner', `[data-round-id="${roundId}"]`);
  await byTestId(banner, 'round-close').click();
  const closedAt = Date.now();
  await checkSummary(editor, 'editor');
  await gone(byTestId(editor, 'round-banner'), "the editor's banner of the closed round");
  await screenshot(editor, '10-editor-round-summary.png');
  await byTestId(editor, 'round-summary-close').click();
  await gone(byTestId(editor, 'round-summary'), 'the summary after closing it');
  // The commenter's page, live: the banner goes, the round is among the past ones.
  await until("the commenter's banner goes", async () => (await byTestId(commenter, 'round-banner').count()) === 0, LIVE_TIMEOUT_MS);
  console.log(`LIVE close-to-reviewer ${Date.now() - closedAt}`);
  await byTestId(commenter, 'rounds-history-toggle').click();
  await byTestId(commenter, 'round-past', `[data-round-id="${roundId}"]`).click();
  await checkSummary(commenter, 'commenter');
  await screenshot(commenter, '11-commenter-round-summary.png');
  await commenter.keyboard.press('Escape');
  await gone(byTestId(commenter, 'round-summary'), "the commenter's summary after Escape");
}

async function commenterReadsTheInbox() {
  await until("the commenter's inbox counts the request and the closing", async () =>
    (await byTestId(commenter, 'inbox-count').getAttribute('data-count', { timeout: 500 })) === '2', LIVE_TIMEOUT_MS);
  await byTestId(commenter, 'inbox-bell').click();
  await visible(byTestId(commenter, 'inbox-item').first(), "the commenter's inbox items");
  const kinds = await byTestId(commenter, 'inbox-item').evaluateAll((els) => els.map((el) => el.dataset.kind).sort());
  check(JSON.stringify(kinds) === JSON.stringify(['review_request', 'round_closed']),
    `the inbox holds the review request and the closing, holds ${kinds}`);
  await screenshot(commenter, '12-commenter-inbox.png');
  // The closing item opens the round's summary (and counts as read).
  await byTestId(commenter, 'inbox-item', '[data-kind="round_closed"]').click();
  const summary = await visible(byTestId(commenter, 'round-summary'), 'the summary the inbox item opens');
  await visible(summary.locator(`[data-round-id="${roundId}"]`), 'the summary of the closed round');
  await commenter.keyboard.press('Escape');
  await gone(byTestId(commenter, 'round-summary'), 'the summary after Escape');
  await attributeIs(byTestId(commenter, 'inbox-count'), 'data-count', '1', 'the opened item is read');
  await byTestId(commenter, 'inbox-bell').click();
  await byTestId(commenter, 'inbox-mark-all').click();
  await attributeIs(byTestId(commenter, 'inbox-count'), 'data-count', '0', 'all read');
  await attributeIs(byTestId(commenter, 'inbox-item').first(), 'data-read', 'true', 'the items read as read');
}

async function editorFollowsTheMention() {
  await attributeIs(byTestId(editor, 'inbox-count'), 'data-count', '1', "the editor's unread mention");
  await byTestId(editor, 'inbox-bell').click();
  await byTestId(editor, 'inbox-item', '[data-kind="mention"]').click();
  const thread = byTestId(editor, 'thread', `[data-thread-id="${threadId}"]`);
  await attributeIs(thread, 'data-highlight', 'true', 'the mentioned thread is outlined');
  const scope = byTestId(editor, 'comments-scope');
  await attributeIs(scope, 'data-anchor-kind', 'card', "the panel on the thread's card");
  await attributeIs(scope, 'data-anchor-id', SCENARIO.card, "the panel on the thread's card");
  await attributeIs(byTestId(editor, 'inbox-count'), 'data-count', '0', 'the mention is read');
  await screenshot(editor, '13-editor-follows-mention.png');
}

/** An inbox longer than a page: the first page, then "Load older" until all are listed. */
async function aLongInboxLoadsOlderPages() {
  const ivy = await signedIn('ivy', SCENARIO.ivy);
  await ivy.goto(`${BASE}/`);
  const total = SCENARIO.ivyItems;
  await attributeIs(byTestId(ivy, 'inbox-count'), 'data-count', String(total), 'every item is unread');
  await byTestId(ivy, 'inbox-bell').click();
  await until('the first page of 50', async () => (await byTestId(ivy, 'inbox-item').count()) === 50);
  await byTestId(ivy, 'inbox-more').click();
  await until(`all ${total} items`, async () => (await byTestId(ivy, 'inbox-item').count()) === total);
  await gone(byTestId(ivy, 'inbox-more'), '"Load older" once everything is listed');
  const ids = await byTestId(ivy, 'inbox-item').evaluateAll((els) => els.map((el) => Number(el.dataset.itemId)));
  check(new Set(ids).size === total && ids.every((id, i) => i === 0 || ids[i - 1] > id),
    'each item once, newest first');
  await byTestId(ivy, 'inbox-mark-all').click();
  await attributeIs(byTestId(ivy, 'inbox-count'), 'data-count', '0', 'all read');
  await until('the older page reads as read too', async () =>
    (await byTestId(ivy, 'inbox-item', '[data-read="false"]').count()) === 0);
  check((await byTestId(ivy, 'inbox-item').count()) === total, 'the older items stay listed');
}

const STEPS = [
  bothOpenTheMap,
  commenterOpensAThreadOnTheCard,
  editorSeesItLive,
  editorResolvesIt,
  commenterSeesItResolved,
  editorStartsARound,
  commenterCommentsOnAStageAndACell,
  theReviewerFollowsWhatChanges,
  bothReviewTheRound,
  editorClosesTheRound,
  commenterReadsTheInbox,
  editorFollowsTheMention,
  aLongInboxLoadsOlderPages,
];

run(STEPS);
