//! What the comment tests start from: a team of accounts (one per role and a stranger),
//! a map they are members of, a card edited in live on it, and opening a thread or reading an inbox as one of them.

use parcours_bench::YClient;
use parcours_shared::api::{Inbox, PostedThread};
use parcours_shared::schema::At;
use serde_json::{json, Value};

use crate::common::{client_view, edit, eventually, get, me, post, TestServer};

pub const DAY_MS: i64 = 24 * 3600 * 1000;

/// The accounts of a test: the default owner plus an editor, a commenter, a viewer and
/// a stranger who is on no map.
pub struct Team {
    pub owner: String,
    pub editor: String,
    pub commenter: String,
    pub viewer: String,
    pub stranger: String,
    pub editor_id: String,
    pub commenter_id: String,
    pub viewer_id: String,
    pub owner_id: String,
}

pub async fn team(s: &TestServer) -> Team {
    let editor = s.user("editor@example.com").await;
    let commenter = s.user("commenter@example.com").await;
    let viewer = s.user("viewer@example.com").await;
    let stranger = s.user("stranger@example.com").await;
    Team {
        editor_id: me(s, &editor).await.id.0,
        commenter_id: me(s, &commenter).await.id.0,
        viewer_id: me(s, &viewer).await.id.0,
        owner_id: me(s, &s.token).await.id.0,
        owner: s.token.clone(),
        editor,
        commenter,
        viewer,
        stranger,
    }
}

/// A map of the default owner with the team's editor, commenter and viewer.
pub async fn team_map(s: &TestServer) -> String {
    let map = s.create_map("Onboarding").await.id.0;
    for (email, role) in [
        ("editor@example.com", "editor"),
        ("commenter@example.com", "commenter"),
        ("viewer@example.com", "viewer"),
    ] {
        s.add_member(&map, email, role).await;
    }
    map
}

/// A live client of the owner on `map` that adds stage `s1` and, in the first lane,
/// card `c1`; returns once the server has the card, with the client and that lane.
pub async fn live_card(s: &TestServer, map: &str) -> (YClient, String) {
    let live = s.client(map).await;
    let lane = client_view(&live).lanes[0].id.clone();
    edit(&live, |m| m.add_stage("s1", "Awareness", At::End)).expect("stage");
    edit(&live, |m| {
        m.add_card("c1", "s1", &lane, At::End, "Sees an ad")
    })
    .expect("card");
    eventually("the server has the card", || async {
        s.view(map).await.cards.iter().any(|c| c.id == "c1")
    })
    .await;
    (live, lane)
}

/// Opens a thread on `map` at `anchor` as `token`.
pub async fn new_thread(
    s: &TestServer,
    token: &str,
    map: &str,
    anchor: Value,
    body: &str,
) -> PostedThread {
    let (status, res) = post(
        s,
        token,
        &format!("/api/maps/{map}/threads"),
        json!({"anchor": anchor, "body": body}),
    )
    .await;
    assert_eq!(status, 201, "new thread: {res}");
    serde_json::from_value(res).expect("posted thread")
}

/// The first page of `token`'s inbox.
pub async fn inbox(s: &TestServer, token: &str) -> Inbox {
    get(s, token, "/api/inbox").await
}
