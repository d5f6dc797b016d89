// Evidence, end to end in a real browser (Debian's headless Chromium, driven by
// playwright-core): an editor and a viewer (separate browser contexts) open one map
// with Evidence on. The editor picks a generated event log, checks the preview and the
// columns, imports it and watches the progress bar fed by the map's event stream until
// the log is ready; then maps two activities to stages in the mapping table and saves.
// The metrics row under the stage heads, the funnel and the friction list show what the
// REST analysis says (read here, never hard-coded). The viewer's page, never reloaded,
// shows the log arrive and then the new figures after the mapping change, and offers no
// import or mapping controls. A friction item scrolls to its stage; a segment filter
// changes the figures as the REST analysis with that filter says. Last, a small log
// with two bad rows: refused (the server's 422 shown, nothing stored) over a threshold
// of one, imported with its bad rows listed under ten, then deleted (the viewer's list
// follows).
//
//   node tests/browser/evidence.mjs <baseUrl> <artifactsDir> <scenario json>
//   scenario: {"map": id, "editor": token, "viewer": token, "file": path of the CSV,
//              "rows": rows in it, "bytes": its size, "truth": {activity: stage id},
//              "stages": [stage ids in order]}
//
// The server must serve the built web app (client/dist) at <baseUrl>; the map and its
// members exist already (tests/evidence_browser.rs makes them over REST). Prints one
// `ok <step> (ms)` line per step, `MAPPED <activity> -> <stage>` for each activity it
// maps, `PROGRESS ...` and `LIVE ...` figures. Exit 0 when every step passes; otherwise
// the failing step and why are printed, a screenshot of every open page is saved as
// failure-<visitor>.png, and the exit code is 1 (2 on the overall timeout).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  absent,
  gone,
  attributeIs,
  byTestId,
  check,
  fail,
  run,
  screenshot,
  setup,
  signedIn,
  until,
  visible,
} from './harness.mjs';

const { BASE, SCENARIO } = setup({
  usage: 'node evidence.mjs <baseUrl> <artifactsDir> <scenario json>',
  artifacts: 'artifacts/evidence',
  overallTimeoutMs: 210_000,
  viewport: { width: 1500, height: 1000 },
  // The refused import (too many bad rows) is logged by the browser.
  expectedErrors: [/Failed to load resource: the server responded with a status of 422\b/],
  required: ['map', 'editor', 'viewer', 'file', 'rows', 'bytes', 'truth', 'stages'],
});

// ---------------------------------------------------------------------------------------
// Settings and helpers
// ---------------------------------------------------------------------------------------

/** How long the import of the whole log may take (a debug build of the server). */
const IMPORT_TIMEOUT_MS = 90_000;
/** How soon the other page must show a change (the event stream, no reload). */
const LIVE_TIMEOUT_MS = 15_000;
/** Rows between two progress reports of the server's import. */
const PROGRESS_ROWS = 100_000;

/** Opens the map, waits for the live board, turns Evidence on. */
async function openWithEvidence(page, who) {
  await page.goto(`${BASE}/maps/${SCENARIO.map}`);
  await visible(byTestId(page, 'map-title'), `${who}: the map title`);
  await attributeIs(byTestId(page, 'connection-state'), 'data-state', 'live', `${who}: the live connection`);
  await (await visible(byTestId(page, 'evidence-toggle'), `${who}: the Evidence button`)).click();
  await visible(byTestId(page, 'evidence-panel'), `${who}: the evidence panel`);
  await visible(byTestId(page, 'metrics-row'), `${who}: the metrics row under the stage heads`);
  // Set once: still there at the end means the page was never reloaded.
  await page.evaluate(() => { window.__evidenceNeverReloaded = true; });
}

/** Shows a tab of the evidence panel. */
async function tab(page, name) {
  await byTestId(page, 'evidence-tab', `[data-tab="${name}"]`).click();
  await attributeIs(byTestId(page, 'evidence-tab', `[data-tab="${name}"]`), 'aria-selected', 'true', `the ${name} tab`);
}

