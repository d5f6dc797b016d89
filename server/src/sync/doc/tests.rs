//! Tests of the room's protocol core, driven directly: no socket, no database, no
//! runtime. Simulated peers are real Yrs documents speaking y-protocols; what the core
//! asks to send is delivered to them, what it asks to persist is replayed into a fresh
//! document to check nothing applied is lost.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use parcours_shared::ids::{MapId, Role, UserId};
use proptest::prelude::*;
use yrs::block::ClientID;
use yrs::sync::awareness::{AwarenessUpdate, AwarenessUpdateEntry};
use yrs::sync::{Message, SyncMessage};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Array, Doc, GetString, Map, ReadTxn, StateVector, Text, Transact, Update};

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
        color: "#155eef".into(),
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

fn now() -> Instant {
    Instant::now()
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
        room.receive(1, m, now(), &mut out);
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
        room.receive(1, m, now(), &mut out);
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
        room.receive(1, m, now(), &mut out);
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
        room.receive(1, m, now(), &mut out);
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
            room.receive(p, m, now(), &mut out);
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
    room.receive(1, Incoming::AwarenessQuery, now(), &mut out);
    assert!(out.is_empty());
    assert_eq!(sends_to(&out, 1), 0);
}

/// Two edits by one client: the first (clock 0) and the second, which builds on it.
fn two_edits(client: u64) -> (Vec<u8>, Vec<u8>) {
    let doc = Doc::with_client_id(client);
    let text = doc.get_or_insert_text("t");
    text.push(&mut doc.transact_mut(), "offline ");
    let first = doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    let sv = doc.transact().state_vector();
    text.push(&mut doc.transact_mut(), "then online");
    let second = doc.transact().encode_state_as_update_v1(&sv);
    (first, second)
}

fn step2_frame(update: Vec<u8>) -> Vec<u8> {
    Message::Sync(SyncMessage::SyncStep2(update)).encode_v1()
}

fn feed(room: &mut RoomDoc, peer: PeerId, frame: Vec<u8>, at: Instant, out: &mut Vec<Action>) {
    for m in incoming(&frame) {
        room.receive(peer, m, at, out);
    }
}

#[test]
fn an_update_that_skips_ahead_is_held_then_integrated_by_the_senders_step_2() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    room.join(2, identity(2, true), &mut out);
    out.clear();
    let (first, second) = two_edits(11);
    // Sent eagerly on a new socket, before the client answered sync step 1.
    feed(&mut room, 1, update_frame(second), now(), &mut out);
    assert!(
        out.is_empty(),
        "held: not fanned out, not persisted: {out:?}"
    );
    assert!(room.has_peer(1), "an honest reconnect is not refused");
    assert_eq!(text_of(room.doc()), "");
    assert!(room.next_tick(now()).is_some());
    // Its step 2 brings the missing edit: both integrate, each fanned out once.
    feed(&mut room, 1, step2_frame(first), now(), &mut out);
    assert_eq!(text_of(room.doc()), "offline then online");
    let persisted: Vec<&Vec<u8>> = out
        .iter()
        .filter_map(|a| match a {
            Action::Persist { update, .. } => Some(update),
            _ => None,
        })
        .collect();
    assert_eq!(persisted.len(), 2);
    let replay = Doc::new();
    for u in persisted {
        replay
            .transact_mut()
            .apply_update(Update::decode_v1(u).expect("decode"))
            .expect("apply");
    }
    assert_eq!(text_of(&replay), "offline then online");
    let broadcasts = out
        .iter()
        .filter(|a| {
            matches!(
                a,
                Action::Broadcast {
                    except: Some(1),
                    ..
                }
            )
        })
        .count();
    assert_eq!(broadcasts, 2);
    assert!(room.next_tick(now()).is_none(), "nothing is held any more");
}

