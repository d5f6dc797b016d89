// Version history, end to end in a real browser (Debian's headless Chromium, driven by
// playwright-core): an owner and an editor (separate browser contexts) open one map;
// the owner edits a card, names a version, edits it again, then opens History: views the
// named version read-only (banner, past text, no edit controls), steps back through the
// day's changes with the slider, returns to live, compares the version with now (the
// change listed and marked on the board), opens the card's own history and restores the
// card as it was after the first edit. The editor's page, open all along and never
// reloaded, shows the restored text live. The owner undoes it; restores the whole named
// version (confirmed) and undoes that; the editor's page follows each time. Last, the
// editor opens the map again: "N changes since your last visit", shown on the board.
//
//   node tests/browser/history.mjs <baseUrl> <artifactsDir> <scenario json>
//   scenario: {"map": id, "card": card id, "owner": token, "editor": token,
//              "firstText": text, "secondText": text, "versionName": name}
//
// The server must serve the built web app (client/dist) at <baseUrl>; the map and its
// editor exist already (tests/history_browser.rs makes them over REST). Prints one
// `ok <step> (ms)` line per step and `LIVE <what> <ms>` timings. Exit 0 when every step
// passes; otherwise the failing step and why are printed, a screenshot of every open
// page is saved as failure-<visitor>.png, and the exit code is 1 (2 on the overall
// timeout).

import {
  absent,
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
  usage: 'node history.mjs <baseUrl> <artifactsDir> <scenario json>',
  artifacts: 'artifacts/browser/history',
  overallTimeoutMs: 120_000,
  viewport: { width: 1400, height: 900 },
  required: ['map', 'card', 'owner', 'editor', 'firstText', 'secondText', 'versionName'],
});

// ---------------------------------------------------------------------------------------
// Settings and helpers
// ---------------------------------------------------------------------------------------

/** How soon the other page must show a change (the live socket, no reload). */
const LIVE_TIMEOUT_MS = 5_000;
/** Most slider steps back the owner takes looking for the first edit. */
const MAX_STEPS_BACK = 8;

/** Opens the map and waits for the live board with the card. */
async function openMap(page, who) {
  await page.goto(`${BASE}/maps/${SCENARIO.map}`);
  await visible(byTestId(page, 'map-title'), `${who}: the map title`);
  await attributeIs(byTestId(page, 'connection-state'), 'data-state', 'live', `${who}: the live connection`);
  await visible(cardOf(page), `${who}: the card ${SCENARIO.card}`);
}

function cardOf(page) {
  return byTestId(page, 'card', `[data-card-id="${SCENARIO.card}"]`);
}

/** The card's text as shown: an editor's text area, or a read-only paragraph. */
async function cardText(page) {
  return cardOf(page)
    .locator('[data-testid="card-text"]')
    .evaluate((el) => (el.tagName === 'TEXTAREA' ? el.value : el.textContent).trim(), null, { timeout: 1000 });
}

/** Waits until the card of `page` reads `text`; returns how long it took. */
async function cardReads(page, text, what, timeoutMs = LIVE_TIMEOUT_MS) {
  const t0 = Date.now();
  await until(`${what}: the card should read "${text}"`, async () => (await cardText(page)) === text, timeoutMs);
  return Date.now() - t0;
}

/** Brings `locator` to the middle of the board (clear of the sticky heads) and clicks it. */
async function clickOnBoard(locator, what) {
  const target = await visible(locator, what);
  await target.evaluate((el) => el.scrollIntoView({ block: 'center', inline: 'center' }));
  await target.click();
}

/** The owner writes `text` in the card and commits it with Enter. */
async function writeCard(page, text) {
  const area = cardOf(page).locator('[data-testid="card-text"]');
  await area.evaluate((el) => el.scrollIntoView({ block: 'center', inline: 'center' }));
  await area.fill(text);
  await area.press('Enter');
}

/** The version row named `SCENARIO.versionName`. */
function namedVersion(page) {
  return byTestId(page, 'version', '[data-kind="named"]');
}

