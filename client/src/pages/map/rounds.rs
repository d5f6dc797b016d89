//! The open review round's banner: title, due date, instructions, the reviewers'
//! checklist, and for a reviewer not done yet the "mark review done" form.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_shared::api::{ReviewDone, Round, Verdict};

use crate::api;
use crate::format::local_date_time;

use super::comments::Comments;

fn verdict_label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Approve => "Approved",
        Verdict::ChangesRequested => "Changes requested",
    }
}

/// The banner of the map's open review round, if any.
#[component]
pub fn RoundBanner() -> impl IntoView {
    let Some(c) = Comments::get() else {
        return ().into_any();
    };
    let open = Memo::new(move |_| {
        c.rounds
            .with(|rounds| rounds.iter().find(|r| r.closed_at.is_none()).cloned())
    });
    (move || open.get().map(|round| view! { <RoundCard round/> })).into_any()
}

#[component]
fn RoundCard(round: Round) -> impl IntoView {
    let c = Comments::get().expect("comments context");
    let me = c.me.get_value();
    let mine = me
        .as_ref()
        .and_then(|me| round.reviewers.iter().find(|r| &r.user_id == me));
    let to_review = c.can_comment && mine.is_some_and(|r| r.done_at.is_none());
    let done = round
        .reviewers
        .iter()
        .filter(|r| r.done_at.is_some())
        .count();
    let total = round.reviewers.len();
    let reviewers = round
        .reviewers
        .iter()
        .map(|r| {
            let state = match (r.done_at, r.verdict) {
                (Some(_), Some(v)) => verdict_label(v).to_owned(),
                (Some(_), None) => "Done".to_owned(),
                _ => "Not done yet".to_owned(),
            };
            view! {
                <li
                    class="round-reviewer"
                    class:round-reviewer-done=r.done_at.is_some()
                    data-testid="round-reviewer"
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
    let verdict = RwSignal::new(Verdict::Approve.as_str().to_owned());
    let summary = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let round_id = StoredValue::new(round.id.clone());
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
                Ok(round) => {
                    c.rounds.try_update(|rounds| {
                        if let Some(r) = rounds.iter_mut().find(|r| r.id == round.id) {
                            *r = round;
                        }
                    });
                    c.reload_rounds();
                }
                Err(e) => {
                    error.try_set(Some(e.to_string()));
                }
            }
        });
    };
    view! {
        <section class="round-banner" data-testid="round-banner" data-round-id=round.id.clone()>
            <div class="round-head">
                <b class="round-title" data-testid="round-title">{round.title.clone()}</b>
                <span class="muted" data-testid="round-due">
                    " · review round, due " {local_date_time(round.due_at)}
                </span>
                <span class="muted">" · " {format!("{done} of {total} reviews done")}</span>
            </div>
            {(!round.instructions.is_empty()).then(|| view! {
                <p class="round-instructions">{round.instructions.clone()}</p>
            })}
            <ul class="round-reviewers">{reviewers}</ul>
            {to_review.then(|| view! {
                <form class="round-review" on:submit=move |ev| { ev.prevent_default(); submit(); }>
                    <label>
                        "Your verdict "
                        <select
                            data-testid="review-verdict"
                            on:change=move |ev| verdict.set(event_target_value(&ev))
                        >
                            <option value="approve">"Approve"</option>
                            <option value="changes_requested">"Changes requested"</option>
                        </select>
                    </label>
                    <textarea
                        data-testid="review-summary"
                        rows="2"
                        placeholder="Summary (optional)"
                        prop:value=move || summary.get()
                        on:input=move |ev| summary.set(event_target_value(&ev))
                    ></textarea>
                    <button type="submit" class="button-primary" data-testid="review-submit"
                        disabled=move || busy.get()>"Mark review done"</button>
                    {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                </form>
            })}
        </section>
    }
}
