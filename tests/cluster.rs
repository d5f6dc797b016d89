//! Several nodes on one PostgreSQL (`--cluster`): real servers on one database of the
//! test's own, real y-protocols clients on different nodes.

mod common;

use std::time::Duration;

use common::{
    client_view, converged, edit, eventually, me, member, patch, EventStream, TestDb, TestServer,
    WAIT,
};
use parcours_server::config::ServeConfig;
use parcours_server::store::Backend;
use parcours_shared::schema::At;
use serde_json::json;

/// A node of a cluster on `db`, named `name`.
fn node_config(db: &TestDb, name: &str) -> ServeConfig {
    let mut config = db.config();
    config.cluster = true;
    config.node_name = Some(name.to_owned());
    // A snapshot every few rows, so nodes compact while the others write.
    config.compact_every = 3;
    config.checkpoint_every = 5;
    config
}

async fn postgres() -> Option<TestDb> {
    let db = TestDb::new(Backend::Postgres).await;
    (db.backend == Backend::Postgres).then_some(db)
}

async fn three_nodes(db: &TestDb) -> [TestServer; 3] {
    [
        TestServer::start(node_config(db, "n1")).await,
        TestServer::start(node_config(db, "n2")).await,
        TestServer::start(node_config(db, "n3")).await,
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_on_three_nodes_converge_see_each_others_presence_and_nothing_is_lost() {
    let Some(db) = postgres().await else { return };
    let [n1, n2, n3] = three_nodes(&db).await;
    let map = n1.create_map("Across nodes").await.id.0;
    let a = n1.client(&map).await;
    let b = n2.client(&map).await;
    let c = n3.client(&map).await;
    let lane = client_view(&a).lanes[0].id.clone();

    edit(&a, |m| m.add_stage("s1", "Discover", At::End)).expect("a");
    edit(&b, |m| m.add_stage("s2", "Choose", At::End)).expect("b");
    edit(&c, |m| m.add_stage("s3", "Buy", At::End)).expect("c");
    let v = converged(&[&a, &b, &c]).await;
    assert_eq!(v.stages.len(), 3);
    // Many small edits from every node at once, past several compactions.
    for i in 0..10 {
        edit(&a, |m| {
            m.add_card(&format!("a{i}"), "s1", &lane, At::End, "from n1")
        })
        .expect("a");
        edit(&b, |m| {
            m.add_card(&format!("b{i}"), "s2", &lane, At::End, "from n2")
        })
        .expect("b");
        edit(&c, |m| {
            m.add_card(&format!("c{i}"), "s3", &lane, At::End, "from n3")
        })
        .expect("c");
    }
    let v = converged(&[&a, &b, &c]).await;
    assert_eq!(v.cards.len(), 30);
    // Every node's own copy agrees.
    for node in [&n1, &n2, &n3] {
        let node_view = node.view(&map).await;
        assert_eq!(node_view, v);
    }

    // Presence crosses nodes, named by the node the person is on, and is cleared
    // when they leave.
    a.set_awareness(Some(r#"{"user":{"name":"Ana"},"selected":"a3"}"#))
        .expect("presence");
    eventually("c on n3 sees a's presence from n1", || async {
        c.awareness_states().values().any(|s| s.contains("a3"))
    })
    .await;
    // A late joiner on another node gets the document and the presence.
    let d = n2.client(&map).await;
    assert_eq!(converged(&[&a, &d]).await, v);
    eventually("the late joiner on n2 sees a's presence", || async {
        d.awareness_states().values().any(|s| s.contains("a3"))
    })
    .await;
    a.close();
    eventually("a's presence is cleared on n3", || async {
        !c.awareness_states().values().any(|s| s.contains("a3"))
    })
    .await;

    // Every node stops; one node started alone has everything.
    for client in [&b, &c, &d] {
        client.close();
    }
    n1.stop().await;
    n2.stop().await;
    n3.stop().await;
    let alone = TestServer::start(node_config(&db, "n4")).await;
    assert_eq!(alone.view(&map).await, v, "nothing lost, whoever wrote it");
    alone.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_map_opened_on_a_node_gets_edits_another_node_has_not_written_yet() {
    let Some(db) = postgres().await else { return };
    // n1 keeps its edits 30 s before writing them: only the bus has them.
    let mut slow = node_config(&db, "slow-writer");
    slow.flush_interval_ms = 30_000;
    let n1 = TestServer::start(slow).await;
    let n2 = TestServer::start(node_config(&db, "n2")).await;
    let map = n1.create_map("Not written yet").await.id.0;
    let a = n1.client(&map).await;
    edit(&a, |m| m.add_stage("early", "Early", At::End)).expect("edit");
    // The map was never open on n2: its room loads now, from storage and the bus.
    let b = n2.client(&map).await;
    let v = converged(&[&a, &b]).await;
    assert_eq!(v.stages.len(), 1);
    assert_eq!(n2.view(&map).await, v);
}

/// A map open on one node alone costs the bus nothing. When another node opens it,
/// the first publishes its whole document once — with what it has not written yet —
/// and then every edit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_map_open_on_one_node_alone_publishes_nothing_until_another_opens_it() {
    let Some(db) = postgres().await else { return };
    let mut slow = node_config(&db, "alone");
    slow.flush_interval_ms = 30_000;
    let n1 = TestServer::start(slow).await;
    let n2 = TestServer::start(node_config(&db, "n2")).await;
    let map = n1.create_map("Alone for a while").await.id.0;
    let a = n1.client(&map).await;
    for i in 0..5 {
        edit(&a, |m| m.add_stage(&format!("s{i}"), "Alone", At::End)).expect("edit");
    }
    eventually("n1 applied the edits", || async {
        n1.view(&map).await.stages.len() == 5
    })
    .await;
    a.set_awareness(Some(r#"{"user":{"name":"Alone"},"selected":"alone-sel"}"#))
        .expect("presence");
    tokio::time::sleep(Duration::from_millis(1_500)).await; // a poll or more
    let published = |text: &str| common::metric(text, "parcours_bus_published_total");
    assert_eq!(
        published(&n1.metrics().await),
        Some(0.0),
        "nothing published while no other node has the map open"
    );

    // n2 opens it: n1 has written nothing yet (30 s flush), so only the whole document
    // n1 publishes brings n2 the five stages.
    let b = n2.client(&map).await;
    let v = converged(&[&a, &b]).await;
    assert_eq!(v.stages.len(), 5);
    assert!(published(&n1.metrics().await).unwrap_or(0.0) >= 1.0);
    // With the document, who is there (not at the client's next renewal, 15 s on).
    common::within(Duration::from_secs(3), "b sees a's presence", || async {
        if b.awareness_states()
            .values()
            .any(|s| s.contains("alone-sel"))
        {
            Ok(())
        } else {
            Err("not yet")
        }
    })
    .await;
    edit(&a, |m| m.add_stage("shared", "Shared", At::End)).expect("edit");
    edit(&b, |m| m.add_stage("back", "Back", At::End)).expect("edit");
    assert_eq!(converged(&[&a, &b]).await.stages.len(), 7);
}

/// A node another took for dead (a stall longer than the heartbeat's window: its
/// rows were deleted) records its open maps again when it finds its row gone, and the
/// others publish for it again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_taken_for_dead_while_alive_gets_the_others_edits_again() {
    let Some(db) = postgres().await else { return };
    let n1 = TestServer::start(node_config(&db, "n1")).await;
    let n2 = TestServer::start(node_config(&db, "stalled")).await;
    let map = n1.create_map("Taken for dead").await.id.0;
    let a = n1.client(&map).await;
    let b = n2.client(&map).await;
    edit(&a, |m| m.add_stage("before", "Before", At::End)).expect("edit");
    converged(&[&a, &b]).await;

    // What a survivor does to a dead node's rows, done to a live one.
    let pool = sqlx::PgPool::connect(&db.url).await.expect("db");
    for statement in [
        "delete from bus_nodes where node like 'stalled#%'",
        "delete from bus_rooms where node like 'stalled#%'",
        "delete from bus_online where node like 'stalled#%'",
    ] {
        sqlx::query(statement).execute(&pool).await.expect("delete");
    }
    // n1 stops publishing at its next poll; n2 finds its row gone at its next
    // heartbeat (2 s) and records its map again.
    tokio::time::sleep(Duration::from_secs(3)).await;
    edit(&a, |m| m.add_stage("after", "After", At::End)).expect("edit");
    let v = converged(&[&a, &b]).await;
    assert_eq!(v.stages.len(), 2);
    let rooms: i64 =
        sqlx::query_scalar("select count(*) from bus_rooms where node like 'stalled#%'")
            .fetch_one(&pool)
            .await
            .expect("rooms");
    assert_eq!(rooms, 1, "the stalled node recorded its open map again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_demoted_on_one_node_is_read_only_on_another_within_a_second() {
    let Some(db) = postgres().await else { return };
    let [n1, n2, n3] = three_nodes(&db).await;
    let map = n1.create_map("Demotion across nodes").await.id.0;
    let token = member(&n1, &map, "editor@example.com", "editor").await;
    let user_id = me(&n1, &token).await.id.0;
    let e = n2.client_as(&map, &token).await;
    let watcher = n3.client(&map).await;
    edit(&e, |m| m.add_stage("before", "Before", At::End)).expect("edit");
    converged(&[&e, &watcher]).await;

    let (status, _) = patch(
        &n1,
        &n1.token,
        &format!("/api/maps/{map}/members/{user_id}"),
        json!({"role": "viewer"}),
    )
    .await;
    assert_eq!(status, 200);
    tokio::time::sleep(Duration::from_secs(1)).await;
    edit(&e, |m| m.add_stage("after", "After", At::End)).expect("local edit");
    edit(&watcher, |m| m.add_stage("marker", "Marker", At::End)).expect("edit");
    assert!(
        e.wait_until(WAIT, |d| parcours_shared::view::read_view(d)
            .stages
            .iter()
            .any(|s| s.id == "marker"))
            .await,
        "the demoted editor still reads"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let ids: Vec<String> = client_view(&watcher)
        .stages
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(
        ids,
        ["before", "marker"],
        "the demoted editor's edit went nowhere"
    );
    assert!(!n2.view(&map).await.stages.iter().any(|s| s.id == "after"));

    // Removed on n3: closed on n2.
    let (status, _) = common::delete(
        &n3,
        &n3.token,
        &format!("/api/maps/{map}/members/{user_id}"),
    )
    .await;
    assert_eq!(status, 204);
    assert!(
        e.wait_closed(Duration::from_secs(2)).await.is_some(),
        "the removed member's socket on n2 is closed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_catch_up_after_their_bus_connection_is_cut() {
    let Some(db) = postgres().await else { return };
    let n1 = TestServer::start(node_config(&db, "n1")).await;
    let n2 = TestServer::start(node_config(&db, "n2")).await;
    let map = n1.create_map("Cut").await.id.0;
    let a = n1.client(&map).await;
    let b = n2.client(&map).await;
    edit(&a, |m| m.add_stage("s0", "Before the cut", At::End)).expect("edit");
    converged(&[&a, &b]).await;

    // Every listening connection of this database is terminated, as a restarted
    // PostgreSQL or a network cut would; edits made meanwhile still arrive.
    let admin = sqlx::PgPool::connect(&common::pg_admin_url())
        .await
        .expect("admin");
    let db_name = db.url.rsplit('/').next().expect("name").to_owned();
    let cut: i64 = sqlx::query_scalar(
        "select count(pg_terminate_backend(pid)) from pg_stat_activity
         where datname = $1 and query ilike 'listen%'",
    )
    .bind(&db_name)
    .fetch_one(&admin)
    .await
    .expect("terminate");
    assert!(cut >= 2, "both nodes' listeners were cut ({cut})");
    for i in 0..5 {
        edit(&a, |m| m.add_stage(&format!("a{i}"), "From n1", At::End)).expect("a");
        edit(&b, |m| m.add_stage(&format!("b{i}"), "From n2", At::End)).expect("b");
    }
    let v = converged(&[&a, &b]).await;
    assert_eq!(v.stages.len(), 11);
    assert_eq!(n1.view(&map).await, v);
    assert_eq!(n2.view(&map).await, v);
}

/// An access change whose notification never reached a node (its listener was
/// reconnecting at that moment) still reaches it: the access stream is read by cursor,
/// and the poll notices it moved.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_access_change_whose_notification_was_lost_still_arrives() {
    use parcours_server::sync::bus::Control;
    use parcours_shared::ids::{MapId, Role, UserId};

    let Some(db) = postgres().await else { return };
    let n1 = TestServer::start(node_config(&db, "n1")).await;
    let n2 = TestServer::start(node_config(&db, "n2")).await;
    let map = n1.create_map("Lost notification").await.id.0;
    let token = member(&n1, &map, "editor@example.com", "editor").await;
    let user_id = me(&n1, &token).await.id.0;
    let e = n2.client_as(&map, &token).await;
    let watcher = n1.client(&map).await;
    edit(&e, |m| m.add_stage("before", "Before", At::End)).expect("edit");
    converged(&[&e, &watcher]).await;

    // Published as another node publishes, but with no notification at all.
    let control = Control::Access {
        map: MapId::parse(&map).expect("id"),
        user: UserId(user_id),
        role: Some(Role::Viewer),
    };
    let pool = sqlx::PgPool::connect(&db.url).await.expect("db");
    sqlx::query(
        "with h as (
             insert into bus_heads (map_id, n) values ('~control', 1)
             on conflict (map_id) do update set n = bus_heads.n + 1 returning n
         )
         insert into bus_messages (map_id, n, node, at, message)
         select '~control', h.n, 'another-node', $1, $2 from h",
    )
    .bind(parcours_server::util::now_ms())
    .bind(serde_json::to_vec(&control).expect("json"))
    .execute(&pool)
    .await
    .expect("publish without notifying");
    tokio::time::sleep(Duration::from_millis(2_000)).await;
    edit(&e, |m| m.add_stage("after", "After", At::End)).expect("local edit");
    edit(&watcher, |m| m.add_stage("marker", "Marker", At::End)).expect("edit");
    assert!(
        e.wait_until(WAIT, |d| parcours_shared::view::read_view(d)
            .stages
            .iter()
            .any(|s| s.id == "marker"))
            .await,
        "the demoted editor still reads"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !n2.view(&map).await.stages.iter().any(|s| s.id == "after"),
        "n2 applied the access change it was never notified of"
    );
    assert!(!client_view(&watcher).stages.iter().any(|s| s.id == "after"));
}

/// Comment-round events, inbox items and "who is on this map" reach people whatever
/// node they are on; a map deleted through one node ends its streams on the others.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comment_events_inbox_items_and_who_is_online_cross_nodes() {
    let Some(db) = postgres().await else { return };
    let n1 = TestServer::start(node_config(&db, "n1")).await;
    let n2 = TestServer::start(node_config(&db, "n2")).await;
    let map = n1.create_map("Events across nodes").await.id.0;
    let editor = member(&n1, &map, "editor@example.com", "editor").await;
    let a = n1.client(&map).await;
    let lane = client_view(&a).lanes[0].id.clone();
    edit(&a, |m| m.add_stage("s1", "Awareness", At::End)).expect("stage");
    edit(&a, |m| m.add_card("c1", "s1", &lane, At::End, "Sees an ad")).expect("card");
    eventually("n1 has the card", || async {
        n1.view(&map).await.cards.iter().any(|c| c.id == "c1")
    })
    .await;

    // The editor watches the map and their inbox through n2; the owner comments
    // through n1.
    let mut map_events = EventStream::open(&n2, &editor, &format!("/api/maps/{map}/events")).await;
    let mut inbox = EventStream::open(&n2, &editor, "/api/inbox/events").await;
    let (status, posted) = common::post(
        &n1,
        &n1.token,
        &format!("/api/maps/{map}/threads"),
        json!({"anchor": {"kind": "card", "id": "c1"}, "body": "Which ad, @editor?"}),
    )
    .await;
    assert_eq!(status, 201, "{posted}");
    let event = tokio::time::timeout(Duration::from_secs(2), map_events.next_event())
        .await
        .expect("within 2 s")
        .expect("an event");
    assert_eq!(event["type"], "thread_created");
    assert_eq!(event["thread"]["id"], posted["thread"]["id"]);
    assert_eq!(event["thread"]["comments"][0]["body"], "Which ad, @editor?");
    let item = tokio::time::timeout(Duration::from_secs(2), inbox.next_event())
        .await
        .expect("within 2 s")
        .expect("an inbox item");
    assert_eq!(item["kind"], "mention");
    assert_eq!(item["thread_id"], posted["thread"]["id"]);

    // The maps list on n2 names the person connected through n1, and forgets them
    // when they leave.
    let here = online_on(&n1, &editor, &map).await;
    assert_eq!(here.as_array().map(Vec::len), Some(1), "{here}");
    eventually("n2's maps list names who is on n1", || async {
        online_on(&n2, &editor, &map).await == here
    })
    .await;
    a.close();
    eventually("n2's maps list forgets who left n1", || async {
        online_on(&n2, &editor, &map).await == json!([])
    })
    .await;

    // Deleted through n1: the stream on n2 ends.
    let (status, _) = common::delete(&n1, &n1.token, &format!("/api/maps/{map}")).await;
    assert_eq!(status, 204);
    assert!(
        tokio::time::timeout(Duration::from_secs(3), map_events.next_event())
            .await
            .expect("within 3 s")
            .is_none(),
        "the deleted map's stream on n2 ended"
    );
}

/// Who the maps list says is on `map`, asked of `node` as `token`.
async fn online_on(node: &TestServer, token: &str, map: &str) -> serde_json::Value {
    let list: serde_json::Value = common::get(node, token, "/api/maps").await;
    list["maps"]
        .as_array()
        .expect("maps")
        .iter()
        .find(|m| m["id"] == map)
        .expect("the map")["online"]
        .clone()
}

/// The login limiter counts for every node: password guesses spread over two nodes
/// are stopped at the same count as on one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_guesses_spread_over_nodes_share_one_limit() {
    let Some(db) = postgres().await else { return };
    let n1 = TestServer::start(node_config(&db, "n1")).await;
    let n2 = TestServer::start(node_config(&db, "n2")).await;
    n1.user("target@example.com").await;
    let login = |node: &TestServer, password: &str| {
        let url = node.url("/api/auth/login");
        let body = json!({"email": "target@example.com", "password": password});
        async move {
            reqwest::Client::new()
                .post(url)
                .json(&body)
                .send()
                .await
                .expect("login")
                .status()
                .as_u16()
        }
    };
    for i in 0..5 {
        let node = if i % 2 == 0 { &n1 } else { &n2 };
        assert_eq!(login(node, "wrong guess").await, 401, "guess {i}");
    }
    // Two guesses only went through n2: alone it would still let three through.
    assert_eq!(
        login(&n2, common::PASSWORD).await,
        429,
        "the sixth attempt is refused on either node, even with the right password"
    );
    assert_eq!(login(&n1, common::PASSWORD).await, 429);
    // Another account from the same address is not locked out.
    n2.user("someone.else@example.com").await;

    // A megabyte "email" is a wrong login like any other, and its counter's key stays
    // small.
    let huge = format!("{}@example.com", "x".repeat(1 << 20));
    let status = reqwest::Client::new()
        .post(n1.url("/api/auth/login"))
        .json(&json!({"email": huge, "password": "guess"}))
        .send()
        .await
        .expect("login")
        .status()
        .as_u16();
    assert_eq!(status, 401);
    let pool = sqlx::PgPool::connect(&db.url).await.expect("db");
    let counted: i64 =
        sqlx::query_scalar("select count(*) from login_limits where key like 'account:xxxx%'")
            .fetch_one(&pool)
            .await
            .expect("count");
    assert_eq!(counted, 1, "the huge name was counted, under a short key");
    let longest: Option<i32> = sqlx::query_scalar("select max(length(key)) from login_limits")
        .fetch_one(&pool)
        .await
        .expect("keys");
    assert!(longest.unwrap_or(0) <= 300, "{longest:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_node_refuses_to_start_on_sqlite() {
    let db = TestDb::new(Backend::Sqlite).await;
    let mut config = db.config();
    config.cluster = true;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let error = parcours_server::run(config, listener, tokio_util::sync::CancellationToken::new())
        .await
        .expect_err("a cluster on SQLite is refused");
    assert!(error.to_string().contains("postgres"), "{error}");
}

/// HAProxy in front of `ports`, routing each map's socket to one node while it is up
/// (the path's hash) and away from a node that stops answering; `None` when HAProxy
/// is not installed (outside CI; `scripts/test.sh` installs it).
struct Haproxy {
    port: u16,
    child: std::process::Child,
    _dir: tempfile::TempDir,
}

impl Haproxy {
    fn start(ports: &[u16]) -> Option<Haproxy> {
        let bin = ["/usr/sbin/haproxy", "/usr/bin/haproxy"]
            .into_iter()
            .find(|p| std::path::Path::new(p).is_file());
        let Some(bin) = bin else {
            assert!(
                std::env::var("CI").map_or(true, |v| v != "true"),
                "haproxy is not installed under CI=true"
            );
            eprintln!("SKIPPED: haproxy is not installed");
            return None;
        };
        let dir = tempfile::tempdir().expect("dir");
        let port = common::free_port();
        let nodes: Vec<String> = ports.iter().map(|p| format!("127.0.0.1:{p}")).collect();
        let config = parcours_server::cluster::haproxy_config(&format!("127.0.0.1:{port}"), &nodes);
        let path = dir.path().join("haproxy.cfg");
        std::fs::write(&path, config).expect("config");
        let child = std::process::Command::new(bin)
            .arg("-db")
            .arg("-f")
            .arg(&path)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("haproxy");
        Some(Haproxy {
            port,
            child,
            _dir: dir,
        })
    }
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Three `parcours` processes on one PostgreSQL behind HAProxy. Clients edit through
/// HAProxy (so all on one node) and directly on the others; the node behind HAProxy
/// is killed with SIGKILL while they edit. They reconnect through HAProxy to the
/// others, and every edit every client made is in the map afterwards, read by a node
/// started alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_killed_while_its_clients_edit_loses_nothing_they_reconnect_through_haproxy() {
    let Some(db) = postgres().await else { return };
    a_node_killed_loses_nothing(&db, &[]).await;
}

/// The same with the maps' bus on Redis streams: the dead node's last updates are
/// adopted from its streams.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_redis_streams_a_node_killed_while_its_clients_edit_loses_nothing() {
    let Some(db) = postgres().await else { return };
    let redis = OwnRedis::start().await;
    a_node_killed_loses_nothing(&db, &["--redis-url", &redis.url()]).await;
}

/// Three node processes (with `extra` arguments) behind HAProxy; the node holding a
/// map's clients is killed while they edit.
async fn a_node_killed_loses_nothing(db: &TestDb, extra: &[&str]) {
    use common::ProcessServer;
    use parcours_bench::YClient;
    use std::process::Stdio;
    use yrs::{Map, Transact};

    let ports = [
        common::free_port(),
        common::free_port(),
        common::free_port(),
    ];
    let mut nodes = Vec::new();
    for (i, port) in ports.iter().enumerate() {
        let name = format!("p{i}");
        let mut args = vec!["--cluster", "--node-name", &name];
        args.extend_from_slice(extra);
        nodes.push(Some(
            ProcessServer::start_at_with_args(db, *port, "warn", Stdio::inherit(), &args).await,
        ));
    }
    let Some(proxy) = Haproxy::start(&ports) else {
        return;
    };
    let first = nodes[0].as_ref().expect("node");
    let map = first.create_map("Killed node").await.id.0;
    let token = first.token.clone();
    let via_proxy = format!("ws://127.0.0.1:{}/sync/{map}?token={token}", proxy.port);
    let direct = |port: u16| format!("ws://127.0.0.1:{port}/sync/{map}?token={token}");

    let mut clients = Vec::new();
    for _ in 0..3 {
        let c = common::within(WAIT, "connect through haproxy", || async {
            YClient::connect(&via_proxy)
                .await
                .map_err(|e| e.to_string())
        })
        .await;
        c.wait_synced(WAIT).await.expect("synced");
        clients.push(c);
    }
    // Which node HAProxy sent them to: the one holding three sockets.
    let mut behind = None;
    for (i, node) in nodes.iter().enumerate() {
        let node = node.as_ref().expect("node");
        if node.metric("parcours_connections").await == 3.0 {
            behind = Some(i);
        }
    }
    let behind = behind.expect("one node holds the proxied clients");
    // A watcher directly on each other node.
    for (i, port) in ports.iter().enumerate() {
        if i != behind {
            let c = YClient::connect(&direct(*port)).await.expect("direct");
            c.wait_synced(WAIT).await.expect("synced");
            clients.push(c);
        }
    }

    // The proxied node now shares the map with the others, so it publishes every
    // edit (a map open on one node alone publishes nothing, and a node killed then
    // leaves nothing to adopt: its clients bring their edits back themselves).
    let shared = nodes[behind].as_ref().expect("node");
    common::within(WAIT, "the proxied node publishes", || async {
        if shared.metric("parcours_bus_published_total").await > 0.0 {
            Ok(())
        } else {
            Err("nothing published yet")
        }
    })
    .await;

    // Everyone writes its own keys, 20 edits each, 25 ms apart; the proxied node is
    // killed halfway. A client whose socket died reconnects through HAProxy with the
    // same document, as y-websocket does.
    let mut clients: Vec<Option<YClient>> = clients.into_iter().map(Some).collect();
    let edits = 20;
    for round in 0..edits {
        if round == edits / 2 {
            nodes[behind].take().expect("node").kill();
        }
        for (i, slot) in clients.iter_mut().enumerate() {
            let dead = slot.as_ref().is_some_and(|c| c.closed().is_some());
            if dead {
                let old = slot.take().expect("client");
                let doc = old.doc().clone();
                let again = common::within(WAIT, "reconnect through haproxy", || {
                    let doc = doc.clone();
                    let url = via_proxy.clone();
                    async move {
                        YClient::connect_with(&url, doc)
                            .await
                            .map_err(|e| e.to_string())
                    }
                })
                .await;
                *slot = Some(again);
            }
            let c = slot.as_ref().expect("client");
            let m = c.doc().get_or_insert_map("keys");
            let mut txn = c.doc().transact_mut();
            m.insert(&mut txn, format!("c{i}-{round}"), round as f64);
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    // Every client reconnected where needed; all converge on every key.
    let want = clients.len() * edits;
    for slot in clients.iter_mut() {
        if slot.as_ref().is_some_and(|c| c.closed().is_some()) {
            let old = slot.take().expect("client");
            let doc = old.doc().clone();
            *slot = Some(
                YClient::connect_with(&via_proxy, doc)
                    .await
                    .expect("reconnect"),
            );
        }
    }
    for c in clients.iter().flatten() {
        assert!(
            c.wait_until(Duration::from_secs(20), |d| {
                let m = d.get_or_insert_map("keys");
                m.len(&d.transact()) as usize == want
            })
            .await,
            "a client has every key"
        );
    }
    // The killed node's last edits reached the others through the bus but were never
    // written by it: a survivor writes them for it once its heartbeat is stale.
    common::within(
        Duration::from_secs(30),
        "a survivor adopts the dead node's updates",
        || async {
            let mut adopted = 0.0;
            for node in nodes.iter().flatten() {
                adopted += node.metric("parcours_bus_adopted_total").await;
            }
            if adopted > 0.0 {
                Ok(())
            } else {
                Err("nothing adopted yet")
            }
        },
    )
    .await;
    // Written: the surviving nodes stop cleanly; a node started alone reads them all.
    for c in clients.iter().flatten() {
        c.close();
    }
    for node in nodes.iter_mut() {
        if let Some(node) = node.take() {
            node.terminate();
        }
    }
    let mut args = vec!["--cluster", "--node-name", "after"];
    args.extend_from_slice(extra);
    let alone =
        ProcessServer::start_at_with_args(db, common::free_port(), "warn", Stdio::inherit(), &args)
            .await;
    let reader = YClient::connect(&format!(
        "ws://{}/sync/{map}?token={}",
        alone.addr, alone.token
    ))
    .await
    .expect("reader");
    reader.wait_synced(WAIT).await.expect("synced");
    let keys = reader.doc().get_or_insert_map("keys");
    assert_eq!(
        keys.len(&reader.doc().transact()) as usize,
        want,
        "every edit of every client is stored"
    );
}

/// A Redis server of the test's own (never the machine's shared one) on a free port.
/// It keeps nothing on disk: stopped and started again, it comes back empty, as a
/// Redis restarted without persistence does.
struct OwnRedis {
    port: u16,
    child: Option<std::process::Child>,
    dir: tempfile::TempDir,
}

impl OwnRedis {
    async fn start() -> OwnRedis {
        let mut redis = OwnRedis {
            port: common::free_port(),
            child: None,
            dir: tempfile::tempdir().expect("dir"),
        };
        redis.up().await;
        redis
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    async fn up(&mut self) {
        let port = self.port.to_string();
        let child = std::process::Command::new("redis-server")
            .args(["--port", &port, "--bind", "127.0.0.1", "--save", ""])
            .args(["--appendonly", "no", "--dir"])
            .arg(self.dir.path())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("redis-server (Debian package redis-server; scripts/test.sh installs it)");
        self.child = Some(child);
        let url = self.url();
        common::within(WAIT, "redis-server answers", || {
            let url = url.clone();
            async move {
                let client = redis::Client::open(url).map_err(|e| e.to_string())?;
                let mut con = client
                    .get_multiplexed_async_connection()
                    .await
                    .map_err(|e| e.to_string())?;
                redis::cmd("PING")
                    .query_async::<String>(&mut con)
                    .await
                    .map_err(|e| e.to_string())
            }
        })
        .await;
    }

    fn down(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    async fn connection(&self) -> redis::aio::MultiplexedConnection {
        redis::Client::open(self.url())
            .expect("url")
            .get_multiplexed_async_connection()
            .await
            .expect("redis")
    }

    /// Cuts every client's connection.
    async fn kill_clients(&self) {
        let mut con = self.connection().await;
        redis::cmd("CLIENT")
            .arg("KILL")
            .arg("TYPE")
            .arg("normal")
            .query_async::<i64>(&mut con)
            .await
            .expect("CLIENT KILL");
    }

    /// Whether an entry of `key`'s stream holds `needle`.
    async fn stream_holds(&self, key: &str, needle: &[u8]) -> bool {
        let mut con = self.connection().await;
        let reply: redis::streams::StreamRangeReply = redis::cmd("XRANGE")
            .arg(key)
            .arg("-")
            .arg("+")
            .query_async(&mut con)
            .await
            .expect("XRANGE");
        reply.ids.iter().any(|e| {
            e.map.values().any(|v| match v {
                redis::Value::BulkString(b) => b.windows(needle.len()).any(|w| w == needle),
                _ => false,
            })
        })
    }

    /// Entries in `key`'s stream now.
    async fn stream_len(&self, key: &str) -> u64 {
        let mut con = self.connection().await;
        redis::cmd("XLEN")
            .arg(key)
            .query_async(&mut con)
            .await
            .expect("XLEN")
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.down();
    }
}

/// A node of a cluster on `db` whose maps' bus is `redis`.
fn redis_node(db: &TestDb, redis: &OwnRedis, name: &str) -> ServeConfig {
    let mut config = node_config(db, name);
    config.redis_url = Some(redis.url());
    config
}

/// With `--redis-url`, maps' updates and presence cross nodes on Redis streams (and
/// not through PostgreSQL); Redis restarting empty while clients edit loses nothing:
/// the nodes read again, publish their whole documents, and converge.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_redis_streams_nodes_converge_and_a_redis_restart_loses_nothing() {
    let Some(db) = postgres().await else { return };
    let mut redis = OwnRedis::start().await;
    let n1 = TestServer::start(redis_node(&db, &redis, "r1")).await;
    let n2 = TestServer::start(redis_node(&db, &redis, "r2")).await;
    let n3 = TestServer::start(redis_node(&db, &redis, "r3")).await;
    let map = n1.create_map("On Redis").await.id.0;
    let a = n1.client(&map).await;
    let b = n2.client(&map).await;
    let c = n3.client(&map).await;
    let lane = client_view(&a).lanes[0].id.clone();
    edit(&a, |m| m.add_stage("s1", "Discover", At::End)).expect("a");
    edit(&b, |m| m.add_stage("s2", "Choose", At::End)).expect("b");
    edit(&c, |m| m.add_stage("s3", "Buy", At::End)).expect("c");
    let mut cards = 0;
    let mut add_cards = |round: &str| {
        for (client, stage) in [(&a, "s1"), (&b, "s2"), (&c, "s3")] {
            edit(client, |m| {
                m.add_card(&format!("{round}-{stage}"), stage, &lane, At::End, round)
            })
            .expect("edit");
            cards += 1;
        }
    };
    add_cards("before");
    let v = converged(&[&a, &b, &c]).await;
    assert_eq!((v.stages.len(), v.cards.len()), (3, 3));
    a.set_awareness(Some(r#"{"user":{"name":"Ana"},"selected":"on-redis"}"#))
        .expect("presence");
    eventually("c on r3 sees a's presence from r1", || async {
        c.awareness_states()
            .values()
            .any(|s| s.contains("on-redis"))
    })
    .await;
    // The map's messages went through its Redis stream, none through PostgreSQL.
    assert!(redis.stream_len(&format!("parcours:bus:{map}")).await > 0);
    assert_eq!(
        db.count("select count(*) from bus_messages where map_id not like '~%'")
            .await,
        0,
        "no map message in PostgreSQL"
    );

    // Redis goes away while everyone edits, and comes back empty.
    redis.down();
    add_cards("during");
    tokio::time::sleep(Duration::from_millis(700)).await;
    add_cards("while");
    redis.up().await;
    add_cards("after");
    let v = converged(&[&a, &b, &c]).await;
    assert_eq!(v.cards.len(), cards, "every edit of every node, once");
    for node in [&n1, &n2, &n3] {
        assert_eq!(node.view(&map).await, v);
    }
    let reconnects = common::metric(&n1.metrics().await, "parcours_bus_reconnects_total");
    assert!(
        reconnects.unwrap_or(0.0) >= 1.0,
        "r1 saw Redis go: {reconnects:?}"
    );

    for client in [&a, &b, &c] {
        client.close();
    }
    n1.stop().await;
    n2.stop().await;
    n3.stop().await;
    let alone = TestServer::start(redis_node(&db, &redis, "r4")).await;
    assert_eq!(alone.view(&map).await, v, "nothing lost");
    alone.stop().await;
}

/// Peers on two nodes editing one map: one node makes the automatic versions (the
/// other leaves them to it), so each pause makes one version with both nodes' edits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_on_two_nodes_makes_one_automatic_version_per_pause_with_every_edit() {
    use parcours_shared::api::VersionList;
    let Some(db) = postgres().await else { return };
    let config = |name: &str| {
        let mut c = node_config(&db, name);
        c.version_idle_secs = 1;
        c
    };
    let n1 = TestServer::start(config("v1")).await;
    let n2 = TestServer::start(config("v2")).await;
    let map = n1.create_map("Versioned twice?").await.id.0;
    let versions = format!("/api/maps/{map}/versions");
    let a = n1.client(&map).await;
    let b = n2.client(&map).await;
    for round in 0..2 {
        edit(&a, |m| {
            m.add_stage(&format!("a{round}"), "From v1", At::End)
        })
        .expect("a");
        edit(&b, |m| {
            m.add_stage(&format!("b{round}"), "From v2", At::End)
        })
        .expect("b");
        let v = converged(&[&a, &b]).await;
        assert_eq!(v.stages.len(), 2 * (round + 1));
        eventually("an automatic version after the pause", || async {
            let list: VersionList = common::get(&n1, &n1.token, &versions).await;
            list.versions.len() > round
        })
        .await;
        // Both nodes' pauses have passed: still one version for this pause.
        tokio::time::sleep(Duration::from_millis(2_500)).await;
        let list: VersionList = common::get(&n2, &n2.token, &versions).await;
        assert_eq!(
            list.versions.len(),
            round + 1,
            "one version per pause: {:?}",
            list.versions
        );
        assert_eq!(list.versions[0].kind, "auto");
        assert_eq!(list.versions[0].summary, "2 stages added");
    }
}

/// The bus away long enough for a room's publishing queue to fill: what no longer
/// fits is dropped and counted, and once the bus is back the room publishes its whole
/// document, so the other node gets every edit all the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_redis_streams_messages_dropped_while_the_bus_was_away_are_caught_up() {
    use yrs::{Map, Transact};
    let Some(db) = postgres().await else { return };
    let mut redis = OwnRedis::start().await;
    let n1 = TestServer::start(redis_node(&db, &redis, "q1")).await;
    let n2 = TestServer::start(redis_node(&db, &redis, "q2")).await;
    let map = n1.create_map("Full queue").await.id.0;
    let a = n1.client(&map).await;
    let b = n2.client(&map).await;
    edit(&a, |m| m.add_stage("s1", "Shared", At::End)).expect("edit");
    converged(&[&a, &b]).await;

    redis.down();
    // More updates than one publisher queues (16 384), one transaction each.
    let edits = 20_000u32;
    let keys = a.doc().get_or_insert_map("keys");
    for i in 0..edits {
        let mut txn = a.doc().transact_mut();
        keys.insert(&mut txn, format!("k{i}"), i as f64);
    }
    common::within(WAIT, "n1 drops what no longer fits", || async {
        let dropped = common::metric(&n1.metrics().await, "parcours_bus_dropped_total");
        if dropped.unwrap_or(0.0) > 0.0 {
            Ok(())
        } else {
            Err(format!("dropped: {dropped:?}"))
        }
    })
    .await;
    redis.up().await;
    assert!(
        b.wait_until(Duration::from_secs(60), |d| {
            d.get_or_insert_map("keys").len(&d.transact()) == edits
        })
        .await,
        "the other node's client has every edit"
    );
    assert_eq!(converged(&[&a, &b]).await, n2.view(&map).await);
}

/// Redis restarting empty loses what a node had not read yet: every node that sees
/// Redis come back publishes its shared maps' whole documents, so the edits reach the
/// node all the same. Here the reading node is stopped (SIGSTOP) while the other
/// publishes, Redis restarts, then the node goes on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_redis_streams_what_redis_lost_before_a_node_read_it_is_sent_again() {
    use common::ProcessServer;
    use parcours_bench::YClient;
    use std::process::Stdio;
    use yrs::{Map, Transact};

    let Some(db) = postgres().await else { return };
    let mut redis = OwnRedis::start().await;
    let url = redis.url();
    let mut nodes = Vec::new();
    for name in ["l1", "l2"] {
        let args = ["--cluster", "--node-name", name, "--redis-url", &url];
        nodes.push(
            ProcessServer::start_at_with_args(
                &db,
                common::free_port(),
                "warn",
                Stdio::inherit(),
                &args,
            )
            .await,
        );
    }
    let map = nodes[0].create_map("Lost by Redis").await.id.0;
    let token = nodes[0].token.clone();
    let mut clients = Vec::new();
    for node in &nodes {
        let c = YClient::connect(&format!("ws://{}/sync/{map}?token={token}", node.addr))
            .await
            .expect("connect");
        c.wait_synced(WAIT).await.expect("synced");
        clients.push(c);
    }
    let (a, b) = (&clients[0], &clients[1]);
    let has = |key: &'static str| {
        move |d: &yrs::Doc| {
            d.get_or_insert_map("keys")
                .get(&d.transact(), key)
                .is_some()
        }
    };
    let write = |key: &str| {
        let m = a.doc().get_or_insert_map("keys");
        let mut txn = a.doc().transact_mut();
        m.insert(&mut txn, key, 1.0);
    };
    write("before");
    assert!(
        b.wait_until(WAIT, has("before")).await,
        "shared through Redis"
    );

    let signal = |sig: &str| {
        let status = std::process::Command::new("kill")
            .args([sig, &nodes[1].pid().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    };
    signal("-STOP");
    // Every connection is cut (so nothing is on its way to l2 either); l1 publishes
    // the edit on a new one, and Redis restarts empty before l2 could read it.
    let published = nodes[0].metric("parcours_bus_published_total").await;
    redis.kill_clients().await;
    // A connection cut is not a restart: nothing was lost, nothing is sent again.
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    assert_eq!(
        nodes[0].metric("parcours_bus_published_total").await,
        published,
        "no whole document sent again after a mere reconnection"
    );
    write("lost");
    let stream = format!("parcours:bus:{map}");
    common::within(WAIT, "l1 publishes the edit", || async {
        match redis.stream_holds(&stream, b"lost").await {
            false => Err("not yet"),
            true => Ok(()),
        }
    })
    .await;
    redis.down();
    redis.up().await;
    signal("-CONT");
    assert!(
        b.wait_until(Duration::from_secs(15), has("lost")).await,
        "the edit Redis lost reaches the other node"
    );
}

/// A node killed while alone with a map (so it published nothing) and before it wrote
/// its last edits: its client reconnects to another node with its document, as
/// y-websocket does, and that node stores what it brings.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_killed_alone_with_a_map_loses_nothing_its_client_brings_the_edits_back() {
    use common::ProcessServer;
    use parcours_bench::YClient;
    use std::process::Stdio;
    use yrs::{Map, Transact};

    let Some(db) = postgres().await else { return };
    let start = |name: &'static str, extra: &'static [&'static str]| {
        let db = &db;
        async move {
            let mut args = vec!["--cluster", "--node-name", name];
            args.extend_from_slice(extra);
            ProcessServer::start_at_with_args(
                db,
                common::free_port(),
                "warn",
                Stdio::inherit(),
                &args,
            )
            .await
        }
    };
    // The first node writes every 100 ms (the longest allowed), and is killed within
    // a few milliseconds of applying the edits: most runs, before writing them.
    let alone = start("alone", &["--flush-interval-ms", "100"]).await;
    let other = start("other", &[]).await;
    let map = alone.create_map("Alone when killed").await.id.0;
    let token = alone.token.clone();
    let url = |node: &ProcessServer| format!("ws://{}/sync/{map}?token={token}", node.addr);
    let c = YClient::connect(&url(&alone)).await.expect("connect");
    c.wait_synced(WAIT).await.expect("synced");
    let keys = c.doc().get_or_insert_map("keys");
    for i in 0..20 {
        let mut txn = c.doc().transact_mut();
        keys.insert(&mut txn, format!("k{i}"), i as f64);
    }
    // Applied on the node (a second client there sees them), then the node dies at once.
    let watcher = YClient::connect(&url(&alone)).await.expect("watcher");
    assert!(
        watcher
            .wait_until(WAIT, |d| d.get_or_insert_map("keys").len(&d.transact())
                == 20)
            .await
    );
    let published = alone.metric("parcours_bus_published_total").await;
    assert_eq!(published, 0.0, "alone with the map: nothing on the bus");
    alone.kill();

    let again = YClient::connect_with(&url(&other), c.doc().clone())
        .await
        .expect("reconnect");
    again.wait_synced(WAIT).await.expect("synced");
    let reader = YClient::connect(&url(&other)).await.expect("reader");
    assert!(
        reader
            .wait_until(WAIT, |d| d.get_or_insert_map("keys").len(&d.transact())
                == 20)
            .await,
        "the surviving node has every edit the client made"
    );
    again.close();
    reader.close();
    other.terminate();
    let after = start("after", &[]).await;
    let check = YClient::connect(&url(&after)).await.expect("check");
    check.wait_synced(WAIT).await.expect("synced");
    assert_eq!(
        check
            .doc()
            .get_or_insert_map("keys")
            .len(&check.doc().transact()),
        20,
        "stored"
    );
}
