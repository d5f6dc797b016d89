//! Cross-check with pm4py (PyPI, installed by scripts/test.sh): on a generated log, the
//! count of every variant and of every directly-follows pair equals pm4py's.

use std::collections::BTreeMap;
use std::path::PathBuf;

use parcours_shared::api::{Dataset, ProcessGraph};
use serde_json::Value;

use crate::common::{get, TestDb, TestServer};
use crate::upload;

async fn variants_and_directly_follows_equal_pm4pys(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("pm4py").await.id.0;
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("bank.csv");
    let events = parcours_bench::eventlog::generate(5_000, 11);
    let mut csv = Vec::new();
    parcours_bench::eventlog::write_csv(&mut csv, &events).expect("csv");
    std::fs::write(&file, &csv).expect("write");
    let (status, body) = upload(
        &s,
        &s.token,
        &map,
        csv,
        "case_id=case_id&activity=activity&timestamp=timestamp&channel=channel&segment=segment&value=value",
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let d: Dataset = serde_json::from_value(body).expect("dataset");
    let ours: ProcessGraph = get(
        &s,
        &s.token,
        &format!("/api/maps/{map}/datasets/{}/process", d.id),
    )
    .await;

    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/evidence/pm4py_check.py");
    let out = tokio::process::Command::new("python3")
        .arg(script)
        .arg(&file)
        .output()
        .await
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "pm4py failed (scripts/test.sh installs it): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
    let their_variants: BTreeMap<Vec<String>, u64> = theirs["variants"]
        .as_array()
        .expect("variants")
        .iter()
        .map(|v| {
            let acts = v[0]
                .as_array()
                .expect("activities")
                .iter()
                .map(|a| a.as_str().unwrap_or_default().to_owned())
                .collect();
            (acts, v[1].as_u64().expect("count"))
        })
        .collect();
    let our_variants: BTreeMap<Vec<String>, u64> = ours
        .variants
        .iter()
        .map(|v| (v.activities.clone(), v.cases))
        .collect();
    assert!(
        our_variants.len() > 50,
        "a varied log ({} variants)",
        our_variants.len()
    );
    assert_eq!(our_variants, their_variants, "every variant's count");
    let their_dfg: BTreeMap<(String, String), u64> = theirs["dfg"]
        .as_array()
        .expect("dfg")
        .iter()
        .map(|e| {
            (
                (
                    e[0].as_str().unwrap_or_default().to_owned(),
                    e[1].as_str().unwrap_or_default().to_owned(),
                ),
                e[2].as_u64().expect("count"),
            )
        })
        .collect();
    let our_dfg: BTreeMap<(String, String), u64> = ours
        .directly_follows
        .iter()
        .map(|(a, b, n)| ((a.clone(), b.clone()), *n))
        .collect();
    assert_eq!(our_dfg, their_dfg, "every directly-follows pair's count");
    s.stop().await;
}
both_backends!(variants_and_directly_follows_equal_pm4pys);
