//! Invitations by email: a pending invitation becomes a membership at sign-up, a map
//! keeps its last owner, and the audit trail records who did what.

use serde_json::{json, Value};

use crate::common::{get, me, patch, post, TestDb, TestServer};

async fn invitations_by_email_roles_and_the_audit_trail(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let map = s.create_map("Invites").await.id.0;
    let members = format!("/api/maps/{map}/members");
    let (status, _) = post(
        &s,
        &s.token,
        &members,
        json!({"email": "Future@Example.com", "role": "commenter"}),
    )
    .await;
    assert_eq!(status, 202, "no account yet: a pending invitation");
    let token = s.user("future@example.com").await;
    let list: Value = get(&s, &token, "/api/maps").await;
    assert_eq!(
        list["maps"][0]["role"], "commenter",
        "the invitation became a membership at sign-up"
    );
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
    assert_eq!(status, 409);
    let audit: Value = get(&s, &s.token, &format!("/api/maps/{map}/audit")).await;
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
both_backends!(invitations_by_email_roles_and_the_audit_trail);
