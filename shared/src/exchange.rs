//! The map file: a whole journey map as one versioned JSON document that leaves
//! Parcours and comes back without loss, and the long-form card table (one row per
//! card) that spreadsheets hold.
//!
//! A file is `{"format": "parcours-map", "version": 1, "exported_at": ms, "map": {...}}`
//! where `map` is the map's JSON view ([`MapView`]). Ids are kept in the file so that
//! cards, paths and emotion curves can point at stages, lanes, personas and paths;
//! an import gives everything new ids, so a file can be imported any number of times.
//! `channel_switches` are derived from the cards and ignored on import; cards whose
//! stage or lane no longer exists (`orphan_cards`) are not imported (the preview says
//! how many).
//!
//! [`check`] validates a file completely before anything is written, naming the JSON
//! path of each problem; [`write`] then writes it into a fresh document through the
//! typed [`MapTxn`] API. [`rows_of`] and [`file_from_rows`] convert between a map and
//! its card table.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::api::MAX_TITLE_CHARS;
use crate::schema::{
    At, Channel, IdSource, ItineraryKind, KpiMeasure, LaneKind, MapTxn, OpportunityStatus,
    PersonaField, SchemaError, MAX_SCORE, MIN_SCORE,
};
use crate::view::{
    CardView, EmotionCurve, KpiView, LaneView, MapView, MetaView, PathView, PersonaView, StageView,
};

/// The `format` of every map file.
pub const FORMAT: &str = "parcours-map";
/// The file layout this build writes and reads.
pub const VERSION: u32 = 1;

/// Most stages a file may hold.
pub const MAX_STAGES: usize = 200;
/// Most lanes a file may hold.
pub const MAX_LANES: usize = 60;
/// Most cards a file may hold (the 12 × 8 × 400 benchmark board has 400).
pub const MAX_CARDS: usize = 20_000;
/// Most personas a file may hold.
pub const MAX_PERSONAS: usize = 50;
/// Most paths a file may hold.
pub const MAX_PATHS: usize = 100;
/// Longest text of any field, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// Most problems one check reports (the rest are counted).
pub const MAX_PROBLEMS: usize = 50;

/// A whole map as a file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MapFile {
    /// Always `parcours-map`.
    pub format: String,
    /// Layout version of the file ([`VERSION`]).
    pub version: u32,
    /// When it was exported (ms since the epoch), if known.
    #[serde(default)]
    pub exported_at: Option<i64>,
    /// The map.
    pub map: MapView,
}

impl MapFile {
    /// A file holding `map`, exported at `now`.
    pub fn new(map: MapView, now: i64) -> MapFile {
        MapFile {
            format: FORMAT.to_owned(),
            version: VERSION,
            exported_at: Some(now),
            map,
        }
    }
}

/// One thing wrong with a file, where it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Problem {
    /// JSON path (`$.cards[3].stage`) or CSV place (`row 12, column channel`).
    pub at: String,
    /// What is wrong there.
    pub message: String,
}

impl Problem {
    fn new(at: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            at: at.into(),
            message: message.into(),
        }
    }
}

/// What an import will create.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Counts {
    /// Stages.
    pub stages: usize,
    /// Lanes.
    pub lanes: usize,
    /// Cards.
    pub cards: usize,
    /// Personas.
    pub personas: usize,
    /// Paths.
    pub paths: usize,
    /// Cards left out because their stage or lane no longer existed.
    pub orphans_skipped: usize,
}

/// `POST /api/maps/import/preview` response: what an import would create, or why it
/// would be refused (`problems` not empty; nothing else filled then).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ImportPreview {
    /// The new map's title.
    pub title: String,
    /// What will be created.
    pub counts: Counts,
    /// Stage names, in order.
    pub stages: Vec<String>,
    /// Lane names, in order.
    pub lanes: Vec<String>,
    /// Every problem found (at most [`MAX_PROBLEMS`] listed).
    pub problems: Vec<Problem>,
}

