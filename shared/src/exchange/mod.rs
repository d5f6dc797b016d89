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
//! path of each problem; [`write`] (in `write.rs`) then writes it into a fresh
//! document through the typed `MapTxn` API. [`rows_of`] and [`file_from_rows`] (in
//! `table.rs`) convert between a map and its card table.

mod table;
#[cfg(test)]
mod tests;
mod write;

pub use table::{escape_cell, file_from_rows, rows_of, unescape, CardRow, CSV_COLUMNS};
pub use write::write;

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use std::fmt::Display;

use crate::api::MAX_TITLE_CHARS;
use crate::schema::{LaneKind, MAX_SCORE, MIN_SCORE};
use crate::view::{CardView, MapView};
use crate::words::{fill_values, form_of, values_of, Values};

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
/// Most hand-drawn channel switches a file may hold.
pub const MAX_SWITCHES: usize = 2_000;
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
    /// JSON path (`$.cards[3].stage`) or a place in the file (`row 12, column
    /// channel`, `row 12`, `line 3, column 7`, `file`, `rows`; `…` for the count of
    /// problems not listed).
    pub at: String,
    /// What is wrong there, in English ([`PROBLEM_FORMS`] filled).
    pub message: String,
    /// Which of [`PROBLEM_FORMS`] (empty from an older server).
    #[serde(default)]
    pub code: String,
    /// The form's `{placeholders}` by name.
    #[serde(default)]
    pub values: Values,
}

impl Problem {
    /// The problem `code` of [`PROBLEM_FORMS`] at `at`, its message in English. Each
    /// value is cut to [`MAX_VALUE_CHARS`]: values come from the file (a cell, a name),
    /// which may hold megabytes in one place.
    pub fn new(at: impl Into<String>, code: &str, values: &[(&str, &dyn Display)]) -> Problem {
        let mut values = values_of(values);
        for value in values.values_mut() {
            if value.chars().count() > MAX_VALUE_CHARS {
                *value = crate::text::ellipsize(value, MAX_VALUE_CHARS);
            }
        }
        Problem {
            at: at.into(),
            message: form_of(PROBLEM_FORMS, code)
                .map(|form| fill_values(form, &values))
                .unwrap_or_else(|| code.to_owned()),
            code: code.to_owned(),
            values,
        }
    }
}

/// Longest value a problem repeats, in characters.
pub const MAX_VALUE_CHARS: usize = 200;

/// The places a problem names besides JSON paths, in English, by code: checked in this
/// order (`row_column` before `row`), so [`crate::words::unfill`] tells them apart.
pub const PLACE_FORMS: &[(&str, &str)] = &[
    ("row_column", "row {row}, column {column}"),
    ("row", "row {row}"),
    ("line_column", "line {line}, column {column}"),
    ("file", "file"),
    ("rows", "rows"),
];

/// A problem's place `code` of [`PLACE_FORMS`] with `values`.
pub fn place(code: &str, values: &[(&str, &dyn Display)]) -> String {
    form_of(PLACE_FORMS, code)
        .map(|form| fill_values(form, &values_of(values)))
        .unwrap_or_default()
}

/// The place code and values of a problem's `at`, if it is one of [`PLACE_FORMS`].
pub fn place_parts(at: &str) -> Option<(&'static str, Values)> {
    PLACE_FORMS
        .iter()
        .find_map(|(code, form)| crate::words::unfill(form, at).map(|v| (*code, v)))
}