/** GET a REST path as the page's account (its session cookie). */
async function rest(page, path) {
  const res = await page.request.get(`${BASE}${path}`);
  check(res.ok(), `GET ${path} answered ${res.status()}`);
  return res.json();
}

function analysisPath(dataset, query = '') {
  return `/api/maps/${SCENARIO.map}/datasets/${dataset}/analysis${query}`;
}

/** The metrics row's figures per stage, as the page shows them (data attributes and text). */
async function shownMetrics(page) {
  return byTestId(page, 'metrics-row').evaluate((row) =>
    [...row.querySelectorAll('[data-testid="stage-metrics"]')].map((cell) => ({
      stage: cell.dataset.stageId,
      reach: cell.dataset.reach ?? null,
      conversion: cell.dataset.conversion ?? null,
      dropOff: cell.dataset.dropOff ?? null,
      medianMs: cell.dataset.medianMs ?? null,
      reachText: cell.querySelector('[data-testid="metric-reach"]')?.textContent ?? null,
      conversionText: cell.querySelector('[data-testid="metric-conversion"]')?.textContent ?? null,
    })));
}

const num = (value) => (value === null || value === undefined ? null : Number(value));
/** Rates as the page holds them: the app's JSON parser may land one unit in the last
 * place away from the exact double; the figures shown are compared exactly. */
const sameRate = (shown, rest) => (shown === null || rest === null ? shown === rest : Math.abs(shown - rest) <= 1e-12);
const percent = (rate) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)} %`);
const grouped = (n) => n.toLocaleString('en-US');

/** Why the metrics row of `page` differs from `analysis`, or null when it agrees. */
async function metricsDiffer(page, analysis) {
  const shown = await shownMetrics(page);
  if (shown.length !== analysis.stages.length) return `${shown.length} cells for ${analysis.stages.length} stages`;
  for (const s of analysis.stages) {
    const cell = shown.find((c) => c.stage === s.stage);
    if (!cell) return `no cell for stage ${s.stage}`;
    if (num(cell.reach) !== s.reach) return `${s.name}: reach ${cell.reach}, REST says ${s.reach}`;
    if (!sameRate(num(cell.conversion), s.conversion)) return `${s.name}: conversion ${cell.conversion}, REST says ${s.conversion}`;
    if (!sameRate(num(cell.dropOff), s.drop_off)) return `${s.name}: drop-off ${cell.dropOff}, REST says ${s.drop_off}`;
    if (num(cell.medianMs) !== s.median_ms_from_previous) return `${s.name}: median ${cell.medianMs}, REST says ${s.median_ms_from_previous}`;
    if (cell.reachText?.trim() !== grouped(s.reach)) return `${s.name}: reach reads "${cell.reachText}", expected "${grouped(s.reach)}"`;
    if (cell.conversionText?.trim() !== percent(s.conversion)) return `${s.name}: conversion reads "${cell.conversionText}", expected "${percent(s.conversion)}"`;
  }
  return null;
}

/** Waits until the metrics row of `page` shows `analysis`; returns how long it took. */
async function metricsAgree(page, analysis, what, timeoutMs = LIVE_TIMEOUT_MS) {
  const t0 = Date.now();
  let why = 'never read';
  try {
    await until(`${what}`, async () => {
      why = await metricsDiffer(page, analysis);
      return why === null;
    }, timeoutMs);
  } catch {
    fail(`${what}: the metrics row disagrees with the REST analysis: ${why}`);
  }
  return Date.now() - t0;
}

/** The friction list as shown. */
async function shownFriction(page) {
  const list = await visible(byTestId(page, 'friction-list'), 'the friction list');
  return list.evaluate((ol) =>
    [...ol.querySelectorAll('[data-testid="friction-item"]')].map((li) => ({
      kind: li.dataset.kind,
      id: li.dataset.id,
      name: li.querySelector('[data-testid="friction-link"]')?.textContent?.trim(),
      sentence: li.querySelector('[data-testid="friction-sentence"]')?.textContent?.trim() ?? null,
    })));
}

/** Checks the friction list of `page` against `analysis` (order, names, sentences). */
async function frictionAgrees(page, analysis, what) {
  const expected = analysis.friction;
  check(expected.length > 0, `${what}: the REST analysis ranks no friction`);
  await until(`${what}: the friction list should follow the analysis`, async () => {
    const shown = await shownFriction(page);
    return shown.length > 0 && shown[0].id === expected[0].id;
  }, LIVE_TIMEOUT_MS);
  const shown = await shownFriction(page);
  check(shown.length === Math.min(expected.length, 8), `${what}: ${shown.length} friction items for ${expected.length} ranked`);
  shown.forEach((item, i) => {
    const want = expected[i];
    check(item.kind === want.kind && item.id === want.id && item.name === want.name,
      `${what}: friction #${i + 1} is ${item.kind} ${item.name}, REST says ${want.kind} ${want.name}`);
    check(item.sentence === (want.sentence ?? null),
      `${what}: friction #${i + 1}'s sentence reads "${item.sentence}", REST says "${want.sentence}"`);
  });
  check(shown.filter((i) => i.sentence).length === Math.min(3, expected.length), `${what}: the top three have a sentence`);
}

