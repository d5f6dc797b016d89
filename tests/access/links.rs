//! Links: a public link reads one map, live and read-only, until revoked; a share link
//! joins with its role until it expires, and never grants ownership.

use std::time::Duration;

use parcours_shared::api::ShareLink;
use parcours_shared::schema::At;
use reqwest::Method;
use serde_json::{json, Value};

use crate::common::{call, client_view, delete, edit, get, post, TestDb, TestServer, WAIT};

async fn a_public_link_gives_read_only_access_and_nothing_more(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Public").await.id.0;
    let links = format!("/api/maps/{map}/links");
    let (status, _) = post(
        &s,
        &s.token,
        &links,
        json!({"role": "editor", "public": true}),
    )
    .await;
    assert_eq!(status, 422, "public links are viewer-only");
    let (_, link) = post(
        &s,
        &s.token,
        &links,
        json!({"role": "viewer", "public": true}),
    )
    .await;
    let link: ShareLink = serde_json::from_value(link).expect("json");
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
    let (status, _) = delete(&s, &s.token, &format!("{links}/{}", link.id)).await;
    assert_eq!(status, 204);
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
both_backends!(a_public_link_gives_read_only_access_and_nothing_more);

async fn share_links_join_with_their_role_until_expired_or_revoked(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Links").await.id.0;
    let soon = parcours_server::util::now_ms() + 1_500;
    let (_, link) = post(
        &s,
        &s.token,
        &format!("/api/maps/{map}/links"),
        json!({"role": "editor", "expires_at": soon}),
    )
    .await;
    let link: ShareLink = serde_json::from_value(link).expect("json");
    let token = link.token.expect("token");
    let joiner = s.user("joiner@example.com").await;
    let accept = format!("/api/links/{token}/accept");
    let (status, joined) = call(&s, Method::POST, Some(&joiner), &accept, None).await;
    assert_eq!(status, 200);
    assert_eq!(joined["role"], "editor");
    let list: Value = get(&s, &joiner, "/api/maps").await;
    assert_eq!(
        list["maps"][0]["role"], "editor",
        "the maps list shows the caller's role"
    );
    let links: Value = get(&s, &s.token, &format!("/api/maps/{map}/links")).await;
    assert!(
        links["links"][0].get("token").is_none(),
        "tokens are shown once, at creation"
    );
    tokio::time::sleep(Duration::from_millis(1_600)).await;
    let late = s.user("late@example.com").await;
    let (status, _) = call(&s, Method::POST, Some(&late), &accept, None).await;
    assert_eq!(status, 404, "expired links no longer work");
    let (status, _) = post(
        &s,
        &s.token,
        &format!("/api/maps/{map}/links"),
        json!({"role": "owner"}),
    )
    .await;
    assert_eq!(status, 422, "no link grants ownership");
}
both_backends!(share_links_join_with_their_role_until_expired_or_revoked);

/// Opens the map's comment routes as a public-link visitor; the statuses, in order:
/// threads, rounds, one round, its start view, the event stream.
async fn discussion_statuses(s: &TestServer, map: &str, round: &str, token: &str) -> Vec<u16> {
    let mut statuses = Vec::new();
    for path in [
        format!("/api/maps/{map}/threads?link={token}"),
        format!("/api/maps/{map}/rounds?link={token}"),
        format!("/api/maps/{map}/rounds/{round}?link={token}"),
        format!("/api/maps/{map}/rounds/{round}/start-view?link={token}"),
        format!("/api/maps/{map}/events?link={token}"),
    ] {
        let (status, _) = call(s, Method::GET, None, &path, None).await;
        statuses.push(status.as_u16());
    }
    statuses
}

/// A public link shows the map and, unless it was made to include them, not the team's
/// comment threads and review rounds; one that includes them reads but never writes.
async fn public_links_show_the_discussion_only_when_made_to(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Shown").await.id.0;
    let (status, _) = post(
        &s,
        &s.token,
        &format!("/api/maps/{map}/threads"),
        json!({"anchor": {"kind": "map"}, "body": "Internal: the CFO hates stage 3"}),
    )
    .await;
    assert_eq!(status, 201);
    let owner_id = crate::common::me(&s, &s.token).await.id.0;
    let due = parcours_server::util::now_ms() + 86_400_000;
    let (status, round) = post(
        &s,
        &s.token,
        &format!("/api/maps/{map}/rounds"),
        json!({"title": "Internal review", "due_at": due, "reviewers": [owner_id]}),
    )
    .await;
    assert_eq!(status, 201, "{round}");
    let round = round["id"].as_str().expect("round id").to_owned();
    let links = format!("/api/maps/{map}/links");
    let (_, plain) = post(
        &s,
        &s.token,
        &links,
        json!({"role": "viewer", "public": true}),
    )
    .await;
    assert_eq!(plain["include_comments"], false, "off by default");
    let plain = plain["token"].as_str().expect("token").to_owned();
    let (_, with) = post(
        &s,
        &s.token,
        &links,
        json!({"role": "viewer", "public": true, "include_comments": true}),
    )
    .await;
    assert_eq!(with["include_comments"], true);
    let with = with["token"].as_str().expect("token").to_owned();

    // The map itself, and nothing of the discussion, not even a count.
    let (status, detail) = call(
        &s,
        Method::GET,
        None,
        &format!("/api/maps/{map}?link={plain}"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        detail["discussion"], false,
        "the app is told to show no discussion"
    );
    let text = detail.to_string();
    assert!(
        !text.contains("thread") && !text.contains("comment") && !text.contains("CFO"),
        "no trace of the discussion in the map: {text}"
    );
    assert_eq!(
        discussion_statuses(&s, &map, &round, &plain).await,
        [403, 403, 403, 403, 403]
    );
    let (_, detail) = call(
        &s,
        Method::GET,
        None,
        &format!("/api/maps/{map}?link={with}"),
        None,
    )
    .await;
    assert_eq!(detail["discussion"], true);
    assert_eq!(
        discussion_statuses(&s, &map, &round, &with).await,
        [200, 200, 200, 200, 200]
    );
    // Reading is all a link with comments allows.
    let (status, _) = call(
        &s,
        Method::POST,
        None,
        &format!("/api/maps/{map}/threads?link={with}"),
        Some(json!({"anchor": {"kind": "map"}, "body": "from outside"})),
    )
    .await;
    assert_eq!(status, 401);
    let threads: Value = get(&s, &s.token, &format!("/api/maps/{map}/threads")).await;
    assert_eq!(threads["threads"].as_array().map(Vec::len), Some(1));
    // The audit trail says which was which.
    let audit: Value = get(&s, &s.token, &format!("/api/maps/{map}/audit")).await;
    let details: Vec<&str> = audit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["action"] == "link_created")
        .map(|e| e["detail"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        details,
        [
            "viewer, public, without comments",
            "viewer, public, with comments and review rounds"
        ]
    );
}
both_backends!(public_links_show_the_discussion_only_when_made_to);
