//! The room's protocol core, without I/O: one map's Yrs document, everyone's presence
//! and the peers connected to it. It takes decoded messages and access changes and
//! answers with [`Action`]s (send to a peer, broadcast, close a peer with a reason,
//! persist an applied change, reload from storage); the room actor (`room.rs`) performs
//! them. Nothing here waits, sleeps or touches a socket or the database, so the unit
//! and property tests at the bottom drive it directly.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use parcours_shared::ids::{MapId, Role, UserId};
use parcours_shared::view::MapView;
use yrs::block::ClientID;
use yrs::sync::awareness::AwarenessUpdate;
use yrs::sync::Awareness;
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Doc, ReadTxn, StateVector, Transact, Update};

use super::held::{Held, HELD_RETRY};
use super::link::{CloseReason, PeerId, PeerIdentity};
use super::presence::{stamp, RateLimit, Violation, MAX_CLIENTS_PER_PEER};
use super::wire::{self, Incoming};
use crate::metrics::{inc, Metrics};

/// What the room must do after the core took an input, in order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Action {
    /// Queue `message` for one peer.
    Send { to: PeerId, message: Bytes },
    /// Queue `message` for every peer but `except`.
    Broadcast {
        except: Option<PeerId>,
        message: Bytes,
    },
    /// Close `peer`'s socket with `reason`; it has already left the room.
    Close { peer: PeerId, reason: CloseReason },
    /// An applied change (already fanned out) to write to the update log.
    Persist { update: Vec<u8> },
    /// A refused update left the document suspect: rebuild it from storage, then call
    /// [`RoomDoc::replace_doc`].
    Reload,
}

/// One connected peer as the room sees it.
struct Peer {
    who: PeerIdentity,
    /// Awareness client ids this peer has announced; cleared when it leaves.
    clients: Vec<ClientID>,
    /// It answered the room's sync step 1 (sent everything the room lacked).
    synced: bool,
    /// Its updates that wait for content the room does not have yet (see `held.rs`).
    held: Option<Held>,
    /// How fast it may publish its own presence.
    own_rate: RateLimit,
    /// How fast it may send awareness messages at all.
    message_rate: RateLimit,
}

/// A loaded map's document, presence and peers.
pub(crate) struct RoomDoc {
    /// For log lines.
    map: MapId,
    /// The document and everyone's presence.
    awareness: Awareness,
    peers: HashMap<PeerId, Peer>,
    /// Which peer announced each awareness client id.
    owners: HashMap<ClientID, PeerId>,
    metrics: Arc<Metrics>,
}

impl RoomDoc {
    /// A room holding `doc`, with nobody in it yet.
    pub(crate) fn new(map: MapId, doc: Doc, metrics: Arc<Metrics>) -> RoomDoc {
        RoomDoc {
            map,
            awareness: Awareness::new(doc),
            peers: HashMap::new(),
            owners: HashMap::new(),
            metrics,
        }
    }

    /// The live document.
    pub(crate) fn doc(&self) -> &Doc {
        self.awareness.doc()
    }

    /// How many peers are in the room.
    pub(crate) fn peer_count(&self) -> usize {
        self.peers.len()
    }

    /// Whether `peer` is in the room.
    pub(crate) fn has_peer(&self, peer: PeerId) -> bool {
        self.peers.contains_key(&peer)
    }

    /// The awareness client ids the room holds a state for.
    #[cfg(test)]
    pub(crate) fn presence(&self) -> Vec<ClientID> {
        self.awareness
            .iter()
            .filter(|(_, state)| state.data.is_some())
            .map(|(client, _)| client)
            .collect()
    }

    /// The JSON view of the document.
    pub(crate) fn view(&self) -> MapView {
        parcours_shared::view::read_view(self.doc())
    }

    /// The whole document as an update, with its JSON view at the same instant.
    pub(crate) fn snapshot(&self) -> (Vec<u8>, MapView) {
        let txn = self.doc().transact();
        let state = txn.encode_state_as_update_v1(&StateVector::default());
        let view = parcours_shared::view::read_view_txn(&txn);
        (state, view)
    }

    /// The whole document as an update (what a snapshot stores).
    pub(crate) fn encode_state(&self) -> Vec<u8> {
        self.doc()
            .transact()
            .encode_state_as_update_v1(&StateVector::default())
    }

    /// The document's title.
    pub(crate) fn title(&self) -> String {
        parcours_shared::view::title(self.doc())
    }

