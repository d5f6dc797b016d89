//! What the other nodes' rooms of this map applied (`--cluster`): their peers'
//! document updates and presence, applied here and passed to this node's peers. Never
//! persisted here — the node that received an edit writes it — and never published
//! again.

use std::time::{Duration, Instant};

use yrs::block::ClientID;
use yrs::sync::awareness::AwarenessUpdate;
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::Update;

use super::updates::{apply_guarded, Outcome};
use super::{Action, RoomDoc};
use crate::metrics::inc;
use crate::sync::link::PeerId;
use crate::sync::wire::{self, Incoming};

/// The owner recorded for presence another node announced: no local peer is this id,
/// so none may take such an entry over.
pub(super) const REMOTE: PeerId = PeerId::MAX;

/// Presence from another node not renewed for this long is dropped: its node may have
/// died without a word. Yjs clients renew theirs every 15 s.
pub(super) const REMOTE_PRESENCE_TTL: Duration = Duration::from_secs(45);

/// What of other nodes' updates waits for content not here yet, at most (beyond it the
/// room reloads from storage).
const MAX_REMOTE_PENDING: usize = 16 << 20;

impl RoomDoc {
    /// One message another node's room applied for its own peer, as it was published.
    #[cfg(test)]
    pub(crate) fn receive_remote(&mut self, message: &[u8], now: Instant, out: &mut Vec<Action>) {
        self.receive_remote_all(std::slice::from_ref(&message), now, out);
    }

    /// Messages other nodes' rooms applied for their own peers, as published and in
    /// order. Their document updates are applied in one transaction and passed on as
    /// one update (under load the bus hands over many at once: one frame per peer
    /// rather than one per message).
    pub(crate) fn receive_remote_all<M: AsRef<[u8]>>(
        &mut self,
        messages: &[M],
        now: Instant,
        out: &mut Vec<Action>,
    ) {
        let mut updates = Vec::new();
        for message in messages {
            let decoded = match wire::decode_frame(message.as_ref()) {
                Ok(decoded) => decoded,
                Err(e) => {
                    tracing::warn!(map = %self.map, error = %e, "unreadable message on the bus; ignored");
                    continue;
                }
            };
            for message in decoded {
                match message {
                    Incoming::Update(update) | Incoming::SyncStep2(update) => updates.push(update),
                    Incoming::Awareness(update) => self.remote_presence(update, now, out),
                    Incoming::SyncStep1(_) | Incoming::AwarenessQuery => {}
                }
            }
        }
        if !updates.is_empty() {
            self.apply_remote(updates, out);
        }
    }

    /// Applies other nodes' updates and passes what changed to every peer here. What
    /// cannot integrate yet (its node applied something this room has not read yet —
    /// not expected, as the bus keeps each map's order) waits for the next one.
    fn apply_remote(&mut self, mut updates: Vec<Update>, out: &mut Vec<Action>) {
        if let Some(pending) = self.remote_pending.take() {
            if let Ok(pending) = Update::decode_v1(&pending) {
                updates.insert(0, pending);
            }
        }
        match apply_guarded(self.doc(), updates) {
            Outcome::Applied(applied) => {
                // Its own node records what it touched; nothing here is persisted.
                self.touched.clear();
                if let Some(encoded) = applied.encoded {
                    inc(&self.metrics.updates_applied);
                    out.push(Action::Broadcast {
                        except: None,
                        message: wire::sync_update(encoded),
                    });
                }
                if let Some(remainder) = applied.remainder {
                    let remainder = remainder.encode_v1();
                    if remainder.len() > MAX_REMOTE_PENDING {
                        tracing::warn!(map = %self.map, "other nodes' updates wait for too much; reloading");
                        out.push(Action::Reload);
                    } else {
                        self.remote_pending = Some(remainder);
                    }
                }
            }
            Outcome::Failed(e) => {
                self.touched.clear();
                tracing::warn!(map = %self.map, error = %e, "an update from another node could not be applied; reloading");
                out.push(Action::Reload);
            }
            Outcome::Panicked => {
                self.touched.clear();
                tracing::warn!(map = %self.map, "an update from another node made the document panic; reloading");
                out.push(Action::Reload);
            }
        }
    }

    /// Presence another node stamped and applied: applied here too and passed on.
    /// Ids announced there are marked as theirs, so no peer here takes them over.
    fn remote_presence(&mut self, update: AwarenessUpdate, now: Instant, out: &mut Vec<Action>) {
        let mut update = update;
        update.clients.retain(|client, _| {
            // Never over an id a peer of this node holds.
            self.owners.get(client).is_none_or(|owner| *owner == REMOTE)
        });
        if update.clients.is_empty() {
            return;
        }
        for (client, entry) in &update.clients {
            if &*entry.json == "null" {
                self.owners.remove(client);
                self.remote_seen.remove(client);
            } else {
                self.owners.insert(*client, REMOTE);
                self.remote_seen.insert(*client, now);
            }
        }
        let message = wire::awareness(update.clone());
        if self.awareness.apply_update(update).is_ok() {
            out.push(Action::Broadcast {
                except: None,
                message,
            });
        }
    }

    /// When the oldest presence from another node expires.
    pub(super) fn next_remote_expiry(&self) -> Option<Instant> {
        self.remote_seen
            .values()
            .min()
            .map(|seen| *seen + REMOTE_PRESENCE_TTL)
    }

    /// Drops presence from other nodes not renewed within [`REMOTE_PRESENCE_TTL`] and
    /// tells the peers here.
    pub(super) fn expire_remote_presence(&mut self, now: Instant, out: &mut Vec<Action>) {
        let gone: Vec<ClientID> = self
            .remote_seen
            .iter()
            .filter(|(_, seen)| now.duration_since(**seen) >= REMOTE_PRESENCE_TTL)
            .map(|(client, _)| *client)
            .collect();
        for client in &gone {
            self.remote_seen.remove(client);
        }
        // Only entries still another node's: a peer here may hold the id since.
        let gone = gone
            .into_iter()
            .filter(|client| self.owners.get(client) == Some(&REMOTE))
            .collect();
        self.forget_presence(gone, out);
    }
}
