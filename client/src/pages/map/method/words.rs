//! How the method reads in the language shown. The shared crate states each step and
//! check in English; the app words them itself by step and check id, and a failing
//! check's detail (which names stages, personas and cards) is worded again from the
//! map in French. An id this app does not know reads as the shared crate wrote it.

use parcours_shared::method::{Check, FixTarget, MethodStep};
use parcours_shared::schema::{EmotionSeries, LaneKind};
use parcours_shared::view::MapView;

pub use crate::format::step_title;
use crate::format::{channel_label, lane_kind_label as kind_label};
use crate::i18n::{fill, lang, t, Lang};

/// Names a detail lists before "and N more" (as the shared crate does).
const NAMES_SHOWN: usize = 3;

/// The question the step answers.
pub fn step_question(step: MethodStep) -> &'static str {
    match step {
        MethodStep::Objectives => t().step_objectives_question,
        MethodStep::Personas => t().step_personas_question,
        MethodStep::Touchpoints => t().step_touchpoints_question,
        MethodStep::PainsAndEmotions => t().step_pains_question,
        MethodStep::Journey => t().step_journey_question,
        MethodStep::Validation => t().step_validation_question,
    }
}

/// What a check asks for.
pub fn check_label(check: &Check) -> &'static str {
    match check.id {
        "objective" => t().check_objective,
        "persona" => t().check_persona,
        "touchpoints" => t().check_touchpoints,
        "emotions" => t().check_emotions,
        "pains" => t().check_pains,
        "stages" => t().check_stages,
        "actions" => t().check_actions,
        "opportunities" => t().check_opportunities,
        "channels" => t().check_channels,
        "paths" => t().check_paths,
        "validated" => t().check_validated,
        _ => check.label,
    }
}

/// Why a failing check fails, naming what is missing.
pub fn check_detail(check: &Check, view: &MapView) -> Option<String> {
    let detail = check.detail.clone()?;
    Some(match lang() {
        Lang::En => detail,
        Lang::Fr => check
            .fix
            .as_ref()
            .and_then(|fix| french_detail(check.id, fix, view))
            .unwrap_or(detail),
    })
}

