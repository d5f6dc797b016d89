//! The side panel of threads and the map head's button that opens and collapses it
//! (with the count of open threads); in the panel, the filter
//! chips (all, open, resolved, mine, this round), the element it is scoped to, the
//! new-thread form and the list of threads.

use leptos::prelude::*;
use parcours_shared::api::{AnchorKind, Thread};
use parcours_shared::ids::UserId;
use parcours_shared::view::MapView;

use super::anchors::anchor_label;
use super::new_thread::NewThreadForm;
use super::state::{remember_open, Comments, Filter};
use super::thread::ThreadItem;
use crate::i18n::{fill, t};
use crate::pages::map::history::EditedLine;

/// The side panel of threads.
#[component]
pub fn CommentsPanel(
    /// The live map, re-read after every change, for anchor labels.
    view: Memo<MapView>,
) -> impl IntoView {
    let Some(c) = Comments::get() else {
        return ().into_any();
    };
    let open_round = Memo::new(move |_| c.open_round().map(|r| r.id));
    // Once the round closes, "This round" gives way to "All".
    Effect::new(move |_| {
        if open_round.with(Option::is_none) && c.filter.get_untracked() == Filter::Round {
            c.filter.set(Filter::All);
        }
    });
    let visible = Memo::new(move |_| {
        let scope = c.scope.get();
        let filter = c.filter.get();
        let me = c.me.get_value();
        let round = open_round.get();
        c.threads.with(|threads| {
            threads
                .iter()
                .filter(|t| scope.as_ref().is_none_or(|a| t.anchor == *a))
                .filter(|t| match filter {
                    Filter::All => true,
                    Filter::Open => !t.resolved,
                    Filter::Resolved => t.resolved,
                    Filter::Mine => me.as_ref().is_some_and(|me| involves(t, me)),
                    // With no round open the chip is hidden; everything shows.
                    Filter::Round => round.is_none() || t.round_id == round,
                })
                .map(|t| t.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let filters = Filter::ALL
        .into_iter()
        .map(|f| {
            // "This round" only while a round is open.
            let hidden = move || f == Filter::Round && open_round.with(Option::is_none);
            view! {
                <button
                    type="button"
                    class="chip"
                    style:display=move || if hidden() { "none" } else { "" }
                    class:chip-active=move || c.filter.get() == f
                    data-testid="thread-filter"
                    data-filter=f.as_str()
                    aria-pressed=move || (c.filter.get() == f).to_string()
                    on:click=move |_| c.filter.set(f)
                >
                    {f.label()}
                </button>
            }
        })
        .collect_view();
    let scope_line = move || {
        c.scope.get().map(|anchor| {
            let label = view.with(|v| anchor_label(&anchor, v));
            let card = (anchor.kind == AnchorKind::Card).then(|| anchor.id.clone());
            view! {
                <p
                    class="comments-scope"
                    data-testid="comments-scope"
                    data-anchor-kind=anchor.kind.as_str()
                    data-anchor-id=anchor.id.clone()
                    data-card-id=card
                >
                    {label}
                    " "
                    <button
                        type="button"
                        class="button-quiet"
                        data-testid="comments-scope-clear"
                        on:click=move |_| c.scope.set(None)
                    >
                        {t().show_all}
                    </button>
                    {card.clone().flatten().map(|id| view! { <br/> <EditedLine id/> })}
                </p>
            }
        })
    };
    view! {
        <div class="comments-dock" style:display=move || if c.open.get() { "" } else { "none" }>
            <aside
                class="comments-panel"
                id="comments-panel"
                data-testid="comments-panel"
                aria-label=t().comments
            >
                <header class="comments-head">
                    <h2>{t().comments}</h2>
                    <div class="chips" role="group" aria-label=t().show_filter>{filters}</div>
                </header>
                {scope_line}
                {move || c.notice.get().map(|n| view! {
                    <p class="notice" role="status" data-testid="mentions-without-access">{n}</p>
                })}
                {move || c.error.get().map(|e| view! {
                    <p class="error" role="alert" data-testid="comments-error">{e}</p>
                })}
                {c.can_comment.then(|| view! { <NewThreadForm/> })}
                <div class="thread-list">
                    <For each=move || visible.get() key=|id| id.clone() let:id>
                        <ThreadItem id view/>
                    </For>
                    {move || visible.with(Vec::is_empty).then(|| view! {
                        <p class="muted" data-testid="threads-empty">{t().no_threads}</p>

                    })}
                </div>
            </aside>
        </div>
    }
    .into_any()
}

/// The map head's Comments button: the count of open threads; opens and collapses
/// the panel (and remembers the choice in this browser).
#[component]
pub fn CommentsToggle() -> impl IntoView {
    let Some(c) = Comments::get() else {
        return ().into_any();
    };
    let open_count = Memo::new(move |_| {
        c.threads
            .with(|ts| ts.iter().filter(|t| !t.resolved).count())
    });
    view! {
        <button
            type="button"
            class="button-quiet comments-toggle"
            data-testid="comments-toggle"
            aria-expanded=move || c.open.get().to_string()
            aria-controls="comments-panel"
            on:click=move |_| {
                let open = !c.open.get_untracked();
                c.open.set(open);
                remember_open(open);
            }
        >
            {move || fill(t().comments_n, &[("n", &open_count.get())])}
        </button>
    }
    .into_any()
}

/// The thread involves `me`: opened, commented or mentioned.
fn involves(thread: &Thread, me: &UserId) -> bool {
    thread.created_by == *me
        || thread
            .comments
            .iter()
            .any(|c| c.author == *me || c.mentions.contains(me))
}
