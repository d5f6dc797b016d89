//! The whole map as plain data: what the REST API returns and the web app renders.
//!
//! Reading is lenient: a document edited by any Yjs client may miss keys or hold
//! wrong types, and those read as defaults. Nothing here panics on doc content.
//! Cards whose `pos` names a removed stage or lane are listed in
//! [`MapView::orphan_cards`] rather than dropped.
//!
//! Over 400 lines because it is one read-out: each entity's view type beside the code
//! that reads it, so a field added to the schema is added here in one place.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use yrs::{Doc, Map, MapRef, Out, ReadTxn, Transact};

use crate::schema::read::{self, PlacedCard};
use crate::schema::{
    keys, Channel, EmotionSeries, ItineraryKind, KpiMeasure, LaneKind, MapDoc, MapTxn,
    OpportunityStatus, PersonaField,
};

/// A whole journey map. Missing fields read as empty (a map file may leave them out).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct MapView {
    /// Title, objective, itinerary kind, schema version.
    pub meta: MetaView,
    /// Personas in display order.
    pub personas: Vec<PersonaView>,
    /// Stages in journey order (the columns).
    pub stages: Vec<StageView>,
    /// Lanes in display order (the rows).
    pub lanes: Vec<LaneView>,
    /// Cards in live cells, sorted by stage order, then lane order, then within the cell.
    pub cards: Vec<CardView>,
    /// Cards whose stage or lane no longer exists (e.g. moved there while it was
    /// removed), sorted by stage id, lane id and order. A UI may offer to rehome them.
    pub orphan_cards: Vec<CardView>,
    /// One curve per persona (in order) and series: as-is first, then to-be.
    pub emotions: Vec<EmotionCurve>,
    /// Personalized paths in display order.
    pub paths: Vec<PathView>,
    /// Where the first touchpoint channel changes between two consecutive stages.
    pub channel_switches: Vec<ChannelSwitch>,
    /// Channel switches drawn by hand between two live touchpoint cards (a switch whose
    /// card is gone or no longer in a touchpoints lane is left out), in the order of
    /// their first card on the board, then by id.
    pub switches: Vec<SwitchView>,
}

/// Map-level fields.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct MetaView {
    /// Layout version of the document (0 when missing).
    pub schema_version: u32,
    /// Map title.
    pub title: String,
    /// Why the map exists.
    pub objective: String,
    /// Linear, omnichannel or personalized.
    pub itinerary: ItineraryKind,
}

/// A customer profile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PersonaView {
    /// Persona id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Segment it stands for.
    pub segment: String,
    /// What they want to achieve.
    pub goals: String,
    /// What hurts them.
    pub pains: String,
    /// How they like to be served.
    pub preferences: String,
}

/// A journey stage (a column).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StageView {
    /// Stage id.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// A typed lane (a row).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LaneView {
    /// Lane id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What it holds (notes when missing or unknown).
    pub kind: LaneKind,
}

/// A card in a stage × lane cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CardView {
    /// Card id.
    pub id: String,
    /// Stage id of its cell.
    pub stage: String,
    /// Lane id of its cell.
    pub lane: String,
    /// Position within its cell, from 0 (within its group for orphans).
    pub index: usize,
    /// Card text.
    pub text: String,
    /// Channel, on touchpoint cards (unknown strings read as `other`).
    pub channel: Option<Channel>,
    /// Owner, on opportunity cards.
    pub owner: Option<String>,
    /// Status, on opportunity cards.
    pub status: Option<OpportunityStatus>,
    /// Measures, on KPI cards (always present there, possibly all empty).
    pub kpi: Option<KpiView>,
    /// The ids of the paths it is on, in path order; empty when it is on every path.
    #[serde(default)]
    pub paths: Vec<String>,
}

impl CardView {
    /// Is the card on `path`? (Cards on no path in particular are on every path.)
    pub fn on_path(&self, path: &str) -> bool {
        self.paths.is_empty() || self.paths.iter().any(|p| p == path)
    }
}

/// The measures of a KPI card.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KpiView {
    /// Value when the map was drawn.
    pub baseline: Option<f64>,
    /// Latest measured value.
    pub current: Option<f64>,
    /// Value aimed for.
    pub target: Option<f64>,
    /// Unit of all three.
    pub unit: Option<String>,
}

