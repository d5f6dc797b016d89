//! Ids and roles: what every part of Parcours names maps, accounts and permissions by.
//! Kept apart from the REST bodies so the schema, views, templates, the store and the
//! rooms can name a map or a role without importing the API.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A map's public id: 16 lowercase letters and digits, random, so ids cannot be guessed.
/// It is also the y-protocols room name (`/sync/{map_id}`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// An account's public id: 16 random `[a-z0-9]` characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct UserId(pub String);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a person may do on one map, from most to least.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads the map and its presence.
    Viewer,
    /// Reads, and comments (comment rounds).
    Commenter,
    /// Edits the map live.
    Editor,
    /// Edits, shares, changes roles, archives and deletes.
    Owner,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::Editor, Role::Commenter, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Editor => "editor",
            Role::Commenter => "commenter",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// May change the map's document.
    pub fn can_edit(self) -> bool {
        self >= Role::Editor
    }

    /// May comment.
    pub fn can_comment(self) -> bool {
        self >= Role::Commenter
    }

    /// May share, change roles, archive and delete.
    pub fn is_owner(self) -> bool {
        self == Role::Owner
    }
}
