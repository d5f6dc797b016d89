//! Process-wide counters, rendered in the Prometheus text format at `/metrics`.

use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// Counters and gauges; every field is one Prometheus series.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Rooms (maps) loaded in memory now.
    pub rooms_open: AtomicI64,
    /// Live WebSocket connections now.
    pub connections: AtomicI64,
    /// Room writers whose last write failed and who are retrying it now.
    pub writers_failing: AtomicI64,
    /// Document updates applied to a room that changed it.
    pub updates_applied: AtomicU64,
    /// Document updates written to the update log.
    pub updates_persisted: AtomicU64,
    /// Log batches written.
    pub batches_persisted: AtomicU64,
    /// Bytes written to the update log.
    pub bytes_persisted: AtomicU64,
    /// Bytes received on sync sockets.
    pub bytes_received: AtomicU64,
    /// Bytes queued to peers on sync sockets.
    pub bytes_sent: AtomicU64,
    /// Snapshots written by compaction.
    pub snapshots_written: AtomicU64,
    /// Peers disconnected for bad input (malformed, corrupt, oversize).
    pub peers_rejected: AtomicU64,
    /// Peers disconnected for breaking the presence rules (1008).
    pub presence_violations: AtomicU64,
    /// Peers disconnected for being too slow to read.
    pub peers_too_slow: AtomicU64,
    /// Times a room kept its edits because its writer's queue was full.
    pub writer_backlog: AtomicU64,
    /// Storage errors (each retry counts).
    pub storage_errors: AtomicU64,
    /// Rooms reloaded from storage because their document was suspect.
    pub room_reloads: AtomicU64,
    /// Document updates dropped because their sender may not edit.
    pub updates_refused: AtomicU64,
    /// Updates (or parts) held for their sender because they build on content the room
    /// did not have yet.
    pub updates_held: AtomicU64,
    /// Messages this node published to the cluster bus (`--cluster`).
    pub bus_published: AtomicU64,
    /// Messages from other nodes handed to this node's rooms.
    pub bus_received: AtomicU64,
    /// Messages not published because the bus queue was full.
    pub bus_dropped: AtomicU64,
    /// Bus operations that failed (each retry counts).
    pub bus_errors: AtomicU64,
    /// Times the bus listener lost its connection.
    pub bus_reconnects: AtomicU64,
    /// Times a room missed swept bus messages and reloaded from storage.
    pub bus_gaps: AtomicU64,
    /// Updates of dead nodes this node wrote to the log for them.
    pub bus_adopted: AtomicU64,
}

/// Adds one to a counter.
pub fn inc(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// Adds `n` to a counter.
pub fn add(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}

impl Metrics {
    /// The Prometheus text exposition of every counter.
    pub fn render(&self) -> String {
        let gauges = [
            (
                "parcours_rooms_open",
                "Rooms loaded in memory.",
                &self.rooms_open,
            ),
            (
                "parcours_connections",
                "Live sync connections.",
                &self.connections,
            ),
            (
                "parcours_storage_writers_failing",
                "Room writers retrying a failed write now (edits kept in memory meanwhile).",
                &self.writers_failing,
            ),
        ];
        let counters = [
            (
                "parcours_updates_applied_total",
                "Updates that changed a room's document.",
                &self.updates_applied,
            ),
            (
                "parcours_updates_persisted_total",
                "Updates written to the update log.",
                &self.updates_persisted,
            ),
            (
                "parcours_batches_persisted_total",
                "Update-log batches written.",
                &self.batches_persisted,
            ),
            (
                "parcours_persisted_bytes_total",
                "Bytes written to the update log.",
                &self.bytes_persisted,
            ),
            (
                "parcours_received_bytes_total",
                "Bytes received on sync sockets.",
                &self.bytes_received,
            ),
            (
                "parcours_sent_bytes_total",
                "Bytes queued to sync peers.",
                &self.bytes_sent,
            ),
            (
                "parcours_snapshots_total",
                "Snapshots written by compaction.",
                &self.snapshots_written,
            ),
            (
                "parcours_peers_rejected_total",
                "Peers disconnected for bad input.",
                &self.peers_rejected,
            ),
            (
                "parcours_presence_violations_total",
                "Peers disconnected for breaking the presence rules.",
                &self.presence_violations,
            ),
            (
                "parcours_peers_too_slow_total",
                "Peers disconnected for reading too slowly.",
                &self.peers_too_slow,
            ),
            (
                "parcours_writer_backlog_total",
                "Times a room kept its edits because its writer's queue was full.",
                &self.writer_backlog,
            ),
            (
                "parcours_storage_errors_total",
                "Storage operations that failed (each retry counts).",
                &self.storage_errors,
            ),
            (
                "parcours_room_reloads_total",
                "Rooms reloaded from storage after a suspect update.",
                &self.room_reloads,
            ),
            (
                "parcours_updates_refused_total",
                "Updates dropped because their sender may not edit.",
                &self.updates_refused,
            ),
            (
                "parcours_updates_held_total",
                "Updates held for their sender until the content they build on arrives.",
                &self.updates_held,
            ),
            (
                "parcours_bus_published_total",
                "Messages published to the cluster bus.",
                &self.bus_published,
            ),
            (
                "parcours_bus_received_total",
                "Messages from other nodes applied by this node's rooms.",
                &self.bus_received,
            ),
            (
                "parcours_bus_dropped_total",
                "Messages not published because the bus queue was full.",
                &self.bus_dropped,
            ),
            (
                "parcours_bus_errors_total",
                "Cluster bus operations that failed (each retry counts).",
                &self.bus_errors,
            ),
            (
                "parcours_bus_reconnects_total",
                "Times the bus listener lost its connection.",
                &self.bus_reconnects,
            ),
            (
                "parcours_bus_gaps_total",
                "Times a room missed swept bus messages and reloaded from storage.",
                &self.bus_gaps,
            ),
            (
                "parcours_bus_adopted_total",
                "Updates of dead nodes this node wrote to the update log for them.",
                &self.bus_adopted,
            ),
        ];
        let mut out = String::new();
        if let Some(rss) = resident_bytes() {
            let _ = writeln!(
                out,
                "# HELP parcours_process_resident_bytes Resident memory of the process.\n# TYPE parcours_process_resident_bytes gauge\nparcours_process_resident_bytes {rss}"
            );
        }
        for (name, help, value) in gauges {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {}",
                value.load(Ordering::Relaxed)
            );
        }
        for (name, help, value) in counters {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                value.load(Ordering::Relaxed)
            );
        }
        out
    }
}

/// The process's resident set size in bytes (Linux: `/proc/self/statm`).
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}