/** Opens the history panel (if closed) on its version list. */
async function openHistory(page) {
  const panel = byTestId(page, 'history-panel');
  if ((await panel.count()) === 0) {
    await byTestId(page, 'history-toggle').click();
  }
  await visible(panel, 'the history panel');
  if ((await byTestId(page, 'element-history-back').count()) > 0) {
    await byTestId(page, 'element-history-back').click();
  }
  await visible(panel.locator('[data-testid="versions"], [data-testid="versions-empty"]'), 'the version list');
}

let owner;
let editor;

// ---------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------

async function bothOpenTheMap() {
  owner = await signedIn('owner', SCENARIO.owner);
  editor = await signedIn('editor', SCENARIO.editor);
  await openMap(owner, 'owner');
  await openMap(editor, 'editor');
  // Both are members: the history is offered; nothing changed since a first visit.
  await visible(byTestId(owner, 'history-toggle'), "the owner's History button");
  await visible(byTestId(editor, 'history-toggle'), "the editor's History button");
  await absent(byTestId(editor, 'since-last-visit'), 'a since-last-visit notice on a first visit');
}

async function ownerEditsAndNamesAVersion() {
  await writeCard(owner, SCENARIO.firstText);
  const ms = await cardReads(editor, SCENARIO.firstText, "the editor's page after the first edit");
  console.log(`LIVE first-edit-to-editor ${ms}`);
  await openHistory(owner);
  await byTestId(owner, 'version-name').fill(SCENARIO.versionName);
  await byTestId(owner, 'version-name-submit').click();
  await visible(byTestId(owner, 'version-named'), 'the "saved as" confirmation');
  const row = await visible(namedVersion(owner), 'the named version in the list');
  const title = (await byTestId(row, 'version-title').textContent())?.trim();
  check(title === SCENARIO.versionName, `the named version should read "${SCENARIO.versionName}", reads "${title}"`);
  await screenshot(owner, '01-owner-named-a-version.png');
  await byTestId(owner, 'history-close').click();
  await gone(byTestId(owner, 'history-panel'), 'the closed history panel');
}

async function ownerEditsAgain() {
  await writeCard(owner, SCENARIO.secondText);
  const ms = await cardReads(editor, SCENARIO.secondText, "the editor's page after the second edit");
  console.log(`LIVE second-edit-to-editor ${ms}`);
}

async function ownerViewsTheNamedVersion() {
  await openHistory(owner);
  await byTestId(namedVersion(owner), 'version-view').click();
  const banner = await visible(byTestId(owner, 'past-banner'), 'the banner of the past');
  const words = (await banner.textContent()) ?? '';
  check(words.includes('Viewing') && words.includes(SCENARIO.versionName),
    `the banner should say what is viewed, reads "${words}"`);
  await visible(byTestId(banner, 'return-live'), 'the "Return to live" button');
  await cardReads(owner, SCENARIO.firstText, 'the past board');
  // Read-only: no text areas, no add, delete or undo buttons, no presence bar.
  const controls = await byTestId(owner, 'board').evaluate((board) =>
    ['textarea', 'input', 'select', '[data-testid="card-add"]', '[data-testid="card-delete"]', '[data-testid="stage-add"]']
      .filter((selector) => board.querySelector(selector)));
  check(controls.length === 0, `the past board should have no edit controls, has ${controls.join(', ')}`);
  await absent(byTestId(owner, 'undo'), 'the undo button while viewing the past');
  await absent(byTestId(owner, 'card-history'), 'card history buttons on the past board');
  // The editor's page is not affected.
  check((await cardText(editor)) === SCENARIO.secondText, "the editor's page still shows the live text");
  await screenshot(owner, '02-owner-views-the-named-version.png');
}

