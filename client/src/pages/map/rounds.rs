//! Review rounds on the map page: the banner of each open round (the reviewers'
//! checklist, the reviewer's "mark review done" form, closing it for editors, and what
//! changed on the map since it opened, read against the recorded start), starting a
//! round, and the past rounds with their summaries.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_shared::api::{NewRound, ReviewDone, Round, RoundDetail, UserId, Verdict};
use parcours_shared::review::{diff_views, ChangeKind, ElementKind, MapChange};
use parcours_shared::view::MapView;
use wasm_bindgen::JsValue;

use crate::api::{self, ApiError};
use crate::components::dialog::Dialog;
use crate::components::error_notice::ApiErrorNotice;
use crate::format::{local_date_time, now_ms, role_label, DAY_MS};

use super::board::BoardCtx;
use super::comments::{anchor_label, Comments};

fn verdict_label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Approve => "Approved",
        Verdict::ChangesRequested => "Changes requested",
    }
}

/// Editors and owners, signed in and not through a public link, run rounds.
fn runs_rounds(c: Comments) -> bool {
    c.can_comment && c.role.can_edit()
}

/// The rounds of the map: open rounds' banners, the "start a round" and "past rounds"
/// controls, and their dialogs.
#[component]
pub fn Rounds(
    /// The live map, to compare with a round's recorded start.
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
                            on:click=move |_| starting.set(true)>"Start a review round"</button>
                    })}
                    {(past > 0).then(|| view! {
                        <button type="button" class="button-quiet button-small" data-testid="rounds-history-toggle"
                            aria-expanded=move || history_open.get().to_string()
                            on:click=move |_| history_open.update(|o| *o = !*o)>
                            {format!("Past rounds ({past})")}
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
                                    " · closed " {r.closed_at.map(local_date_time).unwrap_or_default()}
                                    {format!(" · {approved} approved, {changes} changes requested, {} of {} reviews done",
                                        r.reviewers.iter().filter(|x| x.done_at.is_some()).count(),
                                        r.reviewers.len())}
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
            <RoundCard id view on_closed/>
        </For>
        {move || starting.get().then(|| view! {
            <NewRoundDialog on_close=Callback::new(move |()| starting.set(false))/>
        })}
        {move || summary_of.get().map(|id| view! {
            <RoundSummaryDialog id view on_close=Callback::new(move |()| summary_of.set(None))/>
        })}
    }
    .into_any()
}

fn count_verdicts(round: &Round, verdict: Verdict) -> usize {
    round
        .reviewers
        .iter()
        .filter(|r| r.verdict == Some(verdict))
        .count()
}

/// The reviewers and where each one is.
fn reviewer_list(round: &Round, testid: &'static str) -> impl IntoView {
    let items = round
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

/// The banner of one open round.
#[component]
fn RoundCard(id: String, view: Memo<MapView>, on_closed: Callback<String>) -> impl IntoView {
    let c = Comments::get().expect("comments context");
    let key = id.clone();
    let round = Memo::new(move |_| c.rounds.with(|rs| rs.iter().find(|r| r.id == key).cloned()));
    let comparing = RwSignal::new(false);
    let closing = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let rid = StoredValue::new(id.clone());
    let close = move |_| {
        let sure = window()
            .confirm_with_message(
                "Close this review round now? Reviews not done yet stay not done.",
            )
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
                        " · review round, due " {local_date_time(round.due_at)}
                    </span>
                    <span class="muted" data-testid="round-progress">
                        " · " {format!("{done} of {total} reviews done")}
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
                    {move || if comparing.get() { "Hide changes" } else { "What changed since it opened" }}
                </button>
                {runs_rounds(c).then(|| view! {
                    <button type="button" class="button-quiet button-small" data-testid="round-close"
                        disabled=move || closing.get() on:click=close>"Close round"</button>
                })}
            </div>
            {move || error.get().map(|error| view! { <ApiErrorNotice error testid="round-error"/> })}
            {move || comparing.get().then(|| view! { <RoundChanges id=rid.get_value() view/> })}
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
                    error.try_set(Some(e.to_string()));
                }
            }
        });
    };
    view! {
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
    }
}

