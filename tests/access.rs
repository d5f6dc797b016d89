//! Accounts, sessions and roles, enforced on every REST route and on the live socket.

mod common;

use std::time::Duration;

use common::{authed_client, client_view, edit, TestDb, TestServer, PASSWORD, WAIT};
use parcours_server::store::Backend;
use parcours_shared::api::{Me, Session, ShareLink};
use parcours_shared::schema::At;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn server() -> (TestDb, TestServer) {
    let db = TestDb::new(Backend::Sqlite).await;
    let server = TestServer::start(db.config()).await;
    (db, server)
}

async fn me(s: &TestServer, token: &str) -> Me {
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

fn b64url(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// A token for `sub`, signed with `key` (HS256), expiring `exp_offset` seconds from now.
fn mint(sub: &str, key: &[u8], exp_offset: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("time")
        .as_secs() as i64;
    let claims = json!({"sub": sub, "iat": now, "exp": now + exp_offset, "ver": 0});
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(key),
    )
    .expect("encode")
}

/// An unsigned `alg: none` token claiming to be `sub`.
fn alg_none(sub: &str) -> String {
    let header = b64url(br#"{"alg":"none","typ":"JWT"}"#);
    let claims = b64url(
        json!({"sub": sub, "exp": 4_000_000_000u64, "iat": 0, "ver": 0})
            .to_string()
            .as_bytes(),
    );
    format!("{header}.{claims}.")
}

/// The identities of the matrix and their tokens (`None`: anonymous).
struct Identities {
    names: Vec<&'static str>,
    tokens: Vec<Option<String>>,
}

/// One map set up afresh for a cell of the matrix.
struct Fixture {
    map: String,
    target: String,
    editor_id: String,
    link_id: String,
    link_token: String,
}

async fn fixture(
    s: &TestServer,
    owner: &str,
    ids: &std::collections::HashMap<&str, String>,
) -> Fixture {
    let http = authed_client(owner);
    let map: Value = http
        .post(s.url("/api/maps"))
        .json(&json!({"title": "Matrix"}))
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("json");
    let map = map["id"].as_str().expect("id").to_owned();
    for (email, role) in [
        ("editor@example.com", "editor"),
        ("commenter@example.com", "commenter"),
        ("viewer@example.com", "viewer"),
        ("owner2@example.com", "owner"),
        ("target@example.com", "viewer"),
    ] {
        let res = http
            .post(s.url(&format!("/api/maps/{map}/members")))
            .json(&json!({"email": email, "role": role}))
            .send()
            .await
            .expect("add member");
        assert_eq!(res.status(), 201);
    }
    let link: ShareLink = http
        .post(s.url(&format!("/api/maps/{map}/links")))
        .json(&json!({"role": "commenter"}))
        .send()
        .await
        .expect("link")
        .json()
        .await
        .expect("json");
    Fixture {
        map,
        target: ids["target"].clone(),
        editor_id: ids["editor"].clone(),
        link_id: link.id,
        link_token: link.token.expect("token"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorization_matrix_every_route_by_every_identity() {
    let (db, s) = server().await;
    let mut ids = std::collections::HashMap::new();
    let mut tokens = std::collections::HashMap::new();
    tokens.insert("owner", s.token.clone());
    for name in [
        "editor",
        "commenter",
        "viewer",
        "owner2",
        "target",
        "nonmember",
    ] {
        let token = s.user(&format!("{name}@example.com")).await;
        ids.insert(name, me(&s, &token).await.id.0);
        tokens.insert(name, token);
    }
    let owner_id = me(&s, &s.token).await.id.0;
    let key = std::fs::read(db.dir.path().join("session-key")).expect("generated key file");
    // owner2 signs out: its token is now revoked (and owner2 stays an owner of every map).
    let revoked = tokens["owner2"].clone();
    let res = s
        .http
        .post(s.url("/api/auth/logout"))
        .bearer_auth(&revoked)
        .send()
        .await
        .expect("logout");
    assert_eq!(res.status(), 204);

    let mut who = Identities {
        names: vec![],
        tokens: vec![],
    };
    for name in ["owner", "editor", "commenter", "viewer", "nonmember"] {
        who.names.push(name);
        who.tokens.push(Some(tokens[name].clone()));
    }
    who.names
        .extend(["anonymous", "expired", "other_key", "alg_none", "revoked"]);
    who.tokens.push(None);
    who.tokens.push(Some(mint(&owner_id, &key, -3600)));
    who.tokens.push(Some(mint(
        &owner_id,
        b"not-the-server-key-not-the-server-key",
        3600,
    )));
    who.tokens.push(Some(alg_none(&owner_id)));
    who.tokens.push(Some(revoked));

    // (route, method, path, body, expected status for owner/editor/commenter/viewer/nonmember);
    // every bad credential expects 401.
    type Route = (
        &'static str,
        Method,
        fn(&Fixture) -> String,
        Option<fn(&Fixture) -> Value>,
        [u16; 5],
    );
    let routes: Vec<Route> = vec![
        (
            "me",
            Method::GET,
            |_| "/api/me".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            "list maps",
            Method::GET,
            |_| "/api/maps".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            "create map",
            Method::POST,
            |_| "/api/maps".into(),
            Some(|_| json!({"title": "New"})),
            [201, 201, 201, 201, 201],
        ),
        (
            "read map",
            Method::GET,
            |f| format!("/api/maps/{}", f.map),
            None,
            [200, 200, 200, 200, 403],
        ),
        (
            "archive map",
            Method::PATCH,
            |f| format!("/api/maps/{}", f.map),
            Some(|_| json!({"archived": true})),
            [200, 403, 403, 403, 403],
        ),
        (
            "delete map",
            Method::DELETE,
            |f| format!("/api/maps/{}", f.map),
            None,
            [204, 403, 403, 403, 403],
        ),
        (
            "list members",
            Method::GET,
            |f| format!("/api/maps/{}/members", f.map),
            None,
            [200, 200, 200, 200, 403],
        ),
        (
            "invite",
            Method::POST,
            |f| format!("/api/maps/{}/members", f.map),
            Some(|_| json!({"email": "newbie@example.com", "role": "viewer"})),
            [202, 403, 403, 403, 403],
        ),
        (
            "change role",
            Method::PATCH,
            |f| format!("/api/maps/{}/members/{}", f.map, f.target),
            Some(|_| json!({"role": "commenter"})),
            [200, 403, 403, 403, 403],
        ),
        (
            "remove member",
            Method::DELETE,
            |f| format!("/api/maps/{}/members/{}", f.map, f.target),
            None,
            [204, 403, 403, 403, 403],
        ),
        (
            "transfer",
            Method::POST,
            |f| format!("/api/maps/{}/transfer", f.map),
            Some(|f| json!({"user_id": f.editor_id})),
            [204, 403, 403, 403, 403],
        ),
        (
            "list links",
            Method::GET,
            |f| format!("/api/maps/{}/links", f.map),
            None,
            [200, 403, 403, 403, 403],
        ),
        (
            "create link",
            Method::POST,
            |f| format!("/api/maps/{}/links", f.map),
            Some(|_| json!({"role": "viewer"})),
            [201, 403, 403, 403, 403],
        ),
        (
            "revoke link",
            Method::DELETE,
            |f| format!("/api/maps/{}/links/{}", f.map, f.link_id),
            None,
            [204, 403, 403, 403, 403],
        ),
        (
            "accept link",
            Method::POST,
            |f| format!("/api/links/{}/accept", f.link_token),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            "audit",
            Method::GET,
            |f| format!("/api/maps/{}/audit", f.map),
            None,
            [200, 403, 403, 403, 403],
        ),
        (
            "sync socket",
            Method::GET,
            |f| format!("/sync/{}", f.map),
            None,
            [101, 101, 101, 101, 403],
        ),
        (
            "change password",
            Method::POST,
            |_| "/api/auth/password".into(),
            Some(|_| json!({"current_password": PASSWORD, "new_password": PASSWORD})),
            [200, 200, 200, 200, 200],
        ),
        (
            "logout",
            Method::POST,
            |_| "/api/auth/logout".into(),
            None,
            [204, 204, 204, 204, 204],
        ),
    ];
    let anonymous = reqwest::Client::new();
    let mut failures = Vec::new();
    for (route, method, path, body, expected) in &routes {
        for (i, name) in who.names.iter().enumerate() {
            let owner_token = who.tokens[0].clone().expect("owner token");
            let f = fixture(&s, &owner_token, &ids).await;
            let mut req = anonymous.request(method.clone(), s.url(&path(&f)));
            if let Some(token) = &who.tokens[i] {
                req = req.bearer_auth(token);
            }
            if let Some(body) = body {
                req = req.json(&body(&f));
            }
            if *route == "sync socket" {
                req = req
                    .header("connection", "upgrade")
                    .header("upgrade", "websocket")
                    .header("sec-websocket-version", "13")
                    .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==");
            }
            let status = req.send().await.expect("request").status().as_u16();
            let want = if i < 5 { expected[i] } else { 401 };
            if status != want {
                failures.push(format!("{route} as {name}: got {status}, want {want}"));
            }
            // Signing out or changing the password ends that account's sessions: sign in again.
            if i < 5 && (*route == "logout" || *route == "change password") {
                let email = format!("{name}@example.com");
                who.tokens[i] = Some(
                    common::ensure_user(&anonymous, &format!("http://{}", s.addr), &email).await,
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization matrix mismatches:\n{}",
        failures.join("\n")
    );
}

/// A member of `map` (signed up now) with `role`, and their token.
async fn member(s: &TestServer, map: &str, email: &str, role: &str) -> String {
    let token = s.user(email).await;
    s.add_member(map, email, role).await;
    token
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn viewer_and_commenter_edits_never_reach_peers_or_the_database() {
    let (_db, s) = server().await;
    let map = s.create_map("Read-only peers").await.id.0;
    let viewer = member(&s, &map, "viewer@example.com", "viewer").await;
    let commenter = member(&s, &map, "commenter@example.com", "commenter").await;
    let editor = s.client(&map).await;
    let v = s.client_as(&map, &viewer).await;
    let c = s.client_as(&map, &commenter).await;
    edit(&v, |m| m.add_stage("from-viewer", "Viewer stage", At::End)).expect("local edit");
    edit(&c, |m| {
        m.add_stage("from-commenter", "Commenter stage", At::End)
    })
    .expect("local edit");
    // An edit by the editor after theirs: once it arrives, theirs would have too.
    edit(&editor, |m| {
        m.add_stage("from-editor", "Editor stage", At::End)
    })
    .expect("edit");
    assert!(
        v.wait_until(WAIT, |d| parcours_shared::view::read_view(d)
            .stages
            .iter()
            .any(|st| st.id == "from-editor"))
            .await,
        "read-only peers still receive live updates"
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    let ids: Vec<String> = client_view(&editor)
        .stages
        .into_iter()
        .map(|st| st.id)
        .collect();
    assert_eq!(ids, ["from-editor"], "the editor never saw their edits");
    // Nor does the server's copy or a newcomer (what the database holds after a flush).
    assert_eq!(s.view(&map).await.stages.len(), 1);
    s.stop().await;
    let s = TestServer::start(_db.config()).await;
    assert_eq!(
        s.view(&map).await.stages.len(),
        1,
        "nothing of theirs was persisted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_demoted_while_connected_can_no_longer_change_the_map() {
    let (_db, s) = server().await;
    let map = s.create_map("Demotion").await.id.0;
    let token = member(&s, &map, "editor@example.com", "editor").await;
    let user_id = me(&s, &token).await.id.0;
    let owner = s.client(&map).await;
    let e = s.client_as(&map, &token).await;
    edit(&e, |m| m.add_stage("before", "Before", At::End)).expect("edit");
    assert!(
        owner
            .wait_until(WAIT, |d| parcours_shared::view::read_view(d).stages.len()
                == 1)
            .await,
        "editors edit"
    );
    let res = s
        .http
        .patch(s.url(&format!("/api/maps/{map}/members/{user_id}")))
        .json(&json!({"role": "viewer"}))
        .send()
        .await
        .expect("demote");
    assert_eq!(res.status(), 200);
    // Within a second the same socket is read-only.
    tokio::time::sleep(Duration::from_millis(100)).await;
    edit(&e, |m| m.add_stage("after", "After", At::End)).expect("local edit");
    edit(&owner, |m| m.add_stage("marker", "Marker", At::End)).expect("edit");
    assert!(
        e.wait_until(WAIT, |d| parcours_shared::view::read_view(d)
            .stages
            .iter()
            .any(|st| st.id == "marker"))
            .await
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    let ids: Vec<String> = client_view(&owner)
        .stages
        .into_iter()
        .map(|st| st.id)
        .collect();
    assert_eq!(ids, ["before", "marker"]);
    assert!(
        e.closed().is_none(),
        "demotion keeps the socket open, read-only"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_member_socket_is_closed() {
    let (_db, s) = server().await;
    let map = s.create_map("Removal").await.id.0;
    let token = member(&s, &map, "leaver@example.com", "editor").await;
    let user_id = me(&s, &token).await.id.0;
    let c = s.client_as(&map, &token).await;
    let started = std::time::Instant::now();
    let res = s
        .http
        .delete(s.url(&format!("/api/maps/{map}/members/{user_id}")))
        .send()
        .await
        .expect("remove");
    assert_eq!(res.status(), 204);
    let closed = c
        .wait_closed(Duration::from_secs(1))
        .await
        .expect("closed within a second");
    assert_eq!(closed.code, 4403);
    assert!(started.elapsed() < Duration::from_secs(1));
    // And cannot come back.
    assert!(
        parcours_bench::YClient::connect(&s.sync_url_as(&map, &token))
            .await
            .is_err()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_closes_that_accounts_sockets_and_revokes_its_tokens() {
    let (_db, s) = server().await;
    let map = s.create_map("Sign out").await.id.0;
    let token = member(&s, &map, "someone@example.com", "editor").await;
    let c = s.client_as(&map, &token).await;
    let res = s
        .http
        .post(s.url("/api/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("logout");
    assert_eq!(res.status(), 204);
    assert!(res.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .contains("Max-Age=0"));
    assert_eq!(c.wait_closed(WAIT).await.expect("closed").code, 4401);
    let res = s
        .http
        .get(s.url("/api/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("me");
    assert_eq!(res.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_forged_and_anonymous_sockets_are_refused_at_upgrade() {
    let (db, s) = server().await;
    let map = s.create_map("Guarded").await.id.0;
    let owner_id = me(&s, &s.token).await.id.0;
    let key = std::fs::read(db.dir.path().join("session-key")).expect("key");
    for (what, url) in [
        ("anonymous", format!("ws://{}/sync/{map}", s.addr)),
        (
            "expired",
            s.sync_url_as(&map, &mint(&owner_id, &key, -3600)),
        ),
        (
            "other key",
            s.sync_url_as(
                &map,
                &mint(&owner_id, b"another-key-another-key-another-key", 3600),
            ),
        ),
        ("alg none", s.sync_url_as(&map, &alg_none(&owner_id))),
        ("garbage", s.sync_url_as(&map, "not.a.token")),
    ] {
        match tokio_tungstenite::connect_async(&url).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(res)) => {
                assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{what}")
            }
            other => panic!("{what}: expected a 401 at upgrade, got {other:?}"),
        }
    }
    let stranger = s.user("stranger@example.com").await;
    match tokio_tungstenite::connect_async(&s.sync_url_as(&map, &stranger)).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => {
            assert_eq!(res.status(), StatusCode::FORBIDDEN)
        }
        other => panic!("non-member: expected 403, got {other:?}"),
    }
    // The session cookie works too (what the browser sends).
    let req = tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
        format!("ws://{}/sync/{map}", s.addr),
    )
    .map(|mut r| {
        r.headers_mut().insert(
            "cookie",
            format!("parcours_session={}", s.token)
                .parse()
                .expect("header"),
        );
        r
    })
    .expect("request");
    assert!(
        tokio_tungstenite::connect_async(req).await.is_ok(),
        "cookie sessions are accepted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_link_gives_read_only_access_and_nothing_more() {
    let (_db, s) = server().await;
    let map = s.create_map("Public").await.id.0;
    let res = s
        .http
        .post(s.url(&format!("/api/maps/{map}/links")))
        .json(&json!({"role": "editor", "public": true}))
        .send()
        .await
        .expect("link");
    assert_eq!(res.status(), 422, "public links are viewer-only");
    let link: ShareLink = s
        .http
        .post(s.url(&format!("/api/maps/{map}/links")))
        .json(&json!({"role": "viewer", "public": true}))
        .send()
        .await
        .expect("link")
        .json()
        .await
        .expect("json");
    let token = link.token.expect("token");
    let anon = reqwest::Client::new();
    // Reads the map...
    let res = anon
        .get(s.url(&format!("/api/maps/{map}?link={token}")))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.expect("json")["role"], "viewer");
    // ...and nothing else.
    for (method, path) in [
        (Method::GET, format!("/api/maps/{map}/members?link={token}")),
        (Method::PATCH, format!("/api/maps/{map}?link={token}")),
        (Method::GET, "/api/maps".to_owned()),
    ] {
        let status = anon
            .request(method, s.url(&path))
            .json(&json!({"archived": true}))
            .send()
            .await
            .expect("req")
            .status();
        assert_eq!(status, 401, "{path}");
    }
    let other = s.create_map("Other").await.id.0;
    assert_eq!(
        anon.get(s.url(&format!("/api/maps/{other}?link={token}")))
            .send()
            .await
            .expect("get")
            .status(),
        401,
        "only its own map"
    );
    // Live, read-only.
    let owner = s.client(&map).await;
    let viewer =
        parcours_bench::YClient::connect(&format!("ws://{}/sync/{map}?link={token}", s.addr))
            .await
            .expect("connect");
    viewer.wait_synced(WAIT).await.expect("sync");
    edit(&viewer, |m| m.add_stage("anon", "Anon", At::End)).expect("local edit");
    edit(&owner, |m| m.add_stage("real", "Real", At::End)).expect("edit");
    assert!(
        viewer
            .wait_until(WAIT, |d| parcours_shared::view::read_view(d)
                .stages
                .iter()
                .any(|st| st.id == "real"))
            .await
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        client_view(&owner).stages.len(),
        1,
        "the anonymous edit went nowhere"
    );
    // Revoking the link closes its sockets and refuses new ones.
    let res = s
        .http
        .delete(s.url(&format!("/api/maps/{map}/links/{}", link.id)))
        .send()
        .await
        .expect("revoke");
    assert_eq!(res.status(), 204);
    assert_eq!(viewer.wait_closed(WAIT).await.expect("closed").code, 4403);
    assert_eq!(
        anon.get(s.url(&format!("/api/maps/{map}?link={token}")))
            .send()
            .await
            .expect("get")
            .status(),
        401
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn share_links_join_with_their_role_until_expired_or_revoked() {
    let (_db, s) = server().await;
    let map = s.create_map("Links").await.id.0;
    let soon = parcours_server::util::now_ms() + 1_500;
    let link: ShareLink = s
        .http
        .post(s.url(&format!("/api/maps/{map}/links")))
        .json(&json!({"role": "editor", "expires_at": soon}))
        .send()
        .await
        .expect("link")
        .json()
        .await
        .expect("json");
    let token = link.token.expect("token");
    let joiner = s.user("joiner@example.com").await;
    let res = s
        .http
        .post(s.url(&format!("/api/links/{token}/accept")))
        .bearer_auth(&joiner)
        .send()
        .await
        .expect("accept");
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.expect("json")["role"], "editor");
    let list: Value = s
        .http
        .get(s.url("/api/maps"))
        .bearer_auth(&joiner)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(
        list["maps"][0]["role"], "editor",
        "the maps list shows the caller's role"
    );
    let links: Value = s
        .http
        .get(s.url(&format!("/api/maps/{map}/links")))
        .send()
        .await
        .expect("links")
        .json()
        .await
        .expect("json");
    assert!(
        links["links"][0].get("token").is_none(),
        "tokens are shown once, at creation"
    );
    tokio::time::sleep(Duration::from_millis(1_600)).await;
    let late = s.user("late@example.com").await;
    let res = s
        .http
        .post(s.url(&format!("/api/links/{token}/accept")))
        .bearer_auth(&late)
        .send()
        .await
        .expect("accept");
    assert_eq!(res.status(), 404, "expired links no longer work");
    let res = s
        .http
        .post(s.url(&format!("/api/maps/{map}/links")))
        .json(&json!({"role": "owner"}))
        .send()
        .await
        .expect("link");
    assert_eq!(res.status(), 422, "no link grants ownership");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitations_by_email_roles_and_the_audit_trail() {
    let (_db, s) = server().await;
    let map = s.create_map("Invites").await.id.0;
    let res = s
        .http
        .post(s.url(&format!("/api/maps/{map}/members")))
        .json(&json!({"email": "Future@Example.com", "role": "commenter"}))
        .send()
        .await
        .expect("invite");
    assert_eq!(res.status(), 202, "no account yet: a pending invitation");
    let token = s.user("future@example.com").await;
    let list: Value = s
        .http
        .get(s.url("/api/maps"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(
        list["maps"][0]["role"], "commenter",
        "the invitation became a membership at sign-up"
    );
    let owner_id = me(&s, &s.token).await.id.0;
    let res = s
        .http
        .patch(s.url(&format!("/api/maps/{map}/members/{owner_id}")))
        .json(&json!({"role": "editor"}))
        .send()
        .await
        .expect("demote self");
    assert_eq!(res.status(), 409);
    assert_eq!(
        res.json::<Value>().await.expect("json")["code"],
        "last_owner"
    );
    let res = s
        .http
        .post(s.url(&format!("/api/maps/{map}/members")))
        .json(&json!({"email": "future@example.com", "role": "viewer"}))
        .send()
        .await
        .expect("again");
    assert_eq!(res.status(), 409);
    let audit: Value = s
        .http
        .get(s.url(&format!("/api/maps/{map}/audit")))
        .send()
        .await
        .expect("audit")
        .json()
        .await
        .expect("json");
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["action"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        actions,
        ["map_created", "invitation_created", "invitation_claimed"]
    );
    assert_eq!(audit["entries"][1]["actor"], owner_id.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_logins_are_rate_limited_per_account() {
    let (_db, s) = server().await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_validates_and_can_be_invite_only() {
    let db = TestDb::new(Backend::Sqlite).await;
    let mut config = db.config();
    config.signup = parcours_server::config::SignupPolicy::InviteOnly;
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
    s.http
        .post(s.url(&format!("/api/maps/{map}/members")))
        .json(&json!({"email": "invited@example.com", "role": "viewer"}))
        .send()
        .await
        .expect("invite");
    let res = signup("invited@example.com", "I", PASSWORD)
        .await
        .expect("signup");
    assert_eq!(res.status(), 201);
    let session: Session = res.json().await.expect("json");
    assert!(!session.user.is_admin, "only the first account is admin");
    assert!(me(&s, &s.token).await.is_admin);
    // The invitation is used up: signing up again is refused like any uninvited email.
    let res = signup("invited@example.com", "I", PASSWORD)
        .await
        .expect("signup");
    assert_eq!(res.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passwords_and_the_signing_key_never_reach_logs_storage_or_api_output() {
    let db = TestDb::new(Backend::Sqlite).await;
    let log_path = db.dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let s = common::ProcessServer::start_with(&db, "trace", std::process::Stdio::from(log)).await;
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

/// Two owners demote each other at the same instant, again and again: each time exactly
/// one of them wins, the other is refused, and the map keeps one owner. The
/// check and the change run in one transaction that first locks the map's row, so the
/// two cannot both count two owners (on PostgreSQL's read committed they could, before).
async fn owners_demoting_each_other_at_once_keep_one_owner(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let res = s
        .http
        .post(s.url("/api/maps"))
        .json(&json!({"title": "Two owners"}))
        .send()
        .await
        .expect("create");
    assert_eq!(res.status(), 201);
    let map = res.json::<Value>().await.expect("json")["id"]
        .as_str()
        .expect("id")
        .to_owned();
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
        let members: Value = s
            .http
            .get(s.url(&format!("/api/maps/{map}/members")))
            .send()
            .await
            .expect("members")
            .json()
            .await
            .expect("json");
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
