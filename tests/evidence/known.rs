//! Analyses of a hand-made log whose answers were worked out by hand: loops, repeated
//! activities, a case skipping the first stage, rows out of time order, ties, a step
//! outside the conversion window, an unmapped activity, two segments.

use parcours_shared::api::{Analysis, Dataset, DatasetList};
use serde_json::json;

use crate::common::{get, member, TestDb, TestServer};
use crate::{three_stage_map, upload, COLUMNS};

const H: i64 = 3_600_000;

/// `case,activity,time,channel,segment`, times in hours after 2026-06-01T00:00Z.
const LOG: &[(&str, &str, f64, &str, &str)] = &[
    // A: the whole funnel, web then app.
    ("A", "Visit", 0.0, "web", "s1"),
    ("A", "Form", 1.0, "web", "s1"),
    ("A", "Signed", 3.0, "app", "s1"),
    // B: visits twice, applies, stops.
    ("B", "Visit", 0.0, "", "s1"),
    ("B", "Visit", 0.25, "", "s1"),
    ("B", "Form", 2.0, "", "s1"),
    // C: never discovers (skips S1): reaches S2 and S3, enters no funnel.
    ("C", "Form", 0.0, "", "s1"),
    ("C", "Signed", 1.0, "", "s1"),
    // D: rows out of order in the file; in time, the form comes before the visit.
    ("D", "Visit", 5.0, "", "s1"),
    ("D", "Form", 1.0, "", "s1"),
    // E: visit and form at the same instant (file order decides), signs 40 days
    // later: outside a 30-day window.
    ("E", "Visit", 0.0, "", "s2"),
    ("E", "Form", 0.0, "", "s2"),
    ("E", "Signed", 960.0, "", "s2"),
    // F: loops back to a visit, then goes through; web, app, web, app, store.
    ("F", "Visit", 0.0, "web", "s2"),
    ("F", "Form", 0.5, "app", "s2"),
    ("F", "Visit", 1.0, "web", "s2"),
    ("F", "Form", 1.5, "app", "s2"),
    ("F", "Signed", 2.0, "store", "s2"),
    // G: only an activity mapped to nothing.
    ("G", "Noise", 0.0, "", "s2"),
    // H: like A, slower.
    ("H", "Visit", 0.0, "", "s2"),
    ("H", "Form", 2.0, "", "s2"),
    ("H", "Signed", 5.0, "", "s2"),
];

fn csv() -> String {
    let mut out = String::from("case,activity,time,channel,segment\n");
    for (case, activity, hours, channel, segment) in LOG {
        let ms = 1_780_272_000_000 + (hours * H as f64) as i64;
        out += &format!(
            "{case},{activity},{},{channel},{segment}\n",
            parcours_bench::eventlog::iso8601(ms)
        );
    }
    out
}

async fn analysis(s: &TestServer, token: &str, map: &str, d: &str, q: &str) -> Analysis {
    get(
        s,
        token,
        &format!("/api/maps/{map}/datasets/{d}/analysis?{q}"),
    )
    .await
}

