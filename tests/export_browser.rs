//! Exports and imports in a real browser: tests/browser/export.mjs drives Debian's
//! headless Chromium (through playwright-core) against the real server serving
//! client/dist. A retail-bank map (owned by the default account, a viewer added over
//! REST, a version named before its first stage is renamed) is downloaded in every
//! format from the Export menu, by the owner and by the viewer, and as the named
//! version; the JSON file is imported from the maps home (preview, progress) and opens
//! as a new map; a spreadsheet with a wrong channel is refused with its place named.
//! The server then confirms the imported map equals the original but for its ids.
//! Screenshots and downloads: artifacts/browser/export/.

mod common;

use std::time::Duration;

use common::web::{run_scenario, web_server};

const SCRIPT_TIMEOUT: Duration = Duration::from_secs(150);
const VERSION_NAME: &str = "Before the renaming";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_format_downloads_and_an_export_imports_back() {
    let (_db, server) = web_server().await;
    let summary = server
        .create_from_template("Bank journey (export test)", "retail_bank")
        .await;
    let map = summary.id.to_string();
    let before = server.view(&map).await;
    let res = server
        .http
        .post(server.url(&format!("/api/maps/{map}/versions")))
        .json(&serde_json::json!({"name": VERSION_NAME}))
        .send()
        .await
        .expect("version");
    assert_eq!(res.status(), 201);
    let client = server.client(&map).await;
    let stage = before.stages[0].id.clone();
    common::edit(&client, |txn| txn.rename_stage(&stage, "Renamed since")).expect("rename");
    common::eventually("the rename reached the server", || async {
        server.view(&map).await.stages[0].name == "Renamed since"
    })
    .await;
    drop(client);
    let live = server.view(&map).await;

    let viewer = server.user("vera.viewer@example.com").await;
    server
        .add_member(&map, "vera.viewer@example.com", "viewer")
        .await;
    let scenario = serde_json::json!({
        "map": map,
        "owner": server.token,
        "viewer": viewer,
        "title": live.meta.title,
        "stages": before.stages.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
        "cards": live.cards.len(),
        "versionName": VERSION_NAME,
    });
    let out = run_scenario(
        &server,
        "export.mjs",
        "browser/export",
        Some(&scenario),
        SCRIPT_TIMEOUT,
    )
    .await;
    let imported = out
        .lines()
        .find_map(|l| l.strip_prefix("IMPORTED "))
        .expect("the script reports the imported map")
        .trim()
        .to_owned();
    assert_ne!(imported, map);
    let copy = server.view(&imported).await;
    let names = |v: &parcours_shared::view::MapView| {
        (
            v.stages.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
            v.cards.iter().map(|c| c.text.clone()).collect::<Vec<_>>(),
            v.personas.len(),
            v.emotions.clone().len(),
        )
    };
    assert_eq!(
        names(&copy),
        names(&live),
        "the imported map is the exported one"
    );
}
