//! What a peer's bytes reach, without sockets or storage: the entry points of the fuzz
//! targets (`fuzz/`) and of the stable test that replays their corpus
//! (`tests/fuzz_corpus.rs`). Not an API.

use std::sync::Arc;
use std::time::{Duration, Instant};

use parcours_shared::ids::{MapId, UserId};
use yrs::updates::decoder::Decode;
use yrs::{Doc, ReadTxn, Transact, Update};

use super::doc::{Action, RoomDoc};
use super::link::PeerIdentity;
use super::wire::decode_frame;
use crate::metrics::Metrics;

/// Decodes one WebSocket message as a peer task does (never panics: yrs panics are
/// caught and reported as an error).
pub fn frame(data: &[u8]) {
    let _ = decode_frame(data);
}

fn identity(n: u64, can_edit: bool) -> PeerIdentity {
    PeerIdentity {
        user: Some(UserId(format!("user{n}"))),
        can_edit,
        via_link: None,
        name: format!("Person {n}"),
        color: "#155eef".into(),
    }
}

/// A room with three peers — two editors (1, 2) and a viewer (3) — fed `data` as
/// frames: each frame is one byte naming the sender (its value mod 3, plus one), two
/// bytes of length (little endian) and that many bytes, decoded and received as the
/// room does. Between frames the room's clock moves 50 ms and its timers run. Then
/// checks what must hold whatever was sent: the map's view can be read, the room's
/// state re-encodes into an identical document, and the updates the room asked to
/// persist rebuild exactly the room's document (nothing applied is unsaved).
pub fn room(data: &[u8]) {
    let mut room = RoomDoc::new(
        MapId("fuzzmap000000000".into()),
        Doc::new(),
        Arc::new(Metrics::default()),
    );
    let mut out = Vec::new();
    room.join(1, identity(1, true), &mut out);
    room.join(2, identity(2, true), &mut out);
    room.join(3, identity(3, false), &mut out);
    let mut persisted: Vec<Vec<u8>> = Vec::new();
    let mut now = Instant::now();
    for (peer, body) in frames(data) {
        if let Ok(messages) = decode_frame(body) {
            for message in messages {
                room.receive(peer, message, now, &mut out);
            }
        }
        now += Duration::from_millis(50);
        room.tick(now, &mut out);
        collect(&mut room, &mut out, &mut persisted);
    }
    // Far ahead: anything held for later is settled.
    now += Duration::from_secs(3600);
    room.tick(now, &mut out);
    collect(&mut room, &mut out, &mut persisted);

    let _ = room.view();
    let state = room.encode_state();
    let copy = Doc::new();
    let update = Update::decode_v1(&state).expect("the room's own state decodes");
    copy.transact_mut()
        .apply_update(update)
        .expect("the room's own state applies");
    let sv = clocks(room.doc());
    assert_eq!(clocks(&copy), sv, "the room's state re-encodes whole");
    let replay = Doc::new();
    for update in &persisted {
        let update = Update::decode_v1(update).expect("a persisted update decodes");
        replay
            .transact_mut()
            .apply_update(update)
            .expect("a persisted update applies");
    }
    assert_eq!(
        clocks(&replay),
        sv,
        "what the room persisted rebuilds its document's clocks"
    );
    assert_eq!(
        parcours_shared::view::read_view(&replay),
        room.view(),
        "what the room persisted rebuilds its map"
    );
}

/// What a `room` input says, frame by frame: the sender and each message decoded (yrs
/// updates in their debug form, blocks with ids, origins and parents), for reading a
/// finding. `cargo run -p parcours-server --example describe_fuzz_input FILE`.
pub fn describe(data: &[u8]) -> String {
    use super::wire::Incoming;
    use std::fmt::Write;
    let mut text = String::new();
    for (n, (peer, body)) in frames(data).enumerate() {
        let started = Instant::now();
        let decoded = decode_frame(body);
        let _ = writeln!(
            text,
            "frame {n} from peer {peer} ({} bytes, decoded in {:.2} ms):",
            body.len(),
            started.elapsed().as_secs_f64() * 1000.0
        );
        match decoded {
            Ok(messages) => {
                for message in messages {
                    let _ = match message {
                        Incoming::SyncStep1(sv) => writeln!(text, "  step 1 {sv:?}"),
                        Incoming::SyncStep2(u) => writeln!(text, "  step 2 {u:?}"),
                        Incoming::Update(u) => writeln!(text, "  update {u:?}"),
                        Incoming::Awareness(a) => writeln!(text, "  awareness {a:?}"),
                        Incoming::AwarenessQuery => writeln!(text, "  awareness query"),
                    };
                }
            }
            Err(e) => {
                let _ = writeln!(text, "  refused: {e:?}");
            }
        }
    }
    text
}

/// A `room` input's frames: one byte naming the sender (its value mod 3, plus one),
/// two bytes of length (little endian), then that many bytes (fewer at the end).
fn frames(data: &[u8]) -> impl Iterator<Item = (u64, &[u8])> {
    let mut rest = data;
    std::iter::from_fn(move || {
        if rest.len() < 3 {
            return None;
        }
        let peer = u64::from(rest[0] % 3) + 1;
        let len = usize::from(u16::from_le_bytes([rest[1], rest[2]]));
        let body = &rest[3..];
        let body = &body[..len.min(body.len())];
        rest = &rest[3 + body.len()..];
        Some((peer, body))
    })
}

/// A document's state vector without zero clocks: an entry at 0 says nothing (yrs
/// leaves one, e.g., for a client whose update could not integrate yet).
fn clocks(doc: &Doc) -> std::collections::BTreeMap<u64, u32> {
    doc.transact()
        .state_vector()
        .iter()
        .filter(|(_, clock)| **clock > 0)
        .map(|(client, clock)| (client.get(), *clock))
        .collect()
}

/// Takes the room's actions: keeps what it persists; on `Reload` rebuilds the document
/// from what was persisted, as the room actor does from storage.
fn collect(room: &mut RoomDoc, out: &mut Vec<Action>, persisted: &mut Vec<Vec<u8>>) {
    let mut reload = false;
    for action in out.drain(..) {
        match action {
            Action::Persist { update, .. } => persisted.push(update),
            Action::Reload => reload = true,
            _ => {}
        }
    }
    if reload {
        let doc = Doc::new();
        for update in persisted.iter() {
            if let Ok(update) = Update::decode_v1(update) {
                let _ = doc.transact_mut().apply_update(update);
            }
        }
        room.replace_doc(doc, out);
        out.retain(|a| !matches!(a, Action::Persist { .. } | Action::Reload));
    }
}
