//! Cross-site requests: a page on another site cannot open the sync socket or an event
//! stream with the browser's session cookie, nor make a state-changing call with it
//! alone; a token in a URL is ignored on REST routes; every answer carries the
//! headers that keep the app out of other sites' frames and sniffing.

use parcours_server::store::Backend;
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::Value;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::handshake::client::Request;

use crate::common::{call, metric, sqlite_server, TestDb, TestServer};

const EVIL: &str = "https://evil.example";

fn cookie(token: &str) -> String {
    format!("parcours_session={token}")
}

/// A WebSocket upgrade of `/sync/{map}` with the session cookie and an `Origin`.
fn sync_request(s: &TestServer, map: &str, token: &str, origin: Option<&str>) -> Request {
    let mut req = format!("ws://{}/sync/{map}", s.addr)
        .into_client_request()
        .expect("request");
    let headers = req.headers_mut();
    headers.insert("cookie", cookie(token).parse().expect("header"));
    if let Some(origin) = origin {
        headers.insert("origin", origin.parse().expect("header"));
    }
    req
}

/// The upgrade's answer: 101 when upgraded, else the HTTP status.
async fn upgrade_status(req: Request) -> u16 {
    use tokio_tungstenite::tungstenite::Error;
    match tokio_tungstenite::connect_async(req).await {
        Ok(_) => 101,
        Err(Error::Http(res)) => res.status().as_u16(),
        Err(e) => panic!("upgrade failed without an answer: {e}"),
    }
}

async fn connections(s: &TestServer) -> Option<f64> {
    metric(&s.metrics().await, "parcours_connections")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sync_socket_opens_with_the_cookie_only_from_the_apps_own_origin() {
    let (_db, s) = sqlite_server().await;
    let map = s.create_map("Origins").await.id.0;
    let own = format!("http://{}", s.addr);
    assert_eq!(
        upgrade_status(sync_request(&s, &map, &s.token, Some(EVIL))).await,
        403,
        "another site's page"
    );
    assert_eq!(
        upgrade_status(sync_request(&s, &map, &s.token, None)).await,
        403,
        "no Origin at all"
    );
    assert_eq!(connections(&s).await, Some(0.0), "no socket was opened");
    assert_eq!(
        upgrade_status(sync_request(&s, &map, &s.token, Some(&own))).await,
        101,
        "the app's own page"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn event_streams_refuse_the_cookie_from_another_sites_page() {
    let (_db, s) = sqlite_server().await;
    let map = s.create_map("Origins").await.id.0;
    let own = format!("http://{}", s.addr);
    let http = reqwest::Client::new();
    for path in [
        format!("/api/maps/{map}/events"),
        "/api/inbox/events".into(),
    ] {
        for (origin, expected) in [(EVIL, 403), (own.as_str(), 200)] {
            let res = http
                .get(s.url(&path))
                .header("cookie", cookie(&s.token))
                .header("origin", origin)
                .send()
                .await
                .expect("events");
            assert_eq!(res.status(), expected, "{path} from {origin}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_state_changing_call_with_only_the_cookie_is_refused_and_changes_nothing() {
    let (_db, s) = sqlite_server().await;
    let token = s.user("cookie@example.com").await;
    let http = reqwest::Client::new();
    let logout = s.url("/api/auth/logout");
    let me = |http: &reqwest::Client| {
        http.get(s.url("/api/me"))
            .header("cookie", cookie(&token))
            .send()
    };
    // What a cross-site form can send: the cookie, no JSON, no custom header.
    for body in [None, Some("signed=out")] {
        let mut req = http.post(&logout).header("cookie", cookie(&token));
        if let Some(body) = body {
            req = req
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body);
        }
        let res = req.send().await.expect("logout");
        assert_eq!(res.status(), 403);
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["code"], "cross_site");
        assert_eq!(
            me(&http).await.expect("me").status(),
            200,
            "the session still works"
        );
    }
    // The app's own script marks its calls.
    let res = http
        .post(&logout)
        .header("cookie", cookie(&token))
        .header("x-requested-with", "x")
        .send()
        .await
        .expect("logout");
    assert_eq!(res.status(), 204);
    assert_eq!(me(&http).await.expect("me").status(), 401, "signed out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_in_the_url_is_ignored_on_rest_routes_and_accepted_on_live_ones() {
    let (_db, s) = sqlite_server().await;
    let map = s.create_map("Query tokens").await.id.0;
    for path in ["/api/maps", "/api/me", &format!("/api/maps/{map}")] {
        let (status, _) = call(
            &s,
            Method::GET,
            None,
            &format!("{path}?token={}", s.token),
            None,
        )
        .await;
        assert_eq!(status, 401, "{path}");
    }
    let http = reqwest::Client::new();
    for path in [
        format!("/api/maps/{map}/events"),
        "/api/inbox/events".into(),
    ] {
        let res = http
            .get(s.url(&format!("{path}?token={}", s.token)))
            .send()
            .await
            .expect("events");
        assert_eq!(res.status(), 200, "{path}");
    }
    // `TestServer::client` connects with `?token=`.
    let socket = s.client(&map).await;
    assert!(socket.closed().is_none());
}

fn assert_security_headers(what: &str, headers: &HeaderMap) {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        header("content-security-policy").contains("frame-ancestors 'none'"),
        "{what}: {headers:?}"
    );
    assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header("x-frame-options"), "DENY", "{what}");
    assert_eq!(header("referrer-policy"), "no-referrer", "{what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_carries_the_security_headers() {
    let db = TestDb::new(Backend::Sqlite).await;
    let web = tempfile::tempdir().expect("web dir");
    std::fs::write(
        web.path().join("index.html"),
        "<!doctype html><title>Parcours</title>",
    )
    .expect("index");
    let mut config = db.config();
    config.web_dir = web.path().to_owned();
    let s = TestServer::start(config).await;
    let http = reqwest::Client::new();
    for (path, bearer, expected) in [
        ("/", false, 200),
        ("/maps/some-map", false, 200),
        ("/api/me", true, 200),
        ("/api/maps", false, 401),
        ("/healthz", false, 200),
    ] {
        let mut req = http.get(s.url(path));
        if bearer {
            req = req.bearer_auth(&s.token);
        }
        let res = req.send().await.expect("get");
        assert_eq!(res.status(), expected, "{path}");
        assert_security_headers(path, res.headers());
    }
}
