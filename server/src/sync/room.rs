//! The room actor: owns one map's Yrs document and awareness, applies what peers send,
//! fans each change out once, batches it for storage, and unloads itself when idle.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use bytes::Bytes;
use parcours_shared::api::{Role, UserId};
use parcours_shared::view::MapView;
use parcours_shared::MapId;
use tokio::sync::{mpsc, oneshot};
use tokio::time::{sleep_until, Instant};
use yrs::block::ClientID;
use yrs::sync::awareness::AwarenessUpdate;
use yrs::sync::Awareness;
use yrs::updates::decoder::Decode;
use yrs::{Doc, ReadTxn, StateVector, Transact, Update, WriteTxn};

use super::peer::{CloseReason, PeerId, PeerLink};
use super::persist::{PersistJob, Persister};
use super::wire::{self, Incoming};
use super::{RoomError, Rooms};
use crate::metrics::{add, inc};

/// Delay before an idle room whose writes are still in flight checks again.
const UNLOAD_RETRY: std::time::Duration = std::time::Duration::from_secs(1);

/// What a room is asked to do.
pub(crate) enum RoomCommand {
    /// A peer joins; the room answers with its first messages through `link`.
    Join {
        peer: PeerId,
        link: PeerLink,
        who: PeerIdentity,
        reply: oneshot::Sender<Result<(), RoomError>>,
    },
    /// An account's role on this map changed (`None`: removed). Takes effect at once on
    /// its open sockets: removed members are closed, demoted ones become read-only.
    Access { user: UserId, role: Option<Role> },
    /// An account signed out or changed its password: close its sockets.
    EndSessions { user: UserId },
    /// A share link was revoked: close the sockets that came in through it.
    LinkRevoked { link: String },
    /// Decoded messages from a peer.
    Frame {
        peer: PeerId,
        messages: Vec<Incoming>,
    },
    /// A peer left (socket closed).
    Leave { peer: PeerId },
    /// Read the JSON view of the document.
    View {
        reply: oneshot::Sender<Result<MapView, RoomError>>,
    },
    /// Read the whole document as a Yrs update together with its JSON view, taken at
    /// the same instant (a review round records what its reviewers see).
    Snapshot {
        reply: oneshot::Sender<Result<(Vec<u8>, MapView), RoomError>>,
    },
    /// The map was deleted: close every socket, write nothing more, stop.
    Delete,
}

/// The task that becomes a room once its document is loaded.
pub(crate) struct RoomTask {
    pub(crate) map: MapId,
    pub(crate) generation: u64,
    pub(crate) rooms: Rooms,
    pub(crate) rx: mpsc::Receiver<RoomCommand>,
}

impl RoomTask {
    /// Loads the document, then runs the room until it unloads, is deleted or the
    /// server shuts down.
    pub(crate) async fn run(mut self) {
        let map = self.map.clone();
        let generation = self.generation;
        let rooms = self.rooms.clone();
        match load(&rooms, &map).await {
            Ok((doc, last_seq, log_rows)) => {
                let inner = &rooms.inner;
                let persister = Persister::start(
                    inner.store.clone(),
                    map.clone(),
                    last_seq,
                    inner.metrics.clone(),
                );
                let title = parcours_shared::view::title(&doc);
                let mut room = Room {
                    map: map.clone(),
                    awareness: Awareness::new(doc),
                    peers: HashMap::new(),
                    pending: Vec::new(),
                    pending_updates: 0,
                    flush_at: None,
                    rows_since_snapshot: log_rows,
                    title,
                    idle_at: None,
                    persister,
                    rooms: rooms.clone(),
                };
                room.idle_at = Some(Instant::now() + rooms.settings().idle_unload);
                room.run(&mut self).await;
            }
            Err(error) => {
                // Answer everyone who is waiting, then stop; the next join tries again.
                self.rx.close();
                while let Ok(cmd) = self.rx.try_recv() {
                    let err = || match &error {
                        RoomError::NotFound => RoomError::NotFound,
                        RoomError::Load(m) => RoomError::Load(m.clone()),
                    };
                    match cmd {
                        RoomCommand::Join { reply, .. } => drop(reply.send(Err(err()))),
                        RoomCommand::View { reply } => drop(reply.send(Err(err()))),
                        RoomCommand::Snapshot { reply } => drop(reply.send(Err(err()))),
                        _ => {}
                    }
                }
                if !matches!(error, RoomError::NotFound) {
                    tracing::error!(map = %map, %error, "room failed to load");
                }
            }
        }
        rooms.forget(&map, generation);
    }
}

