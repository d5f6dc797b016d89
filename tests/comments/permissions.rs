//! Who may do what with comments and rounds: every comment, round, inbox and event
//! stream action by every role, a non-member and anonymous.

use reqwest::Method;
use serde_json::{json, Value};

use crate::common::{call, post, TestDb, TestServer};
use crate::team::{new_thread, team, team_map, Team, DAY_MS};

/// A map set up afresh for one cell of the matrix.
struct Fixture {
    map: String,
    /// A thread the commenter opened, and its first comment.
    commenter_thread: String,
    commenter_comment: String,
    /// An open thread the editor opened.
    editor_thread: String,
    /// A resolved thread the editor opened.
    resolved_thread: String,
    /// An open round with reviewers owner, editor and commenter.
    round: String,
}

async fn fixture(s: &TestServer, t: &Team) -> Fixture {
    let map = team_map(s).await;
    let map_anchor = json!({"kind": "map"});
    let c = new_thread(
        s,
        &t.commenter,
        &map,
        map_anchor.clone(),
        "From the commenter",
    )
    .await;
    let e = new_thread(s, &t.editor, &map, map_anchor.clone(), "From the editor").await;
    let r = new_thread(s, &t.editor, &map, map_anchor, "Settled").await;
    let (status, _) = post(
        s,
        &t.editor,
        &format!("/api/maps/{map}/threads/{}/resolve", r.thread.id),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, round) = post(
        s,
        &t.owner,
        &format!("/api/maps/{map}/rounds"),
        json!({"title": "Friday review", "due_at": parcours_server::util::now_ms() + DAY_MS * 3,
               "reviewers": [t.owner_id, t.editor_id, t.commenter_id]}),
    )
    .await;
    assert_eq!(status, 201, "open round: {round}");
    Fixture {
        commenter_comment: c.thread.comments[0].id.clone(),
        commenter_thread: c.thread.id,
        editor_thread: e.thread.id,
        resolved_thread: r.thread.id,
        round: round["id"].as_str().expect("round id").to_owned(),
        map,
    }
}

type Action = (
    &'static str,
    Method,
    fn(&Fixture) -> String,
    Option<fn(&Fixture) -> Value>,
    [u16; 6],
);

