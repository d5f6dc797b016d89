//! Version history of a map (`/api/maps/{id}/versions`, `/diff`, `/history`,
//! `/restore`, `/since-last-visit`): who changed what, when, any moment viewed,
//! compared and restored.

use serde::{Deserialize, Serialize};

use crate::review::MapChange;
use crate::view::MapView;

/// Who wrote a change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChangeAuthor {
    /// `user`, `link`, `server` (a restore or an import, `id` names who asked) or
    /// `unknown` (written before history was kept).
    pub kind: String,
    /// The account (or link) id.
    pub id: Option<String>,
    /// The account's display name, when it is one.
    pub name: Option<String>,
}

/// A version: a point in the map's history with when, who and what changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Version {
    pub id: String,
    /// `auto` (editing paused, the last person left, or every half hour of editing),
    /// `named`, `round` (a review round opened) or `restore` (just before a restore).
    pub kind: String,
    pub name: Option<String>,
    /// Milliseconds since the epoch.
    pub at: i64,
    /// Who asked for it (named versions and restores).
    pub created_by: Option<ChangeAuthor>,
    /// Who edited since the previous version.
    pub authors: Vec<ChangeAuthor>,
    /// One line on what changed since the previous version.
    pub summary: String,
}

/// `GET /api/maps/{id}/versions` response, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VersionList {
    pub versions: Vec<Version>,
    /// The oldest moment history can show (ms since the epoch), if any.
    pub history_starts_at: Option<i64>,
}

/// `POST /api/maps/{id}/versions` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewVersion {
    /// 1 to [`MAX_VERSION_NAME_CHARS`] characters, e.g. "Before the workshop".
    pub name: String,
}

/// Longest version name, in characters.
pub const MAX_VERSION_NAME_CHARS: usize = 120;

/// The map as it was at a version or a moment (`GET .../versions/{v}/view`,
/// `GET .../history/view?at=`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PastView {
    /// When the state shown was current (the version's time, or the last change at or
    /// before the moment asked for).
    pub at: i64,
    pub view: MapView,
}

/// `GET /api/maps/{id}/diff?from=&to=` response: what changed from one to the other.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VersionDiff {
    pub from_at: i64,
    pub to_at: i64,
    pub changes: Vec<MapChange>,
}

/// One field of an element that changed: its value before and after (JSON).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FieldChange {
    /// Dotted path inside the element, e.g. `text`, `name`, `pos.stage`.
    pub field: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// One change in an element's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ElementChange {
    pub at: i64,
    pub author: ChangeAuthor,
    /// `created`, `changed`, `moved` (its stage or lane changed) or `deleted`.
    pub change: String,
    pub fields: Vec<FieldChange>,
}

/// `GET /api/maps/{id}/history?element=` response: oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ElementHistory {
    pub element: String,
    /// Where it lives in the document: `cards`, `stages`, `lanes`, `personas`, `meta`...
    pub root: Option<String>,
    pub changes: Vec<ElementChange>,
}

/// `POST /api/maps/{id}/restore` body: a version (or a moment), and optionally one
/// element to restore alone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Restore {
    /// A version id…
    #[serde(default)]
    pub version: Option<String>,
    /// …or a moment (ms since the epoch).
    #[serde(default)]
    pub at: Option<i64>,
    /// Only this element (a card, stage, lane or persona id, or a map field).
    #[serde(default)]
    pub element: Option<String>,
}

/// `POST /api/maps/{id}/restore` response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Restored {
    /// The version recorded just before the restore (restore it to undo).
    pub before: Version,
}

/// `GET /api/maps/{id}/since-last-visit` response (the call also records this visit).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SinceLastVisit {
    /// The previous visit, ms since the epoch (`None`: the first).
    pub last_visit_at: Option<i64>,
    /// Elements others changed since then.
    pub count: usize,
    /// What changed from the map as it was then to now.
    pub changes: Vec<MapChange>,
}

/// One stored change (a batch of one author's edits): where the history slider stops.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Moment {
    /// Milliseconds since the epoch; `GET .../history/view?at=` shows the map then.
    pub at: i64,
    pub author: ChangeAuthor,
    /// How many elements it changed.
    pub elements: usize,
}

/// `GET /api/maps/{id}/history/moments?from=&to=` response, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Moments {
    pub moments: Vec<Moment>,
    /// More changes happened in the range than [`MAX_MOMENTS`]; the newest are listed.
    pub truncated: bool,
}

/// Most moments one request lists.
pub const MAX_MOMENTS: usize = 500;
