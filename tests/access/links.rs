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