/// What can be wrong with an imported map file or card table, in English, by code.
pub const PROBLEM_FORMS: &[(&str, &str)] = &[
    ("bad_format", "must be “{format}”"),
    (
        "unsupported_version",
        "version {version} is not supported (this server reads version {supported})",
    ),
    ("title_length", "must be 1 to {max} characters"),
    ("too_many", "holds {count}; at most {max} are allowed"),
    ("unknown_persona", "no persona has the id “{id}”"),
    ("unknown_stage", "no stage has the id “{id}”"),
    ("unknown_lane", "no lane has the id “{id}”"),
    ("unknown_path", "no path has the id “{id}”"),
    ("unknown_card", "no card has the id “{id}”"),
    (
        "not_a_touchpoint",
        "card “{id}” is not in a touchpoints lane",
    ),
    ("same_card", "a switch joins two different cards"),
    ("scores_count", "holds {scores} scores for {stages} stages"),
    ("score_range", "a score is {min} to {max}"),
    (
        "channel_lane",
        "only cards in a touchpoints lane have a channel",
    ),
    (
        "owner_lane",
        "only cards in an opportunities lane have an owner and a status",
    ),
    ("kpi_lane", "only cards in a KPI lane have measures"),
    ("more_problems", "{count} more problems not listed"),
    ("too_long", "longer than {max} characters"),
    ("id_length", "an id is 1 to 64 bytes"),
    ("duplicate_id", "“{id}” is already the id of {first}"),
    ("too_many_cards", "{count} cards; at most {max} are allowed"),
    ("no_stage", "a card needs a stage"),
    ("no_lane", "a card needs a lane"),
    ("bad_lane_kind", "“{value}” is not a lane kind ({kinds})"),
    (
        "lane_kind_conflict",
        "the lane “{lane}” was already given another kind",
    ),
    (
        "too_many_stages_lanes",
        "at most {stages} stages and {lanes} lanes are allowed",
    ),
    ("bad_channel", "“{value}” is not a channel ({channels})"),
    ("bad_status", "“{value}” is not a status ({statuses})"),
    ("not_a_number", "“{value}” is not a number"),
    (
        "not_utf8",
        "the file is not UTF-8 text (byte {byte} is invalid)",
    ),
    (
        "header_unreadable",
        "the header line is unreadable: {error}",
    ),
    (
        "missing_column",
        "the header line lacks the column {missing} (found: {found})",
    ),
    (
        "missing_columns",
        "the header line lacks the columns {missing} (found: {found})",
    ),
    ("row_unreadable", "unreadable: {error}"),
    ("too_many_rows", "more than {max} cards"),
    ("not_a_map_file", "not a Parcours map file: {error}"),
    ("json_syntax", "not JSON text"),
    ("json_cut", "the file ends before its JSON does"),
    ("json_missing_field", "the field “{field}” is missing"),
    ("json_duplicate_field", "the field “{field}” is given twice"),
    ("json_unknown_field", "“{field}” is not a field here"),
    ("json_unknown_value", "“{value}” is not one of {expected}"),
    ("json_wrong_type", "a value of the wrong type: JSON {found}"),
    ("not_written", "could not be written: {error}"),
];

/// JSON's kinds of value as [`json_problem`]'s `found` names them.
pub const JSON_KINDS: [&str; 7] = [
    "string", "number", "boolean", "null", "array", "object", "value",
];

