//! Presence: one awareness message naming a million clients closes its sender at once
//! while another map's edits keep their pace; a member cannot rewrite or clear someone
//! else's presence, nor choose the name the others see.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use parcours_shared::schema::At;
use serde_json::Value;
use yrs::block::ClientID;
use yrs::sync::awareness::{AwarenessUpdate, AwarenessUpdateEntry};
use yrs::sync::Message;
use yrs::updates::encoder::Encode;
use yrs::{Doc, Map, ReadTxn, Transact};

use crate::common::{client_view, edit, eventually_ok, member, metric, sqlite_server, WAIT};

/// Edits measured on the other map (one every 20 ms: about 5 s).
const EDITS: usize = 250;

/// A lib0 variable-length unsigned integer.
fn var_uint(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A y-protocols awareness message (type 1) whose update names `count` clients, each
/// at clock 1 with the state `{}`: about 7 bytes a client.
fn awareness_naming(count: u64) -> Vec<u8> {
    let mut update = Vec::with_capacity(count as usize * 7 + 8);
    var_uint(&mut update, count);
    for client in 1..=count {
        var_uint(&mut update, client);
        var_uint(&mut update, 1);
        var_uint(&mut update, 2);
        update.extend_from_slice(b"{}");
    }
    let mut message = Vec::with_capacity(update.len() + 8);
    var_uint(&mut message, 1);
    var_uint(&mut message, update.len() as u64);
    message.extend_from_slice(&update);
    message
}

/// One awareness entry for `client`, as anyone could send it.
fn presence_of(client: ClientID, clock: u32, json: &str) -> Vec<u8> {
    let entry = AwarenessUpdateEntry {
        clock,
        json: json.into(),
    };
    Message::Awareness(AwarenessUpdate {
        clients: HashMap::from([(client, entry)]),
    })
    .encode_v1()
}

fn has_card(doc: &Doc, id: &str) -> bool {
    let txn = doc.transact();
    txn.get_map("cards")
        .is_some_and(|cards| cards.get(&txn, id).is_some())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_million_client_awareness_message_closes_its_sender_at_once_and_other_maps_keep_pace() {
    let (_db, s) = sqlite_server().await;
    let a = s.create_map("Attacked").await.id.0;
    let b = s.create_map("Busy").await.id.0;
    // Any member may send presence; an editor's frames may be as large as the flood
    // (a read-only member's are cut at 1 MiB before the presence rules are reached).
    let attacker_token = member(&s, &a, "attacker@example.com", "editor").await;
    let watcher = s.client(&a).await;
    let attacker = s.client_as(&a, &attacker_token).await;
    let flood = awareness_naming(1_000_000);
    assert!(flood.len() > 6_000_000, "{} bytes", flood.len());
    let flood_mb = flood.len() as f64 / 1e6;

    // Map B: one client adds a card every 20 ms, the other times its arrival.
    let writer = s.client(&b).await;
    let reader = s.client(&b).await;
    let lane = client_view(&writer).lanes[0].id.clone();
    edit(&writer, |m| m.add_stage("s1", "Stage", At::End)).expect("stage");
    assert!(
        reader
            .wait_until(WAIT, |d| parcours_shared::view::read_view(d).stages.len()
                == 1)
            .await
    );
    let edits = tokio::spawn(async move {
        let mut samples = Vec::with_capacity(EDITS);
        let mut tick = tokio::time::interval(Duration::from_millis(20));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        for i in 0..EDITS {
            tick.tick().await;
            let id = format!("c{i}");
            edit(&writer, |m| m.add_card(&id, "s1", &lane, At::End, "x")).expect("card");
            let sent = Instant::now();
            assert!(
                reader.wait_until(WAIT, |d| has_card(d, &id)).await,
                "edit {i} arrives"
            );
            samples.push(sent.elapsed());
        }
        samples
    });

    // The attack, a third of the way through the edits.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let rss_before = metric(&s.metrics().await, "parcours_process_resident_bytes");
    let sent = Instant::now();
    attacker.send_raw(flood).expect("send");
    let closed = attacker
        .wait_closed(WAIT)
        .await
        .expect("the sender is closed");
    let close_time = sent.elapsed();
    let rss_after = metric(&s.metrics().await, "parcours_process_resident_bytes");
    assert_eq!(closed.code, 1008, "{closed:?}");
    assert!(
        closed.reason.contains("1000000"),
        "the reason names the count: {closed:?}"
    );

    let mut samples = edits.await.expect("the edits");
    samples.sort();
    let (p50, p99, max) = (
        percentile(&samples, 0.50),
        percentile(&samples, 0.99),
        samples[samples.len() - 1],
    );
    eprintln!(
        "1M-client awareness message ({flood_mb:.1} MB): sender closed with 1008 after \
         {close_time:?}; map B over {} edits: p50 {p50:?}, p99 {p99:?}, max {max:?}; \
         process RSS {:.0} MiB before, {:.0} MiB after",
        samples.len(),
        rss_before.unwrap_or(0.0) / 1048576.0,
        rss_after.unwrap_or(0.0) / 1048576.0,
    );
    assert!(
        close_time < Duration::from_millis(100),
        "closed after {close_time:?}"
    );
    assert!(p99 < Duration::from_millis(10), "map B's p99 is {p99:?}");

    // Nothing of the flood reached map A's presence: a newcomer's state is the only one.
    let newcomer = s.client(&a).await;
    newcomer
        .set_awareness(Some(r#"{"selected":"s1"}"#))
        .expect("presence");
    let states = eventually_ok("the watcher sees the newcomer", || async {
        let states = watcher.awareness_states();
        if states.contains_key(&newcomer.doc().client_id()) {
            Ok(states)
        } else {
            Err(states)
        }
    })
    .await;
    assert_eq!(states.len(), 1, "{states:?}");
    let metrics = s.metrics().await;
    assert_eq!(
        metric(&metrics, "parcours_presence_violations_total"),
        Some(1.0)
    );
}

fn name_of(state: &str) -> String {
    let v: Value = serde_json::from_str(state).expect("json");
    v["user"]["name"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_cannot_rewrite_or_clear_anothers_presence_nor_choose_the_name_shown() {
    let (_db, s) = sqlite_server().await;
    let map = s.create_map("Presence").await.id.0;
    let alice_token = member(&s, &map, "alice@example.com", "editor").await;
    let mallory_token = member(&s, &map, "mallory@example.com", "viewer").await;
    let watcher = s.client(&map).await;
    let alice = s.client_as(&map, &alice_token).await;
    let mallory = s.client_as(&map, &mallory_token).await;
    let alice_id = alice.doc().client_id();
    let mallory_id = mallory.doc().client_id();

    alice
        .set_awareness(Some(r#"{"user":{"name":"Alice A."},"selected":"c1"}"#))
        .expect("presence");
    let original = eventually_ok("the watcher sees alice", || async {
        watcher.awareness_states().get(&alice_id).cloned().ok_or(())
    })
    .await;
    assert_eq!(name_of(&original), "alice", "the account's display name");

    // Mallory rewrites, then clears, alice's presence with newer clocks...
    mallory
        .send_raw(presence_of(
            alice_id,
            100,
            r#"{"user":{"name":"Alice A."},"selected":"phishing"}"#,
        ))
        .expect("send");
    mallory
        .send_raw(presence_of(alice_id, 101, "null"))
        .expect("send");
    // ...then publishes her own, claiming another name. Once the watcher has that, the
    // server has handled the two before it.
    mallory
        .set_awareness(Some(r##"{"user":{"name":"The CEO","color":"#000000"}}"##))
        .expect("presence");
    let mallory_state = eventually_ok("the watcher sees mallory", || async {
        watcher
            .awareness_states()
            .get(&mallory_id)
            .cloned()
            .ok_or(())
    })
    .await;
    assert_eq!(name_of(&mallory_state), "mallory", "not the claimed name");
    let v: Value = serde_json::from_str(&mallory_state).expect("json");
    assert_ne!(v["user"]["color"], "#000000", "nor the claimed colour");

    assert_eq!(
        watcher.awareness_states().get(&alice_id),
        Some(&original),
        "alice's presence as she published it"
    );
    // The server's copy too: a newcomer is sent alice's original state.
    let newcomer = s.client(&map).await;
    let seen = eventually_ok("the newcomer sees alice", || async {
        newcomer
            .awareness_states()
            .get(&alice_id)
            .cloned()
            .ok_or(())
    })
    .await;
    assert_eq!(seen, original);
}
