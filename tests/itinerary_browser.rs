//! Non-linear journeys in a real browser: tests/browser/itinerary.mjs drives Debian's
//! headless Chromium (through playwright-core) against the real server serving
//! client/dist, with an owner and an editor in two browser contexts.
//!
//! On an omnichannel map (retail template): channel chips, the legend and the switch
//! row; the owner draws a switch between two touchpoints and the editor's page shows
//! it; the owner removes a stage while the editor, cut off from the server for a
//! moment, adds a card to it — the card lands in the orphan tray on both pages and is
//! put back; an emotion point is moved and cleared with the keyboard; personas are
//! reordered. On a personalized map (university template): picking a path highlights
//! exactly its cards (the list the server's view gives); paths are created, renamed,
//! reordered, given a card and deleted, the card going back to every path, each seen
//! live on the other page. Screenshots of the three itinerary kinds in
//! artifacts/itinerary/ (copied to docs/screenshots/). Afterwards the server's view
//! says the switch, the re-placed card and the scores are stored.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::web::{run_scenario, web_server};
use parcours_shared::schema::EmotionSeries;

/// The script has its own overall limit; this one only catches a hung `node`.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(240);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switches_paths_orphans_and_the_keyboard_curve_work_across_two_pages() {
    let (_db, server) = web_server().await;
    let retail = server
        .create_from_template(
            "Omnichannel retail (browser test)",
            "b2c_omnichannel_retail",
        )
        .await
        .id
        .to_string();
    let university = server
        .create_from_template("Admissions (browser test)", "university_admissions")
        .await
        .id
        .to_string();
    let linear = server
        .create_from_template("B2B SaaS (browser test)", "b2b_saas")
        .await
        .id
        .to_string();
    let editor = server.user("edith.editor@example.com").await;
    for map in [&retail, &university, &linear] {
        server
            .add_member(map, "edith.editor@example.com", "editor")
            .await;
    }
    let retail_view = server.view(&retail).await;
    let uni = server.view(&university).await;
    // Which cards each path takes, as the server reads the document.
    let on_path: BTreeMap<String, Vec<String>> = uni
        .paths
        .iter()
        .map(|p| {
            let cards = uni
                .cards
                .iter()
                .filter(|c| c.on_path(&p.id))
                .map(|c| c.id.clone())
                .collect();
            (p.id.clone(), cards)
        })
        .collect();
    let common = uni
        .cards
        .iter()
        .find(|c| c.paths.is_empty())
        .expect("a card on every path")
        .id
        .clone();
    let scenario = serde_json::json!({
        "retail": retail,
        "university": university,
        "linear": linear,
        "owner": server.token,
        "editor": editor,
        "retailSwitches": retail_view.switches.len(),
        "onPath": on_path,
        "allCards": uni.cards.iter().map(|c| c.id.clone()).collect::<Vec<_>>(),
        "commonCard": common,
        "personas": uni.personas.len(),
    });
    let out = run_scenario(
        &server,
        "itinerary.mjs",
        "itinerary",
        Some(&scenario),
        SCRIPT_TIMEOUT,
    )
    .await;

    // The server stored what the pages did.
    let after = server.view(&retail).await;
    let drawn: Vec<(&str, &str)> = out
        .lines()
        .filter_map(|l| l.strip_prefix("SWITCH "))
        .filter_map(|l| l.split_once(" -> "))
        .collect();
    assert_eq!(drawn.len(), 1, "the script draws one switch:\n{out}");
    assert!(
        after.switches.iter().any(
            |s| (s.from.as_str(), s.to.as_str()) == drawn[0] && s.note == "continues in branch"
        ),
        "{:?}",
        after.switches
    );
    // The last stage was removed, and with its cards the switches ending there.
    let removed = &retail_view.stages.last().expect("stages").id;
    let in_removed = |card: &str| {
        retail_view
            .cards
            .iter()
            .any(|c| c.id == card && &c.stage == removed)
    };
    let kept = retail_view
        .switches
        .iter()
        .filter(|s| !in_removed(&s.from) && !in_removed(&s.to))
        .count();
    assert!(
        kept < retail_view.switches.len(),
        "a switch ended in the last stage"
    );
    assert_eq!(after.switches.len(), kept + 1);
    assert!(after.orphan_cards.is_empty(), "the orphan was put back");
    let placed = out
        .lines()
        .find_map(|l| l.strip_prefix("PLACED "))
        .expect("the script says where it put the orphan");
    let (card, cell) = placed
        .split_once(" in ")
        .expect("PLACED card in stage/lane");
    let (stage, lane) = cell.split_once('/').expect("stage/lane");
    assert!(
        after
            .cards
            .iter()
            .any(|c| c.id == card && c.stage == stage && c.lane == lane),
        "{placed}"
    );
    assert_eq!(after.stages.len(), retail_view.stages.len() - 1);
    let cleared = out
        .lines()
        .find_map(|l| l.strip_prefix("CLEARED "))
        .and_then(|l| l.split_once('/'))
        .expect("the script says which score it cleared");
    let index = after
        .stages
        .iter()
        .position(|s| s.id == cleared.1)
        .expect("stage");
    let curve = after
        .emotions
        .iter()
        .find(|c| c.persona == cleared.0 && c.series == EmotionSeries::AsIs)
        .expect("curve");
    assert_eq!(curve.scores[index], None, "the cleared score is gone");
    let uni_after = server.view(&university).await;
    assert_eq!(
        uni_after.paths, uni.paths,
        "the path made by the test is gone"
    );
    assert!(uni_after
        .cards
        .iter()
        .all(|c| c.paths == uni.cards.iter().find(|x| x.id == c.id).unwrap().paths));
    server.stop().await;
}
