//! The form that opens a thread on the focused element, or on the whole map.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_shared::api::{Anchor, AnchorKind, NewThread};
use wasm_bindgen::JsCast;

use super::state::Comments;
use crate::api;
use crate::i18n::{fill, t};

/// A new thread on the focused element, or on the whole map; while a review round is
/// open it belongs to the round unless the box is unticked.
#[component]
pub fn NewThreadForm() -> impl IntoView {
    let c = Comments::get().expect("comments context");
    let body = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let in_round = RwSignal::new(true);
    let open_round = Memo::new(move |_| c.open_round().map(|r| (r.id, r.title)));
    let submit = move || {
        let text = body.get_untracked();
        if text.trim().is_empty() || busy.get_untracked() {
            return;
        }
        let anchor = c.scope.get_untracked().unwrap_or(Anchor {
            kind: AnchorKind::Map,
            id: None,
        });
        let round_id = open_round
            .get_untracked()
            .filter(|_| in_round.get_untracked())
            .map(|(id, _)| id);
        busy.set(true);
        let map = c.map.get_value();
        spawn_local(async move {
            let result = api::comments::create_thread(
                map,
                NewThread {
                    anchor,
                    body: text,
                    round_id,
                },
            )
            .await
            .map(|posted| posted.mentions_without_access);
            busy.try_set(false);
            if c.posted(result) {
                body.try_set(String::new());
            }
            // The submit button, disabled while posting and again once the text is
            // cleared, drops the keyboard focus to <body>: back to the text.
            request_animation_frame(|| {
                let lost = document()
                    .active_element()
                    .is_none_or(|el| el.tag_name() == "BODY");
                let area = document()
                    .get_element_by_id("thread-body")
                    .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
                if let (true, Some(area)) = (lost, area) {
                    let _ = area.focus();
                }
            });
        });
    };
    view! {
        <form
            class="thread-new"
            data-testid="thread-new"
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <label class="field-label" for="thread-body">
                {move || match c.scope.get().map(|a| a.kind) {
                    Some(AnchorKind::Card) => t().new_thread_card,
                    Some(AnchorKind::Stage) => t().new_thread_stage,
                    Some(AnchorKind::Lane) => t().new_thread_lane,
                    Some(AnchorKind::Cell) => t().new_thread_cell,
                    Some(AnchorKind::Map) | None => t().new_thread_map,
                }}
            </label>
            <textarea
                id="thread-body"
                data-testid="thread-body"
                rows="3"
                placeholder=t().comment_placeholder
                prop:value=move || body.get()
                on:input=move |ev| body.set(event_target_value(&ev))
            ></textarea>
            {move || open_round.get().map(|(_, title)| view! {
                <label class="check-label">
                    <input
                        type="checkbox"
                        data-testid="thread-in-round"
                        prop:checked=move || in_round.get()
                        on:change=move |ev| in_round.set(event_target_checked(&ev))
                    />
                    " " {fill(t().part_of_round, &[("title", &title)])}
                </label>
            })}
            <button
                type="submit"
                class="button-primary"
                data-testid="thread-submit"
                disabled=move || busy.get() || body.with(|b| b.trim().is_empty())
            >
                {t().comment_submit}

            </button>
        </form>
    }
}
