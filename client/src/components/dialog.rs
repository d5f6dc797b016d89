//! A modal dialog: a titled box over a dimmed page; Escape, the × button or a click
//! beside the box closes it. The keyboard focus moves into the box when it opens,
//! Tab and Shift+Tab go round its controls without leaving it, and the focus goes back
//! to where it was (the button or key that opened it) when it closes.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What Tab stops on inside the box.
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), \
    select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex=\"-1\"])";

/// The dialog frame; `children` are its sections.
#[component]
pub fn Dialog(
    /// The heading (also the dialog's accessible name).
    #[prop(into)]
    title: String,
    /// `data-testid` of the dialog box; the heading's id is `<testid>-heading`.
    testid: &'static str,
    /// `data-testid` of the × button.
    close_testid: &'static str,
    /// Called to close it.
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            on_close.run(());
        }
    });
    on_cleanup(move || escape.remove());
    // Focus: remembered, moved into the box, given back on close.
    let previous = StoredValue::new_local(document().active_element());
    let boxed = NodeRef::<Div>::new();
    boxed.on_load(|el| {
        request_animation_frame(move || {
            let inside = document()
                .active_element()
                .is_some_and(|a| el.contains(Some(a.as_ref())));
            if !inside {
                let _ = el.focus();
            }
        });
    });
    on_cleanup(move || {
        previous.try_with_value(|el| {
            if let Some(el) = el
                .as_ref()
                .filter(|el| el.is_connected())
                .and_then(|el| el.dyn_ref::<web_sys::HtmlElement>())
            {
                let _ = el.focus();
            }
        });
    });
    let keep_focus_inside = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Tab" {
            if let Some(el) = boxed.get_untracked() {
                wrap_tab(&el, &ev);
            }
        }
    };
    let backdrop = NodeRef::<Div>::new();
    let on_backdrop_click = move |ev: leptos::ev::MouseEvent| {
        let on_backdrop = match (ev.target(), backdrop.get()) {
            (Some(target), Some(backdrop)) => {
                js_sys::Object::is(target.as_ref(), backdrop.as_ref())
            }
            _ => false,
        };
        if on_backdrop {
            on_close.run(());
        }
    };
    let heading = format!("{testid}-heading");
    let labelled_by = heading.clone();
    view! {
        <div class="dialog-backdrop" node_ref=backdrop on:click=on_backdrop_click>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby=labelled_by
                data-testid=testid node_ref=boxed tabindex="-1" on:keydown=keep_focus_inside>
                <div class="dialog-head">
                    <h2 id=heading>{title}</h2>
                    <button type="button" class="button-quiet" aria-label=crate::i18n::t().close

                        data-testid=close_testid on:click=move |_| on_close.run(())>"×"</button>
                </div>
                {children()}
            </div>
        </div>
    }
}

/// Tab from the box's last control goes to its first, Shift+Tab from its first (or
/// from the box itself) to its last: the focus stays in the dialog.
fn wrap_tab(dialog: &web_sys::HtmlDivElement, ev: &web_sys::KeyboardEvent) {
    let Ok(list) = dialog.query_selector_all(FOCUSABLE) else {
        return;
    };
    let stops: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        // Shown ones only (a hidden element has no offset parent).
        .filter(|el| el.offset_parent().is_some())
        .collect();
    let (Some(first), Some(last)) = (stops.first(), stops.last()) else {
        ev.prevent_default();
        return;
    };
    let active = document().active_element();
    let is = |el: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| js_sys::Object::is(a.as_ref(), el.as_ref()))
    };
    let on_box = active
        .as_ref()
        .is_some_and(|a| js_sys::Object::is(a.as_ref(), dialog.as_ref()));
    let target = if ev.shift_key() {
        (is(first) || on_box).then_some(last)
    } else {
        is(last).then_some(first)
    };
    if let Some(target) = target {
        ev.prevent_default();
        let _ = target.focus();
    }
}