/// Checks a whole file; every problem found (up to [`MAX_PROBLEMS`]) or the counts.
pub fn check(file: &MapFile) -> Result<Counts, Vec<Problem>> {
    let mut p = Problems::default();
    if file.format != FORMAT {
        p.push("$.format", format!("must be “{FORMAT}”"));
    }
    if file.version != VERSION {
        p.push(
            "$.version",
            format!(
                "version {} is not supported (this server reads version {VERSION})",
                file.version
            ),
        );
        return Err(p.list);
    }
    let map = &file.map;
    let title = map.meta.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        p.push(
            "$.map.meta.title",
            format!("must be 1 to {MAX_TITLE_CHARS} characters"),
        );
    }
    p.text("$.map.meta.objective", &map.meta.objective);
    for (what, len, max) in [
        ("stages", map.stages.len(), MAX_STAGES),
        ("lanes", map.lanes.len(), MAX_LANES),
        ("cards", map.cards.len(), MAX_CARDS),
        ("personas", map.personas.len(), MAX_PERSONAS),
        ("paths", map.paths.len(), MAX_PATHS),
    ] {
        if len > max {
            p.push(
                format!("$.map.{what}"),
                format!("holds {len}; at most {max} are allowed"),
            );
        }
    }
    if !p.list.is_empty() {
        return Err(p.list);
    }

    let personas = p.ids("personas", map.personas.iter().map(|x| x.id.as_str()));
    for (i, persona) in map.personas.iter().enumerate() {
        for (field, text) in [
            ("name", &persona.name),
            ("segment", &persona.segment),
            ("goals", &persona.goals),
            ("pains", &persona.pains),
            ("preferences", &persona.preferences),
        ] {
            p.text(&format!("$.map.personas[{i}].{field}"), text);
        }
    }
    let stages = p.ids("stages", map.stages.iter().map(|x| x.id.as_str()));
    for (i, stage) in map.stages.iter().enumerate() {
        p.text(&format!("$.map.stages[{i}].name"), &stage.name);
    }
    let lanes = p.ids("lanes", map.lanes.iter().map(|x| x.id.as_str()));
    let lane_kinds: HashMap<&str, LaneKind> =
        map.lanes.iter().map(|l| (l.id.as_str(), l.kind)).collect();
    for (i, lane) in map.lanes.iter().enumerate() {
        p.text(&format!("$.map.lanes[{i}].name"), &lane.name);
    }
    let paths = p.ids("paths", map.paths.iter().map(|x| x.id.as_str()));
    for (i, path) in map.paths.iter().enumerate() {
        p.text(&format!("$.map.paths[{i}].name"), &path.name);
        p.text(&format!("$.map.paths[{i}].condition"), &path.condition);
        if let Some(persona) = &path.persona {
            if !personas.contains(persona.as_str()) {
                p.push(
                    format!("$.map.paths[{i}].persona"),
                    format!("no persona has the id “{persona}”"),
                );
            }
        }
    }
    p.ids("cards", map.cards.iter().map(|x| x.id.as_str()));
    for (i, card) in map.cards.iter().enumerate() {
        let at = format!("$.map.cards[{i}]");
        p.text(&format!("{at}.text"), &card.text);
        if !stages.contains(card.stage.as_str()) {
            p.push(
                format!("{at}.stage"),
                format!("no stage has the id “{}”", card.stage),
            );
        }
        let kind = lane_kinds.get(card.lane.as_str()).copied();
        if !lanes.contains(card.lane.as_str()) {
            p.push(
                format!("{at}.lane"),
                format!("no lane has the id “{}”", card.lane),
            );
        }
        if let Some(path) = &card.path {
            if !paths.contains(path.as_str()) {
                p.push(format!("{at}.path"), format!("no path has the id “{path}”"));
            }
        }
        if let Some(kind) = kind {
            card_fields(&mut p, &at, card, kind);
        }
    }
    for (i, curve) in map.emotions.iter().enumerate() {
        let at = format!("$.map.emotions[{i}]");
        if !personas.contains(curve.persona.as_str()) {
            p.push(
                format!("{at}.persona"),
                format!("no persona has the id “{}”", curve.persona),
            );
        }
        if curve.scores.len() > map.stages.len() {
            p.push(
                format!("{at}.scores"),
                format!(
                    "holds {} scores for {} stages",
                    curve.scores.len(),
                    map.stages.len()
                ),
            );
        }
        for (j, score) in curve.scores.iter().enumerate() {
            if score.is_some_and(|s| !(MIN_SCORE..=MAX_SCORE).contains(&s)) {
                p.push(
                    format!("{at}.scores[{j}]"),
                    format!("a score is {MIN_SCORE} to {MAX_SCORE}"),
                );
            }
        }
    }
    if !p.list.is_empty() {
        return Err(p.list);
    }
    Ok(Counts {
        stages: map.stages.len(),
        lanes: map.lanes.len(),
        cards: map.cards.len(),
        personas: map.personas.len(),
        paths: map.paths.len(),
        orphans_skipped: map.orphan_cards.len(),
    })
}