    /// A peer joins: it is sent the room's sync step 1 and everyone's presence.
    pub(crate) fn join(&mut self, id: PeerId, who: PeerIdentity, out: &mut Vec<Action>) {
        let sv = self.doc().transact().state_vector();
        out.push(Action::Send {
            to: id,
            message: wire::sync_step1(&sv),
        });
        if let Ok(update) = self.awareness.update() {
            if !update.clients.is_empty() {
                out.push(Action::Send {
                    to: id,
                    message: wire::awareness(update),
                });
            }
        }
        self.peers.insert(
            id,
            Peer {
                who,
                clients: Vec::new(),
                synced: false,
                held: None,
                own_rate: RateLimit::own_states(),
                message_rate: RateLimit::messages(),
            },
        );
    }

    /// One decoded message from `peer`, received at `now`. Messages from a peer no
    /// longer in the room (closed by an earlier message of the same frame) are ignored.
    pub(crate) fn receive(
        &mut self,
        peer: PeerId,
        message: Incoming,
        now: Instant,
        out: &mut Vec<Action>,
    ) {
        if !self.peers.contains_key(&peer) {
            return;
        }
        match message {
            Incoming::SyncStep1(sv) => {
                let update = self.doc().transact().encode_state_as_update_v1(&sv);
                out.push(Action::Send {
                    to: peer,
                    message: wire::sync_step2(update),
                });
            }
            Incoming::SyncStep2(update) => self.on_update(peer, update, true, now, out),
            Incoming::Update(update) => self.on_update(peer, update, false, now, out),
            Incoming::Awareness(update) => self.on_awareness(peer, update, now, out),
            Incoming::AwarenessQuery => {
                if let Ok(update) = self.awareness.update() {
                    out.push(Action::Send {
                        to: peer,
                        message: wire::awareness(update),
                    });
                }
            }
        }
    }

    /// An account's role changed (`None`: removed). Removed members are closed at once;
    /// demoted ones become read-only, promoted ones may edit.
    pub(crate) fn set_access(&mut self, user: &UserId, role: Option<Role>, out: &mut Vec<Action>) {
        match role {
            Some(role) => {
                for p in self
                    .peers
                    .values_mut()
                    .filter(|p| p.who.user.as_ref() == Some(user))
                {
                    p.who.can_edit = role.can_edit();
                }
            }
            None => self.close_where(
                |w| w.user.as_ref() == Some(user),
                CloseReason::AccessRemoved,
                out,
            ),
        }
    }

    /// An account signed out or changed its password: its sockets close.
    pub(crate) fn end_sessions(&mut self, user: &UserId, out: &mut Vec<Action>) {
        self.close_where(
            |w| w.user.as_ref() == Some(user),
            CloseReason::SignedOut,
            out,
        );
    }

    /// A share link was revoked: the sockets that came through it close.
    pub(crate) fn link_revoked(&mut self, link: &str, out: &mut Vec<Action>) {
        self.close_where(
            |w| w.via_link.as_deref() == Some(link),
            CloseReason::AccessRemoved,
            out,
        );
    }

    /// Closes every peer (shutdown, deleted map). Nobody is left to tell about
    /// presence, so none is broadcast.
    pub(crate) fn close_all(&mut self, reason: CloseReason, out: &mut Vec<Action>) {
        for (peer, p) in self.peers.drain() {
            for client in p.clients {
                self.owners.remove(&client);
                self.awareness.remove_state(client);
            }
            out.push(Action::Close {
                peer,
                reason: reason.clone(),
            });
        }
    }

    /// Closes `peer` with `reason`: it leaves the room and its socket is told why.
    pub(crate) fn close(&mut self, peer: PeerId, reason: CloseReason, out: &mut Vec<Action>) {
        if self.remove_peer(peer, out) {
            out.push(Action::Close { peer, reason });
        }
    }

    /// A peer's socket is gone: it leaves the room.
    pub(crate) fn leave(&mut self, peer: PeerId, out: &mut Vec<Action>) {
        self.remove_peer(peer, out);
    }

    /// Swaps in a document rebuilt from storage and asks every peer to resync.
    pub(crate) fn replace_doc(&mut self, doc: Doc, out: &mut Vec<Action>) {
        self.awareness = Awareness::new(doc);
        self.owners.clear();
        for p in self.peers.values_mut() {
            p.clients.clear();
        }
        let sv = self.doc().transact().state_vector();
        out.push(Action::Broadcast {
            except: None,
            message: wire::sync_step1(&sv),
        });
    }

