//! The registry of open rooms: it starts a map's room on first join (exactly once, even
//! when two peers arrive together), routes access changes to rooms, knows who is on
//! each map, and waits for every room to write its last edits at shutdown.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use parcours_shared::ids::{MapId, Role, UserId};
use parcours_shared::view::MapView;
use tokio::sync::{mpsc, oneshot, watch};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::bus::{Bus, Control};
use super::command::{PendingVersion, RoomCommand, RoomError};
use super::doc::Scope;
use super::link::{PeerId, PeerIdentity, PeerLink};
use super::open::{OpenRooms, RoomHandle};
use super::room::{RoomContext, RoomSettings, RoomTask};
use crate::history::versions::VersionRequest;
use crate::metrics::Metrics;
use crate::store::{Store, VersionRecord};

/// Commands waiting for a room before senders wait (the room's inbox).
const ROOM_INBOX: usize = 4096;
/// How long shutdown waits for rooms to write their last edits.
const SHUTDOWN_FLUSH_TIMEOUT: Duration = Duration::from_secs(30);

/// The registry of open rooms; cheap to clone.
#[derive(Clone)]
pub struct Rooms {
    inner: Arc<RoomsInner>,
}

struct RoomsInner {
    /// What each room is started with (it holds the table of open rooms).
    ctx: RoomContext,
    tracker: TaskTracker,
    /// Who is connected to each map now (peer → display name), for the maps list.
    online: Mutex<HashMap<MapId, HashMap<u64, String>>>,
    /// Counts access changes (roles, removals, revoked links, ended sessions) on any
    /// map: readers who hold access (the event streams) check it again only when this
    /// moved since they last did.
    access_epoch: watch::Sender<u64>,
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
                ctx: RoomContext {
                    store,
                    metrics,
                    settings,
                    shutdown,
                    open: Arc::new(OpenRooms::default()),
                    bus: Arc::default(),
                },
                tracker: TaskTracker::new(),
                online: Mutex::new(HashMap::new()),
                access_epoch: watch::Sender::new(0),
            }),
        }
    }

    /// Joins the cluster (`--cluster`): connects the bus on `url` (PostgreSQL) as
    /// `node`. From then on what rooms apply for their peers reaches the rooms of the
    /// same maps on the other nodes, access changes made on any node reach the
    /// sockets of every node, and `events` (comment, round and inbox events) reach
    /// the event streams of every node.
    pub async fn join_cluster(
        &self,
        url: &str,
        redis_url: Option<&str>,
        node: String,
        events: &crate::events::Events,
    ) -> Result<Bus, super::bus::BusError> {
        let ctx = &self.inner.ctx;
        let (control_tx, mut control_rx) = mpsc::unbounded_channel();
        let bus = Bus::start(
            super::bus::Endpoints {
                postgres: url,
                redis: redis_url,
            },
            node,
            ctx.open.clone(),
            super::bus::Outlets {
                control: control_tx,
                events: events.clone(),
            },
            ctx.store.clone(),
            ctx.metrics.clone(),
            ctx.shutdown.clone(),
        )
        .await?;
        let _ = ctx.bus.set(bus.clone());
        let rooms = self.clone();
        let shutdown = ctx.shutdown.clone();
        tokio::spawn(async move {
            loop {
                let control = tokio::select! {
                    c = control_rx.recv() => match c { Some(c) => c, None => return },
                    _ = shutdown.cancelled() => return,
                };
                rooms.apply_control(control).await;
            }
        });
        Ok(bus)
    }

    /// An access change another node made, applied to this node's rooms.
    async fn apply_control(&self, control: Control) {
        self.access_changed();
        match control {
            Control::Access { map, user, role } => {
                self.notify(&map, RoomCommand::Access { user, role }).await
            }
            Control::LinkRevoked { map, link } => {
                self.notify(&map, RoomCommand::LinkRevoked { link }).await
            }
            Control::EndSessions { user } => self.end_sessions_here(&user).await,
            Control::Deleted { map } => self.notify(&map, RoomCommand::Delete).await,
        }
    }

    /// Tells the other nodes (with `--cluster`).
    async fn tell_cluster(&self, control: Control) {
        if let Some(bus) = self.inner.ctx.bus.get() {
            bus.control(control).await;
        }
    }

    /// The settings rooms run with.
    pub fn settings(&self) -> &RoomSettings {
        &self.inner.ctx.settings
    }

    /// The room for `map`, started if it is not open. Loading happens inside the room's
    /// task, so this never waits on storage and a map is never loaded twice.
    fn handle(&self, map: &MapId) -> RoomHandle {
        let ctx = &self.inner.ctx;
        let (handle, started) = ctx.open.get_or_start(map, |generation| {
            let (tx, rx) = mpsc::channel(ROOM_INBOX);
            let room = RoomTask {
                map: map.clone(),
                generation,
                ctx: ctx.clone(),
                rx,
            };
            self.inner.tracker.spawn(room.run());
            tx
        });
        if started {
            ctx.metrics.rooms_open.fetch_add(1, Ordering::Relaxed);
        }
        handle
    }

    /// Joins `map`'s room with a new peer, starting the room if needed; retries when
    /// the room unloaded between lookup and join. Returns the room's inbox.
    pub(crate) async fn join(
        &self,
        map: &MapId,
        peer: PeerId,
        mut link: PeerLink,
        who: PeerIdentity,
    ) -> Result<mpsc::Sender<RoomCommand>, RoomError> {
        for _ in 0..3 {
            let handle = self.handle(map);
            let (reply, answer) = oneshot::channel();
            let join = RoomCommand::Join {
                peer,
                link,
                who: who.clone(),
                reply,
            };
            if let Err(mpsc::error::SendError(cmd)) = handle.tx.send(join).await {
                // The room unloaded between lookup and send: take the link back, start anew.
                match cmd {
                    RoomCommand::Join { link: back, .. } => link = back,
                    _ => return Err(RoomError::Load("room refused the join".into())),
                }
                continue;
            }
            return match answer.await {
                Ok(Ok(())) => Ok(handle.tx),
                Ok(Err(e)) => Err(e),
                Err(_) => Err(RoomError::Load("room stopped while joining".into())),
            };
        }
        Err(RoomError::Load("room keeps stopping".into()))
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

    /// The display names of the people connected to each of `maps` now, on this node
    /// and (with `--cluster`) on every other, sorted, each once. When the other nodes'
    /// list cannot be read, this node's alone.
    pub async fn online_everywhere(&self, maps: &[MapId]) -> HashMap<MapId, Vec<String>> {
        let mut all: HashMap<MapId, Vec<String>> = HashMap::new();
        if let Some(bus) = self.inner.ctx.bus.get() {
            match bus.online_elsewhere(maps).await {
                Ok(elsewhere) => all = elsewhere,
                Err(e) => tracing::warn!(error = %e, "who is on the other nodes is unknown"),
            }
        }
        for map in maps {
            let here = self.online(map);
            if here.is_empty() && !all.contains_key(map) {
                continue;
            }
            let names = all.entry(map.clone()).or_default();
            names.extend(here);
            names.sort();
            names.dedup();
        }
        all
    }

    /// Records a connected peer (see [`Rooms::online`]).
    pub(crate) fn peer_online(&self, map: &MapId, peer: u64, name: String) {
        if let Some(bus) = self.inner.ctx.bus.get() {
            bus.online(peer, Some((map.clone(), name.clone())));
        }
        let mut online = self.inner.online.lock().unwrap_or_else(|p| p.into_inner());
        online.entry(map.clone()).or_default().insert(peer, name);
    }

    /// Forgets a peer that disconnected.
    pub(crate) fn peer_offline(&self, map: &MapId, peer: u64) {
        if let Some(bus) = self.inner.ctx.bus.get() {
            bus.online(peer, None);
        }
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

    /// Records a version of a map's live document (after every edit already applied)
    /// and returns it once written.
    pub async fn create_version(
        &self,
        map: &MapId,
        request: VersionRequest,
    ) -> Result<VersionRecord, RoomError> {
        let pending = self
            .ask(map, |reply| RoomCommand::CreateVersion {
                request: request.clone(),
                reply,
            })
            .await?;
        written(pending).await?.ok_or_else(|| RoomError::Refused {
            code: "no_changes",
            message: "nothing changed since the last version".into(),
        })
    }

    /// Makes a map's live document equal to `past` (a whole Yrs update v1), or only
    /// `element` of it, as a forward change by `by` that every peer receives. Returns
    /// the version recorded just before (restoring it undoes this).
    pub async fn restore(
        &self,
        map: &MapId,
        past: Vec<u8>,
        element: Option<String>,
        by: &UserId,
    ) -> Result<VersionRecord, RoomError> {
        let scope = match element {
            Some(e) => Scope::Element(e),
            None => Scope::Whole,
        };
        let pending = self
            .ask(map, |reply| RoomCommand::Restore {
                past: past.clone(),
                scope: scope.clone(),
                by: by.clone(),
                reply,
            })
            .await?;
        written(pending).await?.ok_or_else(|| {
            RoomError::Load("the version before the restore was not recorded".into())
        })
    }

    /// Applies a change the server makes to a map's live document on `by`'s behalf
    /// (a Yrs update v1 built on the live state); every peer receives it. Returns
    /// whether it changed anything.
    pub async fn apply_server_change(
        &self,
        map: &MapId,
        update: Vec<u8>,
        by: &UserId,
    ) -> Result<bool, RoomError> {
        self.ask(map, |reply| RoomCommand::ServerChange {
            update: update.clone(),
            by: by.clone(),
            reply,
        })
        .await
    }

    /// Closes a deleted map's room: its sockets are closed and nothing more is written.
    pub async fn close_deleted(&self, map: &MapId) {
        self.tell_cluster(Control::Deleted { map: map.clone() })
            .await;
        if let Some(handle) = self.inner.ctx.open.get(map) {
            let _ = handle.tx.send(RoomCommand::Delete).await;
        }
    }

    /// How many access changes there have been (see [`Rooms::set_access`],
    /// [`Rooms::link_revoked`], [`Rooms::end_sessions`]).
    pub fn access_epoch(&self) -> u64 {
        *self.inner.access_epoch.borrow()
    }

    /// Wakes up when access changes anywhere (see [`Rooms::access_epoch`]): long-lived
    /// readers check theirs again at once instead of at their next event.
    pub fn watch_access(&self) -> watch::Receiver<u64> {
        self.inner.access_epoch.subscribe()
    }

    fn access_changed(&self) {
        self.inner.access_epoch.send_modify(|epoch| *epoch += 1);
    }

    /// Tells `map`'s room, if open, that `user`'s role changed (`None`: removed).
    pub async fn set_access(&self, map: &MapId, user: &UserId, role: Option<Role>) {
        self.tell_cluster(Control::Access {
            map: map.clone(),
            user: user.clone(),
            role,
        })
        .await;
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
        self.tell_cluster(Control::LinkRevoked {
            map: map.clone(),
            link: link.to_owned(),
        })
        .await;
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
        self.tell_cluster(Control::EndSessions { user: user.clone() })
            .await;
        self.end_sessions_here(user).await;
    }

    async fn end_sessions_here(&self, user: &UserId) {
        self.access_changed();
        for handle in self.inner.ctx.open.all() {
            let _ = handle
                .tx
                .send(RoomCommand::EndSessions { user: user.clone() })
                .await;
        }
    }

    async fn notify(&self, map: &MapId, cmd: RoomCommand) {
        if let Some(handle) = self.inner.ctx.open.get(map) {
            let _ = handle.tx.send(cmd).await;
        }
    }

    /// Waits (bounded) for every room to write its last edits and stop. Call after
    /// cancelling the shutdown token.
    pub async fn shutdown(&self) {
        self.inner.ctx.shutdown.cancel();
        self.inner.tracker.close();
        if tokio::time::timeout(SHUTDOWN_FLUSH_TIMEOUT, self.inner.tracker.wait())
            .await
            .is_err()
        {
            tracing::error!("rooms did not finish writing within the shutdown timeout");
        } else if let Some(bus) = self.inner.ctx.bus.get() {
            // Everything written: no other node needs to write it for this one.
            bus.leave().await;
        }
    }

    /// How many rooms are open (for tests and metrics).
    pub fn open_count(&self) -> usize {
        self.inner.ctx.open.len()
    }
}

/// Waits for the writer to record a version the room queued.
async fn written(pending: PendingVersion) -> Result<Option<VersionRecord>, RoomError> {
    match pending.await {
        Ok(Ok(version)) => Ok(version),
        Ok(Err(e)) => Err(RoomError::Load(e)),
        Err(_) => Err(RoomError::Load(
            "the room stopped before writing the version".into(),
        )),
    }
}