let editor;
let viewer;
/** The imported dataset's id. */
let dataset;
/** Progress bar values seen during the import: {rows, bytes}. */
let progressSeen = [];
/** The REST analysis before and after the mapping change. */
let before;
let after;

// ---------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------

async function bothOpenTheMapWithEvidenceOn() {
  editor = await signedIn('editor', SCENARIO.editor);
  viewer = await signedIn('viewer', SCENARIO.viewer);
  await openWithEvidence(editor, 'editor');
  await openWithEvidence(viewer, 'viewer');
  await visible(byTestId(viewer, 'evidence-empty'), 'the viewer: "no event log yet"');
  // The viewer reads; importing and mapping are for editors.
  await tab(viewer, 'data');
  await visible(byTestId(viewer, 'dataset-list-empty'), 'the viewer: the empty list of logs');
  await absent(byTestId(viewer, 'import-form'), "the viewer's import form");
  await absent(byTestId(viewer, 'import-file'), "the viewer's file picker");
  await tab(viewer, 'results');
}

async function editorPreviewsTheLog() {
  await tab(editor, 'data');
  await visible(byTestId(editor, 'import-form'), "the editor's import form");
  await byTestId(editor, 'import-file').setInputFiles(SCENARIO.file);
  const preview = await visible(byTestId(editor, 'import-preview'), 'the preview of the first rows');
  const headers = await preview.locator('thead th').allTextContents();
  check(['case_id', 'activity', 'timestamp', 'channel', 'segment', 'value'].every((h) => headers.includes(h)),
    `the preview's columns: ${headers.join(', ')}`);
  const shownRows = await preview.locator('tbody tr').count();
  check(shownRows >= 3, `the preview shows the first rows, ${shownRows} shown`);
  // The server guessed the required columns from their names.
  for (const [key, column] of [['case_id', 'case_id'], ['activity', 'activity'], ['timestamp', 'timestamp']]) {
    const value = await byTestId(editor, `import-col-${key}`).inputValue();
    check(value === column, `the ${key} column should be guessed as "${column}", is "${value}"`);
  }
  // The optional ones: chosen by hand.
  for (const key of ['channel', 'segment', 'value']) {
    await byTestId(editor, `import-col-${key}`).selectOption(key);
  }
  await byTestId(editor, 'import-name').fill('Retail bank, generated');
  await screenshot(editor, '01-editor-previews-the-log.png');
}

