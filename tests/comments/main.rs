//! Async comment rounds over the REST API and the event streams, on both databases:
//! permissions per role, anchoring and detached threads, mentions and the inbox, a
//! round from opening to auto-close (on a hand-moved clock), the recorded start view,
//! and live delivery to a watching editor.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

/// The accounts and the map a comment test starts from.
mod team;

mod anchoring;
mod inbox;
mod live;
mod mentions;
mod permissions;
mod rounds;
