//! The room actor: one task per open map. It loads the document, then runs the select
//! loop over commands and timers, performs what the protocol core ([`RoomDoc`]) asks
//! (queue to peers, close them, batch changes for the writer, reload), and unloads
//! itself when idle. The protocol itself lives in `doc/`.
//!
//! Over 400 lines because the select loop, the action performer and the flush/compact
//! batching share the room's state and timers; split, each part would need most of it.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use parcours_shared::ids::MapId;
use tokio::sync::mpsc;
use tokio::time::{sleep_until, Instant};
use tokio_util::sync::CancellationToken;

use super::command::{RoomCommand, RoomError};
use super::doc::{Action, RoomDoc};
use super::link::{CloseReason, PeerId, PeerLink};
use super::load::load;
use super::open::OpenRooms;
use super::persist::{PersistJob, Persister};
use crate::metrics::{add, inc, Metrics};
use crate::store::Store;

/// Delay before an idle room whose writes are still in flight checks again.
const UNLOAD_RETRY: Duration = Duration::from_secs(1);

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

/// What every room of the process shares: storage, counters, settings, the shutdown
/// signal and the table it takes itself out of when it stops.
#[derive(Clone)]
pub(crate) struct RoomContext {
    pub(crate) store: Store,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) settings: RoomSettings,
    pub(crate) shutdown: CancellationToken,
    pub(crate) open: Arc<OpenRooms>,
}

/// The task that becomes a room once its document is loaded.
pub(crate) struct RoomTask {
    pub(crate) map: MapId,
    pub(crate) generation: u64,
    pub(crate) ctx: RoomContext,
    pub(crate) rx: mpsc::Receiver<RoomCommand>,
}

impl RoomTask {
    /// Loads the document, then runs the room until it unloads, is deleted or the
    /// server shuts down.
    pub(crate) async fn run(mut self) {
        let map = self.map.clone();
        let ctx = self.ctx.clone();
        match load(&ctx.store, &map).await {
            Ok(loaded) => {
                let persister = Persister::start(
                    ctx.store.clone(),
                    map.clone(),
                    loaded.last_seq,
                    ctx.metrics.clone(),
                );
                let doc = RoomDoc::new(map.clone(), loaded.doc, ctx.metrics.clone());
                let mut room = Room {
                    title: doc.title(),
                    doc,
                    links: HashMap::new(),
                    pending: Vec::new(),
                    pending_updates: 0,
                    flush_at: None,
                    rows_since_snapshot: loaded.log_rows,
                    idle_at: Some(Instant::now() + ctx.settings.idle_unload),
                    tick_at: None,
                    persister,
                    map: map.clone(),
                    ctx: ctx.clone(),
                };
                room.run(&mut self).await;
            }
            Err(error) => {
                // Answer everyone who is waiting, then stop; the next join tries again.
                self.rx.close();
                while let Ok(cmd) = self.rx.try_recv() {
                    cmd.fail(error.clone());
                }
                if !matches!(error, RoomError::NotFound) {
                    tracing::error!(map = %map, %error, "room failed to load");
                }
            }
        }
        ctx.open.forget(&map, self.generation);
        ctx.metrics.rooms_open.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A loaded room.
struct Room {
    map: MapId,
    /// The protocol core: document, presence, peers.
    doc: RoomDoc,
    /// How to reach each peer the core holds.
    links: HashMap<PeerId, PeerLink>,
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
    /// When the core's [`RoomDoc::tick`] is due (updates held for a peer).
    tick_at: Option<Instant>,
    persister: Persister,
    ctx: RoomContext,
}

/// Why the loop stopped.
enum Stop {
    Unload,
    Shutdown,
    Deleted,
}

impl Room {
    async fn run(&mut self, task: &mut RoomTask) {
        let shutdown = self.ctx.shutdown.clone();
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
                _ = sleep_until(self.tick_at.unwrap_or_else(far_future)), if self.tick_at.is_some() => {
                    let mut out = Vec::new();
                    self.doc.tick(std::time::Instant::now(), &mut out);
                    self.perform(out).await;
                    self.after_command();
                }
            }
        };
        let mut out = Vec::new();
        match stop {
            Stop::Unload => tracing::debug!(map = %self.map, "room unloaded"),
            Stop::Shutdown => {
                // Apply what peers already sent, so nothing received is lost.
                while let Ok(cmd) = task.rx.try_recv() {
                    if !matches!(cmd, RoomCommand::Delete) {
                        self.handle(cmd).await;
                    }
                }
                self.write_everything().await;
                self.doc.close_all(CloseReason::ShuttingDown, &mut out);
                self.perform(out).await;
            }
            Stop::Deleted => {
                self.pending.clear();
                self.doc.close_all(CloseReason::MapDeleted, &mut out);
                self.perform(out).await;
                self.pending.clear();
                task.rx.close();
            }
        }
    }

