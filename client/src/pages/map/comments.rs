//! Comment threads on the map: the shared state ([`Comments`], provided as context by
//! the map page), kept fresh by the map's event stream; the side panel of threads with
//! its filters (open, resolved, mine, this round), replies, resolve and reopen; and the
//! marker every card, stage, lane and cell shows.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_shared::api::{
    Anchor, AnchorKind, Comment, EditComment, MapEvent, NewComment, NewThread, Role, Round, Thread,
    UserId,
};
use parcours_shared::view::MapView;
use parcours_shared::MapId;

use crate::api::{self, ApiError};
use crate::format::{edited_ago, local_date_time, now_ms};
use crate::inbox::InboxTarget;
use crate::live::events;

/// Which threads the panel lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    All,
    Open,
    Resolved,
    Mine,
    /// Threads of the open review round.
    Round,
}

impl Filter {
    const ALL: [Filter; 5] = [
        Filter::All,
        Filter::Open,
        Filter::Resolved,
        Filter::Mine,
        Filter::Round,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Open => "open",
            Filter::Resolved => "resolved",
            Filter::Mine => "mine",
            Filter::Round => "round",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Filter::All => "All",
            Filter::Open => "Open",
            Filter::Resolved => "Resolved",
            Filter::Mine => "Mine",
            Filter::Round => "This round",
        }
    }
}

/// The map's threads and rounds and what the panel shows (context of the map page).
#[derive(Clone, Copy)]
pub struct Comments {
    pub map: StoredValue<MapId>,
    /// The public link's token, when opened with one.
    link: StoredValue<Option<String>>,
    /// The signed-in account.
    pub me: StoredValue<Option<UserId>>,
    pub role: Role,
    /// May comment: commenters and above, signed in, not through a public link.
    pub can_comment: bool,
    /// Every thread of the map, oldest first.
    pub threads: RwSignal<Vec<Thread>>,
    /// Per anchored element: (open threads, all threads). Computed once per change of
    /// `threads`, so each marker is a lookup rather than a scan.
    counts: Memo<HashMap<Anchor, (usize, usize)>>,
    /// Every review round, newest first.
    pub rounds: RwSignal<Vec<Round>>,
    /// The panel is shown.
    pub open: RwSignal<bool>,
    /// Only the threads anchored on this element (and the new-thread form anchored on
    /// it); `None`: every thread, and new ones go on the whole map.
    pub scope: RwSignal<Option<Anchor>>,
    pub filter: RwSignal<Filter>,
    /// The thread an inbox item pointed at, outlined in the panel.
    pub highlight: RwSignal<Option<String>>,
    /// The closed round whose summary is shown.
    pub summary_of: RwSignal<Option<String>>,
    /// The threads, and the rounds, have been loaded once.
    threads_loaded: RwSignal<bool>,
    rounds_loaded: RwSignal<bool>,
    /// `@names` the last post mentioned without access to the map.
    pub notice: RwSignal<Option<String>>,
    pub error: RwSignal<Option<String>>,
    /// Counts thread reloads, so that only the latest answer is kept.
    generation: StoredValue<u64>,
}

