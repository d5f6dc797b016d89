//! Tests of the schema API: every operation, read back through the view.

use super::*;
use crate::schema::ItineraryKind;
use crate::view::{ChannelSwitch, KpiView, MapView};
use yrs::{Any, Map, ReadTxn, Transact, WriteTxn};

mod convergence;
mod robustness;

/// Sequential ids `{prefix}1`, `{prefix}2`...
pub(super) fn ids(prefix: &str) -> impl FnMut() -> String + '_ {
    let mut n = 0;
    move || {
        n += 1;
        format!("{prefix}{n}")
    }
}

/// A map with default lanes (`l1`..`l8`), stages `s1`..`s3` and persona `p1`.
pub(super) fn sample(client_id: u64) -> MapDoc {
    let map = MapDoc::with_client_id(client_id);
    map.edit(|m| {
        m.init("Onboarding", ItineraryKind::Omnichannel, &mut ids("l"));
        for (id, name) in [
            ("s1", "Awareness"),
            ("s2", "Consideration"),
            ("s3", "Purchase"),
        ] {
            m.add_stage(id, name, At::End).unwrap();
        }
        m.add_persona("p1", "Claire, IT buyer", At::End).unwrap();
    });
    map
}

fn stage_ids(view: &MapView) -> Vec<&str> {
    view.stages.iter().map(|s| s.id.as_str()).collect()
}

fn cell(view: &MapView, stage: &str, lane: &str) -> Vec<String> {
    let cards = view
        .cards
        .iter()
        .filter(|c| c.stage == stage && c.lane == lane);
    cards.map(|c| c.id.clone()).collect()
}

#[test]
fn init_sets_meta_and_creates_the_eight_default_lanes_in_order() {
    let view = sample(1).view();
    assert_eq!(view.meta.schema_version, SCHEMA_VERSION);
    assert_eq!(view.meta.title, "Onboarding");
    assert_eq!(view.meta.objective, "");
    assert_eq!(view.meta.itinerary, ItineraryKind::Omnichannel);
    let kinds: Vec<LaneKind> = view.lanes.iter().map(|l| l.kind).collect();
    assert_eq!(kinds, LaneKind::DEFAULTS);
    assert_eq!(view.lanes[0].name, "Customer actions");
    assert_eq!(view.lanes[6].name, "KPIs");
    assert_eq!(view.lanes[0].id, "l1");
}

#[test]
fn meta_fields_round_trip_into_the_view_and_title_helper() {
    let map = sample(1);
    map.edit(|m| {
        m.set_title("Retail bank: opening an account");
        m.set_objective("Cut drop-off before the first deposit");
        m.set_itinerary(ItineraryKind::Personalized);
        assert_eq!(m.itinerary(), ItineraryKind::Personalized);
        assert_eq!(m.schema_version(), Some(SCHEMA_VERSION));
    });
    let view = map.view();
    assert_eq!(view.meta.title, "Retail bank: opening an account");
    assert_eq!(view.meta.objective, "Cut drop-off before the first deposit");
    assert_eq!(view.meta.itinerary, ItineraryKind::Personalized);
    assert_eq!(map.title(), "Retail bank: opening an account");
    assert_eq!(crate::view::title(map.doc()), map.title());
}

#[test]
fn text_edits_insert_delete_and_replace_with_clamped_utf16_indices() {
    let map = sample(1);
    map.edit(|m| {
        m.add_card("c1", "s1", "l1", At::End, "Reads a review")
            .unwrap();
        m.insert_text(TextTarget::Card("c1"), 0, "😀 ").unwrap();
        m.insert_text(TextTarget::Card("c1"), 999, "!").unwrap();
        // The emoji is two UTF-16 units, then a space.
        m.delete_text(TextTarget::Card("c1"), 3, 6).unwrap();
        m.delete_text(TextTarget::Card("c1"), 500, 10).unwrap();
        m.insert_text(TextTarget::StageName("s1"), 0, "1. ")
            .unwrap();
    });
    let view = map.view();
    assert_eq!(view.cards[0].text, "😀 a review!");
    assert_eq!(view.stages[0].name, "1. Awareness");
    map.edit(|m| {
        m.set_card_text("c1", "😀 a good review!").unwrap();
        m.set_text(TextTarget::Objective, "Grow").unwrap();
    });
    assert_eq!(map.view().cards[0].text, "😀 a good review!");
    assert_eq!(map.view().meta.objective, "Grow");
}