async function ownerStepsBackWithTheSlider() {
  await until('the viewed version is outlined in the list', async () =>
    ((await namedVersion(owner).getAttribute('class')) ?? '').includes('version-viewing'));
  // From "now", one change back at a time until the first edit shows.
  await byTestId(owner, 'return-live').click();
  await gone(byTestId(owner, 'past-banner'), 'the banner after returning to live');
  // The list was read when the panel opened, maybe before the second edit was written.
  const slider = byTestId(owner, 'moments-slider');
  const max = await until('the slider should have stops for both edits', async () => {
    const stops = Number(await slider.getAttribute('max', { timeout: 1000 }));
    if (stops >= 2) return stops;
    await byTestId(owner, 'moments-refresh').click();
    await new Promise((resolve) => setTimeout(resolve, 200));
    return false;
  });
  check((await slider.inputValue()) === String(max), 'the slider starts at "now"');
  let steps = 0;
  for (;;) {
    steps += 1;
    check(steps <= MAX_STEPS_BACK, `the first edit was not found ${MAX_STEPS_BACK} changes back`);
    const before = await slider.inputValue();
    await byTestId(owner, 'moment-prev').click();
    await until('the slider moves back one stop', async () => (await slider.inputValue()) === String(Number(before) - 1));
    await attributeIs(byTestId(owner, 'past-banner'), 'data-source', 'moment', 'the banner of a moment');
    const at = await byTestId(owner, 'moment-label').getAttribute('data-at');
    await attributeIs(byTestId(owner, 'past-banner'), 'data-ref', at, 'the banner shows the chosen stop');
    if ((await cardText(owner)) === SCENARIO.firstText) break;
  }
  console.log(`    the first edit is ${steps} change(s) back`);
  await screenshot(owner, '03-owner-steps-back.png');
}

async function ownerReturnsToLive() {
  await byTestId(owner, 'return-live').click();
  await gone(byTestId(owner, 'past-banner'), 'the banner after returning to live');
  await cardReads(owner, SCENARIO.secondText, 'the live board again');
  await visible(byTestId(owner, 'undo'), 'the undo button, back on the live board');
  const tag = await cardOf(owner).locator('[data-testid="card-text"]').evaluate((el) => el.tagName);
  check(tag === 'TEXTAREA', `the live card is editable again (a ${tag})`);
}

async function ownerComparesWithNow() {
  await byTestId(namedVersion(owner), 'version-compare').click();
  const compare = await visible(byTestId(owner, 'compare'), 'the comparison');
  await absent(byTestId(owner, 'past-banner'), 'a banner while comparing with now');
  const line = byTestId(compare, 'compare-change', `[data-id="${SCENARIO.card}"]`);
  await visible(line, 'the card in the list of changes');
  await attributeIs(line, 'data-change', 'changed', 'the card is listed as changed');
  check(((await line.textContent()) ?? '').includes(SCENARIO.secondText), 'the change names the card as it is now');
  await attributeIs(cardOf(owner), 'data-change', 'changed', 'the card is marked changed on the board');
  await screenshot(owner, '04-owner-compares-with-now.png');
  await byTestId(compare, 'compare-close').click();
  await gone(byTestId(owner, 'compare'), 'the closed comparison');
  await until('the mark leaves the card', async () => (await cardOf(owner).getAttribute('data-change')) === null);
}

let restoredAt = 0;

async function ownerRestoresTheCardFromItsHistory() {
  // Opened where a card is opened (its comments): "Edited by owner, just now · History".
  await clickOnBoard(byTestId(cardOf(owner), 'comment-marker'), "the card's comment marker");
  const scope = await visible(byTestId(owner, 'comments-scope'), 'the comments panel on the card');
  check((await scope.getAttribute('data-card-id')) === SCENARIO.card, 'the panel is on the card');
  const line = byTestId(scope, 'edited-line');
  await until('the "edited by" line of the card', async () =>
    /^Edited by owner, /.test(((await line.textContent({ timeout: 1000 })) ?? '').trim()));
  await byTestId(line, 'edited-line-history').click();
  const history = await visible(byTestId(owner, 'element-history'), "the card's history");
  await byTestId(history, 'element-history-back').click();
  // The same, from the card itself (editors).
  await clickOnBoard(byTestId(cardOf(owner), 'card-history'), "the card's history button");
  await visible(history, "the card's history again");
  check((await history.getAttribute('data-element-id')) === SCENARIO.card, 'the history is the card\'s');
  const edited = (await (await visible(byTestId(history, 'element-edited'), 'the "edited by" line')).textContent()) ?? '';
  check(edited.startsWith('Edited by'), `the line should read "Edited by …", reads "${edited}"`);
  const changes = byTestId(history, 'element-change');
  await until('both edits in the card history', async () => (await changes.count()) >= 2);
  // Newest first: the second edit, current, cannot be restored; the first one can.
  const newest = changes.first();
  await attributeIs(newest, 'data-change', 'changed', 'the newest change is an edit');
  check(((await byTestId(newest, 'element-field-after').first().textContent()) ?? '').includes(SCENARIO.secondText),
    'the newest change wrote the second text');
  await absent(byTestId(newest, 'element-change-restore'), 'a restore button on the current state');
  const first = changes.filter({
    has: owner.locator(`[data-testid="element-field-after"]:text-is("“${SCENARIO.firstText}”")`),
  });
  await visible(first, 'the first edit in the card history');
  await screenshot(owner, '05-owner-card-history.png');
  await byTestId(first, 'element-change-restore').click();
  restoredAt = Date.now();
  await visible(byTestId(owner, 'restore-notice'), 'the restore notice');
  await cardReads(owner, SCENARIO.firstText, "the owner's board after the restore");
}

