//! A map's live document in the browser: a Yrs doc kept in sync with the server over
//! `GET /sync/{map_id}` (y-protocols), with presence, undo and the connection's state
//! as signals.
//!
//! - `parcours_shared::protocol`: the y-protocols messages, without any socket.
//! - [`socket`]: the browser WebSocket.
//! - [`presence`]: awareness states and how they read.
//! - [`events`]: Server-Sent Events streams (comments, rounds, the inbox).
//!
//! Local edits go through [`LiveMap::edit`]; the doc's update observer queues them and
//! sends them while connected. While disconnected they stay in the doc only, and reach
//! the server with the sync step 1/2 exchange of the next connection.
//!
//! Over 400 lines because [`LiveMap`] is one state machine: the socket's lifecycle, the
//! document, undo and presence read and write the same signals on every event.

pub mod events;
pub mod presence;
pub mod socket;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_shared::protocol;
use parcours_shared::schema::keys;
use parcours_shared::{MapDoc, MapTxn};
use yrs::undo::{Options as UndoOptions, UndoManager};
use yrs::{Origin, TransactionMut};

use self::presence::{Peer, PresenceState, PresenceUser, ViewState};
use self::socket::{Socket, SocketEvents};

use crate::i18n::t;

/// Origin of this tab's own edits: the only ones undo tracks.
const LOCAL: &str = "local";
/// First wait before reconnecting after a drop.
const FIRST_RETRY: Duration = Duration::from_millis(250);
/// Longest wait between reconnection attempts.
const MAX_RETRY: Duration = Duration::from_secs(5);
/// Past this wait the connection reads as offline rather than "reconnecting".
const OFFLINE_AFTER: Duration = Duration::from_secs(1);
/// Edits closer together than this undo as one step. Every board edit is one deliberate
/// change (text is written on blur), so none are merged.
const UNDO_CAPTURE_MS: u64 = 0;

/// How the live connection stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectionState {
    /// First connection under way.
    Connecting,
    /// Connected and synced: edits reach others right away.
    Live,
    /// The connection dropped; trying again shortly.
    Reconnecting,
    /// Disconnected for a while; `unsent` when local edits wait for the reconnection.
    Offline {
        /// Local edits made while disconnected, kept in the doc until reconnected.
        unsent: bool,
    },
    /// The server ended the connection for good.
    Closed(CloseReason),
}

impl ConnectionState {
    /// The `data-state` value (`live`, `connecting`, `reconnecting`, `offline`, `closed`).
    pub fn key(&self) -> &'static str {
        match self {
            ConnectionState::Connecting => "connecting",
            ConnectionState::Live => "live",
            ConnectionState::Reconnecting => "reconnecting",
            ConnectionState::Offline { .. } => "offline",
            ConnectionState::Closed(_) => "closed",
        }
    }

    /// How it reads on screen.
    pub fn label(&self) -> &'static str {
        match self {
            ConnectionState::Connecting => t().connecting,
            ConnectionState::Live => t().live,
            ConnectionState::Reconnecting => t().reconnecting,
            ConnectionState::Offline { unsent: true } => t().offline_unsent,
            ConnectionState::Offline { unsent: false } => t().offline_reconnecting,
            ConnectionState::Closed(reason) => reason.label(),
        }
    }
}

/// Why the server closed the connection for good (no reconnection follows).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloseReason {
    /// 4401: the session ended.
    SignedOut,
    /// 4403: the caller's access to the map was removed.
    AccessRemoved,
    /// 4404: the map was deleted.
    MapDeleted,
}

impl CloseReason {
    /// The reason for a close code, if it is final.
    fn from_code(code: u16) -> Option<CloseReason> {
        match code {
            4401 => Some(CloseReason::SignedOut),
            4403 => Some(CloseReason::AccessRemoved),
            4404 => Some(CloseReason::MapDeleted),
            _ => None,
        }
    }

