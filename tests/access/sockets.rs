//! Roles on the live socket: read-only members' edits go nowhere, a demoted editor turns
//! read-only, a removed member or a signed-out account is cut off, and bad credentials
//! are refused at the upgrade.

use std::time::Duration;

use parcours_shared::schema::At;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{call, client_view, delete, edit, me, member, patch, TestDb, TestServer, WAIT};
use crate::tokens::{alg_none, mint};

async fn viewer_and_commenter_edits_never_reach_peers_or_the_database(db: TestDb) {
    let s = TestServer::start(db.config()).await;
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
    let s = TestServer::start(db.config()).await;
    assert_eq!(
        s.view(&map).await.stages.len(),
        1,
        "nothing of theirs was persisted"
    );
}
both_backends!(viewer_and_commenter_edits_never_reach_peers_or_the_database);

async fn an_editor_demoted_while_connected_can_no_longer_change_the_map(db: TestDb) {
    let s = TestServer::start(db.config()).await;
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
    let (status, _) = patch(
        &s,
        &s.token,
        &format!("/api/maps/{map}/members/{user_id}"),
        json!({"role": "viewer"}),
    )
    .await;
    assert_eq!(status, 200);
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
both_backends!(an_editor_demoted_while_connected_can_no_longer_change_the_map);

async fn a_removed_member_socket_is_closed(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Removal").await.id.0;
    let token = member(&s, &map, "leaver@example.com", "editor").await;
    let user_id = me(&s, &token).await.id.0;
    let c = s.client_as(&map, &token).await;
    let started = std::time::Instant::now();
    let (status, _) = delete(&s, &s.token, &format!("/api/maps/{map}/members/{user_id}")).await;
    assert_eq!(status, 204);
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
both_backends!(a_removed_member_socket_is_closed);

async fn signing_out_closes_that_accounts_sockets_and_revokes_its_tokens(db: TestDb) {
    let s = TestServer::start(db.config()).await;
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
    let (status, _) = call(&s, Method::GET, Some(&token), "/api/me", None).await;
    assert_eq!(status, 401);
}
both_backends!(signing_out_closes_that_accounts_sockets_and_revokes_its_tokens);

async fn expired_forged_and_anonymous_sockets_are_refused_at_upgrade(db: TestDb) {
    let s = TestServer::start(db.config()).await;
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
    // The session cookie works too (what the browser sends, with its page's origin).
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
        r.headers_mut().insert(
            "origin",
            format!("http://{}", s.addr).parse().expect("header"),
        );
        r
    })
    .expect("request");
    assert!(
        tokio_tungstenite::connect_async(req).await.is_ok(),
        "cookie sessions are accepted"
    );
}
both_backends!(expired_forged_and_anonymous_sockets_are_refused_at_upgrade);