impl Comments {
    /// Creates the state, provides it as context, loads threads and rounds and follows
    /// the map's event stream.
    pub fn install(map: MapId, link: Option<String>, me: Option<UserId>, role: Role) -> Comments {
        let can_comment = role.can_comment() && link.is_none() && me.is_some();
        let threads = RwSignal::new(Vec::new());
        let comments = Comments {
            map: StoredValue::new(map.clone()),
            link: StoredValue::new(link.clone()),
            me: StoredValue::new(me),
            role,
            can_comment,
            threads,
            counts: Memo::new(move |_| {
                threads.with(|ts| {
                    let mut counts = HashMap::<Anchor, (usize, usize)>::new();
                    for t in ts {
                        let c = counts.entry(t.anchor.clone()).or_default();
                        c.0 += usize::from(!t.resolved);
                        c.1 += 1;
                    }
                    counts
                })
            }),
            rounds: RwSignal::new(Vec::new()),
            open: RwSignal::new(true),
            scope: RwSignal::new(None),
            filter: RwSignal::new(Filter::All),
            notice: RwSignal::new(None),
            error: RwSignal::new(None),
            generation: StoredValue::new(0),
            highlight: RwSignal::new(None),
            summary_of: RwSignal::new(None),
            threads_loaded: RwSignal::new(false),
            rounds_loaded: RwSignal::new(false),
        };
        provide_context(comments);
        comments.follow_inbox_target();
        comments.reload();
        comments.reload_rounds();
        let url = api::comments::map_events_url(&map, link.as_deref());
        events::follow(
            url,
            move || {
                comments.reload();
                comments.reload_rounds();
            },
            move |data| match serde_json::from_str::<MapEvent>(&data) {
                Ok(
                    MapEvent::RoundOpened { .. }
                    | MapEvent::ReviewDone { .. }
                    | MapEvent::RoundClosed { .. },
                ) => comments.reload_rounds(),
                Ok(_) => comments.reload(),
                Err(_) => {}
            },
        );
        comments
    }

    /// Shows what the inbox item the user clicked is about, once this map's threads and
    /// rounds are loaded: a thread (the panel scoped to its element, the thread
    /// outlined, both scrolled to), or a round (a closed one's summary, an open one's
    /// banner).
    fn follow_inbox_target(self) {
        let Some(target) = InboxTarget::get() else {
            return;
        };
        Effect::new(move |_| {
            let Some(item) = target.0.get() else {
                return;
            };
            if self.map.with_value(|map| *map != item.map_id) {
                return;
            }
            if let Some(thread) = item.thread_id {
                if !self.threads_loaded.get() {
                    return;
                }
                target.0.set(None);
                let anchor = self.threads.with_untracked(|ts| {
                    ts.iter()
                        .find(|t| t.id == thread)
                        .map(|t| (t.anchor.clone(), t.detached))
                });
                let Some((anchor, detached)) = anchor else {
                    return;
                };
                self.filter.set(Filter::All);
                self.focus(anchor.clone());
                self.highlight.set(Some(thread.clone()));
                request_animation_frame(move || {
                    if !detached {
                        reveal(&anchor);
                    }
                    scroll_to(&format!(
                        "[data-testid=thread][data-thread-id=\"{thread}\"]"
                    ));
                });
            } else if let Some(round) = item.round_id {
                // The summary names the round's threads: both lists are needed.
                if !self.rounds_loaded.get() || !self.threads_loaded.get() {
                    return;
                }
                target.0.set(None);
                let closed = self.rounds.with_untracked(|rs| {
                    rs.iter()
                        .find(|r| r.id == round)
                        .map(|r| r.closed_at.is_some())
                });
                match closed {
                    Some(true) => self.summary_of.set(Some(round)),
                    Some(false) => request_animation_frame(move || {
                        scroll_to(&format!(
                            "[data-testid=round-banner][data-round-id=\"{round}\"]"
                        ));
                    }),
                    None => {}
                }
            } else {
                target.0.set(None);
            }
        });
    }

    /// The context provided by [`Comments::install`], if any.
    pub fn get() -> Option<Comments> {
        use_context::<Comments>()
    }

    /// Loads the threads again over REST.
    pub fn reload(self) {
        let generation = self.generation.try_update_value(|g| {
            *g += 1;
            *g
        });
        let Some(generation) = generation else { return };
        let map = self.map.get_value();
        let link = self.link.get_value();
        spawn_local(async move {
            let result = api::comments::threads(map, link).await;
            if self.generation.try_get_value() != Some(generation) {
                return;
            }
            match result {
                Ok(list) => {
                    self.threads.try_set(list.threads);
                    self.threads_loaded.try_set(true);
                }
                Err(error) => {
                    self.error.try_set(Some(error.to_string()));
                }
            }
        });
    }

