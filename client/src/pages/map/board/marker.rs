//! The comment marker every card, stage, lane and cell shows: the count of its open
//! threads, read from the map's [`Comments`]; a click (or Enter) opens the comments
//! panel on it, with the focus in the new comment's text for those who may comment.

use leptos::prelude::*;
use parcours_shared::api::{Anchor, AnchorKind};

use super::ctx::BoardCtx;
use super::layout::focus_when_shown;
use crate::i18n::{fill, t};
use crate::pages::map::comments::Comments;

/// The comment marker of a card, stage, lane or cell: the count of its open threads;
/// a click opens the panel on it. Readers see it only where there is something to read.
#[component]
pub fn CommentMarker(
    /// What the marker stands for.
    anchor: Anchor,
    /// Extra class placing it (`comment-marker-inline` in stage and lane heads,
    /// `comment-marker-cell` in a cell).
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    let Some(comments) = Comments::get() else {
        return ().into_any();
    };
    // A past board is not commented on.
    if use_context::<BoardCtx>().is_some_and(|ctx| ctx.frozen) {
        return ().into_any();
    }
    let anchor = StoredValue::new(anchor);
    let counts = Memo::new(move |_| anchor.with_value(|a| comments.thread_counts(a)));
    let count = Memo::new(move |_| counts.get().0);
    let any = Memo::new(move |_| counts.get().1 > 0);
    let what = anchor.with_value(|a| match a.kind {
        AnchorKind::Card => t().this_card,
        AnchorKind::Stage => t().this_stage,
        AnchorKind::Lane => t().this_lane,
        AnchorKind::Cell => t().this_cell,
        AnchorKind::Map => t().the_map,
    });
    let (kind, id) = anchor.with_value(|a| (a.kind.as_str(), a.id.clone().unwrap_or_default()));
    let shown = move || comments.can_comment || any.get();
    let marker = move || {
        let id = id.clone();
        view! {
        <button
            type="button"
            class=format!("comment-marker {class}")
            class:comment-marker-empty=move || count.get() == 0
            data-testid="comment-marker"
            data-anchor-kind=kind
            data-anchor-id=id
            data-count=move || count.get().to_string()
            title=move || match count.get() {
                0 => fill(t().comments_on, &[("what", &what)]),
                1 => fill(t().one_thread_on, &[("what", &what)]),
                n => fill(t().n_threads_on, &[("n", &n), ("what", &what)]),

            }
            on:click=move |ev| {
                ev.stop_propagation();
                comments.focus(anchor.get_value());
                // Straight to the new comment's text: the panel is far from the board
                // in the Tab order.
                if comments.can_comment {
                    focus_when_shown("[data-testid=thread-body]".to_owned());
                }
            }
        >
            <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
                <path
                    d="M2 2.5h12v8.5H7l-3.5 3v-3H2z"
                    fill="none"
                    stroke="currentColor"
                    stroke-width="1.5"
                    stroke-linejoin="round"
                ></path>
            </svg>
            <span class="comment-marker-count">{move || count.get()}</span>
        </button>
        }
    };
    view! { <Show when=shown>{marker.clone()}</Show> }.into_any()
}
