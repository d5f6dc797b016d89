//! Convergence: two replicas edit concurrently, exchange updates, and must agree.

use super::*;
use yrs::updates::decoder::Decode;
use yrs::{ReadTxn, StateVector, Update};

/// Two replicas forked from one synced state, plus that state to replay from.
struct Fork {
    /// The shared starting state, as one update.
    base: Vec<u8>,
    /// Replica A (client id 10).
    a: MapDoc,
    /// Replica B (client id 20).
    b: MapDoc,
}

fn apply(map: &MapDoc, update: &[u8]) {
    let update = Update::decode_v1(update).unwrap();
    map.doc().transact_mut().apply_update(update).unwrap();
}

fn full_state(map: &MapDoc) -> Vec<u8> {
    map.doc()
        .transact()
        .encode_state_as_update_v1(&StateVector::default())
}

/// Forks replicas A and B from the sample map.
fn fork() -> Fork {
    let base = full_state(&sample(1));
    let (a, b) = (MapDoc::with_client_id(10), MapDoc::with_client_id(20));
    apply(&a, &base);
    apply(&b, &base);
    assert_eq!(a.view(), b.view());
    Fork { base, a, b }
}

/// Exchanges the concurrent edits both ways, replays them in both orders on fresh
/// replicas, asserts all four views (and their JSON) are identical, and returns one.
fn converge(fork: &Fork) -> MapView {
    let since = |map: &MapDoc, other: &MapDoc| {
        let sv = other.doc().transact().state_vector();
        map.doc().transact().encode_state_as_update_v1(&sv)
    };
    let from_a = since(&fork.a, &fork.b);
    let from_b = since(&fork.b, &fork.a);
    apply(&fork.a, &from_b);
    apply(&fork.b, &from_a);
    let replay = |client_id, first: &[u8], second: &[u8]| {
        let map = MapDoc::with_client_id(client_id);
        apply(&map, &fork.base);
        apply(&map, first);
        apply(&map, second);
        map.view()
    };
    let views = [
        fork.a.view(),
        fork.b.view(),
        replay(30, &from_a, &from_b),
        replay(40, &from_b, &from_a),
    ];
    let json = serde_json::to_string(&views[0]).unwrap();
    for view in &views[1..] {
        assert_eq!(view, &views[0]);
        assert_eq!(serde_json::to_string(view).unwrap(), json);
    }
    views[0].clone()
}

#[test]
fn a_card_moved_to_two_cells_concurrently_ends_in_exactly_one() {
    let fork = fork();
    fork.a
        .edit(|m| m.add_card("c1", "s1", "l1", At::End, "Signs up"))
        .unwrap();
    let fork = {
        let base = full_state(&fork.a);
        apply(&fork.b, &base);
        Fork { base, ..fork }
    };
    fork.a.edit(|m| m.move_card("c1", "s2", "l3", 0)).unwrap();
    fork.b.edit(|m| m.move_card("c1", "s3", "l5", 0)).unwrap();
    let view = converge(&fork);
    let placed: Vec<(&str, &str)> = view
        .cards
        .iter()
        .filter(|c| c.id == "c1")
        .map(|c| (c.stage.as_str(), c.lane.as_str()))
        .collect();
    assert_eq!(placed.len(), 1);
    assert!(
        placed == [("s2", "l3")] || placed == [("s3", "l5")],
        "{placed:?}"
    );
    assert!(view.orphan_cards.is_empty());
}

#[test]
fn stages_reordered_both_ways_concurrently_keep_one_total_order() {
    let fork = fork();
    fork.a.edit(|m| m.move_stage("s3", 0)).unwrap();
    fork.b
        .edit(|m| {
            m.move_stage("s1", 2)?;
            m.move_stage("s2", 2)
        })
        .unwrap();
    let view = converge(&fork);
    let mut ids = stage_ids(&view);
    assert_eq!(ids.len(), 3);
    ids.sort_unstable();
    assert_eq!(ids, ["s1", "s2", "s3"]);
}

#[test]
fn concurrent_typing_in_the_same_text_keeps_both_insertions() {
    let fork = fork();
    fork.a
        .edit(|m| m.insert_text(TextTarget::StageName("s1"), 9, " (ads)"))
        .unwrap();
    fork.b
        .edit(|m| m.insert_text(TextTarget::StageName("s1"), 0, "1. "))
        .unwrap();
    fork.a
        .edit(|m| m.insert_text(TextTarget::Title, 0, "B2B "))
        .unwrap();
    fork.b
        .edit(|m| m.insert_text(TextTarget::Title, 10, " flow"))
        .unwrap();
    let view = converge(&fork);
    assert_eq!(view.stages[0].name, "1. Awareness (ads)");
    assert_eq!(view.meta.title, "B2B Onboarding flow");
}

#[test]
fn concurrent_adds_to_the_same_cell_keep_every_card_in_one_order() {
    let fork = fork();
    fork.a
        .edit(|m| {
            m.add_card("a1", "s1", "l1", At::End, "from A")?;
            m.add_card("a2", "s1", "l1", At::End, "from A again")
        })
        .unwrap();
    fork.b
        .edit(|m| m.add_card("b1", "s1", "l1", At::End, "from B"))
        .unwrap();
    let view = converge(&fork);
    let mut ids = cell(&view, "s1", "l1");
    assert_eq!(ids.len(), 3);
    ids.sort();
    assert_eq!(ids, ["a1", "a2", "b1"]);
    // Both sides then insert between the tied keys: both re-key the cell, and the
    // result still converges with every card exactly once.
    let fork = Fork {
        base: full_state(&fork.a),
        ..fork
    };
    fork.a
        .edit(|m| m.add_card("a3", "s1", "l1", At::Index(1), "middle A"))
        .unwrap();
    fork.b
        .edit(|m| m.add_card("b2", "s1", "l1", At::Index(2), "middle B"))
        .unwrap();
    let view = converge(&fork);
    let mut ids = cell(&view, "s1", "l1");
    ids.sort();
    assert_eq!(ids, ["a1", "a2", "a3", "b1", "b2"]);
}

