//! Tests of the room's protocol core, driven directly: no socket, no database, no
//! runtime. Simulated peers are real Yrs documents speaking y-protocols; what the core
//! asks to send is delivered to them, what it asks to persist is replayed into a fresh
//! document to check nothing applied is lost.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use bytes::Bytes;
use parcours_shared::ids::{MapId, Role, UserId};
use proptest::prelude::*;
use yrs::block::ClientID;
use yrs::sync::awareness::{AwarenessUpdate, AwarenessUpdateEntry};
use yrs::sync::{Message, SyncMessage};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Doc, GetString, ReadTxn, StateVector, Text, Transact, Update};

use super::{Action, RoomDoc};
use crate::metrics::Metrics;
use crate::sync::link::{CloseReason, PeerId, PeerIdentity};
use crate::sync::wire::{decode_frame, Incoming};

fn map_id() -> MapId {
    MapId("testmap000000000".into())
}

fn user(n: u64) -> UserId {
    UserId(format!("user{n}"))
}

fn identity(n: u64, can_edit: bool) -> PeerIdentity {
    PeerIdentity {
        user: Some(user(n)),
        can_edit,
        via_link: None,
        name: format!("Person {n}"),
    }
}

/// The messages in `frame`, decoded as the room decodes a peer's frames.
fn incoming(frame: &[u8]) -> Vec<Incoming> {
    decode_frame(frame).expect("a well-formed frame")
}

fn update_frame(update: Vec<u8>) -> Vec<u8> {
    Message::Sync(SyncMessage::Update(update)).encode_v1()
}

fn awareness_frame(client: u64, clock: u32, json: &str) -> Vec<u8> {
    let mut clients = HashMap::new();
    clients.insert(
        ClientID::new(client),
        AwarenessUpdateEntry {
            clock,
            json: json.into(),
        },
    );
    Message::Awareness(AwarenessUpdate { clients }).encode_v1()
}

fn text_of(doc: &Doc) -> String {
    let txn = doc.transact();
    txn.get_text("t")
        .map(|t| t.get_string(&txn))
        .unwrap_or_default()
}

fn room() -> RoomDoc {
    RoomDoc::new(map_id(), Doc::new(), Arc::new(Metrics::default()))
}

fn sends_to(actions: &[Action], peer: PeerId) -> usize {
    actions
        .iter()
        .filter(|a| matches!(a, Action::Send { to, .. } if *to == peer))
        .count()
}

#[test]
fn a_joining_peer_gets_sync_step_1_and_no_presence_when_nobody_is_there() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    assert_eq!(out.len(), 1);
    let Action::Send { to: 1, message } = &out[0] else {
        panic!("{out:?}")
    };
    assert!(matches!(incoming(message)[..], [Incoming::SyncStep1(_)]));
}

#[test]
fn an_editors_update_is_fanned_out_to_others_and_persisted() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    room.join(2, identity(2, true), &mut out);
    out.clear();
    let local = Doc::with_client_id(11);
    local
        .get_or_insert_text("t")
        .push(&mut local.transact_mut(), "hello");
    let update = local
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    for m in incoming(&update_frame(update)) {
        room.receive(1, m, &mut out);
    }
    assert!(matches!(
        &out[..],
        [
            Action::Broadcast {
                except: Some(1),
                ..
            },
            Action::Persist { .. }
        ]
    ));
    assert_eq!(text_of(room.doc()), "hello");
}

#[test]
fn a_read_only_peers_update_changes_nothing_and_goes_nowhere() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, false), &mut out);
    out.clear();
    let local = Doc::with_client_id(11);
    local
        .get_or_insert_text("t")
        .push(&mut local.transact_mut(), "sneaky");
    let update = local
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    for m in incoming(&update_frame(update)) {
        room.receive(1, m, &mut out);
    }
    assert!(out.is_empty(), "{out:?}");
    assert_eq!(text_of(room.doc()), "");
    assert!(room.has_peer(1), "a viewer is not disconnected for trying");
}

