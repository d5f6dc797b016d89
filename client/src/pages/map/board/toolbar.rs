//! The strip above the board: who is here, how the connection stands, undo and redo,
//! and the evidence and history toggles.

use leptos::prelude::*;

use super::ctx::BoardCtx;
use crate::i18n::{fill, t};
use crate::pages::map::follow::{Follow, FollowBar};

/// Presence avatars, the connection badge, (for editors) undo and redo, and (for
/// signed-in members) the evidence and history toggles.
#[component]
pub fn Toolbar() -> impl IntoView {
    let ctx = BoardCtx::get();
    let live = ctx.live;
    let follow = Follow::get();
    let avatars = move || {
        live.peers()
            .into_iter()
            .map(|peer| {
                let name = peer.state.user.name.clone();
                let style = format!("background: {}", peer.color());
                let initials = peer.initials();
                let client = peer.client_id;
                if peer.is_self || follow.is_none() {
                    let title = if peer.is_self {
                        fill(t().you, &[("name", &name)])
                    } else {
                        name
                    };
                    return view! {
                        <span
                            class="avatar"
                            class:avatar-self=peer.is_self
                            data-testid="presence-avatar"
                            data-client-id=client.to_string()
                            title=title.clone()
                            role="img"
                            aria-label=title
                            style=style
                        >
                            {initials}
                        </span>
                    }
                    .into_any();
                }
                let followed = move || follow.is_some_and(|f| f.following.get() == Some(client));
                view! {
                    <button
                        type="button"
                        class="avatar avatar-button"
                        class:avatar-followed=followed
                        data-testid="presence-avatar"
                        data-client-id=client.to_string()
                        title=fill(t().follow_person_title, &[("name", &name)])
                        aria-label=fill(t().follow_person, &[("name", &name)])
                        aria-pressed=move || followed().to_string()
                        style=style
                        on:click=move |_| {
                            if let Some(f) = follow {
                                if followed() {
                                    f.unfollow();
                                } else {
                                    f.follow(client);
                                }
                            }
                        }
                    >
                        {initials}
                    </button>
                }
                .into_any()
            })
            .collect_view()
    };
    let state = Memo::new(move |_| live.state());
    view! {
        <div class="board-toolbar">
            <div class="presence" data-testid="presence">{avatars}</div>
            <FollowBar/>
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
                        title=t().undo_title
                        disabled=move || !live.history().0
                        on:click=move |_| live.undo()
                    >
                        {t().undo}
                    </button>
                    <button
                        type="button"
                        class="button-quiet button-small"
                        data-testid="redo"
                        title=t().redo_title
                        disabled=move || !live.history().1
                        on:click=move |_| live.redo()
                    >
                        {t().redo}
                    </button>
                </div>
            })}
            {ctx.evidence.filter(|_| !ctx.frozen).map(|e| view! {
                <button
                    type="button"
                    class="button-quiet button-small evidence-toggle"
                    class:evidence-toggle-alone=!ctx.can_edit
                    data-testid="evidence-toggle"
                    title=t().evidence_title
                    aria-pressed=move || e.open.get().to_string()
                    on:click=move |_| e.open.update(|o| *o = !*o)
                >
                    {t().evidence}
                </button>
            })}
            {ctx.history.map(|h| view! {
                <button
                    type="button"
                    class="button-quiet button-small history-toggle"
                    class:history-toggle-alone=!ctx.can_edit && ctx.evidence.is_none()
                    data-testid="history-toggle"
                    title=t().history_title
                    aria-expanded=move || h.open.get().to_string()
                    on:click=move |_| {
                        h.element.set(None);
                        h.open.update(|o| *o = !*o);
                    }
                >
                    {t().history}
                </button>
            })}
        </div>
    }
}