async fn permissions_matrix(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let t = team(&s).await;
    let who: [(&str, Option<&str>); 6] = [
        ("owner", Some(&t.owner)),
        ("editor", Some(&t.editor)),
        ("commenter", Some(&t.commenter)),
        ("viewer", Some(&t.viewer)),
        ("nonmember", Some(&t.stranger)),
        ("anonymous", None),
    ];
    // Expected status for owner, editor, commenter, viewer, non-member, anonymous.
    let actions: Vec<Action> = vec![
        (
            "list threads",
            Method::GET,
            |f| format!("/api/maps/{}/threads", f.map),
            None,
            [200, 200, 200, 200, 403, 401],
        ),
        (
            "open a thread",
            Method::POST,
            |f| format!("/api/maps/{}/threads", f.map),
            Some(|_| json!({"anchor": {"kind": "map"}, "body": "Why this stage?"})),
            [201, 201, 201, 403, 403, 401],
        ),
        (
            "reply",
            Method::POST,
            |f| {
                format!(
                    "/api/maps/{}/threads/{}/comments",
                    f.map, f.commenter_thread
                )
            },
            Some(|_| json!({"body": "Agreed"})),
            [201, 201, 201, 403, 403, 401],
        ),
        (
            "edit the commenter's comment",
            Method::PATCH,
            |f| {
                format!(
                    "/api/maps/{}/threads/{}/comments/{}",
                    f.map, f.commenter_thread, f.commenter_comment
                )
            },
            Some(|_| json!({"body": "Edited"})),
            [403, 403, 200, 403, 403, 401],
        ),
        (
            "delete the commenter's comment",
            Method::DELETE,
            |f| {
                format!(
                    "/api/maps/{}/threads/{}/comments/{}",
                    f.map, f.commenter_thread, f.commenter_comment
                )
            },
            None,
            [403, 403, 204, 403, 403, 401],
        ),
        (
            "resolve the commenter's own thread",
            Method::POST,
            |f| format!("/api/maps/{}/threads/{}/resolve", f.map, f.commenter_thread),
            None,
            [200, 200, 200, 403, 403, 401],
        ),
        (
            "resolve someone else's thread",
            Method::POST,
            |f| format!("/api/maps/{}/threads/{}/resolve", f.map, f.editor_thread),
            None,
            [200, 200, 403, 403, 403, 401],
        ),
        (
            "reopen someone else's thread",
            Method::POST,
            |f| format!("/api/maps/{}/threads/{}/reopen", f.map, f.resolved_thread),
            None,
            [200, 200, 403, 403, 403, 401],
        ),
        (
            "list rounds",
            Method::GET,
            |f| format!("/api/maps/{}/rounds", f.map),
            None,
            [200, 200, 200, 200, 403, 401],
        ),
        (
            "open a round",
            Method::POST,
            |f| format!("/api/maps/{}/rounds", f.map),
            Some(|_| {
                json!({"title": "Another", "due_at": parcours_server::util::now_ms() + DAY_MS,
                       "reviewers": []})
            }),
            // An empty reviewer list is refused with 422 only once the role allows it.
            [422, 422, 403, 403, 403, 401],
        ),
        (
            "read a round",
            Method::GET,
            |f| format!("/api/maps/{}/rounds/{}", f.map, f.round),
            None,
            [200, 200, 200, 200, 403, 401],
        ),
        (
            "read a round's start view",
            Method::GET,
            |f| format!("/api/maps/{}/rounds/{}/start-view", f.map, f.round),
            None,
            [200, 200, 200, 200, 403, 401],
        ),
        (
            "mark a review done",
            Method::POST,
            |f| format!("/api/maps/{}/rounds/{}/review", f.map, f.round),
            Some(|_| json!({"verdict": "approve"})),
            // The viewer is a member but not a reviewer.
            [200, 200, 200, 403, 403, 401],
        ),
        (
            "close a round",
            Method::POST,
            |f| format!("/api/maps/{}/rounds/{}/close", f.map, f.round),
            None,
            [200, 200, 403, 403, 403, 401],
        ),
        (
            "watch the map's events",
            Method::GET,
            |f| format!("/api/maps/{}/events", f.map),
            None,
            [200, 200, 200, 200, 403, 401],
        ),
        (
            "read one's inbox",
            Method::GET,
            |_| "/api/inbox".into(),
            None,
            [200, 200, 200, 200, 200, 401],
        ),
        (
            "mark one's inbox read",
            Method::POST,
            |_| "/api/inbox/read".into(),
            Some(|_| json!({"all": true})),
            [200, 200, 200, 200, 200, 401],
        ),
        (
            "watch one's inbox",
            Method::GET,
            |_| "/api/inbox/events".into(),
            None,
            [200, 200, 200, 200, 200, 401],
        ),
    ];
    let mut failures = Vec::new();
    for (action, method, path, body, expected) in &actions {
        for (i, (name, token)) in who.iter().enumerate() {
            let f = fixture(&s, &t).await;
            let (status, res) =
                call(&s, method.clone(), *token, &path(&f), body.map(|b| b(&f))).await;
            if status.as_u16() != expected[i] {
                failures.push(format!(
                    "{action} as {name}: got {status}, want {} ({res})",
                    expected[i]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "comment permission mismatches:\n{}",
        failures.join("\n")
    );
    // A valid round opened by an editor works too (the 422 above was about reviewers).
    let f = fixture(&s, &t).await;
    let (status, _) = post(
        &s,
        &t.editor,
        &format!("/api/maps/{}/rounds", f.map),
        json!({"title": "Editors may", "due_at": parcours_server::util::now_ms() + DAY_MS,
               "reviewers": [t.commenter_id]}),
    )
    .await;
    assert_eq!(status, 201);
    s.stop().await;
}
both_backends!(
    permissions_per_role_for_every_comment_and_round_action,
    permissions_matrix
);
