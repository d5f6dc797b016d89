//! The method in a real browser: tests/browser/method.mjs drives Debian's headless
//! Chromium (through playwright-core) against the real server serving client/dist.
//!
//! A blank linear map has an owner and an editor. The owner opens the map and the
//! Method panel (0 of 6 steps); the editor watches the maps home in a second browser
//! context. The owner completes the method step by step by following the panel's fix
//! links alone (each scrolls to and focuses the control that fixes a failing check):
//! the objective, a persona with goals and pains, two stages, a touchpoint, a pain
//! point, an emotion score and an action at each stage, an opportunity with an owner.
//! After each step the panel's progress and the editor's maps home both move on. Last,
//! the owner closes a review round (over REST, as another page would) and both show
//! 6 of 6 without an edit. The server's maps list agrees at the end. Screenshots:
//! artifacts/method/.

mod common;

use std::time::Duration;

use common::accounts::me;
use common::web::{run_scenario, web_server};
use parcours_shared::api::MapList;
use parcours_shared::method::MethodStep;

/// The script has its own overall limit; this one only catches a hung `node`.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(180);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blank_map_goes_through_the_method_step_by_step() {
    let (_db, server) = web_server().await;
    let map = server.create_map("Checkout (method browser test)").await;
    let editor = server.user("eden.editor@example.com").await;
    server
        .add_member(map.id.as_str(), "eden.editor@example.com", "editor")
        .await;
    let editor_id = me(&server, &editor).await.id;

    let scenario = serde_json::json!({
        "map": map.id.to_string(),
        "owner": server.token,
        "editor": editor,
        "editorId": editor_id,
    });
    run_scenario(
        &server,
        "method.mjs",
        "method",
        Some(&scenario),
        SCRIPT_TIMEOUT,
    )
    .await;

    let list: MapList = common::get(&server, &editor, "/api/maps").await;
    let listed = list
        .maps
        .iter()
        .find(|m| m.id == map.id)
        .expect("the editor lists the map");
    assert_eq!(listed.method_done, MethodStep::ALL, "every step is done");
    server.stop().await;
}