async fn a_hand_made_log_gives_the_hand_computed_answers(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let (map, _c) = three_stage_map(&s).await;
    let viewer = member(&s, &map, "vic@example.com", "viewer").await;
    let (status, body) = upload(
        &s,
        &s.token,
        &map,
        csv(),
        &format!("name=Hand-made&{COLUMNS}"),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let d: Dataset = serde_json::from_value(body).expect("dataset");
    assert_eq!((d.rows, d.bad_rows, d.cases), (22, 0, 8));
    assert_eq!(d.segments, ["s1", "s2"]);
    let names: Vec<(&str, u64)> = d
        .activities
        .iter()
        .map(|a| (a.name.as_str(), a.events))
        .collect();
    assert_eq!(
        names,
        [("Visit", 8), ("Form", 8), ("Signed", 5), ("Noise", 1)]
    );
    // Map the three activities (Noise stays unmapped).
    let (status, body) = crate::common::call(
        &s,
        reqwest::Method::PUT,
        Some(&s.token),
        &format!("/api/maps/{map}/datasets/{}/mapping", d.id),
        Some(json!({"activities": [
            {"activity": "Visit", "stage": "S1"},
            {"activity": "Form", "stage": "S2"},
            {"activity": "Signed", "stage": "S3"},
        ]})),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let a = analysis(&s, &viewer, &map, &d.id, "").await;
    assert_eq!((a.cases, a.events, a.unmapped_events), (8, 22, 1));
    let reach: Vec<u64> = a.stages.iter().map(|s| s.reach).collect();
    let funnel: Vec<u64> = a.stages.iter().map(|s| s.funnel).collect();
    assert_eq!(reach, [6, 7, 5], "reach: any event in the stage");
    assert_eq!(funnel, [6, 5, 3], "funnel: in order, within 30 days");
    let close = |x: Option<f64>, y: f64| (x.expect("a value") - y).abs() < 1e-9;
    assert!(close(a.stages[1].conversion, 5.0 / 6.0));
    assert!(close(a.stages[2].conversion, 0.6));
    assert!(close(a.stages[2].drop_off, 0.4));
    assert!(close(a.overall_conversion, 0.5));
    assert_eq!(a.stages[0].conversion, None);
    // S1 → S2: E 0, F 30 min, A 1 h, B 2 h, H 2 h; S2 → S3: F 1.5 h, A 2 h, H 3 h.
    assert_eq!(a.stages[1].median_ms_from_previous, Some(H));
    assert_eq!(a.stages[1].p90_ms_from_previous, Some(2 * H));
    assert_eq!(a.stages[2].median_ms_from_previous, Some(2 * H));
    assert_eq!(a.stages[2].p90_ms_from_previous, Some(3 * H));
    // Variants: A, E and H did Visit, Form, Signed.
    assert_eq!(a.variant_count, 6);
    assert_eq!(a.variants[0].activities, ["Visit", "Form", "Signed"]);
    assert_eq!(a.variants[0].cases, 3);
    assert!(
        a.variants
            .iter()
            .any(|v| v.activities == ["Form", "Visit"] && v.cases == 1),
        "D in time order"
    );
    assert!(a
        .variants
        .iter()
        .any(|v| v.activities == ["Visit", "Form", "Visit", "Form", "Signed"]));
    // Channel switches, once per case: web→app by A and F.
    let sw: Vec<(&str, &str, u64)> = a
        .channel_switches
        .iter()
        .map(|c| (c.from.as_str(), c.to.as_str(), c.cases))
        .collect();
    assert_eq!(
        sw,
        [("web", "app", 2), ("app", "store", 1), ("app", "web", 1)]
    );
    // Segments: s1 = A, B, C, D; s2 = E, F, G, H.
    let seg: Vec<(&str, u64, Vec<u64>)> = a
        .segments
        .iter()
        .map(|g| (g.segment.as_str(), g.cases, g.funnel.clone()))
        .collect();
    assert_eq!(seg, [("s1", 4, vec![3, 2, 1]), ("s2", 4, vec![3, 3, 2])]);
    // Friction: Apply loses 40 %, the most of any stage.
    let apply = a.friction.iter().find(|f| f.id == "S2").expect("S2 ranked");
    assert!((apply.drop_off - 0.4).abs() < 1e-9);
    let explained: Vec<&str> = a
        .friction
        .iter()
        .filter_map(|f| f.sentence.as_deref())
        .collect();
    assert!(
        explained
            .iter()
            .any(|s| s
                .starts_with("Apply loses 40 % of the cases that reach it, the most of any stage")),
        "{explained:?}"
    );
    // Flows of the top variants start at `start` and end at `end`.
    assert!(a
        .flows
        .iter()
        .any(|f| f.from == "start" && f.to == "S1" && f.cases >= 3));

    // Filters: one segment; a time range that keeps the cases starting after 4 h (D).
    let s2 = analysis(&s, &viewer, &map, &d.id, "segment=s2").await;
    assert_eq!((s2.cases, s2.stages[0].funnel), (4, 3));
    let late = analysis(
        &s,
        &viewer,
        &map,
        &d.id,
        &format!("from={}", 1_780_272_000_000 + 4 * H),
    )
    .await;
    assert_eq!(
        late.cases, 0,
        "every case's first event is before 4 h (D's is at 1 h)"
    );
    let none = analysis(&s, &viewer, &map, &d.id, "segment=nobody").await;
    assert_eq!(none.cases, 0);

    // A 60-day window lets E sign within it.
    let (status, _) = crate::common::call(
        &s,
        reqwest::Method::PUT,
        Some(&s.token),
        &format!("/api/maps/{map}/datasets/{}/mapping", d.id),
        Some(json!({"window_days": 60, "activities": [
            {"activity": "Visit", "stage": "S1"},
            {"activity": "Form", "stage": "S2"},
            {"activity": "Signed", "stage": "S3"},
        ]})),
    )
    .await;
    assert_eq!(status, 200);
    let wide = analysis(&s, &viewer, &map, &d.id, "").await;
    assert_eq!(wide.stages[2].funnel, 4);
    // Renaming a stage keeps the mapping (it is by id).
    let list: DatasetList = get(&s, &viewer, &format!("/api/maps/{map}/datasets")).await;
    assert_eq!(list.datasets[0].window_days, 60);
    assert_eq!(list.datasets[0].activities[0].stage.as_deref(), Some("S1"));
    s.stop().await;
}
both_backends!(a_hand_made_log_gives_the_hand_computed_answers);