async function editorSeesTheRestoreLive() {
  const ms = await cardReads(editor, SCENARIO.firstText, "the editor's page (never reloaded) after the restore");
  console.log(`LIVE restore-to-editor ${Date.now() - restoredAt} (seen ${ms} ms after the owner saw it)`);
  await screenshot(editor, '06-editor-sees-the-restore.png');
  // The card's history lists the restore.
  await until("the restore in the owner's card history", async () =>
    (await byTestId(owner, 'element-change').first().textContent())?.includes('(restore)'));
}

async function ownerUndoesTheRestore() {
  await byTestId(owner, 'restore-undo').click();
  await until('the notice says the restore was undone', async () =>
    ((await byTestId(owner, 'restore-notice-text').textContent()) ?? '').includes('undone'));
  await absent(byTestId(owner, 'restore-undo'), 'an undo of the undo');
  await cardReads(owner, SCENARIO.secondText, "the owner's board after the undo");
  await cardReads(editor, SCENARIO.secondText, "the editor's page after the undo");
}

async function ownerRestoresTheWholeVersion() {
  await openHistory(owner);
  await byTestId(namedVersion(owner), 'version-restore').click(); // confirmed by the dialog handler
  await until('the notice of the whole restore', async () =>
    ((await byTestId(owner, 'restore-notice-text').textContent()) ?? '').includes(SCENARIO.versionName));
  await cardReads(owner, SCENARIO.firstText, "the owner's board after restoring the version");
  await cardReads(editor, SCENARIO.firstText, "the editor's page after restoring the version");
  await screenshot(owner, '07-owner-restored-the-version.png');
  await byTestId(owner, 'restore-undo').click();
  await cardReads(owner, SCENARIO.secondText, "the owner's board after undoing the version restore");
  await cardReads(editor, SCENARIO.secondText, "the editor's page after undoing the version restore");
}

async function editorComesBack() {
  await openMap(editor, 'editor (again)');
  const notice = await visible(byTestId(editor, 'since-last-visit'), 'the since-last-visit notice');
  const count = Number(await notice.getAttribute('data-count'));
  check(count >= 1, `the notice should count the owner's changes, counts ${count}`);
  const text = (await byTestId(notice, 'since-count').textContent()) ?? '';
  check(/\d+ changes? since your last visit/.test(text), `the notice reads "${text}"`);
  await byTestId(notice, 'since-toggle').click();
  await visible(byTestId(notice, 'since-change', `[data-id="${SCENARIO.card}"]`), 'the card among the changes');
  await attributeIs(cardOf(editor), 'data-change', 'changed', "the card is marked on the editor's board");
  await screenshot(editor, '08-editor-since-last-visit.png');
  await byTestId(notice, 'since-toggle').click();
  await until('the mark leaves the card', async () => (await cardOf(editor).getAttribute('data-change')) === null);
}

run([
  bothOpenTheMap,
  ownerEditsAndNamesAVersion,
  ownerEditsAgain,
  ownerViewsTheNamedVersion,
  ownerStepsBackWithTheSlider,
  ownerReturnsToLive,
  ownerComparesWithNow,
  ownerRestoresTheCardFromItsHistory,
  editorSeesTheRestoreLive,
  ownerUndoesTheRestore,
  ownerRestoresTheWholeVersion,
  editorComesBack,
]);