/// Loads a map's document: latest snapshot, then the log tail. Returns the doc, the
/// newest log seq, and how many log rows follow the snapshot.
async fn load(rooms: &Rooms, map: &MapId) -> Result<(Doc, i64, u64), RoomError> {
    let stored = rooms
        .inner
        .store
        .load_doc(map)
        .await
        .map_err(|e| RoomError::Load(e.to_string()))?
        .ok_or(RoomError::NotFound)?;
    let doc = Doc::new();
    let last_seq = stored
        .updates
        .last()
        .map(|(seq, _)| *seq)
        .unwrap_or(stored.covers_seq);
    let log_rows = stored.updates.len() as u64;
    let parts = stored
        .snapshot
        .iter()
        .chain(stored.updates.iter().map(|(_, data)| data));
    for data in parts {
        let applied = catch_unwind(AssertUnwindSafe(|| -> Result<(), String> {
            let update = Update::decode_v1(data).map_err(|e| e.to_string())?;
            doc.transact_mut()
                .apply_update(update)
                .map_err(|e| e.to_string())
        }));
        match applied {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(RoomError::Load(format!("stored update is unreadable: {e}"))),
            Err(_) => {
                return Err(RoomError::Load(
                    "stored update made the decoder panic".into(),
                ))
            }
        }
    }
    Ok((doc, last_seq, log_rows))
}

/// Who a peer is and what it may do.
#[derive(Debug, Clone)]
pub struct PeerIdentity {
    /// The signed-in account, or `None` for a public link.
    pub user: Option<UserId>,
    /// Whether its document updates are applied (editors and owners).
    pub can_edit: bool,
    /// The public link it came through, if any.
    pub via_link: Option<String>,
    /// The name shown to others (the account's display name, or a public-link visitor).
    pub name: String,
}

/// One connected peer as the room sees it.
struct Peer {
    link: PeerLink,
    who: PeerIdentity,
    /// Awareness client ids this peer has announced; cleared when it leaves.
    clients: Vec<ClientID>,
}

/// A loaded room.
struct Room {
    map: MapId,
    /// The document and everyone's presence.
    awareness: Awareness,
    peers: HashMap<PeerId, Peer>,
    /// Applied updates not yet handed to the writer.
    pending: Vec<Vec<u8>>,
    /// How many peer updates `pending` holds.
    pending_updates: u64,
    /// When `pending` must be handed to the writer.
    flush_at: Option<Instant>,
    /// Log rows written since the last snapshot.
    rows_since_snapshot: u64,
    /// The title as last written to the `maps` row.
    title: String,
    /// When the room unloads if still without peers.
    idle_at: Option<Instant>,
    persister: Persister,
    rooms: Rooms,
}

/// Why the loop stopped.
enum Stop {
    Unload,
    Shutdown,
    Deleted,
}

impl Room {
    async fn run(&mut self, task: &mut RoomTask) {
        let shutdown = self.rooms.inner.shutdown.clone();
        let stop = loop {
            tokio::select! {
                biased;
                _ = shutdown.cancelled() => break Stop::Shutdown,
                cmd = task.rx.recv() => match cmd {
                    Some(RoomCommand::Delete) => break Stop::Deleted,
                    Some(cmd) => self.handle(cmd).await,
                    None => break Stop::Shutdown,
                },
                _ = sleep_until(self.flush_at.unwrap_or_else(far_future)), if self.flush_at.is_some() => self.flush(),
                _ = sleep_until(self.idle_at.unwrap_or_else(far_future)), if self.idle_at.is_some() => {
                    if self.try_unload(task) { break Stop::Unload; }
                }
            }
        };
        match stop {
            Stop::Unload => tracing::debug!(map = %self.map, "room unloaded"),
            Stop::Shutdown => {
                // Apply what peers already sent, so nothing received is lost.
                while let Ok(cmd) = task.rx.try_recv() {
                    if !matches!(cmd, RoomCommand::Delete) {
                        self.handle(cmd).await;
                    }
                }
                self.flush();
                self.persister.drained().await;
                for peer in self.peers.values_mut() {
                    peer.link.close(CloseReason::ShuttingDown);
                }
            }
            Stop::Deleted => {
                self.pending.clear();
                for peer in self.peers.values_mut() {
                    peer.link.close(CloseReason::MapDeleted);
                }
                task.rx.close();
            }
        }
    }

