//! REST calls as one account (or none): the status and the JSON body of one request,
//! so a test reads as the calls it makes.

use reqwest::{Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::server::TestServer;

/// One request as `token` (`None`: anonymous); the status and the JSON body (Null when
/// there is none).
pub async fn call(
    s: &TestServer,
    method: Method,
    token: Option<&str>,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new().request(method, s.url(path));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.expect("request");
    let status = res.status();
    let streaming = res
        .headers()
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
    if streaming {
        return (status, Value::Null); // an event stream never ends: do not read it
    }
    let text = res.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// `POST path` with a JSON body, as `token`.
pub async fn post(s: &TestServer, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    call(s, Method::POST, Some(token), path, Some(body)).await
}

/// `PATCH path` with a JSON body, as `token`.
pub async fn patch(s: &TestServer, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    call(s, Method::PATCH, Some(token), path, Some(body)).await
}

/// `DELETE path` as `token`.
pub async fn delete(s: &TestServer, token: &str, path: &str) -> (StatusCode, Value) {
    call(s, Method::DELETE, Some(token), path, None).await
}

/// `GET path` as `token`, which must answer 200 with a body of type `T`.
pub async fn get<T: DeserializeOwned>(s: &TestServer, token: &str, path: &str) -> T {
    let (status, body) = call(s, Method::GET, Some(token), path, None).await;
    assert_eq!(status, 200, "GET {path}: {body}");
    serde_json::from_value(body).expect("response shape")
}

/// Makes `req` a WebSocket upgrade request (what a browser sends to open `/sync/…`).
pub fn websocket_upgrade(req: RequestBuilder) -> RequestBuilder {
    req.header("connection", "upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-version", "13")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
}
