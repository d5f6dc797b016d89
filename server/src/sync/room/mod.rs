//! The room actor: one task per open map. It loads the document, then runs the select
//! loop over commands and timers, performs what the protocol core ([`RoomDoc`]) asks
//! (queue to peers, close them, batch changes for the writer, reload), and unloads
//! itself when idle. The protocol itself lives in `doc/`; performing its actions in
//! `perform.rs`; what the room hands to its writer (batches, snapshots, checkpoints,
//! versions, restores) in `write.rs`.

mod perform;
mod write;

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use parcours_shared::ids::MapId;
use parcours_shared::ItineraryKind;
use tokio::sync::mpsc;
use tokio::time::{sleep_until, Instant};
use tokio_util::sync::CancellationToken;
use yrs::updates::decoder::Decode;

use super::batch::Pending;
use super::bus::Bus;
use super::command::{RoomCommand, RoomError};
use super::doc::RoomDoc;
use super::link::{CloseReason, PeerId, PeerLink};
use super::load::load;
use super::open::OpenRooms;
use super::persist::Persister;
use crate::metrics::Metrics;
use crate::store::Store;

/// Delay before an idle room whose writes are still in flight checks again.
const UNLOAD_RETRY: Duration = Duration::from_secs(1);

/// Room behaviour settings, from the configuration.
#[derive(Debug, Clone)]
pub struct RoomSettings {
    /// Longest time an applied edit waits before it is handed to storage.
    pub flush_interval: Duration,
    /// Log rows after which the room writes a snapshot (loading then skips them).
    pub compact_every: u64,
    /// Log rows between two history checkpoints (see `write.rs`).
    pub checkpoint_every: u64,
    /// Editing paused this long makes an automatic version.
    pub version_idle: Duration,
    /// Continuous editing makes an automatic version at least this often.
    pub version_every: Duration,
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
    /// The cluster bus, with `--cluster` (set once at startup).
    pub(crate) bus: Arc<OnceLock<Bus>>,
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
                    // Unknown until the first batch writes it: a row left stale by an
                    // older server is set right by the map's next edit.
                    itinerary: None,
                    doc,
                    links: HashMap::new(),
                    pending: Pending::default(),
                    flush_at: None,
                    rows_since_snapshot: loaded.log_rows,
                    rows_since_checkpoint: loaded.rows_since_checkpoint,
                    checkpoint_at: loaded.checkpoint_at,
                    unversioned: None,
                    version_at: None,
                    version_lag: VersionLag::of(&map),
                    idle_at: Some(Instant::now() + ctx.settings.idle_unload),
                    tick_at: None,
                    persister,
                    bus_behind: false,
                    map: map.clone(),
                    ctx: ctx.clone(),
                };
                if let Some(bus) = ctx.bus.get() {
                    // What other nodes published and may not have written yet.
                    bus.read_from_start(&map);
                }
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
        if let Some(bus) = ctx.bus.get() {
            bus.closed(&map);
        }
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
    /// Applied updates not yet handed to the writer, one batch per author in turn.
    pending: Pending,
    /// When `pending` must be handed to the writer.
    flush_at: Option<Instant>,
    /// Log rows written since the last snapshot.
    rows_since_snapshot: u64,
    /// Log rows written since the last history checkpoint.
    rows_since_checkpoint: u64,
    /// When the last history checkpoint was written (ms).
    checkpoint_at: i64,
    /// Editing since the last version.
    unversioned: Option<Unversioned>,
    /// When an automatic version is due.
    version_at: Option<Instant>,
    /// This map's place in the spread of automatic versions (see [`VersionLag`]).
    version_lag: VersionLag,
    /// The title as last written to the `maps` row.
    title: String,
    /// The itinerary kind as last written to the `maps` row (`None`: not yet by this
    /// room).
    itinerary: Option<ItineraryKind>,
    /// When the room unloads if still without peers.
    idle_at: Option<Instant>,
    /// When the core's [`RoomDoc::tick`] is due (updates held for a peer).
    tick_at: Option<Instant>,
    persister: Persister,
    /// The bus dropped messages of this room: publish the whole document when it can.
    bus_behind: bool,
    ctx: RoomContext,
}

