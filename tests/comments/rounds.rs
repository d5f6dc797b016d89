//! Review rounds: validation, review requests, verdicts, the reminder before the due
//! date, auto-close past it (on a hand-moved clock) with its summary, closing by hand,
//! and the start view a round records at opening.

use std::sync::Arc;
use std::time::Duration;

use parcours_server::clock::{Clock, ManualClock};
use parcours_shared::api::{inbox_english, InboxKind, Round, RoundDetail, ThreadList, Verdict};
use parcours_shared::review::{ChangeKind, ElementKind};
use parcours_shared::schema::At;
use parcours_shared::view::MapView;
use serde_json::{json, Value};

use crate::common::{edit, eventually, get, me, post, TestDb, TestServer};
use crate::team::{inbox, live_card, team, team_map, DAY_MS};

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
        // The reminder's parts come with it, for the web app to word in French.
        let parts = due[0].parts.as_ref().expect("the reminder's parts");
        assert_eq!(parts.form, "round_due_soon");
        assert_eq!(parts.value("round"), "Friday review");
        assert_eq!(parts.value("map"), "Onboarding");
        assert!(parts.value("hours").parse::<i64>().is_ok(), "{parts:?}");
        assert_eq!(inbox_english(parts).as_deref(), Some(due[0].text.as_str()));
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

    // Reviewers and the opener are told it closed, the line's parts on the wire (the
    // web app words them in French); nothing more can be done on it.
    let raw: Value = get(&s, &t.editor, "/api/inbox").await;
    let closed = raw["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["kind"] == "round_closed"))
        .expect("a round_closed item");
    assert_eq!(
        closed["parts"],
        json!({"form": "round_closed_at_due_date",
               "values": {"round": "Friday review", "map": "Onboarding"}})
    );
    assert_eq!(
        closed["text"],
        "Review round \"Friday review\" on \"Onboarding\" closed at its due date"
    );
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
    let (live, _) = live_card(&s, &map).await;
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
