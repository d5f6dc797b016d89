//! The authorization matrix: every REST route and the sync socket, called by every kind
//! of identity (each role, a non-member, anonymous, and four bad credentials).

use std::collections::HashMap;

use parcours_shared::api::ShareLink;
use reqwest::Method;
use serde_json::{json, Value};

use crate::common::{call, ensure_user, me, post, websocket_upgrade, TestDb, TestServer, PASSWORD};
use crate::tokens::{alg_none, mint};

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
    ids: &HashMap<&str, String>,
    tokens: &HashMap<&str, String>,
) -> Fixture {
    let (_, map) = post(s, owner, "/api/maps", json!({"title": "Matrix"})).await;
    let map = map["id"].as_str().expect("id").to_owned();
    for (email, role) in [
        ("editor@example.com", "editor"),
        ("commenter@example.com", "commenter"),
        ("viewer@example.com", "viewer"),
        ("owner2@example.com", "owner"),
        ("target@example.com", "viewer"),
    ] {
        // Invited by the owner and accepted by each account.
        let name = email.split('@').next().unwrap_or_default();
        s.add_member_with(owner, &map, email, role, &tokens[name])
            .await;
    }
    let (_, link) = post(
        s,
        owner,
        &format!("/api/maps/{map}/links"),
        json!({"role": "commenter"}),
    )
    .await;
    let link: ShareLink = serde_json::from_value(link).expect("json");
    Fixture {
        map,
        target: ids["target"].clone(),
        editor_id: ids["editor"].clone(),
        link_id: link.id,
        link_token: link.token.expect("token"),
    }
}

async fn authorization_matrix(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let mut ids = HashMap::new();
    let mut tokens = HashMap::new();
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
    let (status, _) = call(&s, Method::POST, Some(&revoked), "/api/auth/logout", None).await;
    assert_eq!(status, 204);
    // A new session of owner2's accepts its invitations to the fixtures' maps.
    tokens.insert("owner2", s.user("owner2@example.com").await);

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
            "export map",
            Method::GET,
            |f| format!("/api/maps/{}/export?format=csv", f.map),
            None,
            [200, 200, 200, 200, 403],
        ),
        (
            "import map",
            Method::POST,
            |_| "/api/maps/import?format=json".into(),
            Some(
                |_| json!({"format": "parcours-map", "version": 1, "map": {"meta": {"title": "Imported"}}}),
            ),
            [201, 201, 201, 201, 201],
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
            [201, 403, 403, 403, 403],
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
            // Sessions current now (signing out in an earlier row renewed some).
            let mut current = tokens.clone();
            for (n, t) in who.names.iter().zip(&who.tokens) {
                if let Some(t) = t {
                    current.insert(n, t.clone());
                }
            }
            let f = fixture(&s, &owner_token, &ids, &current).await;
            let mut req = anonymous.request(method.clone(), s.url(&path(&f)));
            if let Some(token) = &who.tokens[i] {
                req = req.bearer_auth(token);
            }
            if let Some(body) = body {
                req = req.json(&body(&f));
            }
            if *route == "sync socket" {
                req = websocket_upgrade(req);
            }
            let status = req.send().await.expect("request").status().as_u16();
            let want = if i < 5 { expected[i] } else { 401 };
            if status != want {
                failures.push(format!("{route} as {name}: got {status}, want {want}"));
            }
            // Signing out or changing the password ends that account's sessions: sign in again.
            if i < 5 && (*route == "logout" || *route == "change password") {
                let email = format!("{name}@example.com");
                who.tokens[i] =
                    Some(ensure_user(&anonymous, &format!("http://{}", s.addr), &email).await);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization matrix mismatches:\n{}",
        failures.join("\n")
    );
}
both_backends!(
    authorization_matrix_every_route_by_every_identity,
    authorization_matrix
);
