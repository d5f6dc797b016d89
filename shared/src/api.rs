//! REST request and response bodies shared by the server and the web app.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::view::MapView;

/// A map's public id: 16 lowercase letters and digits, random, so ids cannot be guessed.
/// It is also the y-protocols room name (`/sync/{map_id}`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MapId(pub String);

impl MapId {
    /// Length of every generated id.
    pub const LEN: usize = 16;

    /// Accepts only what [`MapId`] generation produces: `LEN` chars of `[a-z0-9]`.
    pub fn parse(s: &str) -> Option<MapId> {
        let ok = s.len() == Self::LEN
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        ok.then(|| MapId(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MapId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The three shapes a journey can take.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItineraryKind {
    /// One ordered path through the stages.
    #[default]
    Linear,
    /// The customer hops between channels; channel switches are first-class.
    Omnichannel,
    /// Alternative paths per segment or persona, each with the condition that selects it.
    Personalized,
}

impl ItineraryKind {
    pub const ALL: [ItineraryKind; 3] = [
        ItineraryKind::Linear,
        ItineraryKind::Omnichannel,
        ItineraryKind::Personalized,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItineraryKind::Linear => "linear",
            ItineraryKind::Omnichannel => "omnichannel",
            ItineraryKind::Personalized => "personalized",
        }
    }

    pub fn parse(s: &str) -> Option<ItineraryKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// `POST /api/maps` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreateMap {
    /// 1 to [`MAX_TITLE_CHARS`] characters after trimming.
    pub title: String,
    #[serde(default)]
    pub itinerary: ItineraryKind,
}

/// Longest accepted map title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;

/// One map in `GET /api/maps`, and the head of `GET /api/maps/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapSummary {
    pub id: MapId,
    pub title: String,
    pub itinerary: ItineraryKind,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    /// Milliseconds since the Unix epoch of the last persisted edit.
    pub updated_at: i64,
    pub archived: bool,
}

/// `GET /api/maps` response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapList {
    pub maps: Vec<MapSummary>,
}

/// `GET /api/maps/{id}` response: metadata plus the JSON view of the live document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapDetail {
    #[serde(flatten)]
    pub summary: MapSummary,
    pub view: MapView,
}

/// `PATCH /api/maps/{id}` body (archive or restore).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UpdateMap {
    pub archived: Option<bool>,
}

/// Every error response: a stable machine `code` and a human `message`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}
