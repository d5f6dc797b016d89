//! The keyboard shortcuts sheet: `?` anywhere but in a text field (or the topbar's `?`
//! button) opens it; Escape, × or a click beside it closes it.

use leptos::prelude::*;

use crate::components::dialog::Dialog;

/// Every shortcut of the web app: (keys, what they do), grouped under a heading.
const SHORTCUTS: &[(&str, &[(&str, &str)])] = &[
    (
        "Anywhere",
        &[
            ("?", "Show or hide this list"),
            ("Escape", "Close a dialog, a menu or this list"),
            ("Tab / Shift+Tab", "Move to the next / previous control"),
        ],
    ),
    (
        "On the board (editors)",
        &[
            ("Ctrl+Z (⌘Z)", "Undo your last edit"),
            ("Ctrl+Shift+Z or Ctrl+Y", "Redo"),
            ("Enter", "Save the card being typed and leave it"),
            ("Shift+Enter", "New line in a card"),
            (
                "Alt+← / Alt+→",
                "Move the focused card to the previous / next stage",
            ),
            (
                "Alt+↑ / Alt+↓",
                "Move the focused card up / down, across lanes at the ends",
            ),
        ],
    ),
    (
        "On an emotion point",
        &[
            ("↑ or → / ↓ or ←", "Raise / lower the score"),
            ("Home / End", "Lowest / highest score"),
            ("Delete", "Clear the score"),
        ],
    ),
];

/// True when the key press goes to a text field, where `?` is text.
fn typing() -> bool {
    document().active_element().is_some_and(|el| {
        matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            || el.get_attribute("contenteditable").is_some()
    })
}

/// The `?` button of the top bar and the sheet it opens; listens for `?` on the page.
#[component]
pub fn Shortcuts() -> impl IntoView {
    let open = RwSignal::new(false);
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "?" && !ev.ctrl_key() && !ev.meta_key() && !ev.alt_key() && !typing() {
            ev.prevent_default();
            open.update(|o| *o = !*o);
        }
    });
    on_cleanup(move || handle.remove());
    view! {
        <button
            type="button"
            class="button-quiet shortcuts-open"
            data-testid="shortcuts-open"
            aria-label="Keyboard shortcuts"
            aria-keyshortcuts="?"
            title="Keyboard shortcuts (?)"
            on:click=move |_| open.set(true)
        >
            "?"
        </button>
        {move || open.get().then(|| view! {
            <Dialog
                title="Keyboard shortcuts"
                testid="shortcuts"
                close_testid="shortcuts-close"
                on_close=Callback::new(move |()| open.set(false))
            >
                <div class="shortcuts-body">{sheet()}</div>
            </Dialog>
        })}
    }
}

/// The tables of [`SHORTCUTS`].
fn sheet() -> impl IntoView {
    SHORTCUTS
        .iter()
        .map(|(heading, rows)| {
            let rows = rows
                .iter()
                .map(|(keys, does)| {
                    view! {
                        <tr>
                            <th scope="row"><kbd>{*keys}</kbd></th>
                            <td>{*does}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="shortcuts-table">
                    <caption>{*heading}</caption>
                    <tbody>{rows}</tbody>
                </table>
            }
        })
        .collect_view()
}