    /// Loads the review rounds again (members only).
    pub fn reload_rounds(self) {
        if self.link.with_value(Option::is_some) || self.me.with_value(Option::is_none) {
            return;
        }
        let map = self.map.get_value();
        spawn_local(async move {
            if let Ok(list) = api::comments::rounds(map).await {
                self.rounds.try_set(list.rounds);
                self.rounds_loaded.try_set(true);
            }
        });
    }

    /// Shows the panel with the threads of `anchor` and a form for a new one there.
    pub fn focus(self, anchor: Anchor) {
        self.scope.set(Some(anchor));
        self.open.set(true);
    }

    /// Puts `round` as the server just answered it: in place of its older copy, or
    /// first (rounds are newest first). The map's event stream reloads the list for
    /// everyone else.
    pub fn put_round(self, round: Round) {
        self.rounds.try_update(
            |rounds| match rounds.iter_mut().find(|r| r.id == round.id) {
                Some(old) => *old = round,
                None => rounds.insert(0, round),
            },
        );
    }

    /// The map's open review round (the newest, should there be several); tracked.
    pub fn open_round(self) -> Option<Round> {
        self.rounds
            .with(|rounds| rounds.iter().find(|r| r.closed_at.is_none()).cloned())
    }

    fn is_me(self, user: &UserId) -> bool {
        self.me.with_value(|me| me.as_ref() == Some(user))
    }

    /// May resolve or reopen `thread`: editors, owners and its author.
    fn may_resolve(self, thread: &Thread) -> bool {
        self.can_comment && (self.role.can_edit() || self.is_me(&thread.created_by))
    }

