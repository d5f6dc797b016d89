// Sharing, end to end in a real browser (Debian's headless Chromium, driven by
// playwright-core): sign-up, map creation, invitations (the link each comes with,
// sending again, withdrawing, signing up and signing in through one, accepting from the
// inbox once the address is verified), share links (revoking one with the people who
// joined through it), roles, the audit trail and public links, all through the web
// app's UI, with separate visitors.
//
//   node tests/browser/sharing.mjs <baseUrl> <artifactsDir> '{"doraToken": "...", "doraVerification": "..."}'
//
// Dora's account exists before the run (doraToken: a session of hers) and so does the
// verification link mailed to her (doraVerification: its secret); tests/browser.rs makes
// both. The server must serve the built web app (client/dist) at <baseUrl>. Screenshots go to
// <artifactsDir>. Exit 0 when every step passes; otherwise the failing step and why are
// printed, a screenshot of every open page is saved as failure-<visitor>.png, and the exit
// code is 1 (2 on the overall timeout). Run by tests/browser.rs.

import {
  absent,
  atPath,
  attributeIs,
  byTestId,
  check,
  gone,
  run,
  screenshot,
  setup,
  until,
  visible,
  visitor,
} from './harness.mjs';

const { BASE, SCENARIO } = setup({
  usage: 'node sharing.mjs <baseUrl> <artifactsDir> <{"doraToken", "doraVerification"}>',
  artifacts: 'artifacts/browser',
  overallTimeoutMs: 90_000,
  // Asking a server that sends no mail for a verification mail: 409 mail_off.
  expectedErrors: [/Failed to load resource: the server responded with a status of 409\b/],
  required: ['doraToken', 'doraVerification'],
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
async function createLink(dialog, role, { isPublic = false, withComments = false } = {}) {
  await byTestId(dialog, 'link-create-role').selectOption(role);
  if (isPublic) await byTestId(dialog, 'link-create-public').check();
  if (withComments) await byTestId(dialog, 'link-create-comments').check();
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

/** The share dialog's pending invitation row for `email`. */
function invitationRow(scope, email) {
  return byTestId(scope, 'invitation-row', `[data-email="${email}"]`);
}

/**
 * Reads the invitation link the dialog shows for `email` once `headline` appears in
 * it (the link of an earlier invitation may still be shown until then).
 */
async function shownInvitationLink(dialog, email, headline) {
  const result = byTestId(dialog, 'invite-result', `[data-email="${email}"]`).filter({ hasText: headline });
  await visible(result, `the invitation link for ${email} ("${headline}")`);
  const input = await visible(byTestId(result, 'invite-link'), `the invitation link field for ${email}`);
  await visible(byTestId(result, 'invite-link-copy'), `the "Copy link" button for ${email}`);
  const url = await input.inputValue();
  check(url.startsWith(`${BASE}/invite/`), `the invitation link should start with ${BASE}/invite/: ${url}`);
  const delivery = (await byTestId(result, 'invite-delivery').textContent()) ?? '';
  check(
    delivery.includes('not emailed') && (await result.getAttribute('data-emailed')) === 'false',
    `the outcome should say the link was not emailed (this server sends no mail), says "${delivery}"`,
  );
  return { url, text: (await result.textContent()) ?? '' };
}

/** Invites `email` as `role` in the open dialog; returns the link shown for it. */
async function invite(dialog, email, role) {
  await byTestId(dialog, 'invite-email').fill(email);
  await byTestId(dialog, 'invite-role').selectOption(role);
  await byTestId(dialog, 'invite-submit').click();
  const shown = await shownInvitationLink(dialog, email, `${email} is invited as ${role}`);
  await visible(invitationRow(dialog, email), `${email}'s pending invitation`);
  await attributeIs(invitationRow(dialog, email), 'data-role', role, `${email}'s invited role`);
  await absent(byTestId(dialog, 'invite-error'), `an invite error after inviting ${email}`);
  return shown;
}

/** Opens the inbox list from the bell, on whatever page is shown. */
async function openInbox(page) {
  await (await visible(byTestId(page, 'inbox-bell'), 'the inbox bell')).click();
  return visible(byTestId(page, 'inbox-list'), 'the inbox list');
}

// ---------------------------------------------------------------------------------------
// The scenario: one function per step
// ---------------------------------------------------------------------------------------

/** What the steps learn and hand on. */
const state = {
  mapId: null,
  joinUrl: null,
  publicUrl: null,
  publicWithCommentsUrl: null,
  bobOldLink: null,
  bobLink: null,
  zoeLink: null,
  ana: null,
  other: null,
  dora: null,
};

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

/**
 * (A2) Ana creates a map through the form and is on it at once (first run); Back
 * returns to her maps, where it is listed with her as owner.
 */
async function anaCreatesAMap() {
  const page = state.ana;
  await byTestId(page, 'create-map-title').fill(MAP_TITLE);
  await byTestId(page, 'create-map-itinerary').selectOption('omnichannel');
  await byTestId(page, 'create-map-submit').click();
  await until(`the new map should open, still at ${page.url()}`, () =>
    /^\/maps\/[a-z0-9]{16}$/.test(new URL(page.url()).pathname),
  );
  state.mapId = new URL(page.url()).pathname.split('/').pop();
  await visible(byTestId(page, 'map-title').filter({ hasText: MAP_TITLE }), 'the new map opens at once');
  await attributeIs(byTestId(page, 'map-role'), 'data-role', 'owner', 'the map page says owner');
  await page.goBack();
  await atPath(page, '/', 'Back returns to the maps');
  const row = await visible(
    byTestId(page, 'map-row').filter({ hasText: MAP_TITLE }),
    'the new map in the list',
  );
  const listed = await row.getAttribute('data-map-id');
  check(listed === state.mapId, `the list names map ${listed}, the page opened ${state.mapId}`);
  await attributeIs(byTestId(row, 'map-role'), 'data-role', 'owner', 'Ana owns the new map');
  await row.getByRole('link', { name: MAP_TITLE }).click();
  await atPath(page, `/maps/${state.mapId}`, 'the title links to the map page');
  await visible(byTestId(page, 'map-title').filter({ hasText: MAP_TITLE }), 'the map title');
}

/**
 * (A3) Ana creates an editor share link and invites people: bob@example.com (no
 * account yet) as commenter, then sends his invitation again (a new link); zoe, whose
 * invitation she withdraws; Dora (who has an account) as viewer; Erin, who stays
 * pending. Each invitation's link is shown, to copy; none is emailed here.
 */
async function anaInvitesPeople() {
  const page = state.ana;
  const dialog = await openShareDialog(page);
  state.joinUrl = await createLink(dialog, 'editor');
  await visible(byTestId(dialog, 'link-row').filter({ hasText: 'Editor' }), 'the editor link row');

  const bob = await invite(dialog, 'bob@example.com', 'commenter');
  check(!bob.text.includes('already have an account'), `Bob has no account yet, yet: "${bob.text}"`);
  state.bobOldLink = bob.url;
  await byTestId(invitationRow(dialog, 'bob@example.com'), 'invitation-resend').click();
  const again = await shownInvitationLink(dialog, 'bob@example.com', 'New link for bob@example.com');
  check(again.url !== bob.url, `sending again should give a new link, still ${again.url}`);
  state.bobLink = again.url;
  const rows = await invitationRow(dialog, 'bob@example.com').count();
  check(rows === 1, `sending again should keep one invitation for Bob, found ${rows}`);

  state.zoeLink = (await invite(dialog, 'zoe@example.com', 'editor')).url;
  await byTestId(invitationRow(dialog, 'zoe@example.com'), 'invitation-withdraw').click();
  await gone(invitationRow(dialog, 'zoe@example.com'), "Zoe's withdrawn invitation");
  await absent(byTestId(dialog, 'invitation-error'), 'an invitation error after withdrawing');

  const dora = await invite(dialog, 'dora@example.com', 'viewer');
  check(
    dora.text.includes('already have an account') && dora.text.includes('inbox'),
    `the outcome should say Dora has an account and an inbox item, says "${dora.text}"`,
  );
  await invite(dialog, 'erin@example.com', 'editor');
  await screenshot(page, 'ana-share.png');
}

/**
 * (B) Bob, signed out, opens his first link (replaced) and Zoe's (withdrawn): both say
 * they no longer work. His new link shows the invitation; he signs up through it and
 * lands on the map as commenter. His member list shows no pending invitations.
 */
async function bobSignsUpThroughHisInvitation() {
  const page = await visitor('bob+cleo');
  state.other = page;
  for (const [link, what] of [
    [state.bobOldLink, "Bob's replaced link"],
    [state.zoeLink, "Zoe's withdrawn link"],
  ]) {
    await page.goto(link);
    const error = await visible(byTestId(page, 'invitation-error'), `the "does not work" page for ${what}`);
    const text = (await error.textContent()) ?? '';
    check(text.includes('does not work'), `${what} should say it does not work, says "${text}"`);
    await absent(byTestId(page, 'signup-form'), `a sign-up form for ${what}`);
  }

  await page.goto(state.bobLink);
  const title = await visible(byTestId(page, 'invitation-map-title'), "the invited map's title");
  check((await title.textContent())?.trim() === MAP_TITLE, `the invitation should name "${MAP_TITLE}"`);
  await attributeIs(byTestId(page, 'invitation-role'), 'data-role', 'commenter', 'the invited role');
  const from = (await byTestId(page, 'invitation-from').textContent())?.trim();
  check(from === 'Ana', `the invitation should come from Ana, says "${from}"`);
  await visible(byTestId(page, 'invitation-signin'), 'the sign-in link for existing accounts');
  await visible(byTestId(page, 'signup-form'), 'the sign-up form on the invitation page');
  const email = await byTestId(page, 'signup-email').inputValue();
  check(email === 'bob@example.com', `the sign-up email should start as the invited address, is "${email}"`);
  await screenshot(page, 'bob-invitation.png');

  await byTestId(page, 'signup-name').fill('Bob');
  await byTestId(page, 'signup-password').fill(PASSWORD);
  await byTestId(page, 'signup-submit').click();
  await atPath(page, `/maps/${state.mapId}`, 'signing up through the invitation opens the map');
  await visible(byTestId(page, 'map-title').filter({ hasText: MAP_TITLE }), 'the map title for Bob');
  await attributeIs(byTestId(page, 'map-role'), 'data-role', 'commenter', 'the map page says commenter');
  const name = (await (await visible(byTestId(page, 'user-name'), "Bob's name")).textContent())?.trim();
  check(name === 'Bob', `the header should name Bob, shows "${name}"`);
  const panel = await visible(byTestId(page, 'members-panel'), 'the read-only member list for Bob');
  await visible(memberRow(panel, 'bob@example.com'), "Bob's own row in the member list");
  await absent(byTestId(page, 'invitation-row'), "pending invitations in a commenter's member list");
  await absent(byTestId(page, 'share-open'), 'a Share button for Bob (he is not the owner)');
  await screenshot(page, 'bob-map.png');

  await page.goto(`${BASE}/`);
  const row = await visible(mapRow(page, state.mapId), "Ana's map in Bob's list");
  const role = byTestId(row, 'map-role');
  await attributeIs(role, 'data-role', 'commenter', "Bob's role on Ana's map");
  const label = (await role.textContent())?.trim();
  check(label === 'Commenter', `Bob's role should read "Commenter", reads "${label}"`);
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

/**
 * (E1) Dora, invited while she had an account, finds the invitation in her inbox, but
 * her address is not verified: the inbox says to open the link sent to her. Asking for
 * a verification mail says this server sends none. She opens the verification link
 * (as if mailed); her account page then says verified.
 */
async function doraVerifiesHerAddress() {
  const page = await visitor('dora', SCENARIO.doraToken);
  state.dora = page;
  await page.goto(`${BASE}/account`);
  const status = await visible(byTestId(page, 'account-email-status'), "Dora's email status");
  await attributeIs(status, 'data-verified', 'false', "Dora's address is not verified yet");
  await byTestId(page, 'account-verify-send').click();
  const refused = await visible(byTestId(page, 'account-verify-error'), 'the refusal to send a verification mail');
  const why = (await refused.textContent()) ?? '';
  check(why.includes('mail_off') && why.includes('no mail'), `the refusal should say the server sends no mail: "${why}"`);

  const list = await openInbox(page);
  const item = await visible(
    byTestId(list, 'inbox-item', '[data-kind="invitation"]').filter({ hasText: MAP_TITLE }),
    "Ana's invitation in Dora's inbox",
  );
  await visible(byTestId(item, 'inbox-invitation-unverified'), 'the way in for an unverified address');
  await absent(byTestId(item, 'inbox-invitation-accept'), 'an Accept button for an unverified address');
  await screenshot(page, 'dora-inbox-unverified.png');

  await page.goto(`${BASE}/verify-email/${SCENARIO.doraVerification}`);
  await visible(byTestId(page, 'verify-email-done'), 'the address confirmed');
  await page.goto(`${BASE}/account`);
  await attributeIs(byTestId(page, 'account-email-status'), 'data-verified', 'true', "Dora's address, verified");
  await absent(byTestId(page, 'account-verify-send'), 'the "Send verification email" button once verified');

  await page.goto(`${BASE}/verify-email/${SCENARIO.doraVerification}`);
  await visible(byTestId(page, 'verify-email-error'), 'a used verification link saying it does not work');
}

/**
 * (E2) Verified, Dora accepts from her inbox and lands on the map as viewer; her member
 * list shows no pending invitations (Erin's is).
 */
async function doraAcceptsFromHerInbox() {
  const page = state.dora;
  await page.goto(`${BASE}/`);
  const list = await openInbox(page);
  const item = byTestId(list, 'inbox-item', '[data-kind="invitation"]').filter({ hasText: MAP_TITLE });
  await (await visible(byTestId(item, 'inbox-invitation-accept'), 'Accept on the invitation')).click();
  await atPath(page, `/maps/${state.mapId}`, 'accepting from the inbox opens the map');
  await visible(byTestId(page, 'map-title').filter({ hasText: MAP_TITLE }), 'the map title for Dora');
  await attributeIs(byTestId(page, 'map-role'), 'data-role', 'viewer', 'Dora joined as viewer');
  const panel = await visible(byTestId(page, 'members-panel'), "Dora's member list");
  await visible(memberRow(panel, 'dora@example.com'), "Dora's own row in the member list");
  await absent(byTestId(page, 'invitation-row'), "pending invitations in a viewer's member list");
  await screenshot(page, 'dora-map.png');
}

/** (D1) After a reload Ana's dialog lists Bob, Cleo and Dora; only Erin is pending. */
async function anaSeesTheNewMembers() {
  const page = state.ana;
  await page.reload();
  await visible(byTestId(page, 'map-title').filter({ hasText: MAP_TITLE }), 'the map title after reload');
  const dialog = await openShareDialog(page);
  for (const [email, role] of [
    ['bob@example.com', 'commenter'],
    ['cleo@example.com', 'editor'],
    ['dora@example.com', 'viewer'],
  ]) {
    await visible(memberRow(dialog, email), `${email}'s member row`);
    await attributeIs(memberRow(dialog, email), 'data-role', role, `${email}'s member role`);
  }
  await visible(invitationRow(dialog, 'erin@example.com'), "Erin's pending invitation");
  const pending = await byTestId(dialog, 'invitation-row').count();
  check(pending === 1, `only Erin's invitation should be pending (Bob and Dora accepted), found ${pending}`);
  const members = await byTestId(dialog, 'member-row').count();
  check(members === 4, `Ana, Bob, Cleo and Dora should be the 4 members, found ${members}`);
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
    'invitation_revoked',
    'invitation_accepted',
    'link_accepted',
    'role_changed',
  ]) {
    check(actions.includes(expected), `the audit trail lacks "${expected}": ${actions.join(', ')}`);
  }
}

/**
 * (D3) Ana revokes the editor link, also removing who joined through it: Cleo is no
 * longer a member, and her map list no longer has the map.
 */
async function anaRevokesTheEditorLinkWithItsMembers() {
  // Cleo leaves the map page first (her live connection would be cut off) for her list.
  const cleo = state.other;
  await cleo.goto(`${BASE}/`);
  await visible(mapRow(cleo, state.mapId), "Ana's map in Cleo's list before the revocation");

  const page = state.ana;
  const dialog = byTestId(page, 'share-dialog');
  const row = byTestId(dialog, 'link-row').filter({ hasText: 'Editor' });
  await byTestId(row, 'link-revoke').click();
  await (await visible(byTestId(dialog, 'link-revoke-members'), 'the "also remove" checkbox')).check();
  await screenshot(page, 'ana-revoke-link.png');
  await byTestId(dialog, 'link-revoke-confirm').click();
  await until('the editor link should read Revoked', async () => {
    return ((await byTestId(row, 'link-status').textContent()) ?? '').includes('Revoked');
  });
  await gone(memberRow(dialog, 'cleo@example.com'), "Cleo's member row (she joined through the link)");
  const members = await byTestId(dialog, 'member-row').count();
  check(members === 3, `Ana, Bob and Dora should remain, found ${members} members`);
  await absent(byTestId(dialog, 'link-revoke-error'), 'a revoke error');

  await cleo.reload();
  await visible(byTestId(cleo, 'maps-empty'), "Cleo's map list without Ana's map");
}

/** (D4) Ana creates a public viewer link. */
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
  // By default a public link shows the map only, not the team's discussion.
  await attributeIs(byTestId(dialog, 'link-shows').first(), 'data-comments', 'false', 'a map-only public link');
  let links = await byTestId(dialog, 'link-row').count();
  check(links === 2, `the revoked editor and the public link should be listed, found ${links}`);
  state.publicWithCommentsUrl = await createLink(dialog, 'viewer', { isPublic: true, withComments: true });
  links = await byTestId(dialog, 'link-row').count();
  check(links === 3, `the second public link should be listed too, found ${links}`);
  const shows = await byTestId(dialog, 'link-shows').evaluateAll((els) => els.map((e) => e.dataset.comments).sort());
  check(JSON.stringify(shows) === '["false","true"]', `one public link with comments, one without: ${shows}`);
  await screenshot(page, 'ana-share-final.png');
}

/** (D5) A visitor with no account opens the public link: the map, read-only. */
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
  // The map-only link shows the board without the team's discussion.
  await visible(byTestId(page, 'board'), 'the board by public link');
  await absent(byTestId(page, 'comments-panel'), 'the comments panel by a map-only public link');
  await absent(page.locator('.comment-marker'), 'comment markers by a map-only public link');
  await absent(byTestId(page, 'comments-toggle'), 'the comments toggle by a map-only public link');
  await screenshot(page, 'public-view.png');
  // The link made with comments shows them, read-only.
  await page.goto(state.publicWithCommentsUrl);
  // On this 1280 px screen the panel starts collapsed; the head's button opens it.
  await (await visible(byTestId(page, 'comments-toggle'), 'the Comments button by a public link with comments')).click();
  await visible(byTestId(page, 'comments-panel'), 'the comments panel by a public link with comments');
  await absent(byTestId(page, 'thread-new'), 'a new-thread form for a public visitor');
  await screenshot(page, 'public-view-with-comments.png');
}