/// Edits not in any version yet.
#[derive(Debug, Clone, Copy)]
struct Unversioned {
    /// The first and the latest edit since the last version.
    first: Instant,
    last: Instant,
    /// Storage was behind when the version was due: try again then.
    retry_at: Option<Instant>,
}

impl Unversioned {
    /// When the automatic version is due: editing paused for `version_idle`, or
    /// `version_every` of continuous editing, each moved later by the map's lag.
    fn due(&self, settings: &RoomSettings, lag: VersionLag) -> Instant {
        self.retry_at.unwrap_or_else(|| {
            let idle = settings.version_idle + lag.within(settings.version_idle);
            let every = settings.version_every + lag.within(settings.version_every);
            (self.last + idle).min(self.first + every)
        })
    }
}

/// Where a map's automatic versions fall in their window: a fixed fraction of it, read
/// from the map's id. Maps edited together (a workshop's maps, the soak's hundred)
/// otherwise reach their half-hour version in the same second, and each version reads
/// a past document beside the writers' appends: on a starved machine the appends
/// waited for a connection past the pool's timeout (docs/PERFORMANCE.md, the fifth
/// hour). Spread over a sixth of the interval (at most five minutes), a hundred maps'
/// versions come about three seconds apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct VersionLag(u16);

impl VersionLag {
    /// Longest lag, whatever the interval.
    const MAX: Duration = Duration::from_secs(300);

    /// The lag of `map`: FNV-1a of its id, mixed (SplitMix64's finaliser) so ids that
    /// differ in their last letter land far apart; stable across runs and nodes.
    fn of(map: &MapId) -> Self {
        let mut h = map.0.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        h ^= h >> 31;
        Self((h >> 48) as u16)
    }

    /// The lag within an interval: this map's fraction of a sixth of it, capped.
    fn within(self, interval: Duration) -> Duration {
        let window = (interval / 6).min(Self::MAX);
        window.mul_f64(f64::from(self.0) / 65_536.0)
    }
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
                _ = sleep_until(self.version_at.unwrap_or_else(far_future)), if self.version_at.is_some() => {
                    self.auto_version();
                    self.after_command();
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
                if self.unversioned.is_some() {
                    self.auto_version();
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
                self.unversioned = None;
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
            RoomCommand::CreateVersion { request, reply } => {
                drop(reply.send(self.create_version(request)));
            }
            RoomCommand::Restore {
                past,
                scope,
                by,
                reply,
            } => {
                let answer = self.restore(&past, &scope, &by, &mut out);
                drop(reply.send(answer));
            }
            RoomCommand::ServerChange { update, by, reply } => {
                let answer = match yrs::Update::decode_v1(&update) {
                    Ok(update) => {
                        self.doc
                            .apply_server_change(update, &by, &mut out)
                            .map_err(|message| RoomError::Refused {
                                code: "invalid_change",
                                message,
                            })
                    }
                    Err(e) => Err(RoomError::Refused {
                        code: "invalid_change",
                        message: e.to_string(),
                    }),
                };
                drop(reply.send(answer));
            }
            RoomCommand::Remote { messages } => {
                let now = std::time::Instant::now();
                self.doc.receive_remote_all(&messages, now, &mut out);
                // Other nodes' edits are versioned here too when this node makes the
                // map's versions (see `Bus::makes_versions`) — while people are here:
                // a room about to unload leaves them to the nodes that have people
                // (the version a last person's leaving makes is for their edits).
                if self.doc.peer_count() > 0
                    && out.iter().any(|a| {
                        matches!(a, crate::sync::doc::Action::Broadcast { message, .. }
                        if !crate::sync::wire::is_awareness(message))
                    })
                {
                    self.edited(tokio::time::Instant::now());
                }
                // Other nodes' messages are theirs to publish and write.
                self.perform_remote(out).await;
                self.after_command();
                return;
            }
            RoomCommand::Reload => out.push(crate::sync::doc::Action::Reload),
            RoomCommand::Republish => {
                self.bus_behind = true;
                self.catch_up_bus();
            }
            RoomCommand::Delete => {}
        }
        self.perform(out).await;
        self.after_command();
    }

