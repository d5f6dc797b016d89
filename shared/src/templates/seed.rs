//! The shape of a sector template as static data, and the code that writes it.
//!
//! Sector modules declare a [`Blueprint`] with the short card builders below
//! (`act`, `touch`, `thought`, `feel`, `pain`, `opp`, `kpi`, `back`); [`write`] turns
//! it into personas, paths, stages, cards and emotion scores.

use crate::schema::{
    At, Channel, EmotionSeries, IdSource, KpiMeasure, LaneKind, MapTxn, OpportunityStatus,
    PersonaField, SchemaError,
};
use crate::Language;

/// A whole sector map, minus what `init` writes (title, itinerary, lanes).
pub(super) struct Blueprint {
    /// Why the map exists.
    pub objective: &'static str,
    /// Customer profiles, in display order.
    pub personas: &'static [PersonaSeed],
    /// Personalized paths (empty for linear and omnichannel maps).
    pub paths: &'static [PathSeed],
    /// Stages in journey order, each with its cards.
    pub stages: &'static [StageSeed],
    /// Channel switches drawn by hand between two touchpoints.
    pub switches: &'static [SwitchSeed],
}

/// A hand-drawn channel switch: from one touchpoint to another, each named by its
/// stage's index in [`Blueprint::stages`] and its rank among that stage's touchpoint
/// cards.
pub(super) struct SwitchSeed {
    /// (stage index, touchpoint rank) it starts at.
    pub from: (usize, usize),
    /// (stage index, touchpoint rank) it ends at.
    pub to: (usize, usize),
    /// Why or how the customer switches.
    pub note: &'static str,
}

/// A persona and its two emotion curves.
pub(super) struct PersonaSeed {
    /// Display name.
    pub name: &'static str,
    /// Segment the persona stands for.
    pub segment: &'static str,
    /// What they want to achieve.
    pub goals: &'static str,
    /// What hurts them.
    pub pains: &'static str,
    /// How they like to be served.
    pub preferences: &'static str,
    /// As-is score (-2..=2) per stage, in stage order.
    pub as_is: &'static [i8],
    /// To-be score (-2..=2) per stage, in stage order.
    pub to_be: &'static [i8],
}

/// An alternative path of a personalized itinerary.
pub(super) struct PathSeed {
    /// Display name.
    pub name: &'static str,
    /// The condition that selects the path.
    pub condition: &'static str,
    /// Index of the persona it serves in [`Blueprint::personas`].
    pub persona: usize,
}

/// A stage (a column) and its cards in lane order.
pub(super) struct StageSeed {
    /// Display name.
    pub name: &'static str,
    /// Cards, each going to the first lane of its kind, in this order within a cell.
    pub cards: &'static [CardSeed],
}

/// One card: the kind of lane it goes to, its text and kind-specific fields.
#[derive(Clone, Copy)]
pub(super) struct CardSeed {
    /// Kind of the lane it goes to.
    kind: LaneKind,
    /// Card text.
    text: &'static str,
    /// Channel, owner and status, or measures.
    detail: Detail,
    /// Bit `i` set: the card is on the path at `i` in [`Blueprint::paths`] (none set:
    /// on every path).
    paths: u8,
}

