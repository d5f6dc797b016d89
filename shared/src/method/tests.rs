//! Every check of the method, passing and failing, on views built by hand.

use super::*;
use crate::schema::{Channel, ItineraryKind};
use crate::view::{CardView, EmotionCurve, LaneView, MetaView, PathView, PersonaView, StageView};

/// A map that passes every document check of a linear journey: objective, persona
/// `p1` with goals and pains, stages `s1` and `s2`, and in each stage an action, a
/// touchpoint (on the web), a pain point, a scored emotion and an owned opportunity.
fn complete() -> MapView {
    let kinds = [
        ("la", LaneKind::Actions),
        ("lt", LaneKind::Touchpoints),
        ("lp", LaneKind::PainPoints),
        ("lo", LaneKind::Opportunities),
    ];
    let mut view = MapView {
        meta: MetaView {
            title: "Checkout".into(),
            objective: "Find where buyers give up paying".into(),
            ..MetaView::default()
        },
        personas: vec![persona("p1", "Ana", "Pay fast", "Forms too long")],
        stages: vec![stage("s1", "Basket"), stage("s2", "Payment")],
        lanes: kinds
            .iter()
            .map(|(id, kind)| LaneView {
                id: (*id).into(),
                name: kind.default_name().into(),
                kind: *kind,
            })
            .collect(),
        emotions: vec![curve("p1", EmotionSeries::AsIs, &[Some(1), Some(-1)])],
        ..MapView::default()
    };
    for s in ["s1", "s2"] {
        view.cards
            .push(card(&format!("a{s}"), s, "la", "Opens the basket"));
        let mut tp = card(&format!("t{s}"), s, "lt", "Checkout page");
        tp.channel = Some(Channel::Web);
        view.cards.push(tp);
        view.cards
            .push(card(&format!("p{s}"), s, "lp", "Slow page"));
        let mut op = card(&format!("o{s}"), s, "lo", "One-click pay");
        op.owner = Some("Sam".into());
        view.cards.push(op);
    }
    view
}

fn persona(id: &str, name: &str, goals: &str, pains: &str) -> PersonaView {
    PersonaView {
        id: id.into(),
        name: name.into(),
        segment: String::new(),
        goals: goals.into(),
        pains: pains.into(),
        preferences: String::new(),
    }
}

fn stage(id: &str, name: &str) -> StageView {
    StageView {
        id: id.into(),
        name: name.into(),
    }
}

fn card(id: &str, stage: &str, lane: &str, text: &str) -> CardView {
    CardView {
        id: id.into(),
        stage: stage.into(),
        lane: lane.into(),
        index: 0,
        text: text.into(),
        channel: None,
        owner: None,
        status: None,
        kpi: None,
        paths: Vec::new(),
    }
}

fn curve(persona: &str, series: EmotionSeries, scores: &[Option<i8>]) -> EmotionCurve {
    EmotionCurve {
        persona: persona.into(),
        series,
        scores: scores.to_vec(),
    }
}

fn path(id: &str, name: &str, condition: &str) -> PathView {
    PathView {
        id: id.into(),
        name: name.into(),
        persona: None,
        condition: condition.into(),
    }
}

/// The check `id` of the report.
fn check(view: &MapView, id: &str) -> Check {
    assess(view, Validation::default())
        .steps
        .into_iter()
        .flat_map(|s| s.checks)
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id}"))
}

fn fails_with(view: &MapView, id: &str, fix: FixTarget) -> String {
    let c = check(view, id);
    assert!(!c.passed, "{id} should fail");
    assert_eq!(c.fix, Some(fix), "{id}'s fix");
    c.detail().expect("a failing check says why")
}

fn cell(stage: &str, lane: &str) -> FixTarget {
    FixTarget::Cell {
        stage: stage.into(),
        lane: lane.into(),
    }
}

#[test]
fn a_complete_map_passes_every_document_step() {
    let view = complete();
    let report = assess(&view, Validation::default());
    for step in &report.steps {
        let expected = step.step != MethodStep::Validation;
        assert_eq!(step.done(), expected, "{:?}: {:?}", step.step, step.checks);
    }
    assert_eq!(report.done().len(), 5);
    assert_eq!(document_steps(&view), report.done());
}

