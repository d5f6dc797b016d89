// Exports and imports in a real browser (Debian's headless Chromium, driven by
// playwright-core). The owner opens a template map, opens the Export menu and downloads
// every format (each checked: name, size, signature; the JSON is a Parcours map file);
// a viewer downloads too. The owner views a named version: the menu offers that
// version's files. On the maps home the owner chooses the downloaded JSON file: the
// preview counts the cards, the import shows its progress and opens the new map with
// the same stages and cards. A spreadsheet with a wrong channel is refused with its row
// and column named, and nothing is created.
//
//   node tests/browser/export.mjs <baseUrl> <artifactsDir> <scenario json>
//   scenario: {"map": id, "owner": token, "viewer": token, "title": map title,
//              "stages": [names], "cards": count, "versionName": name}
//
// Prints `ok <step> (ms)` per step and `IMPORTED <map id>` once the import opened.

import fs from 'node:fs';
import path from 'node:path';

import {
  absent,
  byTestId,
  check,
  run,
  screenshot,
  setup,
  until,
  visible,
  visitor,
} from './harness.mjs';

const { BASE, SCENARIO, ARTIFACTS } = setup({
  usage: 'node export.mjs <baseUrl> <artifactsDir> <scenario json>',
  artifacts: 'artifacts/browser/export',
  overallTimeoutMs: 120_000,
  viewport: { width: 1400, height: 900 },
  required: ['map', 'owner', 'viewer', 'title', 'stages', 'cards', 'versionName'],
});

/** What each export link must give: file extension and first bytes. */
const FORMATS = [
  ['export-pdf-poster', '.pdf', '%PDF-'],
  ['export-pdf-a4', '.pdf', '%PDF-'],
  ['export-pdf-a3', '.pdf', '%PDF-'],
  ['export-png-1', '.png', '\x89PNG'],
  ['export-png-2', '.png', '\x89PNG'],
  ['export-svg', '.svg', '<svg'],
  ['export-csv', '.csv', 'stage,lane,lane_kind,text'],
  ['export-json', '.json', '{'],
];

let owner;
let viewer;
let jsonFile;

async function openMap(page, who) {
  await page.goto(`${BASE}/maps/${SCENARIO.map}`);
  await visible(byTestId(page, 'map-title'), `${who}: the map title`);
}

/** Opens the Export menu and downloads the link `testid`; returns the saved file's path. */
async function download(page, testid, who) {
  const menu = byTestId(page, 'export-menu');
  if (!(await menu.evaluate((el) => el.open))) {
    await menu.locator('summary').click();
  }
  const link = await visible(byTestId(page, testid), `${who}: the ${testid} link`);
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const failure = await file.failure();
  check(!failure, `${who}: ${testid} download failed: ${failure}`);
  const saved = path.join(ARTIFACTS, `${who}-${testid}-${file.suggestedFilename()}`);
  await file.saveAs(saved);
  return { saved, name: file.suggestedFilename() };
}

async function ownerDownloadsEveryFormat() {
  owner = await visitor('owner', SCENARIO.owner);
  await openMap(owner, 'owner');
  for (const [testid, ext, signature] of FORMATS) {
    const { saved, name } = await download(owner, testid, 'owner');
    check(name.endsWith(ext), `${testid}: file name "${name}" should end with ${ext}`);
    const bytes = fs.readFileSync(saved);
    check(bytes.length > 200, `${testid}: ${bytes.length} bytes is too small`);
    check(bytes.subarray(0, signature.length).toString('latin1') === signature,
      `${testid}: should start with ${JSON.stringify(signature)}`);
    if (testid === 'export-json') {
      const file = JSON.parse(bytes.toString('utf8'));
      check(file.format === 'parcours-map' && file.version === 1, 'the JSON is a Parcours map file');
      check(file.map.cards.length === SCENARIO.cards, `the JSON holds ${file.map.cards.length} cards, not ${SCENARIO.cards}`);
      jsonFile = saved;
    }
  }
  await screenshot(owner, '01-export-menu.png');
}