/// What changed on the map since a round opened: its recorded start against the live
/// map, element by element, with what each changed element read then.
#[component]
fn RoundChanges(id: String, view: Memo<MapView>) -> impl IntoView {
    let c = Comments::get().expect("comments context");
    let map = c.map.get_value();
    let start = LocalResource::new(move || api::comments::start_view(map.clone(), id.clone()));
    // The live map only counts once it has synced (before that it reads as empty).
    let live = use_context::<BoardCtx>().map(|b| b.live);
    let lines = move || {
        if !live.is_some_and(|live| live.synced()) {
            return None;
        }
        let start = start.get()?;
        Some(match start {
            Err(error) => view! { <ApiErrorNotice error testid="round-changes-error"/> }.into_any(),
            Ok(before) => {
                let changes = view.with(|now| diff_views(&before, now));
                if changes.is_empty() {
                    return Some(
                        view! {
                            <p class="muted" data-testid="round-changes-none">
                                "Nothing has changed since the round opened."
                            </p>
                        }
                        .into_any(),
                    );
                }
                let items = changes
                    .iter()
                    .map(|change| change_line(change, &before))
                    .collect_view();
                view! {
                    <p class="muted">{match changes.len() {
                        1 => "1 change since the round opened:".to_owned(),
                        n => format!("{n} changes since the round opened:"),
                    }}</p>
                    <ul class="round-changes-list">{items}</ul>
                }
                .into_any()
            }
        })
    };
    view! {
        <div class="round-changes" data-testid="round-changes">
            {move || lines().unwrap_or_else(|| view! {
                <p class="muted">"Loading the map as it was when the round opened…"</p>
            }.into_any())}
        </div>
    }
}

fn change_line(change: &MapChange, before: &MapView) -> impl IntoView {
    let what = match change.element {
        ElementKind::Map if change.id == "title" => "Title",
        ElementKind::Map => "Objective",
        ElementKind::Persona => "Persona",
        ElementKind::Stage => "Stage",
        ElementKind::Lane => "Lane",
        ElementKind::Card => "Card",
    };
    let how = match change.change {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Changed => "changed",
        ChangeKind::Moved => "moved",
    };
    let was = (change.change == ChangeKind::Changed)
        .then(|| label_in(before, change))
        .flatten()
        .filter(|was| *was != change.label);
    view! {
        <li
            class="round-change"
            data-testid="round-change"
            data-change=how
            data-element=format!("{:?}", change.element).to_lowercase()
            data-id=change.id.clone()
        >
            <span class=format!("change-kind change-{how}")>{format!("{what} {how}")}</span>
            " "
            {(!change.label.is_empty()).then(|| format!("“{}”", change.label))}
            {was.map(|was| view! {
                <span class="muted" data-testid="round-change-was">" (was “" {was} "”)"</span>
            })}
        </li>
    }
}

/// What a changed element read in `before`, cut like the change's own label.
fn label_in(before: &MapView, change: &MapChange) -> Option<String> {
    let text = match change.element {
        ElementKind::Map if change.id == "title" => before.meta.title.clone(),
        ElementKind::Map => before.meta.objective.clone(),
        ElementKind::Persona => before
            .personas
            .iter()
            .find(|p| p.id == change.id)?
            .name
            .clone(),
        ElementKind::Stage => before
            .stages
            .iter()
            .find(|s| s.id == change.id)?
            .name
            .clone(),
        ElementKind::Lane => before
            .lanes
            .iter()
            .find(|l| l.id == change.id)?
            .name
            .clone(),
        ElementKind::Card => before
            .cards
            .iter()
            .chain(&before.orphan_cards)
            .find(|c| c.id == change.id)?
            .text
            .clone(),
    };
    let limit = change.label.chars().count().max(60);
    Some(if text.chars().count() > limit {
        format!("{}…", text.chars().take(limit - 1).collect::<String>())
    } else {
        text
    })
}