    /// Sets the timers from the core's state: the idle timer while nobody is in the
    /// room, the tick while updates are held, the next automatic version while there
    /// are edits without one (at once when the last peer has left).
    fn after_command(&mut self) {
        if self.doc.peer_count() == 0 && self.unversioned.is_some_and(|u| u.retry_at.is_none()) {
            self.auto_version();
        }
        self.version_at = self
            .unversioned
            .map(|u| u.due(&self.ctx.settings, self.version_lag));
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

    /// Called when the idle timer fires: unloads if no peer came back and every edit is
    /// written (compacting first, so the next load is one snapshot).
    fn try_unload(&mut self, task: &RoomTask) -> bool {
        self.flush();
        if self.unversioned.is_some() {
            self.auto_version();
        }
        if self.rows_since_snapshot > 0 && self.pending.is_empty() {
            self.compact();
        }
        if self.doc.peer_count() > 0 {
            self.idle_at = None;
            return false;
        }
        if !self.pending.is_empty() || !self.persister.is_idle() || self.unversioned.is_some() {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(idle: u64, every: u64) -> RoomSettings {
        RoomSettings {
            flush_interval: Duration::from_millis(50),
            compact_every: 1000,
            checkpoint_every: 1000,
            version_idle: Duration::from_secs(idle),
            version_every: Duration::from_secs(every),
            idle_unload: Duration::from_secs(30),
            peer_queue: 64,
        }
    }

    #[test]
    fn maps_edited_together_reach_their_versions_apart() {
        let settings = settings(300, 1800);
        let start = Instant::now();
        let edits = Unversioned {
            first: start,
            last: start + Duration::from_secs(1790),
            retry_at: None,
        };
        // A hundred maps edited continuously from the same second: ids alike but for
        // their last letters, and ids of another shape.
        let alike = (0..50).map(|i| MapId(format!("workshop00000{i:03}")));
        let made = (0..50).map(|i| {
            MapId(format!(
                "{:016x}",
                (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)
            ))
        });
        let mut dues: Vec<Duration> = alike
            .chain(made)
            .map(|map| edits.due(&settings, VersionLag::of(&map)) - start)
            .collect();
        dues.sort();
        // Within the half hour and the five minutes after it, never earlier.
        assert!(dues[0] >= Duration::from_secs(1800), "{dues:?}");
        assert!(dues[99] < Duration::from_secs(2100), "{dues:?}");
        // Spread: no ten-second slot holds more than a tenth of them (all in one
        // second before).
        let mut slots = [0u32; 31];
        for due in &dues {
            slots[((due.as_secs() - 1800) / 10) as usize] += 1;
        }
        assert!(slots.iter().all(|&n| n <= 10), "{slots:?}");
        assert!(dues[99] - dues[0] >= Duration::from_secs(200), "{dues:?}");
    }

    #[test]
    fn a_maps_lag_is_fixed_and_bounded() {
        let map = MapId("a1b2c3d4e5f6g7h8".into());
        assert_eq!(VersionLag::of(&map), VersionLag::of(&map.clone()));
        let longest = VersionLag(u16::MAX);
        // A sixth of the interval, at most five minutes.
        assert!(longest.within(Duration::from_secs(60)) < Duration::from_secs(10));
        assert!(longest.within(Duration::from_secs(6 * 3600)) < Duration::from_secs(300));
        assert_eq!(
            VersionLag(0).within(Duration::from_secs(1800)),
            Duration::ZERO
        );
        // A pause still makes its version within a sixth more than the pause.
        let settings = settings(1, 1800);
        let now = Instant::now();
        let edits = Unversioned {
            first: now,
            last: now,
            retry_at: None,
        };
        let due = edits.due(&settings, longest) - now;
        assert!(due >= Duration::from_secs(1) && due < Duration::from_millis(1170));
        // A retry keeps its own time.
        let retry = now + Duration::from_secs(5);
        let edits = Unversioned {
            retry_at: Some(retry),
            ..edits
        };
        assert_eq!(edits.due(&settings, longest), retry);
    }
}
