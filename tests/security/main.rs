//! Security: each attack scripted against the real server, asserting the refusal and
//! that nothing changed — memberships, roles, inboxes, sessions and the other maps'
//! peers are as they were. Storage-backed cases run on SQLite and PostgreSQL.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

/// Bounded lists, connection caps, frame sizes, peers that stop reading.
mod bounds;
/// Cookies from other sites, tokens in URLs, the security headers.
mod cross_site;
/// Pending invitations, single-use links, unverified addresses, real mail.
mod invitations;
/// Public links never join; revoking a share link can end what it granted.
mod links;
/// Password guessing, forged client addresses, sign-up floods.
mod login;
/// Awareness floods, spoofed presence and claimed names.
mod presence;
/// Signing out, password changes and expiries end live connections.
mod sessions;
/// Rounds after a demotion or removal, concurrent first sign-ups, file modes, metrics.
mod small;
