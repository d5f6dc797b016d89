//! The banner of an open round: title, due date, progress, instructions and the
//! reviewers' checklist; the reviewer's "mark review done" form; closing it (editors);
//! and what changed on the map since it opened.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_shared::api::{ReviewDone, Verdict};
use parcours_shared::view::MapView;

use super::changes::RoundChanges;
use super::reviewers::reviewer_list;
use super::state::runs_rounds;
use crate::api::{self, ApiError};
use crate::components::error_notice::worded;
use crate::components::error_notice::ApiErrorNotice;
use crate::format::local_date_time;
use crate::i18n::{fill, t};
use crate::live::LiveMap;
use crate::pages::map::comments::Comments;

/// The banner of one open round.
#[component]
pub fn RoundCard(
    /// The round.
    id: String,
    /// The live map, to compare with the round's recorded start.
    live: LiveMap,
    /// The whole map, re-read after every change.
    view: Memo<MapView>,
    /// Called with the round's id once the caller closed it.
    on_closed: Callback<String>,
) -> impl IntoView {
    let c = Comments::get().expect("comments context");
    let key = id.clone();
    let round = Memo::new(move |_| c.rounds.with(|rs| rs.iter().find(|r| r.id == key).cloned()));
    let comparing = RwSignal::new(false);
    let closing = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let rid = StoredValue::new(id.clone());
    let close = move |_| {
        let sure = window()
            .confirm_with_message(t().close_round_confirm)
            .unwrap_or(false);
        if !sure {
            return;
        }
        closing.set(true);
        let map = c.map.get_value();
        let round = rid.get_value();
        spawn_local(async move {
            let result = api::comments::close_round(map, round.clone()).await;
            closing.try_set(false);
            match result {
                Ok(closed) => {
                    c.put_round(closed);
                    on_closed.run(round);
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    // Only the caller's own state re-renders the form, so an update from someone else
    // never wipes what they are typing.
    let to_review = Memo::new(move |_| {
        let me = c.me.get_value();
        c.can_comment
            && round.with(|r| {
                r.as_ref().is_some_and(|r| {
                    r.reviewers
                        .iter()
                        .any(|x| Some(&x.user_id) == me.as_ref() && x.done_at.is_none())
                })
            })
    });
    let body = move || {
        round.get().map(|round| {
            let done = round
                .reviewers
                .iter()
                .filter(|r| r.done_at.is_some())
                .count();
            let total = round.reviewers.len();
            view! {
                <div class="round-head">
                    <b class="round-title" data-testid="round-title">{round.title.clone()}</b>
                    <span class="muted" data-testid="round-due">
                        {fill(t().round_due, &[("due", &local_date_time(round.due_at))])}
                    </span>
                    <span class="muted" data-testid="round-progress">
                        " · " {fill(t().reviews_done, &[("done", &done), ("total", &total)])}
                    </span>
                </div>
                {(!round.instructions.is_empty()).then(|| view! {
                    <p class="round-instructions" data-testid="round-instructions">{round.instructions.clone()}</p>
                })}
                {reviewer_list(&round, "round-reviewer")}
            }
        })
    };
    view! {
        <section class="round-banner" data-testid="round-banner" data-round-id=id.clone()>
            {body}
            {move || to_review.get().then(|| view! { <ReviewForm id=rid.get_value()/> })}
            <div class="round-actions">
                <button type="button" class="button-quiet button-small" data-testid="round-compare-toggle"
                    aria-expanded=move || comparing.get().to_string()
                    on:click=move |_| comparing.update(|o| *o = !*o)>
                    {move || if comparing.get() { t().hide_changes } else { t().changes_since_opened }}
                </button>
                {runs_rounds(c).then(|| view! {
                    <button type="button" class="button-quiet button-small" data-testid="round-close"
                        disabled=move || closing.get() on:click=close>{t().close_round}</button>
                })}
            </div>
            {move || error.get().map(|error| view! { <ApiErrorNotice error testid="round-error"/> })}
            {move || comparing.get().then(|| view! { <RoundChanges id=rid.get_value() live view/> })}
        </section>
    }
}

/// A reviewer's "mark review done" form (shown while their review is not done).
#[component]
fn ReviewForm(id: String) -> impl IntoView {
    let c = Comments::get().expect("comments context");
    let verdict = RwSignal::new(Verdict::Approve.as_str().to_owned());
    let summary = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let round_id = StoredValue::new(id);
    let submit = move || {
        let Some(v) = Verdict::parse(&verdict.get_untracked()) else {
            return;
        };
        let text = summary.get_untracked();
        let body = ReviewDone {
            verdict: v,
            summary: (!text.trim().is_empty()).then_some(text),
        };
        busy.set(true);
        let map = c.map.get_value();
        let round = round_id.get_value();
        spawn_local(async move {
            let result = api::comments::review_done(map, round, body).await;
            busy.try_set(false);
            match result {
                Ok(round) => c.put_round(round),
                Err(e) => {
                    error.try_set(Some(worded(&e)));
                }
            }
        });
    };
    view! {
            <form class="round-review" on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <label>
                    {t().your_verdict} " "
                    <select
                        data-testid="review-verdict"
                        on:change=move |ev| verdict.set(event_target_value(&ev))
                    >
                        <option value="approve">{t().approve}</option>
                        <option value="changes_requested">{t().changes_requested}</option>
                    </select>
                </label>
                <textarea
                    data-testid="review-summary"
                    rows="2"
                    placeholder=t().summary_optional
                    prop:value=move || summary.get()
                    on:input=move |ev| summary.set(event_target_value(&ev))
                ></textarea>
                <button type="submit" class="button-primary" data-testid="review-submit"
                    disabled=move || busy.get()>{t().mark_review_done}</button>

                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            </form>
    }
}
