//! Tests of the templates: each applies cleanly and fills a complete map, in English,
//! and in French the same map in structure with every text in French.

use super::*;
use crate::schema::{Channel, EmotionSeries, LaneKind, MapDoc};
use crate::view::{CardView, MapView};
use yrs::updates::decoder::Decode;
use yrs::{ReadTxn, StateVector, Transact, Update};

/// Sequential ids `t1`, `t2`...
fn counter() -> impl FnMut() -> String {
    let mut n = 0;
    move || {
        n += 1;
        format!("t{n}")
    }
}

/// A fresh doc with `template` applied in English under its default title.
fn applied(template: Template, client_id: u64) -> MapDoc {
    applied_in(template, Language::En, client_id)
}

/// A fresh doc with `template` applied in `language` under its default title.
fn applied_in(template: Template, language: Language, client_id: u64) -> MapDoc {
    let map = MapDoc::with_client_id(client_id);
    map.edit(|m| {
        apply(
            template,
            m,
            template.title_in(language),
            language,
            &mut counter(),
        )
    })
    .unwrap_or_else(|e| panic!("{template} in {language:?} failed: {e}"));
    map
}

/// Every template but blank.
fn sectors() -> impl Iterator<Item = Template> {
    Template::ALL.into_iter().filter(|t| *t != Template::Blank)
}

/// The kind of the lane a card sits in.
fn kind_of(view: &MapView, card: &CardView) -> LaneKind {
    let lane = view.lanes.iter().find(|l| l.id == card.lane);
    lane.map(|l| l.kind).unwrap_or(LaneKind::Notes)
}

/// The cards of a view in lanes of `kind`.
fn cards_of(view: &MapView, kind: LaneKind) -> Vec<&CardView> {
    view.cards
        .iter()
        .filter(|c| kind_of(view, c) == kind)
        .collect()
}

/// Every human-readable text of a view.
fn texts(view: &MapView) -> Vec<String> {
    let mut out = vec![view.meta.title.clone(), view.meta.objective.clone()];
    for p in &view.personas {
        out.extend([&p.name, &p.segment, &p.goals, &p.pains, &p.preferences].map(String::clone));
    }
    out.extend(view.stages.iter().map(|s| s.name.clone()));
    out.extend(view.lanes.iter().map(|l| l.name.clone()));
    for card in &view.cards {
        out.push(card.text.clone());
        out.extend(card.owner.clone());
        out.extend(card.kpi.as_ref().and_then(|k| k.unit.clone()));
    }
    for path in &view.paths {
        out.extend([path.name.clone(), path.condition.clone()]);
    }
    out
}

#[test]
fn every_template_applies_on_a_fresh_doc_with_its_title_and_itinerary() {
    for template in Template::ALL {
        let view = applied(template, 1).view();
        assert_eq!(view.meta.title, template.title(), "{template}");
        assert_eq!(view.meta.itinerary, template.itinerary(), "{template}");
        let kinds: Vec<LaneKind> = view.lanes.iter().map(|l| l.kind).collect();
        assert_eq!(kinds, LaneKind::DEFAULTS, "{template}");
        assert!(view.orphan_cards.is_empty(), "{template}");
    }
}

#[test]
fn a_given_title_is_used_and_a_blank_one_falls_back_to_the_template_title() {
    let map = MapDoc::with_client_id(1);
    map.edit(|m| {
        apply(
            Template::RetailBank,
            m,
            "Savings launch",
            Language::En,
            &mut counter(),
        )
    })
    .unwrap();
    assert_eq!(map.view().meta.title, "Savings launch");
    let map = MapDoc::with_client_id(1);
    map.edit(|m| apply(Template::RetailBank, m, "  ", Language::En, &mut counter()))
        .unwrap();
    assert_eq!(map.view().meta.title, Template::RetailBank.title());
    let map = MapDoc::with_client_id(1);
    map.edit(|m| apply(Template::RetailBank, m, "  ", Language::Fr, &mut counter()))
        .unwrap();
    assert_eq!(
        map.view().meta.title,
        "Banque de détail : choisir et ouvrir un compte"
    );
}

#[test]
fn blank_template_only_creates_the_default_lanes() {
    let view = applied(Template::Blank, 1).view();
    assert_eq!(view.meta.objective, "");
    assert_eq!(view.meta.itinerary, ItineraryKind::Linear);
    assert_eq!(view.lanes.len(), LaneKind::DEFAULTS.len());
    assert!(view.personas.is_empty() && view.stages.is_empty() && view.cards.is_empty());
    assert!(view.paths.is_empty() && view.emotions.is_empty());
}