#[test]
fn removing_a_member_closes_their_sockets_and_clears_their_presence() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    room.join(2, identity(2, true), &mut out);
    for m in incoming(&awareness_frame(501, 1, r#"{"user":{"name":"One"}}"#)) {
        room.receive(1, m, &mut out);
    }
    out.clear();
    room.set_access(&user(1), None, &mut out);
    assert!(!room.has_peer(1));
    assert!(out.contains(&Action::Close {
        peer: 1,
        reason: CloseReason::AccessRemoved
    }));
    let cleared = out.iter().any(|a| match a {
        Action::Broadcast { message, .. } => incoming(message).iter().any(|m| {
            matches!(m, Incoming::Awareness(u)
                if u.clients.get(&ClientID::new(501)).is_some_and(|e| &*e.json == "null"))
        }),
        _ => false,
    });
    assert!(cleared, "the others are told the presence is gone: {out:?}");
}

#[test]
fn a_demoted_editor_becomes_read_only_at_once() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    room.set_access(&user(1), Some(Role::Viewer), &mut out);
    out.clear();
    let local = Doc::with_client_id(11);
    local
        .get_or_insert_text("t")
        .push(&mut local.transact_mut(), "late");
    let update = local
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    for m in incoming(&update_frame(update)) {
        room.receive(1, m, &mut out);
    }
    assert!(out.is_empty());
    assert_eq!(text_of(room.doc()), "");
}

#[test]
fn closing_everyone_broadcasts_nothing() {
    let mut room = room();
    let mut out = Vec::new();
    for p in 1..=3 {
        room.join(p, identity(p, true), &mut out);
        for m in incoming(&awareness_frame(500 + p, 1, r#"{"a":1}"#)) {
            room.receive(p, m, &mut out);
        }
    }
    out.clear();
    room.close_all(CloseReason::ShuttingDown, &mut out);
    assert_eq!(room.peer_count(), 0);
    assert_eq!(out.len(), 3);
    assert!(out.iter().all(|a| matches!(
        a,
        Action::Close {
            reason: CloseReason::ShuttingDown,
            ..
        }
    )));
}

#[test]
fn messages_after_a_peer_was_closed_are_ignored() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    room.close(1, CloseReason::TooSlow, &mut out);
    out.clear();
    room.receive(1, Incoming::AwarenessQuery, &mut out);
    assert!(out.is_empty());
    assert_eq!(sends_to(&out, 1), 0);
}

// ---------------------------------------------------------------------------------
// Random interleavings of joins, edits, presence, role changes and leaves.

/// One simulated y-protocols client.
struct SimPeer {
    /// Its own document (kept across reconnects: offline edits stay in it).
    doc: Doc,
    /// The socket it is on now, if connected.
    socket: Option<PeerId>,
    /// Frames the room queued for it, not yet read.
    inbox: Vec<Bytes>,
    /// Its awareness clock.
    awareness_clock: u32,
}

/// The room, its peers, and what was persisted.
struct Sim {
    room: RoomDoc,
    peers: BTreeMap<u64, SimPeer>,
    roles: BTreeMap<u64, bool>,
    /// Which socket belongs to which person.
    sockets: HashMap<PeerId, u64>,
    next_socket: PeerId,
    /// Everything the room asked to persist, in order.
    persisted: Vec<Vec<u8>>,
    /// Awareness client ids each socket announced.
    announced: HashMap<PeerId, Vec<u64>>,
}

#[derive(Debug, Clone)]
enum Op {
    Join(u64),
    Edit(u64, u8),
    Presence(u64),
    Read(u64),
    SetRole(u64, bool),
    Remove(u64),
    Leave(u64),
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0u64..4;
    prop_oneof![
        who.clone().prop_map(Op::Join),
        (who.clone(), any::<u8>()).prop_map(|(w, b)| Op::Edit(w, b)),
        who.clone().prop_map(Op::Presence),
        who.clone().prop_map(Op::Read),
        who.clone().prop_map(Op::Read),
        (who.clone(), any::<bool>()).prop_map(|(w, e)| Op::SetRole(w, e)),
        who.clone().prop_map(Op::Remove),
        who.prop_map(Op::Leave),
    ]
}

