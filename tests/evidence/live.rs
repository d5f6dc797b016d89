//! Evidence live on the map: import progress and results on the map's event stream,
//! a mapping change reaching every reader, KPI cards fed from the data into the live
//! document, and who may read.

use parcours_shared::api::{Analysis, Dataset};
use parcours_shared::schema::{At, LaneKind};
use reqwest::Method;
use serde_json::json;

use crate::common::{call, client_view, edit, get, member, EventStream, TestDb, TestServer, WAIT};
use crate::{three_stage_map, upload};

async fn imports_report_progress_and_mapping_reaches_everyone(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let (map, c) = three_stage_map(&s).await;
    let viewer = member(&s, &map, "vic@example.com", "viewer").await;
    let mut events = EventStream::open(&s, &viewer, &format!("/api/maps/{map}/events")).await;
    // A generated log of 30 000 customers (about 270 000 rows).
    let mut csv = Vec::new();
    parcours_bench::eventlog::write_csv(&mut csv, &parcours_bench::eventlog::generate(30_000, 3))
        .expect("csv");
    let (status, body) = upload(
        &s,
        &s.token,
        &map,
        csv,
        "name=Bank&case_id=case_id&activity=activity&timestamp=timestamp&channel=channel&segment=segment&value=value",
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let d: Dataset = serde_json::from_value(body).expect("dataset");
    assert!(d.rows > 200_000);
    assert_eq!(d.bad_rows, 0);
    let mut progress = Vec::new();
    loop {
        let e = events.next_event().await.expect("an event");
        match e["type"].as_str() {
            Some("dataset_progress") => progress.push(e["rows"].as_u64().unwrap_or(0)),
            Some("dataset_ready") => {
                assert_eq!(e["dataset"]["id"], d.id.as_str());
                break;
            }
            other => panic!("unexpected {other:?}: {e}"),
        }
    }
    assert!(!progress.is_empty(), "progress came before the end");
    assert!(progress.windows(2).all(|w| w[0] <= w[1]), "{progress:?}");

    // A KPI card on the map, fed by the overall conversion.
    let kpi_lane = client_view(&c)
        .lanes
        .iter()
        .find(|l| l.kind == LaneKind::Kpis)
        .expect("a KPI lane")
        .id
        .clone();
    edit(&c, |m| {
        m.add_card("kpi1", "S3", &kpi_lane, At::End, "Accounts opened")
    })
    .expect("card");
    crate::common::eventually("the server has the card", || async {
        s.view(&map).await.cards.iter().any(|k| k.id == "kpi1")
    })
    .await;
    let mapping = json!({
        "activities": [
            {"activity": "Webinar attended", "stage": "S1"},
            {"activity": "Ad clicked", "stage": "S1"},
            {"activity": "Application started", "stage": "S2"},
            {"activity": "Account opened", "stage": "S3"},
        ],
        "kpis": [{"card": "kpi1", "metric": "overall_conversion"}],
    });
    let path = format!("/api/maps/{map}/datasets/{}/mapping", d.id);
    let (status, body) = call(&s, Method::PUT, Some(&viewer), &path, Some(mapping.clone())).await;
    assert_eq!(status, 403, "viewers read, they do not map: {body}");
    let (status, body) = call(&s, Method::PUT, Some(&s.token), &path, Some(mapping)).await;
    assert_eq!(status, 200, "{body}");
    let e = events.next_event().await.expect("an event");
    assert_eq!(
        (e["type"].as_str(), e["dataset"].as_str()),
        (Some("evidence_changed"), Some(d.id.as_str()))
    );
    let a: Analysis = get(
        &s,
        &viewer,
        &format!("/api/maps/{map}/datasets/{}/analysis", d.id),
    )
    .await;
    let overall = (a.overall_conversion.expect("overall") * 1000.0).round() / 10.0;
    // The connected client sees the KPI's current value arrive in the document.
    assert!(
        c.wait_until(WAIT, |doc| {
            parcours_shared::view::read_view(doc)
                .cards
                .iter()
                .find(|k| k.id == "kpi1")
                .and_then(|k| k.kpi.as_ref())
                .and_then(|k| k.current)
                == Some(overall)
        })
        .await,
        "current = {overall}"
    );
    // Bad mappings change nothing.
    for (body, code) in [
        (
            json!({"activities": [{"activity": "Nope", "stage": "S1"}]}),
            "unknown_activity",
        ),
        (
            json!({"activities": [{"activity": "Ad clicked", "stage": "S9"}]}),
            "unknown_stage",
        ),
        (
            json!({"activities": [], "window_days": 0}),
            "invalid_window",
        ),
        (
            json!({"activities": [], "kpis": [{"card": "kpi1", "metric": "reach:S9"}]}),
            "invalid_kpi",
        ),
    ] {
        let (status, got) = call(&s, Method::PUT, Some(&s.token), &path, Some(body)).await;
        assert_eq!((status.as_u16(), got["code"].as_str()), (422, Some(code)));
    }
    let still: Dataset = get(&s, &viewer, &format!("/api/maps/{map}/datasets/{}", d.id)).await;
    assert_eq!(still.kpis.len(), 1);

    // Public links see no evidence; deleting is for editors and tells readers.
    let (_, link) = crate::common::post(
        &s,
        &s.token,
        &format!("/api/maps/{map}/links"),
        json!({"role": "viewer", "public": true, "include_comments": true}),
    )
    .await;
    let token = link["token"].as_str().expect("token");
    for p in [
        "datasets",
        &format!("datasets/{}", d.id),
        &format!("datasets/{}/analysis", d.id),
    ] {
        let (status, _) = call(
            &s,
            Method::GET,
            None,
            &format!("/api/maps/{map}/{p}?link={token}"),
            None,
        )
        .await;
        assert_eq!(status, 403, "{p}");
    }
    let (status, _) = call(
        &s,
        Method::DELETE,
        Some(&viewer),
        &format!("/api/maps/{map}/datasets/{}", d.id),
        None,
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = call(
        &s,
        Method::DELETE,
        Some(&s.token),
        &format!("/api/maps/{map}/datasets/{}", d.id),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let e = events.next_event().await.expect("an event");
    assert_eq!(e["type"], "dataset_deleted");
    assert_eq!(db.count("select count(*) from dataset_chunks").await, 0);
    s.stop().await;
}
both_backends!(imports_report_progress_and_mapping_reaches_everyone);
