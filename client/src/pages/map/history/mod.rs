//! The map's version history, for signed-in members (a public link sees the live map
//! only): the history panel (naming a version, a slider through the last day's
//! changes, the versions), viewing any of them read-only in place of the live board
//! with a banner back to live, comparing (the changes listed and marked on the board),
//! one element's history with "Restore this", restoring a version with an undo, and
//! what changed since the last visit.
//!
//! - [`state`]: [`History`], the context the page and the board read, and its actions.
//! - [`words`]: how times, versions, authors and changed fields read.
//! - [`panel`]: the panel and the "name this version" form.
//! - [`versions`]: the list of versions.
//! - [`moments`]: the slider through the last day's changes.
//! - [`element`]: one element's history, and the "Edited by …" line.
//! - [`notices`]: the banner of the past, the comparison, the restore notice, what
//!   changed since the last visit.

mod element;
mod moments;
mod notices;
mod panel;
mod state;
mod versions;
mod words;

pub use self::element::EditedLine;
pub use self::notices::HistoryNotices;
pub use self::panel::HistoryPanel;
pub use self::state::{History, Marks, Past, PastSource};
