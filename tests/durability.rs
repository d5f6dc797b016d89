//! Edits survive restarts (graceful and SIGKILL) on SQLite and PostgreSQL, and log
//! compaction keeps the content while bounding the log.

mod common;

use std::time::Duration;

use common::{client_view, converged, edit, ProcessServer, TestDb, TestServer, WAIT};
use parcours_bench::YClient;
use parcours_shared::schema::{At, TextTarget};

/// Graceful stop then start on the same database: everything is there.
async fn edits_survive_a_restart(db: TestDb) {
    let server = TestServer::start(db.config()).await;
    let map = server.create_map("Restart").await.id.0;
    let a = server.client(&map).await;
    let b = server.client(&map).await;
    let lane = client_view(&a).lanes[0].id.clone();
    edit(&a, |m| m.add_stage("s1", "Awareness", At::End)).expect("stage");
    edit(&b, |m| m.add_stage("s2", "Purchase", At::End)).expect("stage");
    edit(&a, |m| {
        m.add_card("c1", "s1", &lane, At::End, "Searches for a bank")
    })
    .expect("card");
    edit(&b, |m| m.set_objective("Cut onboarding drop-off"));
    let before = converged(&[&a, &b]).await;
    // Stop right away: the last edits are still in the unwritten window.
    server.stop().await;
    assert!(
        a.wait_closed(WAIT).await.is_some(),
        "shutdown closes sockets"
    );

    let server = TestServer::start(db.config()).await;
    let late = server.client(&map).await;
    assert_eq!(client_view(&late), before);
    assert_eq!(server.view(&map).await, before);
    server.stop().await;
}
both_backends!(edits_survive_a_restart);

/// SIGKILL the server process: every edit it received 200 ms or more before the kill
/// is still there after a restart (the unwritten window is 50 ms by default).
async fn edits_survive_sigkill(db: TestDb) {
    let server = ProcessServer::start(&db).await;
    let map = server.create_map("Crash").await.id.0;
    let a = YClient::connect(&server.sync_url(&map))
        .await
        .expect("connect");
    a.wait_synced(WAIT).await.expect("sync");
    // A stream of edits; an observer confirms each one reached the server (fanned out).
    let b = YClient::connect(&server.sync_url(&map))
        .await
        .expect("connect");
    b.wait_synced(WAIT).await.expect("sync");
    for i in 0..60 {
        edit(&a, |m| {
            m.add_stage(&format!("s{i}"), &format!("Stage {i}"), At::End)
        })
        .expect("stage");
        edit(&a, |m| {
            m.insert_text(TextTarget::Objective, 0, &format!("<{i}>"))
        })
        .expect("type");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(
        b.wait_until(WAIT, |d| parcours_shared::view::read_view(d).stages.len()
            == 60)
            .await
    );
    let received = client_view(&b);
    tokio::time::sleep(Duration::from_millis(200)).await;
    server.kill();

    let server = ProcessServer::start(&db).await;
    let late = YClient::connect(&server.sync_url(&map))
        .await
        .expect("connect");
    late.wait_synced(WAIT).await.expect("sync");
    assert_eq!(
        client_view(&late),
        received,
        "nothing received 200 ms before SIGKILL was lost"
    );
    server.terminate();
}
both_backends!(edits_survive_sigkill);

/// With compaction every 5 log rows, a long editing session leaves a short tail to
/// replay on load and the same content after reload; the log itself is kept (it is
/// the history).
async fn compaction_bounds_what_loading_replays_and_keeps_content(db: TestDb) {
    let mut config = db.config();
    config.compact_every = 5;
    config.flush_interval_ms = 5;
    let server = TestServer::start(config.clone()).await;
    let map = server.create_map("Compaction").await.id.0;
    let a = server.client(&map).await;
    for i in 0..120 {
        edit(&a, |m| {
            m.insert_text(TextTarget::Objective, 0, &format!("{i},"))
        })
        .expect("type");
        tokio::time::sleep(Duration::from_millis(8)).await;
    }
    let expected = {
        let b = server.client(&map).await;
        converged(&[&a, &b]).await
    };
    server.stop().await;
    let store = db.store().await;
    let id = parcours_shared::MapId(map.clone());
    let rows = store.log_len(&id).await.expect("log len");
    let stored = store.load_doc(&id).await.expect("load").expect("exists");
    assert!(stored.snapshot.is_some());
    assert!(
        stored.updates.len() < 5,
        "loading replays only the rows after the snapshot ({} of {rows})",
        stored.updates.len()
    );
    assert!(
        rows >= 10,
        "the log keeps every batch as history ({rows} rows)"
    );
    let server = TestServer::start(config).await;
    let c = server.client(&map).await;
    assert_eq!(client_view(&c), expected);
    server.stop().await;
}
both_backends!(compaction_bounds_what_loading_replays_and_keeps_content);
