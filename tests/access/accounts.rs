//! Accounts: failed logins are throttled per account, sign-up validates and can be
//! invite-only, passwords and the signing key never leak, and two owners demoting each
//! other at once leave one owner.

use parcours_server::config::SignupPolicy;
use parcours_shared::api::Session;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::{
    get, invitation_secret, me, member, post, sqlite_server, ProcessServer, TestDb, TestServer,
    PASSWORD,
};

/// The limiter lives in memory: one backend says all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_logins_are_rate_limited_per_account() {
    let (_db, s) = sqlite_server().await;
    let anon = reqwest::Client::new();
    let login = |password: &'static str| {
        anon.post(s.url("/api/auth/login"))
            .json(&json!({"email": "owner@example.com", "password": password}))
            .send()
    };
    for _ in 0..5 {
        assert_eq!(login("wrong password!").await.expect("login").status(), 401);
    }
    let res = login(PASSWORD).await.expect("login");
    assert_eq!(
        res.status(),
        429,
        "even the right password waits once the account is throttled"
    );
    assert_eq!(
        res.json::<Value>().await.expect("json")["code"],
        "too_many_attempts"
    );
    // Other accounts are not locked out by it.
    s.user("other@example.com").await;
    let res = anon
        .post(s.url("/api/auth/login"))
        .json(&json!({"email": "other@example.com", "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 200);
}

async fn sign_up_validates_and_can_be_invite_only(db: TestDb) {
    let mut config = db.config();
    config.signup = SignupPolicy::InviteOnly;
    let s = TestServer::start(config).await; // the first account may always sign up
    let anon = reqwest::Client::new();
    let signup = |email: &str, name: &str, password: &str| {
        anon.post(s.url("/api/auth/signup"))
            .json(&json!({"email": email, "display_name": name, "password": password}))
            .send()
    };
    for (email, name, password, code) in [
        ("not-an-email", "X", PASSWORD, "invalid_email"),
        ("x@example.com", "  ", PASSWORD, "invalid_name"),
        ("x@example.com", "X", "short", "weak_password"),
    ] {
        let res = signup(email, name, password).await.expect("signup");
        assert_eq!(res.status(), 422);
        assert_eq!(res.json::<Value>().await.expect("json")["code"], code);
    }
    let res = signup("uninvited@example.com", "U", PASSWORD)
        .await
        .expect("signup");
    assert_eq!(res.status(), 403);
    assert_eq!(
        res.json::<Value>().await.expect("json")["code"],
        "signup_closed"
    );
    let map = s.create_map("Invite only").await.id.0;
    let link = s.invite(&map, "invited@example.com", "viewer").await;
    // The invited address alone does not open the door: only the invitation's link.
    let res = signup("invited@example.com", "I", PASSWORD)
        .await
        .expect("signup");
    assert_eq!(res.status(), 403);
    let with_link = |token: &str| {
        s.http
            .post(s.url("/api/auth/signup"))
            .json(&json!({"email": "invited@example.com", "display_name": "I",
                          "password": PASSWORD, "invitation": token}))
            .send()
    };
    let res = with_link(invitation_secret(&link)).await.expect("signup");
    assert_eq!(res.status(), 201);
    let session: Session = res.json().await.expect("json");
    assert!(!session.user.is_admin, "only the first account is admin");
    assert!(me(&s, &s.token).await.is_admin);
    let maps: Value = get(&s, &session.token, "/api/maps").await;
    assert_eq!(
        maps["maps"][0]["role"], "viewer",
        "the link was accepted with it"
    );
    // The invitation is used up: its link no longer opens the door.
    let res = with_link(invitation_secret(&link)).await.expect("signup");
    assert_eq!(res.status(), 404);
}
both_backends!(sign_up_validates_and_can_be_invite_only);

async fn passwords_and_the_signing_key_never_reach_logs_storage_or_api_output(db: TestDb) {
    let log_path = db.dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let s = ProcessServer::start_with(&db, "trace", std::process::Stdio::from(log)).await;
    let secret_password = "Tr0ub4dor&3-unique-password";
    let anon = reqwest::Client::new();
    let mut outputs = String::new();
    let res = anon.post(format!("{}/api/auth/signup", s.base())).json(&json!({"email": "secret@example.com", "display_name": "S", "password": secret_password})).send().await.expect("signup");
    outputs.push_str(&format!("{:?}", res.headers()));
    outputs.push_str(&res.text().await.expect("body"));
    for password in [secret_password, "a wrong password"] {
        let res = anon
            .post(format!("{}/api/auth/login", s.base()))
            .json(&json!({"email": "secret@example.com", "password": password}))
            .send()
            .await
            .expect("login");
        outputs.push_str(&res.text().await.expect("body"));
    }
    let res = anon
        .post(format!("{}/api/auth/signup", s.base()))
        .json(&json!({"email": "bad", "display_name": "S", "password": secret_password}))
        .send()
        .await
        .expect("signup");
    outputs.push_str(&res.text().await.expect("body"));
    let metrics = anon
        .get(format!("{}/metrics", s.base()))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    outputs.push_str(&metrics);
    s.terminate();
    let key = std::fs::read_to_string(db.dir.path().join("session-key")).expect("key");
    let logs = std::fs::read_to_string(&log_path).expect("logs");
    assert!(
        logs.contains("account created"),
        "the log was captured at trace level:\n{}",
        &logs[..logs.len().min(2000)]
    );
    for (what, text) in [("logs", &logs), ("API output", &outputs)] {
        assert!(
            !text.contains(secret_password),
            "the password appears in {what}"
        );
        assert!(
            !text.contains(key.trim()),
            "the signing key appears in {what}"
        );
    }
    let store = db.store().await;
    let user = store
        .user_by_email("secret@example.com")
        .await
        .expect("get")
        .expect("user");
    assert!(
        user.password_hash.starts_with("$argon2id$"),
        "stored as an argon2id hash"
    );
    assert!(!user.password_hash.contains(secret_password));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(db.dir.path().join("session-key"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the key file is private to its owner");
    }
}
both_backends!(passwords_and_the_signing_key_never_reach_logs_storage_or_api_output);

/// Two owners demote each other at the same instant, again and again: each time exactly
/// one of them wins, the other is refused, and the map keeps one owner. The
/// check and the change run in one transaction that first locks the map's row, so the
/// two cannot both count two owners (on PostgreSQL's read committed they could, before).
async fn owners_demoting_each_other_at_once_keep_one_owner(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let (status, map) = post(&s, &s.token, "/api/maps", json!({"title": "Two owners"})).await;
    assert_eq!(status, 201);
    let map = map["id"].as_str().expect("id").to_owned();
    let other = member(&s, &map, "second.owner@example.com", "owner").await;
    let (a, b) = (me(&s, &s.token).await.id, me(&s, &other).await.id);
    let set_role = |token: &str, user: &str, role: &str| {
        s.http
            .patch(s.url(&format!("/api/maps/{map}/members/{user}")))
            .bearer_auth(token)
            .json(&json!({"role": role}))
            .send()
    };
    for round in 0..12 {
        let (first, second) = tokio::join!(
            set_role(&s.token, &b.0, "editor"),
            set_role(&other, &a.0, "editor")
        );
        let (first, second) = (first.expect("a demotes b"), second.expect("b demotes a"));
        let mut statuses = [first.status().as_u16(), second.status().as_u16()];
        statuses.sort_unstable();
        // The loser is refused either as the last owner (409), or, when the winner's
        // change landed before its own request was authorized, as no owner any more (403).
        assert!(
            statuses == [200, 403] || statuses == [200, 409],
            "round {round}: one wins, one is refused, got {statuses:?}"
        );
        let loser = if first.status() == StatusCode::OK {
            second
        } else {
            first
        };
        let code = loser.json::<Value>().await.expect("json")["code"].clone();
        assert!(
            code == "last_owner" || code == "forbidden",
            "round {round}: refused with {code}"
        );
        let members: Value = get(&s, &s.token, &format!("/api/maps/{map}/members")).await;
        let owners: Vec<&str> = members["members"]
            .as_array()
            .expect("members")
            .iter()
            .filter(|m| m["role"] == "owner")
            .map(|m| m["user_id"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(owners.len(), 1, "round {round}: exactly one owner left");
        // The remaining owner makes the other an owner again.
        let (token, user) = if owners[0] == a.0 {
            (&s.token, &b.0)
        } else {
            (&other, &a.0)
        };
        let res = set_role(token, user, "owner").await.expect("promote");
        assert_eq!(res.status(), 200, "round {round}: promote again");
    }
    s.stop().await;
}

both_backends!(
    two_owners_demoting_each_other_at_once,
    owners_demoting_each_other_at_once_keep_one_owner
);