    /// The one way a peer leaves: forget it and clear the presence it announced.
    /// Returns whether it was in the room.
    fn remove_peer(&mut self, peer: PeerId, out: &mut Vec<Action>) -> bool {
        let Some(p) = self.peers.remove(&peer) else {
            return false;
        };
        self.clear_presence(peer, &p.clients, out);
        true
    }

    fn close_where(
        &mut self,
        matches: impl Fn(&PeerIdentity) -> bool,
        reason: CloseReason,
        out: &mut Vec<Action>,
    ) {
        let ids: Vec<PeerId> = self
            .peers
            .iter()
            .filter(|(_, p)| matches(&p.who))
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            tracing::info!(map = %self.map, peer = id, ?reason, "closing peer");
            self.close(id, reason.clone(), out);
        }
    }

    /// Disconnects a peer that sent something the room refuses, with the reason logged.
    fn reject(&mut self, peer: PeerId, reason: String, out: &mut Vec<Action>) {
        tracing::warn!(map = %self.map, peer, %reason, "disconnecting peer");
        inc(&self.metrics.peers_rejected);
        self.close(peer, CloseReason::BadInput(reason), out);
    }

    /// Applies a peer's update (`step2`: its answer to the room's sync step 1).
    /// Updates from viewers and commenters are dropped: never applied, fanned out or
    /// written. What integrates is fanned out and persisted; what cannot integrate yet
    /// is held for the peer (`held.rs`). An update yrs refuses or panics on disconnects
    /// its sender and reloads the room from storage.
    fn on_update(
        &mut self,
        peer: PeerId,
        update: Update,
        step2: bool,
        now: Instant,
        out: &mut Vec<Action>,
    ) {
        let Some(p) = self.peers.get_mut(&peer) else {
            return;
        };
        if step2 {
            p.synced = true;
            if let Some(held) = p.held.as_mut() {
                held.step2_received(now);
            }
        }
        if !p.who.can_edit {
            inc(&self.metrics.updates_refused);
            tracing::debug!(map = %self.map, peer, "dropped an update from a read-only peer");
            return;
        }
        // What it held before may build on what this update brings (its step 2).
        let had_held = p.held.is_some();
        let Some(applied) = self.apply(peer, vec![update], out) else {
            return;
        };
        if had_held && applied.changed {
            self.retry_held(peer, now, out);
        }
        if let Some(remainder) = applied.remainder {
            self.hold(peer, remainder, 1, now, out);
        }
    }

    /// Applies `updates` from `peer` in one transaction: fans out and persists what
    /// integrated. `None` when yrs refused them (the peer is closed, the room reloads).
    fn apply(
        &mut self,
        peer: PeerId,
        updates: Vec<Update>,
        out: &mut Vec<Action>,
    ) -> Option<Applied> {
        match apply_guarded(self.doc(), updates) {
            Outcome::Applied(applied) => {
                if let Some(encoded) = applied.encoded.clone() {
                    inc(&self.metrics.updates_applied);
                    out.push(Action::Broadcast {
                        except: Some(peer),
                        message: wire::sync_update(encoded.clone()),
                    });
                    out.push(Action::Persist { update: encoded });
                }
                Some(applied)
            }
            Outcome::Failed(e) => {
                self.reject(peer, format!("update could not be applied: {e}"), out);
                out.push(Action::Reload);
                None
            }
            Outcome::Panicked => {
                self.reject(peer, "update made the document panic".into(), out);
                out.push(Action::Reload);
                None
            }
        }
    }

    /// Adds what could not integrate (`count` updates' worth) to what `peer` holds;
    /// closes the peer past the bounds.
    fn hold(
        &mut self,
        peer: PeerId,
        remainder: Update,
        count: usize,
        now: Instant,
        out: &mut Vec<Action>,
    ) {
        inc(&self.metrics.updates_held);
        let sv = self.doc().transact().state_vector();
        let Some(p) = self.peers.get_mut(&peer) else {
            return;
        };
        let held = p.held.get_or_insert_with(|| Held::new(now, p.synced));
        held.tried_at = sv;
        if let Err(overflow) = held.push(remainder.encode_v1(), count) {
            self.reject(peer, overflow.reason(), out);
        }
    }

    /// Tries `peer`'s held updates again; what integrates is fanned out and persisted,
    /// the rest stays held.
    fn retry_held(&mut self, peer: PeerId, now: Instant, out: &mut Vec<Action>) {
        let Some(held) = self.peers.get_mut(&peer).and_then(|p| p.held.as_mut()) else {
            return;
        };
        let mut updates = Vec::new();
        for bytes in held.take() {
            match Update::decode_v1(&bytes) {
                Ok(update) => updates.push(update),
                Err(e) => {
                    return self.reject(peer, format!("held updates are unreadable: {e}"), out)
                }
            }
        }
        let Some(applied) = self.apply(peer, updates, out) else {
            return;
        };
        match applied.remainder {
            Some(remainder) => self.hold(peer, remainder, 0, now, out),
            None => {
                if let Some(p) = self.peers.get_mut(&peer) {
                    p.held = None;
                }
            }
        }
    }

    /// When [`RoomDoc::tick`] must run next: while anything is held, every
    /// [`HELD_RETRY`] at most, and at the earliest deadline.
    pub(crate) fn next_tick(&self, now: Instant) -> Option<Instant> {
        self.peers
            .values()
            .filter_map(|p| p.held.as_ref())
            .map(|h| h.deadline.min(now + HELD_RETRY))
            .min()
    }

    /// Time passed: held updates are tried again if the document changed since, and
    /// peers whose held updates are out of time are closed.
    pub(crate) fn tick(&mut self, now: Instant, out: &mut Vec<Action>) {
        let holders: Vec<PeerId> = self
            .peers
            .iter()
            .filter(|(_, p)| p.held.is_some())
            .map(|(id, _)| *id)
            .collect();
        for peer in holders {
            let sv = self.doc().transact().state_vector();
            let Some(p) = self.peers.get(&peer) else {
                continue;
            };
            let Some(held) = p.held.as_ref() else {
                continue;
            };
            if held.tried_at != sv {
                self.retry_held(peer, now, out);
            }
            let Some(p) = self.peers.get(&peer) else {
                continue;
            };
            if p.held.as_ref().is_some_and(|h| h.deadline <= now) {
                let reason = if p.synced {
                    "an update still waits for content the map does not have after the client's sync step 2"
                } else {
                    "an update waited too long for content the map does not have (no sync step 2)"
                };
                self.reject(peer, reason.into(), out);
            }
        }
    }

    /// Presence from `peer`: the entries it may publish (see `presence.rs`) are
    /// stamped with who the peer is, applied and sent to everyone; relays of others'
    /// presence are ignored. A peer that breaks a rule is closed with 1008. Work is
    /// proportional to the ids in the message.
    fn on_awareness(
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
                entry.json = stamp(&entry.json, &p.who.name, &p.who.color)?.into();
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
    fn clear_presence(&mut self, peer: PeerId, clients: &[ClientID], out: &mut Vec<Action>) {
        let gone: Vec<ClientID> = clients
            .iter()
            .copied()
            .filter(|c| self.owners.get(c) == Some(&peer))
            .collect();
        if gone.is_empty() {
            return;
        }
        for client in &gone {
            self.owners.remove(client);
            self.awareness.remove_state(*client);
        }
        if let Ok(update) = self.awareness.update_with_clients(gone) {
            out.push(Action::Broadcast {
                except: None,
                message: wire::awareness(update),
            });
        }
    }
}

