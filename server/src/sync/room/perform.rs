//! Performing the protocol core's actions: queueing messages to peers (closing those
//! too slow to keep up), closing peers, taking applied changes for the writer, and
//! reloading the document from storage after a suspect update.

use std::collections::VecDeque;

use tokio::time::Instant;

use super::{Room, Unversioned};
use crate::metrics::{add, inc};
use crate::sync::doc::Action;
use crate::sync::link::CloseReason;
use crate::sync::load::load;
use crate::sync::wire;

impl Room {
    /// Performs the core's actions in order; closing a slow peer adds the actions its
    /// leaving causes. With `--cluster`, what this node's peers changed (document and
    /// presence) is published for the other nodes.
    pub(super) async fn perform(&mut self, actions: Vec<Action>) {
        self.perform_relaying(actions, true).await
    }

    /// Performs the actions other nodes' messages caused: nothing is published again.
    pub(super) async fn perform_remote(&mut self, actions: Vec<Action>) {
        self.perform_relaying(actions, false).await
    }

    async fn perform_relaying(&mut self, actions: Vec<Action>, relay: bool) {
        let bus = self.ctx.bus.get().cloned();
        // Each action with whether what it changes here is ours to publish: closing a
        // slow peer is, whatever caused it.
        let mut queue: VecDeque<(Action, bool)> = actions.into_iter().map(|a| (a, relay)).collect();
        while let Some((action, relay)) = queue.pop_front() {
            // Published only while another node has this map open.
            let bus = bus.as_ref().filter(|b| relay && b.wanted(&self.map));
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
                    if let Some(bus) = bus.filter(|_| wire::is_awareness(&message)) {
                        if !bus.publish(&self.map, message.clone(), None) {
                            self.bus_dropped();
                        }
                    }
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
                Action::Persist {
                    update,
                    author,
                    changed,
                } => {
                    if let Some(bus) = bus {
                        if !bus.publish(
                            &self.map,
                            wire::sync_update(update.clone()),
                            Some(author.clone()),
                        ) {
                            self.bus_dropped();
                        }
                    }
                    self.pending.push(update, author, changed);
                    let now = Instant::now();
                    self.edited(now);
                    if self.flush_at.is_none() {
                        self.flush_at = Some(now + self.ctx.settings.flush_interval);
                    }
                }
                Action::Reload => {
                    let mut more = Vec::new();
                    self.reload(&mut more).await;
                    queue.extend(more.into_iter().map(|a| (a, true)));
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
                    queue.extend(more.into_iter().map(|a| (a, true)));
                }
            }
        }
    }

    /// The document changed at `now`: an automatic version becomes due.
    pub(super) fn edited(&mut self, now: Instant) {
        self.unversioned = Some(match self.unversioned {
            Some(u) => Unversioned { last: now, ..u },
            None => Unversioned {
                first: now,
                last: now,
                retry_at: None,
            },
        });
    }

    /// After the bus dropped some of this room's messages (its queue was full): once
    /// it has room, the whole document goes out as one update, so the other nodes get
    /// what they missed (applying what they have changes nothing), then the presence
    /// of this room's peers.
    pub(super) fn catch_up_bus(&mut self) {
        if !self.bus_behind {
            return;
        }
        let Some(bus) = self.ctx.bus.get() else {
            self.bus_behind = false;
            return;
        };
        let whole = wire::sync_update(self.doc.encode_state());
        if bus.has_room(&self.map)
            && bus.publish(&self.map, whole, Some(crate::store::Author::Server(None)))
        {
            tracing::info!(map = %self.map, "published the whole document for the other nodes");
            self.bus_behind = false;
            // And who is here, rather than at their clients' next renewal (15 s).
            if let Some(presence) = self.doc.local_presence() {
                let _ = bus.publish(&self.map, presence, None);
            }
        } else {
            self.bus_dropped(); // try again at the next flush
        }
    }

    /// The bus refused a message: catch up at the next flush (see
    /// [`Room::catch_up_bus`]).
    fn bus_dropped(&mut self) {
        self.bus_behind = true;
        if self.flush_at.is_none() {
            self.flush_at = Some(Instant::now() + self.ctx.settings.flush_interval);
        }
    }

    /// Throws the in-memory document away and rebuilds it from storage (after writing
    /// every change already applied and fanned out), then asks peers to resync.
    async fn reload(&mut self, out: &mut Vec<Action>) {
        inc(&self.ctx.metrics.room_reloads);
        self.write_everything().await;
        match load(&self.ctx.store, &self.map).await {
            Ok(loaded) => {
                tracing::warn!(map = %self.map, "room reloaded from storage");
                self.doc.replace_doc(loaded.doc, out);
                if let Some(bus) = self.ctx.bus.get() {
                    bus.read_from_start(&self.map);
                }
            }
            Err(e) => {
                tracing::error!(map = %self.map, error = %e, "room reload failed; keeping the in-memory document")
            }
        }
    }
}