/// The French detail of a failing check, worded from the map as the shared crate's
/// English one is.
fn french_detail(id: &str, fix: &FixTarget, view: &MapView) -> Option<String> {
    let t = t();
    Some(match (id, fix) {
        ("objective", _) => t.detail_no_objective.to_owned(),
        ("persona", FixTarget::Persona(pid)) => {
            let p = view.personas.iter().find(|p| p.id == *pid)?;
            let missing = match (blank(&p.goals), blank(&p.pains)) {
                (true, true) => t.detail_goals_and_pains,
                (true, false) => t.detail_goals,
                _ => t.detail_pains,
            };
            fill(
                t.detail_persona_missing,
                &[("name", &named(&p.name)), ("missing", &missing)],
            )
        }
        ("persona", _) | ("emotions", FixTarget::Personas) => match id {
            "persona" => t.detail_no_persona.to_owned(),
            _ => t.detail_no_persona_to_score.to_owned(),
        },
        (_, FixTarget::NewStage) if id != "stages" && id != "channels" => {
            t.detail_no_stage.to_owned()
        }
        (_, FixTarget::NewLane(kind)) if id != "channels" && id != "opportunities" => {
            fill(t.detail_no_lane, &[("lane", &kind_label(*kind))])
        }
        ("touchpoints" | "pains" | "actions", FixTarget::Cell { .. }) => {
            let (kind, what) = match id {
                "touchpoints" => (LaneKind::Touchpoints, t.detail_a_touchpoint),
                "pains" => (LaneKind::PainPoints, t.detail_a_pain_point),
                _ => (LaneKind::Actions, t.detail_a_customer_action),
            };
            let missing: Vec<String> = view
                .stages
                .iter()
                .filter(|s| {
                    !view.cards.iter().any(|c| {
                        c.stage == s.id && !blank(&c.text) && lane_kind(view, &c.lane) == Some(kind)
                    })
                })
                .map(|s| s.name.clone())
                .collect();
            fill(
                t.detail_missing_at,
                &[("what", &what), ("stages", &list(&missing))],
            )
        }
        ("emotions", FixTarget::Emotion { .. }) => {
            let mut missing = Vec::new();
            for p in &view.personas {
                let curve = view
                    .emotions
                    .iter()
                    .find(|c| c.persona == p.id && c.series == EmotionSeries::AsIs);
                for (i, s) in view.stages.iter().enumerate() {
                    if curve.is_none_or(|c| c.scores.get(i).copied().flatten().is_none()) {
                        missing.push(fill(
                            t.detail_persona_at,
                            &[("persona", &p.name), ("stage", &s.name)],
                        ));
                    }
                }
            }
            fill(t.detail_not_scored, &[("list", &list(&missing))])
        }
        ("stages", FixTarget::NewStage) => fill(
            t.detail_few_stages,
            &[("n", &view.stages.len()), ("min", &2)],
        ),
        ("stages", FixTarget::Stage(_)) => t.detail_stage_unnamed.to_owned(),
        ("opportunities", FixTarget::Card(_)) => {
            let unowned: Vec<String> = cards_of(view, LaneKind::Opportunities)
                .filter(|c| c.owner.as_deref().is_none_or(blank))
                .map(|c| c.text.clone())
                .collect();
            fill(t.detail_no_owner, &[("list", &list(&unowned))])
        }
        ("opportunities", _) => t.detail_no_opportunity.to_owned(),
        ("channels", FixTarget::Card(cid)) => {
            let card = view.cards.iter().find(|c| c.id == *cid)?;
            fill(t.detail_card_no_channel, &[("card", &named(&card.text))])
        }
        ("channels", _) => {
            let mut used: Vec<_> = cards_of(view, LaneKind::Touchpoints)
                .filter_map(|c| c.channel)
                .collect();
            used.sort();
            used.dedup();
            match used.first() {
                Some(only) => fill(
                    t.detail_one_channel,
                    &[("channel", &channel_label(*only).to_lowercase())],
                ),
                None => t.detail_no_channel.to_owned(),
            }
        }
        ("paths", FixTarget::Paths) => {
            fill(t.detail_few_paths, &[("n", &view.paths.len()), ("min", &2)])
        }
        ("paths", FixTarget::Path(pid)) => {
            let path = view.paths.iter().find(|p| p.id == *pid)?;
            fill(t.detail_path_no_condition, &[("name", &named(&path.name))])
        }
        ("validated", _) => t.detail_not_validated.to_owned(),
        _ => return None,
    })
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// A name as a detail shows it.
fn named(name: &str) -> String {
    if blank(name) {
        t().detail_unnamed.to_owned()
    } else {
        name.to_owned()
    }
}

/// "A, B, C et 2 autres".
fn list(names: &[String]) -> String {
    let shown = names
        .iter()
        .take(NAMES_SHOWN)
        .map(|n| named(n))
        .collect::<Vec<_>>()
        .join(", ");
    match names.len().saturating_sub(NAMES_SHOWN) {
        0 => shown,
        more => fill(t().detail_and_more, &[("list", &shown), ("n", &more)]),
    }
}

/// The kind of the lane `id`.
fn lane_kind(view: &MapView, id: &str) -> Option<LaneKind> {
    view.lanes.iter().find(|l| l.id == id).map(|l| l.kind)
}

/// Cards with words in lanes of `kind`.
fn cards_of(
    view: &MapView,
    kind: LaneKind,
) -> impl Iterator<Item = &parcours_shared::view::CardView> {
    view.cards
        .iter()
        .filter(move |c| !blank(&c.text) && lane_kind(view, &c.lane) == Some(kind))
}