/// A JSON reader's error as a problem at `at`, worded by the forms above, so the web
/// app can say it in French: a syntax error, a file cut short, a missing, repeated or
/// unknown field, a value not among an enumeration's, a value of the wrong kind. Only
/// what none of these covers keeps the reader's own English (`not_a_map_file`).
pub fn json_problem(at: impl Into<String>, e: &serde_json::Error) -> Problem {
    use serde_json::error::Category;
    let at = at.into();
    match e.classify() {
        Category::Syntax => return Problem::new(at, "json_syntax", &[]),
        Category::Eof => return Problem::new(at, "json_cut", &[]),
        Category::Data | Category::Io => {}
    }
    let full = e.to_string();
    // serde_json adds " at line L column C", which `at` already says.
    let text = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full.as_str(),
    };
    // serde's own sentences: "missing field `x`", "unknown variant `x`, expected one
    // of `a`, `b`", "invalid type: string \"x\", expected u32", …
    // (Names and values read from the file are cut by `Problem::new`.)
    let quoted = |rest: &str| -> Option<String> {
        let rest = rest.strip_prefix('`')?;
        Some(rest[..rest.find('`')?].to_owned())
    };
    if let Some(field) = text.strip_prefix("missing field ").and_then(quoted) {
        return Problem::new(at, "json_missing_field", &[("field", &field)]);
    }
    if let Some(field) = text.strip_prefix("duplicate field ").and_then(quoted) {
        return Problem::new(at, "json_duplicate_field", &[("field", &field)]);
    }
    if let Some(field) = text.strip_prefix("unknown field ").and_then(quoted) {
        return Problem::new(at, "json_unknown_field", &[("field", &field)]);
    }
    if let Some(rest) = text.strip_prefix("unknown variant ") {
        if let (Some(value), Some((_, expected))) = (quoted(rest), rest.split_once(", expected ")) {
            // "one of `a`, `b`", "`a` or `b`", "`a`": the names a file may hold.
            let expected = expected.strip_prefix("one of ").unwrap_or(expected);
            let names: Vec<&str> = expected
                .split(['`', ','])
                .map(str::trim)
                .filter(|n| !n.is_empty() && *n != "or")
                .collect();
            return Problem::new(
                at,
                "json_unknown_value",
                &[("value", &value), ("expected", &names.join(", "))],
            );
        }
    }
    if let Some(rest) = text.strip_prefix("invalid type: ") {
        let kind = [
            ("string", "string"),
            ("character", "string"),
            ("integer", "number"),
            ("floating point", "number"),
            ("boolean", "boolean"),
            ("null", "null"),
            ("unit value", "null"),
            ("sequence", "array"),
            ("map", "object"),
        ]
        .into_iter()
        .find(|(prefix, _)| rest.starts_with(prefix))
        .map_or("value", |(_, kind)| kind);
        return Problem::new(at, "json_wrong_type", &[("found", &kind)]);
    }
    Problem::new(at, "not_a_map_file", &[("error", &text)])
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
        p.push("$.format", "bad_format", &[("format", &FORMAT)]);
    }
    if file.version != VERSION {
        p.push(
            "$.version",
            "unsupported_version",
            &[("version", &file.version), ("supported", &VERSION)],
        );
        return Err(p.into_list());
    }
    let map = &file.map;
    let title = map.meta.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        p.push(
            "$.map.meta.title",
            "title_length",
            &[("max", &MAX_TITLE_CHARS)],
        );
    }
    p.text("$.map.meta.objective", &map.meta.objective);
    for (what, len, max) in [
        ("stages", map.stages.len(), MAX_STAGES),
        ("lanes", map.lanes.len(), MAX_LANES),
        ("cards", map.cards.len(), MAX_CARDS),
        ("personas", map.personas.len(), MAX_PERSONAS),
        ("paths", map.paths.len(), MAX_PATHS),
        ("switches", map.switches.len(), MAX_SWITCHES),
    ] {
        if len > max {
            p.push(
                format!("$.map.{what}"),
                "too_many",
                &[("count", &len), ("max", &max)],
            );
        }
    }
    if p.any() {
        return Err(p.into_list());
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
                    "unknown_persona",
                    &[("id", persona)],
                );
            }
        }
    }
    let cards = p.ids("cards", map.cards.iter().map(|x| x.id.as_str()));
    for (i, card) in map.cards.iter().enumerate() {
        let at = format!("$.map.cards[{i}]");
        p.text(&format!("{at}.text"), &card.text);
        if !stages.contains(card.stage.as_str()) {
            p.push(
                format!("{at}.stage"),
                "unknown_stage",
                &[("id", &card.stage)],
            );
        }
        let kind = lane_kinds.get(card.lane.as_str()).copied();
        if !lanes.contains(card.lane.as_str()) {
            p.push(format!("{at}.lane"), "unknown_lane", &[("id", &card.lane)]);
        }
        for (j, path) in card.paths.iter().enumerate() {
            if !paths.contains(path.as_str()) {
                p.push(format!("{at}.paths[{j}]"), "unknown_path", &[("id", path)]);
            }
        }
        if let Some(kind) = kind {
            card_fields(&mut p, &at, card, kind);
        }
    }
    p.ids("switches", map.switches.iter().map(|x| x.id.as_str()));
    let touchpoints: HashSet<&str> = map
        .cards
        .iter()
        .filter(|c| lane_kinds.get(c.lane.as_str()) == Some(&LaneKind::Touchpoints))
        .map(|c| c.id.as_str())
        .collect();
    for (i, switch) in map.switches.iter().enumerate() {
        let at = format!("$.map.switches[{i}]");
        p.text(&format!("{at}.note"), &switch.note);
        for (end, card) in [("from", &switch.from), ("to", &switch.to)] {
            if !cards.contains(card.as_str()) {
                p.push(format!("{at}.{end}"), "unknown_card", &[("id", card)]);
            } else if !touchpoints.contains(card.as_str()) {
                p.push(format!("{at}.{end}"), "not_a_touchpoint", &[("id", card)]);
            }
        }
        if switch.from == switch.to {
            p.push(format!("{at}.to"), "same_card", &[]);
        }
    }
    for (i, curve) in map.emotions.iter().enumerate() {
        let at = format!("$.map.emotions[{i}]");
        if !personas.contains(curve.persona.as_str()) {
            p.push(
                format!("{at}.persona"),
                "unknown_persona",
                &[("id", &curve.persona)],
            );
        }
        if curve.scores.len() > map.stages.len() {
            p.push(
                format!("{at}.scores"),
                "scores_count",
                &[
                    ("scores", &curve.scores.len()),
                    ("stages", &map.stages.len()),
                ],
            );
        }
        for (j, score) in curve.scores.iter().enumerate() {
            if score.is_some_and(|s| !(MIN_SCORE..=MAX_SCORE).contains(&s)) {
                p.push(
                    format!("{at}.scores[{j}]"),
                    "score_range",
                    &[("min", &MIN_SCORE), ("max", &MAX_SCORE)],
                );
            }
        }
    }
    if p.any() {
        return Err(p.into_list());
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
pub(super) fn card_fields(p: &mut Problems, at: &str, card: &CardView, kind: LaneKind) {
    if card.channel.is_some() && kind != LaneKind::Touchpoints {
        p.push(format!("{at}.channel"), "channel_lane", &[]);
    }
    if (card.owner.is_some() || card.status.is_some()) && kind != LaneKind::Opportunities {
        p.push(format!("{at}.owner"), "owner_lane", &[]);
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
            p.push(format!("{at}.kpi"), "kpi_lane", &[]);
        }
        if let Some(unit) = &kpi.unit {
            p.text(&format!("{at}.kpi.unit"), unit);
        }
    }
}

