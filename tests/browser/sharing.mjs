// Sharing, end to end in a real browser (Debian's headless Chromium, driven by
// playwright-core): sign-up, map creation, invitations, share links, roles, the audit
// trail and public links, all through the web app's UI, with three separate visitors.
//
//   node tests/browser/sharing.mjs <baseUrl> <artifactsDir>
//   e.g. node tests/browser/sharing.mjs http://127.0.0.1:PORT artifacts/browser
//
// The server must serve the built web app (client/dist) at <baseUrl>. Screenshots go to
// <artifactsDir>. Exit 0 when every step passes; otherwise the failing step and why are
// printed, a screenshot of every open page is saved as failure-<visitor>.png, and the exit
// code is 1 (2 on the overall timeout). Run by tests/browser.rs.

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

const { BASE } = setup({
  usage: 'node sharing.mjs <baseUrl> <artifactsDir>',
  artifacts: 'artifacts/browser',
  overallTimeoutMs: 60_000,
});

// ---------------------------------------------------------------------------------------
// Settings and helpers
// ---------------------------------------------------------------------------------------

const PASSWORD = 'correct horse battery';
const MAP_TITLE = 'Checkout journey (browser test)';

/** Signs up through the /login page's sign-up form; waits until the app has signed in. */
async function signUp(page, name, email) {
  if (new URL(page.url()).pathname !== '/login') {
    await page.goto(`${BASE}/login`);
  }
  await visible(byTestId(page, 'signup-form'), 'the sign-up form');
  await byTestId(page, 'signup-name').fill(name);
  await byTestId(page, 'signup-email').fill(email);
  await byTestId(page, 'signup-password').fill(PASSWORD);
  await byTestId(page, 'signup-submit').click();
  const shown = await visible(byTestId(page, 'user-name'), `${name}'s name in the header after sign-up`);
  const text = (await shown.textContent())?.trim();
  check(text === name, `the header should name ${name} after sign-up, shows "${text}"`);
  await absent(byTestId(page, 'auth-error'), 'an auth error after signing up');
}

/** The map-list row of `mapId` on the home page. */
function mapRow(page, mapId) {
  return byTestId(page, 'map-row', `[data-map-id="${mapId}"]`);
}

/** The share dialog's member row of the account whose email is `email`. */
function memberRow(page, email) {
  return byTestId(page, 'member-row').filter({ hasText: email });
}

/** Opens the map page of `mapId` and waits for its title. */
async function openMap(page, mapId, query = '') {
  await page.goto(`${BASE}/maps/${mapId}${query}`);
  const title = await visible(byTestId(page, 'map-title'), `the title of map ${mapId}`);
  const text = (await title.textContent())?.trim();
  check(text === MAP_TITLE, `the map page should show "${MAP_TITLE}", shows "${text}"`);
}

/** Opens the share dialog on the current map page. */
async function openShareDialog(page) {
  await (await visible(byTestId(page, 'share-open'), 'the Share button')).click();
  return visible(byTestId(page, 'share-dialog'), 'the share dialog');
}

/** Creates a share link in the open dialog and returns the URL it shows (once). */
async function createLink(dialog, role, { isPublic = false } = {}) {
  await byTestId(dialog, 'link-create-role').selectOption(role);
  if (isPublic) await byTestId(dialog, 'link-create-public').check();
  const before = await byTestId(dialog, 'link-row').count();
  await byTestId(dialog, 'link-create-submit').click();
  await until(`a new ${role} link row should appear (had ${before})`, async () => {
    return (await byTestId(dialog, 'link-row').count()) === before + 1;
  });
  const input = await visible(byTestId(dialog, 'link-url'), `the new ${role} link's URL`);
  return until(`the new ${role} link's URL should be shown`, async () => {
    const url = await input.inputValue();
    return url.startsWith(BASE) && (isPublic ? url.includes('?link=') : url.includes('/join/')) && url;
  });
}

// ---------------------------------------------------------------------------------------
// The scenario: one function per step
// ---------------------------------------------------------------------------------------

/** What the steps learn and hand on. */
const state = { mapId: null, joinUrl: null, publicUrl: null, ana: null, other: null };

/** (A1) Ana, signed out, is sent to sign in; she signs up through the UI. */
async function anaSignsUp() {
  const page = await visitor('ana');
  state.ana = page;
  await page.goto(`${BASE}/`);
  await atPath(page, '/login', 'a signed-out visitor of / is sent to sign in');
  await signUp(page, 'Ana', 'ana@example.com');
  await atPath(page, '/', 'after sign-up Ana lands on her maps');
  await visible(byTestId(page, 'maps-empty'), "Ana's empty map list");
}

