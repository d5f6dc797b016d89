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

impl Room {
    /// Performs the core's actions in order; closing a slow peer adds the actions its
    /// leaving causes.
    pub(super) async fn perform(&mut self, actions: Vec<Action>) {
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
                Action::Persist {
                    update,
                    author,
                    changed,
                } => {
                    self.pending.push(update, author, changed);
                    let now = Instant::now();
                    self.unversioned = Some(match self.unversioned {
                        Some(u) => Unversioned { last: now, ..u },
                        None => Unversioned {
                            first: now,
                            last: now,
                            retry_at: None,
                        },
                    });
                    if self.flush_at.is_none() {
                        self.flush_at = Some(now + self.ctx.settings.flush_interval);
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
}