/// One persona's emotion curve in one series.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EmotionCurve {
    /// Persona id.
    pub persona: String,
    /// As-is or to-be.
    pub series: EmotionSeries,
    /// One score (-2..=2) per stage, in stage order; `None` where unscored.
    pub scores: Vec<Option<i8>>,
}

/// An alternative path of a personalized itinerary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PathView {
    /// Path id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The persona it serves, if any.
    pub persona: Option<String>,
    /// The condition that selects it.
    pub condition: String,
}

/// A channel hop between two consecutive stages (omnichannel analysis).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChannelSwitch {
    /// Earlier stage id.
    pub from_stage: String,
    /// Next stage id.
    pub to_stage: String,
    /// Channel of the earlier stage's first touchpoint card.
    pub from_channel: Channel,
    /// Channel of the next stage's first touchpoint card.
    pub to_channel: Channel,
}

/// A channel switch drawn by hand from one touchpoint card to another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SwitchView {
    /// Switch id.
    pub id: String,
    /// The touchpoint card it starts at.
    pub from: String,
    /// The touchpoint card it ends at.
    pub to: String,
    /// Why or how the customer switches ("continues in branch").
    #[serde(default)]
    pub note: String,
}

/// Reads the whole map. Opens a read transaction: do not call while one is open for
/// writing on the same doc (use [`crate::schema::MapTxn::view`] there).
pub fn read_view(doc: &Doc) -> MapView {
    read_view_txn(&doc.transact())
}

/// The map title as plain text (empty when missing).
pub fn title(doc: &Doc) -> String {
    let txn = doc.transact();
    txn.get_map(keys::META)
        .map(|meta| read::text_of(&txn, meta.get(&txn, keys::TITLE)))
        .unwrap_or_default()
}

/// Reads the whole map within an open transaction.
pub fn read_view_txn<T: ReadTxn>(txn: &T) -> MapView {
    let root = |name: &str| txn.get_map(name);
    let text = |map: &MapRef, key: &str| read::text_of(txn, map.get(txn, key));
    let ordered = |name: &str| {
        root(name)
            .map(|r| read::ordered(txn, &r))
            .unwrap_or_default()
    };

    let meta = match root(keys::META) {
        Some(m) => MetaView {
            schema_version: read::i64_of(m.get(txn, keys::SCHEMA_VERSION))
                .and_then(|v| u32::try_from(v).ok())
                .unwrap_or(0),
            title: text(&m, keys::TITLE),
            objective: text(&m, keys::OBJECTIVE),
            itinerary: read::str_of(m.get(txn, keys::ITINERARY))
                .and_then(|s| ItineraryKind::parse(&s))
                .unwrap_or_default(),
        },
        None => MetaView::default(),
    };
    let personas: Vec<PersonaView> = ordered(keys::PERSONAS)
        .into_iter()
        .map(|e| PersonaView {
            name: text(&e.map, PersonaField::Name.as_str()),
            segment: text(&e.map, PersonaField::Segment.as_str()),
            goals: text(&e.map, PersonaField::Goals.as_str()),
            pains: text(&e.map, PersonaField::Pains.as_str()),
            preferences: text(&e.map, PersonaField::Preferences.as_str()),
            id: e.id,
        })
        .collect();
    let stages: Vec<StageView> = ordered(keys::STAGES)
        .into_iter()
        .map(|e| StageView {
            name: text(&e.map, keys::NAME),
            id: e.id,
        })
        .collect();
    let lanes: Vec<LaneView> = ordered(keys::LANES)
        .into_iter()
        .map(|e| LaneView {
            name: text(&e.map, keys::NAME),
            kind: read::str_of(e.map.get(txn, keys::KIND))
                .and_then(|k| LaneKind::parse(&k))
                .unwrap_or(LaneKind::Notes),
            id: e.id,
        })
        .collect();
    let paths: Vec<PathView> = ordered(keys::PATHS)
        .into_iter()
        .map(|e| PathView {
            name: text(&e.map, keys::NAME),
            persona: read::str_of(e.map.get(txn, keys::PERSONA)),
            condition: text(&e.map, keys::CONDITION),
            id: e.id,
        })
        .collect();

    let (cards, orphan_cards) = read_cards(txn, &stages, &lanes, &paths);
    let emotions = read_emotions(txn, &personas, &stages);
    let channel_switches = channel_switches(&stages, &lanes, &cards);
    let switches = read_switches(txn, &cards, &lanes);
    MapView {
        meta,
        personas,
        stages,
        lanes,
        cards,
        orphan_cards,
        emotions,
        paths,
        channel_switches,
        switches,
    }
}

