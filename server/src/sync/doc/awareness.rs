//! Presence in the room: which entries of an awareness message a peer may publish (its
//! own ids, within the rules of `presence.rs`), stamped with who it is, and clearing
//! what it announced when it leaves.

use std::time::Instant;

use yrs::block::ClientID;
use yrs::sync::awareness::AwarenessUpdate;

use super::{Action, RoomDoc};
use crate::metrics::inc;
use crate::sync::link::{CloseReason, PeerId};
use crate::sync::presence::{stamp, Violation, MAX_CLIENTS_PER_PEER};
use crate::sync::wire;

impl RoomDoc {
    /// Presence from `peer`: the entries it may publish (see `presence.rs`) are
    /// stamped with who the peer is, applied and sent to everyone; relays of others'
    /// presence are ignored. A peer that breaks a rule is closed with 1008. Work is
    /// proportional to the ids in the message.
    pub(super) fn on_awareness(
        &mut self,
        peer: PeerId,
        update: AwarenessUpdate,
        now: Instant,
        out: &mut Vec<Action>,
    ) {
        match self.own_presence(peer, update, now) {
            Ok(None) => {}
            Ok(Some(own)) => {
                let message = wire::awareness(own.clone());
                match self.awareness.apply_update(own) {
                    // Everyone, the sender included: y-websocket treats silence as a
                    // dead link.
                    Ok(()) => out.push(Action::Broadcast {
                        except: None,
                        message,
                    }),
                    Err(e) => self.reject(peer, format!("bad awareness update: {e}"), out),
                }
            }
            Err(violation) => {
                let reason = violation.reason();
                tracing::warn!(map = %self.map, peer, %reason, "disconnecting peer: presence");
                inc(&self.metrics.peers_rejected);
                inc(&self.metrics.presence_violations);
                self.close(peer, CloseReason::Policy(reason), out);
            }
        }
    }

    /// The entries of `update` that `peer` may publish, stamped, and the ids it now
    /// holds recorded; `None` when there are none (all relays).
    fn own_presence(
        &mut self,
        peer: PeerId,
        mut update: AwarenessUpdate,
        now: Instant,
    ) -> Result<Option<AwarenessUpdate>, Violation> {
        let Some(p) = self.peers.get_mut(&peer) else {
            return Ok(None);
        };
        if !p.message_rate.take(now) {
            return Err(Violation::TooOften);
        }
        let Some(p) = self.peers.get(&peer) else {
            return Ok(None);
        };
        let mut claimed = Vec::new();
        let mut held = p.clients.len();
        update.clients.retain(|client, entry| {
            let owner = self.owners.get(client).copied();
            if owner == Some(peer) {
                return true;
            }
            // Someone else's, or nobody's: only a newer state counts (a relay carries
            // the clock the room already has), and never over another person's id.
            let newer = self
                .awareness
                .meta(*client)
                .is_none_or(|(clock, _)| entry.clock > clock);
            let takes_over = match owner {
                Some(other) => self
                    .peers
                    .get(&other)
                    .is_some_and(|o| o.who.same_person(&p.who)),
                None => &*entry.json != "null" && held < MAX_CLIENTS_PER_PEER,
            };
            if newer && takes_over {
                if owner.is_none() {
                    held += 1;
                }
                claimed.push((*client, owner));
                true
            } else {
                false
            }
        });
        if update.clients.is_empty() {
            return Ok(None);
        }
        let Some(p) = self.peers.get_mut(&peer) else {
            return Ok(None);
        };
        if !p.own_rate.take(now) {
            return Err(Violation::TooOften);
        }
        for entry in update.clients.values_mut() {
            if &*entry.json != "null" {
                entry.json = stamp(&entry.json, &p.who.name, &p.who.color, p.who.can_edit)?.into();
            }
        }
        for (client, _) in &claimed {
            if !p.clients.contains(client) {
                p.clients.push(*client);
            }
        }
        for (client, previous) in claimed {
            self.owners.insert(client, peer);
            if let Some(previous) = previous {
                // The same person's other socket lets go of it.
                if let Some(o) = self.peers.get_mut(&previous) {
                    o.clients.retain(|c| *c != client);
                }
            }
        }
        Ok(Some(update))
    }

    /// Marks the presence `clients` announced by `peer` as gone and tells the others.
    pub(super) fn clear_presence(
        &mut self,
        peer: PeerId,
        clients: &[ClientID],
        out: &mut Vec<Action>,
    ) {
        let gone: Vec<ClientID> = clients
            .iter()
            .copied()
            .filter(|c| self.owners.get(c) == Some(&peer))
            .collect();
        self.forget_presence(gone, out);
    }

    /// Removes the presence of `clients` and tells every peer here (nothing when there
    /// are none): how presence leaves the room, whether its peer left or its node
    /// stopped renewing it.
    pub(super) fn forget_presence(&mut self, clients: Vec<ClientID>, out: &mut Vec<Action>) {
        if clients.is_empty() {
            return;
        }
        for client in &clients {
            self.owners.remove(client);
            self.awareness.remove_state(*client);
        }
        if let Ok(update) = self.awareness.update_with_clients(clients) {
            out.push(Action::Broadcast {
                except: None,
                message: wire::awareness(update),
            });
        }
    }
}