/// Two edits by one client to different keys of a root map: the second depends on
/// nothing in the first, only its clocks come after.
fn two_independent_edits(client: u64) -> (Vec<u8>, Vec<u8>) {
    let doc = Doc::with_client_id(client);
    let meta = doc.get_or_insert_map("meta");
    meta.insert(&mut doc.transact_mut(), "objective", "Open an account");
    let first = doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    let sv = doc.transact().state_vector();
    meta.insert(&mut doc.transact_mut(), "title", "Bank onboarding");
    let second = doc.transact().encode_state_as_update_v1(&sv);
    (first, second)
}

fn title_of(doc: &Doc) -> Option<String> {
    let meta = doc.get_or_insert_map("meta");
    let txn = doc.transact();
    meta.get(&txn, "title").map(|v| v.to_string(&txn))
}

/// Fuzz finding 3: yrs integrates a block beyond a hole in its client's clocks when it
/// depends on nothing missing, but the room's state vector does not cover it, so it
/// was shown (REST, exports) without being persisted or sent. Such an update is now
/// held until the hole is filled.
#[test]
fn an_update_beyond_a_hole_is_held_even_when_it_depends_on_nothing() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    room.join(2, identity(2, true), &mut out);
    out.clear();
    let (first, second) = two_independent_edits(12);
    feed(&mut room, 1, update_frame(second), now(), &mut out);
    assert!(out.is_empty(), "held, not sent nor persisted: {out:?}");
    assert_eq!(title_of(room.doc()), None, "not shown either");
    assert!(room.view().meta.title.is_empty());
    assert!(room.has_peer(1));
    assert!(room.next_tick(now()).is_some(), "held for a retry");
    // The hole filled: both apply, and what is persisted rebuilds what is shown.
    feed(&mut room, 1, step2_frame(first), now(), &mut out);
    assert_eq!(title_of(room.doc()).as_deref(), Some("Bank onboarding"));
    let replay = Doc::new();
    for action in &out {
        if let Action::Persist { update, .. } = action {
            replay
                .transact_mut()
                .apply_update(Update::decode_v1(update).expect("decode"))
                .expect("apply");
        }
    }
    assert_eq!(title_of(&replay).as_deref(), Some("Bank onboarding"));
    assert_eq!(
        replay.transact().state_vector(),
        room.doc().transact().state_vector()
    );
    assert!(room.next_tick(now()).is_none(), "nothing is held any more");
}

/// The same hole inside one update (a merged update with a skip): held whole.
#[test]
fn an_update_with_a_hole_inside_is_held_whole() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    out.clear();
    let doc = Doc::with_client_id(13);
    let meta = doc.get_or_insert_map("meta");
    meta.insert(&mut doc.transact_mut(), "title", "A");
    let first = doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    let sv1 = doc.transact().state_vector();
    meta.insert(&mut doc.transact_mut(), "objective", "B");
    let sv2 = doc.transact().state_vector();
    meta.insert(&mut doc.transact_mut(), "persona", "C");
    let third = doc.transact().encode_state_as_update_v1(&sv2);
    // What fills the hole: the second edit (and the third again).
    let second = doc.transact().encode_state_as_update_v1(&sv1);
    // First and third merged: clocks of the second are a hole between them.
    let holed = yrs::merge_updates_v1([first.as_slice(), third.as_slice()]).expect("merge");
    feed(&mut room, 1, update_frame(holed), now(), &mut out);
    assert!(out.is_empty(), "held whole: {out:?}");
    assert_eq!(title_of(room.doc()), None);
    feed(&mut room, 1, update_frame(second), now(), &mut out);
    assert_eq!(title_of(room.doc()), None, "each alone still has a hole");
    // Tried together at the next tick: they fill each other's hole.
    room.tick(now() + super::super::held::HELD_RETRY, &mut out);
    assert_eq!(title_of(room.doc()).as_deref(), Some("A"));
    assert!(room.has_peer(1));
    assert!(room.next_tick(now()).is_none(), "nothing is held any more");
    let meta = room.doc().get_or_insert_map("meta");
    let txn = room.doc().transact();
    assert_eq!(meta.len(&txn), 3, "all three entries");
}