#[test]
fn personas_are_added_updated_moved_and_removed_with_their_scores_and_path_links() {
    let map = sample(1);
    map.edit(|m| {
        m.add_persona("p2", "Hugo, student", At::Start).unwrap();
        m.set_persona_field("p2", PersonaField::Segment, "Undergraduates")
            .unwrap();
        m.set_persona_field("p2", PersonaField::Goals, "Get admitted")
            .unwrap();
        m.set_persona_field("p2", PersonaField::Pains, "Opaque deadlines")
            .unwrap();
        m.set_persona_field("p2", PersonaField::Preferences, "Mobile, chat")
            .unwrap();
    });
    let view = map.view();
    assert_eq!(view.personas[0].id, "p2");
    assert_eq!(view.personas[0].segment, "Undergraduates");
    assert_eq!(view.personas[0].preferences, "Mobile, chat");
    map.edit(|m| {
        m.move_persona("p2", 1).unwrap();
        m.set_emotion("p2", "s1", EmotionSeries::AsIs, -1).unwrap();
        m.add_path("path1", "Scholarship", Some("p2"), "needs aid", At::End)
            .unwrap();
    });
    assert_eq!(map.view().personas[1].id, "p2");
    map.edit(|m| m.remove_persona("p2")).unwrap();
    let view = map.view();
    assert_eq!(view.personas.len(), 1);
    assert_eq!(view.emotions.len(), 2, "only p1's two curves remain");
    assert_eq!(view.paths[0].persona, None);
    map.edit(|m| assert_eq!(m.emotion("p2", "s1", EmotionSeries::AsIs), None));
}

#[test]
fn stages_are_added_at_end_index_and_after_then_renamed_and_moved() {
    let map = sample(1);
    map.edit(|m| {
        m.add_stage("s0", "Need", At::Start).unwrap();
        m.add_stage("s9", "Loyalty", At::End).unwrap();
        m.add_stage("s4", "Onboarding", At::After("s3")).unwrap();
        m.add_stage("s15", "Shortlist", At::Index(3)).unwrap();
        m.rename_stage("s15", "Short list").unwrap();
    });
    let view = map.view();
    assert_eq!(
        stage_ids(&view),
        ["s0", "s1", "s2", "s15", "s3", "s4", "s9"]
    );
    assert_eq!(view.stages[3].name, "Short list");
    map.edit(|m| {
        m.move_stage("s0", 99).unwrap();
        m.move_stage("s9", 0).unwrap();
        m.move_stage("s3", 2).unwrap();
    });
    assert_eq!(
        stage_ids(&map.view()),
        ["s9", "s1", "s3", "s2", "s15", "s4", "s0"]
    );
}

#[test]
fn removing_a_stage_removes_its_cards_and_emotion_scores() {
    let map = sample(1);
    map.edit(|m| {
        m.add_card("c1", "s2", "l1", At::End, "Compares offers")
            .unwrap();
        m.add_card("c2", "s1", "l1", At::End, "Sees an ad").unwrap();
        m.set_emotion("p1", "s2", EmotionSeries::ToBe, 2).unwrap();
        m.set_emotion("p1", "s1", EmotionSeries::ToBe, 1).unwrap();
        m.remove_stage("s2").unwrap();
    });
    let view = map.view();
    assert_eq!(stage_ids(&view), ["s1", "s3"]);
    let ids: Vec<&str> = view.cards.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["c2"]);
    assert!(view.orphan_cards.is_empty());
    assert_eq!(view.emotions[1].scores, vec![Some(1), None]);
    map.edit(|m| assert_eq!(m.emotion("p1", "s2", EmotionSeries::ToBe), None));
}

#[test]
fn lanes_are_added_renamed_moved_and_removed_with_their_cards() {
    let map = sample(1);
    map.edit(|m| {
        m.add_lane("n1", "Team notes", LaneKind::Notes, At::After("l2"))
            .unwrap();
        m.rename_lane("n1", "Notes").unwrap();
        m.add_card("c1", "s1", "n1", At::End, "Ask legal").unwrap();
        m.move_lane("l1", 8).unwrap();
    });
    let view = map.view();
    let ids: Vec<&str> = view.lanes.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["l2", "n1", "l3", "l4", "l5", "l6", "l7", "l8", "l1"]);
    assert_eq!(view.lanes[1].kind, LaneKind::Notes);
    assert_eq!(view.lanes[1].name, "Notes");
    map.edit(|m| m.remove_lane("n1")).unwrap();
    let view = map.view();
    assert_eq!(view.lanes.len(), 8);
    assert!(view.cards.is_empty() && view.orphan_cards.is_empty());
}