    /// How it reads on screen.
    pub fn label(self) -> &'static str {
        match self {
            CloseReason::SignedOut => t().closed_signed_out,
            CloseReason::AccessRemoved => t().closed_access_removed,
            CloseReason::MapDeleted => t().closed_map_deleted,
        }
    }
}

/// A live map: cheap to copy, tied to the reactive owner that created it (its socket
/// closes when that owner is cleaned up).
#[derive(Clone, Copy)]
pub struct LiveMap {
    /// How the connection stands.
    state: RwSignal<ConnectionState>,
    /// Bumped after every change of the doc (local or remote): views re-read on it.
    version: RwSignal<u64>,
    /// True once the server's state arrived at least once.
    synced: RwSignal<bool>,
    /// Everyone on the map (this tab included), by client id.
    peers: RwSignal<Vec<Peer>>,
    /// Whether undo and redo have anything to do.
    history: RwSignal<(bool, bool)>,
    /// The document.
    doc: StoredValue<MapDoc>,
    /// Local updates waiting to be sent (filled by the doc observer).
    outbox: StoredValue<Arc<Mutex<Vec<Vec<u8>>>>>,
    /// Socket and connection bookkeeping (browser objects: this thread only).
    link: StoredValue<Link, LocalStorage>,
    /// Undo of this tab's own edits.
    undo: StoredValue<Option<UndoManager<()>>, LocalStorage>,
}

/// The socket side of a live map.
struct Link {
    /// `ws(s)://host/sync/{map}` (with `?link=` for public links).
    url: String,
    /// The current socket, if any.
    socket: Option<Socket>,
    /// Counts sockets, so events of an old one are ignored.
    generation: u32,
    /// Next wait before reconnecting.
    retry: Duration,
    /// Set for good after a final close or when the page goes away.
    stopped: bool,
    /// Local edits made while disconnected.
    unsent: bool,
    /// This socket has answered the server's sync step 1: the server has (or is about
    /// to get, in order) everything the document holds. Until then local edits are not
    /// sent one by one: one made offline and not yet sent would be missing under them
    /// (the server would hold it until our step 2 arrives); they all go in the step 2 answer.
    caught_up: bool,
    /// Own awareness clock.
    clock: u32,
    /// Own presence.
    own: PresenceState,
    /// Everyone's presence, from the server (own included, as it echoes).
    states: BTreeMap<u64, PresenceState>,
}

impl LiveMap {
    /// Connects to the map `map_id` (`link`: a public link token) as `user`.
    pub fn connect(map_id: &str, link: Option<&str>, user: PresenceUser) -> LiveMap {
        let client_id = (js_sys::Math::random() * f64::from(u32::MAX)) as u64;
        let doc = MapDoc::with_client_id(client_id);
        let live = LiveMap {
            state: RwSignal::new(ConnectionState::Connecting),
            version: RwSignal::new(0),
            synced: RwSignal::new(false),
            peers: RwSignal::new(Vec::new()),
            history: RwSignal::new((false, false)),
            doc: StoredValue::new(doc.clone()),
            outbox: StoredValue::new(Arc::default()),
            link: StoredValue::new_local(Link {
                url: sync_url(map_id, link),
                socket: None,
                generation: 0,
                retry: FIRST_RETRY,
                stopped: false,
                unsent: false,
                caught_up: false,
                clock: 0,
                own: PresenceState {
                    user,
                    selected: None,
                    view: None,
                },
                states: BTreeMap::new(),
            }),
            undo: StoredValue::new_local(None),
        };
        live.observe(&doc);
        live.undo.set_value(Some(undo_manager(&doc)));
        live.reconnect();
        on_cleanup(move || live.stop());
        live
    }

    /// How the connection stands (tracked).
    pub fn state(&self) -> ConnectionState {
        self.state.get()
    }

    /// True once the server's copy arrived (tracked).
    pub fn synced(&self) -> bool {
        self.synced.get()
    }

