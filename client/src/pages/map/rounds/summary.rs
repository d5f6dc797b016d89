//! A closed round's summary: how it closed, its reviewers and verdicts, the threads
//! opened and resolved while it was open, and what changed on the map since it opened.

use leptos::prelude::*;
use parcours_shared::api::RoundDetail;
use parcours_shared::view::MapView;

use super::changes::RoundChanges;
use super::reviewers::reviewer_list;
use crate::api;
use crate::components::dialog::Dialog;
use crate::components::error_notice::ApiErrorNotice;
use crate::format::local_date_time;
use crate::i18n::{fill, t};
use crate::live::LiveMap;
use crate::pages::map::comments::{anchor_label, Comments};

/// A closed round's summary: reviewers and verdicts, the threads opened and resolved
/// while it was open, and what changed on the map since it opened.
#[component]
pub fn RoundSummaryDialog(
    /// The round.
    id: String,
    /// The live map, to compare with the round's recorded start.
    live: LiveMap,
    /// The whole map, re-read after every change.
    view: Memo<MapView>,
    /// Called to close it.
    on_close: Callback<()>,
) -> impl IntoView {
    let c = Comments::get().expect("comments context");
    let map = c.map.get_value();
    let rid = id.clone();
    let detail = LocalResource::new(move || api::comments::round(map.clone(), rid.clone()));
    let title = c
        .rounds
        .with_untracked(|rs| rs.iter().find(|r| r.id == id).map(|r| r.title.clone()))
        .unwrap_or_else(|| t().review_round.to_owned());
    let content = move || {
        detail.get().map(|result| match result {
            Err(error) => view! { <ApiErrorNotice error testid="round-summary-error"/> }.into_any(),
            Ok(detail) => summary_body(c, detail, live, view).into_any(),
        })
    };
    view! {
        <Dialog title=fill(t().review_round_named, &[("title", &title)]) testid="round-summary" close_testid="round-summary-close" on_close>
            {move || content().unwrap_or_else(|| view! { <p class="muted">{t().loading_summary}</p> }.into_any())}
        </Dialog>
    }
}

/// The summary's sections, once the round's detail is loaded.
fn summary_body(
    c: Comments,
    detail: RoundDetail,
    live: LiveMap,
    view: Memo<MapView>,
) -> impl IntoView {
    let RoundDetail { round, summary } = detail;
    let how_closed = match (round.closed_at, round.auto_closed) {
        (Some(at), true) => fill(t().closed_on_due, &[("at", &local_date_time(at))]),
        (Some(at), false) => fill(t().closed_by_hand, &[("at", &local_date_time(at))]),
        (None, _) => fill(t().open_due, &[("at", &local_date_time(round.due_at))]),
    };
    let thread_list = move |ids: Vec<String>, testid: &'static str| {
        if ids.is_empty() {
            return view! { <p class="muted">{t().none}</p> }.into_any();
        }
        let items = ids
            .into_iter()
            .map(|id| {
                let thread = c
                    .threads
                    .with_untracked(|ts| ts.iter().find(|t| t.id == id).cloned());
                let (label, first, resolved) = match &thread {
                    Some(t) => (
                        view.with_untracked(|v| anchor_label(&t.anchor, v)),
                        t.comments
                            .first()
                            .filter(|c| !c.deleted)
                            .map(|c| format!("{}: {}", c.author_name, c.body))
                            .unwrap_or_default(),
                        t.resolved,
                    ),
                    None => (String::new(), String::new(), false),
                };
                view! {
                    <li data-testid=testid data-thread-id=id data-resolved=resolved.to_string()>
                        <span class="muted">{label}</span> " " {first}
                        {resolved.then(|| view! { " " <span class="badge badge-resolved">{t().resolved}</span> })}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="round-summary-threads">{items}</ul> }.into_any()
    };
    let (opened, resolved) = summary
        .map(|s| (s.threads_opened, s.threads_resolved))
        .unwrap_or_default();
    view! {
        <section class="dialog-section" data-round-id=round.id.clone()>
            <p class="muted" data-testid="round-summary-closed">{how_closed}
                {fill(t().round_opened_at, &[("at", &local_date_time(round.opened_at))])}</p>
            {(!round.instructions.is_empty()).then(|| view! {
                <p class="round-instructions">{round.instructions.clone()}</p>
            })}
            <h3>{t().reviewers}</h3>
            {reviewer_list(&round, "summary-reviewer")}
        </section>
        <section class="dialog-section">
            <h3>{fill(t().threads_opened_in_round, &[("n", &opened.len())])}</h3>
            {thread_list(opened, "summary-thread-opened")}
            <h3>{fill(t().threads_resolved_in_round, &[("n", &resolved.len())])}</h3>
            {thread_list(resolved, "summary-thread-resolved")}
        </section>
        <section class="dialog-section">
            <h3>{t().changed_since_opened}</h3>

            <RoundChanges id=round.id.clone() live view/>
        </section>
    }
}