    async fn handle(&mut self, cmd: RoomCommand) {
        match cmd {
            RoomCommand::Join {
                peer,
                link,
                who,
                reply,
            } => {
                self.join(peer, link, who);
                let _ = reply.send(Ok(()));
            }
            RoomCommand::Access { user, role } => match role {
                Some(role) => {
                    for p in self
                        .peers
                        .values_mut()
                        .filter(|p| p.who.user.as_ref() == Some(&user))
                    {
                        p.who.can_edit = role.can_edit();
                    }
                }
                None => self.close_where(
                    |w| w.user.as_ref() == Some(&user),
                    CloseReason::AccessRemoved,
                ),
            },
            RoomCommand::EndSessions { user } => {
                self.close_where(|w| w.user.as_ref() == Some(&user), CloseReason::SignedOut)
            }
            RoomCommand::LinkRevoked { link } => self.close_where(
                |w| w.via_link.as_ref() == Some(&link),
                CloseReason::AccessRemoved,
            ),
            RoomCommand::Frame { peer, messages } => {
                for message in messages {
                    if !self.peers.contains_key(&peer) {
                        break; // kicked by an earlier message of this frame
                    }
                    self.on_message(peer, message).await;
                }
            }
            RoomCommand::Leave { peer } => self.leave(peer),
            RoomCommand::View { reply } => {
                let view = parcours_shared::view::read_view(self.awareness.doc());
                let _ = reply.send(Ok(view));
            }
            RoomCommand::Snapshot { reply } => {
                let txn = self.awareness.doc().transact();
                let state = txn.encode_state_as_update_v1(&StateVector::default());
                let view = parcours_shared::view::read_view_txn(&txn);
                let _ = reply.send(Ok((state, view)));
            }
            RoomCommand::Delete => {}
        }
    }

    fn join(&mut self, id: PeerId, link: PeerLink, who: PeerIdentity) {
        self.idle_at = None;
        let mut peer = Peer {
            link,
            who,
            clients: Vec::new(),
        };
        let sv = self.awareness.doc().transact().state_vector();
        let mut ok = peer.link.send(wire::sync_step1(&sv));
        if let Ok(update) = self.awareness.update() {
            if !update.clients.is_empty() {
                ok = ok && peer.link.send(wire::awareness(update));
            }
        }
        if ok {
            self.peers.insert(id, peer);
        } else {
            peer.link.close(CloseReason::TooSlow);
        }
    }

    async fn on_message(&mut self, peer: PeerId, message: Incoming) {
        match message {
            Incoming::SyncStep1(sv) => {
                let update = self
                    .awareness
                    .doc()
                    .transact()
                    .encode_state_as_update_v1(&sv);
                self.send_to(peer, wire::sync_step2(update));
            }
            Incoming::Update(update) => self.on_update(peer, update).await,
            Incoming::Awareness(update) => self.on_awareness(peer, update),
            Incoming::AwarenessQuery => {
                if let Ok(update) = self.awareness.update() {
                    self.send_to(peer, wire::awareness(update));
                }
            }
        }
    }

    /// Applies a peer's update. Updates from viewers and commenters are dropped: never
    /// applied, fanned out or written. An update that does not fit the document (a gap
    /// in a client's clock, references to unknown items, a panic inside yrs)
    /// disconnects its sender; if part of it got in, the room reloads from storage.
    async fn on_update(&mut self, peer: PeerId, update: Update) {
        if !self.peers.get(&peer).is_some_and(|p| p.who.can_edit) {
            inc(&self.metrics().updates_refused);
            tracing::debug!(map = %self.map, peer, "dropped an update from a read-only peer");
            return;
        }
        let sv = self.awareness.doc().transact().state_vector();
        if let Some(client) = first_gap(&update, &sv) {
            self.reject(
                peer,
                format!("update skips ahead in client {client}'s history"),
            );
            return;
        }
        let doc = self.awareness.doc().clone();
        let outcome = catch_unwind(AssertUnwindSafe(move || -> Result<Applied, String> {
            let mut txn = doc.transact_mut();
            txn.apply_update(update).map_err(|e| e.to_string())?;
            if txn.has_missing_updates() {
                txn.prune_pending();
                return Ok(Applied::Incomplete {
                    partial: txn.has_changes(),
                });
            }
            if !txn.has_changes() {
                return Ok(Applied::Nothing);
            }
            Ok(Applied::Changed(txn.encode_update_v1()))
        }));
        match outcome {
            Ok(Ok(Applied::Changed(encoded))) => {
                inc(&self.metrics().updates_applied);
                let message = wire::sync_update(encoded.clone());
                self.broadcast(Some(peer), &message);
                self.pending.push(encoded);
                self.pending_updates += 1;
                if self.flush_at.is_none() {
                    self.flush_at = Some(Instant::now() + self.rooms.settings().flush_interval);
                }
            }
            Ok(Ok(Applied::Nothing)) => {}
            Ok(Ok(Applied::Incomplete { partial })) => {
                self.reject(
                    peer,
                    "update refers to content the map does not have".into(),
                );
                if partial {
                    self.reload().await;
                }
            }
            Ok(Err(e)) => {
                self.reject(peer, format!("update could not be applied: {e}"));
                self.reload().await;
            }
            Err(_) => {
                self.reject(peer, "update made the document panic".into());
                self.reload().await;
            }
        }
    }

