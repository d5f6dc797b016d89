//! Live sync: one room actor per open map, speaking y-protocols with its peers.
//!
//! - [`Rooms`] is the registry: it loads a map's room on first join (exactly once, even
//!   when two peers arrive together) and forgets it when the room unloads itself.
//! - `room` is the actor that owns the map's Yrs document and awareness.
//! - `persist` writes the room's update batches and snapshots, off the room's task.
//! - `peer` is one WebSocket connection: decode, forward to the room, write back.
//! - `wire` decodes incoming frames (panic-guarded) and encodes outgoing messages.

mod peer;
mod persist;
mod room;
mod wire;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use parcours_shared::api::{Role, UserId};
use parcours_shared::view::MapView;
use parcours_shared::MapId;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::metrics::Metrics;
use crate::store::Store;

pub use peer::{serve_peer, PeerLimits};
pub use room::PeerIdentity;
pub(crate) use room::RoomCommand;

/// Commands waiting for a room before senders wait (the room's inbox).
const ROOM_INBOX: usize = 4096;
/// How long shutdown waits for rooms to write their last edits.
const SHUTDOWN_FLUSH_TIMEOUT: Duration = Duration::from_secs(30);

/// Room behaviour settings, from the configuration.
#[derive(Debug, Clone)]
pub struct RoomSettings {
    /// Longest time an applied edit waits before it is handed to storage.
    pub flush_interval: Duration,
    /// Log rows after which the room writes a snapshot and drops them.
    pub compact_every: u64,
    /// How long a room with no peers stays loaded.
    pub idle_unload: Duration,
    /// Outbound messages queued per peer before it is disconnected as too slow.
    pub peer_queue: usize,
}

/// Why a room could not be joined or asked.
#[derive(Debug, thiserror::Error)]
pub enum RoomError {
    /// The map does not exist (or was deleted).
    #[error("map not found")]
    NotFound,
    /// Loading the map from storage failed.
    #[error("could not load map: {0}")]
    Load(String),
}

/// The registry of open rooms; cheap to clone.
#[derive(Clone)]
pub struct Rooms {
    inner: Arc<RoomsInner>,
}

struct RoomsInner {
    open: Mutex<HashMap<MapId, RoomHandle>>,
    store: Store,
    metrics: Arc<Metrics>,
    settings: RoomSettings,
    shutdown: CancellationToken,
    tracker: TaskTracker,
    next_generation: AtomicU64,
    /// Who is connected to each map now (peer → display name), for the maps list.
    online: Mutex<HashMap<MapId, HashMap<u64, String>>>,
    /// Counts access changes (roles, removals, revoked links, ended sessions) on any
    /// map: readers who hold access (the event streams) check it again only when this
    /// moved since they last did.
    access_epoch: AtomicU64,
}

/// A way to send commands to one room.
#[derive(Clone)]
pub(crate) struct RoomHandle {
    tx: mpsc::Sender<RoomCommand>,
    /// Tells this room apart from an earlier or later room of the same map.
    generation: u64,
}

impl Rooms {
    /// An empty registry; rooms stop when `shutdown` is cancelled.
    pub fn new(
        store: Store,
        metrics: Arc<Metrics>,
        settings: RoomSettings,
        shutdown: CancellationToken,
    ) -> Rooms {
        Rooms {
            inner: Arc::new(RoomsInner {
                open: Mutex::new(HashMap::new()),
                store,
                metrics,
                settings,
                shutdown,
                tracker: TaskTracker::new(),
                next_generation: AtomicU64::new(1),
                online: Mutex::new(HashMap::new()),
                access_epoch: AtomicU64::new(0),
            }),
        }
    }

    /// The settings rooms run with.
    pub fn settings(&self) -> &RoomSettings {
        &self.inner.settings
    }

