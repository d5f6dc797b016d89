//! Hostile input on the sync socket: each bad sender is disconnected alone while honest
//! peers on the same map keep syncing, and the server stays up.

mod common;

use std::time::Duration;

use common::{client_view, converged, edit, sqlite_server, TestDb, TestServer, WAIT};
use parcours_bench::YClient;
use parcours_shared::schema::At;
use yrs::sync::{Message, SyncMessage};
use yrs::updates::encoder::Encode;
use yrs::{Doc, GetString, ReadTxn, StateVector, Text, Transact};

struct Scene {
    _db: TestDb,
    server: TestServer,
    map: String,
    a: YClient,
    b: YClient,
}

async fn scene() -> Scene {
    let (db, server) = sqlite_server().await;
    let map = server.create_map("Under attack").await.id.0;
    let a = server.client(&map).await;
    let b = server.client(&map).await;
    Scene {
        _db: db,
        server,
        map,
        a,
        b,
    }
}

/// The honest peers still sync both ways, and agree with the server's copy.
async fn honest_peers_still_sync(s: &Scene, tag: &str) {
    edit(&s.a, |m| m.add_stage(&format!("a-{tag}"), tag, At::End)).expect("a edits");
    edit(&s.b, |m| m.add_stage(&format!("b-{tag}"), tag, At::End)).expect("b edits");
    let v = converged(&[&s.a, &s.b]).await;
    assert!(v.stages.iter().any(|st| st.id == format!("a-{tag}")));
    assert!(v.stages.iter().any(|st| st.id == format!("b-{tag}")));
    assert_eq!(s.server.view(&s.map).await, v, "server copy matches peers");
}

fn update_message(update: Vec<u8>) -> Vec<u8> {
    Message::Sync(SyncMessage::Update(update)).encode_v1()
}

async fn attacker(s: &Scene) -> YClient {
    s.server.client(&s.map).await
}