#[test]
fn a_blank_map_passes_no_step_and_every_failure_has_a_fix() {
    let report = assess(&MapView::default(), Validation::default());
    assert_eq!(report.steps.len(), 6);
    assert!(report.done().is_empty());
    for c in report.steps.iter().flat_map(|s| &s.checks) {
        assert!(!c.passed, "{}", c.id);
        assert!(c.fix.is_some() && c.gap.is_some(), "{}", c.id);
    }
}

#[test]
fn the_steps_come_in_method_order_with_a_question_each() {
    let report = assess(&complete(), Validation::default());
    let steps: Vec<MethodStep> = report.steps.iter().map(|s| s.step).collect();
    assert_eq!(steps, MethodStep::ALL);
    for (i, step) in MethodStep::ALL.iter().enumerate() {
        assert_eq!(step.number(), i + 1);
        assert!(step.question().ends_with('?'));
        assert!(!step.title().is_empty());
    }
}

#[test]
fn objective_fails_when_blank() {
    let mut view = complete();
    assert!(check(&view, "objective").passed);
    view.meta.objective = "  ".into();
    fails_with(&view, "objective", FixTarget::Objective);
}

#[test]
fn persona_needs_goals_and_pains_on_one_persona() {
    let mut view = complete();
    assert!(check(&view, "persona").passed);
    view.personas = vec![];
    fails_with(&view, "persona", FixTarget::Personas);
    view.personas = vec![persona("p1", "Ana", "Pay fast", "")];
    let detail = fails_with(&view, "persona", FixTarget::Persona("p1".into()));
    assert_eq!(detail, "Ana has no pains yet.");
    view.personas[0].goals.clear();
    let detail = fails_with(&view, "persona", FixTarget::Persona("p1".into()));
    assert!(detail.contains("goals and pains"), "{detail}");
    // One complete persona is enough, whatever the others lack.
    view.personas
        .push(persona("p2", "Bo", "Compare", "Hidden fees"));
    assert!(check(&view, "persona").passed);
}

#[test]
fn touchpoints_need_a_card_with_words_at_every_stage() {
    let mut view = complete();
    assert!(check(&view, "touchpoints").passed);
    // A blank card does not count.
    view.cards.iter_mut().find(|c| c.id == "ts2").unwrap().text = " ".into();
    let detail = fails_with(&view, "touchpoints", cell("s2", "lt"));
    assert_eq!(detail, "No touchpoint yet at Payment.");
    view.lanes.retain(|l| l.kind != LaneKind::Touchpoints);
    fails_with(
        &view,
        "touchpoints",
        FixTarget::NewLane(LaneKind::Touchpoints),
    );
    view.stages.clear();
    fails_with(&view, "touchpoints", FixTarget::NewStage);
}

#[test]
fn emotions_need_an_as_is_score_per_persona_and_stage() {
    let mut view = complete();
    assert!(check(&view, "emotions").passed);
    // A to-be score does not stand for the as-is one.
    view.emotions = vec![
        curve("p1", EmotionSeries::AsIs, &[Some(1), None]),
        curve("p1", EmotionSeries::ToBe, &[Some(1), Some(2)]),
    ];
    let detail = fails_with(
        &view,
        "emotions",
        FixTarget::Emotion {
            persona: "p1".into(),
            stage: "s2".into(),
        },
    );
    assert_eq!(detail, "Not scored yet: Ana at Payment.");
    // Every persona is scored, not just one.
    view.emotions[0].scores[1] = Some(0);
    view.personas.push(persona("p2", "Bo", "", ""));
    fails_with(
        &view,
        "emotions",
        FixTarget::Emotion {
            persona: "p2".into(),
            stage: "s1".into(),
        },
    );
    view.personas.clear();
    fails_with(&view, "emotions", FixTarget::Personas);
}

#[test]
fn pains_need_a_pain_point_at_every_stage() {
    let mut view = complete();
    assert!(check(&view, "pains").passed);
    view.cards.retain(|c| c.id != "ps1");
    let detail = fails_with(&view, "pains", cell("s1", "lp"));
    assert_eq!(detail, "No pain point yet at Basket.");
    view.lanes.retain(|l| l.kind != LaneKind::PainPoints);
    fails_with(&view, "pains", FixTarget::NewLane(LaneKind::PainPoints));
}

#[test]
fn stages_need_two_with_names() {
    let mut view = complete();
    assert!(check(&view, "stages").passed);
    view.stages[1].name = String::new();
    fails_with(&view, "stages", FixTarget::Stage("s2".into()));
    view.stages.pop();
    let detail = fails_with(&view, "stages", FixTarget::NewStage);
    assert!(detail.starts_with("1 stage so far"), "{detail}");
}

