//! Comment threads and review rounds in a real browser: tests/browser/comments.mjs drives
//! Debian's headless Chromium (through playwright-core) against the real server serving
//! client/dist.
//!
//! A map from the B2B SaaS template (owned by the default account) is shared with a
//! commenter and an editor over REST. Both open it in separate browser contexts; the
//! commenter opens a thread on a card (mentioning someone without access, which the page
//! says); the editor's page, already open and never reloaded, shows the card's marker
//! count and the thread within seconds (the map's event stream); the editor resolves it
//! and the commenter's page shows it resolved. The thread mentions the editor, whose
//! inbox count goes up live.
//!
//! Then the editor starts a review round from the page (both of them its reviewers): the
//! commenter's page shows the banner and the review request live; the commenter comments
//! on a stage (in the round) and on a cell (not in it) from their markers, and the
//! editor's "This round" filter lists only the first; the commenter follows "what changed
//! since it opened" while the editor renames the stage, and writes a review whose draft
//! survives the editor's own review arriving live; the editor resolves the stage thread
//! and closes the round, and both pages read its summary (verdicts, threads opened and
//! resolved, the renamed stage).
//! Last, an account with 55 mentions opens its inbox: 50, then "Load older" lists the
//! rest, and marking all read covers both pages. Afterwards the server is asked whether
//! it agrees. Screenshots: artifacts/comments/.

mod common;

use std::time::Duration;

use common::web::{run_scenario, web_server};
use parcours_shared::api::{AnchorKind, Me, RoundDetail, RoundList, ThreadList, Verdict};
use parcours_shared::view::MapView;

/// The script has its own overall limit; this one only catches a hung `node`.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(150);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comments_and_a_review_round_live_between_a_commenter_and_an_editor() {
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
    assert!(
        view.stages.len() >= 2 && !view.lanes.is_empty(),
        "stages and lanes"
    );
    let stage = view.stages[0].clone();
    let (cell_stage, cell_lane) = (view.stages[1].id.clone(), view.lanes[0].id.clone());

    let commenter = server.user("carla.commenter@example.com").await;
    let editor = server.user("eddie.editor@example.com").await;
    server
        .add_member(&map, "carla.commenter@example.com", "commenter")
        .await;
    server
        .add_member(&map, "eddie.editor@example.com", "editor")
        .await;
    let me = |token: String| {
        let url = server.url("/api/me");
        async move {
            let me: Me = common::authed_client(&token)
                .get(url)
                .send()
                .await
                .expect("me")
                .json()
                .await
                .expect("json");
            me.id
        }
    };
    let commenter_id = me(commenter.clone()).await;
    let editor_id = me(editor.clone()).await;

    // Someone with more inbox items than one page (50) holds: mentions on another map.
    let ivy = server.user("ivy.inbox@example.com").await;
    let other = server.create_map("Ivy's inbox").await.id.0;
    server
        .add_member(&other, "ivy.inbox@example.com", "commenter")
        .await;
    const IVY_ITEMS: usize = 55;
    for n in 0..IVY_ITEMS {
        let res = server
            .http
            .post(server.url(&format!("/api/maps/{other}/threads")))
            .json(&serde_json::json!({
                "anchor": {"kind": "map"},
                "body": format!("@ivy.inbox question {n}"),
            }))
            .send()
            .await
            .expect("thread");
        assert_eq!(res.status(), 201);
    }

    let scenario = serde_json::json!({
        "map": map,
        "card": card,
        "commenter": commenter,
        "editor": editor,
        "commenterId": commenter_id,
        "editorId": editor_id,
        "stage": stage.id,
        "stageName": stage.name,
        "cellStage": cell_stage,
        "cellLane": cell_lane,
        "ivy": ivy,
        "ivyItems": IVY_ITEMS,
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
    let get = |path: String| {
        let req = server.http.get(server.url(&path));
        async move {
            let res = req.send().await.expect("get");
            assert_eq!(res.status(), 200, "{path}");
            res
        }
    };
    let list: ThreadList = get(format!("/api/maps/{map}/threads"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list.threads.len(), 3, "card, stage and cell threads");
    let on = |kind: AnchorKind| {
        list.threads
            .iter()
            .find(|t| t.anchor.kind == kind)
            .unwrap_or_else(|| panic!("a thread on a {kind:?}"))
    };
    let on_card = on(AnchorKind::Card);
    assert!(on_card.resolved, "the editor resolved the card thread");
    assert_eq!(on_card.anchor.id.as_deref(), Some(card.as_str()));
    assert_eq!(on_card.round_id, None, "opened before any round");

    let rounds: RoundList = get(format!("/api/maps/{map}/rounds"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(rounds.rounds.len(), 1, "the round the editor started");
    let round = &rounds.rounds[0];
    assert_eq!(round.title, "Friday review");
    assert_eq!(round.opened_by, editor_id, "opened from the editor's page");
    assert_eq!(round.closed_by.as_ref(), Some(&editor_id), "closed by hand");
    assert!(round.closed_at.is_some() && !round.auto_closed);
    assert_eq!(round.reviewers.len(), 2, "the commenter and the editor");
    let verdict_of = |user: &parcours_shared::ids::UserId| {
        round
            .reviewers
            .iter()
            .find(|r| &r.user_id == user)
            .and_then(|r| r.verdict)
    };
    assert_eq!(
        verdict_of(&commenter_id),
        Some(Verdict::ChangesRequested),
        "the commenter's review as the page sent it"
    );
    let commenters = round.reviewers.iter().find(|r| r.user_id == commenter_id);
    assert_eq!(
        commenters.and_then(|r| r.summary.as_deref()),
        Some("The evaluation stage needs a proof of concept."),
        "the draft typed before the editor's review arrived"
    );
    assert_eq!(verdict_of(&editor_id), Some(Verdict::Approve));

    let on_stage = on(AnchorKind::Stage);
    assert_eq!(on_stage.anchor.id.as_deref(), Some(stage.id.as_str()));
    assert_eq!(on_stage.round_id.as_ref(), Some(&round.id), "in the round");
    assert!(on_stage.resolved);
    let on_cell = on(AnchorKind::Cell);
    assert_eq!(
        on_cell.anchor.id.as_deref(),
        Some(format!("{cell_stage}|{cell_lane}").as_str())
    );
    assert_eq!(on_cell.round_id, None, "unticked: outside the round");

    let detail: RoundDetail = get(format!("/api/maps/{map}/rounds/{}", round.id))
        .await
        .json()
        .await
        .expect("json");
    let summary = detail.summary.expect("a closed round has a summary");
    assert_eq!(summary.threads_resolved, vec![on_stage.id.clone()]);
    assert_eq!(summary.threads_opened.len(), 2, "stage and cell threads");

    // The round recorded the stage's name from before the editor renamed it.
    let start: MapView = get(format!("/api/maps/{map}/rounds/{}/start-view", round.id))
        .await
        .json()
        .await
        .expect("json");
    let named = |view: &MapView| {
        view.stages
            .iter()
            .find(|s| s.id == stage.id)
            .map(|s| s.name.clone())
    };
    assert_eq!(named(&start), Some(stage.name.clone()));
    assert_eq!(
        named(&server.view(&map).await).as_deref(),
        Some("Trial and evaluation")
    );
    server.stop().await;
}
