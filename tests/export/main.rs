//! Exports and imports through the real server: PDF read back by `pdftotext`
//! (poppler-utils), PNG decoded, SVG parsed, CSV and JSON round trips, past versions,
//! who may export, and hostile imports that must leave nothing behind.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod files;
mod imports;

use common::{TestDb, TestServer};
use reqwest::StatusCode;
use serde_json::Value;

/// A map made from `template` by the default account; its id.
async fn template_map(s: &TestServer, template: &str) -> String {
    s.create_from_template(&format!("Map from {template}"), template)
        .await
        .id
        .0
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

/// Maps in the database.
async fn map_count(db: &TestDb) -> i64 {
    db.count("select count(*) from maps").await
}