/// Fuzz finding 4: a block whose first clocks the room already has, named with a
/// parent of its own, is cut where the room's clock is; yrs kept the parent the block
/// named while linking the rest after the room's block at the cut, in another type —
/// one item in two places, which its garbage collection later freed while still
/// pointed to. Trimmed as Yjs encodes a diff, the rest follows its left neighbour, so
/// the room's document is what its own encoding says.
#[test]
fn a_block_straddling_the_rooms_clock_lands_beside_the_block_at_the_cut() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    let doc = Doc::with_client_id(21);
    let notes = doc.get_or_insert_text("notes");
    notes.insert(&mut doc.transact_mut(), 0, "hello");
    let honest = doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    feed(&mut room, 1, update_frame(honest), now(), &mut out);
    // The same client id in another document: four clocks of other text, then the
    // first item of a list, two values at clocks 4 and 5, with a named parent and no
    // origin — clock 4 is the room's "o" of "hello", clock 5 is new.
    let forged = Doc::with_client_id(21);
    let junk = forged.get_or_insert_text("junk");
    junk.insert(&mut forged.transact_mut(), 0, "abcd");
    let sv = forged.transact().state_vector();
    let list = forged.get_or_insert_array("evil");
    list.insert_range(&mut forged.transact_mut(), 0, [1.0, 2.0]);
    let straddling = forged.transact().encode_state_as_update_v1(&sv);
    out.clear();
    feed(&mut room, 1, update_frame(straddling), now(), &mut out);
    assert!(room.has_peer(1), "yrs takes it: {out:?}");

    let copy = Doc::new();
    let state = Update::decode_v1(&room.encode_state()).expect("state decodes");
    copy.transact_mut()
        .apply_update(state)
        .expect("state applies");
    let lists = |d: &Doc| {
        let list = d.get_or_insert_array("evil");
        let txn = d.transact();
        (list.len(&txn), list.iter(&txn).count())
    };
    assert_eq!(
        lists(room.doc()),
        lists(&copy),
        "the list is what the state says"
    );
    assert_eq!(
        lists(room.doc()),
        (0, 0),
        "the new clock went beside the 'o'"
    );
    let text = |d: &Doc| d.get_or_insert_text("notes").get_string(&d.transact());
    assert_eq!(text(room.doc()), "hello");
    assert_eq!(text(&copy), "hello");
}

/// Fuzz finding 9: text whose left origin is a map entry joins that entry (its parent
/// and key come from the origin). yrs read such an entry as its whole rightmost block,
/// and which characters that block holds depends on how the item was split and
/// squashed: in the finding (replayed from `fuzz/corpus/room/finding-8583636e`), an
/// item splitting the text inside one update left the room's entry as one squashed
/// block ("for a bank") while what it persisted, and its own state, replayed as two
/// (" bank"). Read as Yjs reads it — the last character — every form agrees
/// (`vendor/PATCHES.md`).
#[test]
fn text_forged_into_a_map_entry_reads_the_same_live_and_replayed() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    let doc = Doc::with_client_id(21);
    doc.get_or_insert_map("meta")
        .insert(&mut doc.transact_mut(), "title", "Bank");
    let honest = doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    let mut persisted = Vec::new();
    let take = |out: &mut Vec<Action>, persisted: &mut Vec<Vec<u8>>| {
        for action in out.drain(..) {
            if let Action::Persist { update, .. } = action {
                persisted.push(update);
            }
        }
    };
    feed(&mut room, 1, update_frame(honest), now(), &mut out);
    take(&mut out, &mut persisted);
    // The same client in another document: its clock 0 is a text's first character,
    // so "for a bank" (clocks 1 to 10) names clock 0 — the room's title — as its left
    // origin.
    let forged = Doc::with_client_id(21);
    let junk = forged.get_or_insert_text("junk");
    junk.insert(&mut forged.transact_mut(), 0, "X");
    let sv = forged.transact().state_vector();
    junk.insert(&mut forged.transact_mut(), 1, "for a bank");
    let first = forged.transact().encode_state_as_update_v1(&sv);
    // Then "Looks " (clocks 11 to 16) with "a" (clock 5) as its left origin and "f"
    // (clock 1) as its right one, by hand: one client, one item, string content with
    // both origins (info 0xC4), no deletions. Merged into one update with the text.
    let mut second = vec![1, 1, 21, 11, 0xC4, 21, 5, 21, 1, 6];
    second.extend_from_slice(b"Looks ");
    second.push(0);
    let merged = Update::merge_updates([
        Update::decode_v1(&first).unwrap(),
        Update::decode_v1(&second).unwrap(),
    ]);
    feed(
        &mut room,
        1,
        update_frame(merged.encode_v1()),
        now(),
        &mut out,
    );
    take(&mut out, &mut persisted);
    assert!(room.has_peer(1), "yrs takes it");

    let replay = Doc::new();
    for update in &persisted {
        replay
            .transact_mut()
            .apply_update(Update::decode_v1(update).unwrap())
            .unwrap();
    }
    let state = Doc::new();
    state
        .transact_mut()
        .apply_update(Update::decode_v1(&room.encode_state()).unwrap())
        .unwrap();
    let live = title_of(room.doc());
    assert_eq!(
        live.as_deref(),
        Some("k"),
        "a text entry reads as its last character"
    );
    assert_eq!(
        title_of(&replay),
        live,
        "what the room persisted reads the same"
    );
    assert_eq!(title_of(&state), live, "the room's state reads the same");
    assert_eq!(
        parcours_shared::view::read_view(&replay),
        room.view(),
        "the map view too"
    );
}

