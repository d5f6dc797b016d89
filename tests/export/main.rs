//! Exports and imports through the real server: PDF read back by `pdftotext`
//! (poppler-utils), PNG decoded, SVG parsed, CSV and JSON round trips, past versions,
//! who may export, and hostile imports that must leave nothing behind.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod files;
mod imports;

use common::{TestDb, TestServer};
use parcours_shared::view::MapView;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A map made from `template` by the default account; its id.
async fn template_map(s: &TestServer, template: &str) -> String {
    let res = s
        .http
        .post(s.url("/api/maps"))
        .json(&json!({"title": format!("Map from {template}"), "template": template}))
        .send()
        .await
        .expect("create");
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.expect("json");
    body["id"].as_str().expect("id").to_owned()
}

/// `GET /api/maps/{map}/export?{query}` as `token` (None: anonymous): status, headers'
/// content type and disposition, body.
async fn export(
    s: &TestServer,
    token: Option<&str>,
    map: &str,
    query: &str,
) -> (StatusCode, String, String, Vec<u8>) {
    let mut req = reqwest::Client::new().get(s.url(&format!("/api/maps/{map}/export?{query}")));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    let res = req.send().await.expect("export");
    let status = res.status();
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let (kind, disposition) = (header("content-type"), header("content-disposition"));
    let body = res.bytes().await.expect("body").to_vec();
    (status, kind, disposition, body)
}

/// `POST /api/maps/import{suffix}?{query}` with `body` as `token`.
async fn upload(
    s: &TestServer,
    token: &str,
    suffix: &str,
    query: &str,
    body: impl Into<reqwest::Body>,
) -> (StatusCode, Value) {
    let res = reqwest::Client::new()
        .post(s.url(&format!("/api/maps/import{suffix}?{query}")))
        .bearer_auth(token)
        .body(body)
        .send()
        .await
        .expect("import");
    let status = res.status();
    let text = res.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// A map view as text with every id replaced by its position among the map's ids, so
/// two maps that differ only in ids compare equal.
fn shape(view: &MapView) -> String {
    let mut json = serde_json::to_string(view).expect("json");
    let mut ids: Vec<&str> = Vec::new();
    ids.extend(view.stages.iter().map(|x| x.id.as_str()));
    ids.extend(view.lanes.iter().map(|x| x.id.as_str()));
    ids.extend(view.personas.iter().map(|x| x.id.as_str()));
    ids.extend(view.paths.iter().map(|x| x.id.as_str()));
    ids.extend(view.cards.iter().map(|x| x.id.as_str()));
    let mut pairs: Vec<(String, String)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (format!("\"{id}\""), format!("\"#{i}\"")))
        .collect();
    pairs.sort_by_key(|(a, _)| std::cmp::Reverse(a.len()));
    for (a, b) in pairs {
        json = json.replace(&a, &b);
    }
    json
}

/// Maps in the database.
async fn map_count(db: &TestDb) -> i64 {
    db.count("select count(*) from maps").await
}
