//! Attribution: three accounts editing one map at once, each change blamed on its
//! author, across compaction, checkpoints and a restart.

use parcours_shared::api::ElementHistory;
use parcours_shared::schema::{At, TextTarget};

use crate::common::{client_view, converged, edit, get, me, member, TestDb, TestServer};
use crate::{config, settled};

async fn blame(s: &TestServer, token: &str, map: &str, element: &str) -> ElementHistory {
    get(
        s,
        token,
        &format!("/api/maps/{map}/history?element={element}"),
    )
    .await
}

/// Who each change of an element is blamed on, as `(change, author id)`.
fn authors(h: &ElementHistory) -> Vec<(String, String)> {
    h.changes
        .iter()
        .map(|c| (c.change.clone(), c.author.id.clone().unwrap_or_default()))
        .collect()
}

async fn three_people_editing_at_once_are_each_blamed_for_their_own(db: TestDb) {
    let config = config(&db);
    let server = TestServer::start(config.clone()).await;
    let map = server.create_map("Blame").await.id.0;
    let ana = member(&server, &map, "ana@example.com", "editor").await;
    let bob = member(&server, &map, "bob@example.com", "editor").await;
    let owner = server.token.clone();
    let ids: Vec<String> = vec![
        me(&server, &owner).await.id.0,
        me(&server, &ana).await.id.0,
        me(&server, &bob).await.id.0,
    ];
    let clients = [
        server.client(&map).await,
        server.client_as(&map, &ana).await,
        server.client_as(&map, &bob).await,
    ];
    let lane = client_view(&clients[0]).lanes[0].id.clone();
    edit(&clients[0], |m| m.add_stage("s1", "Discover", At::End)).expect("stage");
    converged(&[&clients[0], &clients[1], &clients[2]]).await;
    let cards = ["card-owner", "card-ana", "card-bob"];
    for (client, card) in clients.iter().zip(cards) {
        edit(client, |m| m.add_card(card, "s1", &lane, At::End, "")).expect("card");
    }
    // All three type into their own card at once, interleaved.
    for i in 0..12 {
        for (client, card) in clients.iter().zip(cards) {
            edit(client, |m| {
                m.insert_text(
                    TextTarget::Card(card),
                    i,
                    &((b'a' + i as u8) as char).to_string(),
                )
            })
            .expect("type");
        }
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    }
    // Bob renames the stage the owner made.
    edit(&clients[2], |m| m.rename_stage("s1", "Explore")).expect("rename");
    converged(&[&clients[0], &clients[1], &clients[2]]).await;
    settled(&server, &map, &clients[0]).await;

    let check = |h: &ElementHistory, who: &str| {
        let got = authors(h);
        assert_eq!(got[0].0, "created", "{got:?}");
        assert!(
            got.iter().all(|(_, id)| id == who),
            "every change of {} is its author's: {got:?}",
            h.element
        );
        assert_eq!(
            h.changes.last().expect("changes").fields[0].after,
            Some(serde_json::json!("abcdefghijkl")),
            "the last change holds the final text"
        );
        assert!(h.changes.iter().all(|c| c.author.name.is_some()));
    };
    for (card, who) in cards.iter().zip(&ids) {
        check(&blame(&server, &ana, &map, card).await, who);
    }
    let stage = blame(&server, &ana, &map, "s1").await;
    assert_eq!(
        authors(&stage),
        [
            ("created".to_owned(), ids[0].clone()),
            ("changed".to_owned(), ids[2].clone())
        ]
    );
    assert_eq!(stage.changes[1].fields[0].field, "name");
    assert_eq!(stage.changes[1].fields[0].before, Some("Discover".into()));
    assert_eq!(stage.changes[1].fields[0].after, Some("Explore".into()));
    assert_eq!(stage.root.as_deref(), Some("stages"));

    // Compaction ran (a snapshot every 3 rows) and checkpoints were kept; every row
    // stayed, attributed.
    let store = db.store().await;
    let id = parcours_shared::MapId(map.clone());
    let stored = store.load_doc(&id).await.expect("load").expect("map");
    assert!(stored.covers_seq > 0, "a snapshot was written");
    assert!(
        db.count("select count(*) from map_checkpoints").await >= 2,
        "checkpoints were kept beside the first state"
    );
    assert_eq!(
        db.count("select count(*) from map_updates where author_kind <> 'user'")
            .await,
        0,
        "every row is one account's"
    );

    // After a restart, the same story, and new edits are blamed too.
    let before: Vec<ElementHistory> = {
        let mut all = Vec::new();
        for card in cards {
            all.push(blame(&server, &owner, &map, card).await);
        }
        all
    };
    drop(clients);
    server.stop().await;
    let server = TestServer::start(config).await;
    for (card, was) in cards.iter().zip(&before) {
        assert_eq!(&blame(&server, &owner, &map, card).await, was);
    }
    let bob_again = server.client_as(&map, &bob).await;
    edit(&bob_again, |m| m.set_card_text("card-ana", "Bob was here")).expect("edit");
    settled(&server, &map, &bob_again).await;
    let h = blame(&server, &owner, &map, "card-ana").await;
    let last = h.changes.last().expect("changes");
    assert_eq!(last.author.id.as_deref(), Some(ids[2].as_str()));
    assert_eq!(last.fields[0].before, Some("abcdefghijkl".into()));
    assert_eq!(last.fields[0].after, Some("Bob was here".into()));
    server.stop().await;
}
both_backends!(three_people_editing_at_once_are_each_blamed_for_their_own);

