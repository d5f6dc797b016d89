//! Maps: create, list, read, archive (`/api/maps`).

use serde::{Deserialize, Serialize};

use crate::ids::{MapId, Role};
use crate::method::MethodStep;
use crate::schema::ItineraryKind;
use crate::view::MapView;

/// `POST /api/maps` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CreateMap {
    /// 1 to [`MAX_TITLE_CHARS`] characters after trimming.
    pub title: String,
    /// Ignored when `template` is not blank: the template's own kind is used.
    #[serde(default)]
    pub itinerary: ItineraryKind,
    /// Content to start from (blank by default).
    #[serde(default)]
    pub template: crate::templates::Template,
    /// The language of the template's content, its default title and the default
    /// lanes' names (`en` by default).
    #[serde(default)]
    pub language: crate::Language,
}

/// Longest accepted map title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;

/// One map in `GET /api/maps`, and the head of `GET /api/maps/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MapSummary {
    pub id: MapId,
    pub title: String,
    pub itinerary: ItineraryKind,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    /// Milliseconds since the Unix epoch of the last persisted edit.
    pub updated_at: i64,
    pub archived: bool,
    /// The caller's role on this map.
    pub role: Role,
    /// Display names of the people connected to the map right now (in `GET /api/maps`).
    #[serde(default)]
    pub online: Vec<String>,
    /// The steps of the method the map passes, in method order (of six; see
    /// `parcours_shared::method`). The document's steps are as of its last written
    /// edit; validation (a closed review round or an imported event log) as of now.
    #[serde(default)]
    pub method_done: Vec<MethodStep>,
}

/// `GET /api/maps` response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MapList {
    pub maps: Vec<MapSummary>,
}

/// `GET /api/maps/{id}` response: metadata plus the JSON view of the live document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MapDetail {
    #[serde(flatten)]
    pub summary: MapSummary,
    pub view: MapView,
    /// The caller may read the map's threads and review rounds: every member, and a
    /// public-link visitor only when the link was made to show them.
    #[serde(default = "yes")]
    pub discussion: bool,
}

fn yes() -> bool {
    true
}

/// `PATCH /api/maps/{id}` body (archive or restore).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UpdateMap {
    pub archived: Option<bool>,
}