#[test]
fn cards_are_added_at_end_or_index_moved_between_cells_and_deleted() {
    let map = sample(1);
    map.edit(|m| {
        m.add_card("c1", "s1", "l1", At::End, "one").unwrap();
        m.add_card("c2", "s1", "l1", At::End, "two").unwrap();
        m.add_card("c3", "s1", "l1", At::Index(1), "between")
            .unwrap();
        m.add_card("c4", "s1", "l1", At::Start, "first").unwrap();
        m.add_card("c5", "s2", "l3", At::End, "elsewhere").unwrap();
    });
    assert_eq!(cell(&map.view(), "s1", "l1"), ["c4", "c1", "c3", "c2"]);
    map.edit(|m| {
        m.move_card("c4", "s1", "l1", 3).unwrap();
        m.move_card("c1", "s2", "l3", 0).unwrap();
        m.remove_card("c3").unwrap();
    });
    let view = map.view();
    assert_eq!(cell(&view, "s1", "l1"), ["c2", "c4"]);
    assert_eq!(cell(&view, "s2", "l3"), ["c1", "c5"]);
    let indices: Vec<usize> = view.cards.iter().map(|c| c.index).collect();
    assert_eq!(indices, [0, 1, 0, 1]);
}

#[test]
fn card_fields_apply_only_to_their_lane_kind() {
    let map = sample(1);
    map.edit(|m| {
        m.add_card("t", "s1", "l2", At::End, "Landing page")
            .unwrap();
        m.add_card("o", "s1", "l6", At::End, "Live chat").unwrap();
        m.add_card("k", "s1", "l7", At::End, "Conversion").unwrap();
        m.add_card("a", "s1", "l1", At::End, "Signs up").unwrap();
        m.set_channel("t", Some(Channel::Web)).unwrap();
        m.set_owner("o", Some("Support lead")).unwrap();
        m.set_status("o", Some(OpportunityStatus::InProgress))
            .unwrap();
        m.set_kpi_value("k", KpiMeasure::Baseline, Some(2.5))
            .unwrap();
        m.set_kpi_value("k", KpiMeasure::Target, Some(4.0)).unwrap();
        m.set_kpi_unit("k", Some("%")).unwrap();
        let err = m.set_channel("a", Some(Channel::App)).unwrap_err();
        assert_eq!(err.code(), "wrong_lane_kind");
        assert!(m.set_owner("t", Some("x")).is_err());
        assert!(m
            .set_kpi_value("o", KpiMeasure::Current, Some(1.0))
            .is_err());
        assert_eq!(
            m.set_kpi_value("k", KpiMeasure::Current, Some(f64::NAN)),
            Err(SchemaError::NotFinite)
        );
    });
    let view = map.view();
    let card = |id: &str| view.cards.iter().find(|c| c.id == id).unwrap();
    assert_eq!(card("t").channel, Some(Channel::Web));
    assert_eq!(card("o").owner.as_deref(), Some("Support lead"));
    assert_eq!(card("o").status, Some(OpportunityStatus::InProgress));
    let kpi = KpiView {
        baseline: Some(2.5),
        current: None,
        target: Some(4.0),
        unit: Some("%".into()),
    };
    assert_eq!(card("k").kpi, Some(kpi));
    assert_eq!(card("a").kpi, None);
    map.edit(|m| {
        m.set_channel("t", None).unwrap();
        m.move_card("t", "s1", "l1", 0).unwrap();
    });
    assert_eq!(map.view().cards[0].channel, None);
}

#[test]
fn emotions_are_set_read_cleared_and_out_of_range_scores_refused() {
    let map = sample(1);
    map.edit(|m| {
        m.set_emotion("p1", "s1", EmotionSeries::AsIs, -2).unwrap();
        m.set_emotion("p1", "s3", EmotionSeries::AsIs, 2).unwrap();
        m.set_emotion("p1", "s2", EmotionSeries::ToBe, 1).unwrap();
        assert_eq!(
            m.set_emotion("p1", "s1", EmotionSeries::AsIs, 3),
            Err(SchemaError::ScoreOutOfRange(3))
        );
        assert!(m
            .set_emotion("nobody", "s1", EmotionSeries::AsIs, 0)
            .is_err());
        assert_eq!(m.emotion("p1", "s1", EmotionSeries::AsIs), Some(-2));
        m.clear_emotion("p1", "s3", EmotionSeries::AsIs).unwrap();
    });
    let view = map.view();
    assert_eq!(view.emotions[0].series, EmotionSeries::AsIs);
    assert_eq!(view.emotions[0].scores, vec![Some(-2), None, None]);
    assert_eq!(view.emotions[1].scores, vec![None, Some(1), None]);
}

