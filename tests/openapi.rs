//! The OpenAPI document: every route of the code is in it, a standard validator
//! (`openapi-spec-validator` from PyPI) accepts it, and the HTML reference page is
//! served with no outside resource.

use std::collections::BTreeSet;
use std::process::Command;

#[path = "common/mod.rs"]
mod common;

/// `(method, path)` of every `.route(...)` in `server/src/http`.
fn routes_in_code() -> BTreeSet<(String, String)> {
    let dir = common::web::workspace().join("server/src/http");
    let mut routes = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("http dir") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("source");
        for chunk in text.split(".route(").skip(1) {
            let chunk = chunk.split("\n}\n").next().unwrap_or(chunk);
            let Some(start) = chunk.find('"') else {
                continue;
            };
            let Some(len) = chunk[start + 1..].find('"') else {
                continue;
            };
            let route = &chunk[start + 1..start + 1 + len];
            if route.contains('*') {
                continue; // the catch-all answering 404 for unknown API paths
            }
            for method in ["get", "post", "put", "patch", "delete"] {
                let call = format!("{method}(");
                let found = chunk.match_indices(&call).any(|(i, _)| {
                    i == 0
                        || !chunk.as_bytes()[i - 1].is_ascii_alphanumeric()
                            && chunk.as_bytes()[i - 1] != b'_'
                });
                if found {
                    routes.insert((method.to_owned(), route.to_owned()));
                }
            }
        }
    }
    assert!(
        routes.len() > 60,
        "the route scan found too few: {routes:?}"
    );
    routes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_is_documented_and_the_document_is_valid() {
    let (_db, s) = common::sqlite_server().await;
    let res = reqwest::get(s.url("/api/openapi.json")).await.expect("get");
    assert_eq!(res.status(), 200);
    let doc: serde_json::Value = res.json().await.expect("json");
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented = BTreeSet::new();
    for (path, methods) in doc["paths"].as_object().expect("paths") {
        for method in methods.as_object().expect("methods").keys() {
            documented.insert((method.clone(), path.clone()));
        }
    }
    let code = routes_in_code();
    let missing: Vec<_> = code.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "routes missing from /api/openapi.json: {missing:?}"
    );
    let stale: Vec<_> = documented.difference(&code).collect();
    assert!(
        stale.is_empty(),
        "documented routes that do not exist: {stale:?}"
    );
    // Every schema a path refers to is defined.
    let text = doc.to_string();
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = &piece[..piece.find('"').expect("ref end")];
        assert!(schemas.contains_key(name), "undefined schema {name}");
    }
    for name in [
        "MapFile",
        "MapView",
        "ImportPreview",
        "ErrorBody",
        "Analysis",
    ] {
        assert!(schemas.contains_key(name), "schema {name}");
    }

    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, text).expect("write");
    let out = Command::new("python3")
        .args(["-m", "openapi_spec_validator"])
        .arg(&file)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "openapi-spec-validator (pip install openapi-spec-validator) refused it:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    let res = reqwest::get(s.url("/api/docs")).await.expect("get");
    assert_eq!(res.status(), 200);
    assert!(res
        .headers()
        .get("content-type")
        .is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html")));
    let page = res.text().await.expect("html");
    for (_, path) in &code {
        assert!(
            page.contains(&format!("<code>{path}</code>")),
            "{path} on the page"
        );
    }
    assert!(!page.contains("<script"), "no script");
    assert!(
        !page.contains("src=\"http") && !page.contains("href=\"http"),
        "nothing from elsewhere"
    );
    s.stop().await;
}
