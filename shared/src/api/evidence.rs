//! Customer evidence on a map (`/api/maps/{id}/datasets…`): event logs imported from
//! CSV, their activities mapped to the journey's stages and touchpoints, and what the
//! server computes from them (reach, conversion, drop-off, time between stages, path
//! variants, channel switches, segments, friction).

use serde::{Deserialize, Serialize};

/// Which CSV columns hold what (header names), and how to read timestamps.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ColumnMapping {
    pub case_id: String,
    pub activity: String,
    pub timestamp: String,
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub segment: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
    /// One of [`TIMESTAMP_FORMATS`]; `auto` (the default) detects it from the first rows.
    #[serde(default)]
    pub timestamp_format: Option<String>,
}

/// Timestamp formats an import understands: `iso8601` (`2026-06-01T10:15:30.123Z`,
/// `2026-06-01 10:15:30`, with or without a zone or seconds; a date alone), `dmy`
/// (`01/06/2026 10:15[:30]`), `mdy` (`06/01/2026 10:15[:30]`), `epoch_s`, `epoch_ms`.
pub const TIMESTAMP_FORMATS: [&str; 6] = ["auto", "iso8601", "dmy", "mdy", "epoch_s", "epoch_ms"];

/// `POST /api/maps/{id}/datasets/preview` response: how the start of a file reads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DatasetPreview {
    /// The delimiter detected: `,`, `;`, a tab or `|`.
    pub delimiter: String,
    pub headers: Vec<String>,
    /// The first rows (at most 20), as text.
    pub rows: Vec<Vec<String>>,
    /// Columns guessed from the header names (empty strings where nothing fits).
    pub suggested: ColumnMapping,
    /// The timestamp format the first rows read in, if one fits them all.
    pub timestamp_format: Option<String>,
}

/// A row an import skipped, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BadRow {
    /// 1-based line of the file (the header is line 1).
    pub line: u64,
    /// Why, in English ([`BAD_ROW_FORMS`] filled).
    pub reason: String,
    /// Which of [`BAD_ROW_FORMS`] (empty on logs imported before codes).
    #[serde(default)]
    pub code: String,
    /// The column concerned, as [`ColumnMapping`] names it (`case_id`, `activity`,
    /// `timestamp`, `channel`, `segment`, `value`).
    #[serde(default)]
    pub column: Option<String>,
    /// The text read, a limit or a count, as the form says.
    #[serde(default)]
    pub value: Option<String>,
    /// `bad_timestamp`: the format the timestamps were read in (one of
    /// [`TIMESTAMP_FORMATS`]).
    #[serde(default)]
    pub format: Option<String>,
}

/// Why a row is skipped, in English, by code. Values: `column` (worded by
/// [`EVENT_COLUMNS`]), `value`, `format`.
pub const BAD_ROW_FORMS: &[(&str, &str)] = &[
    ("missing_field", "no {column} (the row has {value} fields)"),
    ("not_utf8", "the {column} is not UTF-8 text"),
    ("too_long", "the {column} is longer than {value} bytes"),
    ("empty", "the {column} is empty"),
    ("bad_timestamp", "the timestamp “{value}” is not {format}"),
    ("not_a_number", "the value “{value}” is not a number"),
    (
        "too_many_activities",
        "more than {value} distinct activities",
    ),
];

/// The event log's columns as a bad row's reason names them in English.
pub const EVENT_COLUMNS: &[(&str, &str)] = &[
    ("case_id", "case id"),
    ("activity", "activity"),
    ("timestamp", "timestamp"),
    ("channel", "channel"),
    ("segment", "segment"),
    ("value", "value"),
];

impl BadRow {
    /// Line `line`, skipped for `code` of [`BAD_ROW_FORMS`], its reason in English.
    pub fn new(
        line: u64,
        code: &str,
        column: Option<&str>,
        value: Option<String>,
        format: Option<&str>,
    ) -> BadRow {
        let mut row = BadRow {
            line,
            reason: String::new(),
            code: code.to_owned(),
            column: column.map(str::to_owned),
            value,
            format: format.map(str::to_owned),
        };
        row.reason = row.worded(
            |code| crate::words::form_of(BAD_ROW_FORMS, code),
            |column| crate::words::form_of(EVENT_COLUMNS, column).map(str::to_owned),
        );
        row.reason.shrink_to_fit();
        row
    }