/// Problems collected while checking, capped at [`MAX_PROBLEMS`].
#[derive(Default)]
pub(super) struct Problems {
    list: Vec<Problem>,
    more: usize,
}

impl Problems {
    /// Every problem found, the last entry counting those past [`MAX_PROBLEMS`].
    pub(super) fn into_list(mut self) -> Vec<Problem> {
        if self.more > 0 {
            self.list
                .push(Problem::new("…", "more_problems", &[("count", &self.more)]));
        }
        self.list
    }

    /// How many problems were found, listed or not.
    pub(super) fn count(&self) -> usize {
        self.list.len() + self.more
    }

    /// Whether any problem was found.
    pub(super) fn any(&self) -> bool {
        !self.list.is_empty()
    }

    pub(super) fn push(
        &mut self,
        at: impl Into<String>,
        code: &str,
        values: &[(&str, &dyn Display)],
    ) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(Problem::new(at, code, values));
        } else {
            self.more += 1;
        }
    }

    pub(super) fn text(&mut self, at: &str, text: &str) {
        if text.chars().count() > MAX_TEXT_CHARS {
            self.push(at, "too_long", &[("max", &MAX_TEXT_CHARS)]);
        }
    }

    /// The set of ids of one collection; duplicates and empty ids are problems.
    fn ids<'a>(&mut self, what: &str, ids: impl Iterator<Item = &'a str>) -> HashSet<&'a str> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, id) in ids.enumerate() {
            if id.is_empty() || id.len() > 64 {
                self.push(format!("$.map.{what}[{i}].id"), "id_length", &[]);
            } else if let Some(first) = seen.get(id) {
                self.push(
                    format!("$.map.{what}[{i}].id"),
                    "duplicate_id",
                    &[("id", &id), ("first", &format!("$.map.{what}[{first}]"))],
                );
            } else {
                seen.insert(id, i);
            }
        }
        seen.into_keys().collect()
    }
}