#[test]
fn sector_templates_have_an_objective_full_personas_and_four_to_six_stages() {
    for template in sectors() {
        let view = applied(template, 1).view();
        assert!(!view.meta.objective.is_empty(), "{template}");
        assert!(!view.personas.is_empty(), "{template}");
        for p in &view.personas {
            for field in [&p.name, &p.segment, &p.goals, &p.pains, &p.preferences] {
                assert!(!field.is_empty(), "{template}: {}", p.name);
            }
        }
        assert!((4..=6).contains(&view.stages.len()), "{template}");
    }
}

#[test]
fn every_stage_has_actions_touchpoints_thoughts_pains_opportunities_and_backstage() {
    let kinds = [
        LaneKind::Actions,
        LaneKind::Touchpoints,
        LaneKind::Thoughts,
        LaneKind::PainPoints,
        LaneKind::Opportunities,
        LaneKind::Backstage,
    ];
    for template in sectors() {
        let view = applied(template, 1).view();
        for stage in &view.stages {
            for kind in kinds {
                let found = cards_of(&view, kind).iter().any(|c| c.stage == stage.id);
                assert!(found, "{template}: no {kind} card in {}", stage.name);
            }
        }
    }
}

#[test]
fn every_touchpoint_card_has_a_channel() {
    for template in sectors() {
        let view = applied(template, 1).view();
        let touchpoints = cards_of(&view, LaneKind::Touchpoints);
        assert!(!touchpoints.is_empty(), "{template}");
        for card in touchpoints {
            assert!(card.channel.is_some(), "{template}: {}", card.text);
        }
    }
}

#[test]
fn every_persona_has_as_is_and_to_be_scores_for_every_stage() {
    for template in sectors() {
        let view = applied(template, 1).view();
        assert_eq!(view.emotions.len(), view.personas.len() * 2, "{template}");
        for curve in &view.emotions {
            assert_eq!(curve.scores.len(), view.stages.len(), "{template}");
            assert!(curve.scores.iter().all(Option::is_some), "{template}");
        }
    }
}

#[test]
fn as_is_curves_dip_below_zero_and_to_be_curves_never_fall_below_them() {
    for template in sectors() {
        let view = applied(template, 1).view();
        for persona in &view.personas {
            let curve = |series| {
                let found = view
                    .emotions
                    .iter()
                    .find(|c| c.persona == persona.id && c.series == series);
                found.map(|c| c.scores.clone()).unwrap_or_default()
            };
            let (as_is, to_be) = (curve(EmotionSeries::AsIs), curve(EmotionSeries::ToBe));
            assert!(as_is.iter().any(|s| s.is_some_and(|s| s < 0)), "{template}");
            for (now, aim) in as_is.iter().zip(&to_be) {
                assert!(aim >= now, "{template}: {}", persona.name);
            }
        }
    }
}

#[test]
fn every_opportunity_has_an_owner_and_a_status() {
    for template in sectors() {
        let view = applied(template, 1).view();
        let opportunities = cards_of(&view, LaneKind::Opportunities);
        assert!(!opportunities.is_empty(), "{template}");
        for card in opportunities {
            assert!(
                card.owner.as_deref().is_some_and(|o| !o.is_empty()),
                "{template}"
            );
            assert!(card.status.is_some(), "{template}: {}", card.text);
        }
    }
}

#[test]
fn every_template_has_at_least_two_kpis_with_all_measures_and_a_unit() {
    for template in sectors() {
        let view = applied(template, 1).view();
        let kpis = cards_of(&view, LaneKind::Kpis);
        assert!(kpis.len() >= 2, "{template}");
        for card in kpis {
            let kpi = card.kpi.clone().unwrap_or_default();
            assert!(
                kpi.baseline.is_some() && kpi.current.is_some(),
                "{template}"
            );
            assert!(kpi.target.is_some() && kpi.unit.is_some(), "{template}");
        }
    }
}

#[test]
fn template_views_round_trip_through_serde_json() {
    for template in Template::ALL {
        let view = applied(template, 1).view();
        let json = serde_json::to_string(&view).unwrap();
        let back: MapView = serde_json::from_str(&json).unwrap();
        assert_eq!(back, view, "{template}");
    }
}

#[test]
fn the_same_ids_give_equal_views_on_docs_with_different_client_ids() {
    for template in Template::ALL {
        assert_eq!(
            applied(template, 1).view(),
            applied(template, 2).view(),
            "{template}"
        );
    }
}

#[test]
fn a_template_applied_on_one_doc_reaches_another_through_one_update() {
    let source = applied(Template::UniversityAdmissions, 1);
    let update = source
        .doc()
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    let replica = MapDoc::with_client_id(2);
    replica
        .doc()
        .transact_mut()
        .apply_update(Update::decode_v1(&update).unwrap())
        .unwrap();
    assert_eq!(replica.view(), source.view());
}

