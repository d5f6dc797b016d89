//! Who else is on the map (y-protocols awareness): the JSON each client publishes and
//! how it reads on screen.
//!
//! Own state: `{"user": {"name": ..., "color": ...}, "selected": <card id, "stage|lane"
//! for a cell, or null>, "view": {"stage", "x", "y", "page", "step", "lead", "following"}}`
//! (`view`, what this person looks at, is what followers follow); states of other Yjs
//! clients may hold anything, and read leniently.

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
    /// What they look at, for those who follow them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<ViewState>,
}

/// Where a person is on the map: what a follower's page copies.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ViewState {
    /// The stage at the board's left edge (shown as "at <stage>").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// The board's horizontal and vertical scroll, CSS pixels (stage columns and lanes
    /// have the same size on every screen).
    #[serde(default)]
    pub x: f64,
    #[serde(default)]
    pub y: f64,
    /// The page's own vertical scroll, CSS pixels.
    #[serde(default)]
    pub page: f64,
    /// The presentation step shown, while presenting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    /// When (ms since the epoch) this person asked everyone to follow them; cleared
    /// when they stop asking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<f64>,
    /// The client this person follows (while following, their own scrolling is the
    /// leader's and is not published again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub following: Option<u64>,
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
    /// May edit the map (owners and editors): written by the server, never claimed by
    /// the client; only such people's requests to follow them are honoured.
    #[serde(default, skip_serializing)]
    pub editor: bool,
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
            editor: user
                .and_then(|u| u.get("editor"))
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
        },
        selected: object
            .get("selected")
            .and_then(|s| s.as_str())
            .map(str::to_owned),
        // Anything malformed (a string for a number, a negative step) reads as no view.
        view: object
            .get("view")
            .and_then(|v| serde_json::from_value::<ViewState>(v.clone()).ok())
            .filter(|v| v.x.is_finite() && v.y.is_finite() && v.page.is_finite()),
    })
}

pub use parcours_shared::presence::color_for;

/// The selection key of a cell.
pub fn cell_key(stage: &str, lane: &str) -> String {
    format!("{stage}|{lane}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_reads_back_and_a_malformed_one_reads_as_none() {
        let json = r##"{"user":{"name":"Ana","color":"#d92d20"},"selected":null,
            "view":{"stage":"s2","x":500.5,"y":10,"page":0,"step":3,"lead":1700000000000}}"##;
        let state = parse_state(json).expect("a state");
        let view = state.view.clone().expect("a view");
        assert_eq!(view.stage.as_deref(), Some("s2"));
        assert_eq!((view.x, view.y, view.step), (500.5, 10.0, Some(3)));
        assert_eq!(view.lead, Some(1.7e12));
        assert_eq!(view.following, None);
        // Round trip: what a tab publishes is what others read.
        let again = parse_state(
            &serde_json::to_string(&PresenceState {
                view: Some(view.clone()),
                ..state.clone()
            })
            .expect("json"),
        )
        .expect("a state");
        assert_eq!(again.view, Some(view));

        for bad in [
            r#"{"view":{"x":"far"}}"#,
            r#"{"view":{"step":-1}}"#,
            r#"{"view":{"following":"someone"}}"#,
            r#"{"view":[1,2]}"#,
        ] {
            let state = parse_state(bad).expect("still a state");
            assert_eq!(state.view, None, "{bad}");
        }
        // The server's word on who edits reads back; a tab never claims it itself.
        let stamped = parse_state(r#"{"user":{"name":"Ana","editor":true}}"#).expect("a state");
        assert!(stamped.user.editor);
        let own = serde_json::to_string(&stamped).expect("json");
        assert!(!own.contains("editor"), "{own}");
        // No view at all: none, and nothing is published for it.
        let plain = PresenceState::default();
        assert!(!serde_json::to_string(&plain)
            .expect("json")
            .contains("view"));
    }
}