/**
 * (F) Ana invites Cleo back as commenter. Cleo, signed out, opens the link, signs in
 * from the invitation page, comes back to it, accepts, and lands on the map.
 */
async function cleoSignsInThroughAnInvitation() {
  const dialog = byTestId(state.ana, 'share-dialog');
  const { url } = await invite(dialog, 'cleo@example.com', 'commenter');

  const page = state.other;
  await (await visible(byTestId(page, 'signout'), 'the Sign out button')).click();
  await atPath(page, '/login', 'Cleo signed out');
  await page.goto(url);
  await visible(byTestId(page, 'invitation-map-title'), 'the invitation, signed out');
  await byTestId(page, 'invitation-signin').click();
  await atPath(page, '/login', 'the sign-in link leads to the sign-in page');
  await byTestId(page, 'login-email').fill('cleo@example.com');
  await byTestId(page, 'login-password').fill(PASSWORD);
  await byTestId(page, 'login-submit').click();
  const invitationPath = new URL(url).pathname;
  await atPath(page, invitationPath, 'after signing in Cleo is back on the invitation');
  await attributeIs(byTestId(page, 'invitation-role'), 'data-role', 'commenter', 'the invited role');
  await (await visible(byTestId(page, 'invitation-accept'), 'the Accept button, signed in')).click();
  await atPath(page, `/maps/${state.mapId}`, 'accepting opens the map');
  await attributeIs(byTestId(page, 'map-role'), 'data-role', 'commenter', 'Cleo is back, as commenter');
  await screenshot(page, 'cleo-accepted.png');
}

const STEPS = [
  anaSignsUp,
  anaCreatesAMap,
  anaInvitesPeople,
  bobSignsUpThroughHisInvitation,
  bobSignsOut,
  cleoJoinsThroughTheLink,
  doraVerifiesHerAddress,
  doraAcceptsFromHerInbox,
  anaSeesTheNewMembers,
  anaChangesBobsRole,
  anaRevokesTheEditorLinkWithItsMembers,
  anaCreatesAPublicLink,
  strangerOpensThePublicLink,
  cleoSignsInThroughAnInvitation,
];

run(STEPS);
