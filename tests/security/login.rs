//! Password guessing: parallel guesses evaluate at most the account's allowance, then
//! the account is locked for the window; the address a guess is counted by cannot be
//! forged with `X-Forwarded-For` unless it comes from a trusted proxy; sign-ups per
//! address are capped; a wrong current password in a password change counts too.
//! (The limiter lives in memory: SQLite is enough.)

use std::collections::BTreeMap;

use parcours_server::store::Backend;
use reqwest::Method;
use serde_json::{json, Value};

use crate::common::{call, post, sqlite_server, TestDb, TestServer, PASSWORD};

/// `POST /api/auth/login`, optionally with an `X-Forwarded-For` header: the status and
/// the error code (empty on success).
async fn login(
    http: &reqwest::Client,
    s: &TestServer,
    email: &str,
    password: &str,
    forwarded: Option<&str>,
) -> (u16, String) {
    let mut req = http
        .post(s.url("/api/auth/login"))
        .json(&json!({"email": email, "password": password}));
    if let Some(addr) = forwarded {
        req = req.header("x-forwarded-for", addr);
    }
    let res = req.send().await.expect("login");
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}

/// Sends every `(email, password, forwarded-for)` login at once; how many got each
/// (status, code).
async fn at_once(
    s: &TestServer,
    attempts: Vec<(String, String, Option<String>)>,
) -> BTreeMap<(u16, String), usize> {
    let http = reqwest::Client::new();
    let answers = futures_util::future::join_all(
        attempts
            .iter()
            .map(|(email, password, fwd)| login(&http, s, email, password, fwd.as_deref())),
    )
    .await;
    let mut counts = BTreeMap::new();
    for answer in answers {
        *counts.entry(answer).or_insert(0) += 1;
    }
    counts
}

fn count(outcomes: &BTreeMap<(u16, String), usize>, status: u16, code: &str) -> usize {
    outcomes
        .get(&(status, code.to_owned()))
        .copied()
        .unwrap_or(0)
}

