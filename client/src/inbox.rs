//! The inbox bell of the top bar: the unread count, kept live by `GET /api/inbox/events`,
//! and a list of the newest items (mentions, replies, review requests, rounds due soon
//! or closed) that opens the item's map on what it is about (the thread, or the round)
//! and marks it read. An invitation is accepted from the list instead (verified
//! addresses only), which then opens the map.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_shared::api::{Inbox, InboxItem, InboxKind, MarkRead};
use parcours_shared::MapId;

use crate::api;
use crate::auth::Auth;
use crate::components::inbox_invitation::InboxInvitation;
use crate::format::{edited_ago, local_date_time, now_ms};
use crate::i18n::forms::inbox_line;
use crate::i18n::t;
use crate::live::events;
use crate::route::Route;
use crate::router::Router;

/// What the map page should show once it is open: the inbox item the user clicked
/// (context of the app; the map page's comments take it once its threads and rounds
/// are loaded).
#[derive(Clone, Copy)]
pub struct InboxTarget(pub RwSignal<Option<InboxItem>>);

impl InboxTarget {
    /// Provides an empty target as context (once, at the app's root).
    pub fn install() {
        provide_context(InboxTarget(RwSignal::new(None)));
    }

    pub fn get() -> Option<InboxTarget> {
        use_context::<InboxTarget>()
    }
}

fn kind_label(kind: InboxKind) -> &'static str {
    match kind {
        InboxKind::Mention => t().inbox_mention,
        InboxKind::Reply => t().inbox_reply,
        InboxKind::ReviewRequest => t().inbox_review_request,
        InboxKind::RoundDueSoon => t().inbox_due_soon,
        InboxKind::RoundClosed => t().inbox_round_closed,
        InboxKind::Invitation => t().inbox_invitation,
    }
}

