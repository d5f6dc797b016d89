//! The move back, move forward and remove buttons every ordered element's head shares
//! (stages, lanes, personas, paths).

use leptos::html::Button;
use leptos::prelude::*;

/// The move back, move forward and remove buttons of a stage or lane head.
#[component]
pub fn HeadActions(
    /// The element's index and how many there are (tracked).
    place: Signal<(usize, usize)>,
    /// `data-testid`, title and glyph of the "move back" button.
    back: (&'static str, &'static str, &'static str),
    /// The same for "move forward".
    forward: (&'static str, &'static str, &'static str),
    /// `data-testid` and title of the remove button.
    remove: (&'static str, &'static str),
    /// Moves the element to this index.
    on_move: Callback<usize>,
    on_remove: Callback<()>,
) -> impl IntoView {
    let (back_button, forward_button) = (NodeRef::<Button>::new(), NodeRef::<Button>::new());
    // A moved head is put back in its new place (the focus falls to the page) and
    // the button pressed may be disabled there (at an end): the keyboard focus goes
    // back to it, or to the other arrow, once the move is drawn.
    let refocus = move |forward: bool| {
        let (first, second) = if forward {
            (forward_button, back_button)
        } else {
            (back_button, forward_button)
        };
        request_animation_frame(move || {
            let usable = |b: NodeRef<Button>| {
                b.get_untracked()
                    .filter(|b| b.is_connected() && !b.matches(":disabled").unwrap_or(true))
            };
            if let Some(button) = usable(first).or_else(|| usable(second)) {
                let _ = button.focus();
            }
        });
    };
    view! {
        <div class="head-actions">
            <button
                type="button"
                class="icon-button"
                data-testid=back.0
                title=back.1
                node_ref=back_button
                disabled=move || place.get().0 == 0
                on:click=move |_| {
                    on_move.run(place.get_untracked().0.saturating_sub(1));
                    refocus(false);
                }
            >
                {back.2}
            </button>
            <button
                type="button"
                class="icon-button"
                data-testid=forward.0
                title=forward.1
                node_ref=forward_button
                disabled=move || { let (index, count) = place.get(); index + 1 >= count }
                on:click=move |_| {
                    on_move.run(place.get_untracked().0 + 1);
                    refocus(true);
                }
            >
                {forward.2}
            </button>
            <button
                type="button"
                class="icon-button button-danger"
                data-testid=remove.0
                title=remove.1
                on:click=move |_| on_remove.run(())
            >
                "✕"
            </button>
        </div>
    }
}