#[test]
fn omnichannel_retail_switches_channel_between_stages() {
    let view = applied(Template::B2cOmnichannelRetail, 1).view();
    assert_eq!(view.meta.itinerary, ItineraryKind::Omnichannel);
    assert!(view.channel_switches.len() >= 3);
    let hops = view.channel_switches.iter();
    let channels: Vec<Channel> = hops.flat_map(|s| [s.from_channel, s.to_channel]).collect();
    for channel in [Channel::Web, Channel::App, Channel::Store, Channel::Email] {
        assert!(
            channels.contains(&channel),
            "no switch to or from {channel}"
        );
    }
}

#[test]
fn university_admissions_has_persona_paths_with_conditions_and_cards_on_them() {
    let view = applied(Template::UniversityAdmissions, 1).view();
    assert_eq!(view.meta.itinerary, ItineraryKind::Personalized);
    assert!(view.paths.len() >= 2);
    for path in &view.paths {
        assert!(!path.condition.is_empty(), "{}", path.name);
        let persona = path.persona.as_deref().unwrap_or_default();
        assert!(
            view.personas.iter().any(|p| p.id == persona),
            "{}",
            path.name
        );
        let on_path = view.cards.iter().filter(|c| c.paths.contains(&path.id));
        assert!(on_path.count() >= 2, "{}", path.name);
    }
    assert!(view.cards.iter().any(|c| c.paths.is_empty()));
}

#[test]
fn omnichannel_templates_draw_switches_between_touchpoints_on_different_channels() {
    for template in [Template::B2cOmnichannelRetail, Template::RetailBank] {
        let view = applied(template, 1).view();
        assert!(view.switches.len() >= 3, "{template:?}");
        for switch in &view.switches {
            let channel = |id: &str| {
                view.cards
                    .iter()
                    .find(|c| c.id == id)
                    .and_then(|c| c.channel)
            };
            let (from, to) = (channel(&switch.from), channel(&switch.to));
            assert!(from.is_some() && to.is_some() && from != to, "{switch:?}");
            assert!(!switch.note.is_empty());
        }
    }
}

#[test]
fn template_text_is_english() {
    let french = [
        " le ", " la ", " les ", " des ", " du ", " une ", " et ", " pour ", " avec ", " est ",
    ];
    for template in sectors() {
        for text in texts(&applied(template, 1).view()) {
            let padded = format!(" {} ", text.to_lowercase());
            for word in french {
                assert!(!padded.contains(word), "{template}: {word:?} in {text:?}");
            }
            assert!(
                !text.contains(['é', 'è', 'à', 'ç', 'ê', 'ù', '’']),
                "{text:?}"
            );
        }
    }
}

#[test]
fn template_names_round_trip_through_as_str_parse_and_serde() {
    for template in Template::ALL {
        assert_eq!(Template::parse(template.as_str()), Some(template));
        let json = serde_json::to_string(&template).unwrap();
        assert_eq!(json, format!("\"{}\"", template.as_str()));
        assert_eq!(serde_json::from_str::<Template>(&json).unwrap(), template);
        assert!(!template.description().is_empty());
    }
    assert_eq!(
        Template::parse("b2c_omnichannel_retail"),
        Some(Template::B2cOmnichannelRetail)
    );
    assert_eq!(Template::parse("unknown"), None);
}

#[test]
fn an_empty_map_is_filled_in_place_and_a_started_one_is_refused() {
    for template in sectors() {
        let map = MapDoc::with_client_id(7);
        map.edit(|m| m.init("Our own title", ItineraryKind::Linear, &mut counter()));
        let lanes_before = map.view().lanes.len();
        let mut ids = {
            let mut n = 1000;
            move || {
                n += 1;
                format!("f{n}")
            }
        };
        map.edit(|m| fill(template, m, Language::En, &mut ids))
            .unwrap_or_else(|e| panic!("{template}: {e}"));
        let filled = map.view();
        let fresh = applied(template, 8).view();
        assert_eq!(
            filled.meta.title, "Our own title",
            "{template}: the title is kept"
        );
        assert_eq!(filled.meta.itinerary, template.itinerary());
        assert_eq!(filled.meta.objective, fresh.meta.objective);
        assert_eq!(
            filled.lanes.len(),
            lanes_before,
            "{template}: no lane twice"
        );
        let names = |v: &MapView| v.stages.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&filled), names(&fresh), "{template}");
        assert_eq!(filled.cards.len(), fresh.cards.len(), "{template}");
        assert_eq!(filled.personas.len(), fresh.personas.len(), "{template}");
        assert_eq!(filled.paths.len(), fresh.paths.len(), "{template}");
        assert_eq!(filled.switches.len(), fresh.switches.len(), "{template}");

        // A second click (or a second person) finds it started: nothing changes.
        let before = map
            .doc()
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let again = map.edit(|m| fill(template, m, Language::En, &mut ids));
        assert_eq!(again, Err(SchemaError::NotEmpty), "{template}");
        let after = map
            .doc()
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        assert_eq!(before, after, "{template}: a refused fill writes nothing");
    }
}