    /// Subscribes the caller to doc changes; returns a counter.
    pub fn track(&self) -> u64 {
        self.version.get()
    }

    /// Reads the document (tracked: re-runs after every change).
    pub fn read<R>(&self, f: impl FnOnce(&MapDoc) -> R) -> Option<R> {
        self.version.track();
        self.doc.try_with_value(f)
    }

    /// Everyone on the map, this tab included (tracked).
    pub fn peers(&self) -> Vec<Peer> {
        self.peers.get()
    }

    /// How many are on the map, this tab included (untracked).
    pub fn peer_count_untracked(&self) -> usize {
        self.peers.with_untracked(Vec::len)
    }

    /// This tab's Yjs client id.
    pub fn client_id(&self) -> u64 {
        self.doc
            .try_with_value(|d| d.doc().client_id().get())
            .unwrap_or_default()
    }

    /// Runs `f` as one local, undoable transaction; `None` if the page is gone.
    pub fn edit<R>(&self, f: impl FnOnce(&mut MapTxn<'_, '_>) -> R) -> Option<R> {
        self.doc.try_with_value(|d| d.edit_with(LOCAL, f))
    }

    /// (can undo, can redo) (tracked).
    pub fn history(&self) -> (bool, bool) {
        self.history.get()
    }

    /// Undoes this tab's last edit step.
    pub fn undo(&self) {
        self.undo.update_value(|u| {
            if let Some(u) = u {
                u.undo_blocking();
            }
        });
        self.refresh_history();
    }

    /// Redoes the last undone step.
    pub fn redo(&self) {
        self.undo.update_value(|u| {
            if let Some(u) = u {
                u.redo_blocking();
            }
        });
        self.refresh_history();
    }

    /// Publishes what this tab has selected (card id, `"stage|lane"`, or nothing).
    pub fn select(&self, selected: Option<String>) {
        let changed = self
            .link
            .try_update_value(|l| {
                if l.own.selected == selected {
                    return false;
                }
                l.own.selected = selected;
                true
            })
            .unwrap_or(false);
        if changed {
            self.send_awareness();
        }
    }

    /// Where this tab last said it is (untracked).
    pub fn own_view_untracked(&self) -> Option<ViewState> {
        self.link.try_with_value(|l| l.own.view.clone()).flatten()
    }

    /// Publishes where this tab is on the map (for followers); nothing is sent when it
    /// did not change.
    pub fn publish_view(&self, view: Option<ViewState>) {
        let changed = self
            .link
            .try_update_value(|l| {
                if l.own.view == view {
                    return false;
                }
                l.own.view = view;
                true
            })
            .unwrap_or(false);
        if changed {
            self.send_awareness();
        }
    }

    /// Registers the doc observer that queues local updates and bumps the version.
    fn observe(&self, doc: &MapDoc) {
        let outbox = self.outbox.get_value();
        let live = *self;
        let remote = Origin::from(protocol::REMOTE);
        let observed =
            doc.doc()
                .observe_update_v1("parcours-live", move |txn: &TransactionMut, event| {
                    if txn.origin() != Some(&remote) {
                        if let Ok(mut queue) = outbox.lock() {
                            queue.push(event.update.clone());
                        }
                    }
                    // The transaction is still open here: act once it is committed.
                    spawn_local(async move { live.after_change() });
                });
        if let Err(e) = observed {
            leptos::logging::error!("cannot observe the map document: {e:?}");
        }
    }