    fn on_awareness(&mut self, peer: PeerId, update: AwarenessUpdate) {
        let clients: Vec<ClientID> = update.clients.keys().copied().collect();
        let message = wire::awareness(update.clone());
        match self.awareness.apply_update_summary(update) {
            Ok(_) => {
                if let Some(p) = self.peers.get_mut(&peer) {
                    for client in clients {
                        if !p.clients.contains(&client) {
                            p.clients.push(client);
                        }
                    }
                }
                // Everyone, the sender included: y-websocket treats silence as a dead link.
                self.broadcast(None, &message);
            }
            Err(e) => self.reject(peer, format!("bad awareness update: {e}")),
        }
    }

    fn leave(&mut self, peer: PeerId) {
        if let Some(p) = self.peers.remove(&peer) {
            self.clear_presence(&p.clients);
        }
        if self.peers.is_empty() {
            self.idle_at = Some(Instant::now() + self.rooms.settings().idle_unload);
        }
    }

    /// Marks `clients` as gone and tells the remaining peers.
    fn clear_presence(&mut self, clients: &[ClientID]) {
        let still_here: Vec<ClientID> = self
            .peers
            .values()
            .flat_map(|p| p.clients.iter().copied())
            .collect();
        let gone: Vec<ClientID> = clients
            .iter()
            .copied()
            .filter(|c| !still_here.contains(c))
            .collect();
        if gone.is_empty() {
            return;
        }
        for &client in &gone {
            self.awareness.remove_state(client);
        }
        if let Ok(update) = self.awareness.update_with_clients(gone) {
            self.broadcast(None, &wire::awareness(update));
        }
    }

