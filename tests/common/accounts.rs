//! Test accounts: signing up or in, clients that carry a session, who a session is, and
//! members added to a map.

use parcours_shared::api::{Me, Session};

use super::server::TestServer;

/// The password every test account uses.
pub const PASSWORD: &str = "correct horse battery";

/// Signs `email` up, or logs in if it exists; returns a session token.
pub async fn ensure_user(http: &reqwest::Client, base: &str, email: &str) -> String {
    let name = email.split('@').next().unwrap_or("someone");
    let res = http
        .post(format!("{base}/api/auth/signup"))
        .json(&serde_json::json!({"email": email, "display_name": name, "password": PASSWORD}))
        .send()
        .await
        .expect("signup");
    let res = if res.status() == 409 {
        http.post(format!("{base}/api/auth/login"))
            .json(&serde_json::json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .expect("login")
    } else {
        res
    };
    assert!(
        res.status().is_success(),
        "signup/login of {email}: {}",
        res.status()
    );
    let session: Session = res.json().await.expect("session");
    session.token
}

/// An HTTP client that sends `token` as a bearer on every request (a request's own
/// `bearer_auth` replaces it).
pub fn authed_client(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    let value = format!("Bearer {token}").parse().expect("header value");
    headers.insert(reqwest::header::AUTHORIZATION, value);
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("client")
}

/// The account behind a session token (`GET /api/me`).
pub async fn me(s: &TestServer, token: &str) -> Me {
    s.http
        .get(s.url("/api/me"))
        .bearer_auth(token)
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json")
}

/// A member of `map` (signed up now) with `role`, and their token.
pub async fn member(s: &TestServer, map: &str, email: &str, role: &str) -> String {
    let token = s.user(email).await;
    s.add_member(map, email, role).await;
    token
}