    /// After a committed change: re-render, send queued local updates, refresh undo.
    fn after_change(&self) {
        if self.version.try_update(|v| *v += 1).is_none() {
            return; // The page is gone.
        }
        let updates: Vec<Vec<u8>> = self
            .outbox
            .try_with_value(|o| {
                o.lock()
                    .map(|mut q| std::mem::take(&mut *q))
                    .unwrap_or_default()
            })
            .unwrap_or_default();
        if !updates.is_empty() {
            // (delivered, socket open): open but not caught up, the edits wait in the
            // document for the step 2 answer, the connection state unchanged.
            let (delivered, open) = self
                .link
                .try_with_value(|l| match &l.socket {
                    Some(socket) if socket.is_open() && l.caught_up => (
                        updates
                            .into_iter()
                            .all(|u| socket.send(&protocol::update(u))),
                        true,
                    ),
                    Some(socket) => (false, socket.is_open()),
                    None => (false, false),
                })
                .unwrap_or((false, false));
            if !delivered && open {
                self.link.update_value(|l| l.unsent = true);
            } else if !delivered {
                self.link.update_value(|l| l.unsent = true);
                self.state.update(|s| {
                    if matches!(
                        s,
                        ConnectionState::Reconnecting | ConnectionState::Offline { .. }
                    ) {
                        *s = ConnectionState::Offline { unsent: true };
                    }
                });
            }
        }
        self.refresh_history();
    }

    fn refresh_history(&self) {
        let history = self
            .undo
            .try_with_value(|u| {
                u.as_ref()
                    .map(|u| (u.can_undo(), u.can_redo()))
                    .unwrap_or_default()
            })
            .unwrap_or_default();
        if self.history.try_get_untracked() != Some(history) {
            self.history.try_set(history);
        }
    }

    /// Opens a fresh socket, replacing the old one.
    fn reconnect(&self) {
        let live = *self;
        self.link.update_value(|l| {
            if l.stopped {
                return;
            }
            l.generation += 1;
            l.socket = None;
            l.caught_up = false;
            let events = Events {
                live,
                generation: l.generation,
            };
            match Socket::open(&l.url, events) {
                Ok(socket) => l.socket = Some(socket),
                Err(e) => leptos::logging::error!("cannot open the live connection: {e}"),
            }
        });
    }

    /// Is `generation` the current socket's?
    fn is_current(&self, generation: u32) -> bool {
        self.link
            .try_with_value(|l| !l.stopped && l.generation == generation)
            .unwrap_or(false)
    }

    fn send(&self, data: &[u8]) -> bool {
        self.link
            .try_with_value(|l| l.socket.as_ref().is_some_and(|s| s.send(data)))
            .unwrap_or(false)
    }

    fn send_awareness(&self) {
        let client = self.client_id();
        let message = self.link.try_update_value(|l| {
            l.clock += 1;
            let json = serde_json::to_string(&l.own).unwrap_or_else(|_| "null".into());
            protocol::awareness(client, l.clock, &json)
        });
        if let Some(message) = message {
            self.send(&message);
        }
    }

    fn opened(&self) {
        let step1 = self.doc.with_value(|d| protocol::sync_step1(d.doc()));
        self.send(&step1);
        self.send_awareness();
    }

    fn frame(&self, data: &[u8]) {
        let Some(outcome) = self
            .doc
            .try_with_value(|d| protocol::handle_frame(d.doc(), data))
        else {
            return;
        };
        let outcome = match outcome {
            Ok(outcome) => outcome,
            Err(e) => {
                leptos::logging::warn!("ignored a live message: {e}");
                return;
            }
        };
        // The only replies are step 2 answers to the server's step 1.
        if !outcome.replies.is_empty() {
            let sent = outcome.replies.iter().all(|reply| self.send(reply));
            self.link.update_value(|l| l.caught_up = sent);
        }
        if outcome.synced {
            self.link.update_value(|l| {
                l.retry = FIRST_RETRY;
                l.unsent = false;
            });
            self.synced.set(true);
            self.state.set(ConnectionState::Live);
        }
        if !outcome.awareness.is_empty() {
            self.link.update_value(|l| {
                for (client, json) in outcome.awareness {
                    match json.as_deref().and_then(presence::parse_state) {
                        Some(state) => l.states.insert(client, state),
                        None => l.states.remove(&client),
                    };
                }
            });
            self.publish_peers();
        }
    }