/// The kind-specific fields of a card against its lane's kind.
fn card_fields(p: &mut Problems, at: &str, card: &CardView, kind: LaneKind) {
    if card.channel.is_some() && kind != LaneKind::Touchpoints {
        p.push(
            format!("{at}.channel"),
            "only cards in a touchpoints lane have a channel",
        );
    }
    if (card.owner.is_some() || card.status.is_some()) && kind != LaneKind::Opportunities {
        p.push(
            format!("{at}.owner"),
            "only cards in an opportunities lane have an owner and a status",
        );
    }
    if let Some(owner) = &card.owner {
        p.text(&format!("{at}.owner"), owner);
    }
    if let Some(kpi) = &card.kpi {
        let any = kpi.baseline.is_some()
            || kpi.current.is_some()
            || kpi.target.is_some()
            || kpi.unit.is_some();
        if any && kind != LaneKind::Kpis {
            p.push(
                format!("{at}.kpi"),
                "only cards in a KPI lane have measures",
            );
        }
        if let Some(unit) = &kpi.unit {
            p.text(&format!("{at}.kpi.unit"), unit);
        }
    }
}

/// Problems collected while checking, capped at [`MAX_PROBLEMS`].
#[derive(Default)]
struct Problems {
    list: Vec<Problem>,
    more: usize,
}

impl Problems {
    fn push(&mut self, at: impl Into<String>, message: impl Into<String>) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(Problem::new(at, message));
        } else {
            self.more += 1;
        }
    }

    fn text(&mut self, at: &str, text: &str) {
        if text.chars().count() > MAX_TEXT_CHARS {
            self.push(at, format!("longer than {MAX_TEXT_CHARS} characters"));
        }
    }

    /// The set of ids of one collection; duplicates and empty ids are problems.
    fn ids<'a>(&mut self, what: &str, ids: impl Iterator<Item = &'a str>) -> HashSet<&'a str> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, id) in ids.enumerate() {
            if id.is_empty() || id.len() > 64 {
                self.push(format!("$.map.{what}[{i}].id"), "an id is 1 to 64 bytes");
            } else if let Some(first) = seen.get(id) {
                self.push(
                    format!("$.map.{what}[{i}].id"),
                    format!("“{id}” is already the id of $.map.{what}[{first}]"),
                );
            } else {
                seen.insert(id, i);
            }
        }
        seen.into_keys().collect()
    }
}

