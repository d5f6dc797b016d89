//! The strip above the board: who is here, how the connection stands, undo and redo,
//! and the evidence and history toggles.

use leptos::prelude::*;

use super::ctx::BoardCtx;

/// Presence avatars, the connection badge, (for editors) undo and redo, and (for
/// signed-in members) the evidence and history toggles.
#[component]
pub fn Toolbar() -> impl IntoView {
    let ctx = BoardCtx::get();
    let live = ctx.live;
    let avatars = move || {
        live.peers()
            .into_iter()
            .map(|peer| {
                let title = if peer.is_self {
                    format!("{} (you)", peer.state.user.name)
                } else {
                    peer.state.user.name.clone()
                };
                view! {
                    <span
                        class="avatar"
                        class:avatar-self=peer.is_self
                        data-testid="presence-avatar"
                        data-client-id=peer.client_id.to_string()
                        title=title
                        style=format!("background: {}", peer.color())
                    >
                        {peer.initials()}
                    </span>
                }
            })
            .collect_view()
    };
    let state = Memo::new(move |_| live.state());
    view! {
        <div class="board-toolbar">
            <div class="presence" data-testid="presence">{avatars}</div>
            <span
                class="connection"
                data-testid="connection-state"
                data-state=move || state.get().key()
            >
                {move || state.get().label()}
            </span>
            {ctx.can_edit.then(|| view! {
                <div class="history">
                    <button
                        type="button"
                        class="button-quiet button-small"
                        data-testid="undo"
                        title="Undo your last edit (Ctrl+Z)"
                        disabled=move || !live.history().0
                        on:click=move |_| live.undo()
                    >
                        "↶ Undo"
                    </button>
                    <button
                        type="button"
                        class="button-quiet button-small"
                        data-testid="redo"
                        title="Redo (Ctrl+Shift+Z)"
                        disabled=move || !live.history().1
                        on:click=move |_| live.redo()
                    >
                        "↷ Redo"
                    </button>
                </div>
            })}
            {ctx.evidence.filter(|_| !ctx.frozen).map(|e| view! {
                <button
                    type="button"
                    class="button-quiet button-small evidence-toggle"
                    class:evidence-toggle-alone=!ctx.can_edit
                    data-testid="evidence-toggle"
                    title="What customers actually do: metrics per stage, funnel, flows, friction"
                    aria-pressed=move || e.open.get().to_string()
                    on:click=move |_| e.open.update(|o| *o = !*o)
                >
                    "Evidence"
                </button>
            })}
            {ctx.history.map(|h| view! {
                <button
                    type="button"
                    class="button-quiet button-small history-toggle"
                    class:history-toggle-alone=!ctx.can_edit && ctx.evidence.is_none()
                    data-testid="history-toggle"
                    title="Versions, past moments, comparisons and restores"
                    aria-expanded=move || h.open.get().to_string()
                    on:click=move |_| {
                        h.element.set(None);
                        h.open.update(|o| *o = !*o);
                    }
                >
                    "History"
                </button>
            })}
        </div>
    }
}