    async fn handle(&mut self, cmd: RoomCommand) {
        let mut out = Vec::new();
        match cmd {
            RoomCommand::Join {
                peer,
                link,
                who,
                reply,
            } => {
                self.links.insert(peer, link);
                self.doc.join(peer, who, &mut out);
                let _ = reply.send(Ok(()));
            }
            RoomCommand::Access { user, role } => self.doc.set_access(&user, role, &mut out),
            RoomCommand::EndSessions { user } => self.doc.end_sessions(&user, &mut out),
            RoomCommand::LinkRevoked { link } => self.doc.link_revoked(&link, &mut out),
            RoomCommand::Frame { peer, messages } => {
                for message in messages {
                    if !self.doc.has_peer(peer) {
                        break; // closed by an earlier message of this frame
                    }
                    self.doc
                        .receive(peer, message, std::time::Instant::now(), &mut out);
                    // Perform as we go: a reload must happen before the next message.
                    self.perform(std::mem::take(&mut out)).await;
                }
            }
            RoomCommand::Leave { peer } => {
                self.links.remove(&peer);
                self.doc.leave(peer, &mut out);
            }
            RoomCommand::View { reply } => drop(reply.send(Ok(self.doc.view()))),
            RoomCommand::Snapshot { reply } => drop(reply.send(Ok(self.doc.snapshot()))),
            RoomCommand::Delete => {}
        }
        self.perform(out).await;
        self.after_command();
    }

    /// Sets the timers from the core's state: the idle timer while nobody is in the
    /// room, the tick while updates are held.
    fn after_command(&mut self) {
        self.idle_at = match (self.doc.peer_count(), self.idle_at) {
            (0, Some(at)) => Some(at),
            (0, None) => Some(Instant::now() + self.ctx.settings.idle_unload),
            _ => None,
        };
        self.tick_at = self
            .doc
            .next_tick(std::time::Instant::now())
            .map(Instant::from_std);
    }

    /// Performs the core's actions in order; closing a slow peer adds the actions its
    /// leaving causes.
    async fn perform(&mut self, actions: Vec<Action>) {
        let mut queue: VecDeque<Action> = actions.into();
        while let Some(action) = queue.pop_front() {
            let mut slow = Vec::new();
            match action {
                Action::Send { to, message } => {
                    if let Some(link) = self.links.get(&to) {
                        if !link.send(message) {
                            slow.push(to);
                        }
                    }
                }
                Action::Broadcast { except, message } => {
                    for (&id, link) in self.links.iter() {
                        if Some(id) != except && !link.send(message.clone()) {
                            slow.push(id);
                        }
                    }
                    add(
                        &self.ctx.metrics.bytes_sent,
                        (message.len() * self.links.len()) as u64,
                    );
                }
                Action::Close { peer, reason } => {
                    if let Some(mut link) = self.links.remove(&peer) {
                        link.close(reason);
                    }
                }
                Action::Persist { update } => {
                    self.pending.push(update);
                    self.pending_updates += 1;
                    if self.flush_at.is_none() {
                        self.flush_at = Some(Instant::now() + self.ctx.settings.flush_interval);
                    }
                }
                Action::Reload => {
                    let mut more = Vec::new();
                    self.reload(&mut more).await;
                    queue.extend(more);
                }
            }
            for id in slow {
                // A full queue means the peer fell behind: it resyncs on reconnect,
                // never silently skipped.
                if self.doc.has_peer(id) {
                    tracing::warn!(map = %self.map, peer = id, "peer too slow to keep up; disconnecting");
                    inc(&self.ctx.metrics.peers_too_slow);
                    let mut more = Vec::new();
                    self.doc.close(id, CloseReason::TooSlow, &mut more);
                    queue.extend(more);
                }
            }
        }
    }

