//! The rounds' part of the map page: the bar that starts a round and shows past
//! rounds, the list of past rounds, each open round's banner, and the dialogs that
//! start a round and show a closed one's summary.

use leptos::prelude::*;
use parcours_shared::api::Verdict;
use parcours_shared::view::MapView;

use super::banner::RoundCard;
use super::start_dialog::NewRoundDialog;
use super::state::{count_verdicts, runs_rounds};
use super::summary::RoundSummaryDialog;
use crate::format::local_date_time;
use crate::i18n::{fill, t};
use crate::live::LiveMap;
use crate::pages::map::comments::Comments;

/// The rounds of the map: open rounds' banners, the "start a round" and "past rounds"
/// controls, and their dialogs.
#[component]
pub fn Rounds(
    /// The live map, to compare with a round's recorded start once it has synced.
    live: LiveMap,
    /// The whole map, re-read after every change.
    view: Memo<MapView>,
) -> impl IntoView {
    let Some(c) = Comments::get() else {
        return ().into_any();
    };
    let open_ids = Memo::new(move |_| {
        c.rounds.with(|rounds| {
            rounds
                .iter()
                .filter(|r| r.closed_at.is_none())
                .map(|r| r.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let closed = Memo::new(move |_| {
        c.rounds.with(|rounds| {
            rounds
                .iter()
                .filter(|r| r.closed_at.is_some())
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let starting = RwSignal::new(false);
    let history_open = RwSignal::new(false);
    let summary_of = c.summary_of;
    let on_closed = Callback::new(move |id: String| summary_of.set(Some(id)));
    let bar = move || {
        let can_start = runs_rounds(c);
        let past = closed.with(Vec::len);
        (can_start || past > 0).then(|| {
            view! {
                <div class="rounds-bar">
                    {can_start.then(|| view! {
                        <button type="button" class="button-quiet button-small" data-testid="round-start"
                            on:click=move |_| starting.set(true)>{t().start_round}</button>
                    })}
                    {(past > 0).then(|| view! {
                        <button type="button" class="button-quiet button-small" data-testid="rounds-history-toggle"
                            aria-expanded=move || history_open.get().to_string()
                            on:click=move |_| history_open.update(|o| *o = !*o)>
                            {fill(t().past_rounds, &[("n", &past)])}
                        </button>
                    })}
                </div>
            }
        })
    };
    let history = move || {
        history_open.get().then(|| {
            let rows = closed
                .get()
                .into_iter()
                .map(|r| {
                    let id = r.id.clone();
                    let approved = count_verdicts(&r, Verdict::Approve);
                    let changes = count_verdicts(&r, Verdict::ChangesRequested);
                    view! {
                        <li>
                            <button type="button" class="round-past" data-testid="round-past"
                                data-round-id=r.id.clone()
                                on:click=move |_| summary_of.set(Some(id.clone()))>
                                <b>{r.title.clone()}</b>
                                <span class="muted">
                                    {fill(t().round_closed_at, &[("at", &r.closed_at.map(local_date_time).unwrap_or_default())])}
                                    {fill(t().round_past_counts, &[
                                        ("approved", &approved),
                                        ("changes", &changes),
                                        ("done", &r.reviewers.iter().filter(|x| x.done_at.is_some()).count()),
                                        ("total", &r.reviewers.len()),
                                    ])}

                                </span>
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="rounds-history" data-testid="rounds-history">{rows}</ul> }
        })
    };
    view! {
        {bar}
        {history}
        <For each=move || open_ids.get() key=|id| id.clone() let:id>
            <RoundCard id live view on_closed/>
        </For>
        {move || starting.get().then(|| view! {
            <NewRoundDialog on_close=Callback::new(move |()| starting.set(false))/>
        })}
        {move || summary_of.get().map(|id| view! {
            <RoundSummaryDialog id live view on_close=Callback::new(move |()| summary_of.set(None))/>
        })}
    }
    .into_any()
}