    /// The room for `map`, started if it is not open. Loading happens inside the room's
    /// task, so this never waits on storage and a map is never loaded twice.
    fn handle(&self, map: &MapId) -> RoomHandle {
        let mut open = self.inner.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(handle) = open.get(map) {
            if !handle.tx.is_closed() {
                return handle.clone();
            }
        }
        let (tx, rx) = mpsc::channel(ROOM_INBOX);
        let generation = self.inner.next_generation.fetch_add(1, Ordering::Relaxed);
        let handle = RoomHandle { tx, generation };
        open.insert(map.clone(), handle.clone());
        self.inner
            .metrics
            .rooms_open
            .fetch_add(1, Ordering::Relaxed);
        let room = room::RoomTask {
            map: map.clone(),
            generation,
            rooms: self.clone(),
            rx,
        };
        self.inner.tracker.spawn(room.run());
        handle
    }

    /// Sends `make(reply)` to the map's room and waits for the answer, restarting the
    /// room if it unloaded itself between lookup and send.
    pub(crate) async fn ask<T>(
        &self,
        map: &MapId,
        make: impl Fn(oneshot::Sender<Result<T, RoomError>>) -> RoomCommand,
    ) -> Result<T, RoomError> {
        for _ in 0..3 {
            let handle = self.handle(map);
            let (reply, answer) = oneshot::channel();
            if handle.tx.send(make(reply)).await.is_err() {
                continue; // the room unloaded just now: start a new one
            }
            match answer.await {
                Ok(result) => return result,
                Err(_) => continue, // the room stopped before answering
            }
        }
        Err(RoomError::Load("room keeps stopping".into()))
    }

    /// The display names of the people connected to `map` now, sorted, each once.
    pub fn online(&self, map: &MapId) -> Vec<String> {
        let online = self.inner.online.lock().unwrap_or_else(|p| p.into_inner());
        let mut names: Vec<String> = online
            .get(map)
            .map(|peers| peers.values().cloned().collect())
            .unwrap_or_default();
        names.sort();
        names.dedup();
        names
    }

    /// Records a connected peer (see [`Rooms::online`]).
    pub(crate) fn peer_online(&self, map: &MapId, peer: u64, name: String) {
        let mut online = self.inner.online.lock().unwrap_or_else(|p| p.into_inner());
        online.entry(map.clone()).or_default().insert(peer, name);
    }

    /// Forgets a peer that disconnected.
    pub(crate) fn peer_offline(&self, map: &MapId, peer: u64) {
        let mut online = self.inner.online.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(peers) = online.get_mut(map) {
            peers.remove(&peer);
            if peers.is_empty() {
                online.remove(map);
            }
        }
    }

    /// The JSON view of a map's live document.
    pub async fn view(&self, map: &MapId) -> Result<MapView, RoomError> {
        self.ask(map, |reply| RoomCommand::View { reply }).await
    }

    /// The whole live document as a Yrs update v1, with its JSON view at that instant.
    pub async fn snapshot(&self, map: &MapId) -> Result<(Vec<u8>, MapView), RoomError> {
        self.ask(map, |reply| RoomCommand::Snapshot { reply }).await
    }

    /// Closes a deleted map's room: its sockets are closed and nothing more is written.
    pub async fn close_deleted(&self, map: &MapId) {
        let handle = {
            let open = self.inner.open.lock().unwrap_or_else(|p| p.into_inner());
            open.get(map).cloned()
        };
        if let Some(handle) = handle {
            let _ = handle.tx.send(RoomCommand::Delete).await;
        }
    }

    /// How many access changes there have been (see [`Rooms::set_access`],
    /// [`Rooms::link_revoked`], [`Rooms::end_sessions`]).
    pub fn access_epoch(&self) -> u64 {
        self.inner.access_epoch.load(Ordering::Acquire)
    }

    fn access_changed(&self) {
        self.inner.access_epoch.fetch_add(1, Ordering::AcqRel);
    }

