//! The keyboard shortcuts sheet: `?` anywhere but in a text field (or the topbar's `?`
//! button) opens it; Escape, × or a click beside it closes it.

use leptos::prelude::*;

use crate::components::dialog::Dialog;
use crate::i18n::t;

/// Every shortcut of the web app: (heading, [(keys, what they do)]), in the language
/// shown.
fn shortcuts() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    let t = t();
    vec![
        (
            t.sc_anywhere,
            vec![
                ("?", t.sc_toggle),
                (t.sc_escape_keys, t.sc_escape),
                (t.sc_tab_keys, t.sc_tab),
                ("← → ↑ ↓", t.sc_next_card),
            ],
        ),
        (
            t.sc_board,
            vec![
                ("Ctrl+Z (⌘Z)", t.sc_undo),
                (t.sc_redo_keys, t.sc_redo),
                (t.sc_enter_keys, t.sc_enter),
                (t.sc_shift_enter_keys, t.sc_new_line),
                ("Alt+← / Alt+→", t.sc_move_stage),
                ("Alt+↑ / Alt+↓", t.sc_move_lane),
            ],
        ),
        (
            t.sc_emotion,
            vec![
                ("↑ → / ↓ ←", t.sc_raise),
                (t.sc_home_end_keys, t.sc_extremes),
                (t.sc_delete_keys, t.sc_clear),
            ],
        ),
    ]
}

/// True when key presses go to a text field (where `?` is text and Ctrl+Z undoes the
/// typing): every page-wide shortcut checks this first.
pub fn typing() -> bool {
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
            aria-label=t().shortcuts
            aria-keyshortcuts="?"
            title=t().shortcuts_button
            on:click=move |_| open.set(true)
        >
            "?"
        </button>
        {move || open.get().then(|| view! {
            <Dialog
                title=t().shortcuts
                testid="shortcuts"
                close_testid="shortcuts-close"
                on_close=Callback::new(move |()| open.set(false))
            >
                <div class="shortcuts-body">{sheet()}</div>
            </Dialog>
        })}
    }
}

/// The tables of [`shortcuts`].
fn sheet() -> impl IntoView {
    shortcuts()
        .into_iter()
        .map(|(heading, rows)| {
            let rows = rows
                .into_iter()
                .map(|(keys, does)| {
                    view! {
                        <tr>
                            <th scope="row"><kbd>{keys}</kbd></th>
                            <td>{does}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="shortcuts-table">
                    <caption>{heading}</caption>
                    <tbody>{rows}</tbody>
                </table>
            }
        })
        .collect_view()
}
