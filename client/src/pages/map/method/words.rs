//! How the method reads in the language shown. The shared crate states each step and
//! check in English; the app words them itself by step and check id, and a failing
//! check's gap (the stages, personas and cards it names, as data) in French. An id
//! this app does not know reads as the shared crate wrote it.

use parcours_shared::method::{Check, Gap, MethodStep, NAMES_SHOWN};
use parcours_shared::schema::LaneKind;

pub use crate::format::step_title;
use crate::format::{channel_label, lane_kind_label as kind_label};
use crate::i18n::{fill, lang, t, Lang, Texts};

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

/// Why a failing check fails, naming what is missing: the shared crate's English, or
/// the same gap worded in French.
pub fn check_detail(check: &Check) -> Option<String> {
    let gap = check.gap.as_ref()?;
    Some(match lang() {
        Lang::En => gap.english(),
        Lang::Fr => in_words(gap, Lang::Fr.texts()),
    })
}

/// A gap in the language of `t`, from the same names and counts as its English.
fn in_words(gap: &Gap, t: &Texts) -> String {
    let named = |name: &str| named(name, t);
    let list = |names: &[String]| list(names, t);
    match gap {
        Gap::NoObjective => t.detail_no_objective.to_owned(),
        Gap::NoPersona => t.detail_no_persona.to_owned(),
        Gap::PersonaLacks { name, goals, pains } => {
            let missing = match (goals, pains) {
                (true, true) => t.detail_goals_and_pains,
                (true, false) => t.detail_goals,
                _ => t.detail_pains,
            };
            fill(
                t.detail_persona_missing,
                &[("name", &named(name)), ("missing", &missing)],
            )
        }
        Gap::NoPersonaToScore => t.detail_no_persona_to_score.to_owned(),
        Gap::NoStage => t.detail_no_stage.to_owned(),
        Gap::NoLane(kind) => fill(t.detail_no_lane, &[("lane", &kind_label(*kind))]),
        Gap::MissingAt { kind, stages } => {
            let what = match kind {
                LaneKind::Touchpoints => t.detail_a_touchpoint.to_owned(),
                LaneKind::PainPoints => t.detail_a_pain_point.to_owned(),
                LaneKind::Actions => t.detail_a_customer_action.to_owned(),
                other => kind_label(*other).to_lowercase(),
            };
            fill(
                t.detail_missing_at,
                &[("what", &what), ("stages", &list(stages))],
            )
        }
        Gap::NotScored(pairs) => {
            let names: Vec<String> = pairs
                .iter()
                .map(|(persona, stage)| {
                    fill(
                        t.detail_persona_at,
                        &[("persona", persona), ("stage", stage)],
                    )
                })
                .collect();
            fill(t.detail_not_scored, &[("list", &list(&names))])
        }
        Gap::FewStages { count, min } => fill(t.detail_few_stages, &[("n", count), ("min", min)]),
        Gap::StageUnnamed => t.detail_stage_unnamed.to_owned(),
        Gap::NoOpportunity => t.detail_no_opportunity.to_owned(),
        Gap::Unowned(cards) => fill(t.detail_no_owner, &[("list", &list(cards))]),
        Gap::NoChannelOn(card) => fill(t.detail_card_no_channel, &[("card", &named(card))]),
        Gap::OneChannel(only) => fill(
            t.detail_one_channel,
            &[("channel", &channel_label(*only).to_lowercase())],
        ),
        Gap::NoChannel => t.detail_no_channel.to_owned(),
        Gap::FewPaths { count, min } => fill(t.detail_few_paths, &[("n", count), ("min", min)]),
        Gap::PathWithoutCondition(name) => {
            fill(t.detail_path_no_condition, &[("name", &named(name))])
        }
        Gap::NotValidated => t.detail_not_validated.to_owned(),
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// A name as a detail shows it.
fn named(name: &str, t: &Texts) -> String {
    if blank(name) {
        t.detail_unnamed.to_owned()
    } else {
        name.to_owned()
    }
}

/// "A, B, C et 2 autres".
fn list(names: &[String], t: &Texts) -> String {
    let shown = names
        .iter()
        .take(NAMES_SHOWN)
        .map(|n| named(n, t))
        .collect::<Vec<_>>()
        .join(", ");
    match names.len().saturating_sub(NAMES_SHOWN) {
        0 => shown,
        more => fill(t.detail_and_more, &[("list", &shown), ("n", &more)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parcours_shared::schema::Channel;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    /// Every kind of gap, with names a test can find in the words.
    fn every_gap() -> Vec<Gap> {
        vec![
            Gap::NoObjective,
            Gap::NoPersona,
            Gap::PersonaLacks {
                name: "Ana".into(),
                goals: true,
                pains: false,
            },
            Gap::PersonaLacks {
                name: " ".into(),
                goals: true,
                pains: true,
            },
            Gap::NoPersonaToScore,
            Gap::NoStage,
            Gap::NoLane(LaneKind::PainPoints),
            Gap::MissingAt {
                kind: LaneKind::Touchpoints,
                stages: names(&["Basket", "Payment"]),
            },
            Gap::MissingAt {
                kind: LaneKind::Actions,
                stages: names(&["S1", "S2", "S3", "S4", "S5"]),
            },
            Gap::NotScored(vec![("Ana".into(), "Payment".into())]),
            Gap::FewStages { count: 1, min: 2 },
            Gap::StageUnnamed,
            Gap::NoOpportunity,
            Gap::Unowned(names(&["One-click pay"])),
            Gap::NoChannelOn("Checkout page".into()),
            Gap::OneChannel(Channel::Web),
            Gap::NoChannel,
            Gap::FewPaths { count: 0, min: 2 },
            Gap::PathWithoutCondition("New".into()),
            Gap::NotValidated,
        ]
    }

    #[test]
    fn every_gap_reads_in_french_with_the_same_names() {
        let fr = Lang::Fr.texts();
        for gap in every_gap() {
            let english = gap.english();
            let french = in_words(&gap, fr);
            assert_ne!(french, english, "{gap:?}");
            assert!(!french.contains('{'), "{french}");
            // The map's own words come through unchanged.
            for name in [
                "Ana",
                "Basket",
                "Payment",
                "S3",
                "One-click pay",
                "Checkout page",
                "New",
            ] {
                if english.contains(name) {
                    assert!(french.contains(name), "{gap:?}: {french}");
                }
            }
        }
        let cut = Gap::MissingAt {
            kind: LaneKind::Actions,
            stages: names(&["S1", "S2", "S3", "S4", "S5"]),
        };
        assert_eq!(
            in_words(&cut, fr),
            "Pas encore d'action du client à l'étape : S1, S2, S3 et 2 de plus."
        );
        assert!(in_words(
            &Gap::PersonaLacks {
                name: "".into(),
                goals: false,
                pains: true
            },
            fr
        )
        .starts_with("(sans nom)"));
    }

    #[test]
    fn english_is_the_shared_crates_sentence() {
        let en = Lang::En.texts();
        for gap in [
            Gap::NoObjective,
            Gap::NoStage,
            Gap::StageUnnamed,
            Gap::NotValidated,
        ] {
            assert_eq!(in_words(&gap, en), gap.english());
        }
    }
}