async fn moves_and_deletions_read_as_such(db: TestDb) {
    let server = TestServer::start(config(&db)).await;
    let map = server.create_map("Moves").await.id.0;
    let c = server.client(&map).await;
    let lane = client_view(&c).lanes[0].id.clone();
    edit(&c, |m| {
        m.add_stage("s1", "One", At::End)?;
        m.add_stage("s2", "Two", At::End)?;
        m.add_card("k", "s1", &lane, At::End, "Card")
    })
    .expect("setup");
    settled(&server, &map, &c).await;
    edit(&c, |m| m.move_card("k", "s2", &lane, 0)).expect("move");
    settled(&server, &map, &c).await;
    edit(&c, |m| m.remove_card("k")).expect("remove");
    settled(&server, &map, &c).await;
    let h = blame(&server, &server.token, &map, "k").await;
    let kinds: Vec<&str> = h.changes.iter().map(|c| c.change.as_str()).collect();
    assert_eq!(kinds, ["created", "moved", "deleted"]);
    let stage_field = h.changes[1]
        .fields
        .iter()
        .find(|f| f.field == "pos.stage")
        .expect("the stage changed");
    assert_eq!(
        (stage_field.before.clone(), stage_field.after.clone()),
        (Some("s1".into()), Some("s2".into()))
    );
    // An id nobody ever used has an empty history, not an error.
    let none = blame(&server, &server.token, &map, "never").await;
    assert!(none.changes.is_empty() && none.root.is_none());
    server.stop().await;
}
both_backends!(moves_and_deletions_read_as_such);

/// A template's cards existed before history began: their first change reads as a
/// change from the template's text, not as a creation from nothing.
async fn a_template_cards_first_change_compares_with_the_template(db: TestDb) {
    let server = TestServer::start(config(&db)).await;
    let (status, map) = crate::common::post(
        &server,
        &server.token,
        "/api/maps",
        serde_json::json!({"title": "Bank", "itinerary": "omnichannel", "template": "retail_bank"}),
    )
    .await;
    assert_eq!(status, 201, "{map}");
    let map = map["id"].as_str().expect("id").to_owned();
    let c = server.client(&map).await;
    let card = client_view(&c).cards[0].clone();
    edit(&c, |m| m.set_card_text(&card.id, "Rewritten")).expect("edit");
    settled(&server, &map, &c).await;
    let h = blame(&server, &server.token, &map, &card.id).await;
    assert_eq!(h.changes.len(), 1, "{h:?}");
    assert_eq!(h.changes[0].change, "changed");
    assert_eq!(
        h.changes[0]
            .fields
            .iter()
            .map(|f| (f.field.as_str(), f.before.clone(), f.after.clone()))
            .collect::<Vec<_>>(),
        [(
            "text",
            Some(card.text.clone().into()),
            Some("Rewritten".into())
        )],
        "only the text changed, from the template's"
    );
    server.stop().await;
}
both_backends!(a_template_cards_first_change_compares_with_the_template);
