//! Smaller holes, each closed: verdicts after a demotion, round notices after a
//! removal, concurrent first sign-ups (one admin; on an invite-only server, one
//! account), the SQLite files' modes, and the metrics token.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use parcours_server::config::{ServeConfig, SignupPolicy};
use parcours_server::util::now_ms;
use parcours_shared::api::{Inbox, InboxKind, RoundDetail};
use reqwest::Method;
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

use crate::common::{
    call, delete, get, me, member, patch, post, within, TestDb, TestServer, PASSWORD,
};

/// Opens a review round on `map` as the default owner, due in two days.
async fn open_round(s: &TestServer, map: &str, reviewers: &[&str]) -> String {
    let (status, round) = post(
        s,
        &s.token,
        &format!("/api/maps/{map}/rounds"),
        json!({"title": "Friday review", "due_at": now_ms() + 2 * 86_400_000,
               "reviewers": reviewers}),
    )
    .await;
    assert_eq!(status, 201, "{round}");
    round["id"].as_str().expect("id").to_owned()
}

async fn a_reviewer_demoted_to_viewer_cannot_give_a_verdict(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Review").await.id.0;
    let reviewer = member(&s, &map, "reviewer@example.com", "commenter").await;
    let reviewer_id = me(&s, &reviewer).await.id.0;
    let round = open_round(&s, &map, &[&reviewer_id]).await;
    let (status, _) = patch(
        &s,
        &s.token,
        &format!("/api/maps/{map}/members/{reviewer_id}"),
        json!({"role": "viewer"}),
    )
    .await;
    assert_eq!(status, 200);
    let path = format!("/api/maps/{map}/rounds/{round}");
    let before: RoundDetail = get(&s, &s.token, &path).await;

    let (status, body) = post(
        &s,
        &reviewer,
        &format!("{path}/review"),
        json!({"verdict": "approve", "summary": "Looks fine"}),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    let after: RoundDetail = get(&s, &s.token, &path).await;
    assert_eq!(after, before, "the round is unchanged");
    assert_eq!(after.round.reviewers[0].verdict, None);
    assert_eq!(after.round.reviewers[0].done_at, None);
}
both_backends!(a_reviewer_demoted_to_viewer_cannot_give_a_verdict);

async fn inbox_kinds(s: &TestServer, token: &str, round: &str) -> Vec<InboxKind> {
    let inbox: Inbox = get(s, token, "/api/inbox").await;
    inbox
        .items
        .into_iter()
        .filter(|i| i.round_id.as_deref() == Some(round))
        .map(|i| i.kind)
        .collect()
}

async fn a_reviewer_removed_from_the_map_is_not_told_when_the_round_closes(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Review").await.id.0;
    let kept = member(&s, &map, "kept@example.com", "commenter").await;
    let removed = member(&s, &map, "removed@example.com", "commenter").await;
    let kept_id = me(&s, &kept).await.id.0;
    let removed_id = me(&s, &removed).await.id.0;
    let round = open_round(&s, &map, &[&kept_id, &removed_id]).await;
    let (status, _) = delete(
        &s,
        &s.token,
        &format!("/api/maps/{map}/members/{removed_id}"),
    )
    .await;
    assert_eq!(status, 204);
    let removed_before = inbox_kinds(&s, &removed, &round).await;

    let (status, body) = post(
        &s,
        &s.token,
        &format!("/api/maps/{map}/rounds/{round}/close"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(
        inbox_kinds(&s, &kept, &round)
            .await
            .contains(&InboxKind::RoundClosed),
        "a current reviewer is told"
    );
    let removed_after = inbox_kinds(&s, &removed, &round).await;
    assert!(!removed_after.contains(&InboxKind::RoundClosed));
    assert_eq!(removed_after, removed_before, "its inbox is unchanged");
}
both_backends!(a_reviewer_removed_from_the_map_is_not_told_when_the_round_closes);

/// The server on an empty database (no default account), until dropped.
struct EmptyServer {
    base: String,
    shutdown: CancellationToken,
}

impl Drop for EmptyServer {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

async fn empty_server(config: ServeConfig) -> EmptyServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let shutdown = CancellationToken::new();
    tokio::spawn(parcours_server::run(config, listener, shutdown.clone()));
    let http = reqwest::Client::new();
    within(Duration::from_secs(30), "the server is healthy", || async {
        match http.get(format!("{base}/healthz")).send().await {
            Ok(res) if res.status() == 200 => Ok(()),
            Ok(res) => Err(res.status().to_string()),
            Err(e) => Err(e.to_string()),
        }
    })
    .await;
    EmptyServer { base, shutdown }
}

/// `n` different sign-ups sent at once; each answer's status and body.
async fn sign_ups_at_once(server: &EmptyServer, n: usize) -> Vec<(u16, Value)> {
    let http = reqwest::Client::new();
    let url = format!("{}/api/auth/signup", server.base);
    futures_util::future::join_all((0..n).map(|i| {
        let req = http.post(&url).json(&json!({
            "email": format!("first{i}@example.com"),
            "display_name": format!("First {i}"),
            "password": PASSWORD,
        }));
        async move {
            let res = req.send().await.expect("signup");
            let status = res.status().as_u16();
            (status, res.json().await.unwrap_or(Value::Null))
        }
    }))
    .await
}

async fn twenty_simultaneous_first_sign_ups_make_exactly_one_admin(db: TestDb) {
    let server = empty_server(db.config()).await;
    let answers = sign_ups_at_once(&server, 20).await;
    let statuses: Vec<u16> = answers.iter().map(|(s, _)| *s).collect();
    assert!(statuses.iter().all(|s| *s == 201), "{answers:?}");
    let admins = answers
        .iter()
        .filter(|(_, body)| body["user"]["is_admin"] == true)
        .count();
    assert_eq!(admins, 1, "one of them is told it is the admin");
    assert_eq!(db.count("select count(*) from users").await, 20);
    assert_eq!(
        db.count("select count(*) from users where is_admin <> 0")
            .await,
        1,
        "one admin stored"
    );
}
both_backends!(twenty_simultaneous_first_sign_ups_make_exactly_one_admin);

async fn an_invite_only_server_lets_one_of_twenty_simultaneous_first_sign_ups_in(db: TestDb) {
    let mut config = db.config();
    config.signup = SignupPolicy::InviteOnly;
    let server = empty_server(config).await;
    let answers = sign_ups_at_once(&server, 20).await;
    assert_eq!(
        db.count("select count(*) from users").await,
        1,
        "one account: {answers:?}"
    );
    let created = answers.iter().filter(|(s, _)| *s == 201).count();
    assert_eq!(created, 1, "{answers:?}");
    let unexpected: Vec<&(u16, Value)> = answers
        .iter()
        .filter(|(s, body)| !(*s == 201 || *s == 403 && body["code"] == "signup_closed"))
        .collect();
    assert!(
        unexpected.is_empty(),
        "every other sign-up is refused with 403 signup_closed, not a server error: {unexpected:?}"
    );
}
both_backends!(an_invite_only_server_lets_one_of_twenty_simultaneous_first_sign_ups_in);

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sqlite_data_directory_and_database_are_private_after_start() {
    let root = tempfile::tempdir().expect("temp dir");
    let data = root.path().join("data");
    // A directory anyone may read, as an older version or a careless umask left it.
    std::fs::create_dir(&data).expect("data dir");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let mut config = ServeConfig::for_data_dir(&data);
    config.web_dir = PathBuf::from("/nonexistent");
    config.signups_per_address = 10_000;
    let s = TestServer::start(config).await;
    assert_eq!(mode(&data), 0o700, "the data directory");
    assert_eq!(mode(&data.join("parcours.db")), 0o600, "the database");
    assert_eq!(mode(&data.join("session-key")), 0o600, "the session key");
    for name in ["parcours.db-wal", "parcours.db-shm"] {
        let file = data.join(name);
        if file.exists() {
            assert_eq!(mode(&file), 0o600, "{name}");
        }
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_answer_only_with_the_metrics_token_when_one_is_set() {
    let db = TestDb::new(parcours_server::store::Backend::Sqlite).await;
    let secret = "metrics-token-metrics-token-metrics";
    let mut config = db.config();
    config.metrics_token = Some(secret.parse().expect("secret"));
    let s = TestServer::start(config).await;
    let http = reqwest::Client::new();
    let metrics = s.url("/metrics");
    for (what, bearer) in [
        ("no token", None),
        ("a wrong token", Some("metrics-token-metrics-token-metricx")),
        ("a session token", Some(s.token.as_str())),
    ] {
        let mut req = http.get(&metrics);
        if let Some(bearer) = bearer {
            req = req.bearer_auth(bearer);
        }
        let res = req.send().await.expect("metrics");
        assert_eq!(res.status(), 401, "{what}");
        let body = res.text().await.expect("body");
        assert!(!body.contains("parcours_connections"), "{what}: {body}");
    }
    let res = http
        .get(&metrics)
        .bearer_auth(secret)
        .send()
        .await
        .expect("metrics");
    assert_eq!(res.status(), 200);
    assert!(res
        .text()
        .await
        .expect("body")
        .contains("parcours_connections"));
    let (status, _) = call(&s, Method::GET, Some(&s.token), "/api/me", None).await;
    assert_eq!(status, 200, "the API is unaffected");
}
