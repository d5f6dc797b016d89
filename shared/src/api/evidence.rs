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
    pub reason: String,
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
    /// One sentence, for the top three.
    pub sentence: Option<String>,
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
