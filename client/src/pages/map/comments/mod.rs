//! Comment threads on the map: the shared state ([`Comments`], provided as context by
//! the map page), kept fresh by the map's event stream; and the side panel of threads
//! with its filters (open, resolved, mine, this round), replies, resolve and reopen.
//! (The marker every card, stage, lane and cell shows is the board's; it reads
//! [`Comments`].)
//!
//! - [`state`]: [`Comments`] and the panel's [`Filter`](state::Filter).
//! - [`anchors`]: anchors of board elements, their labels, scrolling to them.
//! - [`panel`]: the side panel, its filters and its list.
//! - [`new_thread`]: the new-thread form.
//! - [`thread`]: one thread, its comments and its reply box.

mod anchors;
mod new_thread;
mod panel;
mod state;
mod thread;

pub use self::anchors::{anchor_label, anchor_of, cell_anchor, reveal};
pub use self::panel::{CommentsPanel, CommentsToggle};
pub use self::state::Comments;
