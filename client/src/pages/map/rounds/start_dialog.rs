//! The dialog that starts a review round: title, instructions, due date and the
//! reviewers to ask.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_shared::api::NewRound;
use parcours_shared::ids::UserId;
use wasm_bindgen::JsValue;

use crate::api::{self, ApiError};
use crate::components::dialog::Dialog;
use crate::components::error_notice::ApiErrorNotice;
use crate::format::{now_ms, role_label, DAY_MS};
use crate::i18n::t;
use crate::pages::map::comments::Comments;

/// The form that opens a round: title, instructions, due date and reviewers (members
/// who may comment).
#[component]
pub fn NewRoundDialog(
    /// Called to close it, after the round is started or when cancelled.
    on_close: Callback<()>,
) -> impl IntoView {
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
            problem.set(Some(t().round_needs_title.into()));
            return;
        }
        let Some(due_at) = parse_local_input(&due.get_untracked()) else {
            problem.set(Some(t().round_needs_due.into()));
            return;
        };
        if due_at <= now_ms() {
            problem.set(Some(t().round_due_in_future.into()));
            return;
        }
        let reviewers = chosen.get_untracked();
        if reviewers.is_empty() {
            problem.set(Some(t().round_needs_reviewer.into()));
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
        <Dialog title=t().start_round testid="round-new" close_testid="round-new-close" on_close>
            <form class="dialog-section round-new-form" on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <p class="muted">{t().round_start_recorded}</p>
                <label class="field-label" for="round-new-title">{t().title}</label>
                <input id="round-new-title" type="text" data-testid="round-new-title" maxlength="200"
                    placeholder=t().round_title_placeholder
                    prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))/>
                <label class="field-label" for="round-new-instructions">{t().instructions}</label>
                <textarea id="round-new-instructions" data-testid="round-new-instructions" rows="3"
                    placeholder=t().instructions_placeholder
                    prop:value=move || instructions.get()
                    on:input=move |ev| instructions.set(event_target_value(&ev))></textarea>
                <label class="field-label" for="round-new-due">{t().due}</label>
                <input id="round-new-due" type="datetime-local" data-testid="round-new-due"
                    prop:value=move || due.get()
                    on:input=move |ev| due.set(event_target_value(&ev))/>
                <fieldset class="round-new-fieldset">
                    <legend class="field-label">{t().reviewers_legend}</legend>
                    {move || reviewer_choices().unwrap_or_else(|| view! {
                        <p class="muted">{t().loading_members}</p>
                    }.into_any())}
                </fieldset>
                {move || problem.get().map(|p| view! {
                    <p class="notice notice-error" role="alert" data-testid="round-new-problem">{p}</p>
                })}
                {move || error.get().map(|error| view! { <ApiErrorNotice error testid="round-new-error"/> })}
                <div class="dialog-actions">
                    <button type="button" class="button-quiet" on:click=move |_| on_close.run(())>{t().cancel}</button>
                    <button type="submit" class="button-primary" data-testid="round-new-submit"
                        disabled=move || busy.get()>{t().start_the_round}</button>

                </div>
            </form>
        </Dialog>
    }
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
