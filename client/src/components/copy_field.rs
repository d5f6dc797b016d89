//! A read-only URL with a "Copy" button: share links and invitation links, which are
//! shown once and must be passed on.

use leptos::prelude::*;
use wasm_bindgen::JsValue;
use web_sys::HtmlInputElement;

use crate::i18n::t;

/// The URL in a read-only field (focusing it selects it) and a button that copies it to
/// the clipboard, or says to copy by hand where there is no clipboard (plain http).
#[component]
pub fn CopyField(
    /// The URL to show and copy.
    #[prop(into)]
    url: String,
    /// `data-testid` of the field.
    input_testid: &'static str,
    /// `data-testid` of the button.
    button_testid: &'static str,
    /// The button's label before it is used, e.g. "Copy link" ("Copy" by default).
    #[prop(optional)]
    label: Option<&'static str>,
) -> impl IntoView {
    let label = label.unwrap_or(t().copy);
    // None: not tried yet; Some(false): no clipboard here, select by hand.
    let copied = RwSignal::new(None::<bool>);
    let to_copy = url.clone();
    let copy = move |_| {
        let navigator = window().navigator();
        // `navigator.clipboard` only exists in secure contexts (https or localhost).
        let available = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
            .is_ok_and(|clipboard| !clipboard.is_undefined());
        if available {
            // Fire and forget: the promise only fails when the page lacks focus.
            let _ = navigator.clipboard().write_text(&to_copy);
        }
        copied.set(Some(available));
    };
    let select_all = |ev: leptos::ev::FocusEvent| event_target::<HtmlInputElement>(&ev).select();
    view! {
        <div class="form-row">
            <input
                type="text"
                class="field-grow link-url"
                readonly
                aria-label=t().link
                data-testid=input_testid
                prop:value=url
                on:focus=select_all
            />
            <button type="button" class="button-quiet" data-testid=button_testid on:click=copy>
                {move || match copied.get() {
                    None => label,
                    Some(true) => t().copied,
                    Some(false) => t().copy_by_hand,

                }}
            </button>
        </div>
    }
}