async function editorImportsWithAProgressBar() {
  // Record every value the progress bar takes, however fast the import goes.
  await editor.evaluate(() => {
    window.__progress = [];
    const record = () => {
      const bar = document.querySelector('[data-testid="import-progress"]');
      if (bar && bar.dataset.rows) {
        const seen = { rows: Number(bar.dataset.rows), bytes: Number(bar.dataset.bytes), value: bar.value, max: bar.max };
        const last = window.__progress[window.__progress.length - 1];
        if (!last || last.rows !== seen.rows) window.__progress.push(seen);
      }
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  const t0 = Date.now();
  await byTestId(editor, 'import-submit').click();
  await visible(byTestId(editor, 'import-progress'), 'the progress bar');
  const done = byTestId(editor, 'import-done');
  await until('the import should finish', async () => (await done.count()) > 0
    || (await byTestId(editor, 'import-error').count()) > 0, IMPORT_TIMEOUT_MS);
  if ((await byTestId(editor, 'import-error').count()) > 0) {
    fail(`the import failed: ${await byTestId(editor, 'import-error').textContent()}`);
  }
  console.log(`IMPORT ${SCENARIO.rows} rows in ${Date.now() - t0} ms`);
  progressSeen = await editor.evaluate(() => window.__progress);
  console.log(`PROGRESS ${JSON.stringify(progressSeen)}`);
  check(progressSeen.length > 0, 'the progress bar should have shown rows read before the import was done');
  check(progressSeen.every((p, i) => i === 0 || p.rows >= progressSeen[i - 1].rows), 'progress only goes forward');
  check(progressSeen.every((p) => p.max === SCENARIO.bytes && p.value === p.bytes), 'the bar measures bytes read against the file size');
  if (SCENARIO.rows > PROGRESS_ROWS) {
    check(progressSeen.some((p) => p.rows > 0 && p.rows < SCENARIO.rows),
      `the bar should move before the end (${SCENARIO.rows} rows, a report every ${PROGRESS_ROWS})`);
  }
  dataset = await done.getAttribute('data-dataset-id');
  check(Number(await done.getAttribute('data-rows')) === SCENARIO.rows, `the import read ${await done.getAttribute('data-rows')} rows of ${SCENARIO.rows}`);
  check(Number(await done.getAttribute('data-bad-rows')) === 0, 'no bad rows in the generated log');
  const row = byTestId(editor, 'dataset-row', `[data-dataset-id="${dataset}"]`);
  await attributeIs(row, 'data-status', 'ready', 'the log in the list');
  check(Number(await row.getAttribute('data-rows')) === SCENARIO.rows, 'the list shows every row');
  await screenshot(editor, '02-editor-imported-the-log.png');
}

async function theViewerSeesTheLogArriveLive() {
  before = await rest(viewer, analysisPath(dataset));
  await visible(byTestId(viewer, 'analysis-summary'), "the viewer's results, without reloading");
  const ms = await metricsAgree(viewer, before, "the viewer's metrics row after the import");
  console.log(`LIVE import-to-viewer-metrics ${ms}`);
  await frictionAgrees(viewer, before, "the viewer's friction list after the import");
}

async function editorMapsTwoActivities() {
  await tab(editor, 'mapping');
  const table = await visible(byTestId(editor, 'mapping-table'), 'the mapping table');
  const rows = await table.locator('[data-testid="mapping-row"]').evaluateAll((trs) =>
    trs.map((tr) => ({ activity: tr.dataset.activity, stage: tr.dataset.stage })));
  const names = Object.keys(SCENARIO.truth);
  check(rows.length === names.length, `${rows.length} activities in the table, the log has ${names.length}`);
  // The server's suggestions pre-fill the table; map two of those it got wrong (or left
  // out) to where the generator put them.
  const wrong = rows.filter((r) => r.stage !== SCENARIO.truth[r.activity]);
  check(wrong.length >= 2, `the suggestions should leave at least two activities to map, left ${wrong.length}: ${JSON.stringify(rows)}`);
  const chosen = wrong.slice(0, 2);
  for (const { activity } of chosen) {
    const stage = SCENARIO.truth[activity];
    await byTestId(editor, 'mapping-row', `[data-activity="${activity}"]`).locator('[data-testid="mapping-stage"]').selectOption(stage);
    console.log(`MAPPED ${activity} -> ${stage}`);
  }
  await visible(byTestId(editor, 'mapping-dirty'), '"not saved yet"');
  await screenshot(editor, '03-editor-maps-two-activities.png');
  await byTestId(editor, 'mapping-save').click();
  await visible(byTestId(editor, 'mapping-saved'), 'the saved confirmation');
  after = await rest(editor, analysisPath(dataset));
  check(JSON.stringify(before.stages) !== JSON.stringify(after.stages), 'the two activities mapped change the per-stage figures');
}

async function theEditorSeesTheNewResults() {
  await tab(editor, 'results');
  await metricsAgree(editor, after, "the editor's metrics row after the mapping");
  await frictionAgrees(editor, after, "the editor's friction list after the mapping");
  const summary = await visible(byTestId(editor, 'analysis-summary'), 'the summary line');
  check(Number(await summary.getAttribute('data-cases')) === after.cases, 'the summary counts the cases');
  // The funnel has a bar per stage, sized by the REST funnel.
  const funnel = await visible(byTestId(editor, 'funnel-chart'), 'the funnel chart');
  const bars = await funnel.locator('[data-testid="funnel-row"]').evaluateAll((gs) => gs.map((g) => Number(g.dataset.funnel)));
  check(JSON.stringify(bars) === JSON.stringify(after.stages.map((s) => s.funnel)), `the funnel shows ${bars}, REST says ${after.stages.map((s) => s.funnel)}`);
  const links = await visible(byTestId(editor, 'flow-chart'), 'the flow chart');
  const drawn = await links.locator('[data-testid="flow-link"]').count();
  check(drawn === after.flows.length, `the flow chart draws ${drawn} bands for ${after.flows.length} flows`);
  await visible(byTestId(editor, 'switch-matrix'), 'the channel-switch matrix');
  await screenshot(editor, '04-editor-results-after-mapping.png');
}

async function theViewerSeesThemLiveWithoutControls() {
  const ms = await metricsAgree(viewer, after, "the viewer's metrics row after the mapping change");
  console.log(`LIVE mapping-to-viewer-metrics ${ms}`);
  await frictionAgrees(viewer, after, "the viewer's friction list after the mapping change");
  check(await viewer.evaluate(() => window.__evidenceNeverReloaded === true), "the viewer's page was never reloaded");
  await tab(viewer, 'mapping');
  await visible(byTestId(viewer, 'mapping-table'), "the viewer's read-only mapping");
  await absent(byTestId(viewer, 'mapping-save'), "the viewer's save button");
  await absent(byTestId(viewer, 'mapping-stage'), "the viewer's stage selects");
  await tab(viewer, 'data');
  await visible(byTestId(viewer, 'dataset-row', `[data-dataset-id="${dataset}"]`), 'the log in the viewer\'s list');
  await absent(byTestId(viewer, 'dataset-delete'), "the viewer's delete button");
  await absent(byTestId(viewer, 'import-form'), "the viewer's import form");
  await tab(viewer, 'results');
  await screenshot(viewer, '05-viewer-sees-the-results-live.png');
}

async function aFrictionItemLeadsToItsStage() {
  const first = after.friction.find((f) => f.kind === 'stage');
  check(first, 'a stage is ranked by friction');
  const item = byTestId(viewer, 'friction-item', `[data-id="${first.id}"]`);
  await item.locator('[data-testid="friction-link"]').click();
  const stage = byTestId(viewer, 'stage-col', `[data-stage-id="${first.id}"]`);
  await until('the stage should be scrolled into view and outlined', async () => {
    const flashed = ((await stage.getAttribute('class')) ?? '').includes('evidence-flash');
    const inView = await stage.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    return flashed && inView;
  });
  await screenshot(viewer, '06-friction-leads-to-its-stage.png');
}

async function aSegmentFilterChangesTheFigures() {
  const segments = (await rest(editor, `/api/maps/${SCENARIO.map}/datasets/${dataset}`)).segments;
  check(segments.length >= 2, `the log has segments: ${segments}`);
  const segment = segments[0];
  const filtered = await rest(editor, analysisPath(dataset, `?segment=${encodeURIComponent(segment)}`));
  check(filtered.cases < after.cases, `one segment (${segment}) has fewer cases than all`);
  await byTestId(editor, 'filter-segment').selectOption(segment);
  await metricsAgree(editor, filtered, `the metrics row filtered on ${segment}`);
  await screenshot(editor, '07-editor-filters-one-segment.png');
  // The filter is the editor's own: the viewer still sees every case.
  check((await metricsDiffer(viewer, after)) === null, "the viewer's figures are not filtered");
  await byTestId(editor, 'filter-clear').click();
  await metricsAgree(editor, after, 'the metrics row without the filter');
}

/** A small log with two bad rows: line 3 (its timestamp) and line 5 (no activity). */
const SMALL_LOG = [
  'case_id,activity,timestamp',
  'c1,Webinar attended,2026-06-01T10:00:00Z',
  'c1,Ad clicked,not a time',
  'c2,Webinar attended,2026-06-02T10:00:00Z',
  'c2,,2026-06-02T11:00:00Z',
  'c3,Forum visit,2026-06-03T10:00:00Z',
  '',
].join('\n');

/** Picks `file` in the import form, names the log `name`, sets the threshold. */
async function pickSmallLog(file, name, maxBad) {
  await byTestId(editor, 'import-file').setInputFiles(file);
  await visible(byTestId(editor, 'import-preview'), `the preview of ${name}`);
  await byTestId(editor, 'import-name').fill(name);
  await byTestId(editor, 'import-max-bad').fill(String(maxBad));
  await byTestId(editor, 'import-max-bad').dispatchEvent('change');
}

async function badRowsAreListedAndTooManyRefused() {
  await tab(editor, 'data');
  await tab(viewer, 'data');
  const file = join(mkdtempSync(join(tmpdir(), 'parcours-evidence-')), 'small.csv');
  writeFileSync(file, SMALL_LOG);
  // Over the threshold: the server's 422 and its message, and nothing stored.
  await pickSmallLog(file, 'Too strict', 1);
  await byTestId(editor, 'import-submit').click();
  const error = await visible(byTestId(editor, 'import-error'), 'the refusal');
  const words = (await error.textContent()) ?? '';
  check(words.includes('too_many_bad_rows'), `the notice should carry the server's code, reads "${words}"`);
  const list = await rest(editor, `/api/maps/${SCENARIO.map}/datasets`);
  check(list.datasets.length === 1, `a refused import stores nothing, ${list.datasets.length} logs`);
  await screenshot(editor, '08-editor-too-many-bad-rows.png');
  // Within the threshold: imported, the bad rows listed with line and reason.
  await pickSmallLog(file, 'Small with bad rows', 10);
  await byTestId(editor, 'import-submit').click();
  const done = await visible(byTestId(editor, 'import-done'), 'the small import');
  const small = await done.getAttribute('data-dataset-id');
  check(small !== dataset, 'a second log');
  const bad = await visible(byTestId(editor, 'bad-rows'), 'the bad rows of the new log');
  check((await bad.getAttribute('data-total')) === '2', 'two bad rows counted');
  const lines = await byTestId(editor, 'bad-rows').locator('[data-testid="bad-row"]').evaluateAll((lis) =>
    lis.map((li) => Number(li.dataset.line)));
  check(JSON.stringify(lines) === '[3,5]', `the bad rows listed are lines ${lines}, expected 3 and 5`);
  await visible(byTestId(viewer, 'dataset-row', `[data-dataset-id="${small}"]`), "the small log in the viewer's list, live");
  await screenshot(editor, '09-editor-bad-rows-listed.png');
  // Deleted by the editor: gone from the viewer's list too.
  await byTestId(editor, 'dataset-row', `[data-dataset-id="${small}"]`).locator('[data-testid="dataset-delete"]').click();
  await gone(byTestId(viewer, 'dataset-row', `[data-dataset-id="${small}"]`), "the deleted log in the viewer's list");
  await gone(byTestId(editor, 'dataset-row', `[data-dataset-id="${small}"]`), "the deleted log in the editor's list");
  check(await viewer.evaluate(() => window.__evidenceNeverReloaded === true), "the viewer's page was never reloaded");
}

run([
  bothOpenTheMapWithEvidenceOn,
  editorPreviewsTheLog,
  editorImportsWithAProgressBar,
  theViewerSeesTheLogArriveLive,
  editorMapsTwoActivities,
  theEditorSeesTheNewResults,
  theViewerSeesThemLiveWithoutControls,
  aFrictionItemLeadsToItsStage,
  aSegmentFilterChangesTheFigures,
  badRowsAreListedAndTooManyRefused,
]);