impl Sim {
    fn new() -> Sim {
        let mut peers = BTreeMap::new();
        let mut roles = BTreeMap::new();
        for n in 0..4u64 {
            peers.insert(
                n,
                SimPeer {
                    doc: Doc::with_client_id(1000 + n),
                    socket: None,
                    inbox: Vec::new(),
                    awareness_clock: 0,
                },
            );
            roles.insert(n, n % 2 == 0);
        }
        Sim {
            room: room(),
            peers,
            roles,
            sockets: HashMap::new(),
            next_socket: 1,
            persisted: Vec::new(),
            announced: HashMap::new(),
        }
    }

    /// Performs the room's actions as the actor would, checking each is addressed to
    /// a socket in the room.
    fn perform(&mut self, actions: Vec<Action>) {
        for action in actions {
            match action {
                Action::Send { to, message } => {
                    let person = self.sockets[&to];
                    assert_eq!(
                        self.peers[&person].socket,
                        Some(to),
                        "sent to a socket no longer in the room"
                    );
                    self.peers.get_mut(&person).unwrap().inbox.push(message);
                }
                Action::Broadcast { except, message } => {
                    for p in self.peers.values_mut() {
                        if p.socket.is_some() && p.socket != except {
                            p.inbox.push(message.clone());
                        }
                    }
                }
                Action::Close { peer, .. } => {
                    let person = self.sockets[&peer];
                    let p = self.peers.get_mut(&person).unwrap();
                    assert_eq!(p.socket, Some(peer), "closed twice or a stranger");
                    p.socket = None;
                    p.inbox.clear();
                    assert!(!self.room.has_peer(peer));
                }
                Action::Persist { update } => self.persisted.push(update),
                Action::Reload => panic!("honest peers never make the room reload"),
            }
        }
    }

    /// Feeds one frame from `person` to the room.
    fn send(&mut self, person: u64, frame: Vec<u8>) {
        let Some(socket) = self.peers[&person].socket else {
            return;
        };
        let before = self.room.doc().transact().state_vector();
        let can_edit = self.roles[&person];
        let mut out = Vec::new();
        for m in incoming(&frame) {
            let is_update = matches!(m, Incoming::Update(_));
            if let Incoming::Awareness(u) = &m {
                self.announced
                    .entry(socket)
                    .or_default()
                    .extend(u.clients.keys().map(|c| c.get()));
            }
            self.room.receive(socket, m, &mut out);
            if is_update && !can_edit {
                assert_eq!(
                    self.room.doc().transact().state_vector(),
                    before,
                    "a read-only peer's update changed the document"
                );
            }
        }
        self.perform(out);
    }

    /// `person` reads every frame queued for it, answering sync step 1.
    fn read(&mut self, person: u64) {
        let frames = std::mem::take(&mut self.peers.get_mut(&person).unwrap().inbox);
        for frame in frames {
            let mut reply = None;
            {
                let p = &self.peers[&person];
                let mut rest: &[u8] = &frame;
                while !rest.is_empty() {
                    let m = Message::decode_v1(rest).expect("room sends valid messages");
                    rest = &rest[m.encode_v1().len()..];
                    match m {
                        Message::Sync(SyncMessage::SyncStep1(sv)) => {
                            let diff = p.doc.transact().encode_state_as_update_v1(&sv);
                            reply = Some(Message::Sync(SyncMessage::SyncStep2(diff)).encode_v1());
                        }
                        Message::Sync(SyncMessage::SyncStep2(u))
                        | Message::Sync(SyncMessage::Update(u)) => {
                            let u = Update::decode_v1(&u).expect("valid update");
                            p.doc.transact_mut().apply_update(u).expect("applies");
                        }
                        _ => {}
                    }
                }
            }
            if let Some(reply) = reply {
                self.send(person, reply);
            }
        }
    }