/// Brings a map file written by an older build up to date, in place, before it is
/// read as a [`MapFile`]: cards that name one `path` (before a card could be on
/// several) get `paths: [that id]`. Anything that is not the expected shape is left
/// for the reader to refuse. True when something was changed.
pub fn upgrade(file: &mut serde_json::Value) -> bool {
    let Some(map) = file.get_mut("map").and_then(|m| m.as_object_mut()) else {
        return false;
    };
    let mut changed = false;
    for list in ["cards", "orphan_cards"] {
        let Some(cards) = map.get_mut(list).and_then(|c| c.as_array_mut()) else {
            continue;
        };
        for card in cards.iter_mut().filter_map(|c| c.as_object_mut()) {
            if card.contains_key("paths") {
                continue;
            }
            if let Some(path) = card.remove("path") {
                let paths = match path {
                    serde_json::Value::Null => Vec::new(),
                    one => vec![one],
                };
                card.insert("paths".to_owned(), serde_json::Value::Array(paths));
                changed = true;
            }
        }
    }
    changed
}

/// `view` with every id replaced by the element's kind and position (`stage-0`,
/// `card-12`…), references included: two maps that differ only in their ids — an
/// export and its import — compare equal.
pub fn without_ids(view: &MapView) -> MapView {
    let mut names: HashMap<String, String> = HashMap::new();
    let mut name = |kind: &str, ids: &mut dyn Iterator<Item = &String>| {
        for (i, id) in ids.enumerate() {
            names.insert(id.clone(), format!("{kind}-{i}"));
        }
    };
    name("stage", &mut view.stages.iter().map(|x| &x.id));
    name("lane", &mut view.lanes.iter().map(|x| &x.id));
    name("persona", &mut view.personas.iter().map(|x| &x.id));
    name("path", &mut view.paths.iter().map(|x| &x.id));
    name("card", &mut view.cards.iter().map(|x| &x.id));
    name("orphan", &mut view.orphan_cards.iter().map(|x| &x.id));
    let rename = |id: &mut String| {
        if let Some(new) = names.get(id.as_str()) {
            *id = new.clone();
        }
    };
    let mut out = view.clone();
    out.stages.iter_mut().for_each(|x| rename(&mut x.id));
    out.lanes.iter_mut().for_each(|x| rename(&mut x.id));
    out.personas.iter_mut().for_each(|x| rename(&mut x.id));
    for path in &mut out.paths {
        rename(&mut path.id);
        path.persona.iter_mut().for_each(rename);
    }
    for card in out.cards.iter_mut().chain(out.orphan_cards.iter_mut()) {
        rename(&mut card.id);
        rename(&mut card.stage);
        rename(&mut card.lane);
        card.paths.iter_mut().for_each(rename);
    }
    // Two switches from one card are ordered by their ids: name them by what they join.
    for switch in &mut out.switches {
        rename(&mut switch.from);
        rename(&mut switch.to);
        switch.id = format!("switch-{}-{}", switch.from, switch.to);
    }
    out.switches
        .sort_by(|a, b| (&a.from, &a.to, &a.note).cmp(&(&b.from, &b.to, &b.note)));
    out.emotions.iter_mut().for_each(|c| rename(&mut c.persona));
    for switch in &mut out.channel_switches {
        rename(&mut switch.from_stage);
        rename(&mut switch.to_stage);
    }
    out
}