/// `YYYY-MM-DDTHH:MM` in the browser's time zone, as a `datetime-local` input shows it.
fn local_input_value(ms: i64) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// The instant a `datetime-local` value names in the browser's time zone.
fn parse_local_input(value: &str) -> Option<i64> {
    if value.trim().is_empty() {
        return None;
    }
    let ms = js_sys::Date::new(&JsValue::from_str(value)).get_time();
    ms.is_finite().then_some(ms as i64)
}

/// The form that opens a round: title, instructions, due date and reviewers (members
/// who may comment).
#[component]
fn NewRoundDialog(on_close: Callback<()>) -> impl IntoView {
    let c = Comments::get().expect("comments context");
    let map = c.map.get_value();
    let members = LocalResource::new(move || api::sharing::members(map.clone()));
    let title = RwSignal::new(String::new());
    let instructions = RwSignal::new(String::new());
    // Three days from now, on the hour.
    let default_due = (now_ms() + 3 * DAY_MS) / 3_600_000 * 3_600_000;
    let due = RwSignal::new(local_input_value(default_due));
    let chosen = RwSignal::new(Vec::<UserId>::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let submit = move || {
        problem.set(None);
        error.set(None);
        let title_text = title.get_untracked().trim().to_owned();
        if title_text.is_empty() {
            problem.set(Some("Give the round a title.".into()));
            return;
        }
        let Some(due_at) = parse_local_input(&due.get_untracked()) else {
            problem.set(Some("Choose a due date.".into()));
            return;
        };
        if due_at <= now_ms() {
            problem.set(Some("The due date must be in the future.".into()));
            return;
        }
        let reviewers = chosen.get_untracked();
        if reviewers.is_empty() {
            problem.set(Some("Choose at least one reviewer.".into()));
            return;
        }
        busy.set(true);
        let map = c.map.get_value();
        let body = NewRound {
            title: title_text,
            instructions: instructions.get_untracked(),
            due_at,
            reviewers,
        };
        spawn_local(async move {
            let result = api::comments::open_round(map, body).await;
            busy.try_set(false);
            match result {
                Ok(round) => {
                    c.put_round(round);
                    on_close.run(());
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    let reviewer_choices = move || {
        members.get().map(|result| match result {
            Err(error) => view! { <ApiErrorNotice error testid="round-new-members-error"/> }.into_any(),
            Ok(list) => {
                let items = list
                    .members
                    .into_iter()
                    .filter(|m| m.role.can_comment())
                    .map(|m| {
                        let user = m.user_id.clone();
                        let checked = {
                            let user = user.clone();
                            move || chosen.with(|c| c.contains(&user))
                        };
                        view! {
                            <li>
                                <label class="check-label">
                                    <input
                                        type="checkbox"
                                        data-testid="round-new-reviewer"
                                        data-user-id=m.user_id.0.clone()
                                        prop:checked=checked
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            let user = user.clone();
                                            chosen.update(|c| {
                                                c.retain(|u| *u != user);
                                                if on {
                                                    c.push(user);
                                                }
                                            });
                                        }
                                    />
                                    " " {m.display_name.clone()}
                                    <span class="muted">" · " {role_label(m.role)} " · " {m.email.clone()}</span>
                                </label>
                            </li>
                        }
                    })
                    .collect_view();
                view! { <ul class="round-new-reviewers">{items}</ul> }.into_any()
            }
        })
    };
    view! {
        <Dialog title="Start a review round" testid="round-new" close_testid="round-new-close" on_close>
            <form class="dialog-section round-new-form" on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <p class="muted">
                    "The map as it is now is recorded as the round's start, so feedback can be read against what reviewers saw."
                </p>
                <label class="field-label" for="round-new-title">"Title"</label>
                <input id="round-new-title" type="text" data-testid="round-new-title" maxlength="200"
                    placeholder="e.g. Friday review of the onboarding journey"
                    prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))/>
                <label class="field-label" for="round-new-instructions">"Instructions"</label>
                <textarea id="round-new-instructions" data-testid="round-new-instructions" rows="3"
                    placeholder="What should reviewers look at?"
                    prop:value=move || instructions.get()
                    on:input=move |ev| instructions.set(event_target_value(&ev))></textarea>
                <label class="field-label" for="round-new-due">"Due"</label>
                <input id="round-new-due" type="datetime-local" data-testid="round-new-due"
                    prop:value=move || due.get()
                    on:input=move |ev| due.set(event_target_value(&ev))/>
                <fieldset class="round-new-fieldset">
                    <legend class="field-label">"Reviewers (members who can comment)"</legend>
                    {move || reviewer_choices().unwrap_or_else(|| view! {
                        <p class="muted">"Loading the members…"</p>
                    }.into_any())}
                </fieldset>
                {move || problem.get().map(|p| view! {
                    <p class="notice notice-error" role="alert" data-testid="round-new-problem">{p}</p>
                })}
                {move || error.get().map(|error| view! { <ApiErrorNotice error testid="round-new-error"/> })}
                <div class="dialog-actions">
                    <button type="button" class="button-quiet" on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="submit" class="button-primary" data-testid="round-new-submit"
                        disabled=move || busy.get()>"Start the round"</button>
                </div>
            </form>
        </Dialog>
    }
}

/// A closed round's summary: reviewers and verdicts, the threads opened and resolved
/// while it was open, and what changed on the map since it opened.
#[component]
fn RoundSummaryDialog(id: String, view: Memo<MapView>, on_close: Callback<()>) -> impl IntoView {
    let c = Comments::get().expect("comments context");
    let map = c.map.get_value();
    let rid = id.clone();
    let detail = LocalResource::new(move || api::comments::round(map.clone(), rid.clone()));
    let title = c
        .rounds
        .with_untracked(|rs| rs.iter().find(|r| r.id == id).map(|r| r.title.clone()))
        .unwrap_or_else(|| "Review round".to_owned());
    let content = move || {
        detail.get().map(|result| match result {
            Err(error) => view! { <ApiErrorNotice error testid="round-summary-error"/> }.into_any(),
            Ok(detail) => summary_body(c, detail, view).into_any(),
        })
    };
    view! {
        <Dialog title=format!("Review round “{title}”") testid="round-summary" close_testid="round-summary-close" on_close>
            {move || content().unwrap_or_else(|| view! { <p class="muted">"Loading the summary…"</p> }.into_any())}
        </Dialog>
    }
}

fn summary_body(c: Comments, detail: RoundDetail, view: Memo<MapView>) -> impl IntoView {
    let RoundDetail { round, summary } = detail;
    let how_closed = match (round.closed_at, round.auto_closed) {
        (Some(at), true) => format!("Closed at its due date, {}", local_date_time(at)),
        (Some(at), false) => format!("Closed by hand, {}", local_date_time(at)),
        (None, _) => format!("Open, due {}", local_date_time(round.due_at)),
    };
    let thread_list = move |ids: Vec<String>, testid: &'static str| {
        if ids.is_empty() {
            return view! { <p class="muted">"None."</p> }.into_any();
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
                        {resolved.then(|| view! { " " <span class="badge badge-resolved">"Resolved"</span> })}
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
                {format!(" · opened {}", local_date_time(round.opened_at))}</p>
            {(!round.instructions.is_empty()).then(|| view! {
                <p class="round-instructions">{round.instructions.clone()}</p>
            })}
            <h3>"Reviewers"</h3>
            {reviewer_list(&round, "summary-reviewer")}
        </section>
        <section class="dialog-section">
            <h3>{format!("Threads opened during the round ({})", opened.len())}</h3>
            {thread_list(opened, "summary-thread-opened")}
            <h3>{format!("Threads resolved during the round ({})", resolved.len())}</h3>
            {thread_list(resolved, "summary-thread-resolved")}
        </section>
        <section class="dialog-section">
            <h3>"What changed on the map since it opened"</h3>
            <RoundChanges id=round.id.clone() view/>
        </section>
    }
}
