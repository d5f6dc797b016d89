//! One thread of the panel: its anchor and badges, its comments (each editable and
//! deletable by its author), resolve and reopen, and the reply box.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_shared::api::{AnchorKind, Comment, EditComment, NewComment, Thread};
use parcours_shared::ids::UserId;
use parcours_shared::view::MapView;

use super::anchors::{anchor_label, reveal};
use super::state::Comments;
use crate::api;
use crate::components::error_notice::worded;
use crate::format::{edited_ago, local_date_time, now_ms};
use crate::i18n::{fill, t};

/// One thread of the panel.
#[component]
pub fn ThreadItem(
    /// The thread.
    id: String,
    /// The live map, re-read after every change, for the anchor's label.
    view: Memo<MapView>,
) -> impl IntoView {
    let c = Comments::get().expect("comments context");
    let key = id.clone();
    let thread = Memo::new(move |_| {
        c.threads
            .with(|ts| ts.iter().find(|t| t.id == key).cloned())
    });
    let resolved = move || thread.with(|t| t.as_ref().is_some_and(|t| t.resolved));
    let detached = move || thread.with(|t| t.as_ref().is_some_and(|t| t.detached));
    let highlighted = {
        let id = id.clone();
        Memo::new(move |_| c.highlight.with(|h| h.as_deref() == Some(id.as_str())))
    };
    let round_title = move || {
        let round = thread.with(|t| t.as_ref().and_then(|t| t.round_id.clone()))?;
        c.rounds
            .with(|rs| rs.iter().find(|r| r.id == round).map(|r| r.title.clone()))
    };
    let label = move || {
        thread.with(|t| {
            t.as_ref()
                .map(|t| view.with(|v| anchor_label(&t.anchor, v)))
                .unwrap_or_default()
        })
    };
    let card_id = move || {
        thread.with(|t| {
            t.as_ref()
                .filter(|t| t.anchor.kind == AnchorKind::Card)
                .and_then(|t| t.anchor.id.clone())
        })
    };
    let comment_keys = Memo::new(move |_| {
        thread.with(|t| {
            t.as_ref()
                .map(|t| {
                    t.comments
                        .iter()
                        .map(|c| (c.id.clone(), c.edited_at, c.deleted))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let may_resolve = move || thread.with(|t| t.as_ref().is_some_and(|t| c.may_resolve(t)));
    let tid = StoredValue::new(id.clone());
    let reply_id = id.clone();
    let set_resolved = move |value: bool| {
        let map = c.map.get_value();
        let thread = tid.get_value();
        spawn_local(async move {
            match api::comments::set_resolved(map, thread, value).await {
                Ok(_) => {
                    c.error.try_set(None);
                    c.reload();
                }
                Err(error) => {
                    c.error.try_set(Some(worded(&error)));
                }
            }
        });
    };
    view! {
        <article
            class="thread"
            class:thread-resolved=resolved
            class:thread-highlight=highlighted
            data-highlight=move || highlighted.get().to_string()
            data-testid="thread"
            data-thread-id=id.clone()
            data-card-id=card_id
            data-anchor-kind=move || thread.with(|t| t.as_ref().map(|t| t.anchor.kind.as_str()))
            data-anchor-id=move || thread.with(|t| t.as_ref().and_then(|t| t.anchor.id.clone()))
            data-round-id=move || thread.with(|t| t.as_ref().and_then(|t| t.round_id.clone()))
            data-resolved=move || resolved().to_string()
        >
            <header class="thread-head">
                <button
                    type="button"
                    class="thread-anchor"
                    data-testid="thread-anchor"
                    title=t().thread_anchor_title
                    disabled=detached
                    on:click=move |_| {
                        if let Some(anchor) = thread.with_untracked(|t| t.as_ref().map(|t| t.anchor.clone())) {
                            reveal(&anchor);
                            c.focus(anchor);
                        }
                    }
                >
                    {label}
                </button>
                {move || detached().then(|| view! {
                    <span class="badge badge-detached" data-testid="thread-detached"
                        title=t().detached_title>{t().detached}</span>
                })}
                {move || resolved().then(|| view! {
                    <span class="badge badge-resolved" data-testid="thread-resolved-badge">{t().resolved}</span>
                })}
                {move || round_title().map(|title| view! {
                    <span class="badge badge-round" data-testid="thread-round-badge"
                        title=fill(t().round_badge_title, &[("title", &title)])>{t().round_badge}</span>
                })}
            </header>
            <ol class="comments">
                <For each=move || comment_keys.get() key=|k| k.clone() let:k>
                    <CommentItem thread=thread comment_id=k.0/>
                </For>
            </ol>
            <div class="thread-actions">
                {move || (may_resolve() && !resolved()).then(|| view! {
                    <button type="button" class="button-quiet" data-testid="thread-resolve"
                        on:click=move |_| set_resolved(true)>{t().resolve}</button>
                })}
                {move || (may_resolve() && resolved()).then(|| view! {
                    <button type="button" class="button-quiet" data-testid="thread-reopen"
                        on:click=move |_| set_resolved(false)>{t().reopen}</button>
                })}
            </div>
            {c.can_comment.then(|| view! { <ReplyForm thread=reply_id/> })}
        </article>
    }
}

/// One comment; its author may edit or delete it.
#[component]
fn CommentItem(thread: Memo<Option<Thread>>, comment_id: String) -> impl IntoView {
    let c = Comments::get().expect("comments context");
    let comment: Comment = thread
        .with_untracked(|t| {
            t.as_ref()
                .and_then(|t| t.comments.iter().find(|x| x.id == comment_id).cloned())
        })
        .unwrap_or_else(|| Comment {
            id: comment_id.clone(),
            author: UserId(String::new()),
            author_name: String::new(),
            body: String::new(),
            created_at: 0,
            edited_at: None,
            deleted: true,
            mentions: Vec::new(),
        });
    let tid = thread.with_untracked(|t| t.as_ref().map(|t| t.id.clone()).unwrap_or_default());
    let mine = c.can_comment && !comment.deleted && c.is_me(&comment.author);
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(comment.body.clone());
    let ids = StoredValue::new((tid, comment.id.clone()));
    let save = move || {
        let body = draft.get_untracked();
        if body.trim().is_empty() {
            return;
        }
        let map = c.map.get_value();
        let (thread, comment) = ids.get_value();
        spawn_local(async move {
            let result = api::comments::edit_comment(map, thread, comment, EditComment { body })
                .await
                .map(|posted| posted.mentions_without_access);
            if c.posted(result) {
                editing.try_set(false);
            }
        });
    };
    let delete = move || {
        let sure = window()
            .confirm_with_message(t().delete_comment_confirm)
            .unwrap_or(false);
        if !sure {
            return;
        }
        let map = c.map.get_value();
        let (thread, comment) = ids.get_value();
        spawn_local(async move {
            let result = api::comments::delete_comment(map, thread, comment)
                .await
                .map(|()| Vec::new());
            c.posted(result);
        });
    };
    let body_view = if comment.deleted {
        view! { <p class="comment-body muted" data-testid="comment-body">{t().comment_deleted}</p> }
            .into_any()
    } else {
        let text = comment.body.clone();
        view! {
            {move || if editing.get() {
                view! {
                    <form class="comment-edit" on:submit=move |ev| { ev.prevent_default(); save(); }>
                        <textarea data-testid="comment-edit-body" rows="3"
                            prop:value=move || draft.get()
                            on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
                        <button type="submit" class="button-primary" data-testid="comment-edit-save">{t().save}</button>
                        <button type="button" class="button-quiet" on:click=move |_| editing.set(false)>{t().cancel}</button>
                    </form>
                }.into_any()
            } else {
                view! { <p class="comment-body" data-testid="comment-body">{text.clone()}</p> }.into_any()
            }}
        }
        .into_any()
    };
    view! {
        <li class="comment" data-testid="comment" data-comment-id=comment.id.clone()>
            <p class="comment-meta">
                <b data-testid="comment-author">{comment.author_name.clone()}</b>
                " · "
                <span title=local_date_time(comment.created_at)>{edited_ago(comment.created_at, now_ms())}</span>
                {comment.edited_at.map(|_| t().comment_edited)}
            </p>
            {body_view}
            {mine.then(|| view! {
                <p class="comment-tools">
                    <button type="button" class="button-quiet" data-testid="comment-edit"
                        on:click=move |_| { draft.set(draft.get_untracked()); editing.set(true); }>{t().edit}</button>
                    <button type="button" class="button-quiet button-danger" data-testid="comment-delete"
                        on:click=move |_| delete()>{t().delete}</button>
                </p>
            })}
        </li>
    }
}

/// The reply box of a thread.
#[component]
fn ReplyForm(thread: String) -> impl IntoView {
    let c = Comments::get().expect("comments context");
    let body = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let thread = StoredValue::new(thread);
    let submit = move || {
        let text = body.get_untracked();
        if text.trim().is_empty() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        let map = c.map.get_value();
        let thread = thread.get_value();
        spawn_local(async move {
            let result = api::comments::reply(map, thread, NewComment { body: text })
                .await
                .map(|posted| posted.mentions_without_access);
            busy.try_set(false);
            if c.posted(result) {
                body.try_set(String::new());
            }
        });
    };
    view! {
        <form class="reply" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <textarea
                data-testid="reply-body"
                rows="2"
                aria-label=t().reply
                placeholder=t().reply_placeholder
                prop:value=move || body.get()
                on:input=move |ev| body.set(event_target_value(&ev))
            ></textarea>
            <button
                type="submit"
                class="button-quiet"
                data-testid="reply-submit"
                disabled=move || busy.get() || body.with(|b| b.trim().is_empty())
            >
                {t().reply}

            </button>
        </form>
    }
}
