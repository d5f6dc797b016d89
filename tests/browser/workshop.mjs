// Workshop-ready, first run and accessibility, end to end in a real browser (Debian's
// headless Chromium, driven by playwright-core), on a 1280 × 800 laptop screen:
//
// 1. The sign-in page logs no console error at all (not even the browser's line for a
//    401: the app asks `GET /api/session`, which answers visitors with 200), and
//    passes an axe-core audit with no violation.
//    In a French browser it is in French (no text or label of the English page, and a
//    refused sign-in worded in French), and the switch in the account menu turns it
//    English for good.
// 2. The maps home passes axe. A map created there opens at once; being empty, it
//    offers to start from the method or from a template, and passes axe.
// 3. "Start with the method" opens the method panel; a template fills the map in
//    place (its stages appear, the title stays), and the offer goes away.
// 4. On the laptop the comments panel starts collapsed, so the board has the width
//    (at least four stage columns in view); the head's Comments button opens it, and
//    the page with it open passes axe.
// 5. The share dialog passes axe.
// 6. `?` opens the keyboard shortcuts sheet (axe-clean; Escape closes it), but not
//    while typing in a card, where `?` is text.
// 7. Every page in French shows no text or label (text nodes, placeholder, title,
//    aria-label) that the same page shows in English: the maps home, the omnichannel
//    board with its comments panel and a thread, a personalized board (paths, branch
//    view), the dialog that starts a review round, an open round (banner, review form,
//    its changes) and a closed round's summary dialog, the share dialog, the history
//    and method panels, the evidence panel with
//    an event log imported and mapped (its friction sentences worded by the app), the
//    export menu, the inbox with a mention in it, the account page and an invitation
//    page. The owner looks at the same maps
//    in an English and a French browser, so what differs is the app's words; user
//    content (every string of the maps' JSON export, people's names and emails, the
//    comment, the version name, the round's title and instructions) is the same in
//    both and left out. A failure names
//    every English string the French page shows. Screenshots of the same board in each
//    language: board-en.png and board-fr.png (1280 × 800), copied to docs/ when
//    PARCOURS_DOC_SCREENSHOTS=1.
//
//   node tests/browser/workshop.mjs <baseUrl> <artifactsDir> <scenario json>
//   scenario: {"owner": token}
//
// The server must serve the built web app (client/dist) at <baseUrl>. Prints one
// `ok <step> (ms)` line per step and one `AXE <page>: 0 violations` line per audit.
// Exit 0 when every step passes; otherwise the failing step and why are printed, a
// screenshot of every open page is saved as failure-<visitor>.png, and the exit code
// is 1 (2 on the overall timeout).

import { copyFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  absent,
  allConsoleErrors,
  atPath,
  attributeIs,
  audit,
  byTestId,
  check,
  gone,
  run,
  screenshot,
  setup,
  signedIn,
  until,
  visible,
  visitor,
} from './harness.mjs';

const { BASE, ARTIFACTS, SCENARIO } = setup({
  usage: 'node workshop.mjs <baseUrl> <artifactsDir> <scenario json>',
  artifacts: 'artifacts/workshop',
  overallTimeoutMs: 140_000,
  viewport: { width: 1280, height: 800 },
  required: ['owner'],
});

const MAP_TITLE = 'Workshop map (first run)';
const state = {};

/** (1) The sign-in page: no console error of any kind, and no axe violation. */
async function signInPageIsClean() {
  const page = await visitor('stranger');
  const errors = allConsoleErrors(page);
  const session = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/session');
  await page.goto(`${BASE}/maps`);
  await atPath(page, '/login', 'a signed-out visitor is sent to sign in');
  const answer = await session;
  check(answer.status() === 200, `GET /api/session answered ${answer.status()} to a visitor`);
  await visible(byTestId(page, 'login-page'), 'the sign-in page');
  // Let anything late (fonts, icons, a second check) arrive before counting.
  await page.waitForTimeout(500);
  check(errors.length === 0, `the sign-in page logged console errors:\n  ${errors.join('\n  ')}`);
  await audit(page, 'the sign-in page');
}