#[test]
fn a_gap_still_open_after_step_2_and_the_grace_period_closes_the_sender() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    let t0 = now();
    feed(
        &mut room,
        1,
        step2_frame(Update::EMPTY_V1.to_vec()),
        t0,
        &mut out,
    );
    let (_first, second) = two_edits(11);
    feed(&mut room, 1, update_frame(second), t0, &mut out);
    out.clear();
    room.tick(t0 + super::super::held::HELD_GRACE / 2, &mut out);
    assert!(room.has_peer(1), "still within the grace period");
    room.tick(
        t0 + super::super::held::HELD_GRACE + Duration::from_millis(1),
        &mut out,
    );
    assert!(!room.has_peer(1));
    assert!(out.iter().any(|a| matches!(
        a,
        Action::Close { peer: 1, reason: CloseReason::BadInput(r) } if r.contains("sync step 2")
    )));
    assert_eq!(text_of(room.doc()), "", "nothing held was ever applied");
}

#[test]
fn a_peer_that_never_sends_step_2_is_closed_after_the_longest_hold() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    let t0 = now();
    let (_first, second) = two_edits(11);
    feed(&mut room, 1, update_frame(second), t0, &mut out);
    room.tick(t0 + super::super::held::HELD_GRACE * 2, &mut out);
    assert!(room.has_peer(1), "no step 2 yet: the longer bound applies");
    room.tick(t0 + super::super::held::MAX_HELD_TIME, &mut out);
    assert!(!room.has_peer(1));
}

#[test]
fn holding_more_than_the_bound_closes_the_sender_and_memory_stays_bounded() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    // One client's history with its first edit withheld: everything after it waits.
    let doc = Doc::with_client_id(77);
    let text = doc.get_or_insert_text("t");
    text.push(&mut doc.transact_mut(), "withheld");
    let mut sent = 0usize;
    let chunk = "x".repeat(16 * 1024);
    while room.has_peer(1) {
        let sv = doc.transact().state_vector();
        text.push(&mut doc.transact_mut(), &chunk);
        let update = doc.transact().encode_state_as_update_v1(&sv);
        sent += update.len();
        feed(&mut room, 1, update_frame(update), now(), &mut out);
        assert!(
            sent <= super::super::held::MAX_HELD_BYTES + 64 * 1024,
            "closed once past the bound, not later"
        );
    }
    assert!(out.iter().any(|a| matches!(
        a,
        Action::Close { peer: 1, reason: CloseReason::BadInput(r) } if r.contains("wait for content")
    )));
    assert_eq!(text_of(room.doc()), "");
    assert!(
        room.next_tick(now()).is_none(),
        "the held updates went with the peer"
    );
}

