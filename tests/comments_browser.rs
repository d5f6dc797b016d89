//! Comment threads in a real browser: tests/browser/comments.mjs drives Debian's headless
//! Chromium (through playwright-core) against the real server serving client/dist.
//!
//! A map from the B2B SaaS template (owned by the default account) is shared with a
//! commenter and an editor over REST. Both open it in separate browser contexts; the
//! commenter opens a thread on a card (mentioning someone without access, which the page
//! says); the editor's page, already open and never reloaded, shows the card's marker
//! count and the thread within seconds (the map's event stream); the editor resolves it
//! and the commenter's page shows it resolved. The thread mentions the editor, whose
//! inbox count goes up live. A review round (opened over REST, the commenter its
//! reviewer) shows as a banner; the commenter marks the review done with "changes
//! requested" and the editor's banner shows it live; the commenter's inbox holds the
//! review request and is marked read. Screenshots: artifacts/comments/.

mod common;

use std::time::Duration;

use common::web::{run_scenario, web_server};

/// The script has its own overall limit; this one only catches a hung `node`.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(120);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commenters_thread_reaches_the_editor_live_and_back() {
    let (_db, server) = web_server().await;

    let res = server
        .http
        .post(server.url("/api/maps"))
        .json(&serde_json::json!({"title": "Comments (browser test)", "template": "b2b_saas"}))
        .send()
        .await
        .expect("create map");
    assert_eq!(res.status(), 201, "create the map");
    let summary: parcours_shared::api::MapSummary = res.json().await.expect("json");
    let map = summary.id.to_string();
    let view = server.view(&map).await;
    let card = view
        .cards
        .first()
        .expect("the template has cards")
        .id
        .clone();

    let commenter = server.user("carla.commenter@example.com").await;
    let editor = server.user("eddie.editor@example.com").await;
    server
        .add_member(&map, "carla.commenter@example.com", "commenter")
        .await;
    server
        .add_member(&map, "eddie.editor@example.com", "editor")
        .await;

    // A review round with the commenter as its reviewer, opened by the owner.
    let me: parcours_shared::api::Me = common::authed_client(&commenter)
        .get(server.url("/api/me"))
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    let due_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64
        + 2 * 24 * 3600 * 1000;
    let res = server
        .http
        .post(server.url(&format!("/api/maps/{map}/rounds")))
        .json(&serde_json::json!({
            "title": "Friday review",
            "instructions": "Check the evaluation stage.",
            "due_at": due_at,
            "reviewers": [me.id],
        }))
        .send()
        .await
        .expect("open round");
    assert_eq!(res.status(), 201, "open the round");

    let scenario = serde_json::json!({
        "map": map,
        "card": card,
        "commenter": commenter,
        "editor": editor,
    });
    run_scenario(
        &server,
        "comments.mjs",
        "comments",
        Some(&scenario),
        SCRIPT_TIMEOUT,
    )
    .await;

    // The server agrees with what the pages showed.
    let res = server
        .http
        .get(server.url(&format!("/api/maps/{map}/threads")))
        .send()
        .await
        .expect("threads");
    let list: parcours_shared::api::ThreadList = res.json().await.expect("json");
    assert_eq!(list.threads.len(), 1, "one thread");
    let thread = &list.threads[0];
    assert!(thread.resolved, "the editor resolved it");
    assert_eq!(thread.anchor.id.as_deref(), Some(card.as_str()));
    let rounds: parcours_shared::api::RoundList = server
        .http
        .get(server.url(&format!("/api/maps/{map}/rounds")))
        .send()
        .await
        .expect("rounds")
        .json()
        .await
        .expect("json");
    let reviewer = &rounds.rounds[0].reviewers[0];
    assert_eq!(
        reviewer.verdict,
        Some(parcours_shared::api::Verdict::ChangesRequested),
        "the commenter's review as the page sent it"
    );
    server.stop().await;
}
