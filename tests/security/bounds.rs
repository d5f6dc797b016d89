//! Bounds on what one caller may make the server hold or do: ids in one inbox call,
//! live connections per account, the frame a read-only member may send, a peer that
//! stops reading, and page sizes of the thread and audit lists.

use std::time::{Duration, Instant};

use parcours_server::store::Backend;
use parcours_shared::api::Inbox;
use parcours_shared::schema::At;
use reqwest::Method;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::{
    call, client_view, edit, get, member, metric, post, within, EventStream, TestDb, TestServer,
    WAIT,
};

async fn marking_more_than_a_thousand_inbox_items_read_is_refused(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Inbox").await.id.0;
    let invitee = s.user("invitee@example.com").await;
    s.invite(&map, "invitee@example.com", "viewer").await;
    let inbox: Inbox = get(&s, &invitee, "/api/inbox").await;
    assert_eq!(inbox.unread, 1);
    let item = inbox.items[0].id;

    let mut ids: Vec<i64> = vec![item];
    ids.extend(1_000_000..1_001_000);
    assert_eq!(ids.len(), 1_001);
    let (status, body) = post(&s, &invitee, "/api/inbox/read", json!({ "ids": ids })).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["code"], "too_many_ids");
    let after: Inbox = get(&s, &invitee, "/api/inbox").await;
    assert_eq!(after, inbox, "nothing was marked read");

    ids.truncate(1_000);
    let (status, body) = post(&s, &invitee, "/api/inbox/read", json!({ "ids": ids })).await;
    assert_eq!(status, 200, "a thousand is allowed: {body}");
    assert_eq!(body["unread"], 0);
}
both_backends!(marking_more_than_a_thousand_inbox_items_read_is_refused);

/// The status of a sync upgrade (101 when upgraded; the socket is then closed).
async fn sync_upgrade(s: &TestServer, map: &str, token: &str) -> u16 {
    use tokio_tungstenite::tungstenite::Error;
    match tokio_tungstenite::connect_async(s.sync_url_as(map, token)).await {
        Ok(_) => 101,
        Err(Error::Http(res)) => res.status().as_u16(),
        Err(e) => panic!("upgrade failed without an answer: {e}"),
    }
}

async fn stream_status(s: &TestServer, map: &str, token: &str) -> (u16, Value) {
    let res = reqwest::Client::new()
        .get(s.url(&format!("/api/maps/{map}/events")))
        .bearer_auth(token)
        .send()
        .await
        .expect("events");
    let status = res.status().as_u16();
    if status == 200 {
        return (status, Value::Null); // a stream: dropped here, which closes it
    }
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_holds_at_most_its_cap_of_sockets_and_of_event_streams() {
    let db = TestDb::new(Backend::Sqlite).await;
    let mut config = db.config();
    config.max_connections_per_account = 3;
    let s = TestServer::start(config).await;
    let map = s.create_map("Capped").await.id.0;
    let token = member(&s, &map, "busy@example.com", "editor").await;

    let mut sockets = Vec::new();
    for _ in 0..3 {
        sockets.push(s.client_as(&map, &token).await);
    }
    assert_eq!(sync_upgrade(&s, &map, &token).await, 429, "the 4th socket");
    let mut streams = Vec::new();
    for _ in 0..3 {
        streams.push(EventStream::open(&s, &token, &format!("/api/maps/{map}/events")).await);
    }
    let (status, body) = stream_status(&s, &map, &token).await;
    assert_eq!(status, 429, "the 4th stream: {body}");
    assert_eq!(body["code"], "too_many_connections");
    // Nothing else changed: the account's connections are live, other accounts unaffected.
    assert!(sockets.iter().all(|c| c.closed().is_none()));
    let owner = s.client(&map).await;
    assert!(owner.closed().is_none());

    // Closing one frees its slot.
    sockets.pop().expect("one").close();
    within(WAIT, "a socket slot is free again", || async {
        match sync_upgrade(&s, &map, &token).await {
            101 => Ok(()),
            other => Err(other),
        }
    })
    .await;
    drop(streams.pop());
    let since = Instant::now();
    within(WAIT, "a stream slot is free again", || async {
        match stream_status(&s, &map, &token).await {
            (200, _) => Ok(()),
            other => Err(other),
        }
    })
    .await;
    eprintln!(
        "a dropped event stream's slot was free after {:?}",
        since.elapsed()
    );
}

async fn a_read_only_members_two_mib_frame_is_refused_and_an_editors_accepted(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Big frames").await.id.0;
    let viewer_token = member(&s, &map, "viewer@example.com", "viewer").await;
    let editor_token = member(&s, &map, "editor@example.com", "editor").await;
    let owner = s.client(&map).await;
    let lane = client_view(&owner).lanes[0].id.clone();
    edit(&owner, |m| m.add_stage("s1", "Stage", At::End)).expect("stage");
    crate::common::eventually("the server has the stage", || async {
        s.view(&map).await.stages.len() == 1
    })
    .await;
    let before = s.view(&map).await;
    let big = "x".repeat(2 << 20);

    let viewer = s.client_as(&map, &viewer_token).await;
    edit(&viewer, |m| {
        m.add_card("from-viewer", "s1", &lane, At::End, &big)
    })
    .expect("local edit");
    let closed = viewer
        .wait_closed(WAIT)
        .await
        .expect("the viewer's socket closes");
    assert_ne!(closed.code, 1000, "{closed:?}");
    assert_eq!(s.view(&map).await, before, "the map is unchanged");

    let editor = s.client_as(&map, &editor_token).await;
    edit(&editor, |m| {
        m.add_card("from-editor", "s1", &lane, At::End, &big)
    })
    .expect("edit");
    assert!(
        owner
            .wait_until(WAIT, |d| parcours_shared::view::read_view(d)
                .cards
                .iter()
                .any(|c| c.id == "from-editor" && c.text.len() == big.len()))
            .await,
        "the editor's 2 MiB card arrives"
    );
    assert!(editor.closed().is_none());
    let cards: Vec<String> = s.view(&map).await.cards.into_iter().map(|c| c.id).collect();
    assert_eq!(cards, ["from-editor"], "and only it");
}
both_backends!(a_read_only_members_two_mib_frame_is_refused_and_an_editors_accepted);

/// Opens `/sync/{map}` by hand on a socket with a small receive buffer, reads the
/// upgrade's answer, and from then on never reads.
async fn peer_that_never_reads(s: &TestServer, map: &str, token: &str) -> tokio::net::TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.set_recv_buffer_size(4096).expect("buffer size");
    let mut stream = socket.connect(s.addr).await.expect("connect");
    let request = format!(
        "GET /sync/{map}?token={token} HTTP/1.1\r\nHost: {}\r\nConnection: Upgrade\r\n\
         Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        s.addr
    );
    stream
        .write_all(request.as_bytes())
        .await
        .expect("upgrade request");
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).await.expect("answer");
        head.push(byte[0]);
    }
    assert!(
        head.starts_with(b"HTTP/1.1 101"),
        "{}",
        String::from_utf8_lossy(&head)
    );
    stream
}

