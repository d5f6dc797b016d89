//! Evidence in a real browser: tests/browser/evidence.mjs drives Debian's headless
//! Chromium (through playwright-core) against the real server serving client/dist.
//!
//! A map from the retail-bank template has an editor and a viewer. The repo's
//! generator writes a seeded multi-channel retail-bank event log (bench/src/eventlog.rs).
//! Both open the map with Evidence on. The editor imports the log through the UI (file
//! picked, preview, columns confirmed), watches the progress bar fed by the map's event
//! stream, sees the log ready; maps two activities to stages in the mapping table and
//! saves. The metrics row under the stage heads and the friction list show what the
//! REST analysis says (read by the script, never hard-coded); the viewer's page, never
//! reloaded, shows the new figures live and offers no import or mapping controls.
//! Afterwards the server is asked whether the import and the mapping are stored.
//! Screenshots: artifacts/evidence/.

mod common;

use std::time::Duration;

use common::web::{run_scenario, web_server};
use parcours_bench::eventlog::{self, STAGES};
use parcours_shared::api::{Dataset, DatasetList};

/// The script has its own overall limit; this one only catches a hung `node`.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(240);
/// Customers in the generated log: about nine events each, so well over the 100 000
/// rows between two progress reports of an import (the bar moves before the end).
const CASES: usize = 25_000;
/// The generator's seed.
const SEED: u64 = 13;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_imports_and_maps_a_log_and_a_viewer_sees_the_results_live() {
    let (_db, server) = web_server().await;

    let summary = server
        .create_from_template("Retail bank evidence (browser test)", "retail_bank")
        .await;
    let map = summary.id.to_string();
    let view = server.view(&map).await;
    assert_eq!(
        view.stages.len(),
        STAGES.len(),
        "the template has the generator's stages"
    );

    let editor = server.user("erin.editor@example.com").await;
    server
        .add_member(&map, "erin.editor@example.com", "editor")
        .await;
    let viewer = server.user("vera.viewer@example.com").await;
    server
        .add_member(&map, "vera.viewer@example.com", "viewer")
        .await;

    // The log, written where the browser can pick it.
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("retail-bank.csv");
    let events = eventlog::generate(CASES, SEED);
    let mut csv = Vec::new();
    let rows = eventlog::write_csv(&mut csv, &events).expect("csv");
    std::fs::write(&file, &csv).expect("write the log");

    // Where each generated activity belongs: the stage of the same rank on the map.
    let truth: serde_json::Map<String, serde_json::Value> = STAGES
        .iter()
        .zip(&view.stages)
        .flat_map(|((_, activities), stage)| {
            activities
                .iter()
                .map(move |(activity, _)| ((*activity).to_owned(), stage.id.clone().into()))
        })
        .collect();

    let scenario = serde_json::json!({
        "map": map,
        "editor": editor,
        "viewer": viewer,
        "file": file.to_string_lossy(),
        "rows": rows,
        "bytes": csv.len(),
        "truth": truth,
        "stages": view.stages.iter().map(|s| s.id.clone()).collect::<Vec<_>>(),
    });
    let out = run_scenario(
        &server,
        "evidence.mjs",
        "evidence",
        Some(&scenario),
        SCRIPT_TIMEOUT,
    )
    .await;

    // The server agrees: one log with every row, and the two activities the script
    // mapped (it prints them) are stored on the stages it chose.
    let res = server
        .http
        .get(server.url(&format!("/api/maps/{map}/datasets")))
        .send()
        .await
        .expect("datasets");
    assert_eq!(res.status(), 200);
    let list: DatasetList = res.json().await.expect("json");
    assert_eq!(list.datasets.len(), 1, "one log imported");
    let d: &Dataset = &list.datasets[0];
    assert_eq!((d.status.as_str(), d.rows, d.bad_rows), ("ready", rows, 0));
    let mapped: Vec<(&str, &str)> = out
        .lines()
        .filter_map(|l| l.strip_prefix("MAPPED "))
        .filter_map(|l| l.split_once(" -> "))
        .collect();
    assert_eq!(mapped.len(), 2, "the script maps two activities:\n{out}");
    for (activity, stage) in mapped {
        let info = d
            .activities
            .iter()
            .find(|a| a.name == activity)
            .unwrap_or_else(|| panic!("{activity} is in the log"));
        assert_eq!(info.stage.as_deref(), Some(stage), "{activity}");
    }
    server.stop().await;
}
