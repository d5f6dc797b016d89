//! A real Yjs client (npm `yjs` + `y-websocket` in Node, driven through
//! tests/yjs/peer.mjs) and a Rust client edit the same map through the server.

mod common;

use std::path::PathBuf;
use std::process::Stdio;

use common::{
    client_view, converged, edit, eventually, eventually_ok, ProcessServer, TestDb, TestServer,
    WAIT,
};
use parcours_server::store::Backend;
use parcours_shared::schema::{At, Channel, LaneKind, TextTarget};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

/// A Node process running a y-websocket provider, answering one JSON line per command.
struct YjsPeer {
    child: Child,
    /// Its stdin and stdout: one command and its answer at a time.
    pipes: tokio::sync::Mutex<(ChildStdin, Lines<BufReader<ChildStdout>>)>,
}

impl YjsPeer {
    async fn start(server_url: &str, room: &str, token: &str) -> YjsPeer {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/yjs");
        assert!(
            dir.join("node_modules/yjs").exists(),
            "tests/yjs/node_modules is missing: run `npm ci --prefix tests/yjs` (the test command does)"
        );
        let mut child = Command::new("node")
            .arg(dir.join("peer.mjs"))
            .arg(server_url)
            .arg(room)
            .arg(token)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = BufReader::new(child.stdout.take().expect("stdout")).lines();
        YjsPeer {
            child,
            pipes: tokio::sync::Mutex::new((stdin, stdout)),
        }
    }

    async fn call(&self, cmd: Value) -> Value {
        let line = format!("{cmd}\n");
        let mut pipes = self.pipes.lock().await;
        let (stdin, stdout) = &mut *pipes;
        stdin
            .write_all(line.as_bytes())
            .await
            .expect("write to node");
        let reply = tokio::time::timeout(WAIT * 2, stdout.next_line())
            .await
            .expect("node answers in time")
            .expect("read from node")
            .expect("node still running");
        let reply: Value = serde_json::from_str(&reply).expect("JSON reply");
        assert_eq!(reply["ok"], true, "{cmd} -> {reply}");
        reply
    }
}

impl Drop for YjsPeer {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_yjs_client_and_a_rust_client_see_each_others_edits() {
    let db = TestDb::new(Backend::Sqlite).await;
    let server = TestServer::start(db.config()).await;
    let map = server.create_map("Interop").await.id.0;
    let rust = server.client(&map).await;
    let js = YjsPeer::start(&format!("ws://{}/sync", server.addr), &map, &server.token).await;
    js.call(json!({"cmd": "wait_synced", "timeout_ms": 10000}))
        .await;

    // The Yjs client got the map as created by the server (title, default lanes).
    let dump = js.call(json!({"cmd": "dump"})).await;
    assert_eq!(dump["doc"]["meta"]["title"], "Interop");
    assert_eq!(dump["doc"]["lanes"].as_object().map(|o| o.len()), Some(8));

    // Rust -> Yjs.
    edit(&rust, |m| m.add_stage("s-rust", "Awareness", At::End)).expect("stage");
    let got = js
        .call(json!({"cmd": "wait_for", "map": "stages", "key": "s-rust", "timeout_ms": 10000}))
        .await;
    assert_eq!(got["value"]["name"], "Awareness");

    // Yjs -> Rust: a stage, and a card in a default lane with text.
    let lane = client_view(&rust).lanes[0].id.clone();
    js.call(json!({"cmd": "add_stage", "id": "s-js", "name": "Purchase", "order": "a5"}))
        .await;
    js.call(json!({"cmd": "add_card", "id": "c-js", "stage": "s-js", "lane": lane, "order": "a0", "text": "Pays online"})).await;
    assert!(
        rust.wait_until(WAIT, |d| parcours_shared::view::read_view(d)
            .cards
            .iter()
            .any(|c| c.id == "c-js"))
            .await
    );
    let v = client_view(&rust);
    assert_eq!(
        v.stages.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["Awareness", "Purchase"]
    );
    assert_eq!(v.cards[0].text, "Pays online");