async function aViewerDownloadsToo() {
  viewer = await visitor('viewer', SCENARIO.viewer);
  await openMap(viewer, 'viewer');
  const { saved } = await download(viewer, 'export-pdf-a4', 'viewer');
  check(fs.readFileSync(saved).subarray(0, 5).toString('latin1') === '%PDF-', "the viewer's PDF");
}

async function aPastVersionExportsAsItWas() {
  await byTestId(owner, 'history-toggle').click();
  await visible(byTestId(owner, 'history-panel'), 'the history panel');
  await byTestId(byTestId(owner, 'version', '[data-kind="named"]'), 'version-view').click();
  await visible(byTestId(owner, 'past-banner'), 'the banner of the past');
  const summary = byTestId(owner, 'export-menu').locator('summary');
  await until('the menu offers this version', async () => (await summary.textContent()).includes('Export this version'));
  const href = await byTestId(owner, 'export-json').getAttribute('href');
  check(/[?&]version=/.test(href), `the JSON link should name the version: ${href}`);
  const { saved } = await download(owner, 'export-json', 'owner-past');
  const file = JSON.parse(fs.readFileSync(saved, 'utf8'));
  check(file.map.stages[0].name === SCENARIO.stages[0],
    `the version's first stage is "${SCENARIO.stages[0]}", the file says "${file.map.stages[0].name}"`);
  await byTestId(owner, 'return-live').click();
}

async function theJsonFileImportsAsANewMap() {
  await owner.goto(`${BASE}/`);
  await visible(byTestId(owner, 'import-map'), 'the import form');
  await byTestId(owner, 'import-file').setInputFiles(jsonFile);
  const counts = await visible(byTestId(owner, 'import-counts'), 'the preview');
  const words = await counts.textContent();
  check(words.includes(`${SCENARIO.cards} cards`), `the preview should count ${SCENARIO.cards} cards: "${words}"`);
  check(words.includes(`${SCENARIO.stages.length} stages`), `the preview should count the stages: "${words}"`);
  await screenshot(owner, '02-import-preview.png');
  await byTestId(owner, 'import-start').click();
  await until('the new map opens', async () => /\/maps\/[a-z0-9]{16}$/.test(owner.url()) && !owner.url().endsWith(SCENARIO.map));
  const title = await visible(byTestId(owner, 'map-title'), 'the new map title');
  check((await title.textContent()).trim() === SCENARIO.title, 'the imported map keeps its title');
  await until('the imported board shows every card', async () =>
    (await byTestId(owner, 'card').count()) === SCENARIO.cards);
  console.log(`IMPORTED ${owner.url().split('/').pop()}`);
  await screenshot(owner, '03-imported-map.png');
}

async function aBadSpreadsheetIsRefused() {
  await owner.goto(`${BASE}/`);
  await visible(byTestId(owner, 'import-map'), 'the import form');
  await visible(byTestId(owner, 'maps-table'), 'the map list');
  const rows = await byTestId(owner, 'map-row').count();
  await byTestId(owner, 'import-file').setInputFiles({
    name: 'workshop.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('stage,lane,lane_kind,text,channel\nVisit,Touchpoints,touchpoints,Calls us,pigeon\n'),
  });
  const refused = await visible(byTestId(owner, 'import-problems'), 'the problems of the file');
  const words = await refused.textContent();
  check(words.includes('row 2, column channel') && words.includes('pigeon'), `the problem should name its place: "${words}"`);
  await absent(byTestId(owner, 'import-start'), 'an import button for a refused file');
  await screenshot(owner, '04-import-refused.png');
  check((await byTestId(owner, 'map-row').count()) === rows, 'no map was created');
}

run([ownerDownloadsEveryFormat, aViewerDownloadsToo, aPastVersionExportsAsItWas, theJsonFileImportsAsANewMap, aBadSpreadsheetIsRefused]);
