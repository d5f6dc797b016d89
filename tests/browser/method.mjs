// The method, end to end in a real browser (Debian's headless Chromium, driven by
// playwright-core): the owner of a blank linear map opens its Method panel (0 of 6
// steps) while an editor, in a second browser context, watches the maps home. The
// owner completes the method by following the panel's fix links alone: each click must
// focus the control that fixes the check (the objective field, "+ Persona", a persona's
// goals or pains, "+ Stage", a cell's "+ Card" or its blank card, an emotion point, a
// card's owner), which the script then uses by keyboard. After each step the
// panel's progress and the editor's maps home move on together. Last, a review round is
// opened and closed over REST (as another page would) and both pages show 6 of 6.
//
//   node tests/browser/method.mjs <baseUrl> <artifactsDir> <scenario json>
//   scenario: {"map": id, "owner": token, "editor": token, "editorId": user id}
//
// The server must serve the built web app (client/dist) at <baseUrl>; the map and its
// editor exist already (tests/method_browser.rs makes them over REST). Prints one
// `ok <step> (ms)` line per step and `FIX <check> -> <what was focused>` per fix link
// followed. Exit 0 when every step passes; otherwise the failing step and why are
// printed, a screenshot of every open page is saved as failure-<visitor>.png, and the
// exit code is 1 (2 on the overall timeout).

import {
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
  usage: 'node method.mjs <baseUrl> <artifactsDir> <scenario json>',
  artifacts: 'artifacts/method',
  overallTimeoutMs: 150_000,
  viewport: { width: 1400, height: 1000 },
  required: ['map', 'owner', 'editor', 'editorId'],
});

/** Steps of the method. */
const STEPS = 6;
/** Fix links one check may need before it passes (e.g. a stage, then each cell). */
const MAX_FIXES = 8;

/** What each check's fix links may focus. */
const FOCUSES = {
  objective: ['objective'],
  persona: ['persona-add', 'persona-goals', 'persona-pains'],
  stages: ['stage-add', 'stage-name'],
  touchpoints: ['card-add', 'card-text'],
  pains: ['card-add', 'card-text'],
  emotions: ['emotion-point'],
  actions: ['card-add', 'card-text'],
  opportunities: ['card-add', 'card-text', 'card-owner'],
};

/** Words the script writes for each check. */
const WORDS = {
  objective: 'Find where buyers give up paying',
  goals: 'Pay in under a minute',
  pains: 'Forms that ask twice',
  touchpoints: 'Checkout page',
  pains_card: 'Card refused without a reason',
  actions: 'Fills in the basket',
  opportunities: 'One-click payment',
  owner: 'Sam (payments team)',
};

const state = { owner: null, editor: null };

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/** The panel's check `id`. */
function checkRow(page, id) {
  return byTestId(page, 'method-check', `[data-check="${id}"]`);
}

async function passed(page, id) {
  return (await checkRow(page, id).getAttribute('data-passed', { timeout: 2000 })) === 'true';
}

/** Waits until the panel (and the head's button) read `n` of 6 steps. */
async function panelShows(page, n, what) {
  const progress = byTestId(page, 'method-progress');
  await attributeIs(progress, 'data-done', String(n), `${what}: the panel's progress`);
  const text = await progress.textContent();
  check(text.includes(`${n} of ${STEPS} steps`), `${what}: the panel should say "${n} of ${STEPS} steps", says "${text}"`);
  await attributeIs(byTestId(page, 'method-toggle'), 'data-done', String(n), `${what}: the Method button`);
  const steps = await byTestId(page, 'method-step', '[data-done="true"]').count();
  check(steps === n, `${what}: ${n} steps should be marked done, ${steps} are`);
}

/** Reloads the editor's maps home until the map's row reads `n` of 6. */
async function homeShows(n, what) {
  const page = state.editor;
  await until(`${what}: the maps home should show ${n} of ${STEPS}`, async () => {
    await page.goto(`${BASE}/`);
    const row = byTestId(page, 'map-row', `[data-map-id="${SCENARIO.map}"]`);
    await row.first().waitFor({ state: 'visible', timeout: 3000 });
    const cell = byTestId(row, 'map-method');
    const done = await cell.getAttribute('data-done', { timeout: 1000 });
    const text = await cell.textContent();
    return done === String(n) && text.includes(`${n} of ${STEPS}`);
  }, 15_000);
}