    /// The reason from `forms` (a code's form) and `column` (a column's name), in
    /// whatever language they speak; `reason` when the code has no form.
    pub fn worded<'a>(
        &self,
        forms: impl Fn(&str) -> Option<&'a str>,
        column: impl Fn(&str) -> Option<String>,
    ) -> String {
        let Some(form) = forms(&self.code) else {
            return self.reason.clone();
        };
        crate::words::fill(form, |name| match name {
            "column" => self
                .column
                .as_deref()
                .map(|c| column(c).unwrap_or_else(|| c.to_owned())),
            "value" => self.value.clone(),
            "format" => self.format.clone(),
            _ => None,
        })
    }
}

/// One distinct activity of a dataset and where it sits in the journey.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ActivityInfo {
    pub name: String,
    pub events: u64,
    /// The stage (id) it is mapped to.
    pub stage: Option<String>,
    /// The touchpoint card (id) it is mapped to, if any.
    pub card: Option<String>,
    /// What the server suggests from names, while nothing is mapped.
    pub suggested_stage: Option<String>,
    pub suggested_card: Option<String>,
}

/// A KPI card whose current value comes from the data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KpiLink {
    pub card: String,
    /// `reach:{stage}`, `conversion:{stage}` (from the stage before, %),
    /// `overall_conversion` (%), `median_days:{stage}` (to the next stage).
    pub metric: String,
}

/// An imported event log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Dataset {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub created_by: Option<String>,
    /// `importing`, `ready`.
    pub status: String,
    pub rows: u64,
    pub bad_rows: u64,
    /// The first bad rows (at most 100).
    pub bad_samples: Vec<BadRow>,
    pub cases: u64,
    pub first_at: Option<i64>,
    pub last_at: Option<i64>,
    pub activities: Vec<ActivityInfo>,
    pub segments: Vec<String>,
    pub channels: Vec<String>,
    /// A case converts from one stage to the next only within this many days of
    /// entering the funnel.
    pub window_days: u32,
    pub kpis: Vec<KpiLink>,
}

/// `GET /api/maps/{id}/datasets` response, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DatasetList {
    pub datasets: Vec<Dataset>,
}

/// One activity's place, in `PUT .../mapping`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ActivityLink {
    pub activity: String,
    pub stage: Option<String>,
    #[serde(default)]
    pub card: Option<String>,
}

/// `PUT /api/maps/{id}/datasets/{d}/mapping` body: replaces the whole mapping.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DatasetMapping {
    pub activities: Vec<ActivityLink>,
    #[serde(default)]
    pub window_days: Option<u32>,
    #[serde(default)]
    pub kpis: Vec<KpiLink>,
}

/// Longest conversion window, in days.
pub const MAX_WINDOW_DAYS: u32 = 3650;

/// Metrics of one stage (in the map's order).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StageMetrics {
    pub stage: String,
    pub name: String,
    /// Distinct cases with any event mapped to the stage.
    pub reach: u64,
    /// Cases that reached it in order through the funnel (every stage before it, in
    /// time order, within the window).
    pub funnel: u64,
    /// `funnel` of this stage over `funnel` of the one before (none for the first).
    pub conversion: Option<f64>,
    /// `1 - conversion`.
    pub drop_off: Option<f64>,
    /// Median and 90th percentile of the time from the stage before to this one,
    /// among cases that made the step (ms).
    pub median_ms_from_previous: Option<i64>,
    pub p90_ms_from_previous: Option<i64>,
    /// Median time a case spends in the stage: from its first event there to its first
    /// event in a later stage, or to its last event there if it goes no further (ms).
    pub median_ms_spent: Option<i64>,
}

/// A path variant: the activities of a case in time order, and how many cases did
/// exactly that.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Variant {
    pub activities: Vec<String>,
    pub cases: u64,
}

/// A flow between two steps (stages, or `start` / `end`), for the Sankey chart of the
/// top variants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Flow {
    pub from: String,
    pub to: String,
    pub cases: u64,
}

/// Cases that went straight from one channel to another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChannelSwitchCount {
    pub from: String,
    pub to: String,
    pub cases: u64,
}

/// A channel switch drawn on the map, with how many cases were seen making it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MapSwitchEvidence {
    pub from_stage: String,
    pub to_stage: String,
    pub from_channel: String,
    pub to_channel: String,
    /// Cases with an event on `from_channel` in `from_stage` directly followed by one on
    /// `to_channel` in `to_stage`.
    pub observed: u64,
}

