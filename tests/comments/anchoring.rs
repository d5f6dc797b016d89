//! Anchoring: threads on a card, a stage, a lane, a cell or the whole map; anchors and
//! bodies validated; threads kept, detached, when their element is deleted live; the
//! list's filters.

use parcours_shared::api::ThreadList;
use reqwest::Method;
use serde_json::json;

use crate::common::{call, edit, eventually, get, post, TestDb, TestServer};
use crate::team::{live_card, new_thread, team, team_map};

async fn anchoring(db: TestDb) {
    let s = TestServer::start(db.config()).await;
    let t = team(&s).await;
    let map = team_map(&s).await;
    let (live, lane) = live_card(&s, &map).await;

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
