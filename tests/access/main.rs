//! Accounts, sessions and roles, enforced on every REST route and on the live socket,
//! on SQLite and PostgreSQL: the authorization matrix, what read-only and removed
//! members' sockets can do, public and share links, invitations, and the accounts
//! themselves (sign-up, login limits, secrets, owners demoting each other).

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

/// Session tokens forged, expired or signed with another key.
mod tokens;

mod accounts;
mod invitations;
mod links;
mod matrix;
mod sockets;