#[test]
fn removing_a_stage_while_a_card_moves_into_it_converges_without_crash() {
    let fork = fork();
    fork.a
        .edit(|m| m.add_card("c1", "s1", "l1", At::End, "Compares"))
        .unwrap();
    let fork = {
        let base = full_state(&fork.a);
        apply(&fork.b, &base);
        Fork { base, ..fork }
    };
    fork.a.edit(|m| m.move_card("c1", "s2", "l1", 0)).unwrap();
    fork.b.edit(|m| m.remove_stage("s2")).unwrap();
    let view = converge(&fork);
    assert_eq!(stage_ids(&view), ["s1", "s3"]);
    assert!(view.cards.iter().all(|c| c.id != "c1"));
    let orphans: Vec<&str> = view.orphan_cards.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(orphans, ["c1"]);
    // The orphan can be rehomed.
    fork.a.edit(|m| m.move_card("c1", "s1", "l1", 0)).unwrap();
    assert!(fork.a.view().orphan_cards.is_empty());
}

#[test]
fn concurrent_scores_for_the_same_stage_converge_to_one_value() {
    let fork = fork();
    fork.a
        .edit(|m| m.set_emotion("p1", "s2", EmotionSeries::AsIs, -2))
        .unwrap();
    fork.b
        .edit(|m| m.set_emotion("p1", "s2", EmotionSeries::AsIs, 1))
        .unwrap();
    let view = converge(&fork);
    let score = view.emotions[0].scores[1];
    assert!(score == Some(-2) || score == Some(1));
}

/// Forks after `setup` ran on the sample map (both replicas hold its result).
fn fork_after(setup: impl FnOnce(&mut MapTxn<'_, '_>)) -> Fork {
    let fork = fork();
    fork.a.edit(setup);
    let base = full_state(&fork.a);
    apply(&fork.b, &base);
    assert_eq!(fork.a.view(), fork.b.view());
    Fork { base, ..fork }
}

/// Two touchpoint cards in s1 and s2 and two paths.
fn itinerary_setup(m: &mut MapTxn<'_, '_>) {
    m.add_lane("lt", "Touchpoints", LaneKind::Touchpoints, At::End)
        .unwrap();
    m.add_card("t1", "s1", "lt", At::End, "Web page").unwrap();
    m.add_card("t2", "s2", "lt", At::End, "Store").unwrap();
    m.add_card("t3", "s3", "lt", At::End, "Call").unwrap();
    m.add_path("pa", "Online", None, "", At::End).unwrap();
    m.add_path("pb", "In store", None, "", At::End).unwrap();
}

#[test]
fn cards_put_on_two_paths_concurrently_are_on_both() {
    let fork = fork_after(itinerary_setup);
    fork.a
        .edit(|m| m.set_card_on_path("t1", "pa", true))
        .unwrap();
    fork.b
        .edit(|m| m.set_card_on_path("t1", "pb", true))
        .unwrap();
    let view = converge(&fork);
    assert_eq!(view.cards[0].paths, ["pa", "pb"]);
    // And the JSON view round-trips what it shows.
    let json = serde_json::to_string(&view).unwrap();
    assert_eq!(serde_json::from_str::<MapView>(&json).unwrap(), view);
}

#[test]
fn a_path_removed_while_a_card_is_put_on_it_leaves_the_card_on_every_path() {
    let fork = fork_after(itinerary_setup);
    fork.a.edit(|m| m.remove_path("pa")).unwrap();
    fork.b
        .edit(|m| m.set_card_on_path("t2", "pa", true))
        .unwrap();
    let view = converge(&fork);
    assert_eq!(view.paths.len(), 1);
    let t2 = view.cards.iter().find(|c| c.id == "t2").unwrap();
    assert!(t2.paths.is_empty(), "{:?}", t2.paths);
    assert!(t2.on_path("pb"));
}

#[test]
fn switches_drawn_concurrently_both_stay_and_one_to_a_removed_card_is_dropped() {
    let fork = fork_after(itinerary_setup);
    fork.a
        .edit(|m| m.add_switch("wa", "t1", "t2", "from A"))
        .unwrap();
    fork.b
        .edit(|m| m.add_switch("wb", "t2", "t3", "from B"))
        .unwrap();
    let view = converge(&fork);
    let ids: Vec<&str> = view.switches.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["wa", "wb"]);

    // A removes t3 while B draws a switch to it: no switch to a missing card shows.
    let fork = fork_after(|m| {
        itinerary_setup(m);
    });
    fork.a.edit(|m| m.remove_card("t3")).unwrap();
    fork.b
        .edit(|m| m.add_switch("wc", "t1", "t3", "late"))
        .unwrap();
    let view = converge(&fork);
    assert!(view.switches.is_empty(), "{:?}", view.switches);
    // Concurrent note edits merge like any text.
    let fork = fork_after(|m| {
        itinerary_setup(m);
        m.add_switch("wn", "t1", "t2", "branch").unwrap();
    });
    fork.a
        .edit(|m| m.insert_text(TextTarget::SwitchNote("wn"), 0, "in "))
        .unwrap();
    fork.b
        .edit(|m| m.insert_text(TextTarget::SwitchNote("wn"), 6, " visit"))
        .unwrap();
    let view = converge(&fork);
    assert_eq!(view.switches[0].note, "in branch visit");
}