    // Concurrent typing into the same card from both sides merges.
    js.call(json!({"cmd": "insert_text", "card": "c-js", "index": 0, "text": "JS "}))
        .await;
    edit(&rust, |m| {
        m.insert_text(TextTarget::Card("c-js"), 11, " (Rust)")
    })
    .expect("type");
    assert!(
        rust.wait_until(WAIT, |d| {
            let t = parcours_shared::view::read_view(d).cards[0].text.clone();
            t.contains("JS ") && t.contains(" (Rust)")
        })
        .await
    );
    eventually_ok("the Yjs text equals the Rust text", || async {
        let dump = js.call(json!({"cmd": "dump"})).await;
        let text = dump["doc"]["cards"]["c-js"]["text"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if text == client_view(&rust).cards[0].text {
            Ok(())
        } else {
            Err(format!("js={text:?}"))
        }
    })
    .await;
    // The server's copy is the same as the Rust client's, and a late joiner's.
    let late = server.client(&map).await;
    let v = converged(&[&rust, &late]).await;
    assert_eq!(server.view(&map).await, v);

    // Presence both ways, with the name the server knows (both are the default test
    // account, "owner"), whatever name the client claims.
    js.call(
        json!({"cmd": "set_awareness", "state": {"user": {"name": "Yasmine"}, "tag": "from-js"}}),
    )
    .await;
    assert!(
        rust.wait_until(WAIT, |_| rust
            .awareness_states()
            .values()
            .any(|s| s.contains("from-js") && s.contains(r#""name":"owner""#)))
            .await
    );
    assert!(!rust
        .awareness_states()
        .values()
        .any(|s| s.contains("Yasmine")));
    rust.set_awareness(Some(r#"{"user":{"name":"Rustam"},"tag":"from-rust"}"#))
        .expect("awareness");
    eventually("Yjs sees the Rust client's presence", || async {
        let states = js.call(json!({"cmd": "awareness"})).await;
        let states = states["states"].to_string();
        assert!(
            !states.contains("Rustam"),
            "the claimed name never reaches anyone"
        );
        states.contains("from-rust")
    })
    .await;
    js.call(json!({"cmd": "close"})).await;
}

/// The itinerary parts of the schema are editable by a stock Yjs client: a switch it
/// draws between two touchpoints and the paths it puts a card on render in the Rust
/// view, and the Rust side's edits to them reach it.
#[tokio::test]
async fn a_yjs_client_draws_switches_and_sets_paths_that_the_view_renders() {
    let db = TestDb::new(Backend::Sqlite).await;
    let server = TestServer::start(db.config()).await;
    let map = server.create_map("Itineraries").await.id.0;
    let rust = server.client(&map).await;
    let js = YjsPeer::start(&format!("ws://{}/sync", server.addr), &map, &server.token).await;
    js.call(json!({"cmd": "wait_synced", "timeout_ms": 10000}))
        .await;
    let lane = client_view(&rust)
        .lanes
        .iter()
        .find(|l| l.kind == LaneKind::Touchpoints)
        .expect("a touchpoints lane")
        .id
        .clone();
    edit(&rust, |m| {
        m.add_stage("s1", "Research", At::End)?;
        m.add_stage("s2", "Buy", At::End)?;
        m.add_card("t1", "s1", &lane, At::End, "Product page")?;
        m.set_channel("t1", Some(Channel::Web))?;
        m.add_card("t2", "s2", &lane, At::End, "Store visit")?;
        m.set_channel("t2", Some(Channel::Store))?;
        m.add_path("pa", "Online", None, "orders online", At::End)?;
        m.add_path("pb", "In store", None, "walks in", At::End)
    })
    .expect("setup");
    js.call(json!({"cmd": "wait_for", "map": "paths", "key": "pb", "timeout_ms": 10000}))
        .await;

    js.call(json!({"cmd": "add_switch", "id": "w-js", "from": "t1", "to": "t2", "note": "continues in branch"}))
        .await;
    js.call(json!({"cmd": "set_card_path", "card": "t1", "path": "pa"}))
        .await;
    js.call(json!({"cmd": "set_card_path", "card": "t2", "path": "pb"}))
        .await;
    js.call(json!({"cmd": "set_card_path", "card": "t2", "path": "pa"}))
        .await;
    assert!(
        rust.wait_until(WAIT, |d| {
            let v = parcours_shared::view::read_view(d);
            let on = |id: &str| v.cards.iter().find(|c| c.id == id).map(|c| c.paths.len());
            v.switches.len() == 1 && on("t1") == Some(1) && on("t2") == Some(2)
        })
        .await
    );
    let v = client_view(&rust);
    assert_eq!(v.switches[0].note, "continues in branch");
    assert_eq!(
        (v.switches[0].from.as_str(), v.switches[0].to.as_str()),
        ("t1", "t2")
    );
    let paths = |id: &str| v.cards.iter().find(|c| c.id == id).unwrap().paths.clone();
    assert_eq!(paths("t1"), ["pa"]);
    assert_eq!(paths("t2"), ["pa", "pb"]);

    // Rust edits the note and takes t2 off pa; the Yjs side sees both.
    edit(&rust, |m| {
        m.set_switch_note("w-js", "in branch, same day")?;
        m.set_card_on_path("t2", "pa", false)
    })
    .expect("rust edits");
    eventually_ok("the Yjs client sees the Rust edits", || async {
        let dump = js.call(json!({"cmd": "dump"})).await;
        let note = dump["doc"]["switches"]["w-js"]["note"].clone();
        let t2 = dump["doc"]["cards"]["t2"].clone();
        if note == "in branch, same day" && t2.get("path/pa").is_none() && t2["path/pb"] == true {
            Ok(())
        } else {
            Err(format!("note={note} t2={t2}"))
        }
    })
    .await;
    // A removed card takes its switch along, on every replica.
    edit(&rust, |m| m.remove_card("t2")).expect("remove");
    eventually_ok("the switch went with its card", || async {
        let dump = js.call(json!({"cmd": "dump"})).await;
        match dump["doc"]["switches"].as_object() {
            Some(s) if s.is_empty() => Ok(()),
            other => Err(format!("{other:?}")),
        }
    })
    .await;
    let late = server.client(&map).await;
    let v = converged(&[&rust, &late]).await;
    assert!(v.switches.is_empty());
    js.call(json!({"cmd": "close"})).await;
}

/// Runs tests/yjs/storm.mjs and returns its one JSON result line.
async fn storm_script(args: &[&str]) -> Value {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/yjs");
    let out = Command::new("node")
        .arg(dir.join("storm.mjs"))
        .args(args)
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .output()
        .await
        .expect("node runs");
    assert!(out.status.success(), "storm.mjs {args:?} failed");
    let line = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(line.trim()).expect("one JSON line")
}

/// A counter from the server's `/metrics`.
async fn metric(server: &ProcessServer, name: &str) -> u64 {
    let text = server
        .http
        .get(format!("{}/metrics", server.base()))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name} in /metrics"))
}

/// Twelve stock y-websocket clients edit a map, an array and a text at random for 20 s,
/// each dropping its socket at random (offline edits sent eagerly on reconnect, as the
/// stock provider does). Nobody is refused, the room never reloads, everyone converges,
/// and after a SIGKILL and a restart a fresh client reads the same content.
async fn stock_clients_reconnecting_with_offline_edits_are_welcomed(db: TestDb) {
    let server = ProcessServer::start(&db).await;
    let map = server.create_map("Storm").await.id.0;
    let url = format!("ws://{}/sync", server.addr);
    let storm = storm_script(&["storm", &url, &map, &server.token, "12", "20", "7"]).await;
    eprintln!(
        "storm: {} edits, {} drops, closes by the server: {}",
        storm["edits"], storm["drops"], storm["closes"]
    );
    assert_eq!(storm["converged"], true, "{storm}");
    // About 150 drops on a quiet machine, 84 seen beside a soak and a build: three a
    // client at least is the storm this test needs.
    assert!(storm["drops"].as_u64().unwrap_or(0) >= 36, "{storm}");
    assert_eq!(
        storm["closes"].get("1007"),
        None,
        "honest clients refused: {storm}"
    );
    assert_eq!(metric(&server, "parcours_peers_rejected_total").await, 0);
    assert_eq!(metric(&server, "parcours_room_reloads_total").await, 0);
    let live = storm_script(&["read", &url, &map, &server.token]).await;
    assert_eq!(
        live["content"], storm["content"],
        "the server holds what the clients agree on"
    );

    server.kill();
    let server = ProcessServer::start(&db).await;
    let url = format!("ws://{}/sync", server.addr);
    let after = storm_script(&["read", &url, &map, &server.token]).await;
    assert_eq!(
        after["content"], storm["content"],
        "nothing was lost to SIGKILL"
    );
}
both_backends!(
    stock_clients_reconnecting_with_offline_edits_are_welcomed,
    stock_clients_reconnecting_with_offline_edits_are_welcomed
);

/// A restore reaches a stock Yjs client as an ordinary update on its open socket (no
/// reconnect, no resync), and restoring the version recorded before it undoes it.
async fn a_restore_reaches_a_stock_yjs_client_live(db: TestDb) {
    let mut config = db.config();
    config.flush_interval_ms = 5;
    let server = TestServer::start(config).await;
    let map = server.create_map("Restore live").await.id.0;
    let rust = server.client(&map).await;
    let lane = client_view(&rust).lanes[0].id.clone();
    edit(&rust, |m| {
        m.add_stage("s1", "Discover", At::End)?;
        m.add_card("c1", "s1", &lane, At::End, "First draft")
    })
    .expect("setup");
    let js = YjsPeer::start(&format!("ws://{}/sync", server.addr), &map, &server.token).await;
    js.call(json!({"cmd": "wait_synced", "timeout_ms": 10000}))
        .await;
    let versions = format!("/api/maps/{map}/versions");
    let (status, v1) = common::post(&server, &server.token, &versions, json!({"name": "v1"})).await;
    assert_eq!(status, 201, "{v1}");
    js.call(json!({"cmd": "insert_text", "card": "c1", "index": 0, "text": "Rewritten: "}))
        .await;
    assert!(
        rust.wait_until(WAIT, |d| parcours_shared::view::read_view(d).cards[0]
            .text
            .starts_with("Rewritten"))
            .await
    );
    let js_text = |dump: &Value| {
        dump["doc"]["cards"]["c1"]["text"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let restore = format!("/api/maps/{map}/restore");
    let (status, restored) = common::post(
        &server,
        &server.token,
        &restore,
        json!({"version": v1["id"], "element": "c1"}),
    )
    .await;
    assert_eq!(status, 200, "{restored}");
    eventually_ok("the Yjs client shows the restored text", || async {
        let text = js_text(&js.call(json!({"cmd": "dump"})).await);
        if text == "First draft" {
            Ok(())
        } else {
            Err(text)
        }
    })
    .await;
    // Undo: the version recorded before the restore.
    let (status, _) = common::post(
        &server,
        &server.token,
        &restore,
        json!({"version": restored["before"]["id"]}),
    )
    .await;
    assert_eq!(status, 200);
    eventually_ok("the Yjs client shows the text again", || async {
        let text = js_text(&js.call(json!({"cmd": "dump"})).await);
        if text == "Rewritten: First draft" {
            Ok(())
        } else {
            Err(text)
        }
    })
    .await;
    let status = js.call(json!({"cmd": "status"})).await;
    assert_eq!(status["status"], "connected");
    assert_eq!(
        status["last_close"],
        Value::Null,
        "the socket was never closed"
    );
    js.call(json!({"cmd": "close"})).await;
    server.stop().await;
}
both_backends!(a_restore_reaches_a_stock_yjs_client_live);
