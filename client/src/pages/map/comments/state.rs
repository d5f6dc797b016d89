//! The map's comment state: [`Comments`], provided as context by the map page, holding
//! every thread and review round, kept fresh by the map's event stream, and what the
//! panel shows (open, scope, filter, highlight); and [`Filter`], the panel's choice of
//! threads.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_shared::api::{Anchor, MapEvent, Round, Thread};
use parcours_shared::ids::{Role, UserId};
use parcours_shared::MapId;

use super::anchors::{reveal, scroll_to};
use crate::api::{self, ApiError};
use crate::components::error_notice::worded;
use crate::i18n::{fill, t};

use crate::inbox::InboxTarget;
use crate::pages::map::stream::MapStream;

/// Which threads the panel lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    /// Every thread.
    All,
    /// Threads not resolved yet.
    Open,
    /// Resolved threads.
    Resolved,
    /// Threads the caller opened, commented on or was mentioned in.
    Mine,
    /// Threads of the open review round.
    Round,
}

impl Filter {
    /// Every filter, in the order of the panel's chips.
    pub(super) const ALL: [Filter; 5] = [
        Filter::All,
        Filter::Open,
        Filter::Resolved,
        Filter::Mine,
        Filter::Round,
    ];

    /// The filter's `data-filter` value.
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Open => "open",
            Filter::Resolved => "resolved",
            Filter::Mine => "mine",
            Filter::Round => "round",
        }
    }

    /// The filter's chip label.
    pub(super) fn label(self) -> &'static str {
        match self {
            Filter::All => t().filter_all,
            Filter::Open => t().filter_open,
            Filter::Resolved => t().filter_resolved,
            Filter::Mine => t().filter_mine,
            Filter::Round => t().filter_round,
        }
    }
}

/// The map's threads and rounds and what the panel shows (context of the map page).
#[derive(Clone, Copy)]
pub struct Comments {
    /// The map.
    pub map: StoredValue<MapId>,
    /// The public link's token, when opened with one.
    link: StoredValue<Option<String>>,
    /// The signed-in account.
    pub me: StoredValue<Option<UserId>>,
    /// The caller's role on the map.
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
    /// Which threads the panel lists.
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
    /// The last failure to load or post, shown in the panel.
    pub error: RwSignal<Option<String>>,
    /// Counts thread reloads, so that only the latest answer is kept.
    generation: StoredValue<u64>,
}

/// Screens at least this wide (CSS pixels) show the comments beside the board from
/// the start; narrower ones (laptops) start with the panel collapsed, so that the
/// board has the width.
pub const WIDE_SCREEN_PX: f64 = 1500.0;
/// Where the browser remembers the person's last choice (open or collapsed).
const OPEN_KEY: &str = "parcours.comments.open";

/// Whether the panel starts open: the person's last choice in this browser, else open
/// on wide screens only.
fn open_at_start() -> bool {
    let stored =
        crate::i18n::storage().and_then(|storage| storage.get_item(OPEN_KEY).ok().flatten());
    match stored.as_deref() {
        Some("true") => true,
        Some("false") => false,
        _ => window()
            .inner_width()
            .ok()
            .and_then(|w| w.as_f64())
            .is_some_and(|w| w >= WIDE_SCREEN_PX),
    }
}

/// Remembers that the person opened or collapsed the panel (a private window may
/// refuse: then the screen's default applies next time).
pub fn remember_open(open: bool) {
    if let Some(storage) = crate::i18n::storage() {
        let _ = storage.set_item(OPEN_KEY, if open { "true" } else { "false" });
    }
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
            open: RwSignal::new(open_at_start()),
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
        if let Some(stream) = MapStream::get() {
            stream.listen(
                move || {
                    comments.reload();
                    comments.reload_rounds();
                },
                move |event| match event {
                    MapEvent::RoundOpened { .. }
                    | MapEvent::ReviewDone { .. }
                    | MapEvent::RoundClosed { .. } => comments.reload_rounds(),
                    event if event.is_evidence() => {}
                    _ => comments.reload(),
                },
            );
        }
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

    /// Open threads and all threads anchored on `anchor` (tracked).
    pub fn thread_counts(self, anchor: &Anchor) -> (usize, usize) {
        self.counts
            .with(|counts| counts.get(anchor).copied().unwrap_or_default())
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
                    self.error.try_set(Some(worded(&error)));
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

    /// `user` is the signed-in account.
    pub(super) fn is_me(self, user: &UserId) -> bool {
        self.me.with_value(|me| me.as_ref() == Some(user))
    }

    /// May resolve or reopen `thread`: editors, owners and its author.
    pub(super) fn may_resolve(self, thread: &Thread) -> bool {
        self.can_comment && (self.role.can_edit() || self.is_me(&thread.created_by))
    }

    /// Reports the outcome of a post: the error, or the names mentioned without access.
    pub(super) fn posted(self, result: Result<Vec<String>, ApiError>) -> bool {
        match result {
            Ok(names) => {
                self.error.set(None);
                self.notice.set((!names.is_empty()).then(|| {
                    let names = names
                        .iter()
                        .map(|n| format!("@{n}"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    fill(t().mentions_without_access, &[("names", &names)])
                }));
                self.reload();
                true
            }
            Err(error) => {
                self.error.set(Some(worded(&error)));

                false
            }
        }
    }
}