/** Every visible text and accessible label of `page`, trimmed, once each. */
async function textsOf(page) {
  return page.evaluate(() => {
    const out = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      const text = node.textContent.trim();
      if (text && el && el.offsetParent !== null && /\p{L}/u.test(text)) out.add(text);
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      for (const name of ['aria-label', 'title', 'placeholder']) {
        const value = el.getAttribute(name)?.trim();
        if (value && /\p{L}/u.test(value)) out.add(value);
      }
    }
    return [...out];
  });
}

/**
 * Texts both languages write alike (names, keys, words French borrows as they are);
 * the catalogue's SAME_IN_BOTH allows the same entries.
 */
const SAME_IN_BOTH = new Set([
  'Parcours',
  'English',
  'Français',
  'admin',
  'Personas',
  '+ Persona',
  'Persona',
  'Segment',
  'Segments',
  'Versions',
  'Conversion',
  'Public',
  'Mention',
  'Invitation',
  'Invitation · Parcours',
]);

/**
 * (1b) The sign-in page in French: a French browser gets it in French (`<html
 * lang="fr">`), with no text or label the English page shows; the account menu's
 * switch turns it English, and the choice stays on reload.
 */
async function theSignInPageSpeaksFrench() {
  const en = await visitor('english', undefined, { locale: 'en-US' });
  await en.goto(`${BASE}/login`);
  await visible(byTestId(en, 'login-form'), 'the English sign-in form');
  const english = new Set(await textsOf(en));
  const fr = await visitor('french', undefined, { locale: 'fr-FR' });
  await fr.goto(`${BASE}/login`);
  await visible(byTestId(fr, 'login-form'), 'the French sign-in form');
  check((await fr.getAttribute('html', 'lang')) === 'fr', 'a French browser should get <html lang="fr">');
  const french = await textsOf(fr);
  const untranslated = french.filter((text) => english.has(text) && !SAME_IN_BOTH.has(text));
  check(untranslated.length === 0, `the French sign-in page shows English: ${JSON.stringify(untranslated)}`);
  check(french.includes('Bienvenue sur Parcours'), `the French heading: ${JSON.stringify(french)}`);
  await screenshot(fr, 'signin-fr.png');
  await audit(fr, 'the sign-in page in French');
  // The server's refusal, worded in French by its code.
  await byTestId(fr, 'login-email').fill('nobody@example.com');
  await byTestId(fr, 'login-password').fill('not the password at all');
  await byTestId(fr, 'login-submit').click();
  const refusal = await visible(byTestId(fr, 'auth-error'), 'the refused sign-in');
  const said = (await refusal.textContent()) ?? '';
  check(said.includes('mot de passe incorrect'), `the refusal should be in French: "${said}"`);
  await byTestId(fr, 'language-switch').selectOption('en');
  await visible(fr.getByRole('heading', { name: 'Welcome to Parcours' }), 'the page in English after the switch');
  check((await fr.getAttribute('html', 'lang')) === 'en', 'the switch should set <html lang="en">');
  await fr.reload();
  await visible(fr.getByRole('heading', { name: 'Welcome to Parcours' }), 'English kept after a reload');
}