async fn still_signed_in(s: &TestServer, token: &str) -> bool {
    call(s, Method::GET, Some(token), "/api/me", None).await.0 == 200
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_guesses_at_one_account_evaluate_at_most_five_passwords_then_lock_it() {
    let (_db, s) = sqlite_server().await;
    let victim = s.user("victim@example.com").await;
    let guesses = (0..400)
        .map(|i| {
            (
                "victim@example.com".to_owned(),
                format!("wrong guess number {i}"),
                None,
            )
        })
        .collect();
    let outcomes = at_once(&s, guesses).await;
    let evaluated = count(&outcomes, 401, "invalid_credentials");
    let refused = count(&outcomes, 429, "too_many_attempts");
    assert!(
        (1..=5).contains(&evaluated),
        "passwords evaluated: {outcomes:?}"
    );
    assert_eq!(evaluated + refused, 400, "{outcomes:?}");

    // Locked for the window: the right password is refused as well.
    let http = reqwest::Client::new();
    assert_eq!(
        login(&http, &s, "victim@example.com", PASSWORD, None).await,
        (429, "too_many_attempts".to_owned())
    );
    assert!(
        still_signed_in(&s, &victim).await,
        "the account's session is untouched"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_forwarded_address_from_an_untrusted_peer_is_ignored() {
    let (_db, s) = sqlite_server().await;
    let honest = s.user("honest@example.com").await;
    let guesses = (0..25)
        .map(|i| {
            (
                format!("nobody{i}@example.com"),
                "wrong password".to_owned(),
                Some(format!("203.0.113.{i}")),
            )
        })
        .collect();
    let outcomes = at_once(&s, guesses).await;
    assert_eq!(
        (
            count(&outcomes, 401, "invalid_credentials"),
            count(&outcomes, 429, "too_many_attempts")
        ),
        (20, 5),
        "the real address's limit (20) tripped: {outcomes:?}"
    );
    // Still locked for its real address, whatever address it claims next.
    let http = reqwest::Client::new();
    assert_eq!(
        login(
            &http,
            &s,
            "honest@example.com",
            PASSWORD,
            Some("198.51.100.99")
        )
        .await,
        (429, "too_many_attempts".to_owned())
    );
    assert!(still_signed_in(&s, &honest).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trusted_proxys_forwarded_address_is_believed() {
    let db = TestDb::new(Backend::Sqlite).await;
    let mut config = db.config();
    config.trusted_proxies = vec!["127.0.0.1".parse().expect("cidr")];
    let s = TestServer::start(config).await;
    s.user("office@example.com").await;
    // One client behind the proxy guesses, prepending forged hops of its own; the proxy
    // appends the address it really came from.
    let guesses = (0..25)
        .map(|i| {
            (
                format!("nobody{i}@example.com"),
                "wrong password".to_owned(),
                Some(format!("6.6.6.{i}, 198.51.100.7")),
            )
        })
        .collect();
    let outcomes = at_once(&s, guesses).await;
    assert_eq!(
        (
            count(&outcomes, 401, "invalid_credentials"),
            count(&outcomes, 429, "too_many_attempts")
        ),
        (20, 5),
        "counted against 198.51.100.7: {outcomes:?}"
    );
    let http = reqwest::Client::new();
    assert_eq!(
        login(
            &http,
            &s,
            "office@example.com",
            PASSWORD,
            Some("198.51.100.7")
        )
        .await
        .0,
        429,
        "that address is locked"
    );
    // Another client behind the same proxy is not locked out, nor is the proxy itself.
    assert_eq!(
        login(
            &http,
            &s,
            "office@example.com",
            PASSWORD,
            Some("198.51.100.8")
        )
        .await
        .0,
        200
    );
    assert_eq!(
        login(
            &http,
            &s,
            "nobody@example.com",
            "wrong",
            Some("198.51.100.8")
        )
        .await,
        (401, "invalid_credentials".to_owned()),
        "its guesses are evaluated, not refused"
    );
    assert_eq!(
        login(&http, &s, "office@example.com", PASSWORD, None)
            .await
            .0,
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_ups_per_address_are_capped_and_the_refused_one_creates_nothing() {
    let db = TestDb::new(Backend::Sqlite).await;
    let mut config = db.config();
    config.signups_per_address = 3;
    // The default account's sign-up, as the server starts, is the address's first.
    let s = TestServer::start(config).await;
    let signup = |email: &str| {
        call(
            &s,
            Method::POST,
            None,
            "/api/auth/signup",
            Some(json!({"email": email, "display_name": "Someone", "password": PASSWORD})),
        )
    };
    for email in ["second@example.com", "third@example.com"] {
        assert_eq!(signup(email).await.0, 201, "{email}");
    }
    let (status, body) = signup("fourth@example.com").await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["code"], "too_many_attempts");
    assert_eq!(db.count("select count(*) from users").await, 3);
    let map = s.create_map("Check").await.id.0;
    let (_, invited) = post(
        &s,
        &s.token,
        &format!("/api/maps/{map}/members"),
        json!({"email": "fourth@example.com", "role": "viewer"}),
    )
    .await;
    assert_eq!(invited["existing_account"], false, "no such account");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_current_passwords_in_password_changes_count_against_the_account() {
    let (_db, s) = sqlite_server().await;
    let token = s.user("changer@example.com").await;
    let change = |current: String| {
        post(
            &s,
            &token,
            "/api/auth/password",
            json!({"current_password": current, "new_password": "a brand new password"}),
        )
    };
    for i in 1..=5 {
        let (status, body) = change(format!("not my password {i}")).await;
        assert_eq!(status, 401, "attempt {i}: {body}");
        assert_eq!(body["code"], "invalid_credentials");
    }
    let (status, body) = change("not my password 6".into()).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["code"], "too_many_attempts");
    let (status, _) = change(PASSWORD.into()).await;
    assert_eq!(
        status, 429,
        "locked for the window, even with the right one"
    );
    // A change would have revoked the session: it still works, so nothing changed.
    assert!(still_signed_in(&s, &token).await);
}
