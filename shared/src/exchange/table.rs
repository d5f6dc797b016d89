//! The card table: one row per card, to and from a map, and the escaping that keeps a
//! spreadsheet from running a cell as a formula.

use std::collections::HashMap;

use super::{card_fields, MapFile, Problem, Problems, MAX_CARDS, MAX_LANES, MAX_STAGES};
use crate::schema::{Channel, ItineraryKind, LaneKind, OpportunityStatus};
use crate::view::{
    CardView, EmotionCurve, KpiView, LaneView, MapView, MetaView, PathView, PersonaView, StageView,
};

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

/// Between the names of a card's paths in the `path` column (a card on no path in
/// particular is on every path and leaves it empty).
pub const PATH_SEPARATOR: &str = "; ";

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
                    card.paths
                        .iter()
                        .filter_map(|p| path_name.get(p.as_str()).copied())
                        .collect::<Vec<_>>()
                        .join(PATH_SEPARATOR),
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
            "too_many_cards",
            &[("count", &rows.len()), ("max", &MAX_CARDS)],
        );
        return Err(p.into_list());
    }
    for (line, row) in rows {
        let raw = |i: usize| unescape(&row.cells[i]);
        let cell = |i: usize| raw(i).trim();
        let at = |column: &str| super::place("row_column", &[("row", line), ("column", &column)]);
        let [stage, lane, lane_kind] = [cell(0), cell(1), cell(2)];
        if stage.is_empty() {
            p.push(at("stage"), "no_stage", &[]);
            continue;
        }
        if lane.is_empty() {
            p.push(at("lane"), "no_lane", &[]);
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
                    let kinds = LaneKind::ALL
                        .iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", ");
                    p.push(
                        at("lane_kind"),
                        "bad_lane_kind",
                        &[("value", &lane_kind), ("kinds", &kinds)],
                    );
                    continue;
                }
            }
        };
        let lane_id = match lane_ids.get(lane) {
            Some(id) => {
                let existing = lanes.iter().find(|l| &l.id == id).map(|l| l.kind);
                if kind.is_some() && kind != existing {
                    p.push(at("lane_kind"), "lane_kind_conflict", &[("lane", &lane)]);
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
                "too_many_stages_lanes",
                &[("stages", &MAX_STAGES), ("lanes", &MAX_LANES)],
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
            paths: Vec::new(),
        };
        let channel = cell(4);
        if !channel.is_empty() {
            match Channel::parse(channel) {
                Some(c) => card.channel = Some(c),
                None => p.push(
                    at("channel"),
                    "bad_channel",
                    &[
                        ("value", &channel),
                        (
                            "channels",
                            &"web, app, store, phone, email, social, partner, chat, mail, other",
                        ),
                    ],
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
                    "bad_status",
                    &[
                        ("value", &status),
                        ("statuses", &"idea, planned, in_progress, done, dropped"),
                    ],
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
                _ => p.push(at(CSV_COLUMNS[i]), "not_a_number", &[("value", &value)]),
            }
        }
        let unit = raw(10);
        if !unit.is_empty() {
            kpi.unit = Some(unit.to_owned());
        }
        if kpi != KpiView::default() {
            card.kpi = Some(kpi);
        }
        for path in cell(11).split(';').map(str::trim).filter(|p| !p.is_empty()) {
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
            if !card.paths.contains(&id) {
                card.paths.push(id);
            }
        }
        let before = p.count();
        card_fields(&mut p, &super::place("row", &[("row", line)]), &card, kind);
        if p.count() > before {
            continue;
        }
        let n = cell_len.entry((stage_id, lane_id)).or_default();
        card.index = *n;
        *n += 1;
        cards.push(card);
    }
    if p.any() {
        return Err(p.into_list());
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
            switches: Vec::new(),
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