/** (2) The maps home passes axe; a new map opens at once and offers a start. */
async function aNewMapOpensAndOffersAStart() {
  const page = await signedIn('owner', SCENARIO.owner);
  state.page = page;
  const errors = allConsoleErrors(page);
  await page.goto(`${BASE}/`);
  await visible(byTestId(page, 'create-map-form'), 'the create-map form');
  await audit(page, 'the maps home');
  await byTestId(page, 'create-map-title').fill(MAP_TITLE);
  await byTestId(page, 'create-map-submit').click();
  await until(`the new map should open, still at ${page.url()}`, () =>
    /^\/maps\/[a-z0-9]{16}$/.test(new URL(page.url()).pathname),
  );
  await visible(byTestId(page, 'map-title').filter({ hasText: MAP_TITLE }), 'the new map');
  const offer = await visible(byTestId(page, 'empty-map-offer'), 'the empty map offer');
  await visible(byTestId(offer, 'empty-start-method'), 'Start with the method');
  await visible(byTestId(offer, 'empty-template'), 'the template choice');
  await audit(page, 'an empty board');
  check(errors.length === 0, `the maps home and the new map logged console errors:\n  ${errors.join('\n  ')}`);
}

/** (3) The method from the offer; then a template fills the map in place. */
async function theOfferStartsTheMethodOrATemplate() {
  const page = state.page;
  const offer = byTestId(page, 'empty-map-offer');
  await byTestId(offer, 'empty-start-method').click();
  await visible(byTestId(page, 'method-panel'), 'the method panel, opened from the offer');
  await attributeIs(byTestId(page, 'method-toggle'), 'aria-expanded', 'true', 'the Method button');
  await byTestId(page, 'method-toggle').click();
  await gone(byTestId(page, 'method-panel'), 'the method panel');

  await byTestId(offer, 'empty-template').selectOption('retail_bank');
  await byTestId(offer, 'empty-template-apply').click();
  await until('the template should bring its five stages', async () => {
    return (await byTestId(page, 'stage-col').count()) === 5;
  });
  await gone(byTestId(page, 'empty-map-offer'), 'the offer, once the map has stages');
  const title = (await byTestId(page, 'map-title').textContent())?.trim();
  check(title === MAP_TITLE, `the title should stay "${MAP_TITLE}", is "${title}"`);
  const objective = await byTestId(page, 'objective').inputValue();
  check(objective.length > 10, `the template's objective should be filled, is "${objective}"`);
  // The retail bank is omnichannel: the head says so at once, and the maps list after.
  await attributeIs(page.locator('[data-testid="map-head"] .kind'), 'data-kind', 'omnichannel', "the head's itinerary kind");
}

/** (4) On a laptop the comments panel starts collapsed: the board has the width. */
async function commentsCollapseOnALaptop() {
  const page = state.page;
  const toggle = await visible(byTestId(page, 'comments-toggle'), 'the Comments button in the head');
  await attributeIs(toggle, 'aria-expanded', 'false', 'the Comments button on a 1280 px screen');
  await absent(page.locator('[data-testid="comments-panel"]:visible'), 'an open comments panel on a laptop');
  const inView = await page.evaluate(() => {
    const heads = [...document.querySelectorAll('[data-testid="stage-col"]')];
    return heads.filter((h) => {
      const r = h.getBoundingClientRect();
      return r.left >= 0 && r.right <= window.innerWidth;
    }).length;
  });
  check(inView >= 4, `at least four stage columns should be in view on 1280 px, ${inView} are`);
  await screenshot(page, 'laptop-board.png');
  await toggle.click();
  await visible(byTestId(page, 'comments-panel'), 'the comments panel, opened');
  await attributeIs(toggle, 'aria-expanded', 'true', 'the Comments button, open');
  await audit(page, 'the board with the comments panel open');
  await toggle.click();
  await gone(page.locator('[data-testid="comments-panel"]:visible'), 'the comments panel, closed again');
}

/** (5) The share dialog passes axe. */
async function theShareDialogIsAccessible() {
  const page = state.page;
  await byTestId(page, 'share-open').click();
  await visible(byTestId(page, 'share-dialog'), 'the share dialog');
  await visible(byTestId(page, 'member-row'), 'the member list');
  await audit(page, 'the share dialog');
  await page.keyboard.press('Escape');
  await gone(byTestId(page, 'share-dialog'), 'the share dialog');
}