#[test]
fn paths_are_added_updated_moved_and_removed_leaving_their_cards_on_every_path() {
    let map = sample(1);
    map.edit(|m| {
        m.add_path("pa", "Self-serve", None, "", At::End).unwrap();
        m.add_path("pb", "Sales-led", Some("p1"), "deal > 50k", At::Start)
            .unwrap();
        m.rename_path("pa", "Self service").unwrap();
        m.set_path_condition("pa", "team < 10 seats").unwrap();
        m.set_path_persona("pa", Some("p1")).unwrap();
        m.move_path("pb", 1).unwrap();
        m.add_card("c1", "s1", "l1", At::End, "Books a demo")
            .unwrap();
        m.add_card("c2", "s1", "l1", At::End, "Reads pricing")
            .unwrap();
        m.set_card_on_path("c1", "pb", true).unwrap();
        m.set_card_paths("c2", &["pa", "pb"]).unwrap();
        assert!(m.set_card_on_path("c1", "nope", true).is_err());
        assert!(m.set_card_paths("c1", &["pa", "nope"]).is_err());
    });
    let view = map.view();
    assert_eq!(view.paths[0].name, "Self service");
    assert_eq!(view.paths[0].condition, "team < 10 seats");
    assert_eq!(view.paths[0].persona.as_deref(), Some("p1"));
    assert_eq!(view.paths[1].id, "pb");
    assert_eq!(view.cards[0].paths, ["pb"]);
    // In path order: pa was moved first.
    assert_eq!(view.cards[1].paths, ["pa", "pb"]);
    assert!(view.cards[0].on_path("pb") && !view.cards[0].on_path("pa"));
    map.edit(|m| m.remove_path("pb")).unwrap();
    let view = map.view();
    assert_eq!(view.paths.len(), 1);
    // c1 was only on pb: now on every path; c2 stays on pa.
    assert!(view.cards[0].paths.is_empty());
    assert!(view.cards[0].on_path("pa"));
    assert_eq!(view.cards[1].paths, ["pa"]);
    map.edit(|m| m.set_card_on_path("c2", "pa", false)).unwrap();
    assert!(map.view().cards[1].paths.is_empty());
}

#[test]
fn legacy_single_path_reads_as_membership_and_is_upgraded_on_edit() {
    let map = sample(1);
    map.edit(|m| {
        m.add_path("pa", "A", None, "", At::End).unwrap();
        m.add_path("pb", "B", None, "", At::End).unwrap();
        m.add_card("c1", "s1", "l1", At::End, "x").unwrap();
        // What a build before multi-path membership wrote.
        let card = match m.txn().get_map(keys::CARDS).unwrap().get(m.txn(), "c1") {
            Some(yrs::Out::YMap(card)) => card,
            _ => unreachable!(),
        };
        card.insert(m.txn(), keys::PATH, "pa");
    });
    assert_eq!(map.view().cards[0].paths, ["pa"]);
    map.edit(|m| m.set_card_on_path("c1", "pb", true)).unwrap();
    assert_eq!(map.view().cards[0].paths, ["pa", "pb"]);
    map.edit(|m| m.remove_path("pa")).unwrap();
    assert_eq!(map.view().cards[0].paths, ["pb"]);
}

