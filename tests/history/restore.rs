//! Restore: a whole version or one element brought back as a forward change that
//! connected peers receive live (no reconnect, no reload), itself in the history and
//! undone by restoring the version recorded just before it.

use parcours_shared::api::{ElementHistory, Restored, VersionList};
use parcours_shared::schema::{At, LaneKind};
use parcours_shared::view::MapView;
use serde_json::json;

use crate::common::{client_view, edit, get, me, member, metric, post, TestDb, TestServer, WAIT};
use crate::{config, settled};

fn card_text(v: &MapView, id: &str) -> Option<String> {
    v.cards.iter().find(|c| c.id == id).map(|c| c.text.clone())
}

async fn restores_are_forward_changes_seen_live_and_undoable(db: TestDb) {
    let server = TestServer::start(config(&db)).await;
    let map = server.create_map("Restore").await.id.0;
    let ana = member(&server, &map, "ana@example.com", "editor").await;
    let viewer = member(&server, &map, "vic@example.com", "viewer").await;
    let owner_id = me(&server, &server.token).await.id.0;
    let o = server.client(&map).await;
    let a = server.client_as(&map, &ana).await;
    let lane = client_view(&o).lanes[0].id.clone();
    let touch = client_view(&o)
        .lanes
        .iter()
        .find(|l| l.kind == LaneKind::Touchpoints)
        .expect("a touchpoints lane")
        .id
        .clone();
    edit(&o, |m| {
        m.add_stage("s1", "Discover", At::End)?;
        m.add_card("c1", "s1", &lane, At::End, "First draft")?;
        // A switch between two touchpoints: restored with the rest.
        m.add_card("t1", "s1", &touch, At::End, "Web page")?;
        m.add_card("t2", "s1", &touch, At::End, "Branch")?;
        m.add_switch("w1", "t1", "t2", "by appointment")
    })
    .expect("setup");
    settled(&server, &map, &o).await;
    let (_, v1) = post(
        &server,
        &server.token,
        &format!("/api/maps/{map}/versions"),
        json!({"name": "v1"}),
    )
    .await;
    let v1 = v1["id"].as_str().expect("id").to_owned();
    let then = client_view(&o);
    a.wait_until(WAIT, |d| parcours_shared::view::read_view(d) == then)
        .await;
    edit(&a, |m| {
        m.set_card_text("c1", "Second take")?;
        m.rename_stage("s1", "Explore")?;
        m.add_card("c2", "s1", &lane, At::End, "New card")?;
        m.set_switch_note("w1", "walks in")?;
        m.add_switch("w2", "t2", "t1", "")
    })
    .expect("edits");
    settled(&server, &map, &a).await;
    let reloads = metric(&server.metrics().await, "parcours_room_reloads_total");

    // One card alone, as the owner: Ana sees it live; her other edits stay.
    let restore = format!("/api/maps/{map}/restore");
    let (status, body) = post(
        &server,
        &server.token,
        &restore,
        json!({"version": v1, "element": "c1"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let restored: Restored = serde_json::from_value(body).expect("shape");
    assert_eq!(restored.before.kind, "restore");
    assert!(
        a.wait_until(WAIT, |d| card_text(
            &parcours_shared::view::read_view(d),
            "c1"
        )
        .as_deref()
            == Some("First draft"))
            .await,
        "Ana's open socket received the restore"
    );
    let now = client_view(&a);
    assert_eq!(now.stages[0].name, "Explore");
    assert_eq!(card_text(&now, "c2").as_deref(), Some("New card"));
    // The restore is in the history, the server's change on the owner's behalf.
    settled(&server, &map, &a).await;
    let h: ElementHistory = get(
        &server,
        &ana,
        &format!("/api/maps/{map}/history?element=c1"),
    )
    .await;
    let last = h.changes.last().expect("changes");
    assert_eq!(
        (last.author.kind.as_str(), last.author.id.as_deref()),
        ("server", Some(owner_id.as_str()))
    );
    assert_eq!(last.fields[0].after, Some("First draft".into()));

    // Undo: restoring the version recorded just before brings Ana's text back.
    let (status, _) = post(
        &server,
        &ana,
        &restore,
        json!({"version": restored.before.id}),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        o.wait_until(WAIT, |d| card_text(
            &parcours_shared::view::read_view(d),
            "c1"
        )
        .as_deref()
            == Some("Second take"))
            .await
    );
    // The whole of v1, by Ana: the map reads as then, on both open sockets.
    let (status, _) = post(&server, &ana, &restore, json!({"version": v1})).await;
    assert_eq!(status, 200);
    assert!(
        o.wait_until(WAIT, |d| parcours_shared::view::read_view(d) == then)
            .await
    );
    assert!(
        a.wait_until(WAIT, |d| parcours_shared::view::read_view(d) == then)
            .await
    );
    // Nobody was reloaded or dropped: both still edit and see each other.
    edit(&o, |m| m.set_card_text("c1", "Still live")).expect("edit");
    assert!(
        a.wait_until(WAIT, |d| card_text(
            &parcours_shared::view::read_view(d),
            "c1"
        )
        .as_deref()
            == Some("Still live"))
            .await
    );
    assert_eq!(
        metric(&server.metrics().await, "parcours_room_reloads_total"),
        reloads
    );
    // Three restores, three "before" versions, plus v1.
    let list: VersionList = get(&server, &viewer, &format!("/api/maps/{map}/versions")).await;
    assert_eq!(
        list.versions.iter().filter(|v| v.kind == "restore").count(),
        3
    );

    // Refusals change nothing.
    let view = client_view(&o);
    for (token, body, status, code) in [
        (&viewer, json!({"version": v1}), 403, "forbidden"),
        (&server.token, json!({}), 422, "invalid_restore"),
        (
            &server.token,
            json!({"version": v1, "at": 5}),
            422,
            "invalid_restore",
        ),
        (
            &server.token,
            json!({"version": "nosuchversion"}),
            404,
            "not_found",
        ),
        (
            &server.token,
            json!({"version": v1, "element": "never-existed"}),
            409,
            "no_such_element",
        ),
        (&server.token, json!({"at": 1}), 410, "before_history"),
        (
            &server.token,
            json!({"version": v1, "element": ""}),
            422,
            "invalid_element",
        ),
    ] {
        let (got, body) = post(&server, token, &restore, body.clone()).await;
        assert_eq!(
            (got.as_u16(), body["code"].as_str()),
            (status, Some(code)),
            "{body}"
        );
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(client_view(&o), view, "refused restores changed nothing");
    // Restoring what the map already reads like is refused too (nothing to undo).
    let (status, _) = post(&server, &server.token, &restore, json!({"version": v1})).await;
    assert_eq!(status, 200);
    let (status, body) = post(&server, &server.token, &restore, json!({"version": v1})).await;
    assert_eq!(
        (status.as_u16(), body["code"].as_str()),
        (409, Some("nothing_to_restore"))
    );
    server.stop().await;
}
both_backends!(restores_are_forward_changes_seen_live_and_undoable);