/** (6) `?` opens the shortcuts sheet, except while typing. */
async function questionMarkShowsTheShortcuts() {
  const page = state.page;
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('?');
  const sheet = await visible(byTestId(page, 'shortcuts'), 'the keyboard shortcuts sheet');
  const text = (await sheet.textContent()) ?? '';
  for (const words of ['Undo', 'Redo', 'Alt', 'Escape']) {
    check(text.includes(words), `the shortcuts sheet should mention ${words}: ${text}`);
  }
  await audit(page, 'the shortcuts sheet');
  await page.keyboard.press('Escape');
  await gone(byTestId(page, 'shortcuts'), 'the shortcuts sheet');

  const card = byTestId(page, 'card-text').first();
  await card.click();
  await card.press('End');
  await page.keyboard.type(' ?');
  await page.waitForTimeout(200);
  // Leaving the card saves it (the Rust side finds the "?" in the stored map).
  await card.press('Tab');
  await page.waitForTimeout(500);
  await absent(byTestId(page, 'shortcuts'), 'the shortcuts sheet while typing in a card');
  const value = await card.inputValue();
  check(value.endsWith(' ?'), `the card should have the typed "?", is "${value}"`);
}

/** A JSON request as the web app sends it (the session cookie of `page`'s context). */
async function api(page, method, path, body) {
  const response = await page.request.fetch(`${BASE}${path}`, {
    method,
    headers: { 'X-Requested-With': 'parcours', 'Content-Type': 'application/json' },
    data: body === undefined ? undefined : JSON.stringify(body),
  });
  check(response.ok(), `${method} ${path} answered ${response.status()}: ${await response.text()}`);
  return response.status() === 204 ? null : response.json();
}

/** Every string leaf of a JSON value (a map's export: its whole user content). */
function strings(value, out = new Set()) {
  if (typeof value === 'string') {
    out.add(value.trim());
  } else if (Array.isArray(value)) {
    for (const v of value) strings(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) strings(v, out);
  }
  return out;
}

/**
 * The texts of `fr` that `en` also shows, leaving out user content (`mine`), what
 * both languages write alike, and initials of people (avatars).
 */
async function sharedTexts(en, fr, mine) {
  const english = new Set(await textsOf(en));
  return (await textsOf(fr)).filter(
    (text) => english.has(text) && !SAME_IN_BOTH.has(text) && !mine.has(text) && !/^\p{Lu}{1,2}$/u.test(text)
      // Minutes read alike in both (`45 min`).
      && !/^\d+ min$/.test(text),
  );
}

/**
 * (7) Every page in French: the owner in an English and a French browser looks at the
 * same pages; the French one shows none of the English one's texts but user content.
 */
