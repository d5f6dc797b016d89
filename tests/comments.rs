//! Async comment rounds over the REST API and the event streams, on both databases:
//! permissions per role, anchoring and detached threads, mentions and the inbox, a
//! round from opening to auto-close (on a hand-moved clock), the recorded start view,
//! and live delivery to a watching editor.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{client_view, edit, TestDb, TestServer, WAIT};
use parcours_server::clock::{Clock, ManualClock};
use parcours_shared::api::{
    Inbox, InboxKind, Me, PostedComment, PostedThread, Round, RoundDetail, ThreadList, Verdict,
};
use parcours_shared::review::{ChangeKind, ElementKind};
use parcours_shared::schema::At;
use parcours_shared::view::MapView;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const DAY_MS: i64 = 24 * 3600 * 1000;

/// The accounts of a test: the default owner plus an editor, a commenter, a viewer and
/// a stranger who is on no map.
struct Team {
    owner: String,
    editor: String,
    commenter: String,
    viewer: String,
    stranger: String,
    editor_id: String,
    commenter_id: String,
    viewer_id: String,
    owner_id: String,
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

async fn team(s: &TestServer) -> Team {
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
async fn team_map(s: &TestServer) -> String {
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

/// One request as `token` (`None`: anonymous); the status and the JSON body (Null when
/// there is none).
async fn call(
    s: &TestServer,
    method: Method,
    token: Option<&str>,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new().request(method, s.url(path));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.expect("request");
    let status = res.status();
    let streaming = res
        .headers()
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
    if streaming {
        return (status, Value::Null); // an event stream never ends: do not read it
    }
    let text = res.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn post(s: &TestServer, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    call(s, Method::POST, Some(token), path, Some(body)).await
}

async fn get<T: serde::de::DeserializeOwned>(s: &TestServer, token: &str, path: &str) -> T {
    let (status, body) = call(s, Method::GET, Some(token), path, None).await;
    assert_eq!(status, 200, "GET {path}: {body}");
    serde_json::from_value(body).expect("response shape")
}

async fn new_thread(
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

async fn inbox(s: &TestServer, token: &str) -> Inbox {
    get(s, token, "/api/inbox").await
}

/// Polls `f` until it is true (the live document reaching the server takes a moment).
async fn eventually<F, Fut>(what: &str, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + WAIT;
    while !f().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

// ---------------------------------------------------------------------------------
// Permissions.

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

// ---------------------------------------------------------------------------------
// Anchoring.

async fn anchoring(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let t = team(&s).await;
    let map = team_map(&s).await;
    let live = s.client(&map).await;
    let lane = client_view(&live).lanes[0].id.clone();
    edit(&live, |m| m.add_stage("s1", "Awareness", At::End)).expect("stage");
    edit(&live, |m| {
        m.add_card("c1", "s1", &lane, At::End, "Sees an ad")
    })
    .expect("card");
    eventually("the server has the card", || async {
        s.view(&map).await.cards.iter().any(|c| c.id == "c1")
    })
    .await;

    let cell = format!("s1|{lane}");
    let mut ids = Vec::new();
    for anchor in [
        json!({"kind": "card", "id": "c1"}),
        json!({"kind": "stage", "id": "s1"}),
        json!({"kind": "lane", "id": lane}),
        json!({"kind": "cell", "id": cell}),
        json!({"kind": "map"}),
    ] {
        let posted = new_thread(&s, &t.commenter, &map, anchor.clone(), "A remark").await;
        assert_eq!(
            serde_json::to_value(&posted.thread.anchor).expect("json")["kind"],
            anchor["kind"]
        );
        assert!(!posted.thread.detached);
        ids.push(posted.thread.id);
    }
    // Anchors must name something that exists now.
    for anchor in [
        json!({"kind": "card", "id": "nope"}),
        json!({"kind": "stage"}),
        json!({"kind": "cell", "id": format!("s1|nope")}),
        json!({"kind": "lane", "id": "s1"}),
    ] {
        let (status, body) = post(
            &s,
            &t.commenter,
            &format!("/api/maps/{map}/threads"),
            json!({"anchor": anchor, "body": "x"}),
        )
        .await;
        assert_eq!(status, 422, "{anchor}");
        assert_eq!(body["code"], "invalid_anchor");
    }
    // Bodies are 1 to 10000 characters.
    for body in ["", "   ", &"x".repeat(10_001)] {
        let (status, res) = post(
            &s,
            &t.commenter,
            &format!("/api/maps/{map}/threads"),
            json!({"anchor": {"kind": "map"}, "body": body}),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(res["code"], "invalid_body_text");
    }
    let (status, _) = post(
        &s,
        &t.editor,
        &format!("/api/maps/{map}/threads/{}/comments", ids[0]),
        json!({"body": "Still relevant"}),
    )
    .await;
    assert_eq!(status, 201);

    // The card is deleted live: its thread is kept, detached, with its comments.
    edit(&live, |m| m.remove_card("c1")).expect("remove card");
    let path = format!("/api/maps/{map}/threads");
    eventually("the card thread detaches", || async {
        let list: ThreadList = get(&s, &t.viewer, &path).await;
        list.threads[0].detached
    })
    .await;
    let list: ThreadList = get(&s, &t.viewer, &path).await;
    assert_eq!(list.threads.len(), 5, "no thread is ever dropped");
    let card_thread = &list.threads[0];
    assert_eq!(card_thread.id, ids[0]);
    assert_eq!(card_thread.comments.len(), 2);
    assert_eq!(card_thread.comments[1].body, "Still relevant");
    let detached: Vec<bool> = list.threads.iter().map(|t| t.detached).collect();
    assert_eq!(detached, [true, false, false, false, false]);

    // Removing the stage detaches the stage and cell threads; the lane and map stay.
    edit(&live, |m| m.remove_stage("s1")).expect("remove stage");
    eventually("the stage thread detaches", || async {
        let list: ThreadList = get(&s, &t.viewer, &path).await;
        list.threads[1].detached
    })
    .await;
    let list: ThreadList = get(&s, &t.viewer, &path).await;
    let detached: Vec<bool> = list.threads.iter().map(|t| t.detached).collect();
    assert_eq!(detached, [true, true, false, true, false]);

    // Filters: resolved, mine, round.
    let (status, _) = post(
        &s,
        &t.editor,
        &format!("/api/maps/{map}/threads/{}/resolve", ids[4]),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let resolved: ThreadList = get(&s, &t.viewer, &format!("{path}?status=resolved")).await;
    assert_eq!(resolved.threads.len(), 1);
    assert_eq!(resolved.threads[0].id, ids[4]);
    let open: ThreadList = get(&s, &t.viewer, &format!("{path}?status=open")).await;
    assert_eq!(open.threads.len(), 4);
    let mine: ThreadList = get(&s, &t.editor, &format!("{path}?mine=true")).await;
    assert_eq!(
        mine.threads.len(),
        1,
        "the editor only replied to the card thread"
    );
    let none: ThreadList = get(&s, &t.viewer, &format!("{path}?round=nope")).await;
    assert!(none.threads.is_empty());
    let (status, _) = call(
        &s,
        Method::GET,
        Some(&t.viewer),
        &format!("{path}?status=x"),
        None,
    )
    .await;
    assert_eq!(status, 422);
    drop(live);
    s.stop().await;
}
both_backends!(
    threads_anchor_to_each_kind_and_survive_their_element_as_detached,
    anchoring
);

// ---------------------------------------------------------------------------------
// Mentions, replies and the inbox.

async fn mentions(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let t = team(&s).await;
    let map = team_map(&s).await;
    let posted = new_thread(
        &s,
        &t.commenter,
        &map,
        json!({"kind": "map"}),
        "@Editor and @viewer, please look. cc @stranger and @nobody",
    )
    .await;
    assert_eq!(posted.mentions_without_access, ["stranger", "nobody"]);
    let mut mentioned = posted.thread.comments[0].mentions.clone();
    mentioned.sort();
    let mut want = vec![t.editor_id.clone(), t.viewer_id.clone()];
    want.sort();
    assert_eq!(
        mentioned.iter().map(|u| u.0.clone()).collect::<Vec<_>>(),
        want
    );

    for token in [&t.editor, &t.viewer] {
        let inbox = inbox(&s, token).await;
        assert_eq!(inbox.unread, 1);
        let item = &inbox.items[0];
        assert_eq!(item.kind, InboxKind::Mention);
        assert_eq!(item.thread_id.as_deref(), Some(posted.thread.id.as_str()));
        assert_eq!(item.map_id.0, map);
        assert!(
            item.text.contains("commenter mentioned you"),
            "{}",
            item.text
        );
    }
    // The person without access hears nothing, and the author is not told of their own post.
    assert!(inbox(&s, &t.stranger).await.items.is_empty());
    assert!(inbox(&s, &t.commenter).await.items.is_empty());

    // A reply tells the other participants; a mention in a reply is a mention, not both.
    let (status, reply) = post(
        &s,
        &t.editor,
        &format!("/api/maps/{map}/threads/{}/comments", posted.thread.id),
        json!({"body": "Looks fine to me, @owner"}),
    )
    .await;
    assert_eq!(status, 201, "{reply}");
    let reply: PostedComment = serde_json::from_value(reply).expect("posted comment");
    assert!(reply.mentions_without_access.is_empty());
    let commenter_inbox = inbox(&s, &t.commenter).await;
    assert_eq!(commenter_inbox.items.len(), 1);
    assert_eq!(commenter_inbox.items[0].kind, InboxKind::Reply);
    let owner_inbox = inbox(&s, &t.owner).await;
    assert_eq!(owner_inbox.items.len(), 1);
    assert_eq!(owner_inbox.items[0].kind, InboxKind::Mention);
    assert_eq!(
        inbox(&s, &t.editor).await.items.len(),
        1,
        "not told of their own reply"
    );

    // Editing a comment to mention someone new tells only them.
    let cid = &posted.thread.comments[0].id;
    let (status, edited) = call(
        &s,
        Method::PATCH,
        Some(&t.commenter),
        &format!(
            "/api/maps/{map}/threads/{}/comments/{cid}",
            posted.thread.id
        ),
        Some(json!({"body": "@editor @viewer @owner updated"})),
    )
    .await;
    assert_eq!(status, 200, "{edited}");
    assert!(edited["comment"]["edited_at"].is_i64());
    assert_eq!(inbox(&s, &t.owner).await.items.len(), 2);
    assert_eq!(inbox(&s, &t.editor).await.items.len(), 1);

    // Marking read: some, then all.
    let viewer_inbox = inbox(&s, &t.viewer).await;
    let (status, after) = post(
        &s,
        &t.viewer,
        "/api/inbox/read",
        json!({"ids": [viewer_inbox.items[0].id]}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(after["unread"], 0);
    assert_eq!(after["items"][0]["read"], true);
    // Someone else's ids are ignored.
    let owner_inbox = inbox(&s, &t.owner).await;
    post(
        &s,
        &t.viewer,
        "/api/inbox/read",
        json!({"ids": [owner_inbox.items[0].id]}),
    )
    .await;
    assert_eq!(inbox(&s, &t.owner).await.unread, 2);
    post(&s, &t.owner, "/api/inbox/read", json!({"all": true})).await;
    assert_eq!(inbox(&s, &t.owner).await.unread, 0);

    // Deleting keeps the comment's place, without its text.
    let (status, _) = call(
        &s,
        Method::DELETE,
        Some(&t.commenter),
        &format!(
            "/api/maps/{map}/threads/{}/comments/{cid}",
            posted.thread.id
        ),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let list: ThreadList = get(&s, &t.viewer, &format!("/api/maps/{map}/threads")).await;
    let first = &list.threads[0].comments[0];
    assert!(first.deleted);
    assert!(first.body.is_empty());
    assert!(first.mentions.is_empty());
    assert_eq!(list.threads[0].comments.len(), 2);

    // Deleting the map deletes its threads and its inbox items.
    let (status, _) = call(
        &s,
        Method::DELETE,
        Some(&t.owner),
        &format!("/api/maps/{map}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    assert!(inbox(&s, &t.viewer).await.items.is_empty());
    assert!(inbox(&s, &t.editor).await.items.is_empty());
    s.stop().await;
}
both_backends!(
    mentions_notify_members_and_name_those_without_access,
    mentions
);

// ---------------------------------------------------------------------------------
// Review rounds.

async fn round_lifecycle(db: TestDb) {
    let clock = Arc::new(ManualClock::starting_now());
    let s = TestServer::start_with_clock(db.config(), clock.clone()).await;
    let t = team(&s).await;
    let late = s.user("late@example.com").await;
    let late_id = me(&s, &late).await.id.0;
    let map = team_map(&s).await;
    s.add_member(&map, "late@example.com", "commenter").await;
    let live = s.client(&map).await;
    edit(&live, |m| m.add_stage("s1", "Awareness", At::End)).expect("stage");
    eventually("the server has the stage", || async {
        s.view(&map).await.stages.len() == 1
    })
    .await;
    let rounds = format!("/api/maps/{map}/rounds");
    let now = clock.now_ms();
    let due_at = now + 2 * DAY_MS;

    // Validation.
    for (body, code) in [
        (
            json!({"title": "", "due_at": due_at, "reviewers": [t.editor_id]}),
            "invalid_title",
        ),
        (
            json!({"title": "R", "due_at": now, "reviewers": [t.editor_id]}),
            "invalid_due_at",
        ),
        (
            json!({"title": "R", "due_at": due_at, "reviewers": [t.viewer_id]}),
            "invalid_reviewers",
        ),
        (
            json!({"title": "R", "due_at": due_at, "reviewers": ["nosuchuser00000"]}),
            "invalid_reviewers",
        ),
    ] {
        let (status, res) = post(&s, &t.owner, &rounds, body).await;
        assert_eq!(status, 422, "{res}");
        assert_eq!(res["code"], code);
    }

    let (status, round) = post(
        &s,
        &t.owner,
        &rounds,
        json!({"title": "Friday review", "instructions": "Check the pains",
               "due_at": due_at, "reviewers": [t.editor_id, t.commenter_id, late_id]}),
    )
    .await;
    assert_eq!(status, 201, "{round}");
    let round: Round = serde_json::from_value(round).expect("round");
    assert_eq!(round.reviewers.len(), 3);
    assert!(round.closed_at.is_none());
    for token in [&t.editor, &t.commenter, &late] {
        let items = inbox(&s, token).await.items;
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].kind, InboxKind::ReviewRequest);
        assert_eq!(items[0].round_id.as_deref(), Some(round.id.as_str()));
    }

    // During the round: a thread opened and resolved, and a change to the map.
    clock.advance(Duration::from_secs(3600));
    let (status, thread) = post(
        &s,
        &t.commenter,
        &format!("/api/maps/{map}/threads"),
        json!({"anchor": {"kind": "stage", "id": "s1"}, "body": "Rename?", "round_id": round.id}),
    )
    .await;
    assert_eq!(status, 201);
    let thread_id = thread["thread"]["id"].as_str().expect("id").to_owned();
    let this_round: ThreadList = get(
        &s,
        &t.viewer,
        &format!("/api/maps/{map}/threads?round={}", round.id),
    )
    .await;
    assert_eq!(this_round.threads.len(), 1);
    let (status, _) = post(
        &s,
        &t.editor,
        &format!("/api/maps/{map}/threads/{thread_id}/resolve"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    edit(&live, |m| m.add_stage("s2", "Purchase", At::End)).expect("stage");
    eventually("the server has the new stage", || async {
        s.view(&map).await.stages.len() == 2
    })
    .await;

    // Verdicts.
    let review = format!("{rounds}/{}/review", round.id);
    let (status, _) = post(&s, &t.editor, &review, json!({"verdict": "approve"})).await;
    assert_eq!(status, 200);
    let (status, after) = post(
        &s,
        &t.commenter,
        &review,
        json!({"verdict": "changes_requested", "summary": "Pains are vague"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(after["reviewers"].as_array().expect("reviewers").len(), 3);
    let (status, _) = post(&s, &t.owner, &review, json!({"verdict": "approve"})).await;
    assert_eq!(status, 403, "the opener is not a reviewer");

    // A day before the due date, the reviewer who is not done is reminded, once.
    clock.advance(Duration::from_secs(24 * 3600));
    for _ in 0..2 {
        let due: Vec<_> = inbox(&s, &late)
            .await
            .items
            .into_iter()
            .filter(|i| i.kind == InboxKind::RoundDueSoon)
            .collect();
        assert_eq!(due.len(), 1, "reminded exactly once");
    }
    for token in [&t.editor, &t.commenter] {
        assert!(
            !inbox(&s, token)
                .await
                .items
                .iter()
                .any(|i| i.kind == InboxKind::RoundDueSoon),
            "done reviewers are not reminded"
        );
    }

    // Past the due date, the next read closes it: no sleeping involved.
    clock.advance(Duration::from_secs(24 * 3600));
    let detail: RoundDetail = get(&s, &t.viewer, &format!("{rounds}/{}", round.id)).await;
    assert_eq!(detail.round.closed_at, Some(due_at));
    assert!(detail.round.auto_closed);
    assert!(detail.round.closed_by.is_none());
    let verdicts: Vec<(String, Option<Verdict>, Option<String>)> = detail
        .round
        .reviewers
        .iter()
        .map(|r| (r.user_id.0.clone(), r.verdict, r.summary.clone()))
        .collect();
    assert!(verdicts.contains(&(t.editor_id.clone(), Some(Verdict::Approve), None)));
    assert!(verdicts.contains(&(
        t.commenter_id.clone(),
        Some(Verdict::ChangesRequested),
        Some("Pains are vague".into())
    )));
    assert!(verdicts.contains(&(late_id.clone(), None, None)));
    let summary = detail.summary.expect("a closed round has a summary");
    assert_eq!(summary.threads_opened, [thread_id.as_str()]);
    assert_eq!(summary.threads_resolved, [thread_id.as_str()]);
    assert!(
        summary.changes.iter().any(|c| c.change == ChangeKind::Added
            && c.element == ElementKind::Stage
            && c.id == "s2"
            && c.label == "Purchase"),
        "{:?}",
        summary.changes
    );
    assert_eq!(summary.changes.len(), 1, "{:?}", summary.changes);

    // Reviewers and the opener are told it closed; nothing more can be done on it.
    for token in [&t.owner, &t.editor, &t.commenter, &late] {
        let closed = inbox(&s, token)
            .await
            .items
            .into_iter()
            .filter(|i| i.kind == InboxKind::RoundClosed)
            .count();
        assert_eq!(closed, 1);
    }
    let (status, res) = post(&s, &late, &review, json!({"verdict": "approve"})).await;
    assert_eq!(status, 409);
    assert_eq!(res["code"], "round_closed");
    let (status, _) = post(
        &s,
        &t.owner,
        &format!("{rounds}/{}/close", round.id),
        json!({}),
    )
    .await;
    assert_eq!(status, 409);

    // A round closed by hand is not auto-closed and tells everyone but its closer.
    let (status, second) = post(
        &s,
        &t.editor,
        &rounds,
        json!({"title": "Second look", "due_at": clock.now_ms() + DAY_MS * 7,
               "reviewers": [t.commenter_id]}),
    )
    .await;
    assert_eq!(status, 201);
    let second_id = second["id"].as_str().expect("id");
    let (status, closed) = post(
        &s,
        &t.owner,
        &format!("{rounds}/{second_id}/close"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(closed["auto_closed"], false);
    assert_eq!(closed["closed_by"], t.owner_id.as_str());
    let list: Vec<Round> =
        serde_json::from_value(get::<Value>(&s, &t.viewer, &rounds).await["rounds"].clone())
            .expect("rounds");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].id, second_id, "newest first");
    drop(live);
    s.stop().await;
}
both_backends!(
    a_round_runs_from_opening_to_auto_close_with_its_summary,
    round_lifecycle
);

async fn start_view(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let t = team(&s).await;
    let map = team_map(&s).await;
    let live = s.client(&map).await;
    let lane = client_view(&live).lanes[0].id.clone();
    edit(&live, |m| m.add_stage("s1", "Awareness", At::End)).expect("stage");
    edit(&live, |m| {
        m.add_card("c1", "s1", &lane, At::End, "Sees an ad")
    })
    .expect("card");
    eventually("the server has the card", || async {
        !s.view(&map).await.cards.is_empty()
    })
    .await;
    // What a reviewer sees as the round opens.
    let seen = s.view(&map).await;
    let (status, round) = post(
        &s,
        &t.owner,
        &format!("/api/maps/{map}/rounds"),
        json!({"title": "R", "due_at": parcours_server::util::now_ms() + DAY_MS,
               "reviewers": [t.commenter_id]}),
    )
    .await;
    assert_eq!(status, 201);
    let rid = round["id"].as_str().expect("id");
    // Later edits do not change what the round recorded.
    edit(&live, |m| m.rename_stage("s1", "Discovery")).expect("rename");
    edit(&live, |m| m.remove_card("c1")).expect("remove");
    eventually("the server has the edits", || async {
        s.view(&map).await.cards.is_empty()
    })
    .await;
    let recorded: MapView = get(
        &s,
        &t.commenter,
        &format!("/api/maps/{map}/rounds/{rid}/start-view"),
    )
    .await;
    assert_eq!(recorded, seen);
    assert_ne!(recorded, s.view(&map).await);
    drop(live);
    s.stop().await;
}
both_backends!(
    the_recorded_start_view_is_what_reviewers_saw_at_opening,
    start_view
);

// ---------------------------------------------------------------------------------
// Live delivery.

/// An open Server-Sent Events stream.
struct EventStream {
    res: reqwest::Response,
    buf: String,
}

impl EventStream {
    /// Opens `path` as `token` and waits for the server's "subscribed" comment.
    async fn open(s: &TestServer, token: &str, path: &str) -> EventStream {
        let res = reqwest::Client::new()
            .get(s.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("events");
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()["content-type"].to_str().expect("type"),
            "text/event-stream"
        );
        let mut stream = EventStream {
            res,
            buf: String::new(),
        };
        let first = stream.frame().await.expect("first frame");
        assert_eq!(first, ": subscribed");
        stream
    }

    /// The next frame (text up to a blank line), or `None` when the stream ended.
    async fn frame(&mut self) -> Option<String> {
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let frame = self.buf[..end].to_owned();
                self.buf.drain(..end + 2);
                return Some(frame);
            }
            let chunk = tokio::time::timeout(WAIT, self.res.chunk())
                .await
                .expect("no frame within the wait");
            match chunk {
                Ok(Some(bytes)) => self.buf.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return None,
            }
        }
    }

    /// The next event's JSON, skipping comments; `None` when the stream ended.
    async fn next_event(&mut self) -> Option<Value> {
        loop {
            let frame = self.frame().await?;
            if let Some(data) = frame.lines().find_map(|l| l.strip_prefix("data:")) {
                return Some(serde_json::from_str(data.trim()).expect("event json"));
            }
        }
    }
}

async fn live(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let t = team(&s).await;
    let map = team_map(&s).await;
    let live = s.client(&map).await;
    let lane = client_view(&live).lanes[0].id.clone();
    edit(&live, |m| m.add_stage("s1", "Awareness", At::End)).expect("stage");
    edit(&live, |m| {
        m.add_card("c1", "s1", &lane, At::End, "Sees an ad")
    })
    .expect("card");
    eventually("the server has the card", || async {
        !s.view(&map).await.cards.is_empty()
    })
    .await;
    let mut editor_map = EventStream::open(&s, &t.editor, &format!("/api/maps/{map}/events")).await;
    let mut editor_inbox = EventStream::open(&s, &t.editor, "/api/inbox/events").await;

    // The commenter comments on the card; the editor hears it without asking.
    let posted = new_thread(
        &s,
        &t.commenter,
        &map,
        json!({"kind": "card", "id": "c1"}),
        "Which ad, @editor?",
    )
    .await;
    let event = editor_map.next_event().await.expect("an event");
    assert_eq!(event["type"], "thread_created");
    assert_eq!(event["thread"]["id"], posted.thread.id.as_str());
    assert_eq!(
        event["thread"]["anchor"],
        json!({"kind": "card", "id": "c1"})
    );
    assert_eq!(event["thread"]["comments"][0]["body"], "Which ad, @editor?");
    let item = editor_inbox.next_event().await.expect("an inbox item");
    assert_eq!(item["kind"], "mention");
    assert_eq!(item["thread_id"], posted.thread.id.as_str());

    // Replies and resolution follow in order.
    let tpath = format!("/api/maps/{map}/threads/{}", posted.thread.id);
    post(
        &s,
        &t.owner,
        &format!("{tpath}/comments"),
        json!({"body": "The summer one"}),
    )
    .await;
    post(&s, &t.commenter, &format!("{tpath}/resolve"), json!({})).await;
    let event = editor_map.next_event().await.expect("reply");
    assert_eq!(event["type"], "comment_added");
    assert_eq!(event["comment"]["body"], "The summer one");
    let event = editor_map.next_event().await.expect("resolved");
    assert_eq!(event["type"], "thread_resolved");
    assert_eq!(event["thread"]["resolved"], true);

    // A removed member's stream ends at the next event, even after it was let through
    // before (the stream re-reads access only once access changed somewhere).
    let mut viewer_map = EventStream::open(&s, &t.viewer, &format!("/api/maps/{map}/events")).await;
    post(
        &s,
        &t.owner,
        &format!("{tpath}/comments"),
        json!({"body": "Viewers read this one"}),
    )
    .await;
    for stream in [&mut editor_map, &mut viewer_map] {
        let event = stream
            .next_event()
            .await
            .expect("a reply before the removal");
        assert_eq!(event["comment"]["body"], "Viewers read this one");
    }
    let (status, _) = call(
        &s,
        Method::DELETE,
        Some(&t.owner),
        &format!("/api/maps/{map}/members/{}", t.viewer_id),
        None,
    )
    .await;
    assert_eq!(status, 204);
    post(&s, &t.commenter, &format!("{tpath}/reopen"), json!({})).await;
    assert_eq!(
        editor_map.next_event().await.expect("reopened")["type"],
        "thread_reopened"
    );
    assert!(
        viewer_map.next_event().await.is_none(),
        "removed: no more events"
    );

    // Shutting down ends open streams instead of holding the server up.
    drop(live);
    s.stop().await;
    assert!(editor_map.next_event().await.is_none());
    assert!(editor_inbox.next_event().await.is_none());
}
both_backends!(
    an_editor_watching_the_map_receives_a_commenters_thread_live,
    live
);

// ---------------------------------------------------------------------------------
// Inbox pages.

/// The inbox reads in pages, newest first: `?limit=` items, then `?before=` the last
/// one's id, until `more` is false; every item exactly once. Bad values are refused
/// with 422 and a clear code; marking read answers the first page.
async fn inbox_pages(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let t = team(&s).await;
    let map = team_map(&s).await;
    for n in 0..7 {
        new_thread(
            &s,
            &t.commenter,
            &map,
            json!({"kind": "map"}),
            &format!("@editor look at this, number {n}"),
        )
        .await;
    }
    let all = inbox(&s, &t.editor).await;
    assert_eq!((all.items.len(), all.more, all.unread), (7, false, 7));
    let mut seen = Vec::new();
    let mut path = "/api/inbox?limit=3".to_owned();
    let mut pages = Vec::new();
    loop {
        let page: Inbox = get(&s, &t.editor, &path).await;
        assert_eq!(page.unread, 7, "the unread count covers every page");
        pages.push((page.items.len(), page.more));
        seen.extend(page.items.iter().map(|i| i.id));
        if !page.more {
            break;
        }
        let last = page.items.last().expect("a page with more is not empty").id;
        path = format!("/api/inbox?limit=3&before={last}");
    }
    assert_eq!(pages, [(3, true), (3, true), (1, false)]);
    assert_eq!(
        seen,
        all.items.iter().map(|i| i.id).collect::<Vec<_>>(),
        "the pages, end to end, are the whole inbox newest first"
    );
    assert!(seen.windows(2).all(|w| w[0] > w[1]), "newest first");

    for (query, code) in [
        ("limit=0", "invalid_limit"),
        ("limit=201", "invalid_limit"),
        ("limit=many", "invalid_limit"),
        ("before=yesterday", "invalid_before"),
    ] {
        let (status, body) = call(
            &s,
            Method::GET,
            Some(&t.editor),
            &format!("/api/inbox?{query}"),
            None,
        )
        .await;
        assert_eq!(status, 422, "{query}: {body}");
        assert_eq!(body["code"], code, "{query}");
    }
    // Others' items are never listed, whatever `before` says.
    let theirs: Inbox = get(&s, &t.viewer, &format!("/api/inbox?before={}", i64::MAX)).await;
    assert!(theirs.items.is_empty());

    let (status, body) = post(&s, &t.editor, "/api/inbox/read", json!({"all": true})).await;
    assert_eq!(status, 200);
    let after: Inbox = serde_json::from_value(body).expect("inbox");
    assert_eq!((after.unread, after.items.len(), after.more), (0, 7, false));
    s.stop().await;
}

both_backends!(the_inbox_reads_in_pages, inbox_pages);
