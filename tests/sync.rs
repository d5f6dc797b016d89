//! Live sync with real y-protocols clients over WebSockets against the real server;
//! deleting a map and reloading an idle room run on SQLite and PostgreSQL.

mod common;

use std::time::Duration;

use common::{client_view, converged, edit, eventually, sqlite_server, TestDb, TestServer, WAIT};
use parcours_server::store::Backend;
use parcours_shared::schema::{At, TextTarget};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_clients_editing_concurrently_converge() {
    let (_db, server) = sqlite_server().await;
    let map = server.create_map("Two editors").await;
    let a = server.client(map.id.as_str()).await;
    let b = server.client(map.id.as_str()).await;
    let lane = client_view(&a).lanes[0].id.clone();

    edit(&a, |m| m.add_stage("sa", "Awareness", At::End)).expect("stage a");
    edit(&b, |m| m.add_stage("sb", "Purchase", At::End)).expect("stage b");
    let v = converged(&[&a, &b]).await;
    assert_eq!(v.stages.len(), 2);

    // Both type into the same card, and move it to different cells at once.
    edit(&a, |m| m.add_card("c1", "sa", &lane, At::End, "hello")).expect("card");
    converged(&[&a, &b]).await;
    edit(&a, |m| m.insert_text(TextTarget::Card("c1"), 0, "A:")).expect("type a");
    edit(&b, |m| m.insert_text(TextTarget::Card("c1"), 5, "!B")).expect("type b");
    edit(&a, |m| m.move_card("c1", "sb", &lane, 0)).expect("move a");
    edit(&b, |m| m.move_card("c1", "sa", &lane, 0)).expect("move b");
    let v = converged(&[&a, &b]).await;
    let card = v
        .cards
        .iter()
        .find(|c| c.id == "c1")
        .expect("card present once");
    assert_eq!(v.cards.iter().filter(|c| c.id == "c1").count(), 1);
    assert!(
        card.text.contains("A:") && card.text.contains("!B"),
        "both insertions kept: {}",
        card.text
    );
    // The server's own copy agrees with the clients.
    assert_eq!(server.view(map.id.as_str()).await, v);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_clients_editing_concurrently_converge_and_a_late_joiner_gets_everything() {
    let (_db, server) = sqlite_server().await;
    let map = server.create_map("Ten editors").await;
    let mut clients = Vec::new();
    for _ in 0..10 {
        clients.push(server.client(map.id.as_str()).await);
    }
    let lane = client_view(&clients[0]).lanes[1].id.clone();
    edit(&clients[0], |m| m.add_stage("s0", "Awareness", At::End)).expect("stage");
    converged(&clients.iter().collect::<Vec<_>>()).await;

    // Every client adds a stage and five cards, and types into one shared card, all at once.
    edit(&clients[0], |m| {
        m.add_card("shared", "s0", &lane, At::End, "")
    })
    .expect("card");
    converged(&clients.iter().collect::<Vec<_>>()).await;
    let mut tasks = Vec::new();
    for (i, c) in clients.iter().enumerate() {
        let lane = lane.clone();
        let doc = c.doc().clone();
        tasks.push(tokio::spawn(async move {
            let m = parcours_shared::schema::MapDoc::new(doc);
            m.edit(|t| t.add_stage(&format!("s{}", i + 1), &format!("Stage {i}"), At::End))
                .expect("stage");
            for k in 0..5 {
                m.edit(|t| {
                    t.add_card(
                        &format!("c{i}_{k}"),
                        "s0",
                        &lane,
                        At::Start,
                        &format!("card {i}.{k}"),
                    )
                })
                .expect("card");
                m.edit(|t| t.insert_text(TextTarget::Card("shared"), 0, &format!("[{i}]")))
                    .expect("type");
                tokio::time::sleep(Duration::from_millis(3)).await;
            }
        }));
    }
    for t in tasks {
        t.await.expect("editor task");
    }
    let v = converged(&clients.iter().collect::<Vec<_>>()).await;
    assert_eq!(v.stages.len(), 11);
    assert_eq!(v.cards.len(), 51);
    let shared = v
        .cards
        .iter()
        .find(|c| c.id == "shared")
        .expect("shared card");
    for i in 0..10 {
        assert_eq!(
            shared.text.matches(&format!("[{i}]")).count(),
            5,
            "client {i}'s typing kept"
        );
    }

    let late = server.client(map.id.as_str()).await;
    assert_eq!(client_view(&late), v, "a late joiner receives the full map");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presence_is_relayed_and_cleared_when_a_peer_leaves() {
    let (_db, server) = sqlite_server().await;
    let map = server.create_map("Presence").await;
    let a = server.client(map.id.as_str()).await;
    let b = server.client(map.id.as_str()).await;
    // The state claims another name: the server writes the account's own (the default
    // test account is "owner").
    a.set_awareness(Some(r#"{"user":{"name":"Ana"},"selected":"card-1"}"#))
        .expect("send");
    eventually("b sees a's presence, named by the server", || async {
        b.awareness_states()
            .values()
            .any(|s| s.contains(r#""name":"owner""#) && s.contains("card-1"))
    })
    .await;
    // A third peer joining later is told who is here.
    let c = server.client(map.id.as_str()).await;
    eventually("the late joiner sees the presence", || async {
        c.awareness_states().values().any(|s| s.contains("card-1"))
    })
    .await;
    a.close();
    drop(a);
    assert!(
        !b.awareness_states().values().any(|s| s.contains("Ana")),
        "the claimed name never reaches anyone"
    );
    eventually("a's presence is cleared", || async {
        !b.awareness_states().values().any(|s| s.contains("card-1"))
    })
    .await;
}

/// Who may edit is the server's word in presence, not the client's: the web app honours
/// "ask everyone to follow me" only from people the server stamps as editors, so a
/// viewer cannot take over everyone's screen by claiming it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presence_says_who_edits_whatever_a_viewer_claims() {
    let (_db, server) = sqlite_server().await;
    let map = server.create_map("Who leads").await;
    let viewer = server.user("vera.viewer@example.com").await;
    server
        .add_member(map.id.as_str(), "vera.viewer@example.com", "viewer")
        .await;
    let owner = server.client(map.id.as_str()).await;
    let vera = server.client_as(map.id.as_str(), &viewer).await;
    let watcher = server.client(map.id.as_str()).await;
    vera.set_awareness(Some(
        r#"{"user":{"name":"Vera","editor":true},"view":{"lead":1.0,"x":0,"y":0,"page":0}}"#,
    ))
    .expect("send");
    owner
        .set_awareness(Some(r#"{"user":{"editor":false},"view":{"lead":2.0}}"#))
        .expect("send");
    let parsed = |s: &String| serde_json::from_str::<serde_json::Value>(s).expect("json");
    eventually("both states reach the watcher, stamped", || async {
        let states: Vec<serde_json::Value> =
            watcher.awareness_states().values().map(parsed).collect();
        let vera = states.iter().find(|v| v["view"]["lead"] == 1.0);
        let owner = states.iter().find(|v| v["view"]["lead"] == 2.0);
        matches!((vera, owner), (Some(v), Some(o))
            if v["user"]["editor"] == false
                && v["user"]["name"] == "vera.viewer"
                && o["user"]["editor"] == true)
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_that_stops_reading_is_disconnected_and_others_keep_syncing() {
    let db = TestDb::new(Backend::Sqlite).await;
    let mut config = db.config();
    config.peer_queue = 8;
    let server = TestServer::start(config).await;
    let map = server.create_map("Slow peer").await;
    // A raw socket that joins and never reads again.
    let (mut slow, _) = tokio_tungstenite::connect_async(server.sync_url(map.id.as_str()))
        .await
        .expect("connect");
    let a = server.client(map.id.as_str()).await;
    let b = server.client(map.id.as_str()).await;
    let big = "x".repeat(256 * 1024);
    let mut kicked = false;
    let base = b.remote_updates();
    for i in 0..400u64 {
        // Big inserts then deletes: large messages, while the document stays small.
        edit(&a, |m| m.insert_text(TextTarget::Objective, 0, &big)).expect("insert");
        edit(&a, |m| {
            m.delete_text(TextTarget::Objective, 0, big.len() as u32)
        })
        .expect("delete");
        // Pace the writer by an honest reader, so only the silent socket falls behind.
        assert!(
            b.wait_until(WAIT, |_| b.remote_updates() >= base + 2 * (i + 1))
                .await,
            "b keeps up"
        );
        if i % 10 == 9 {
            let metrics = server.metrics().await;
            if metrics.contains("parcours_peers_too_slow_total 1") {
                kicked = true;
                break;
            }
        }
    }
    assert!(kicked, "the slow peer was never disconnected");
    edit(&a, |m| m.set_objective("after"));
    assert!(
        b.wait_until(WAIT, |d| parcours_shared::view::read_view(d).meta.objective
            == "after")
            .await
    );
    // The slow socket gets a close frame once it reads again.
    use futures_util::StreamExt;
    let mut code = None;
    while let Ok(Some(msg)) = tokio::time::timeout(WAIT, slow.next()).await {
        if let Ok(tokio_tungstenite::tungstenite::Message::Close(Some(frame))) = msg {
            code = Some(u16::from(frame.code));
            break;
        }
    }
    assert_eq!(code, Some(4408));
}

async fn deleting_a_map_closes_its_sockets(db: TestDb) {
    let server = TestServer::start(db.config()).await;
    let map = server.create_map("Doomed").await;
    let a = server.client(map.id.as_str()).await;
    let res = server
        .http
        .delete(server.url(&format!("/api/maps/{}", map.id)))
        .send()
        .await
        .expect("delete");
    assert_eq!(res.status(), 204);
    let closed = a.wait_closed(WAIT).await.expect("closed");
    assert_eq!(closed.code, 4404);
    // And the socket for a deleted or unknown map is refused before upgrading.
    assert!(
        parcours_bench::YClient::connect(&server.sync_url(map.id.as_str()))
            .await
            .is_err()
    );
}

both_backends!(deleting_a_map_closes_its_sockets);

async fn an_idle_room_unloads_and_reloads_with_its_content(db: TestDb) {
    let server = TestServer::start(db.config()).await;
    let map = server.create_map("Idle").await;
    {
        let a = server.client(map.id.as_str()).await;
        edit(&a, |m| m.add_stage("s1", "Kept", At::End)).expect("stage");
        assert!(a.wait_until(WAIT, |_| true).await);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // idle_unload is 1 s in tests: wait for the room to go.
    eventually("the room unloads", || async {
        server.metrics().await.contains("parcours_rooms_open 0")
    })
    .await;
    let b = server.client(map.id.as_str()).await;
    assert_eq!(client_view(&b).stages[0].name, "Kept");
}
both_backends!(an_idle_room_unloads_and_reloads_with_its_content);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_that_never_answers_pings_is_closed_after_two_intervals() {
    let db = TestDb::new(Backend::Sqlite).await;
    let mut config = db.config();
    config.ping_secs = 1;
    let server = TestServer::start(config).await;
    let map = server.create_map("Keep-alive").await;
    let live = server.client(map.id.as_str()).await; // reads, so it answers pings
    let (mut silent, _) = tokio_tungstenite::connect_async(server.sync_url(map.id.as_str()))
        .await
        .expect("connect");
    // Neither read nor write for three seconds: no pong goes back.
    tokio::time::sleep(Duration::from_millis(3_200)).await;
    use futures_util::StreamExt;
    let mut code = None;
    while let Ok(Some(Ok(msg))) = tokio::time::timeout(WAIT, silent.next()).await {
        if let tokio_tungstenite::tungstenite::Message::Close(Some(frame)) = msg {
            code = Some(u16::from(frame.code));
            break;
        }
    }
    assert_eq!(code, Some(4410), "closed for not answering pings");
    assert!(
        live.closed().is_none(),
        "a peer that answers stays connected"
    );
}

/// A peer that never reads, with room left in its queue, is closed when a write to it
/// does not finish within two ping intervals (the kernel's buffers full), and the
/// others keep syncing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_that_never_reads_is_closed_after_the_write_timeout() {
    let db = TestDb::new(Backend::Sqlite).await;
    let mut config = db.config();
    // Write timeout 6 s. The socket's buffers fill in about a second; the loop then
    // waits in the write, so the keep-alive check (also two intervals) cannot act first.
    config.ping_secs = 3;
    config.peer_queue = 100_000; // the queue never fills: only the write timeout can act
    let server = TestServer::start(config).await;
    let map = server.create_map("Never reads").await;
    let (stuck, _) = tokio_tungstenite::connect_async(server.sync_url(map.id.as_str()))
        .await
        .expect("connect");
    let a = server.client(map.id.as_str()).await;
    let b = server.client(map.id.as_str()).await;
    let big = "y".repeat(256 * 1024);
    let base = b.remote_updates();
    let mut closed = false;
    let started = std::time::Instant::now();
    let mut i = 0u64;
    while started.elapsed() < Duration::from_secs(30) {
        i += 1;
        edit(&a, |m| m.insert_text(TextTarget::Objective, 0, &big)).expect("insert");
        edit(&a, |m| {
            m.delete_text(TextTarget::Objective, 0, big.len() as u32)
        })
        .expect("delete");
        assert!(
            b.wait_until(WAIT, |_| b.remote_updates() >= base + 2 * i)
                .await,
            "b keeps up"
        );
        let metrics = server.metrics().await;
        if common::metric(&metrics, "parcours_peers_too_slow_total") == Some(1.0) {
            closed = true;
            break;
        }
    }
    assert!(
        closed,
        "the peer that never reads was not closed within 30 s"
    );
    println!(
        "closed after {:.1} s, {} MiB queued its way",
        started.elapsed().as_secs_f64(),
        i / 4
    );
    assert!(a.closed().is_none() && b.closed().is_none(), "readers stay");
    drop(stuck);
}

/// Sockets read into a small buffer (1 KiB) and write through a 2 KiB buffer: frames many
/// times larger still arrive whole, both ways, and the link keeps working after them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn frames_far_larger_than_the_socket_buffers_sync_whole() {
    let (_db, server) = sqlite_server().await;
    let map = server.create_map("Long text").await;
    let a = server.client(map.id.as_str()).await;
    let b = server.client(map.id.as_str()).await;
    let lane = client_view(&a).lanes[0].id.clone();
    edit(&a, |m| m.add_stage("s", "Research", At::End)).expect("stage");
    // About 600 KB in one update: 150 times the read buffer.
    let long: String = (0..60_000).map(|i| format!("{:09} ", i)).collect();
    edit(&a, |m| m.add_card("c", "s", &lane, At::End, &long)).expect("card");
    let v = converged(&[&a, &b]).await;
    assert_eq!(v.cards[0].text.len(), long.len());
    // Small edits both ways still go through afterwards.
    edit(&b, |m| m.insert_text(TextTarget::Card("c"), 0, "B:")).expect("type b");
    edit(&a, |m| m.add_stage("s2", "Purchase", At::End)).expect("stage 2");
    let v = converged(&[&a, &b]).await;
    assert!(v.cards[0].text.starts_with("B:"));
    assert_eq!(v.stages.len(), 2);
    // A late joiner gets it all in one sync step 2.
    let late = server.client(map.id.as_str()).await;
    let v = converged(&[&a, &b, &late]).await;
    assert_eq!(v.cards[0].text.len(), long.len() + 2);
    assert_eq!(server.view(map.id.as_str()).await, v);
}

/// One frame as it came off the wire.
struct RawFrame {
    fin: bool,
    opcode: u8,
    payload: Vec<u8>,
}

async fn read_raw_frame(stream: &mut tokio::net::TcpStream) -> RawFrame {
    use tokio::io::AsyncReadExt;
    let mut head = [0u8; 2];
    stream.read_exact(&mut head).await.expect("frame header");
    assert_eq!(head[1] & 0x80, 0, "server frames are not masked");
    let len = match head[1] & 0x7f {
        126 => u64::from(stream.read_u16().await.expect("length")),
        127 => stream.read_u64().await.expect("length"),
        n => u64::from(n),
    };
    let mut payload = vec![0u8; usize::try_from(len).expect("length")];
    stream.read_exact(&mut payload).await.expect("payload");
    RawFrame {
        fin: head[0] & 0x80 != 0,
        opcode: head[0] & 0x0f,
        payload,
    }
}

/// A masked binary frame, as a client must send it.
fn client_frame(payload: &[u8]) -> Vec<u8> {
    let mask = [0x37u8, 0xfa, 0x21, 0x3d];
    let mut out = vec![0x82];
    match payload.len() {
        n if n < 126 => out.push(0x80 | n as u8),
        n if n <= 0xffff => {
            out.push(0x80 | 126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(0x80 | 127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(&mask);
    out.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    out
}

/// A map far larger than a frame reaches a new peer as one fragmented message: every
/// frame a few KiB (so no socket's write buffer grows to the map's size), the first
/// binary and not final, then continuations, the last final; put together, it is the
/// whole map. Read off the wire by a client written here, handshake included.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_sync_step_2_is_sent_in_fragments_of_a_few_kib() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use yrs::sync::{Message, SyncMessage};
    use yrs::updates::decoder::Decode;
    use yrs::updates::encoder::Encode;
    use yrs::Transact;

    let (_db, server) = sqlite_server().await;
    let map = server.create_map("Long text").await;
    let a = server.client(map.id.as_str()).await;
    let lane = client_view(&a).lanes[0].id.clone();
    edit(&a, |m| m.add_stage("s", "Research", At::End)).expect("stage");
    let long: String = (0..20_000).map(|i| format!("{:09} ", i)).collect();
    edit(&a, |m| m.add_card("c", "s", &lane, At::End, &long)).expect("card");
    eventually("the server has the card", || async {
        server.view(map.id.as_str()).await.cards.len() == 1
    })
    .await;

    let mut stream = tokio::net::TcpStream::connect(server.addr)
        .await
        .expect("connect");
    let request = format!(
        "GET /sync/{}?token={} HTTP/1.1\r\nHost: {}\r\nConnection: keep-alive, Upgrade\r\n\
         Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        map.id.as_str(),
        server.token,
        server.addr
    );
    stream.write_all(request.as_bytes()).await.expect("request");
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).await.expect("answer");
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 101"), "{head}");
    // RFC 6455's own example key and answer.
    assert!(
        head.contains("sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo=\r\n"),
        "{head}"
    );

    // Ask for everything.
    let step1 = Message::Sync(SyncMessage::SyncStep1(yrs::StateVector::default())).encode_v1();
    stream
        .write_all(&client_frame(&step1))
        .await
        .expect("sync step 1");
    let mut frames = Vec::new();
    let doc = tokio::time::timeout(WAIT, async {
        loop {
            // One whole message, however many frames it took.
            let mut message = Vec::new();
            let mut parts = Vec::new();
            loop {
                let frame = read_raw_frame(&mut stream).await;
                if frame.opcode >= 8 {
                    continue; // ping/pong between fragments is allowed
                }
                message.extend_from_slice(&frame.payload);
                let fin = frame.fin;
                parts.push(frame);
                if fin {
                    break;
                }
            }
            if let Ok(Message::Sync(SyncMessage::SyncStep2(update))) = Message::decode_v1(&message)
            {
                frames = parts;
                let doc = yrs::Doc::new();
                doc.transact_mut()
                    .apply_update(yrs::Update::decode_v1(&update).expect("update"))
                    .expect("apply");
                break doc;
            }
        }
    })
    .await
    .expect("sync step 2 arrives");

    assert!(frames.len() > 50, "{} frames", frames.len());
    assert_eq!(
        (frames[0].opcode, frames[0].fin),
        (2, false),
        "binary, more"
    );
    for f in &frames[1..frames.len() - 1] {
        assert_eq!((f.opcode, f.fin), (0, false), "continuation, more");
    }
    let last = frames.last().expect("frames");
    assert_eq!((last.opcode, last.fin), (0, true), "continuation, final");
    for f in &frames {
        assert!(f.payload.len() <= 4096, "a {} byte frame", f.payload.len());
    }
    let view = parcours_shared::view::read_view(&doc);
    assert_eq!(view.cards.len(), 1);
    assert_eq!(view.cards[0].text, long, "the whole map, in order");
}

/// What is not a WebSocket handshake gets a clear refusal, and no socket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_is_not_a_websocket_handshake_is_refused_clearly() {
    let (_db, server) = sqlite_server().await;
    let map = server.create_map("Handshakes").await;
    let url = server.url(&format!("/sync/{}?token={}", map.id.as_str(), server.token));
    let http = reqwest::Client::new();
    let plain = http.get(&url).send().await.expect("plain GET");
    assert_eq!(plain.status(), 426);
    assert!(plain.text().await.unwrap_or_default().contains("WebSocket"));
    let old = http
        .get(&url)
        .header("connection", "Upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-version", "8")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
        .send()
        .await
        .expect("old version");
    assert_eq!(old.status(), 400);
    assert!(old.text().await.unwrap_or_default().contains("version"));
    let keyless = http
        .get(&url)
        .header("connection", "Upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-version", "13")
        .send()
        .await
        .expect("no key");
    assert_eq!(keyless.status(), 400);
    assert!(keyless.text().await.unwrap_or_default().contains("Key"));
}