async fn rejected(c: &YClient) -> u16 {
    c.wait_closed(WAIT)
        .await
        .expect("the sender is disconnected")
        .code
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_bytes_disconnect_only_the_sender() {
    let s = scene().await;
    for (i, garbage) in [
        vec![0xff, 0x13, 0x37, 0x00, 0x42],
        vec![
            0x00, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f,
        ],
        vec![0x00, 0x09],
        vec![0x01, 0xff, 0xff, 0xff, 0x7f],
        b"hello, server".to_vec(),
    ]
    .into_iter()
    .enumerate()
    {
        let bad = attacker(&s).await;
        bad.send_raw(garbage).expect("send");
        let code = bad.wait_closed(WAIT).await.map(|c| c.code);
        assert_eq!(code, Some(1007), "case {i}");
        honest_peers_still_sync(&s, &format!("g{i}")).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_64_mib_frame_disconnects_only_the_sender() {
    let s = scene().await;
    let bad = attacker(&s).await;
    let mut huge = update_message(vec![0u8; 16]);
    huge.resize(64 * 1024 * 1024, 0x41);
    bad.send_raw(huge).expect("send");
    let closed = bad
        .wait_closed(WAIT)
        .await
        .expect("the sender is disconnected");
    assert_ne!(closed.code, 1000, "{closed:?}");
    honest_peers_still_sync(&s, "big").await;
    let health = s
        .server
        .http
        .get(s.server.url("/healthz"))
        .send()
        .await
        .expect("health");
    assert_eq!(health.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_that_skips_ahead_in_a_clients_history_is_refused() {
    let s = scene().await;
    // Two edits by one client; send only the second (its clock starts past zero).
    let doc = Doc::with_client_id(4242);
    let text = doc.get_or_insert_text("t");
    text.push(&mut doc.transact_mut(), "first");
    let sv = doc.transact().state_vector();
    text.push(&mut doc.transact_mut(), " second");
    let second = doc.transact().encode_state_as_update_v1(&sv);
    let bad = attacker(&s).await;
    bad.send_raw(update_message(second)).expect("send");
    assert_eq!(rejected(&bad).await, 1007);
    honest_peers_still_sync(&s, "gap").await;
    assert!(
        s.a.doc().transact().get_text("t").is_none(),
        "nothing of it reached the peers"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_referring_to_unknown_content_is_refused_and_leaves_no_trace() {
    let s = scene().await;
    // Client X writes "abc"; client Y, having seen it, types into its middle. The
    // server never sees X, so Y's update refers to items it does not have.
    let x = Doc::with_client_id(1001);
    x.get_or_insert_text("t").push(&mut x.transact_mut(), "abc");
    let y = Doc::with_client_id(1002);
    let x_state = x
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    y.transact_mut()
        .apply_update(yrs::Update::decode_v1(&x_state).expect("decode"))
        .expect("apply");
    let before = y.transact().state_vector();
    y.get_or_insert_text("t")
        .insert(&mut y.transact_mut(), 1, "ZZZ");
    let y_only = y.transact().encode_state_as_update_v1(&before);
    let bad = attacker(&s).await;
    bad.send_raw(update_message(y_only)).expect("send");
    assert_eq!(rejected(&bad).await, 1007);
    honest_peers_still_sync(&s, "orphan").await;
    // A newcomer gets a clean document: nothing half-applied was kept.
    let late = s.server.client(&s.map).await;
    assert_eq!(client_view(&late), client_view(&s.a));
    let t = late
        .doc()
        .transact()
        .get_text("t")
        .map(|t| t.get_string(&late.doc().transact()));
    assert!(
        t.is_none() || t.as_deref() == Some(""),
        "no trace of the refused update: {t:?}"
    );
}

use yrs::updates::decoder::Decode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn truncated_and_bit_flipped_updates_never_hurt_other_peers() {
    let s = scene().await;
    // A real update from a real editor, then damaged in many ways.
    let src = Doc::with_client_id(777);
    let text = src.get_or_insert_text("notes");
    text.push(
        &mut src.transact_mut(),
        "A perfectly ordinary sentence about onboarding.",
    );
    let map = src.get_or_insert_map("stages");
    yrs::Map::insert(&map, &mut src.transact_mut(), "x", "y");
    let good = src
        .transact()
        .encode_state_as_update_v1(&StateVector::default());

    let mut variants: Vec<Vec<u8>> = Vec::new();
    for cut in [1, 3, good.len() / 2, good.len() - 1] {
        variants.push(good[..cut].to_vec());
    }
    let mut seed: u64 = 0x5eed;
    for _ in 0..40 {
        let mut v = good.clone();
        for _ in 0..3 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let i = (seed >> 33) as usize % v.len();
            v[i] ^= (seed >> 13) as u8 | 1;
        }
        variants.push(v);
    }
    let mut refused = 0;
    for (i, v) in variants.into_iter().enumerate() {
        let bad = attacker(&s).await;
        bad.send_raw(update_message(v)).expect("send");
        // Either refused (closed with 1007) or accepted as a valid, if odd, update.
        if let Some(closed) = bad.wait_closed(Duration::from_millis(300)).await {
            assert_eq!(closed.code, 1007, "variant {i}: {closed:?}");
            refused += 1;
        }
        bad.close();
        if i % 8 == 0 {
            honest_peers_still_sync(&s, &format!("f{i}")).await;
        }
    }
    assert!(
        refused >= 4,
        "the truncated updates at least were refused ({refused})"
    );
    honest_peers_still_sync(&s, "end").await;
    let metrics = s
        .server
        .http
        .get(s.server.url("/metrics"))
        .send()
        .await
        .expect("m")
        .text()
        .await
        .expect("t");
    assert!(
        !metrics.contains("parcours_peers_rejected_total 0\n"),
        "rejections are counted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_waiting_for_withheld_content_are_held_up_to_the_bound_then_the_sender_is_closed() {
    /// What the server holds for one peer at most (`MAX_HELD_BYTES`).
    const HELD_BOUND: usize = 4 << 20;
    let s = scene().await;
    // One client's history with its first edit withheld: every later 64 KiB edit builds
    // on it, so none can integrate, and each is held for the sender.
    let doc = Doc::with_client_id(4343);
    let text = doc.get_or_insert_text("t");
    text.push(&mut doc.transact_mut(), "withheld");
    let chunk = "z".repeat(64 << 10);
    let messages: Vec<Vec<u8>> = (0..80)
        .map(|_| {
            let sv = doc.transact().state_vector();
            text.push(&mut doc.transact_mut(), &chunk);
            update_message(doc.transact().encode_state_as_update_v1(&sv))
        })
        .collect();
    let one_update = messages[0].len();
    let held = |metrics: &str| common::metric(metrics, "parcours_updates_held_total");
    let held_before = held(&s.server.metrics().await).expect("held metric");

    let bad = attacker(&s).await;
    let mut sent = 0;
    for message in messages {
        if bad.closed().is_some() {
            break;
        }
        let answers = bad.remote_updates();
        let len = message.len();
        if bad.send_raw(message).is_err() {
            break;
        }
        sent += len;
        // A sync step 1 right behind it: its answer means the server handled the update.
        let sv = bad.doc().transact().state_vector();
        let _ = bad.send_raw(Message::Sync(SyncMessage::SyncStep1(sv)).encode_v1());
        assert!(
            bad.wait_until(WAIT, |_| bad.remote_updates() > answers
                || bad.closed().is_some())
                .await,
            "the server answers or closes"
        );
    }
    let closed = bad.wait_closed(WAIT).await.expect("the sender is closed");
    assert_eq!(closed.code, 1007, "{closed:?}");
    assert!(closed.reason.contains("wait for content"), "{closed:?}");
    eprintln!(
        "held-update sender closed after {sent} bytes in {} KiB updates: {}",
        one_update >> 10,
        closed.reason
    );
    assert!(
        sent <= HELD_BOUND + one_update,
        "it made the server take {sent} bytes"
    );
    assert!(
        held(&s.server.metrics().await).expect("held metric") > held_before,
        "the held updates are counted"
    );
    honest_peers_still_sync(&s, "held").await;
    assert!(
        s.a.doc().transact().get_text("t").is_none(),
        "nothing of it reached the peers"
    );
}

/// Fuzz finding 5 and its kin, sent by a viewer: a state vector claiming ~520 million
/// clients in ten bytes (yrs reserved and wrote a gigabyte for it), and an update whose
/// values nest 100 000 deep (yrs decodes them by recursion: the stack overflowed and the
/// whole server ended — this test's process with it). Each is refused (1007) before
/// yrs reads it, and the others keep syncing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_claiming_huge_counts_or_deep_nesting_is_refused_before_decoding() {
    let s = scene().await;
    let token = common::member(&s.server, &s.map, "vic@example.com", "viewer").await;
    let claims = vec![0, 0, 7, 0xbf, 0xc6, 0xcf, 0xf7, 0x01, 0x04, 0x1f];
    let mut nested = vec![1, 1, 7, 0, 0x08, 1, 4, b'l', b'i', b's', b't', 1];
    for _ in 0..100_000 {
        nested.extend([117, 1]);
    }
    nested.extend([126, 0]);
    for (i, frame) in [claims, update_message(nested)].into_iter().enumerate() {
        let bad = s.server.client_as(&s.map, &token).await;
        bad.send_raw(frame).expect("send");
        assert_eq!(rejected(&bad).await, 1007, "case {i}");
        honest_peers_still_sync(&s, &format!("n{i}")).await;
    }
}