    fn closed(&self, code: u16) {
        self.link.update_value(|l| l.states.clear());
        self.publish_peers();
        if let Some(reason) = CloseReason::from_code(code) {
            self.link.update_value(|l| l.stopped = true);
            self.state.set(ConnectionState::Closed(reason));
            return;
        }
        let Some((wait, unsent)) = self.link.try_update_value(|l| {
            let wait = l.retry;
            l.retry = (l.retry * 2).min(MAX_RETRY);
            (wait, l.unsent)
        }) else {
            return;
        };
        self.state.set(if unsent || wait >= OFFLINE_AFTER {
            ConnectionState::Offline { unsent }
        } else {
            ConnectionState::Reconnecting
        });
        let live = *self;
        set_timeout(move || live.reconnect(), wait);
    }

    /// Rebuilds the peer list from the presence states (own state shown even before
    /// the server echoes it).
    fn publish_peers(&self) {
        let me = self.client_id();
        let peers = self.link.try_with_value(|l| {
            let mut peers: Vec<Peer> = l
                .states
                .iter()
                .map(|(&client_id, state)| Peer {
                    client_id,
                    is_self: client_id == me,
                    state: state.clone(),
                })
                .collect();
            if !l.states.contains_key(&me) && !l.stopped {
                peers.insert(
                    0,
                    Peer {
                        client_id: me,
                        is_self: true,
                        state: l.own.clone(),
                    },
                );
            }
            peers
        });
        if let Some(peers) = peers {
            self.peers.try_set(peers);
        }
    }

    /// Leaves the map: clears own presence and closes for good.
    fn stop(&self) {
        let client = self.client_id();
        let _ = self.link.try_update_value(|l| {
            l.stopped = true;
            if let Some(socket) = &l.socket {
                socket.send(&protocol::awareness(client, l.clock + 1, "null"));
            }
            l.socket = None;
        });
    }
}

/// Routes one socket's events to its live map, ignoring those of replaced sockets.
#[derive(Clone)]
struct Events {
    live: LiveMap,
    generation: u32,
}

impl SocketEvents for Events {
    fn opened(&self) {
        if self.live.is_current(self.generation) {
            self.live.opened();
        }
    }

    fn frame(&self, data: Vec<u8>) {
        if self.live.is_current(self.generation) {
            self.live.frame(&data);
        }
    }

    fn closed(&self, code: u16, _reason: String) {
        if self.live.is_current(self.generation) {
            self.live.closed(code);
        }
    }
}

/// `ws(s)://{host}/sync/{map}`, on the page's own host.
fn sync_url(map_id: &str, link: Option<&str>) -> String {
    let location = window().location();
    let secure = location.protocol().is_ok_and(|p| p == "https:");
    let host = location.host().unwrap_or_default();
    let scheme = if secure { "wss" } else { "ws" };
    match link {
        Some(link) => format!(
            "{scheme}://{host}/sync/{map_id}?link={}",
            crate::route::percent_encode(link)
        ),
        None => format!("{scheme}://{host}/sync/{map_id}"),
    }
}

/// Undo over every root map, for this tab's own edits only.
fn undo_manager(doc: &MapDoc) -> UndoManager<()> {
    let options = UndoOptions {
        capture_timeout_millis: UNDO_CAPTURE_MS,
        tracked_origins: [Origin::from(LOCAL)].into_iter().collect(),
        capture_transaction: None,
        timestamp: Arc::new(|| js_sys::Date::now() as u64),
        init_undo_stack: Vec::new(),
        init_redo_stack: Vec::new(),
    };
    let mut undo = UndoManager::with_options(options);
    let roots = [
        keys::META,
        keys::PERSONAS,
        keys::STAGES,
        keys::LANES,
        keys::CARDS,
        keys::EMOTIONS,
        keys::PATHS,
    ];
    for root in roots {
        let map = doc.doc().get_or_insert_map(root);
        undo.expand_scope(doc.doc(), &map);
    }
    undo
}
