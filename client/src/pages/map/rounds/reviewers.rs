//! The list of a round's reviewers and where each one is, shown in an open round's
//! banner and in a closed round's summary.

use leptos::prelude::*;
use parcours_shared::api::{Round, Verdict};

use super::state::verdict_label;
use crate::i18n::t;

/// The reviewers and where each one is.
pub fn reviewer_list(round: &Round, testid: &'static str) -> impl IntoView {
    let items = round
        .reviewers
        .iter()
        .map(|r| {
            let state = match (r.done_at, r.verdict) {
                (Some(_), Some(v)) => verdict_label(v).to_owned(),
                (Some(_), None) => t().review_done.to_owned(),
                _ => t().review_not_done.to_owned(),
            };
            view! {
                <li
                    class="round-reviewer"
                    class:round-reviewer-done=r.done_at.is_some()
                    data-testid=testid
                    data-user-id=r.user_id.0.clone()
                    data-done=r.done_at.is_some().to_string()
                    data-verdict=r.verdict.map(Verdict::as_str).unwrap_or_default()
                >
                    <span class="round-check" aria-hidden="true">
                        {if r.done_at.is_some() { "☑" } else { "☐" }}
                    </span>
                    " " <b>{r.display_name.clone()}</b> " · " {state}
                    {r.summary.clone().filter(|s| !s.is_empty()).map(|s| view! {
                        <span class="muted">" — " {s}</span>
                    })}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="round-reviewers">{items}</ul> }
}