    fn apply(&mut self, op: Op) {
        match op {
            Op::Join(n) => {
                if self.peers[&n].socket.is_some() {
                    return;
                }
                let socket = self.next_socket;
                self.next_socket += 1;
                self.sockets.insert(socket, n);
                self.peers.get_mut(&n).unwrap().socket = Some(socket);
                let mut out = Vec::new();
                self.room
                    .join(socket, identity(n, self.roles[&n]), &mut out);
                self.perform(out);
                // The client's own step 1.
                let sv = self.peers[&n].doc.transact().state_vector();
                self.send(n, Message::Sync(SyncMessage::SyncStep1(sv)).encode_v1());
            }
            Op::Edit(n, b) => {
                let p = &self.peers[&n];
                let before = p.doc.transact().state_vector();
                let text = p.doc.get_or_insert_text("t");
                let len = text.len(&p.doc.transact());
                let at = u32::from(b) % (len + 1);
                text.insert(&mut p.doc.transact_mut(), at, &format!("[{n}:{b}]"));
                let update = p.doc.transact().encode_state_as_update_v1(&before);
                self.send(n, update_frame(update));
            }
            Op::Presence(n) => {
                let p = self.peers.get_mut(&n).unwrap();
                p.awareness_clock += 1;
                let frame = awareness_frame(
                    1000 + n,
                    p.awareness_clock,
                    &format!(r#"{{"user":{{"name":"P{n}"}}}}"#),
                );
                self.send(n, frame);
            }
            Op::Read(n) => self.read(n),
            Op::SetRole(n, can_edit) => {
                self.roles.insert(n, can_edit);
                let role = if can_edit { Role::Editor } else { Role::Viewer };
                let mut out = Vec::new();
                self.room.set_access(&user(n), Some(role), &mut out);
                self.perform(out);
            }
            Op::Remove(n) => {
                let mut out = Vec::new();
                self.room.set_access(&user(n), None, &mut out);
                self.perform(out);
                assert!(self.peers[&n].socket.is_none());
            }
            Op::Leave(n) => {
                if let Some(socket) = self.peers.get_mut(&n).unwrap().socket.take() {
                    self.peers.get_mut(&n).unwrap().inbox.clear();
                    let mut out = Vec::new();
                    self.room.leave(socket, &mut out);
                    self.perform(out);
                }
            }
        }
        assert_eq!(
            self.room.peer_count(),
            self.peers.values().filter(|p| p.socket.is_some()).count(),
            "the room and the sockets agree on who is in"
        );
    }

    /// Presence the room holds belongs to sockets still in it.
    fn check_presence(&self) {
        let announced: Vec<u64> = self
            .peers
            .values()
            .filter_map(|p| p.socket)
            .flat_map(|s| self.announced.get(&s).cloned().unwrap_or_default())
            .collect();
        for client in self.room.presence().into_iter().map(|c| c.get()) {
            assert!(
                announced.contains(&client),
                "presence of {client} outlived its socket"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Whatever the interleaving: the core only addresses sockets in the room, never
    /// applies a read-only peer's update, never asks for a reload on honest traffic,
    /// persists every change it applies, and editors converge with it.
    #[test]
    fn random_interleavings_keep_the_room_consistent(ops in proptest::collection::vec(op(), 1..60)) {
        let mut sim = Sim::new();
        for op in ops {
            sim.apply(op);
        }
        sim.check_presence();
        // Everyone reconnects as an editor and syncs fully, both ways.
        for n in 0..4u64 {
            sim.apply(Op::Leave(n));
            sim.apply(Op::SetRole(n, true));
            sim.apply(Op::Join(n));
        }
        for _ in 0..3 {
            for n in 0..4u64 {
                sim.apply(Op::Read(n));
            }
        }
        let room_text = text_of(sim.room.doc());
        // Nothing applied is lost: the persisted log rebuilds the same document.
        let replay = Doc::new();
        for update in &sim.persisted {
            replay
                .transact_mut()
                .apply_update(Update::decode_v1(update).expect("persisted updates decode"))
                .expect("persisted updates apply");
        }
        prop_assert_eq!(text_of(&replay), room_text.clone());
        for (n, p) in &sim.peers {
            prop_assert!(p.socket.is_some(), "peer {} was refused on a full resync", n);
            prop_assert_eq!(text_of(&p.doc), room_text.clone(), "peer {} converged", n);
        }
    }
}
