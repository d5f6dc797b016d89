//! The room's protocol core, without I/O: one map's Yrs document, everyone's presence
//! and the peers connected to it. It takes decoded messages and access changes and
//! answers with [`Action`]s (send to a peer, broadcast, close a peer with a reason,
//! persist an applied change, reload from storage); the room actor (`room.rs`) performs
//! them. Nothing here waits, sleeps or touches a socket or the database, so the unit
//! and property tests (`tests.rs`) drive it directly.
//!
//! - `updates`: applying document updates, holding what cannot integrate yet.
//! - `awareness`: presence, within the rules of `presence.rs`.
//! - `touch`: which elements each change touched (for history).
//! - `restore`: a past state brought back as a forward change.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use parcours_shared::ids::{MapId, Role, UserId};
use parcours_shared::view::MapView;
use yrs::block::ClientID;
use yrs::sync::Awareness;
use yrs::{Doc, ReadTxn, StateVector, Transact};

use super::held::Held;
use super::link::{CloseReason, PeerId, PeerIdentity};
use super::presence::RateLimit;
use super::wire::{self, Incoming};

mod awareness;
mod remote;
mod restore;
mod touch;
mod updates;

pub(crate) use self::restore::{RestoreError, Scope};
use self::touch::Touched;
/// The document roots whose entries are elements (cards, stages, map fields…).
pub use self::touch::ROOTS as ELEMENT_ROOTS;

#[cfg(test)]
mod tests;
use crate::metrics::{inc, Metrics};
use crate::store::{Author, ElementState};

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
    Persist {
        update: Vec<u8>,
        /// Whose it is.
        author: Author,
        /// The elements it changed and their state after it.
        changed: Vec<ElementState>,
    },
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
    /// The elements changed since the last applied update was persisted.
    touched: Touched,
    peers: HashMap<PeerId, Peer>,
    /// Which peer announced each awareness client id (`remote::REMOTE`: a peer of
    /// another node).
    owners: HashMap<ClientID, PeerId>,
    /// Other nodes' updates that wait for content not here yet (`remote.rs`).
    remote_pending: Option<Vec<u8>>,
    /// When each awareness id another node announced was last renewed.
    remote_seen: HashMap<ClientID, Instant>,
    metrics: Arc<Metrics>,
}

impl RoomDoc {
    /// A room holding `doc`, with nobody in it yet.
    pub(crate) fn new(map: MapId, doc: Doc, metrics: Arc<Metrics>) -> RoomDoc {
        RoomDoc {
            map,
            touched: Touched::watch(&doc),
            awareness: Awareness::new(doc),
            peers: HashMap::new(),
            owners: HashMap::new(),
            remote_pending: None,
            remote_seen: HashMap::new(),
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

    /// The presence of this room's own peers (not what other nodes announced), as
    /// one awareness message; `None` when none of them has any.
    pub(crate) fn local_presence(&self) -> Option<bytes::Bytes> {
        let clients: Vec<ClientID> = self
            .peers
            .values()
            .flat_map(|p| p.clients.iter().copied())
            .collect();
        if clients.is_empty() {
            return None;
        }
        let update = self.awareness.update_with_clients(clients).ok()?;
        (!update.clients.is_empty()).then(|| wire::awareness(update))
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
        self.touched = Touched::watch(&doc);
        self.awareness = Awareness::new(doc);
        self.owners.clear();
        self.remote_pending = None;
        self.remote_seen.clear();
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
}
