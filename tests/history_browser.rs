//! Version history in a real browser: tests/browser/history.mjs drives Debian's headless
//! Chromium (through playwright-core) against the real server serving client/dist.
//!
//! A map from the B2B SaaS template (owned by the default account) is shared with an
//! editor over REST; both open it in separate browser contexts. The owner edits a
//! card, names a version, edits the card again, opens History, views the named version
//! read-only (banner, past text, no edit controls), steps back through the day's
//! changes with the slider, returns to live, compares the version with now (the change
//! listed and marked on the board), opens the card's own history and restores the card
//! as it was after the first edit: the editor's page, never reloaded, shows the
//! restored text live. The owner undoes it, then restores the whole named version and
//! undoes that too, the editor's page following each time. Last, the editor opens the
//! map again and is told how many changes happened since the last visit, shown on the
//! board. Afterwards the server is asked whether it agrees. Screenshots:
//! artifacts/browser/history/.

mod common;

use std::time::Duration;

use common::web::{run_scenario, web_server};
use parcours_shared::api::VersionList;

/// The script has its own overall limit; this one only catches a hung `node`.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(150);

/// The card's text after the owner's first edit (the named version), then the second.
const FIRST_TEXT: &str = "Free trial with a guided setup call";
const SECOND_TEXT: &str = "Self-serve trial, no call";
const VERSION_NAME: &str = "Before the pricing workshop";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_is_viewed_compared_and_restored_live_between_two_people() {
    let (_db, server) = web_server().await;

    let summary = server
        .create_from_template("History (browser test)", "b2b_saas")
        .await;
    let map = summary.id.to_string();
    let view = server.view(&map).await;
    let card = view.cards.first().expect("the template has cards").clone();
    assert!(
        card.text != FIRST_TEXT && card.text != SECOND_TEXT,
        "the template's text differs from both edits"
    );

    let editor = server.user("edith.editor@example.com").await;
    server
        .add_member(&map, "edith.editor@example.com", "editor")
        .await;

    let scenario = serde_json::json!({
        "map": map,
        "card": card.id,
        "owner": server.token,
        "editor": editor,
        "firstText": FIRST_TEXT,
        "secondText": SECOND_TEXT,
        "versionName": VERSION_NAME,
    });
    run_scenario(
        &server,
        "history.mjs",
        "browser/history",
        Some(&scenario),
        SCRIPT_TIMEOUT,
    )
    .await;

    // The server agrees: the card reads as the last undo left it, and the versions
    // hold the named one and one "before a restore" per restore.
    let now = server.view(&map).await;
    let text = now
        .cards
        .iter()
        .find(|c| c.id == card.id)
        .map(|c| c.text.clone());
    assert_eq!(text.as_deref(), Some(SECOND_TEXT));
    let res = server
        .http
        .get(server.url(&format!("/api/maps/{map}/versions")))
        .send()
        .await
        .expect("versions");
    assert_eq!(res.status(), 200);
    let list: VersionList = res.json().await.expect("json");
    let named: Vec<_> = list.versions.iter().filter(|v| v.kind == "named").collect();
    assert_eq!(named.len(), 1, "{:?}", list.versions);
    assert_eq!(named[0].name.as_deref(), Some(VERSION_NAME));
    let restores = list.versions.iter().filter(|v| v.kind == "restore").count();
    assert_eq!(
        restores, 4,
        "two restores and two undos: {:?}",
        list.versions
    );
    server.stop().await;
}