    /// Throws the in-memory document away and rebuilds it from storage (after writing
    /// every change already applied and fanned out), then asks peers to resync.
    async fn reload(&mut self, out: &mut Vec<Action>) {
        inc(&self.ctx.metrics.room_reloads);
        self.write_everything().await;
        match load(&self.ctx.store, &self.map).await {
            Ok(loaded) => {
                tracing::warn!(map = %self.map, "room reloaded from storage after a suspect update");
                self.doc.replace_doc(loaded.doc, out);
            }
            Err(e) => {
                tracing::error!(map = %self.map, error = %e, "room reload failed; keeping the in-memory document")
            }
        }
    }

    /// Hands pending updates to the writer as one batch; compacts when the log is long.
    /// When the writer's queue is full (the database is slow or down), the batch stays
    /// pending, merged, and is offered again after another flush interval.
    fn flush(&mut self) {
        self.flush_at = None;
        if self.pending.is_empty() {
            return;
        }
        let updates = std::mem::take(&mut self.pending_updates);
        let pending = std::mem::take(&mut self.pending);
        let batch = if pending.len() == 1 {
            pending.into_iter().next().unwrap_or_default()
        } else {
            match yrs::merge_updates_v1(&pending) {
                Ok(merged) => merged,
                Err(e) => {
                    // Never seen; keep every edit, one job each, rather than lose any.
                    tracing::warn!(map = %self.map, error = %e, "could not merge a batch; writing updates one by one");
                    for data in pending {
                        self.hand_over(data, 0);
                    }
                    self.pending_updates += updates;
                    return self.after_flush();
                }
            }
        };
        self.hand_over(batch, updates);
        self.after_flush();
    }

    /// Hands every pending edit to the writer and waits until all are written.
    async fn write_everything(&mut self) {
        loop {
            self.flush();
            self.persister.drained().await;
            if self.pending.is_empty() {
                return;
            }
        }
    }

    /// Gives one batch to the writer, or keeps it pending when the queue is full.
    fn hand_over(&mut self, data: Vec<u8>, updates: u64) {
        let title = self.doc.title();
        let changed_title = (title != self.title).then_some(title);
        let job = PersistJob::Append {
            data,
            updates,
            title: changed_title.clone(),
        };
        match self.persister.try_send(job) {
            Ok(()) => {
                if let Some(title) = changed_title {
                    self.title = title;
                }
                self.rows_since_snapshot += 1;
            }
            Err(PersistJob::Append { data, updates, .. }) => {
                inc(&self.ctx.metrics.writer_backlog);
                self.pending.push(data);
                self.pending_updates += updates;
                self.flush_at = Some(Instant::now() + self.ctx.settings.flush_interval);
            }
            Err(_) => {}
        }
    }

    /// Compacts once the log is long and nothing waits for the writer's queue.
    fn after_flush(&mut self) {
        if self.pending.is_empty() && self.rows_since_snapshot >= self.ctx.settings.compact_every {
            self.compact();
        }
    }

    /// Queues a snapshot of the whole document; the writer drops the log rows it covers.
    /// Skipped (tried at the next flush) when the writer's queue is full.
    fn compact(&mut self) {
        let job = PersistJob::Compact {
            state: self.doc.encode_state(),
        };
        if self.persister.try_send(job).is_ok() {
            self.rows_since_snapshot = 0;
        }
    }

    /// Called when the idle timer fires: unloads if no peer came back and every edit is
    /// written (compacting first, so the next load is one snapshot).
    fn try_unload(&mut self, task: &RoomTask) -> bool {
        self.flush();
        if self.rows_since_snapshot > 0 && self.pending.is_empty() {
            self.compact();
        }
        if self.doc.peer_count() > 0 {
            self.idle_at = None;
            return false;
        }
        if !self.pending.is_empty() || !self.persister.is_idle() {
            self.idle_at = Some(Instant::now() + UNLOAD_RETRY);
            return false;
        }
        if self
            .ctx
            .open
            .try_remove(&self.map, task.generation, &task.rx)
        {
            return true;
        }
        self.idle_at = Some(Instant::now() + UNLOAD_RETRY);
        false
    }
}

fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(86_400)
}