#[test]
fn an_update_building_on_another_clients_unsent_edit_waits_for_it() {
    // Tabs of one browser share edits: B's update inserts into text A wrote, which the
    // room gets only later, from A.
    let a = Doc::with_client_id(21);
    a.get_or_insert_text("t").push(&mut a.transact_mut(), "abc");
    let a_state = a
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    let b = Doc::with_client_id(22);
    b.transact_mut()
        .apply_update(Update::decode_v1(&a_state).expect("decode"))
        .expect("apply");
    let before = b.transact().state_vector();
    b.get_or_insert_text("t")
        .insert(&mut b.transact_mut(), 1, "ZZ");
    let b_only = b.transact().encode_state_as_update_v1(&before);

    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    room.join(2, identity(2, true), &mut out);
    feed(&mut room, 2, update_frame(b_only), now(), &mut out);
    assert!(room.has_peer(2));
    assert_eq!(text_of(room.doc()), "");
    feed(&mut room, 1, update_frame(a_state), now(), &mut out);
    out.clear();
    room.tick(now(), &mut out);
    assert_eq!(text_of(room.doc()), "aZZbc");
    assert!(out.iter().any(|a| matches!(a, Action::Persist { .. })));
    assert!(!out.iter().any(|a| matches!(a, Action::Reload)));
}

fn closed_for_policy(out: &[Action], peer: PeerId) -> bool {
    out.iter().any(
        |a| matches!(a, Action::Close { peer: p, reason: CloseReason::Policy(_) } if *p == peer),
    )
}

fn state_of(room: &RoomDoc, client: u64, out: &[Action]) -> Option<String> {
    let _ = room;
    out.iter().rev().find_map(|a| match a {
        Action::Broadcast { message, .. } => incoming(message).into_iter().find_map(|m| match m {
            Incoming::Awareness(u) => u
                .clients
                .get(&ClientID::new(client))
                .map(|e| e.json.to_string()),
            _ => None,
        }),
        _ => None,
    })
}

#[test]
fn presence_carries_the_name_and_colour_the_server_knows() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, false), &mut out);
    feed(
        &mut room,
        1,
        awareness_frame(
            501,
            1,
            r##"{"user":{"name":"The CEO","color":"#000000"},"selected":"c1"}"##,
        ),
        now(),
        &mut out,
    );
    let state = state_of(&room, 501, &out).expect("relayed");
    let v: serde_json::Value = serde_json::from_str(&state).expect("json");
    assert_eq!(v["user"]["name"], "Person 1");
    assert_eq!(v["user"]["color"], "#155eef");
    assert_eq!(v["selected"], "c1");
}