/// The fields a card carries beyond its text.
#[derive(Clone, Copy)]
enum Detail {
    /// Text only.
    Plain,
    /// A touchpoint's channel.
    Channel(Channel),
    /// An opportunity's owner (a team or role) and status.
    Opportunity(&'static str, OpportunityStatus),
    /// A KPI's unit and baseline, current and target values.
    Kpi(&'static str, [f64; 3]),
}

impl CardSeed {
    /// The same card, also on the path at `path` (< 8) in [`Blueprint::paths`].
    pub(super) const fn on(self, path: usize) -> CardSeed {
        CardSeed {
            paths: self.paths | (1 << path),
            ..self
        }
    }
}

/// A plain card in a lane of `kind`.
const fn plain(kind: LaneKind, text: &'static str) -> CardSeed {
    CardSeed {
        kind,
        text,
        detail: Detail::Plain,
        paths: 0,
    }
}

/// A customer action.
pub(super) const fn act(text: &'static str) -> CardSeed {
    plain(LaneKind::Actions, text)
}

/// A touchpoint on `channel`.
pub(super) const fn touch(channel: Channel, text: &'static str) -> CardSeed {
    CardSeed {
        detail: Detail::Channel(channel),
        ..plain(LaneKind::Touchpoints, text)
    }
}

/// What the customer thinks or asks.
pub(super) const fn thought(text: &'static str) -> CardSeed {
    plain(LaneKind::Thoughts, text)
}

/// A feeling in words (the scored curve is in [`PersonaSeed`]).
pub(super) const fn feel(text: &'static str) -> CardSeed {
    plain(LaneKind::Emotions, text)
}

/// A pain point.
pub(super) const fn pain(text: &'static str) -> CardSeed {
    plain(LaneKind::PainPoints, text)
}

/// An opportunity owned by `owner` (a team or role) at `status`.
pub(super) const fn opp(
    owner: &'static str,
    status: OpportunityStatus,
    text: &'static str,
) -> CardSeed {
    CardSeed {
        detail: Detail::Opportunity(owner, status),
        ..plain(LaneKind::Opportunities, text)
    }
}

/// A KPI in `unit` with `[baseline, current, target]`.
pub(super) const fn kpi(text: &'static str, unit: &'static str, values: [f64; 3]) -> CardSeed {
    CardSeed {
        detail: Detail::Kpi(unit, values),
        ..plain(LaneKind::Kpis, text)
    }
}

/// A backstage process or team.
pub(super) const fn back(text: &'static str) -> CardSeed {
    plain(LaneKind::Backstage, text)
}

/// Writes `blueprint` after `init`: objective, personas, paths, stages with their
/// cards, then emotion scores. Ids are drawn from `ids` in that order; a lane added
/// for a missing kind is named in `language`.
pub(super) fn write(
    blueprint: &Blueprint,
    txn: &mut MapTxn<'_, '_>,
    ids: &mut impl IdSource,
    language: Language,
) -> Result<(), SchemaError> {
    txn.set_objective(blueprint.objective);
    let lanes = lanes_by_kind(txn, ids, language)?;

    let mut personas = Vec::with_capacity(blueprint.personas.len());
    for persona in blueprint.personas {
        let id = ids.next_id();
        txn.add_persona(&id, persona.name, At::End)?;
        for (field, value) in [
            (PersonaField::Segment, persona.segment),
            (PersonaField::Goals, persona.goals),
            (PersonaField::Pains, persona.pains),
            (PersonaField::Preferences, persona.preferences),
        ] {
            txn.set_persona_field(&id, field, value)?;
        }
        personas.push(id);
    }

    let mut paths = Vec::with_capacity(blueprint.paths.len());
    for path in blueprint.paths {
        let id = ids.next_id();
        let persona = personas.get(path.persona).map(String::as_str);
        txn.add_path(&id, path.name, persona, path.condition, At::End)?;
        paths.push(id);
    }

    let mut stages = Vec::with_capacity(blueprint.stages.len());
    let mut touchpoints: Vec<Vec<String>> = Vec::with_capacity(blueprint.stages.len());
    for stage in blueprint.stages {
        let id = ids.next_id();
        txn.add_stage(&id, stage.name, At::End)?;
        let mut here = Vec::new();
        for card in stage.cards {
            let card_id = write_card(txn, ids, &id, &lanes, &paths, card)?;
            if card.kind == LaneKind::Touchpoints {
                here.push(card_id);
            }
        }
        stages.push(id);
        touchpoints.push(here);
    }

    for switch in blueprint.switches {
        let card = |(stage, rank): (usize, usize)| {
            touchpoints
                .get(stage)
                .and_then(|cards| cards.get(rank))
                .ok_or_else(|| SchemaError::NotFound {
                    entity: "card",
                    id: format!("touchpoint {rank} of stage {stage}"),
                })
        };
        let (from, to) = (card(switch.from)?, card(switch.to)?);
        txn.add_switch(&ids.next_id(), from, to, switch.note)?;
    }

    for (persona, seed) in personas.iter().zip(blueprint.personas) {
        for (series, scores) in [
            (EmotionSeries::AsIs, seed.as_is),
            (EmotionSeries::ToBe, seed.to_be),
        ] {
            for (stage, &score) in stages.iter().zip(scores) {
                txn.set_emotion(persona, stage, series, i64::from(score))?;
            }
        }
    }
    Ok(())
}

/// One lane id per default kind: the first existing lane of that kind, or a new lane
/// when `init` found lanes already there and that kind was missing.
fn lanes_by_kind(
    txn: &mut MapTxn<'_, '_>,
    ids: &mut impl IdSource,
    language: Language,
) -> Result<Vec<(LaneKind, String)>, SchemaError> {
    let existing = txn.view().lanes;
    let mut lanes = Vec::with_capacity(LaneKind::DEFAULTS.len());
    for kind in LaneKind::DEFAULTS {
        let id = match existing.iter().find(|lane| lane.kind == kind) {
            Some(lane) => lane.id.clone(),
            None => {
                let id = ids.next_id();
                txn.add_lane(&id, kind.default_name_in(language), kind, At::End)?;
                id
            }
        };
        lanes.push((kind, id));
    }
    Ok(lanes)
}

/// Adds one card at the end of its cell, with its kind-specific fields and paths;
/// gives its id.
fn write_card(
    txn: &mut MapTxn<'_, '_>,
    ids: &mut impl IdSource,
    stage: &str,
    lanes: &[(LaneKind, String)],
    paths: &[String],
    card: &CardSeed,
) -> Result<String, SchemaError> {
    let lane = lanes
        .iter()
        .find(|(kind, _)| *kind == card.kind)
        .map(|(_, id)| id.as_str())
        .ok_or_else(|| SchemaError::NotFound {
            entity: "lane",
            id: card.kind.as_str().to_owned(),
        })?;
    let id = ids.next_id();
    txn.add_card(&id, stage, lane, At::End, card.text)?;
    match card.detail {
        Detail::Plain => {}
        Detail::Channel(channel) => txn.set_channel(&id, Some(channel))?,
        Detail::Opportunity(owner, status) => {
            txn.set_owner(&id, Some(owner))?;
            txn.set_status(&id, Some(status))?;
        }
        Detail::Kpi(unit, [baseline, current, target]) => {
            txn.set_kpi_unit(&id, Some(unit))?;
            for (measure, value) in [
                (KpiMeasure::Baseline, baseline),
                (KpiMeasure::Current, current),
                (KpiMeasure::Target, target),
            ] {
                txn.set_kpi_value(&id, measure, Some(value))?;
            }
        }
    }
    for (index, path) in paths.iter().enumerate().take(8) {
        if card.paths & (1 << index) != 0 {
            txn.set_card_on_path(&id, path, true)?;
        }
    }
    if paths.len() < 8 && card.paths >> paths.len() != 0 {
        return Err(SchemaError::NotFound {
            entity: "path",
            id: format!("{:#b}", card.paths),
        });
    }
    Ok(id)
}
