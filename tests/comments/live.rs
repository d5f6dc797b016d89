//! Live delivery: an editor watching the map's event stream and their inbox's hears a
//! commenter's thread, replies and resolution in order; a removed member's stream ends;
//! shutting down ends open streams.

use reqwest::Method;
use serde_json::json;

use crate::common::{call, post, EventStream, TestDb, TestServer};
use crate::team::{live_card, new_thread, team, team_map};

async fn live(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let t = team(&s).await;
    let map = team_map(&s).await;
    let (live, _) = live_card(&s, &map).await;
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
