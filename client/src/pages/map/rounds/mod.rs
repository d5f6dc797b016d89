//! Review rounds on the map page: the banner of each open round (the reviewers'
//! checklist, the reviewer's "mark review done" form, closing it for editors, and what
//! changed on the map since it opened, read against the recorded start), starting a
//! round, and the past rounds with their summaries.
//!
//! - [`section`]: [`Rounds`], the rounds' part of the page: bar, past rounds, banners.
//! - [`state`]: who runs rounds, how verdicts read and count.
//! - [`banner`]: an open round's banner and the reviewer's form.
//! - [`reviewers`]: the list of a round's reviewers.
//! - [`changes`]: what changed on the map since a round opened.
//! - [`start_dialog`]: the dialog that starts a round.
//! - [`summary`]: a closed round's summary.

mod banner;
mod changes;
mod reviewers;
mod section;
mod start_dialog;
mod state;
mod summary;

pub use self::changes::change_words;
pub use self::section::Rounds;
