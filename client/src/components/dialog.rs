//! A modal dialog: a titled box over a dimmed page; Escape, the × button or a click
//! beside the box closes it.

use leptos::html::Div;
use leptos::prelude::*;

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
                data-testid=testid>
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