async fn live_connections(s: &TestServer) -> f64 {
    metric(&s.metrics().await, "parcours_connections").expect("parcours_connections")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_that_stops_reading_is_closed_once_its_buffers_are_full() {
    let db = TestDb::new(Backend::Sqlite).await;
    let mut config = db.config();
    config.ping_secs = 1;
    let s = TestServer::start(config).await;
    let map = s.create_map("Stalled reader").await.id.0;
    let editor = s.client(&map).await;
    let lane = client_view(&editor).lanes[0].id.clone();
    edit(&editor, |m| m.add_stage("s1", "Stage", At::End)).expect("stage");
    let stalled = peer_that_never_reads(&s, &map, &s.token).await;
    within(WAIT, "both peers are connected", || async {
        let n = live_connections(&s).await;
        if n == 2.0 {
            Ok(())
        } else {
            Err(n)
        }
    })
    .await;

    // Megabyte edits the stalled peer is sent and never reads: its buffers fill.
    let since = Instant::now();
    for i in 0..8 {
        let text = format!("{i}").repeat(1 << 20);
        edit(&editor, |m| {
            m.add_card(&format!("big{i}"), "s1", &lane, At::End, &text)
        })
        .expect("edit");
    }
    within(
        Duration::from_secs(10),
        "the server lets go of the stalled peer",
        || async {
            let n = live_connections(&s).await;
            if n == 1.0 {
                Ok(())
            } else {
                Err(n)
            }
        },
    )
    .await;
    eprintln!(
        "a peer that stopped reading (ping every 1 s) was let go {:?} after 8 MB were sent to it",
        since.elapsed()
    );
    // The honest editor is untouched and its edits are all in.
    assert!(editor.closed().is_none());
    crate::common::eventually("the server has the 8 cards", || async {
        s.view(&map).await.cards.len() == 8
    })
    .await;
    drop(stalled);
}

async fn thread_and_audit_pages_are_bounded(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Pages").await.id.0;
    for limit in ["0", "501", "-1", "many"] {
        let (status, body) = call(
            &s,
            Method::GET,
            Some(&s.token),
            &format!("/api/maps/{map}/threads?limit={limit}"),
            None,
        )
        .await;
        assert_eq!(status, 422, "threads?limit={limit}: {body}");
        assert_eq!(body["code"], "invalid_limit");
    }
    let (status, _) = call(
        &s,
        Method::GET,
        Some(&s.token),
        &format!("/api/maps/{map}/threads?limit=500"),
        None,
    )
    .await;
    assert_eq!(status, 200);

    s.invite(&map, "one@example.com", "viewer").await;
    s.invite(&map, "two@example.com", "viewer").await;
    let audit = format!("/api/maps/{map}/audit");
    let all: Value = get(&s, &s.token, &audit).await;
    let entries = all["entries"].as_array().expect("entries").clone();
    assert_eq!(entries.len(), 3, "{all}");
    assert_eq!(all["more"], false);
    let first: Value = get(&s, &s.token, &format!("{audit}?limit=1")).await;
    assert_eq!(first["entries"], json!([entries[0]]));
    assert_eq!(first["more"], true);
    let second: Value = get(
        &s,
        &s.token,
        &format!("{audit}?limit=1&after={}", entries[0]["id"]),
    )
    .await;
    assert_eq!(second["entries"], json!([entries[1]]));
    assert_eq!(second["more"], true);
    for limit in ["0", "1001"] {
        let (status, _) = call(
            &s,
            Method::GET,
            Some(&s.token),
            &format!("{audit}?limit={limit}"),
            None,
        )
        .await;
        assert_eq!(status, 422, "audit?limit={limit}");
    }
}
both_backends!(thread_and_audit_pages_are_bounded);