/// The hand-drawn switches whose two cards are live touchpoints, in board order of
/// their first card (then by id).
fn read_switches<T: ReadTxn>(txn: &T, cards: &[CardView], lanes: &[LaneView]) -> Vec<SwitchView> {
    let Some(root) = txn.get_map(keys::SWITCHES) else {
        return Vec::new();
    };
    let touchpoint_lanes: Vec<&str> = lanes
        .iter()
        .filter(|l| l.kind == LaneKind::Touchpoints)
        .map(|l| l.id.as_str())
        .collect();
    let rank: HashMap<&str, usize> = cards
        .iter()
        .enumerate()
        .filter(|(_, c)| touchpoint_lanes.contains(&c.lane.as_str()))
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut switches: Vec<(usize, SwitchView)> = root
        .iter(txn)
        .filter_map(|(id, out)| {
            let Out::YMap(map) = out else { return None };
            let from = read::str_of(map.get(txn, keys::FROM))?;
            let to = read::str_of(map.get(txn, keys::TO))?;
            let at = *rank.get(from.as_str())?;
            (rank.contains_key(to.as_str()) && from != to).then(|| {
                let view = SwitchView {
                    id: id.to_owned(),
                    note: read::text_of(txn, map.get(txn, keys::NOTE)),
                    from,
                    to,
                };
                (at, view)
            })
        })
        .collect();
    switches.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
    switches.into_iter().map(|(_, s)| s).collect()
}

/// Splits the cards into live ones (sorted for display) and orphans.
fn read_cards<T: ReadTxn>(
    txn: &T,
    stages: &[StageView],
    lanes: &[LaneView],
    paths: &[PathView],
) -> (Vec<CardView>, Vec<CardView>) {
    let Some(root) = txn.get_map(keys::CARDS) else {
        return (Vec::new(), Vec::new());
    };
    let stage_index: HashMap<&str, usize> = stages
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let lane_index: HashMap<&str, (usize, LaneKind)> = lanes
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), (i, l.kind)))
        .collect();
    let mut live: Vec<(usize, usize, CardView)> = Vec::new();
    let mut orphans: Vec<CardView> = Vec::new();
    // `placed_cards` sorts by (stage, lane, order, id), so each cell comes in order.
    for card in read::placed_cards(txn, &root) {
        let stage = stage_index.get(card.pos.stage.as_str()).copied();
        let lane = lane_index.get(card.pos.lane.as_str()).copied();
        match (stage, lane) {
            (Some(s), Some((l, kind))) => {
                live.push((s, l, card_view(txn, &card, Some(kind), paths)))
            }
            _ => orphans.push(card_view(txn, &card, None, paths)),
        }
    }
    // Stable sort keeps the within-cell order.
    live.sort_by_key(|(s, l, _)| (*s, *l));
    let mut cards: Vec<CardView> = live.into_iter().map(|(_, _, c)| c).collect();
    number_within_cells(&mut cards);
    number_within_cells(&mut orphans);
    (cards, orphans)
}

/// Sets each card's `index` to its rank among the consecutive cards of its cell.
fn number_within_cells(cards: &mut [CardView]) {
    let mut previous: Option<(String, String)> = None;
    let mut index = 0;
    for card in cards {
        let cell = (card.stage.clone(), card.lane.clone());
        index = if previous.as_ref() == Some(&cell) {
            index + 1
        } else {
            0
        };
        card.index = index;
        previous = Some(cell);
    }
}

