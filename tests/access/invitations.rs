//! Invitations by link: only the invitation's link (single use) makes a membership —
//! not signing up with the invited address; owners alone see pending invitations; a
//! map keeps its last owner; the audit trail records who did what.

use serde_json::{json, Value};

use crate::common::{get, invitation_secret, me, patch, post, TestDb, TestServer};

async fn invitations_by_link_roles_and_the_audit_trail(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Invites").await.id.0;
    let members = format!("/api/maps/{map}/members");
    let (status, body) = post(
        &s,
        &s.token,
        &members,
        json!({"email": "Future@Example.com", "role": "commenter"}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["invitation"]["email"], "future@example.com");
    assert_eq!(body["existing_account"], false);
    assert_eq!(body["emailed"], false, "no SMTP configured");
    let link = body["link"].as_str().expect("link").to_owned();
    let token = s.user("future@example.com").await;
    let list: Value = get(&s, &token, "/api/maps").await;
    assert_eq!(
        list["maps"].as_array().map(Vec::len),
        Some(0),
        "signing up with the invited address gives nothing"
    );
    let preview: Value = get(
        &s,
        &token,
        &format!("/api/invitations/{}", invitation_secret(&link)),
    )
    .await;
    assert_eq!(preview["map_title"], "Invites");
    assert_eq!(preview["role"], "commenter");
    let accept = format!("/api/invitations/{}/accept", invitation_secret(&link));
    let (status, accepted) = post(&s, &token, &accept, json!({})).await;
    assert_eq!(status, 200, "{accepted}");
    assert_eq!(accepted["role"], "commenter");
    let list: Value = get(&s, &token, "/api/maps").await;
    assert_eq!(list["maps"][0]["role"], "commenter");
    let (status, _) = post(&s, &token, &accept, json!({})).await;
    assert_eq!(status, 404, "an invitation works once");

    let owner_id = me(&s, &s.token).await.id.0;
    let (status, body) = patch(
        &s,
        &s.token,
        &format!("{members}/{owner_id}"),
        json!({"role": "editor"}),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(body["code"], "last_owner");
    let (status, _) = post(
        &s,
        &s.token,
        &members,
        json!({"email": "future@example.com", "role": "viewer"}),
    )
    .await;
    assert_eq!(status, 409, "a member is not invited again");
    let audit: Value = get(&s, &s.token, &format!("/api/maps/{map}/audit")).await;
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["action"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        actions,
        ["map_created", "invitation_created", "invitation_accepted"]
    );
    assert_eq!(audit["entries"][1]["actor"], owner_id.as_str());
}
both_backends!(invitations_by_link_roles_and_the_audit_trail);
