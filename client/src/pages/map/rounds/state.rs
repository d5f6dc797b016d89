//! What the rounds' parts share, none of it a component: who runs rounds, how a
//! verdict reads and how many reviewers gave one. (The rounds themselves are kept in
//! the map's [`Comments`], next to the threads, since one event stream refreshes both.)

use parcours_shared::api::{Round, Verdict};

use crate::i18n::t;
use crate::pages::map::comments::Comments;

/// How a reviewer's verdict reads on screen.
pub fn verdict_label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Approve => t().approved,
        Verdict::ChangesRequested => t().changes_requested,
    }
}

/// Editors and owners, signed in and not through a public link, run rounds.
pub fn runs_rounds(c: Comments) -> bool {
    c.can_comment && c.role.can_edit()
}

/// How many of the round's reviewers gave `verdict`.
pub fn count_verdicts(round: &Round, verdict: Verdict) -> usize {
    round
        .reviewers
        .iter()
        .filter(|r| r.verdict == Some(verdict))
        .count()
}