/// What applying one update did, when yrs took it.
struct Applied {
    /// What changed in the document, encoded (`None`: nothing new).
    encoded: Option<Vec<u8>>,
    /// Whether anything changed.
    changed: bool,
    /// What could not integrate yet (pruned from the document, to be held).
    remainder: Option<Update>,
}

/// Applying one update.
enum Outcome {
    Applied(Applied),
    /// yrs refused it midway.
    Failed(String),
    /// yrs panicked on it.
    Panicked,
}

/// Applies `updates` to `doc` in one transaction with yrs panics caught. What cannot
/// integrate yet is pruned and returned, so the document never carries unintegrated
/// content.
fn apply_guarded(doc: &Doc, updates: Vec<Update>) -> Outcome {
    let doc = doc.clone();
    let outcome = catch_unwind(AssertUnwindSafe(move || -> Result<Applied, String> {
        use yrs::WriteTxn;
        let mut txn = doc.transact_mut();
        for update in updates {
            txn.apply_update(update).map_err(|e| e.to_string())?;
        }
        let remainder = if txn.has_missing_updates() {
            txn.prune_pending()
        } else {
            None
        };
        let changed = txn.has_changes();
        Ok(Applied {
            encoded: changed.then(|| txn.encode_update_v1()),
            changed,
            remainder,
        })
    }));
    match outcome {
        Ok(Ok(applied)) => Outcome::Applied(applied),
        Ok(Err(e)) => Outcome::Failed(e),
        Err(_) => Outcome::Panicked,
    }
}

#[cfg(test)]
#[path = "doc_tests.rs"]
mod tests;
