//! Mentions, replies and the inbox: who is told of a comment, a reply or an edit, marking
//! read, deleting a comment, and deleting the map.

use parcours_shared::api::{InboxKind, PostedComment, ThreadList};
use reqwest::Method;
use serde_json::json;

use crate::common::{call, get, post, TestDb, TestServer};
use crate::team::{inbox, new_thread, team, team_map};

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
    // The line's parts are on the wire, for the web app to word in French; old rows
    // have none (see the storage test), and the English from the parts is the text.
    let raw: serde_json::Value = get(&s, &t.editor, "/api/inbox").await;
    let item = &raw["items"][0];
    assert_eq!(item["parts"]["form"], "mention");
    assert_eq!(item["parts"]["values"]["map"], "Onboarding");
    assert_eq!(
        item["parts"]["values"]["quote"],
        "@Editor and @viewer, please look. cc @stranger and @nobody"
    );
    let author = item["parts"]["values"]["author"].as_str().unwrap_or("");
    assert!(author.starts_with("commenter"), "{item}");
    assert_eq!(
        item["text"].as_str().unwrap_or(""),
        format!(
            "{author} mentioned you on \"Onboarding\": @Editor and @viewer, please look. cc @stranger and @nobody"
        )
    );
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