    /// Tells `map`'s room, if open, that `user`'s role changed (`None`: removed).
    pub async fn set_access(&self, map: &MapId, user: &UserId, role: Option<Role>) {
        self.access_changed();
        self.notify(
            map,
            RoomCommand::Access {
                user: user.clone(),
                role,
            },
        )
        .await;
    }

    /// Tells `map`'s room, if open, that a share link was revoked.
    pub async fn link_revoked(&self, map: &MapId, link: &str) {
        self.access_changed();
        self.notify(
            map,
            RoomCommand::LinkRevoked {
                link: link.to_owned(),
            },
        )
        .await;
    }

    /// Closes every socket of `user`, in every open room.
    pub async fn end_sessions(&self, user: &UserId) {
        self.access_changed();
        let handles: Vec<RoomHandle> = {
            let open = self.inner.open.lock().unwrap_or_else(|p| p.into_inner());
            open.values().cloned().collect()
        };
        for handle in handles {
            let _ = handle
                .tx
                .send(RoomCommand::EndSessions { user: user.clone() })
                .await;
        }
    }

    async fn notify(&self, map: &MapId, cmd: RoomCommand) {
        let handle = {
            let open = self.inner.open.lock().unwrap_or_else(|p| p.into_inner());
            open.get(map).cloned()
        };
        if let Some(handle) = handle {
            let _ = handle.tx.send(cmd).await;
        }
    }

    /// Removes `map`'s entry if it still is room `generation` and that room has nothing
    /// waiting in `rx`. Returns whether the room may stop. Holding the registry lock
    /// while checking `rx` means no new peer can reach the room after it says yes.
    pub(crate) fn try_remove(
        &self,
        map: &MapId,
        generation: u64,
        rx: &mpsc::Receiver<RoomCommand>,
    ) -> bool {
        let mut open = self.inner.open.lock().unwrap_or_else(|p| p.into_inner());
        if !rx.is_empty() {
            return false;
        }
        if open.get(map).is_some_and(|h| h.generation == generation) {
            open.remove(map);
        }
        true
    }

    /// Called once by every room as it stops: drops its entry if still there.
    pub(crate) fn forget(&self, map: &MapId, generation: u64) {
        let mut open = self.inner.open.lock().unwrap_or_else(|p| p.into_inner());
        if open.get(map).is_some_and(|h| h.generation == generation) {
            open.remove(map);
        }
        self.inner
            .metrics
            .rooms_open
            .fetch_sub(1, Ordering::Relaxed);
    }

    /// Waits (bounded) for every room to write its last edits and stop. Call after
    /// cancelling the shutdown token.
    pub async fn shutdown(&self) {
        self.inner.shutdown.cancel();
        self.inner.tracker.close();
        if tokio::time::timeout(SHUTDOWN_FLUSH_TIMEOUT, self.inner.tracker.wait())
            .await
            .is_err()
        {
            tracing::error!("rooms did not finish writing within the shutdown timeout");
        }
    }

    /// How many rooms are open (for tests and metrics).
    pub fn open_count(&self) -> usize {
        self.inner.open.lock().map(|o| o.len()).unwrap_or(0)
    }
}

/// The first state of a new map's document, as a Yrs update: schema version, title,
/// itinerary kind and default lanes, then the template's content.
pub fn initial_document(
    title: &str,
    itinerary: parcours_shared::ItineraryKind,
    template: parcours_shared::Template,
) -> Result<Vec<u8>, parcours_shared::schema::SchemaError> {
    use yrs::{ReadTxn, StateVector, Transact};
    let map = parcours_shared::schema::MapDoc::new(yrs::Doc::new());
    let mut ids = || crate::util::random_id(12);
    map.edit(|txn| match template {
        // Blank keeps the itinerary the caller chose.
        parcours_shared::Template::Blank => {
            txn.init(title, itinerary, &mut ids);
            Ok(())
        }
        other => parcours_shared::templates::apply(other, txn, title, &mut ids),
    })?;
    let state = map
        .doc()
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    Ok(state)
}