#[test]
fn actions_need_one_at_every_stage() {
    let mut view = complete();
    assert!(check(&view, "actions").passed);
    view.cards.retain(|c| c.lane != "la");
    let detail = fails_with(&view, "actions", cell("s1", "la"));
    assert_eq!(detail, "No customer action yet at Basket, Payment.");
}

#[test]
fn opportunities_need_one_and_an_owner_each() {
    let mut view = complete();
    assert!(check(&view, "opportunities").passed);
    view.cards.iter_mut().find(|c| c.id == "os2").unwrap().owner = Some(" ".into());
    let detail = fails_with(&view, "opportunities", FixTarget::Card("os2".into()));
    assert_eq!(detail, "No owner yet: One-click pay.");
    view.cards.retain(|c| c.lane != "lo");
    fails_with(&view, "opportunities", cell("s1", "lo"));
    view.lanes.retain(|l| l.kind != LaneKind::Opportunities);
    fails_with(
        &view,
        "opportunities",
        FixTarget::NewLane(LaneKind::Opportunities),
    );
}

#[test]
fn a_linear_journey_has_no_itinerary_check() {
    let report = assess(&complete(), Validation::default());
    let ids: Vec<&str> = report.steps[4].checks.iter().map(|c| c.id).collect();
    assert_eq!(ids, ["stages", "actions", "opportunities"]);
}

#[test]
fn an_omnichannel_journey_needs_channels_on_every_touchpoint_and_two_of_them() {
    let mut view = complete();
    view.meta.itinerary = ItineraryKind::Omnichannel;
    let detail = fails_with(&view, "channels", cell("s2", "lt"));
    assert_eq!(detail, "Only one channel so far (web).");
    view.cards
        .iter_mut()
        .find(|c| c.id == "ts2")
        .unwrap()
        .channel = Some(Channel::Store);
    assert!(check(&view, "channels").passed);
    view.cards
        .iter_mut()
        .find(|c| c.id == "ts1")
        .unwrap()
        .channel = None;
    let detail = fails_with(&view, "channels", FixTarget::Card("ts1".into()));
    assert_eq!(detail, "“Checkout page” has no channel yet.");
}

#[test]
fn a_personalized_journey_needs_two_paths_with_conditions() {
    let mut view = complete();
    view.meta.itinerary = ItineraryKind::Personalized;
    fails_with(&view, "paths", FixTarget::Paths);
    view.paths = vec![
        path("h1", "Returning", "Has an account"),
        path("h2", "New", ""),
    ];
    let detail = fails_with(&view, "paths", FixTarget::Path("h2".into()));
    assert_eq!(detail, "Path New has no condition yet.");
    view.paths[1].condition = "First visit".into();
    assert!(check(&view, "paths").passed);
}

#[test]
fn validation_passes_with_a_closed_round_or_evidence() {
    let view = complete();
    let validated = |v: Validation| assess(&view, v).steps[5].done();
    assert!(!validated(Validation::default()));
    assert!(validated(Validation {
        round_closed: true,
        evidence_attached: false,
    }));
    assert!(validated(Validation {
        round_closed: false,
        evidence_attached: true,
    }));
    let c = check(&view, "validated");
    assert_eq!(c.fix, Some(FixTarget::Validation));
}

#[test]
fn long_lists_of_missing_things_are_cut() {
    let mut view = complete();
    view.stages = (1..=5)
        .map(|i| stage(&format!("x{i}"), &format!("S{i}")))
        .collect();
    let detail = fails_with(&view, "pains", cell("x1", "lp"));
    assert_eq!(detail, "No pain point yet at S1, S2, S3 and 2 more.");
}

#[test]
fn step_sets_store_as_small_integers() {
    let set = StepSet::of([MethodStep::Objectives, MethodStep::Validation]);
    assert_eq!(set.bits(), 0b10_0001);
    assert_eq!(StepSet::from_bits(i64::from(set.bits())), set);
    assert_eq!(StepSet::from_bits(0xff).len(), 6);
    assert_eq!(set.from_document().steps(), [MethodStep::Objectives]);
    assert_eq!(
        set.with(MethodStep::Journey).steps(),
        [
            MethodStep::Objectives,
            MethodStep::Journey,
            MethodStep::Validation
        ]
    );
    assert!(StepSet::default().is_empty());
}
