//! Inbox pages: newest first, `?limit=` and `?before=`, every item exactly once, bad
//! values refused, marking read answering the first page.

use parcours_shared::api::Inbox;
use reqwest::Method;
use serde_json::json;

use crate::common::{call, get, post, TestDb, TestServer};
use crate::team::{inbox, new_thread, team, team_map};

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
