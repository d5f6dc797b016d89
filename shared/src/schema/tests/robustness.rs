//! Robustness: foreign, malformed documents and serialized views.

use super::*;

#[test]
fn a_foreign_doc_with_missing_and_wrong_typed_fields_reads_as_defaults() {
    let map = sample(1);
    map.edit(|m| m.add_card("c1", "s1", "l2", At::End, "ok").unwrap());
    {
        let mut txn = map.doc().transact_mut();
        let meta = txn.get_or_insert_map(keys::META);
        meta.insert(&mut txn, keys::TITLE, 42);
        meta.insert(&mut txn, keys::ITINERARY, "zigzag");
        let stages = txn.get_or_insert_map(keys::STAGES);
        stages.insert(&mut txn, "junk", "not a map");
        let lanes = txn.get_or_insert_map(keys::LANES);
        let l2 = read::entry(&txn, &lanes, "l2").unwrap();
        l2.insert(&mut txn, keys::ORDER, Any::Null);
        let cards = txn.get_or_insert_map(keys::CARDS);
        let c1 = read::entry(&txn, &cards, "c1").unwrap();
        c1.insert(&mut txn, keys::TEXT, "plain string");
        c1.insert(&mut txn, keys::CHANNEL, "pigeon");
        let bad = cards.insert(&mut txn, "bad", yrs::MapPrelim::default());
        bad.insert(&mut txn, keys::POS, "nowhere");
        let lost = cards.insert(&mut txn, "lost", yrs::MapPrelim::default());
        let pos = read::CardPos {
            stage: "gone".into(),
            lane: "l1".into(),
            order: "!".into(),
        };
        lost.insert(&mut txn, keys::POS, pos.to_any());
        let emotions = txn.get_or_insert_map(keys::EMOTIONS);
        emotions.insert(&mut txn, "p1/s1/as_is", 9);
        emotions.insert(&mut txn, "p1/s2/as_is", "bad");
        emotions.insert(&mut txn, "garbage", 1);
    }
    let view = map.view();
    assert_eq!(view.meta.title, "");
    assert_eq!(view.meta.itinerary, ItineraryKind::Linear);
    assert_eq!(view.stages.len(), 3);
    assert_eq!(view.lanes[0].id, "l2", "a missing order sorts first");
    assert_eq!(view.cards[0].text, "plain string");
    assert_eq!(view.cards[0].channel, Some(Channel::Other));
    assert_eq!(view.orphan_cards.len(), 1);
    assert_eq!(view.orphan_cards[0].id, "lost");
    assert_eq!(view.emotions[0].scores, vec![Some(2), None, None]);
    // Editing repairs the plain-string text into a Y.Text.
    map.edit(|m| m.insert_text(TextTarget::Card("c1"), 0, "still "))
        .unwrap();
    map.edit(|m| m.add_card("c2", "s1", "l2", At::Start, "").unwrap());
    assert_eq!(map.view().cards[1].text, "still plain string");
}

#[test]
fn a_view_survives_a_serde_json_round_trip() {
    let map = sample(1);
    map.edit(|m| {
        m.add_card("k", "s2", "l7", At::End, "NPS").unwrap();
        m.set_kpi_value("k", KpiMeasure::Current, Some(31.5))
            .unwrap();
        m.set_emotion("p1", "s2", EmotionSeries::AsIs, -1).unwrap();
        m.add_path("pa", "Sales-led", Some("p1"), "big deal", At::End)
            .unwrap();
    });
    let view = map.view();
    let json = serde_json::to_string(&view).unwrap();
    let back: MapView = serde_json::from_str(&json).unwrap();
    assert_eq!(back, view);
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
    assert!(json.contains("\"kind\":\"pain_points\"") && json.contains("\"series\":\"to_be\""));
}

/// What a hostile editor's raw Yjs client can write into the itinerary roots: switches
/// of the wrong type, naming missing or non-touchpoint cards, a card as its own target;
/// path keys set to false, null or junk, naming removed paths. The view reads all of it
/// without panicking and shows only what a map file could hold.
#[test]
fn hostile_switches_and_path_keys_read_leniently() {
    let map = sample(1);
    map.edit(|m| {
        m.add_lane("lt", "Touchpoints", LaneKind::Touchpoints, At::End)
            .unwrap();
        m.add_card("t1", "s1", "lt", At::End, "web").unwrap();
        m.add_card("t2", "s2", "lt", At::End, "store").unwrap();
        m.add_card("a1", "s1", "l1", At::End, "action").unwrap();
        m.add_path("pa", "A", None, "", At::End).unwrap();
    });
    {
        let mut txn = map.doc().transact_mut();
        let switches = txn.get_or_insert_map(keys::SWITCHES);
        switches.insert(&mut txn, "junk", "not a map");
        for (id, from, to) in [
            ("self", "t1", "t1"),
            ("gone", "t1", "nowhere"),
            ("action", "t1", "a1"),
            ("ok", "t1", "t2"),
        ] {
            let s = switches.insert(&mut txn, id, yrs::MapPrelim::default());
            s.insert(&mut txn, keys::FROM, from);
            s.insert(&mut txn, keys::TO, to);
        }
        let typed = switches.insert(&mut txn, "typed", yrs::MapPrelim::default());
        typed.insert(&mut txn, keys::FROM, 7);
        typed.insert(&mut txn, keys::TO, Any::Null);
        let cards = txn.get_or_insert_map(keys::CARDS);
        let t1 = read::entry(&txn, &cards, "t1").unwrap();
        t1.insert(&mut txn, "path/pa", false);
        t1.insert(&mut txn, "path/removed", true);
        t1.insert(&mut txn, "path/", true);
        let t2 = read::entry(&txn, &cards, "t2").unwrap();
        t2.insert(&mut txn, "path/pa", "yes");
        t2.insert(&mut txn, keys::PATH, 12);
    }
    let view = map.view();
    let ids: Vec<&str> = view.switches.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["ok"], "only the switch between two touchpoints shows");
    assert_eq!(view.switches[0].note, "", "a missing note reads empty");
    let paths = |id: &str| {
        view.cards
            .iter()
            .find(|c| c.id == id)
            .unwrap()
            .paths
            .clone()
    };
    assert!(
        paths("t1").is_empty(),
        "false and removed paths do not count"
    );
    assert_eq!(paths("t2"), ["pa"]);
    // And such a map exports and imports back.
    let file = crate::exchange::MapFile::new(view.clone(), 0);
    assert!(crate::exchange::check(&file).is_ok());
}