    /// Reports the outcome of a post: the error, or the names mentioned without access.
    fn posted(self, result: Result<Vec<String>, ApiError>) -> bool {
        match result {
            Ok(names) => {
                self.error.set(None);
                self.notice.set((!names.is_empty()).then(|| {
                    let names = names
                        .iter()
                        .map(|n| format!("@{n}"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    format!("Not notified, they have no access to this map: {names}")
                }));
                self.reload();
                true
            }
            Err(error) => {
                self.error.set(Some(error.to_string()));
                false
            }
        }
    }
}

/// The anchor of a card, a stage or a lane by id.
pub fn anchor_of(kind: AnchorKind, id: &str) -> Anchor {
    Anchor {
        kind,
        id: Some(id.to_owned()),
    }
}

/// The anchor of a stage × lane cell.
pub fn cell_anchor(stage: &str, lane: &str) -> Anchor {
    anchor_of(AnchorKind::Cell, &format!("{stage}|{lane}"))
}

/// The thread involves `me`: opened, commented or mentioned.
fn involves(thread: &Thread, me: &UserId) -> bool {
    thread.created_by == *me
        || thread
            .comments
            .iter()
            .any(|c| c.author == *me || c.mentions.contains(me))
}

/// What a thread is anchored on, in words.
pub fn anchor_label(anchor: &Anchor, view: &MapView) -> String {
    let id = anchor.id.as_deref().unwrap_or_default();
    let stage = |id: &str| {
        view.stages
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
    };
    let lane = |id: &str| {
        view.lanes
            .iter()
            .find(|l| l.id == id)
            .map(|l| l.name.clone())
    };
    let named = |what: &str, name: Option<String>| match name {
        Some(name) if !name.trim().is_empty() => format!("{what} “{}”", short(&name, 40)),
        _ => what.to_owned(),
    };
    match anchor.kind {
        AnchorKind::Map => "The whole map".to_owned(),
        AnchorKind::Card => named(
            "Card",
            view.cards
                .iter()
                .chain(&view.orphan_cards)
                .find(|c| c.id == id)
                .map(|c| c.text.clone()),
        ),
        AnchorKind::Stage => named("Stage", stage(id)),
        AnchorKind::Lane => named("Lane", lane(id)),
        AnchorKind::Cell => {
            let (s, l) = id.split_once('|').unwrap_or((id, ""));
            match (stage(s), lane(l)) {
                (Some(s), Some(l)) => format!("Cell {} × {}", short(&s, 20), short(&l, 20)),
                _ => "Cell".to_owned(),
            }
        }
    }
}

/// Scrolls the board to the element `anchor` names, if it is on screen.
fn reveal(anchor: &Anchor) {
    let Some(id) = anchor.id.as_deref() else {
        return;
    };
    let selector = match anchor.kind {
        AnchorKind::Map => return,
        AnchorKind::Card => format!("[data-testid=card][data-card-id=\"{id}\"]"),
        AnchorKind::Stage => format!("[data-testid=stage-col][data-stage-id=\"{id}\"]"),
        AnchorKind::Lane => format!("[data-testid=lane-row][data-lane-id=\"{id}\"]"),
        AnchorKind::Cell => {
            let (stage, lane) = id.split_once('|').unwrap_or((id, ""));
            format!("[data-testid=cell][data-stage-id=\"{stage}\"][data-lane-id=\"{lane}\"]")
        }
    };
    scroll_to(&selector);
}

/// Scrolls the first element matching `selector` into view. Ids in selectors come from
/// the server and are plain; a quote would only make the selector match nothing.
fn scroll_to(selector: &str) {
    if let Ok(Some(el)) = document().query_selector(selector) {
        el.scroll_into_view();
    }
}

fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}

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
    let anchor = StoredValue::new(anchor);
    let counts = Memo::new(move |_| {
        anchor.with_value(|a| {
            comments
                .counts
                .with(|m| m.get(a).copied().unwrap_or_default())
        })
    });
    let count = Memo::new(move |_| counts.get().0);
    let any = Memo::new(move |_| counts.get().1 > 0);
    let what = anchor.with_value(|a| match a.kind {
        AnchorKind::Card => "this card",
        AnchorKind::Stage => "this stage",
        AnchorKind::Lane => "this lane",
        AnchorKind::Cell => "this cell",
        AnchorKind::Map => "the map",
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
                0 => format!("Comments on {what}"),
                1 => format!("1 open thread on {what}"),
                n => format!("{n} open threads on {what}"),
            }
            on:click=move |ev| {
                ev.stop_propagation();
                comments.focus(anchor.get_value());
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

/// The side panel of threads.
#[component]
pub fn CommentsPanel(
    /// The board's view of the map, for anchor labels.
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
    let open_count = Memo::new(move |_| {
        c.threads
            .with(|ts| ts.iter().filter(|t| !t.resolved).count())
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
                        "Show all"
                    </button>
                </p>
            }
        })
    };
    view! {
        <div class="comments-dock">
            <button
                type="button"
                class="button-quiet comments-toggle"
                data-testid="comments-toggle"
                aria-expanded=move || c.open.get().to_string()
                on:click=move |_| c.open.update(|o| *o = !*o)
            >
                {move || format!("Comments ({})", open_count.get())}
            </button>
            <aside
                class="comments-panel"
                data-testid="comments-panel"
                style:display=move || if c.open.get() { "" } else { "none" }
            >
                <header class="comments-head">
                    <h2>"Comments"</h2>
                    <div class="chips" role="group" aria-label="Show">{filters}</div>
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
                        <p class="muted" data-testid="threads-empty">"No threads here yet."</p>
                    })}
                </div>
            </aside>
        </div>
    }
    .into_any()
}

