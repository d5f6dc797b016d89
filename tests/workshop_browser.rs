//! Workshop-ready first run and accessibility in a real browser: tests/browser/workshop.mjs
//! drives Debian's headless Chromium (through playwright-core) against the real server
//! serving client/dist, on a 1280 × 800 laptop screen.
//!
//! The sign-in page logs no console error at all; the sign-in page, the maps home, an
//! empty board, the board with comments open, the share dialog and the shortcuts sheet
//! pass an axe-core audit with no violation. A map created on the maps home opens at
//! once and, empty, offers the method or a template; the template fills it in place.
//! On the laptop the comments panel starts collapsed so that four stages are in view.
//! `?` opens the shortcuts sheet, except while typing. The server's copy of the map is
//! checked afterwards: the template's content, under the title the owner gave, and the
//! head names its itinerary kind at once. In French, every page (maps home, boards,
//! comments, method, history, evidence, export menu, share dialog, account, an
//! invitation, the inbox with a mention, the evidence panel with an imported event log
//! and its friction sentences) shows no text or label its English twin shows, but
//! people's own words.
//! Screenshots: artifacts/workshop/ (and docs/board-en.png, docs/board-fr.png with
//! `PARCOURS_DOC_SCREENSHOTS=1`).

mod common;

use std::time::Duration;

use common::web::{run_scenario, web_server};
use parcours_shared::api::MapList;
use parcours_shared::ItineraryKind;

/// The script has its own overall limit; this one only catches a hung `node`.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(150);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_map_starts_from_a_template_and_every_page_passes_axe() {
    let (_db, server) = web_server().await;
    // Something in the owner's inbox for the French pages to word: Ana mentions them
    // on a map of their own.
    let inbox_map = server.create_map("Workshop map (inbox)").await.id.0;
    let ana = server.user("ana@example.com").await;
    server
        .add_member(&inbox_map, "ana@example.com", "commenter")
        .await;
    let (status, thread) = common::post(
        &server,
        &ana,
        &format!("/api/maps/{inbox_map}/threads"),
        serde_json::json!({"anchor": {"kind": "map", "id": null},
                           "body": "@owner the workshop figures are in"}),
    )
    .await;
    assert_eq!(status, 201, "{thread}");
    let scenario = serde_json::json!({ "owner": server.token });
    run_scenario(
        &server,
        "workshop.mjs",
        "workshop",
        Some(&scenario),
        SCRIPT_TIMEOUT,
    )
    .await;

    let list: MapList = common::get(&server, &server.token, "/api/maps").await;
    let map = list
        .maps
        .iter()
        .find(|m| m.title == "Workshop map (first run)")
        .expect("the map made in the browser is listed");
    let view = server.view(map.id.as_str()).await;
    assert_eq!(
        view.meta.itinerary,
        ItineraryKind::Omnichannel,
        "the retail bank's"
    );
    assert_eq!(view.stages.len(), 5);
    assert!(
        view.cards.len() > 20,
        "the template's cards: {}",
        view.cards.len()
    );
    assert!(
        view.cards.iter().any(|c| c.text.ends_with(" ?")),
        "the `?` typed into a card is text, saved like any other"
    );
    server.stop().await;
}