#[test]
fn switches_join_two_touchpoints_carry_a_note_and_go_with_their_cards() {
    let map = sample(1);
    map.edit(|m| {
        m.add_stage("sb", "Pay", At::End).unwrap();
        m.add_lane("lt", "Touchpoints", LaneKind::Touchpoints, At::End)
            .unwrap();
        m.add_card("t1", "s1", "lt", At::End, "Product page")
            .unwrap();
        m.add_card("t2", "sb", "lt", At::End, "Store visit")
            .unwrap();
        m.add_card("t3", "sb", "lt", At::End, "Call centre")
            .unwrap();
        m.add_card("a1", "s1", "l1", At::End, "Not a touchpoint")
            .unwrap();
        m.add_switch("w1", "t1", "t2", "continues in branch")
            .unwrap();
        m.add_switch("w2", "t2", "t3", "").unwrap();
        assert_eq!(
            m.add_switch("w3", "t1", "t1", ""),
            Err(SchemaError::SelfSwitch("t1".into()))
        );
        assert!(matches!(
            m.add_switch("w3", "t1", "a1", ""),
            Err(SchemaError::WrongLaneKind { .. })
        ));
        assert!(matches!(
            m.add_switch("w1", "t1", "t3", ""),
            Err(SchemaError::DuplicateId { .. })
        ));
        assert!(matches!(
            m.add_switch("w3", "t1", "gone", ""),
            Err(SchemaError::NotFound { .. })
        ));
        m.set_switch_note("w2", "no answer online").unwrap();
    });
    let view = map.view();
    let joined: Vec<(&str, &str, &str)> = view
        .switches
        .iter()
        .map(|s| (s.from.as_str(), s.to.as_str(), s.note.as_str()))
        .collect();
    assert_eq!(
        joined,
        [
            ("t1", "t2", "continues in branch"),
            ("t2", "t3", "no answer online")
        ]
    );
    // A touchpoint moved to another lane takes no part in switches while it is there
    // (a map file could not hold such a switch); moved back, its switch shows again.
    map.edit(|m| m.move_card("t3", "sb", "l1", 0)).unwrap();
    assert_eq!(map.view().switches.len(), 1);
    map.edit(|m| m.move_card("t3", "sb", "lt", 1)).unwrap();
    assert_eq!(map.view().switches.len(), 2);
    map.edit(|m| m.remove_card("t3")).unwrap();
    assert_eq!(map.view().switches.len(), 1);
    map.edit(|m| m.remove_stage("sb")).unwrap();
    assert!(map.view().switches.is_empty());
    map.edit(|m| {
        m.add_card("t4", "s1", "lt", At::End, "Chat").unwrap();
        m.add_switch("w4", "t1", "t4", "").unwrap();
        m.remove_switch("w4").unwrap();
        assert!(m.remove_switch("w4").is_err());
    });
    assert!(map.view().switches.is_empty());
}

#[test]
fn unknown_invalid_and_duplicate_ids_are_typed_errors() {
    let map = sample(1);
    map.edit(|m| {
        let missing = |entity: &'static str, id: &str| SchemaError::NotFound {
            entity,
            id: id.into(),
        };
        assert_eq!(m.rename_stage("zz", "x"), Err(missing("stage", "zz")));
        assert_eq!(
            m.add_card("c", "s1", "zz", At::End, ""),
            Err(missing("lane", "zz"))
        );
        assert_eq!(m.move_card("zz", "s1", "l1", 0), Err(missing("card", "zz")));
        assert_eq!(
            m.add_stage("s5", "x", At::After("zz")),
            Err(missing("stage", "zz"))
        );
        assert_eq!(m.remove_path("zz"), Err(missing("path", "zz")));
        assert_eq!(
            m.add_stage("a/b", "x", At::End),
            Err(SchemaError::InvalidId("a/b".into()))
        );
        assert!(m.add_stage("", "x", At::End).is_err());
        assert!(matches!(
            m.add_stage("s1", "x", At::End),
            Err(SchemaError::DuplicateId { .. })
        ));
    });
    assert_eq!(map.view().stages.len(), 3);
}

#[test]
fn channel_switches_list_first_touchpoint_changes_between_consecutive_stages() {
    let map = sample(1);
    map.edit(|m| {
        for (card, stage, channel) in [("a", "s1", Channel::Social), ("b", "s2", Channel::Web)] {
            m.add_card(card, stage, "l2", At::End, "").unwrap();
            m.set_channel(card, Some(channel)).unwrap();
        }
        m.add_card("c", "s3", "l2", At::End, "").unwrap();
        m.set_channel("c", Some(Channel::Web)).unwrap();
        m.add_card("d", "s3", "l2", At::Start, "").unwrap();
        m.set_channel("d", Some(Channel::Store)).unwrap();
    });
    let switches = map.view().channel_switches;
    let switch = |from: &str, to: &str, a, b| ChannelSwitch {
        from_stage: from.into(),
        to_stage: to.into(),
        from_channel: a,
        to_channel: b,
    };
    assert_eq!(
        switches,
        [
            switch("s1", "s2", Channel::Social, Channel::Web),
            switch("s2", "s3", Channel::Web, Channel::Store)
        ]
    );
}

#[test]
fn five_hundred_appended_stages_keep_short_order_keys() {
    let map = MapDoc::with_client_id(1);
    map.edit(|m| {
        for i in 0..500 {
            m.add_stage(&format!("s{i}"), "", At::End).unwrap();
        }
    });
    let view = map.view();
    let expected: Vec<String> = (0..500).map(|i| format!("s{i}")).collect();
    assert_eq!(stage_ids(&view), expected);
    let txn = map.doc().transact();
    let stages = txn.get_map(keys::STAGES).unwrap();
    assert!(read::ordered(&txn, &stages)
        .iter()
        .all(|e| e.order.len() <= 3));
}
