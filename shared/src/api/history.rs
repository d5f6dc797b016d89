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

/// The name of the version kept just before a restore (`kind` `restore`), in English.
pub const RESTORE_VERSION_NAME: &str = "Before restore";

/// The name a review round's opening gives its version (`kind` `round`), in English.
pub const ROUND_VERSION_FORM: &str = "Round opened: {title}";

impl Version {
    /// The English name of the version a round titled `title` opens.
    pub fn round_name(title: &str) -> String {
        crate::words::fill(ROUND_VERSION_FORM, |name| {
            (name == "title").then(|| title.to_owned())
        })
    }

    /// A `round` version's round title, read back from its name ([`Version::round_name`]);
    /// `None` for any other version or a name of another form.
    pub fn round_title(&self) -> Option<String> {
        if self.kind != "round" {
            return None;
        }
        crate::words::unfill(ROUND_VERSION_FORM, self.name.as_deref()?)?.remove("title")
    }
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

#[cfg(test)]
mod round_version_tests {
    use super::*;

    fn version(kind: &str, name: Option<String>) -> Version {
        Version {
            id: "v".into(),
            kind: kind.into(),
            name,
            at: 0,
            created_by: None,
            authors: vec![],
            summary: String::new(),
        }
    }

    #[test]
    fn a_rounds_version_name_reads_back_its_title() {
        let name = Version::round_name("Pricing review");
        assert_eq!(name, "Round opened: Pricing review");
        let title = |kind, name: &str| version(kind, Some(name.to_owned())).round_title();
        assert_eq!(title("round", &name).as_deref(), Some("Pricing review"));
        // A title holding the form's own words or braces comes back as written.
        let odd = "Round opened: {title} x";
        assert_eq!(
            title("round", &Version::round_name(odd)).as_deref(),
            Some(odd)
        );
        assert_eq!(title("named", &name), None, "only round versions");
        assert_eq!(title("round", "Before the workshop"), None, "another form");
        assert_eq!(version("round", None).round_title(), None);
    }
}