#[test]
fn a_peer_cannot_change_or_clear_presence_someone_else_announced() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    room.join(2, identity(2, true), &mut out);
    feed(
        &mut room,
        1,
        awareness_frame(501, 1, r#"{"a":1}"#),
        now(),
        &mut out,
    );
    out.clear();
    feed(
        &mut room,
        2,
        awareness_frame(501, 9, "null"),
        now(),
        &mut out,
    );
    feed(
        &mut room,
        2,
        awareness_frame(501, 10, r#"{"a":"spoof"}"#),
        now(),
        &mut out,
    );
    assert!(out.is_empty(), "ignored, not relayed: {out:?}");
    assert!(
        room.has_peer(2),
        "relaying others' presence is what stock clients do"
    );
    assert_eq!(room.presence(), vec![ClientID::new(501)]);
}

#[test]
fn relayed_presence_with_the_clock_the_room_has_is_ignored() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    room.join(2, identity(2, true), &mut out);
    feed(
        &mut room,
        1,
        awareness_frame(501, 3, r#"{"a":1}"#),
        now(),
        &mut out,
    );
    room.leave(1, &mut out);
    out.clear();
    // Peer 2 echoes what it was told, after 1 left: not a claim.
    feed(
        &mut room,
        2,
        awareness_frame(501, 3, r#"{"a":1}"#),
        now(),
        &mut out,
    );
    assert!(out.is_empty(), "{out:?}");
    assert!(room.presence().is_empty());
}

#[test]
fn the_same_persons_new_socket_takes_over_its_presence() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    feed(
        &mut room,
        1,
        awareness_frame(501, 1, r#"{"a":1}"#),
        now(),
        &mut out,
    );
    // The old socket is not gone yet (a half-open connection) when the new one speaks.
    room.join(2, identity(1, true), &mut out);
    out.clear();
    feed(
        &mut room,
        2,
        awareness_frame(501, 2, r#"{"a":2}"#),
        now(),
        &mut out,
    );
    assert!(!closed_for_policy(&out, 2));
    // The old socket leaving does not clear what the new one now owns.
    room.leave(1, &mut out);
    assert_eq!(room.presence(), vec![ClientID::new(501)]);
    room.leave(2, &mut out);
    assert!(room.presence().is_empty());
}

#[test]
fn a_peer_holds_at_most_four_awareness_clients() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    for c in 0..4 {
        feed(
            &mut room,
            1,
            awareness_frame(600 + c, 1, "{}"),
            now(),
            &mut out,
        );
    }
    out.clear();
    feed(&mut room, 1, awareness_frame(700, 1, "{}"), now(), &mut out);
    assert!(out.is_empty(), "a fifth id is ignored");
    assert_eq!(room.presence().len(), 4);
    room.leave(1, &mut out);
    assert!(room.presence().is_empty(), "its presence went with it");
}

#[test]
fn presence_sent_faster_than_the_rate_closes_the_peer() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    let t0 = now();
    let mut clock = 1;
    while room.has_peer(1) && clock < 1_000 {
        feed(
            &mut room,
            1,
            awareness_frame(501, clock, "{}"),
            t0,
            &mut out,
        );
        clock += 1;
    }
    assert!(closed_for_policy(&out, 1));
    assert!(clock as f64 <= crate::sync::presence::RATE_BURST + 2.0);
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
    /// Simulated time.
    now: Instant,
    /// People who were read-only at some point: the room dropped their edits then,
    /// so their later ones may wait for content that only a full resync brings.
    ever_read_only: std::collections::BTreeSet<u64>,
}

#[derive(Debug, Clone)]
enum Op {
    /// Connects; with `true` the client edits before answering the room's step 1
    /// (as a stock y-websocket provider sends offline edits eagerly).
    Join(u64, bool),
    /// Time passes (milliseconds).
    Tick(u16),
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
        (who.clone(), any::<bool>()).prop_map(|(w, eager)| Op::Join(w, eager)),
        (0u16..2000).prop_map(Op::Tick),
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
        let ever_read_only = roles
            .iter()
            .filter(|(_, editor)| !**editor)
            .map(|(n, _)| *n)
            .collect();
        Sim {
            room: room(),
            peers,
            roles,
            sockets: HashMap::new(),
            next_socket: 1,
            persisted: Vec::new(),
            announced: HashMap::new(),
            now: Instant::now(),
            ever_read_only,
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
                Action::Close { peer, reason } => {
                    let person = self.sockets[&peer];
                    if matches!(reason, CloseReason::BadInput(_)) {
                        assert!(
                            self.ever_read_only.contains(&person),
                            "person {person}, always an editor, was refused: {reason:?}"
                        );
                    }
                    let p = self.peers.get_mut(&person).unwrap();
                    assert_eq!(p.socket, Some(peer), "closed twice or a stranger");
                    p.socket = None;
                    p.inbox.clear();
                    assert!(!self.room.has_peer(peer));
                }
                Action::Persist { update, .. } => self.persisted.push(update),
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
            self.room.receive(socket, m, self.now, &mut out);
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
            Op::Tick(ms) => {
                self.now += Duration::from_millis(u64::from(ms));
                let mut out = Vec::new();
                self.room.tick(self.now, &mut out);
                self.perform(out);
            }
            Op::Join(n, eager) => {
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
                if eager {
                    self.apply(Op::Edit(n, 7));
                }
                // It answers the room's step 1 within a round trip.
                self.read(n);
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
                if !can_edit {
                    self.ever_read_only.insert(n);
                }
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
    /// never refuses someone who was always an editor (offline edits sent eagerly on
    /// reconnect are held until the step 2), persists every change it applies, and
    /// everyone converges with it after a full resync.
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
            sim.apply(Op::Join(n, false));
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

/// Another node's update (`--cluster`) reaches every peer here and is not persisted
/// here (its own node writes it); an unreadable bus message is ignored.
#[test]
fn another_nodes_update_is_passed_to_every_peer_and_never_persisted_here() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    out.clear();
    let remote = Doc::with_client_id(77);
    remote
        .get_or_insert_text("t")
        .push(&mut remote.transact_mut(), "from another node");
    let update = remote
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    room.receive_remote(&update_frame(update.clone()), now(), &mut out);
    assert_eq!(text_of(room.doc()), "from another node");
    assert!(
        matches!(&out[..], [Action::Broadcast { except: None, .. }]),
        "{out:?}"
    );
    // The same again changes nothing and sends nothing.
    out.clear();
    room.receive_remote(&update_frame(update), now(), &mut out);
    assert!(out.is_empty(), "{out:?}");
    // An unreadable message is ignored: nothing sent, nothing persisted.
    out.clear();
    room.receive_remote(&[0, 2, 200], now(), &mut out);
    assert!(out.is_empty(), "{out:?}");
    assert_eq!(text_of(room.doc()), "from another node");
}

/// Many updates another node published, handed over together, are applied at once and
/// reach each peer here as one update holding them all.
#[test]
fn other_nodes_updates_handed_over_together_go_out_as_one() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    out.clear();
    let remote = Doc::with_client_id(78);
    let text = remote.get_or_insert_text("t");
    let mut frames = Vec::new();
    for word in ["one ", "two ", "three"] {
        let before = remote.transact().state_vector();
        text.push(&mut remote.transact_mut(), word);
        frames.push(update_frame(
            remote.transact().encode_state_as_update_v1(&before),
        ));
    }
    room.receive_remote_all(&frames, now(), &mut out);
    assert_eq!(text_of(room.doc()), "one two three");
    let [Action::Broadcast {
        except: None,
        message,
    }] = &out[..]
    else {
        panic!("one broadcast: {out:?}");
    };
    // A peer that had nothing reads the whole text from that one message.
    let fresh = Doc::new();
    for m in incoming(message) {
        if let Incoming::Update(u) = m {
            fresh.transact_mut().apply_update(u).expect("apply");
        }
    }
    assert_eq!(text_of(&fresh), "one two three");
}

/// Presence another node announced cannot be taken over by a peer here, is passed on
/// to the peers here, and expires when its node stops renewing it.
#[test]
fn another_nodes_presence_is_theirs_and_expires_without_renewal() {
    let mut room = room();
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    out.clear();
    let start = now();
    room.receive_remote(
        &awareness_frame(900, 1, r#"{"user":{"name":"Elsewhere"}}"#),
        start,
        &mut out,
    );
    assert_eq!(room.presence(), vec![ClientID::new(900)]);
    assert!(matches!(&out[..], [Action::Broadcast { except: None, .. }]));
    // A local peer claiming the same id with a newer clock is ignored.
    out.clear();
    for m in incoming(&awareness_frame(900, 5, r#"{"user":{"name":"Impostor"}}"#)) {
        room.receive(1, m, start, &mut out);
    }
    assert!(
        !out.iter().any(|a| matches!(a, Action::Close { .. })),
        "ignored, not closed: {out:?}"
    );
    let state = room
        .awareness
        .iter()
        .find(|(c, _)| *c == ClientID::new(900))
        .and_then(|(_, s)| s.data.clone())
        .expect("state");
    assert!(state.contains("Elsewhere"), "{state}");
    // Not renewed: gone after the TTL, and the peers here are told.
    let later = start + super::remote::REMOTE_PRESENCE_TTL + Duration::from_secs(1);
    assert!(room.next_tick(start).is_some_and(|t| t <= later));
    out.clear();
    room.tick(later, &mut out);
    assert!(room.presence().is_empty());
    assert!(out.iter().any(|a| matches!(a, Action::Broadcast { .. })));
}