/// Writes a checked file into a fresh document: everything gets a new id from `ids`.
/// Call [`check`] first; a file it refuses may fail here half-written.
pub fn write(
    map: &MapView,
    title: &str,
    txn: &mut MapTxn<'_, '_>,
    ids: &mut impl IdSource,
) -> Result<(), SchemaError> {
    // `init` writes the schema version and the meta fields; lanes come from the file.
    let mut no_lanes = NoLanes;
    txn.init(title, map.meta.itinerary, &mut no_lanes);
    txn.set_objective(&map.meta.objective);
    let mut next = || ids.next_id();
    let mut fresh = |old: &str, into: &mut HashMap<String, String>| {
        let id = next();
        into.insert(old.to_owned(), id.clone());
        id
    };
    let mut personas: HashMap<String, String> = HashMap::new();
    for persona in &map.personas {
        let id = fresh(&persona.id, &mut personas);
        txn.add_persona(&id, &persona.name, At::End)?;
        for (field, text) in [
            (PersonaField::Segment, &persona.segment),
            (PersonaField::Goals, &persona.goals),
            (PersonaField::Pains, &persona.pains),
            (PersonaField::Preferences, &persona.preferences),
        ] {
            if !text.is_empty() {
                txn.set_persona_field(&id, field, text)?;
            }
        }
    }
    let mut paths: HashMap<String, String> = HashMap::new();
    for path in &map.paths {
        let id = fresh(&path.id, &mut paths);
        let persona = path
            .persona
            .as_deref()
            .and_then(|p| personas.get(p))
            .map(String::as_str);
        txn.add_path(&id, &path.name, persona, &path.condition, At::End)?;
    }
    let mut stages: HashMap<String, String> = HashMap::new();
    let mut stage_order = Vec::with_capacity(map.stages.len());
    for stage in &map.stages {
        let id = fresh(&stage.id, &mut stages);
        txn.add_stage(&id, &stage.name, At::End)?;
        stage_order.push(id);
    }
    let mut lanes: HashMap<String, String> = HashMap::new();
    for lane in &map.lanes {
        let id = fresh(&lane.id, &mut lanes);
        txn.add_lane(&id, &lane.name, lane.kind, At::End)?;
    }
    // Cards are listed by stage, lane, then index: each cell is written at once.
    let mut cells: Vec<((&str, &str), Vec<&CardView>)> = Vec::new();
    let mut cell_at: HashMap<(&str, &str), usize> = HashMap::new();
    for card in &map.cards {
        let (Some(stage), Some(lane)) = (stages.get(&card.stage), lanes.get(&card.lane)) else {
            continue;
        };
        let key = (stage.as_str(), lane.as_str());
        let i = *cell_at.entry(key).or_insert_with(|| {
            cells.push((key, Vec::new()));
            cells.len() - 1
        });
        cells[i].1.push(card);
    }
    for ((stage, lane), mut list) in cells {
        list.sort_by_key(|c| c.index);
        let ids: Vec<String> = list.iter().map(|_| next_id(ids)).collect();
        let texts: Vec<(&str, &str)> = ids
            .iter()
            .zip(&list)
            .map(|(id, c)| (id.as_str(), c.text.as_str()))
            .collect();
        txn.fill_cell(stage, lane, &texts)?;
        for (id, card) in ids.iter().zip(list) {
            card_details(txn, id, card, &paths)?;
        }
    }
    for curve in &map.emotions {
        let Some(persona) = personas.get(&curve.persona) else {
            continue;
        };
        for (stage, score) in stage_order.iter().zip(&curve.scores) {
            if let Some(score) = score {
                txn.set_emotion(persona, stage, curve.series, i64::from(*score))?;
            }
        }
    }
    Ok(())
}

fn next_id(ids: &mut impl IdSource) -> String {
    ids.next_id()
}

