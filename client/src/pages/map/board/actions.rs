//! The move back, move forward and remove buttons every ordered element's head shares
//! (stages, lanes, personas, paths).

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
    view! {
        <div class="head-actions">
            <button
                type="button"
                class="icon-button"
                data-testid=back.0
                title=back.1
                disabled=move || place.get().0 == 0
                on:click=move |_| on_move.run(place.get_untracked().0.saturating_sub(1))
            >
                {back.2}
            </button>
            <button
                type="button"
                class="icon-button"
                data-testid=forward.0
                title=forward.1
                disabled=move || { let (index, count) = place.get(); index + 1 >= count }
                on:click=move |_| on_move.run(place.get_untracked().0 + 1)
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