/// One card; `kind` is its lane's kind (`None` for orphans: every stored field shows).
fn card_view<T: ReadTxn>(
    txn: &T,
    card: &PlacedCard,
    kind: Option<LaneKind>,
    paths: &[PathView],
) -> CardView {
    let get = |key: &str| card.map.get(txn, key);
    let shows = |k: LaneKind| kind.is_none_or(|kind| kind == k);
    let channel = read::str_of(get(keys::CHANNEL))
        .map(|c| Channel::parse(&c).unwrap_or(Channel::Other))
        .filter(|_| shows(LaneKind::Touchpoints));
    let opportunity = shows(LaneKind::Opportunities);
    let kpi = KpiView {
        baseline: read::f64_of(get(KpiMeasure::Baseline.as_str())),
        current: read::f64_of(get(KpiMeasure::Current.as_str())),
        target: read::f64_of(get(KpiMeasure::Target.as_str())),
        unit: read::str_of(get(keys::UNIT)),
    };
    let kpi = match kind {
        Some(LaneKind::Kpis) => Some(kpi),
        None if kpi != KpiView::default() => Some(kpi),
        _ => None,
    };
    CardView {
        id: card.id.clone(),
        stage: card.pos.stage.clone(),
        lane: card.pos.lane.clone(),
        index: 0,
        text: read::text_of(txn, get(keys::TEXT)),
        channel,
        owner: read::str_of(get(keys::OWNER)).filter(|_| opportunity),
        status: read::str_of(get(keys::STATUS))
            .and_then(|s| OpportunityStatus::parse(&s))
            .filter(|_| opportunity),
        kpi,
        paths: {
            let on = read::card_paths(txn, &card.map);
            paths
                .iter()
                .filter(|p| on.contains(&p.id))
                .map(|p| p.id.clone())
                .collect()
        },
    }
}

/// Every persona's two curves over the stages.
fn read_emotions<T: ReadTxn>(
    txn: &T,
    personas: &[PersonaView],
    stages: &[StageView],
) -> Vec<EmotionCurve> {
    let root = txn.get_map(keys::EMOTIONS);
    let mut curves = Vec::with_capacity(personas.len() * EmotionSeries::ALL.len());
    for persona in personas {
        for &series in EmotionSeries::ALL {
            let scores = stages
                .iter()
                .map(|stage| {
                    let key = read::emotion_key(&persona.id, &stage.id, series.as_str());
                    let out: Option<Out> = root.as_ref().and_then(|r| r.get(txn, &key));
                    read::i64_of(out).map(crate::schema::clamp_score)
                })
                .collect();
            curves.push(EmotionCurve {
                persona: persona.id.clone(),
                series,
                scores,
            });
        }
    }
    curves
}

/// Channel hops between consecutive stages that both have a touchpoint with a channel.
fn channel_switches(
    stages: &[StageView],
    lanes: &[LaneView],
    cards: &[CardView],
) -> Vec<ChannelSwitch> {
    let touchpoint_lanes: Vec<&str> = lanes
        .iter()
        .filter(|l| l.kind == LaneKind::Touchpoints)
        .map(|l| l.id.as_str())
        .collect();
    // Cards are in stage, lane, cell order, so the first match is the first touchpoint.
    let first_channel = |stage: &str| {
        cards
            .iter()
            .filter(|c| c.stage == stage && touchpoint_lanes.contains(&c.lane.as_str()))
            .find_map(|c| c.channel)
    };
    let firsts: Vec<Option<Channel>> = stages.iter().map(|s| first_channel(&s.id)).collect();
    stages
        .windows(2)
        .zip(firsts.windows(2))
        .filter_map(|(pair, channels)| match (channels[0], channels[1]) {
            (Some(from), Some(to)) if from != to => Some(ChannelSwitch {
                from_stage: pair[0].id.clone(),
                to_stage: pair[1].id.clone(),
                from_channel: from,
                to_channel: to,
            }),
            _ => None,
        })
        .collect()
}

impl MapDoc {
    /// The whole map as plain data.
    pub fn view(&self) -> MapView {
        read_view(self.doc())
    }

    /// The map title as plain text.
    pub fn title(&self) -> String {
        title(self.doc())
    }
}

impl MapTxn<'_, '_> {
    /// The whole map as plain data, including this transaction's edits so far.
    pub fn view(&self) -> MapView {
        read_view_txn(self.read_txn())
    }
}