/// A new card's kind-specific fields and path.
fn card_details(
    txn: &mut MapTxn<'_, '_>,
    id: &str,
    card: &CardView,
    paths: &HashMap<String, String>,
) -> Result<(), SchemaError> {
    if card.channel.is_some() {
        txn.set_channel(id, card.channel)?;
    }
    if card.owner.is_some() {
        txn.set_owner(id, card.owner.as_deref())?;
    }
    if card.status.is_some() {
        txn.set_status(id, card.status)?;
    }
    if let Some(kpi) = &card.kpi {
        if kpi.unit.is_some() {
            txn.set_kpi_unit(id, kpi.unit.as_deref())?;
        }
        for (measure, value) in [
            (KpiMeasure::Baseline, kpi.baseline),
            (KpiMeasure::Current, kpi.current),
            (KpiMeasure::Target, kpi.target),
        ] {
            if value.is_some() {
                txn.set_kpi_value(id, measure, value)?;
            }
        }
    }
    if let Some(path) = card.path.as_deref().and_then(|p| paths.get(p)) {
        txn.set_card_path(id, Some(path))?;
    }
    Ok(())
}

/// An id source for `init` that makes no lanes (every id it gives is refused).
struct NoLanes;

impl IdSource for NoLanes {
    fn next_id(&mut self) -> String {
        String::new()
    }
}

/// The card table's columns, in order. `stage`, `lane` and `text` are required on
/// import; the rest may be absent or empty.
pub const CSV_COLUMNS: [&str; 12] = [
    "stage",
    "lane",
    "lane_kind",
    "text",
    "channel",
    "owner",
    "status",
    "kpi_baseline",
    "kpi_current",
    "kpi_target",
    "kpi_unit",
    "path",
];

/// One card as a table row (all text; numbers as written).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CardRow {
    /// The fields, in [`CSV_COLUMNS`] order.
    pub cells: [String; 12],
}

/// The table of `map`: one row per card, in board order (stage, lane, position).
pub fn rows_of(map: &MapView) -> Vec<CardRow> {
    let stage_name: HashMap<&str, &str> = map
        .stages
        .iter()
        .map(|s| (s.id.as_str(), s.name.as_str()))
        .collect();
    let lane: HashMap<&str, &LaneView> = map.lanes.iter().map(|l| (l.id.as_str(), l)).collect();
    let path_name: HashMap<&str, &str> = map
        .paths
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    map.cards
        .iter()
        .map(|card| {
            let lane = lane.get(card.lane.as_str());
            let kpi = card.kpi.clone().unwrap_or_default();
            CardRow {
                cells: [
                    stage_name
                        .get(card.stage.as_str())
                        .copied()
                        .unwrap_or_default()
                        .to_owned(),
                    lane.map(|l| l.name.clone()).unwrap_or_default(),
                    lane.map(|l| l.kind.as_str().to_owned()).unwrap_or_default(),
                    card.text.clone(),
                    card.channel
                        .map(|c| c.as_str().to_owned())
                        .unwrap_or_default(),
                    card.owner.clone().unwrap_or_default(),
                    card.status
                        .map(|s| s.as_str().to_owned())
                        .unwrap_or_default(),
                    num(kpi.baseline),
                    num(kpi.current),
                    num(kpi.target),
                    kpi.unit.unwrap_or_default(),
                    card.path
                        .as_deref()
                        .and_then(|p| path_name.get(p))
                        .copied()
                        .unwrap_or_default()
                        .to_owned(),
                ],
            }
        })
        .collect()
}

