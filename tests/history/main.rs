//! Version history on SQLite and PostgreSQL, through the real server and real sync
//! clients: every change blamed on its author (after compaction and restart too), any
//! past moment read back exactly as it was, versions and their diffs, restores as
//! forward changes peers receive live, retention, and who may see and do what.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod access;
mod blame;
mod moments;
mod restore;
mod retention;
mod versions;

use std::time::Duration;

use common::{client_view, eventually, TestDb, TestServer};
use parcours_bench::YClient;
use parcours_server::config::ServeConfig;
use parcours_shared::view::MapView;

/// Test settings: quick writes, a snapshot every 3 rows and a history checkpoint
/// every 4, so a short test crosses several of each.
fn config(db: &TestDb) -> ServeConfig {
    let mut config = db.config();
    config.flush_interval_ms = 5;
    config.compact_every = 3;
    config.checkpoint_every = 4;
    config
}

/// Waits until the server's copy of `map` reads like `client`'s and what it applied
/// is written (the map rebuilt from the stored log as of now reads the same); returns
/// that view.
async fn settled(server: &TestServer, map: &str, client: &YClient) -> MapView {
    let want = client_view(client);
    eventually("the server has the client's edits", || async {
        server.view(map).await == want
    })
    .await;
    // The room flushes every 5 ms; its writer is a moment behind, more on a busy machine.
    eventually("the server has written the client's edits", || async {
        let at = parcours_server::util::now_ms();
        let res = server
            .http
            .get(server.url(&format!("/api/maps/{map}/history/view?at={at}")))
            .send()
            .await
            .expect("history view");
        match res.json::<serde_json::Value>().await {
            Ok(past) => {
                serde_json::from_value::<MapView>(past["view"].clone()).ok() == Some(want.clone())
            }
            Err(_) => false,
        }
    })
    .await;
    want
}

/// Milliseconds since the epoch, then a pause so the next write is strictly later.
async fn mark() -> i64 {
    let at = parcours_server::util::now_ms();
    tokio::time::sleep(Duration::from_millis(5)).await;
    at
}