/** (A2) Ana creates a map through the form; it is listed with her as owner. */
async function anaCreatesAMap() {
  const page = state.ana;
  await byTestId(page, 'create-map-title').fill(MAP_TITLE);
  await byTestId(page, 'create-map-itinerary').selectOption('omnichannel');
  await byTestId(page, 'create-map-submit').click();
  const row = await visible(
    byTestId(page, 'map-row').filter({ hasText: MAP_TITLE }),
    'the new map in the list',
  );
  state.mapId = await row.getAttribute('data-map-id');
  check(/^[a-z0-9]{16}$/.test(state.mapId ?? ''), `bad map id "${state.mapId}"`);
  await attributeIs(byTestId(row, 'map-role'), 'data-role', 'owner', 'Ana owns the new map');
  await row.getByRole('link', { name: MAP_TITLE }).click();
  await atPath(page, `/maps/${state.mapId}`, 'the title links to the map page');
  await visible(byTestId(page, 'map-title').filter({ hasText: MAP_TITLE }), 'the map title');
  await attributeIs(byTestId(page, 'map-role'), 'data-role', 'owner', 'the map page says owner');
}

/** (A3) Ana creates an editor share link and invites bob@example.com (no account yet). */
async function anaSharesTheMap() {
  const page = state.ana;
  const dialog = await openShareDialog(page);
  state.joinUrl = await createLink(dialog, 'editor');
  await visible(byTestId(dialog, 'link-row').filter({ hasText: 'Editor' }), 'the editor link row');

  await byTestId(dialog, 'invite-email').fill('bob@example.com');
  await byTestId(dialog, 'invite-role').selectOption('commenter');
  await byTestId(dialog, 'invite-submit').click();
  const result = await visible(byTestId(dialog, 'invite-result'), 'the invitation outcome');
  const text = (await result.textContent()) ?? '';
  check(
    text.includes('bob@example.com has no account yet') && text.includes('commenter'),
    `the outcome should say Bob is invited as commenter, says "${text}"`,
  );
  await visible(
    byTestId(dialog, 'invitation-row', '[data-email="bob@example.com"]'),
    "Bob's pending invitation",
  );
  await screenshot(page, 'ana-share.png');
}

/** (B) Bob signs up with the invited email: the invitation is now a membership. */
async function bobSignsUpAndSeesTheMap() {
  const page = await visitor('bob+cleo');
  state.other = page;
  await page.goto(`${BASE}/login`);
  await signUp(page, 'Bob', 'bob@example.com');
  await atPath(page, '/', 'after sign-up Bob lands on his maps');
  const row = await visible(mapRow(page, state.mapId), "Ana's map in Bob's list");
  const role = byTestId(row, 'map-role');
  await attributeIs(role, 'data-role', 'commenter', "Bob's role on Ana's map");
  const label = (await role.textContent())?.trim();
  check(label === 'Commenter', `Bob's role should read "Commenter", reads "${label}"`);
  await screenshot(page, 'bob-maps.png');

  await row.getByRole('link', { name: MAP_TITLE }).click();
  await atPath(page, `/maps/${state.mapId}`, "Bob opens Ana's map");
  await visible(byTestId(page, 'map-title').filter({ hasText: MAP_TITLE }), 'the map title for Bob');
  await attributeIs(byTestId(page, 'map-role'), 'data-role', 'commenter', 'the map page says commenter');
  await visible(byTestId(page, 'members-panel'), 'the read-only member list for Bob');
  await absent(byTestId(page, 'share-open'), "a Share button for Bob (he is not the owner)");
  await screenshot(page, 'bob-map.png');
}

/** (C1) Bob signs out with the header button and is back on the sign-in page. */
async function bobSignsOut() {
  const page = state.other;
  await (await visible(byTestId(page, 'signout'), 'the Sign out button')).click();
  await atPath(page, '/login', 'after signing out Bob is on the sign-in page');
  await visible(byTestId(page, 'login-form'), 'the sign-in form after signing out');
  await absent(byTestId(page, 'user-name'), 'a signed-in name in the header after signing out');
}

/** (C2) Cleo signs up in the same browser and opens Ana's editor link. */
async function cleoJoinsThroughTheLink() {
  const page = state.other;
  await signUp(page, 'Cleo', 'cleo@example.com');
  await atPath(page, '/', 'after sign-up Cleo lands on her maps');
  await visible(byTestId(page, 'maps-empty'), "Cleo's empty map list (Bob's map is not hers)");

  await page.goto(state.joinUrl);
  await atPath(page, `/maps/${state.mapId}`, 'the join link leads to the map');
  await visible(byTestId(page, 'map-title').filter({ hasText: MAP_TITLE }), 'the map title for Cleo');
  await attributeIs(byTestId(page, 'map-role'), 'data-role', 'editor', 'Cleo joined as editor');
  await absent(byTestId(page, 'share-open'), 'a Share button for Cleo (an editor)');
  await screenshot(page, 'cleo-joined.png');
}