/// A map built from a card table: stages, lanes and paths in the order rows first name
/// them; a lane without `lane_kind` gets the kind whose default name it bears, else
/// notes. `rows` are `(row number, cells)`; every problem names its row and column.
pub fn file_from_rows(
    title: &str,
    rows: &[(u64, CardRow)],
    now: i64,
) -> Result<MapFile, Vec<Problem>> {
    let mut p = Problems::default();
    let mut stages: Vec<StageView> = Vec::new();
    let mut lanes: Vec<LaneView> = Vec::new();
    let mut paths: Vec<PathView> = Vec::new();
    let mut cards: Vec<CardView> = Vec::new();
    let mut stage_ids: HashMap<String, String> = HashMap::new();
    let mut lane_ids: HashMap<String, String> = HashMap::new();
    let mut path_ids: HashMap<String, String> = HashMap::new();
    let mut cell_len: HashMap<(String, String), usize> = HashMap::new();
    if rows.len() > MAX_CARDS {
        p.push(
            "rows",
            format!("{} cards; at most {MAX_CARDS} are allowed", rows.len()),
        );
        return Err(p.list);
    }
    for (line, row) in rows {
        let raw = |i: usize| unescape(&row.cells[i]);
        let cell = |i: usize| raw(i).trim();
        let at = |column: &str| format!("row {line}, column {column}");
        let [stage, lane, lane_kind] = [cell(0), cell(1), cell(2)];
        if stage.is_empty() {
            p.push(at("stage"), "a card needs a stage");
            continue;
        }
        if lane.is_empty() {
            p.push(at("lane"), "a card needs a lane");
            continue;
        }
        for (i, column) in CSV_COLUMNS.iter().enumerate() {
            p.text(&at(column), &row.cells[i]);
        }
        let stage_id = match stage_ids.get(stage) {
            Some(id) => id.clone(),
            None => {
                let id = format!("s{}", stages.len() + 1);
                stages.push(StageView {
                    id: id.clone(),
                    name: stage.to_owned(),
                });
                stage_ids.insert(stage.to_owned(), id.clone());
                id
            }
        };
        let kind = if lane_kind.is_empty() {
            None
        } else {
            match LaneKind::parse(lane_kind) {
                Some(kind) => Some(kind),
                None => {
                    p.push(
                        at("lane_kind"),
                        format!(
                            "“{lane_kind}” is not a lane kind ({})",
                            LaneKind::ALL
                                .iter()
                                .map(|k| k.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                    continue;
                }
            }
        };
        let lane_id = match lane_ids.get(lane) {
            Some(id) => {
                let existing = lanes.iter().find(|l| &l.id == id).map(|l| l.kind);
                if kind.is_some() && kind != existing {
                    p.push(
                        at("lane_kind"),
                        format!("the lane “{lane}” was already given another kind"),
                    );
                    continue;
                }
                id.clone()
            }
            None => {
                let id = format!("l{}", lanes.len() + 1);
                let kind = kind.unwrap_or_else(|| {
                    LaneKind::ALL
                        .iter()
                        .copied()
                        .find(|k| k.default_name().eq_ignore_ascii_case(lane))
                        .unwrap_or(LaneKind::Notes)
                });
                lanes.push(LaneView {
                    id: id.clone(),
                    name: lane.to_owned(),
                    kind,
                });
                lane_ids.insert(lane.to_owned(), id.clone());
                id
            }
        };
        if lanes.len() > MAX_LANES || stages.len() > MAX_STAGES {
            p.push(
                at("lane"),
                format!("at most {MAX_STAGES} stages and {MAX_LANES} lanes are allowed"),
            );
            break;
        }
        let kind = lanes
            .iter()
            .find(|l| l.id == lane_id)
            .map(|l| l.kind)
            .unwrap_or(LaneKind::Notes);
        let mut card = CardView {
            id: format!("c{}", cards.len() + 1),
            stage: stage_id.clone(),
            lane: lane_id.clone(),
            index: 0,
            text: raw(3).to_owned(),
            channel: None,
            owner: None,
            status: None,
            kpi: (kind == LaneKind::Kpis).then(KpiView::default),
            path: None,
        };
        let channel = cell(4);
        if !channel.is_empty() {
            match Channel::parse(channel) {
                Some(c) => card.channel = Some(c),
                None => p.push(
                    at("channel"),
                    format!("“{channel}” is not a channel (web, app, store, phone, email, social, partner, chat, mail, other)"),
                ),
            }
        }
        let owner = raw(5);
        if !owner.is_empty() {
            card.owner = Some(owner.to_owned());
        }
        let status = cell(6);
        if !status.is_empty() {
            match OpportunityStatus::parse(status) {
                Some(s) => card.status = Some(s),
                None => p.push(
                    at("status"),
                    format!(
                        "“{status}” is not a status (idea, planned, in_progress, done, dropped)"
                    ),
                ),
            }
        }
        let mut kpi = KpiView::default();
        for (i, slot) in [
            (7, &mut kpi.baseline),
            (8, &mut kpi.current),
            (9, &mut kpi.target),
        ] {
            let value = cell(i);
            if value.is_empty() {
                continue;
            }
            match value.parse::<f64>() {
                Ok(v) if v.is_finite() => *slot = Some(v),
                _ => p.push(at(CSV_COLUMNS[i]), format!("“{value}” is not a number")),
            }
        }
        let unit = raw(10);
        if !unit.is_empty() {
            kpi.unit = Some(unit.to_owned());
        }
        if kpi != KpiView::default() {
            card.kpi = Some(kpi);
        }
        let path = cell(11);
        if !path.is_empty() {
            let id = match path_ids.get(path) {
                Some(id) => id.clone(),
                None => {
                    let id = format!("p{}", paths.len() + 1);
                    paths.push(PathView {
                        id: id.clone(),
                        name: path.to_owned(),
                        persona: None,
                        condition: String::new(),
                    });
                    path_ids.insert(path.to_owned(), id.clone());
                    id
                }
            };
            card.path = Some(id);
        }
        let before = p.list.len() + p.more;
        card_fields(&mut p, &format!("row {line}"), &card, kind);
        if p.list.len() + p.more > before {
            continue;
        }
        let n = cell_len.entry((stage_id, lane_id)).or_default();
        card.index = *n;
        *n += 1;
        cards.push(card);
    }
    if !p.list.is_empty() {
        if p.more > 0 {
            p.list.push(Problem::new(
                "…",
                format!("{} more problems not listed", p.more),
            ));
        }
        return Err(p.list);
    }
    Ok(MapFile::new(
        MapView {
            meta: MetaView {
                schema_version: crate::schema::SCHEMA_VERSION,
                title: title.to_owned(),
                objective: String::new(),
                itinerary: ItineraryKind::Linear,
            },
            personas: Vec::<PersonaView>::new(),
            stages,
            lanes,
            cards,
            orphan_cards: Vec::new(),
            emotions: Vec::<EmotionCurve>::new(),
            paths,
            channel_switches: Vec::new(),
        },
        now,
    ))
}

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell safe to open in a spreadsheet: text a spreadsheet would read as a formula
/// (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`, which
/// spreadsheets show as text; [`unescape`] takes it off again on import. A plain number
/// (`-3.5`) is left alone.
pub fn escape_cell(text: &str) -> std::borrow::Cow<'_, str> {
    let formula = text.starts_with(FORMULA_START) && text.parse::<f64>().is_err();
    let escaped = text.starts_with('\'') && text[1..].starts_with(FORMULA_START);
    if formula || escaped {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// The inverse of [`escape_cell`].
pub fn unescape(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) || rest.starts_with('\'') => rest,
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::MapDoc;
    use crate::templates::{self, Template};

    fn template_view(t: Template) -> MapView {
        let doc = MapDoc::new(yrs::Doc::new());
        let mut n = 0;
        let mut ids = || {
            n += 1;
            format!("id{n}")
        };
        doc.edit(|txn| templates::apply(t, txn, "", &mut ids))
            .unwrap();
        crate::view::read_view(doc.doc())
    }

    fn import(file: &MapFile) -> MapView {
        check(file).unwrap();
        let doc = MapDoc::new(yrs::Doc::new());
        let mut n = 0;
        let mut ids = || {
            n += 1;
            format!("new{n}")
        };
        doc.edit(|txn| write(&file.map, &file.map.meta.title, txn, &mut ids))
            .unwrap();
        crate::view::read_view(doc.doc())
    }

    /// The view with ids replaced by their position, so two imports compare equal.
    fn shape(view: &MapView) -> String {
        let mut json = serde_json::to_string(view).unwrap();
        let mut ids: Vec<&str> = Vec::new();
        ids.extend(view.stages.iter().map(|x| x.id.as_str()));
        ids.extend(view.lanes.iter().map(|x| x.id.as_str()));
        ids.extend(view.personas.iter().map(|x| x.id.as_str()));
        ids.extend(view.paths.iter().map(|x| x.id.as_str()));
        ids.extend(view.cards.iter().map(|x| x.id.as_str()));
        let mut pairs: Vec<(String, String)> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (format!("\"{id}\""), format!("\"#{i}\"")))
            .collect();
        pairs.sort_by_key(|(a, _)| std::cmp::Reverse(a.len()));
        for (a, b) in pairs {
            json = json.replace(&a, &b);
        }
        json
    }

    #[test]
    fn every_template_survives_a_round_trip() {
        for t in Template::ALL {
            let view = template_view(t);
            let file = MapFile::new(view.clone(), 0);
            let text = serde_json::to_string(&file).unwrap();
            let back: MapFile = serde_json::from_str(&text).unwrap();
            let imported = import(&back);
            assert_eq!(shape(&imported), shape(&view), "{t:?}");
            assert!(imported.cards.iter().all(|c| c.id.starts_with("new")));
        }
    }

    #[test]
    fn problems_name_their_place() {
        let mut view = template_view(Template::RetailBank);
        let first = view.stages[0].id.clone();
        view.stages[1].id = first.clone();
        view.cards[0].lane = "nowhere".into();
        let touch = view
            .lanes
            .iter()
            .find(|l| l.kind == LaneKind::Actions)
            .unwrap()
            .id
            .clone();
        let i = view.cards.iter().position(|c| c.channel.is_some()).unwrap();
        view.cards[i].lane = touch;
        let problems = check(&MapFile::new(view, 0)).unwrap_err();
        let at: Vec<&str> = problems.iter().map(|p| p.at.as_str()).collect();
        assert!(at.contains(&"$.map.stages[1].id"), "{at:?}");
        assert!(at.contains(&"$.map.cards[0].lane"), "{at:?}");
        assert!(
            at.contains(&format!("$.map.cards[{i}].channel").as_str()),
            "{at:?}"
        );
    }

    #[test]
    fn unknown_versions_are_refused() {
        let mut file = MapFile::new(template_view(Template::Blank), 0);
        file.version = 2;
        let problems = check(&file).unwrap_err();
        assert_eq!(problems[0].at, "$.version");
    }

    #[test]
    fn formulas_are_escaped_and_come_back() {
        for text in [
            "=HYPERLINK(\"http://x\")",
            "+1+2",
            "@SUM(A1)",
            "-x",
            "'=already",
        ] {
            let cell = escape_cell(text);
            assert!(cell.starts_with('\''), "{text}");
            assert_eq!(unescape(&cell), text);
        }
        for text in ["plain", "-3.5", "12", "it's"] {
            assert_eq!(escape_cell(text), text);
            assert_eq!(unescape(text), text);
        }
    }

    #[test]
    fn card_tables_round_trip() {
        let view = template_view(Template::RetailBank);
        let rows: Vec<(u64, CardRow)> = rows_of(&view)
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i as u64 + 2, r))
            .collect();
        let file = file_from_rows("Bank", &rows, 0).unwrap();
        let imported = import(&file);
        let again: Vec<CardRow> = rows_of(&imported);
        assert_eq!(again, rows.into_iter().map(|(_, r)| r).collect::<Vec<_>>());
    }
}