    /// Closes every peer whose identity matches, with `reason`.
    fn close_where(&mut self, matches: impl Fn(&PeerIdentity) -> bool, reason: CloseReason) {
        let ids: Vec<PeerId> = self
            .peers
            .iter()
            .filter(|(_, p)| matches(&p.who))
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            if let Some(mut p) = self.peers.remove(&id) {
                tracing::info!(map = %self.map, peer = id, ?reason, "closing peer");
                p.link.close(reason.clone());
                self.clear_presence(&p.clients);
            }
        }
        if self.peers.is_empty() {
            self.idle_at = Some(Instant::now() + self.rooms.settings().idle_unload);
        }
    }

    /// Disconnects a peer that sent something the room refuses, with the reason logged.
    fn reject(&mut self, peer: PeerId, reason: String) {
        tracing::warn!(map = %self.map, peer, %reason, "disconnecting peer");
        inc(&self.metrics().peers_rejected);
        if let Some(mut p) = self.peers.remove(&peer) {
            p.link.close(CloseReason::BadInput(reason));
            self.clear_presence(&p.clients);
        }
        if self.peers.is_empty() {
            self.idle_at = Some(Instant::now() + self.rooms.settings().idle_unload);
        }
    }

    /// Throws the in-memory document away and rebuilds it from storage (after writing
    /// every change already applied and fanned out), then asks peers to resync.
    async fn reload(&mut self) {
        inc(&self.metrics().room_reloads);
        self.flush();
        self.persister.drained().await;
        match load(&self.rooms, &self.map).await {
            Ok((doc, _, _)) => {
                tracing::warn!(map = %self.map, "room reloaded from storage after a suspect update");
                self.awareness = Awareness::new(doc);
                let sv = self.awareness.doc().transact().state_vector();
                self.broadcast(None, &wire::sync_step1(&sv));
            }
            Err(e) => {
                tracing::error!(map = %self.map, error = %e, "room reload failed; keeping the in-memory document")
            }
        }
    }

    /// Hands pending updates to the writer as one batch; compacts when the log is long.
    fn flush(&mut self) {
        self.flush_at = None;
        if self.pending.is_empty() {
            return;
        }
        let updates = std::mem::take(&mut self.pending_updates);
        let pending = std::mem::take(&mut self.pending);
        let batches = if pending.len() == 1 {
            pending
        } else {
            match yrs::merge_updates_v1(&pending) {
                Ok(merged) => vec![merged],
                Err(e) => {
                    tracing::warn!(map = %self.map, error = %e, "could not merge a batch; writing updates one by one");
                    pending
                }
            }
        };
        let title = parcours_shared::view::title(self.awareness.doc());
        let mut title = (title != self.title).then(|| {
            self.title = title.clone();
            title
        });
        let n = batches.len();
        for (i, data) in batches.into_iter().enumerate() {
            let updates = if i + 1 == n { updates } else { 0 };
            self.persister.send(PersistJob::Append {
                data,
                updates,
                title: title.take(),
            });
            self.rows_since_snapshot += 1;
        }
        if self.rows_since_snapshot >= self.rooms.settings().compact_every {
            self.compact();
        }
    }

    /// Queues a snapshot of the whole document; the writer drops the log rows it covers.
    fn compact(&mut self) {
        let state = self
            .awareness
            .doc()
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        self.persister.send(PersistJob::Compact { state });
        self.rows_since_snapshot = 0;
    }

    /// Called when the idle timer fires: unloads if no peer came back and every edit is
    /// written (compacting first, so the next load is one snapshot).
    fn try_unload(&mut self, task: &RoomTask) -> bool {
        self.flush();
        if self.rows_since_snapshot > 0 {
            self.compact();
        }
        if !self.peers.is_empty() {
            self.idle_at = None;
            return false;
        }
        if !self.persister.is_idle() {
            self.idle_at = Some(Instant::now() + UNLOAD_RETRY);
            return false;
        }
        if self.rooms.try_remove(&self.map, task.generation, &task.rx) {
            return true;
        }
        self.idle_at = Some(Instant::now() + UNLOAD_RETRY);
        false
    }

    fn send_to(&mut self, peer: PeerId, message: Bytes) {
        let ok = match self.peers.get_mut(&peer) {
            Some(p) => p.link.send(message),
            None => return,
        };
        if !ok {
            self.drop_slow(vec![peer]);
        }
    }

    /// Sends one encoded message to every peer but `except`; a peer whose queue is
    /// full is disconnected (it resyncs on reconnect), never silently skipped.
    fn broadcast(&mut self, except: Option<PeerId>, message: &Bytes) {
        let mut slow = Vec::new();
        for (&id, peer) in self.peers.iter_mut() {
            if Some(id) != except && !peer.link.send(message.clone()) {
                slow.push(id);
            }
        }
        add(
            &self.metrics().bytes_sent,
            (message.len() * self.peers.len()) as u64,
        );
        if !slow.is_empty() {
            self.drop_slow(slow);
        }
    }

    fn drop_slow(&mut self, slow: Vec<PeerId>) {
        for id in slow {
            if let Some(mut p) = self.peers.remove(&id) {
                tracing::warn!(map = %self.map, peer = id, "peer too slow to keep up; disconnecting");
                inc(&self.metrics().peers_too_slow);
                p.link.close(CloseReason::TooSlow);
                self.clear_presence(&p.clients);
            }
        }
        if self.peers.is_empty() {
            self.idle_at = Some(Instant::now() + self.rooms.settings().idle_unload);
        }
    }

    fn metrics(&self) -> &crate::metrics::Metrics {
        &self.rooms.inner.metrics
    }
}

enum Applied {
    Changed(Vec<u8>),
    Nothing,
    Incomplete { partial: bool },
}

/// The first client whose blocks in `update` start past what the document has: such
/// an update cannot be integrated and would sit in the pending set forever.
///
/// Honest y-protocols clients never send one: their updates build on what the server
/// sent them or on their own earlier updates. The one known exception is a client that
/// reconnects with edits the server never got (made offline, or lost in transit) and
/// sends a new update before answering the server's sync step 1; it is closed with 1007,
/// reconnects and resyncs (its step 2 then carries everything). The Parcours web app
/// holds its updates until it has answered step 1 (`client/src/live`, tested by
/// tests/browser/resync.mjs); y-websocket does not, so a Yjs client may hit this.
fn first_gap(update: &Update, sv: &StateVector) -> Option<ClientID> {
    update
        .state_vector_lower()
        .iter()
        .find(|(client, clock)| **clock > sv.get(client))
        .map(|(client, _)| *client)
}

fn far_future() -> Instant {
    Instant::now() + std::time::Duration::from_secs(86_400)
}
