//! The pieces of a map's share dialog: people and invitations, share links, ownership
//! and the audit trail. The dialog itself, which loads and changes them, is in
//! `pages::map::share`.

pub mod audit;
pub mod invitations;
pub mod links;
pub mod members;
pub mod transfer;