/** The data-testid of the focused element and of the outlined one. */
async function focusAndFlash(page) {
  return page.evaluate(() => ({
    focused: document.activeElement?.getAttribute('data-testid') ?? null,
    flashed: document.querySelector('.method-flash')?.getAttribute('data-testid') ?? null,
  }));
}

/** Types `text` into the focused field and commits it with `key`. */
async function typeInFocused(page, text, key) {
  const field = page.locator(':focus');
  await field.fill(text);
  await field.press(key);
}

/**
 * Follows the fix links of check `id` until it passes: each must focus (or, for an
 * emotion point, outline) one of the controls FOCUSES allows, which the script uses.
 */
async function followFixes(page, id, words) {
  for (let i = 0; i < MAX_FIXES; i++) {
    if (await passed(page, id)) return;
    const detail = await checkRow(page, id).locator('.method-check-detail').textContent();
    await byTestId(checkRow(page, id), 'method-fix').first().click();
    const { focused } = await focusAndFlash(page);
    const reached = focused;
    console.log(`FIX ${id} -> ${reached} (${detail})`);
    check(FOCUSES[id].includes(reached), `${id}: the fix link should reach one of ${FOCUSES[id].join(', ')}, reached ${reached}`);
    switch (reached) {
      case 'objective':
        await typeInFocused(page, words, 'Enter');
        break;
      case 'card-owner':
        await typeInFocused(page, WORDS.owner, 'Enter');
        break;
      case 'card-text':
        await typeInFocused(page, words, 'Enter');
        break;
      case 'persona-goals':
        await typeInFocused(page, WORDS.goals, 'Tab');
        break;
      case 'persona-pains':
        await typeInFocused(page, WORDS.pains, 'Tab');
        break;
      case 'persona-add':
      case 'stage-add':
        await page.keyboard.press('Enter');
        break;
      case 'card-add': {
        await page.keyboard.press('Enter');
        // The new card's text is focused once it is drawn.
        await until(`${id}: the new card's text should be focused`, async () =>
          (await focusAndFlash(page)).focused === 'card-text');
        await typeInFocused(page, words, 'Enter');
        break;
      }
      case 'emotion-point':
        // The point is a keyboard slider: up scores an unscored point 0, then +1.
        await page.keyboard.press('ArrowUp');
        await page.keyboard.press('ArrowUp');
        break;
      default:
        fail(`${id}: nothing to do with ${reached}`);
    }
    // The check moves on: passes, or names something else to fix.
    await until(`${id}: the check should move on after fixing "${detail}"`, async () =>
      (await passed(page, id)) ||
      (await checkRow(page, id).locator('.method-check-detail').textContent({ timeout: 1000 })) !== detail);
  }
  check(await passed(page, id), `${id} should pass after ${MAX_FIXES} fixes`);
}

/** The owner finishes the checks `ids`, then both pages show `n` steps. */
async function complete(ids, n, what) {
  for (const [id, words] of ids) {
    await followFixes(state.owner, id, words);
  }
  await panelShows(state.owner, n, what);
  await homeShows(n, what);
}