/// The bell and its drop-down list (signed in only).
#[component]
pub fn InboxBell() -> impl IntoView {
    let router = Router::get();
    let target = InboxTarget::get();
    let inbox = RwSignal::new(Inbox {
        items: Vec::new(),
        unread: 0,
        more: false,
    });
    // Pages older than the first, loaded by "Load older", and whether more remain.
    let older = RwSignal::new(Vec::<InboxItem>::new());
    let older_more = RwSignal::new(None::<bool>);
    let loading_older = RwSignal::new(false);
    let items = Memo::new(move |_| {
        let mut items = inbox.with(|i| i.items.clone());
        let oldest = items.last().map(|i| i.id).unwrap_or(i64::MAX);
        older.with(|o| items.extend(o.iter().filter(|i| i.id < oldest).cloned()));
        items
    });
    let more = move || older_more.get().unwrap_or_else(|| inbox.with(|i| i.more));
    let load_older = move || {
        let Some(before) = items.with_untracked(|i| i.last().map(|i| i.id)) else {
            return;
        };
        loading_older.set(true);
        spawn_local(async move {
            if let Ok(page) = api::comments::inbox_before(before).await {
                older.try_update(|o| {
                    o.retain(|i| i.id > before);
                    o.extend(page.items);
                });
                older_more.try_set(Some(page.more));
            }
            loading_older.try_set(false);
        });
    };
    let open = RwSignal::new(false);
    let generation = StoredValue::new(0u64);
    let reload = move || {
        let Some(mine) = generation.try_update_value(|g| {
            *g += 1;
            *g
        }) else {
            return;
        };
        spawn_local(async move {
            if let Ok(fresh) = api::comments::inbox().await {
                if generation.try_get_value() == Some(mine) {
                    inbox.try_set(fresh);
                }
            }
        });
    };
    reload();
    events::follow(
        api::comments::INBOX_EVENTS_URL.to_owned(),
        reload,
        move |_| reload(),
    );
    let mark = move |body: MarkRead| {
        spawn_local(async move {
            let (all, ids) = (body.all, body.ids.clone());
            if let Ok(fresh) = api::comments::mark_read(body).await {
                inbox.try_set(fresh);
                older.try_update(|o| {
                    for item in o.iter_mut().filter(|i| all || ids.contains(&i.id)) {
                        item.read = true;
                    }
                });
            }
            reload();
        });
    };
    let unread = move || inbox.with(|i| i.unread);

    // Accepting an invitation from the inbox (the answer carries the map asked for).
    let auth = Auth::get();
    let verified = Signal::derive(move || auth.me().is_some_and(|me| me.email_verified));
    let accept = Action::new_local(|map: &MapId| {
        let map = map.clone();
        async move {
            let result = api::sharing::accept_inbox_invitation(map.clone()).await;
            (map, result)
        }
    });
    Effect::watch(
        move || accept.value().get(),
        move |answer, _, _| {
            if let Some((_, Ok(accepted))) = answer {
                open.set(false);
                reload();
                router.navigate(&Route::map(accepted.map_id.clone()).path());
            }
        },
        false,
    );
    let accept_error = move |map: MapId| {
        Signal::derive(move || match accept.value().get() {
            Some((asked, Err(error))) if asked == map => Some(error),
            _ => None,
        })
    };
    view! {
        <div class="inbox">
            <button
                type="button"
                class="button-quiet inbox-bell"
                data-testid="inbox-bell"
                aria-expanded=move || open.get().to_string()
                title=t().inbox
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
                    <path
                        d="M8 1.8a4 4 0 0 0-4 4v2.7L2.6 11h10.8L12 8.5V5.8a4 4 0 0 0-4-4zM6.5 12.5a1.5 1.5 0 0 0 3 0"
                        fill="none"
                        stroke="currentColor"
                        stroke-width="1.4"
                        stroke-linejoin="round"
                    ></path>
                </svg>
                " " {t().inbox} " "
                <span
                    class="inbox-count"
                    class:inbox-count-zero=move || unread() == 0
                    data-testid="inbox-count"
                    data-count=move || unread().to_string()
                >
                    {unread}
                </span>
            </button>
            {move || open.get().then(|| view! {
                <div class="inbox-list" data-testid="inbox-list">
                    <div class="inbox-list-head">
                        <b>{t().inbox}</b>
                        <button
                            type="button"
                            class="button-quiet"
                            data-testid="inbox-mark-all"
                            disabled=move || unread() == 0
                            on:click=move |_| mark(MarkRead { ids: Vec::new(), all: true })
                        >
                            {t().mark_all_read}
                        </button>
                    </div>
                    <For
                        each=move || items.get()
                        key=|item| (item.id, item.read)
                        children=move |item: InboxItem| {
                            if item.kind == InboxKind::Invitation {
                                let error = accept_error(item.map_id.clone());
                                return view! {
                                    <InboxInvitation
                                        item
                                        verified
                                        on_accept=Callback::new(move |map| {
                                            accept.dispatch(map);
                                        })
                                        pending=accept.pending()
                                        error
                                        on_leave=Callback::new(move |()| open.set(false))
                                    />
                                }
                                .into_any();
                            }
                            let id = item.id;
                            let path = format!("/maps/{}", item.map_id);
                            let chosen = item.clone();
                            view! {
                                <button
                                    type="button"
                                    class="inbox-item"
                                    class:inbox-item-unread=!item.read
                                    data-testid="inbox-item"
                                    data-item-id=id.to_string()
                                    data-kind=item.kind.as_str()
                                    data-read=item.read.to_string()
                                    on:click=move |_| {
                                        if !item.read {
                                            mark(MarkRead { ids: vec![id], all: false });
                                        }
                                        open.set(false);
                                        if let Some(target) = target {
                                            target.0.set(Some(chosen.clone()));
                                        }
                                        router.navigate(&path);
                                    }
                                >
                                    <span class="inbox-kind">{kind_label(item.kind)}</span>
                                    <span class="inbox-text">{inbox_line(&item)}</span>
                                    <span class="muted inbox-time" title=local_date_time(item.created_at)>
                                        {edited_ago(item.created_at, now_ms())}
                                    </span>
                                </button>
                            }
                            .into_any()
                        }
                    />
                    {move || items.with(Vec::is_empty).then(|| view! {
                        <p class="muted">{t().nothing_here}</p>
                    })}
                    {move || more().then(|| view! {
                        <button
                            type="button"
                            class="button-quiet inbox-more"
                            data-testid="inbox-more"
                            disabled=move || loading_older.get()
                            on:click=move |_| load_older()
                        >
                            {t().load_older}

                        </button>
                    })}
                </div>
            })}
        </div>
    }
}