/// The funnel of one segment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SegmentMetrics {
    pub segment: String,
    pub cases: u64,
    /// Funnel count per stage, in the map's order.
    pub funnel: Vec<u64>,
    pub overall_conversion: Option<f64>,
}

/// A stage or touchpoint ranked by friction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Friction {
    /// `stage` or `touchpoint`.
    pub kind: String,
    /// The stage or card id.
    pub id: String,
    pub name: String,
    /// Drop-off (or exit) rate × median hours spent: see docs/EVIDENCE.md.
    pub score: f64,
    pub drop_off: f64,
    pub median_ms: Option<i64>,
    /// One sentence in English ([`Friction::english`]), for the top three.
    pub sentence: Option<String>,
    /// The stage that loses the largest share of its cases (a stage's sentence says so).
    #[serde(default)]
    pub worst: bool,
}

/// The friction sentences' forms in English: `stage`, `stage_worst` (the stage that
/// loses the most) and `touchpoint`. Values: `name`, `pct` (with its `%`), `time` (a
/// duration, or [`FRICTION_UNKNOWN_TIME`]).
pub const FRICTION_FORMS: &[(&str, &str)] = &[
    (
        "stage",
        "{name} loses {pct} of the cases that reach it; median time there {time}.",
    ),
    (
        "stage_worst",
        "{name} loses {pct} of the cases that reach it, the most of any stage; median time there {time}.",
    ),
    (
        "touchpoint",
        "“{name}” is the last step for {pct} of the cases that use it; median wait after it {time}.",
    ),
];

/// A friction sentence's `time` when there is no median.
pub const FRICTION_UNKNOWN_TIME: &str = "unknown";

/// Longest touchpoint name a friction sentence quotes, in characters.
pub const FRICTION_NAME_CHARS: usize = 60;

impl Friction {
    /// Which of [`FRICTION_FORMS`] its sentence takes.
    pub fn form(&self) -> &'static str {
        match (self.kind.as_str(), self.worst) {
            ("stage", true) => "stage_worst",
            ("stage", false) => "stage",
            _ => "touchpoint",
        }
    }

    /// The name as its sentence shows it: a stage's trimmed, a touchpoint's also cut
    /// to [`FRICTION_NAME_CHARS`].
    pub fn sentence_name(&self) -> String {
        if self.kind == "stage" {
            self.name.trim().to_owned()
        } else {
            crate::text::ellipsize(self.name.trim(), FRICTION_NAME_CHARS)
        }
    }

    /// Its sentence in English (`38 %`, [`english_duration`]).
    pub fn english(&self) -> String {
        let form = crate::words::form_of(FRICTION_FORMS, self.form()).unwrap_or_default();
        let pct = format!("{:.0} %", (self.drop_off * 100.0).round());
        let time = self
            .median_ms
            .map(english_duration)
            .unwrap_or_else(|| FRICTION_UNKNOWN_TIME.into());
        let name = self.sentence_name();
        crate::words::fill(form, |key| match key {
            "name" => Some(name.clone()),
            "pct" => Some(pct.clone()),
            "time" => Some(time.clone()),
            _ => None,
        })
    }
}

/// A duration for a person in English: minutes, hours or days with one decimal.
pub fn english_duration(ms: i64) -> String {
    let minutes = ms as f64 / 60_000.0;
    if minutes < 90.0 {
        format!("{minutes:.0} min")
    } else if minutes < 48.0 * 60.0 {
        format!("{:.1} h", minutes / 60.0)
    } else {
        format!("{:.1} days", minutes / 1440.0)
    }
}

/// The current value a KPI card gets from the data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KpiValue {
    pub card: String,
    pub metric: String,
    pub value: Option<f64>,
}

/// `GET /api/maps/{id}/datasets/{d}/analysis` response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Analysis {
    pub dataset: String,
    /// Cases and events after the filters.
    pub cases: u64,
    pub events: u64,
    pub stages: Vec<StageMetrics>,
    /// Last stage's funnel over the first's.
    pub overall_conversion: Option<f64>,
    /// The most frequent variants (at most 20), most frequent first.
    pub variants: Vec<Variant>,
    /// Distinct variants in all.
    pub variant_count: u64,
    pub flows: Vec<Flow>,
    pub channel_switches: Vec<ChannelSwitchCount>,
    pub map_switches: Vec<MapSwitchEvidence>,
    pub segments: Vec<SegmentMetrics>,
    pub friction: Vec<Friction>,
    pub kpis: Vec<KpiValue>,
    /// Events whose activity is mapped to no stage.
    pub unmapped_events: u64,
}