/** One REST call of the owner (another page running the review round). */
async function ownerCall(path, body) {
  const res = await fetch(`${BASE}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SCENARIO.owner}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) fail(`POST ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

// ---------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------

/** (1) The owner opens the blank map and its Method panel: nothing done; so says the home. */
async function bothOpen() {
  state.owner = await signedIn('owner', SCENARIO.owner);
  state.editor = await signedIn('editor', SCENARIO.editor);
  const page = state.owner;
  await page.goto(`${BASE}/maps/${SCENARIO.map}`);
  await visible(byTestId(page, 'board'), 'the board');
  await attributeIs(byTestId(page, 'connection-state'), 'data-state', 'live', 'the live connection');
  const toggle = await visible(byTestId(page, 'method-toggle'), 'the Method button');
  check((await toggle.getAttribute('aria-expanded')) === 'false', 'the panel starts closed');
  await toggle.click();
  await visible(byTestId(page, 'method-panel'), 'the Method panel');
  check((await toggle.getAttribute('aria-expanded')) === 'true', 'the button says the panel is open');
  const steps = await byTestId(page, 'method-step').evaluateAll((els) =>
    els.map((el) => [el.getAttribute('data-step'), el.querySelector('.method-question')?.textContent ?? '']));
  check(steps.length === STEPS, `six steps, found ${steps.length}`);
  check(steps.every(([, q]) => q.trim().endsWith('?')), 'each step asks its key question');
  await panelShows(page, 0, 'a blank map');
  const failing = await byTestId(page, 'method-check', '[data-passed="false"]').count();
  const fixes = await byTestId(page, 'method-fix').count();
  check(failing > 0 && fixes >= failing, `every failing check offers a fix (${failing} failing, ${fixes} links)`);
  await homeShows(0, 'a blank map');
  await screenshot(page, '1-blank.png');
  await screenshot(state.editor, '1-home-blank.png');
}

/** (2) Set objectives. */
async function setObjectives() {
  await complete([['objective', WORDS.objective]], 1, 'the objective');
  check((await byTestId(state.owner, 'objective').inputValue()) === WORDS.objective, 'the objective is kept');
}

/** (3) Build personas. */
async function buildPersonas() {
  await complete([['persona', '']], 2, 'a persona');
}

/** (4) Lay out two stages (part of representing the journey: not a step done yet). */
async function layOutStages() {
  await followFixes(state.owner, 'stages', '');
  await panelShows(state.owner, 2, 'two stages');
}

/** (5) Identify touchpoints. */
async function identifyTouchpoints() {
  await complete([['touchpoints', WORDS.touchpoints]], 3, 'the touchpoints');
  await screenshot(state.owner, '5-touchpoints.png');
}

/** (6) Analyse pains and emotions. */
async function analysePainsAndEmotions() {
  await complete([['pains', WORDS.pains_card], ['emotions', '']], 4, 'pains and emotions');
  const scores = await byTestId(state.owner, 'emotion-point').evaluateAll((els) => els.map((el) => el.getAttribute('data-score')));
  check(scores.length === 2 && scores.every((s) => s === '1'), `two as-is points scored +1 by keyboard, found ${scores}`);
}

/** (7) Represent the journey: actions and an opportunity with its owner. */
async function representTheJourney() {
  await complete([['actions', WORDS.actions], ['opportunities', WORDS.opportunities]], 5, 'the journey');
  const owner = await state.owner.locator('[data-testid="card-owner"]').first().inputValue();
  check(owner === WORDS.owner, `the opportunity's owner is kept, found "${owner}"`);
  await screenshot(state.owner, '7-journey.png');
  await screenshot(state.editor, '7-home-five.png');
}

/** (8) Validate: the fix link leads to the rounds; a round closes (over REST); 6 of 6. */
async function validate() {
  const page = state.owner;
  check(!(await passed(page, 'validated')), 'not validated yet');
  await byTestId(checkRow(page, 'validated'), 'method-fix').first().click();
  const { focused } = await focusAndFlash(page);
  check(focused === 'round-start', `the validation link should focus "Start a review round", focused ${focused}`);
  console.log('FIX validated -> round-start');
  const round = await ownerCall(`/api/maps/${SCENARIO.map}/rounds`, {
    title: 'Does the checkout map hold up?',
    due_at: Date.now() + 86_400_000,
    reviewers: [SCENARIO.editorId],
  });
  // An open round is not validation yet.
  await page.waitForTimeout(300);
  check(!(await passed(page, 'validated')), 'an open round does not validate the map');
  await ownerCall(`/api/maps/${SCENARIO.map}/rounds/${round.id}/close`, {});
  await panelShows(page, STEPS, 'a closed round (live, no reload)');
  await homeShows(STEPS, 'a closed round');
  // The editor opens the map: the head says so too.
  await state.editor.goto(`${BASE}/maps/${SCENARIO.map}`);
  const toggle = await visible(byTestId(state.editor, 'method-toggle'), "the editor's Method button");
  await attributeIs(toggle, 'data-done', String(STEPS), "the editor's Method button");
  check((await toggle.textContent()).includes(`${STEPS} of ${STEPS} steps`), 'the button says 6 of 6 steps');
  await screenshot(page, '8-all-done.png');
  await state.editor.goto(`${BASE}/`);
  await visible(byTestId(state.editor, 'map-method'), 'the home');
  await screenshot(state.editor, '8-home-all-done.png');
}

run([
  bothOpen,
  setObjectives,
  buildPersonas,
  layOutStages,
  identifyTouchpoints,
  analysePainsAndEmotions,
  representTheJourney,
  validate,
]);
