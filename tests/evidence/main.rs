//! Customer evidence on SQLite and PostgreSQL through the real server: event logs
//! imported from CSV (and refused when they are wrong, leaving nothing), activities
//! mapped onto the map, analyses checked against hand-computed answers and against
//! pm4py on a generated log, KPI cards fed from the data, and who may do what.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod bad_input;
mod known;
mod live;
mod pm4py;

use common::{client_view, edit, TestServer};
use parcours_bench::YClient;
use parcours_shared::schema::At;
use reqwest::StatusCode;
use serde_json::Value;

/// Uploads `csv` to `map` as `token` with the query `query` (column names etc.).
async fn upload(
    s: &TestServer,
    token: &str,
    map: &str,
    csv: impl Into<reqwest::Body>,
    query: &str,
) -> (StatusCode, Value) {
    let res = reqwest::Client::new()
        .post(s.url(&format!("/api/maps/{map}/datasets?{query}")))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .expect("upload");
    let status = res.status();
    let text = res.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The usual column names of the test logs.
const COLUMNS: &str =
    "case_id=case&activity=activity&timestamp=time&channel=channel&segment=segment";

/// A map with stages `S1` Discover, `S2` Apply, `S3` Open, and a connected client.
async fn three_stage_map(s: &TestServer) -> (String, YClient) {
    let map = s.create_map("Evidence").await.id.0;
    let c = s.client(&map).await;
    edit(&c, |m| {
        m.add_stage("S1", "Discover", At::End)?;
        m.add_stage("S2", "Apply", At::End)?;
        m.add_stage("S3", "Open", At::End)
    })
    .expect("stages");
    let want = client_view(&c);
    common::eventually("the server has the stages", || async {
        s.view(&map).await.stages == want.stages
    })
    .await;
    (map, c)
}
