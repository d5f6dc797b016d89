//! Links: a public link cannot be turned into a membership; revoking a share link with
//! `remove_members=true` ends the memberships it made (and their live sockets), without
//! the flag it leaves them.

use parcours_shared::api::ShareLink;
use parcours_shared::schema::At;
use reqwest::Method;
use serde_json::{json, Value};

use crate::common::{call, delete, edit, get, me, member, post, TestDb, TestServer, WAIT};

async fn roster(s: &TestServer, map: &str) -> Vec<(String, String)> {
    let list: Value = get(s, &s.token, &format!("/api/maps/{map}/members")).await;
    let mut out: Vec<(String, String)> = list["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| {
            (
                m["email"].as_str().unwrap_or_default().to_owned(),
                m["role"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

async fn new_link(s: &TestServer, map: &str, body: Value) -> ShareLink {
    let (status, link) = post(s, &s.token, &format!("/api/maps/{map}/links"), body).await;
    assert_eq!(status, 201, "{link}");
    serde_json::from_value(link).expect("link")
}

async fn accepting_a_public_link_makes_no_member(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Public").await.id.0;
    let link = new_link(&s, &map, json!({"role": "viewer", "public": true})).await;
    let token = link.token.expect("token");
    let joiner = s.user("joiner@example.com").await;
    let before = roster(&s, &map).await;

    let (status, body) = call(
        &s,
        Method::POST,
        Some(&joiner),
        &format!("/api/links/{token}/accept"),
        None,
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["code"], "public_link");

    assert_eq!(roster(&s, &map).await, before, "members unchanged");
    let (status, _) = call(
        &s,
        Method::GET,
        Some(&joiner),
        &format!("/api/maps/{map}"),
        None,
    )
    .await;
    assert_eq!(
        status, 403,
        "the account's own session does not open the map"
    );
}
both_backends!(accepting_a_public_link_makes_no_member);

async fn revoking_a_share_link_ends_its_memberships_only_when_asked(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Shared").await.id.0;
    // Someone invited the ordinary way, untouched by either revocation.
    let invited = member(&s, &map, "invited@example.com", "editor").await;
    let removed_link = new_link(&s, &map, json!({"role": "editor"})).await;
    let kept_link = new_link(&s, &map, json!({"role": "commenter"})).await;
    let gone = s.user("gone@example.com").await;
    let stays = s.user("stays@example.com").await;
    for (token, link) in [(&gone, &removed_link), (&stays, &kept_link)] {
        let path = format!(
            "/api/links/{}/accept",
            link.token.as_deref().expect("token")
        );
        let (status, body) = call(&s, Method::POST, Some(token), &path, None).await;
        assert_eq!(status, 200, "{body}");
    }
    let owner = s.client(&map).await;
    let gone_socket = s.client_as(&map, &gone).await;
    let stays_socket = s.client_as(&map, &stays).await;
    let invited_socket = s.client_as(&map, &invited).await;
    let before = roster(&s, &map).await;
    assert_eq!(before.len(), 4, "{before:?}");

    let (status, _) = delete(
        &s,
        &s.token,
        &format!(
            "/api/maps/{map}/links/{}?remove_members=true",
            removed_link.id
        ),
    )
    .await;
    assert_eq!(status, 204);
    let closed = gone_socket.wait_closed(WAIT).await.expect("closed");
    assert_eq!(closed.code, 4403, "{closed:?}");
    let (status, _) = call(
        &s,
        Method::GET,
        Some(&gone),
        &format!("/api/maps/{map}"),
        None,
    )
    .await;
    assert_eq!(status, 403, "no longer a member");
    let gone_id = me(&s, &gone).await.id.0;
    let after = roster(&s, &map).await;
    let expected: Vec<_> = before
        .iter()
        .filter(|(email, _)| email != "gone@example.com")
        .cloned()
        .collect();
    assert_eq!(after, expected, "only the link's member left");
    let list: Value = get(&s, &s.token, &format!("/api/maps/{map}/members")).await;
    assert!(!list.to_string().contains(&gone_id));

    let (status, _) = delete(
        &s,
        &s.token,
        &format!("/api/maps/{map}/links/{}", kept_link.id),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(
        roster(&s, &map).await,
        expected,
        "without the flag, members stay"
    );
    // The others' sockets are still live: an edit after the revocations reaches them.
    edit(&owner, |m| m.add_stage("after", "After", At::End)).expect("edit");
    for (who, socket) in [("stays", &stays_socket), ("invited", &invited_socket)] {
        assert!(
            socket
                .wait_until(WAIT, |d| parcours_shared::view::read_view(d)
                    .stages
                    .iter()
                    .any(|st| st.id == "after"))
                .await,
            "{who} still syncs"
        );
        assert!(socket.closed().is_none(), "{who}'s socket is open");
    }
    let (status, _) = call(
        &s,
        Method::GET,
        Some(&stays),
        &format!("/api/maps/{map}"),
        None,
    )
    .await;
    assert_eq!(status, 200);
}
both_backends!(revoking_a_share_link_ends_its_memberships_only_when_asked);