/// What two views share when they are the same map in two languages: everything but
/// the text (kinds, stages by position, channels, statuses, figures, paths by
/// position, scores, switches by position).
fn structure(view: &MapView) -> serde_json::Value {
    let stage = |id: &str| view.stages.iter().position(|s| s.id == id);
    let path = |id: &str| view.paths.iter().position(|p| p.id == id);
    let card = |id: &str| view.cards.iter().position(|c| c.id == id);
    let persona = |id: &str| view.personas.iter().position(|p| p.id == id);
    let cards: Vec<_> = view
        .cards
        .iter()
        .map(|c| {
            let kpi = c.kpi.as_ref().map(|k| (k.baseline, k.current, k.target));
            serde_json::json!([
                kind_of(view, c),
                stage(&c.stage),
                c.channel,
                c.status,
                kpi,
                c.paths.iter().map(|p| path(p)).collect::<Vec<_>>(),
            ])
        })
        .collect();
    let curves: Vec<_> = view
        .emotions
        .iter()
        .map(|e| serde_json::json!([persona(&e.persona), e.series, e.scores]))
        .collect();
    let paths: Vec<_> = view
        .paths
        .iter()
        .map(|p| serde_json::json!(p.persona.as_deref().map(persona)))
        .collect();
    let switches: Vec<_> = view
        .switches
        .iter()
        .map(|w| serde_json::json!([card(&w.from), card(&w.to)]))
        .collect();
    let lanes: Vec<_> = view.lanes.iter().map(|l| l.kind).collect();
    serde_json::json!({
        "itinerary": view.meta.itinerary,
        "personas": view.personas.len(),
        "stages": view.stages.len(),
        "lanes": lanes,
        "cards": cards,
        "curves": curves,
        "paths": paths,
        "switches": switches,
    })
}

#[test]
fn french_templates_are_the_english_maps_with_every_text_in_french() {
    for template in Template::ALL {
        let en = applied_in(template, Language::En, 1).view();
        let fr = applied_in(template, Language::Fr, 1).view();
        assert_eq!(structure(&fr), structure(&en), "{template}");
        assert_eq!(fr.meta.title, template.title_in(Language::Fr));
        let (en_texts, fr_texts) = (texts(&en), texts(&fr));
        assert_eq!(en_texts.len(), fr_texts.len(), "{template}");
        for (e, f) in en_texts.iter().zip(&fr_texts) {
            // Empty in both: a blank map's objective.
            assert_eq!(e.is_empty(), f.is_empty(), "{template}: {e:?} / {f:?}");
            // Same in both only where there are no words to translate ("%").
            if e == f {
                assert!(
                    !e.chars().any(char::is_alphabetic),
                    "{template}: {e:?} is not translated"
                );
            }
        }
    }
}

#[test]
fn a_french_map_names_its_default_lanes_in_french() {
    let view = applied_in(Template::Blank, Language::Fr, 1).view();
    assert_eq!(view.meta.title, "Parcours client sans titre");
    let names: Vec<&str> = view.lanes.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Actions du client",
            "Points de contact",
            "Pensées",
            "Émotions",
            "Irritants",
            "Opportunités",
            "Indicateurs",
            "Coulisses"
        ]
    );
    for kind in LaneKind::DEFAULTS {
        assert_ne!(kind.default_name_in(Language::Fr), kind.default_name());
    }
    for template in Template::ALL {
        assert_ne!(template.title_in(Language::Fr), template.title());
        assert_ne!(
            template.description_in(Language::Fr),
            template.description()
        );
    }
}

#[test]
fn an_empty_french_map_is_filled_with_the_french_content() {
    for template in sectors() {
        let map = MapDoc::with_client_id(7);
        map.edit(|m| {
            m.init_in(
                "Notre parcours",
                ItineraryKind::Linear,
                Language::Fr,
                &mut counter(),
            )
        });
        let mut ids = {
            let mut n = 1000;
            move || {
                n += 1;
                format!("f{n}")
            }
        };
        map.edit(|m| fill(template, m, Language::Fr, &mut ids))
            .unwrap_or_else(|e| panic!("{template}: {e}"));
        let filled = map.view();
        let fresh = applied_in(template, Language::Fr, 8).view();
        assert_eq!(filled.meta.title, "Notre parcours");
        assert_eq!(filled.meta.objective, fresh.meta.objective, "{template}");
        let names = |v: &MapView| v.stages.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&filled), names(&fresh), "{template}");
        assert_ne!(
            names(&filled),
            names(&applied(template, 8).view()),
            "{template}: French stages"
        );
    }
}
