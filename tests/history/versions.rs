//! Versions: named ones with who and what changed, automatic ones when editing pauses
//! or the last person leaves, a round's start, and the diff between any two.

use std::time::Duration;

use parcours_shared::api::{SinceLastVisit, Version, VersionDiff, VersionList};
use parcours_shared::review::{ChangeKind, ElementKind};
use parcours_shared::schema::At;
use reqwest::Method;
use serde_json::json;

use crate::common::{
    call, client_view, edit, eventually, get, me, member, post, TestDb, TestServer,
};
use crate::{config, settled};

async fn name_version(s: &TestServer, token: &str, map: &str, name: &str) -> Version {
    let (status, body) = post(
        s,
        token,
        &format!("/api/maps/{map}/versions"),
        json!({"name": name}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    serde_json::from_value(body).expect("a version")
}

async fn named_versions_say_who_and_what_and_compare(db: TestDb) {
    let server = TestServer::start(config(&db)).await;
    let map = server.create_map("Versions").await.id.0;
    let ana = member(&server, &map, "ana@example.com", "editor").await;
    let viewer = member(&server, &map, "vic@example.com", "viewer").await;
    let owner_id = me(&server, &server.token).await.id.0;
    let ana_id = me(&server, &ana).await.id.0;
    let o = server.client(&map).await;
    edit(&o, |m| m.add_stage("s1", "Discover", At::End)).expect("stage");
    settled(&server, &map, &o).await;
    let before = name_version(&server, &server.token, &map, "  Before the workshop ").await;
    assert_eq!(before.name.as_deref(), Some("Before the workshop"));
    assert_eq!(before.kind, "named");
    assert_eq!(
        before.created_by.as_ref().and_then(|a| a.id.clone()),
        Some(owner_id.clone())
    );
    assert_eq!(before.summary, "1 stage added");
    assert_eq!(
        before
            .authors
            .iter()
            .map(|a| a.id.clone().unwrap_or_default())
            .collect::<Vec<_>>(),
        std::slice::from_ref(&owner_id)
    );

    let a = server.client_as(&map, &ana).await;
    let lane = client_view(&a).lanes[0].id.clone();
    edit(&a, |m| {
        m.rename_stage("s1", "Explore")?;
        m.add_stage("s2", "Buy", At::End)?;
        m.add_card("c1", "s2", &lane, At::End, "Pays")
    })
    .expect("edits");
    settled(&server, &map, &a).await;
    let after = name_version(&server, &ana, &map, "After").await;
    assert_eq!(
        after.summary,
        "1 stage changed, 1 stage added, 1 card added"
    );
    assert_eq!(
        after
            .authors
            .iter()
            .map(|a| a.id.clone().unwrap_or_default())
            .collect::<Vec<_>>(),
        [ana_id]
    );
    let list: VersionList = get(&server, &viewer, &format!("/api/maps/{map}/versions")).await;
    assert_eq!(
        list.versions
            .iter()
            .map(|v| v.id.as_str())
            .collect::<Vec<_>>(),
        [after.id.as_str(), before.id.as_str()],
        "newest first"
    );
    assert!(list.history_starts_at.is_some());

    // The diff between the two, and between one and now.
    let d: VersionDiff = get(
        &server,
        &viewer,
        &format!("/api/maps/{map}/diff?from={}&to={}", before.id, after.id),
    )
    .await;
    let got: Vec<(ChangeKind, ElementKind, &str)> = d
        .changes
        .iter()
        .map(|c| (c.change, c.element, c.id.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (ChangeKind::Changed, ElementKind::Stage, "s1"),
            (ChangeKind::Added, ElementKind::Stage, "s2"),
            (ChangeKind::Added, ElementKind::Card, "c1"),
        ]
    );
    assert_eq!((d.from_at, d.to_at), (before.at, after.at));
    edit(&o, |m| m.move_stage("s2", 0)).expect("reorder");
    settled(&server, &map, &o).await;
    let d: VersionDiff = get(
        &server,
        &viewer,
        &format!("/api/maps/{map}/diff?from={}", after.id),
    )
    .await;
    let got: Vec<(ChangeKind, &str)> = d
        .changes
        .iter()
        .map(|c| (c.change, c.id.as_str()))
        .collect();
    assert_eq!(
        got,
        [(ChangeKind::Moved, "s2")],
        "one stage moved, reported once"
    );

    // Who may name one, and what a name must be.
    let versions = format!("/api/maps/{map}/versions");
    let (status, _) = post(&server, &viewer, &versions, json!({"name": "Mine"})).await;
    assert_eq!(status, 403);
    for name in [String::new(), "   ".into(), "x".repeat(121)] {
        let (status, body) = post(&server, &ana, &versions, json!({"name": name})).await;
        assert_eq!(
            (status.as_u16(), body["code"].as_str()),
            (422, Some("invalid_name"))
        );
    }
    let (status, _) = post(&server, &ana, &versions, json!({"title": "no name"})).await;
    assert_eq!(status, 422);
    let diff = |q: &str| format!("/api/maps/{map}/diff?{q}");
    let (status, _) = call(
        &server,
        Method::GET,
        Some(&viewer),
        &diff("from=nosuchversion"),
        None,
    )
    .await;
    assert_eq!(status, 404);
    let (status, body) = call(&server, Method::GET, Some(&viewer), &diff("to=live"), None).await;
    assert_eq!(
        (status.as_u16(), body["code"].as_str()),
        (422, Some("invalid_from"))
    );
    let list: VersionList = get(&server, &viewer, &versions).await;
    assert_eq!(list.versions.len(), 2, "refused requests made no version");
    server.stop().await;
}
both_backends!(named_versions_say_who_and_what_and_compare);

async fn editing_pauses_and_leaving_make_versions_and_rounds_too(db: TestDb) {
    let mut config = config(&db);
    config.version_idle_secs = 1;
    let server = TestServer::start(config).await;
    let map = server.create_map("Auto").await.id.0;
    let versions = format!("/api/maps/{map}/versions");
    let c = server.client(&map).await;
    edit(&c, |m| m.add_stage("s1", "Discover", At::End)).expect("stage");
    // Still connected: a version comes once editing has paused for a second.
    eventually("an automatic version after the pause", || async {
        let list: VersionList = get(&server, &server.token, &versions).await;
        list.versions.len() == 1 && list.versions[0].kind == "auto"
    })
    .await;
    // Nothing new, nothing more.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let list: VersionList = get(&server, &server.token, &versions).await;
    assert_eq!(list.versions.len(), 1);
    // Edits, then the last person leaves: a version at once.
    edit(&c, |m| m.add_stage("s2", "Buy", At::End)).expect("stage");
    settled(&server, &map, &c).await;
    drop(c);
    eventually("a version when the last person left", || async {
        let list: VersionList = get(&server, &server.token, &versions).await;
        list.versions.len() == 2 && list.versions[0].summary == "1 stage added"
    })
    .await;
    // Opening a review round records a version too.
    let owner_id = me(&server, &server.token).await.id.0;
    let due = parcours_server::util::now_ms() + 86_400_000;
    let (status, _) = post(
        &server,
        &server.token,
        &format!("/api/maps/{map}/rounds"),
        json!({"title": "Pricing review", "due_at": due, "reviewers": [owner_id]}),
    )
    .await;
    assert_eq!(status, 201);
    let list: VersionList = get(&server, &server.token, &versions).await;
    assert_eq!(list.versions[0].kind, "round");
    assert_eq!(
        list.versions[0].name.as_deref(),
        Some("Round opened: Pricing review")
    );
    server.stop().await;
}
both_backends!(editing_pauses_and_leaving_make_versions_and_rounds_too);

async fn since_your_last_visit_counts_what_others_changed(db: TestDb) {
    let server = TestServer::start(config(&db)).await;
    let map = server.create_map("Visits").await.id.0;
    let ana = member(&server, &map, "ana@example.com", "editor").await;
    let path = format!("/api/maps/{map}/since-last-visit");
    let first: SinceLastVisit = get(&server, &server.token, &path).await;
    assert_eq!((first.last_visit_at, first.count), (None, 0));
    // The owner's own edit does not count; Ana's do.
    let o = server.client(&map).await;
    edit(&o, |m| m.add_stage("s1", "Mine", At::End)).expect("stage");
    settled(&server, &map, &o).await;
    let a = server.client_as(&map, &ana).await;
    let lane = client_view(&a).lanes[0].id.clone();
    edit(&a, |m| {
        m.add_stage("s2", "Hers", At::End)?;
        m.add_card("c1", "s2", &lane, At::End, "Her card")
    })
    .expect("edits");
    settled(&server, &map, &a).await;
    let second: SinceLastVisit = get(&server, &server.token, &path).await;
    assert!(second.last_visit_at.is_some());
    assert_eq!(second.count, 2, "Ana's stage and card");
    let ids: Vec<&str> = second.changes.iter().map(|c| c.id.as_str()).collect();
    assert!(ids.contains(&"s2") && ids.contains(&"c1"), "{ids:?}");
    let third: SinceLastVisit = get(&server, &server.token, &path).await;
    assert_eq!(third.count, 0, "this visit was recorded");
    assert!(third.changes.is_empty());
    // Anonymous callers have no visits.
    let (status, _) = call(&server, Method::GET, None, &path, None).await;
    assert_eq!(status, 401);
    server.stop().await;
}
both_backends!(since_your_last_visit_counts_what_others_changed);