/** (D1) After a reload Ana's dialog lists Bob (commenter) and Cleo (editor). */
async function anaSeesTheNewMembers() {
  const page = state.ana;
  await page.reload();
  await visible(byTestId(page, 'map-title').filter({ hasText: MAP_TITLE }), 'the map title after reload');
  const dialog = await openShareDialog(page);
  await visible(memberRow(dialog, 'bob@example.com'), "Bob's member row");
  await attributeIs(memberRow(dialog, 'bob@example.com'), 'data-role', 'commenter', "Bob's member role");
  await visible(memberRow(dialog, 'cleo@example.com'), "Cleo's member row");
  await attributeIs(memberRow(dialog, 'cleo@example.com'), 'data-role', 'editor', "Cleo's member role");
  await absent(byTestId(dialog, 'invitation-row'), 'a pending invitation (Bob claimed his)');
  const members = await byTestId(dialog, 'member-row').count();
  check(members === 3, `Ana, Bob and Cleo should be the 3 members, found ${members}`);
}

/** (D2) Ana makes Bob a viewer; the audit trail records every change so far. */
async function anaChangesBobsRole() {
  const page = state.ana;
  const dialog = byTestId(page, 'share-dialog');
  await byTestId(memberRow(dialog, 'bob@example.com'), 'member-role').selectOption('viewer');
  await attributeIs(memberRow(dialog, 'bob@example.com'), 'data-role', 'viewer', "Bob's new role");
  await absent(byTestId(dialog, 'member-error'), 'a member error after the role change');

  const change = await visible(
    byTestId(dialog, 'audit-row', '[data-action="role_changed"]'),
    'the role change in the audit trail',
  );
  const text = (await change.textContent()) ?? '';
  check(
    text.includes('Ana') && text.includes('Bob') && text.includes('commenter -> viewer'),
    `the audit row should say Ana changed Bob from commenter to viewer, says "${text}"`,
  );
  const actions = await byTestId(dialog, 'audit-row').evaluateAll((rows) =>
    rows.map((row) => row.getAttribute('data-action')),
  );
  for (const expected of [
    'link_created',
    'invitation_created',
    'invitation_claimed',
    'link_accepted',
    'role_changed',
  ]) {
    check(actions.includes(expected), `the audit trail lacks "${expected}": ${actions.join(', ')}`);
  }
}

/** (D3) Ana creates a public viewer link. */
async function anaCreatesAPublicLink() {
  const page = state.ana;
  const dialog = byTestId(page, 'share-dialog');
  state.publicUrl = await createLink(dialog, 'viewer', { isPublic: true });
  const expected = `${BASE}/maps/${state.mapId}?link=`;
  check(
    state.publicUrl.startsWith(expected),
    `the public link should start with ${expected}: ${state.publicUrl}`,
  );
  await visible(byTestId(dialog, 'link-public'), 'the Public badge on the new link');
  const links = await byTestId(dialog, 'link-row').count();
  check(links === 2, `the editor and the public link should be listed, found ${links}`);
  await screenshot(page, 'ana-share-final.png');
}

/** (D4) A visitor with no account opens the public link: the map, read-only. */
async function strangerOpensThePublicLink() {
  const page = await visitor('public');
  await page.goto(state.publicUrl);
  await visible(byTestId(page, 'map-title').filter({ hasText: MAP_TITLE }), 'the map title by public link');
  check(
    new URL(page.url()).pathname === `/maps/${state.mapId}`,
    `the public link should stay on the map, is at ${page.url()}`,
  );
  await visible(byTestId(page, 'map-public-link'), 'the "Shared by public link" badge');
  await attributeIs(byTestId(page, 'map-role'), 'data-role', 'viewer', 'the public visitor is a viewer');
  await absent(byTestId(page, 'share-open'), 'a Share button by public link');
  await absent(byTestId(page, 'members-panel'), 'the member list by public link');
  await absent(byTestId(page, 'user-name'), 'a signed-in name for the public visitor');
  await visible(byTestId(page, 'signin-link'), 'the Sign in link for the public visitor');
  await screenshot(page, 'public-view.png');
}

const STEPS = [
  anaSignsUp,
  anaCreatesAMap,
  anaSharesTheMap,
  bobSignsUpAndSeesTheMap,
  bobSignsOut,
  cleoJoinsThroughTheLink,
  anaSeesTheNewMembers,
  anaChangesBobsRole,
  anaCreatesAPublicLink,
  strangerOpensThePublicLink,
];

run(STEPS);
