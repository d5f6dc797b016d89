//! Who else is on the map (y-protocols awareness): the JSON each client publishes and
//! how it reads on screen.
//!
//! Own state: `{"user": {"name": ..., "color": ...}, "selected": <card id, "stage|lane"
//! for a cell, or null>}`; states of other Yjs clients may hold anything, and read
//! leniently.

use serde::{Deserialize, Serialize};

/// One client's published presence.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PresenceState {
    /// Who it is.
    #[serde(default)]
    pub user: PresenceUser,
    /// What they selected: a card id, a cell as `"stage|lane"`, or nothing.
    #[serde(default)]
    pub selected: Option<String>,
}

/// The person behind a client.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PresenceUser {
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// CSS color (`#rrggbb`).
    #[serde(default)]
    pub color: String,
}

/// A client on the map, as shown in the presence bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Peer {
    /// Its Yjs client id.
    pub client_id: u64,
    /// True for this browser tab.
    pub is_self: bool,
    /// What it published.
    pub state: PresenceState,
}

impl Peer {
    /// Up to two initials of the name (`?` when nameless).
    pub fn initials(&self) -> String {
        let initials: String = self
            .state
            .user
            .name
            .split_whitespace()
            .filter_map(|word| word.chars().next())
            .take(2)
            .flat_map(char::to_uppercase)
            .collect();
        if initials.is_empty() {
            "?".into()
        } else {
            initials
        }
    }

    /// Its color, or a neutral grey when it published none.
    pub fn color(&self) -> String {
        let color = &self.state.user.color;
        if color.starts_with('#') && color.len() <= 9 {
            color.clone()
        } else {
            "#667085".into()
        }
    }
}

/// Reads a published state leniently (`None` when it is not an object).
pub fn parse_state(json: &str) -> Option<PresenceState> {
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    let object = value.as_object()?;
    let user = object.get("user").and_then(|u| u.as_object());
    let text = |key: &str| {
        user.and_then(|u| u.get(key))
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    Some(PresenceState {
        user: PresenceUser {
            name: text("name"),
            color: text("color"),
        },
        selected: object
            .get("selected")
            .and_then(|s| s.as_str())
            .map(str::to_owned),
    })
}

pub use parcours_shared::presence::color_for;

/// The selection key of a cell.
pub fn cell_key(stage: &str, lane: &str) -> String {
    format!("{stage}|{lane}")
}