/// `GET .../analysis` query: optional filters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AnalysisFilter {
    /// Cases whose first event is at or after this moment (ms).
    pub from: Option<i64>,
    /// …and before this one.
    pub to: Option<i64>,
    pub segment: Option<String>,
}

/// `GET /api/maps/{id}/datasets/{d}/flows` response: the directly-follows graph and
/// every variant's count, as process-mining tools compute them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProcessGraph {
    /// `(from activity, to activity, times)`.
    pub directly_follows: Vec<(String, String, u64)>,
    pub variants: Vec<Variant>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn friction(kind: &str, name: &str, drop_off: f64, median_ms: Option<i64>) -> Friction {
        Friction {
            kind: kind.into(),
            id: "x".into(),
            name: name.into(),
            score: 1.0,
            drop_off,
            median_ms,
            sentence: None,
            worst: false,
        }
    }

    /// The sentences from their parts are the ones the server wrote before it sent
    /// the parts (the expected texts are its former output).
    #[test]
    fn friction_sentences_from_parts_are_the_former_english() {
        let mut stage = friction("stage", " Onboarding ", 0.382, Some(5 * 3_600_000));
        assert_eq!(
            stage.english(),
            "Onboarding loses 38 % of the cases that reach it; median time there 5.0 h."
        );
        stage.worst = true;
        assert_eq!(
            stage.english(),
            "Onboarding loses 38 % of the cases that reach it, the most of any stage; median time there 5.0 h."
        );
        let long = "a".repeat(80);
        let touchpoint = friction("touchpoint", &long, 0.5, None);
        assert_eq!(
            touchpoint.english(),
            format!(
                "“{}…” is the last step for 50 % of the cases that use it; median wait after it unknown.",
                "a".repeat(59)
            )
        );
        let braces = friction("touchpoint", "{pct} {time}", 0.1, Some(45 * 60_000));
        assert_eq!(
            braces.english(),
            "“{pct} {time}” is the last step for 10 % of the cases that use it; median wait after it 45 min."
        );
        assert_eq!(english_duration(3 * 86_400_000 + 5 * 3_600_000), "3.2 days");
    }

    #[test]
    fn a_friction_without_worst_reads_as_before() {
        let json = r#"{"kind":"stage","id":"s","name":"S","score":1.0,"drop_off":0.5,
            "median_ms":null,"sentence":null}"#;
        let f: Friction = serde_json::from_str(json).expect("an older answer");
        assert!(!f.worst);
    }

    /// Every reason from its code and values is the one the import wrote before codes.
    #[test]
    fn bad_row_reasons_from_codes_are_the_former_english() {
        let cases = [
            (
                BadRow::new(2, "missing_field", Some("case_id"), Some("1".into()), None),
                "no case id (the row has 1 fields)",
            ),
            (
                BadRow::new(3, "not_utf8", Some("activity"), None, None),
                "the activity is not UTF-8 text",
            ),
            (
                BadRow::new(4, "too_long", Some("segment"), Some("512".into()), None),
                "the segment is longer than 512 bytes",
            ),
            (
                BadRow::new(5, "empty", Some("case_id"), None, None),
                "the case id is empty",
            ),
            (
                BadRow::new(
                    6,
                    "bad_timestamp",
                    Some("timestamp"),
                    Some("{value}".into()),
                    Some("iso8601"),
                ),
                "the timestamp “{value}” is not iso8601",
            ),
            (
                BadRow::new(7, "not_a_number", Some("value"), Some("abc".into()), None),
                "the value “abc” is not a number",
            ),
            (
                BadRow::new(8, "too_many_activities", None, Some("10000".into()), None),
                "more than 10000 distinct activities",
            ),
        ];
        assert_eq!(cases.len(), BAD_ROW_FORMS.len());
        for (row, reason) in cases {
            assert_eq!(row.reason, reason);
        }
        let old: BadRow = serde_json::from_str(r#"{"line":2,"reason":"why"}"#).expect("old");
        assert_eq!(old.code, "");
        assert_eq!(
            old.worded(|c| crate::words::form_of(BAD_ROW_FORMS, c), |_| None),
            "why"
        );
    }
}
