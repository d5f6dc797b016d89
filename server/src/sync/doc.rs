//! The room's protocol core, without I/O: one map's Yrs document, everyone's presence
//! and the peers connected to it. It takes decoded messages and access changes and
//! answers with [`Action`]s (send to a peer, broadcast, close a peer with a reason,
//! persist an applied change, reload from storage); the room actor (`room.rs`) performs
//! them. Nothing here waits, sleeps or touches a socket or the database, so the unit
//! and property tests at the bottom drive it directly.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use bytes::Bytes;
use parcours_shared::ids::{MapId, Role, UserId};
use parcours_shared::view::MapView;
use yrs::block::ClientID;
use yrs::sync::awareness::AwarenessUpdate;
use yrs::sync::Awareness;
use yrs::{Doc, ReadTxn, StateVector, Transact, Update};

use super::link::{CloseReason, PeerId, PeerIdentity};
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
}

/// A loaded map's document, presence and peers.
pub(crate) struct RoomDoc {
    /// For log lines.
    map: MapId,
    /// The document and everyone's presence.
    awareness: Awareness,
    peers: HashMap<PeerId, Peer>,
    metrics: Arc<Metrics>,
}

impl RoomDoc {
    /// A room holding `doc`, with nobody in it yet.
    pub(crate) fn new(map: MapId, doc: Doc, metrics: Arc<Metrics>) -> RoomDoc {
        RoomDoc {
            map,
            awareness: Awareness::new(doc),
            peers: HashMap::new(),
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
            },
        );
    }

    /// One decoded message from `peer`. Messages from a peer no longer in the room
    /// (closed by an earlier message of the same frame) are ignored.
    pub(crate) fn receive(&mut self, peer: PeerId, message: Incoming, out: &mut Vec<Action>) {
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
            Incoming::Update(update) => self.on_update(peer, update, out),
            Incoming::Awareness(update) => self.on_awareness(peer, update, out),
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
        self.clear_presence(&p.clients, out);
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

    /// Applies a peer's update. Updates from viewers and commenters are dropped: never
    /// applied, fanned out or written. An update that does not fit the document (a gap
    /// in a client's clock, references to unknown items, a panic inside yrs)
    /// disconnects its sender; if part of it got in, the room reloads from storage.
    fn on_update(&mut self, peer: PeerId, update: Update, out: &mut Vec<Action>) {
        if !self.peers.get(&peer).is_some_and(|p| p.who.can_edit) {
            inc(&self.metrics.updates_refused);
            tracing::debug!(map = %self.map, peer, "dropped an update from a read-only peer");
            return;
        }
        let sv = self.doc().transact().state_vector();
        if let Some(client) = first_gap(&update, &sv) {
            self.reject(
                peer,
                format!("update skips ahead in client {client}'s history"),
                out,
            );
            return;
        }
        match apply_guarded(self.doc(), update) {
            Applied::Changed(encoded) => {
                inc(&self.metrics.updates_applied);
                out.push(Action::Broadcast {
                    except: Some(peer),
                    message: wire::sync_update(encoded.clone()),
                });
                out.push(Action::Persist { update: encoded });
            }
            Applied::Nothing => {}
            Applied::Incomplete { partial } => {
                self.reject(
                    peer,
                    "update refers to content the map does not have".into(),
                    out,
                );
                if partial {
                    out.push(Action::Reload);
                }
            }
            Applied::Failed(e) => {
                self.reject(peer, format!("update could not be applied: {e}"), out);
                out.push(Action::Reload);
            }
            Applied::Panicked => {
                self.reject(peer, "update made the document panic".into(), out);
                out.push(Action::Reload);
            }
        }
    }

    fn on_awareness(&mut self, peer: PeerId, update: AwarenessUpdate, out: &mut Vec<Action>) {
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
                out.push(Action::Broadcast {
                    except: None,
                    message,
                });
            }
            Err(e) => self.reject(peer, format!("bad awareness update: {e}"), out),
        }
    }

    /// Marks `clients` as gone and tells the remaining peers.
    fn clear_presence(&mut self, clients: &[ClientID], out: &mut Vec<Action>) {
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
            out.push(Action::Broadcast {
                except: None,
                message: wire::awareness(update),
            });
        }
    }
}

/// What applying one update did.
enum Applied {
    /// It changed the document; the change, encoded.
    Changed(Vec<u8>),
    /// Everything in it was known already.
    Nothing,
    /// Parts of it wait for content the document does not have (pruned); `partial`
    /// when other parts got in.
    Incomplete { partial: bool },
    /// yrs refused it midway.
    Failed(String),
    /// yrs panicked on it.
    Panicked,
}

/// Applies `update` to `doc` with yrs panics caught; anything left pending is pruned so
/// the document never carries unintegrated content.
fn apply_guarded(doc: &Doc, update: Update) -> Applied {
    let doc = doc.clone();
    let outcome = catch_unwind(AssertUnwindSafe(move || -> Result<Applied, String> {
        use yrs::WriteTxn;
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
        Ok(Ok(applied)) => applied,
        Ok(Err(e)) => Applied::Failed(e),
        Err(_) => Applied::Panicked,
    }
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

#[cfg(test)]
#[path = "doc_tests.rs"]
mod tests;