/// A new thread on the focused element, or on the whole map; while a review round is
/// open it belongs to the round unless the box is unticked.
#[component]
fn NewThreadForm() -> impl IntoView {
    let c = Comments::get().expect("comments context");
    let body = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let in_round = RwSignal::new(true);
    let open_round = Memo::new(move |_| c.open_round().map(|r| (r.id, r.title)));
    let submit = move || {
        let text = body.get_untracked();
        if text.trim().is_empty() || busy.get_untracked() {
            return;
        }
        let anchor = c.scope.get_untracked().unwrap_or(Anchor {
            kind: AnchorKind::Map,
            id: None,
        });
        let round_id = open_round
            .get_untracked()
            .filter(|_| in_round.get_untracked())
            .map(|(id, _)| id);
        busy.set(true);
        let map = c.map.get_value();
        spawn_local(async move {
            let result = api::comments::create_thread(
                map,
                NewThread {
                    anchor,
                    body: text,
                    round_id,
                },
            )
            .await
            .map(|posted| posted.mentions_without_access);
            busy.try_set(false);
            if c.posted(result) {
                body.try_set(String::new());
            }
        });
    };
    view! {
        <form
            class="thread-new"
            data-testid="thread-new"
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <label class="field-label" for="thread-body">
                {move || match c.scope.get().map(|a| a.kind) {
                    Some(AnchorKind::Card) => "New thread on this card",
                    Some(AnchorKind::Stage) => "New thread on this stage",
                    Some(AnchorKind::Lane) => "New thread on this lane",
                    Some(AnchorKind::Cell) => "New thread on this cell",
                    Some(AnchorKind::Map) | None => "New thread on the map",
                }}
            </label>
            <textarea
                id="thread-body"
                data-testid="thread-body"
                rows="3"
                placeholder="Write a comment; @name mentions a member"
                prop:value=move || body.get()
                on:input=move |ev| body.set(event_target_value(&ev))
            ></textarea>
            {move || open_round.get().map(|(_, title)| view! {
                <label class="check-label">
                    <input
                        type="checkbox"
                        data-testid="thread-in-round"
                        prop:checked=move || in_round.get()
                        on:change=move |ev| in_round.set(event_target_checked(&ev))
                    />
                    " Part of the review round “" {title} "”"
                </label>
            })}
            <button
                type="submit"
                class="button-primary"
                data-testid="thread-submit"
                disabled=move || busy.get() || body.with(|b| b.trim().is_empty())
            >
                "Comment"
            </button>
        </form>
    }
}

/// One thread of the panel.
#[component]
fn ThreadItem(id: String, view: Memo<MapView>) -> impl IntoView {
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
                    c.error.try_set(Some(error.to_string()));
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
                    title="Show it on the board and its threads only"
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
                        title="What it was anchored on was deleted from the map">"Detached"</span>
                })}
                {move || resolved().then(|| view! {
                    <span class="badge badge-resolved" data-testid="thread-resolved-badge">"Resolved"</span>
                })}
                {move || round_title().map(|title| view! {
                    <span class="badge badge-round" data-testid="thread-round-badge"
                        title=format!("Opened for the review round “{title}”")>"Round"</span>
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
                        on:click=move |_| set_resolved(true)>"Resolve"</button>
                })}
                {move || (may_resolve() && resolved()).then(|| view! {
                    <button type="button" class="button-quiet" data-testid="thread-reopen"
                        on:click=move |_| set_resolved(false)>"Reopen"</button>
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
            .confirm_with_message("Delete this comment?")
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
        view! { <p class="comment-body muted" data-testid="comment-body">"Comment deleted"</p> }
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
                        <button type="submit" class="button-primary" data-testid="comment-edit-save">"Save"</button>
                        <button type="button" class="button-quiet" on:click=move |_| editing.set(false)>"Cancel"</button>
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
                {comment.edited_at.map(|_| " · edited")}
            </p>
            {body_view}
            {mine.then(|| view! {
                <p class="comment-tools">
                    <button type="button" class="button-quiet" data-testid="comment-edit"
                        on:click=move |_| { draft.set(draft.get_untracked()); editing.set(true); }>"Edit"</button>
                    <button type="button" class="button-quiet button-danger" data-testid="comment-delete"
                        on:click=move |_| delete()>"Delete"</button>
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
                aria-label="Reply"
                placeholder="Reply…"
                prop:value=move || body.get()
                on:input=move |ev| body.set(event_target_value(&ev))
            ></textarea>
            <button
                type="submit"
                class="button-quiet"
                data-testid="reply-submit"
                disabled=move || busy.get() || body.with(|b| b.trim().is_empty())
            >
                "Reply"
            </button>
        </form>
    }
}