async function everyPageSpeaksFrench() {
  const owner = state.page;
  const first = new URL(owner.url()).pathname.split('/').pop();
  // A personalized map (paths, branch view), a thread, an invitation, a named version.
  const second = await api(owner, 'POST', '/api/maps', {
    title: 'Workshop map (paths)',
    template: 'university_admissions',
  });
  const thread = 'Check the branch figures before Friday';
  await api(owner, 'POST', `/api/maps/${first}/threads`, { anchor: { kind: 'map', id: null }, body: thread });
  const guest = 'guest.reviewer@example.com';
  const invited = await api(owner, 'POST', `/api/maps/${first}/members`, { email: guest, role: 'commenter' });
  const versionName = 'Before the workshop';
  await api(owner, 'POST', `/api/maps/${first}/versions`, { name: versionName });
  // An event log on the first map, each stage an activity of the same name, so that
  // the evidence panel shows friction sentences (the server sends their parts).
  const exportedFirst = await (await owner.request.get(`${BASE}/api/maps/${first}/export?format=json`)).json();
  const stages = exportedFirst.map.stages.map((s) => ({ id: s.id, name: s.name }));
  const rows = ['case,activity,time'];
  const start = Date.UTC(2026, 5, 1, 9);
  for (let c = 0; c < 24; c += 1) {
    // Fewer cases reach each later stage; hours pass between stages.
    const reach = Math.max(1, stages.length - (c % stages.length));
    for (let k = 0; k < reach; k += 1) {
      const at = new Date(start + c * 3_600_000 + k * (k + 2) * 2_700_000).toISOString();
      rows.push(`case${c},${stages[k].name},${at}`);
    }
  }
  const imported = await owner.request.post(
    `${BASE}/api/maps/${first}/datasets?case_id=case&activity=activity&timestamp=time&name=workshop-log`,
    { headers: { 'X-Requested-With': 'parcours', 'Content-Type': 'text/csv' }, data: `${rows.join('\n')}\n` },
  );
  check(imported.status() === 201, `the event log import answered ${imported.status()}: ${await imported.text()}`);
  const dataset = await imported.json();
  await until('the event log is ready', async () => {
    const list = await api(owner, 'GET', `/api/maps/${first}/datasets`);
    return list.datasets.some((d) => d.id === dataset.id && d.status === 'ready');
  });
  await api(owner, 'PUT', `/api/maps/${first}/datasets/${dataset.id}/mapping`, {
    activities: stages.map((s) => ({ activity: s.name, stage: s.id })),
  });
  const me = await api(owner, 'GET', '/api/me');
  const mine = new Set([
    thread, guest, versionName, me.display_name, me.email, MAP_TITLE, 'Workshop map (paths)',
    'Workshop map (inbox)', 'workshop-log', 'case', 'activity', 'time',
  ]);
  for (const id of [first, second.id]) {
    const exported = await owner.request.get(`${BASE}/api/maps/${id}/export?format=json`);
    check(exported.ok(), `the JSON export of ${id} answered ${exported.status()}`);
    strings(await exported.json(), mine);
  }

  const en = await signedIn('owner-en', SCENARIO.owner, { locale: 'en-US' });
  const fr = await signedIn('owner-fr', SCENARIO.owner, { locale: 'fr-FR' });
  const failures = [];
  /** Opens the same view in both browsers (`open` on each page) and compares. */
  async function compare(what, open) {
    await Promise.all([open(en), open(fr)]);
    // Relative times and counts settle; late panels arrive.
    await Promise.all([en.waitForTimeout(400), fr.waitForTimeout(400)]);
    const shared = await sharedTexts(en, fr, mine);
    if (shared.length) failures.push(`${what}: ${JSON.stringify(shared)}`);
    console.log(`FRENCH ${what}: ${shared.length} English text(s)`);
  }
  const board = (id) => async (page) => {
    await page.goto(`${BASE}/maps/${id}`);
    await visible(byTestId(page, 'stage-col').first(), 'the board');
    await attributeIs(byTestId(page, 'connection-state'), 'data-state', 'live', 'the live connection');
  };
  const click = (testid, shows) => async (page) => {
    await byTestId(page, testid).first().click();
    await visible(byTestId(page, shows).first(), shows);
  };

  await compare('the maps home', async (page) => {
    await page.goto(`${BASE}/`);
    await visible(byTestId(page, 'map-row').first(), 'the maps list');
  });
  await compare('the omnichannel board', board(first));
  await Promise.all([
    en.screenshot({ path: join(ARTIFACTS, 'board-en.png') }),
    fr.screenshot({ path: join(ARTIFACTS, 'board-fr.png') }),
  ]);
  if (process.env.PARCOURS_DOC_SCREENSHOTS === '1') {
    for (const file of ['board-en.png', 'board-fr.png']) {
      copyFileSync(join(ARTIFACTS, file), new URL(`../../docs/${file}`, import.meta.url));
    }
  }
  await compare('the comments panel with a thread', async (page) => {
    await byTestId(page, 'comments-toggle').click();
    await visible(byTestId(page, 'thread').first(), 'a thread');
  });
  // Review rounds: the dialog that starts one, an open round's banner (the owner its
  // reviewer, the review form shown), and a closed round's summary dialog.
  await compare('the start-a-round dialog', click('round-start', 'round-new-title'));
  await Promise.all([en.keyboard.press('Escape'), fr.keyboard.press('Escape')]);
  const roundTitle = 'Workshop review round';
  const roundNote = 'Read the stages before the meeting';
  mine.add(roundTitle);
  mine.add(roundNote);
  const round = await api(owner, 'POST', `/api/maps/${first}/rounds`, {
    title: roundTitle,
    instructions: roundNote,
    due_at: Date.now() + 2 * 86_400_000,
    reviewers: [me.id],
  });
  await compare('an open review round', async (page) => {
    await board(first)(page);
    await visible(byTestId(page, 'round-banner'), 'the round banner');
    await visible(byTestId(page, 'round-compare-toggle'), 'the round actions');
  });
  await compare("the round's changes", click('round-compare-toggle', 'round-changes'));
  await api(owner, 'POST', `/api/maps/${first}/rounds/${round.id}/close`);
  await compare("a closed round's summary", async (page) => {
    await board(first)(page);
    await click('rounds-history-toggle', 'round-past')(page);
    await click('round-past', 'round-summary')(page);
  });
  await Promise.all([en.keyboard.press('Escape'), fr.keyboard.press('Escape')]);
  await compare('the method panel', click('method-toggle', 'method-panel'));
  await compare('the history panel', click('history-toggle', 'version'));
  await compare('the evidence panel with an event log', async (page) => {
    await click('evidence-toggle', 'evidence-panel')(page);
    await visible(byTestId(page, 'friction-sentence').first(), 'a friction sentence');
  });
  await compare('the export menu', async (page) => {
    await byTestId(page, 'export-menu').locator('summary').click();
    await visible(byTestId(page, 'export-json'), 'the export menu');
  });
  await compare('the share dialog', async (page) => {
    await page.keyboard.press('Escape');
    await click('share-open', 'invitation-row')(page);
    await visible(byTestId(page, 'audit-row').first(), 'the audit trail');
  });
  await compare('the personalized board', board(second.id));
  await compare('the inbox with a mention', async (page) => {
    await byTestId(page, 'inbox-bell').click();
    await visible(byTestId(page, 'inbox-item', '[data-kind="mention"]'), 'the mention in the inbox');
  });
  await compare('the account page', async (page) => {
    await page.goto(`${BASE}/account`);
    await visible(byTestId(page, 'password-form'), 'the account page');
  });
  const strangerEn = await visitor('stranger-en', undefined, { locale: 'en-US' });
  const strangerFr = await visitor('stranger-fr', undefined, { locale: 'fr-FR' });
  const link = `${BASE}${invited.link}`;
  await Promise.all([strangerEn.goto(link), strangerFr.goto(link)]);
  await Promise.all([
    visible(byTestId(strangerEn, 'invitation-have-account'), 'the English invitation page'),
    visible(byTestId(strangerFr, 'invitation-have-account'), 'the French invitation page'),
  ]);
  const shared = await sharedTexts(strangerEn, strangerFr, mine);
  if (shared.length) failures.push(`the invitation page: ${JSON.stringify(shared)}`);
  console.log(`FRENCH the invitation page: ${shared.length} English text(s)`);
  check(failures.length === 0, `the French pages show English:\n  ${failures.join('\n  ')}`);
}

run([
  signInPageIsClean,
  theSignInPageSpeaksFrench,
  aNewMapOpensAndOffersAStart,
  theOfferStartsTheMethodOrATemplate,
  commentsCollapseOnALaptop,
  theShareDialogIsAccessible,
  questionMarkShowsTheShortcuts,
  everyPageSpeaksFrench,
]);
