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
    /// Ignored when `template` is not blank: the template's own kind is used.
    #[serde(default)]
    pub itinerary: ItineraryKind,
    /// Content to start from (blank by default).
    #[serde(default)]
    pub template: crate::templates::Template,
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
    /// The caller's role on this map.
    pub role: Role,
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

// ---------------------------------------------------------------------------------
// Accounts, sessions and sharing.

/// An account's public id: 16 random `[a-z0-9]` characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub String);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a person may do on one map, from most to least.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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

/// `POST /api/auth/signup` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignUp {
    pub email: String,
    pub display_name: String,
    /// At least [`MIN_PASSWORD_CHARS`] characters.
    pub password: String,
}

/// Shortest accepted password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// `POST /api/auth/login` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Login {
    pub email: String,
    pub password: String,
}

/// `POST /api/auth/password` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: String,
}

/// The signed-in account (`GET /api/me`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    /// The instance admin (the first account created).
    pub is_admin: bool,
}

/// Answer to sign-up and login: the account and a bearer token. The browser also gets
/// the token as an HttpOnly cookie and need not keep it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub user: Me,
    pub token: String,
    /// Milliseconds since the epoch.
    pub expires_at: i64,
}

/// One member of a map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

/// An invitation to an email without an account yet; it becomes a membership when
/// that email signs up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Invitation {
    pub email: String,
    pub role: Role,
    pub invited_at: i64,
}

/// `GET /api/maps/{id}/members` response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberList {
    pub members: Vec<Member>,
    pub invitations: Vec<Invitation>,
}

/// `POST /api/maps/{id}/members` body: invite by email with a role.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Invite {
    pub email: String,
    pub role: Role,
}

/// `POST /api/maps/{id}/members` response: the new member (201), or the pending
/// invitation when no account has that email yet (202).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InviteResult {
    pub member: Option<Member>,
    pub invitation: Option<Invitation>,
}

/// `PATCH /api/maps/{id}/members/{user_id}` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeRole {
    pub role: Role,
}

/// `POST /api/maps/{id}/transfer` body: make `user_id` (a member) the owner; the
/// caller becomes an editor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TransferOwnership {
    pub user_id: UserId,
}

/// `POST /api/maps/{id}/links` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreateLink {
    /// Viewer, commenter or editor (never owner).
    pub role: Role,
    /// Optional expiry, ms since the epoch (must be in the future).
    #[serde(default)]
    pub expires_at: Option<i64>,
    /// A public read-only link: anyone with it may view without an account. Only with
    /// `role: viewer`.
    #[serde(default)]
    pub public: bool,
}

/// A share link. `token` is only present in the answer to its creation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShareLink {
    pub id: String,
    pub role: Role,
    pub public: bool,
    pub expires_at: Option<i64>,
    pub created_at: i64,
    pub revoked: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// `GET /api/maps/{id}/links` response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkList {
    pub links: Vec<ShareLink>,
}

/// `POST /api/links/{token}/accept` response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AcceptedLink {
    pub map_id: MapId,
    pub role: Role,
}

/// One line of a map's access audit trail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: i64,
    /// Who did it (None: the system, e.g. an invitation claimed at sign-up).
    pub actor: Option<UserId>,
    /// `member_added`, `role_changed`, `member_removed`, `ownership_transferred`,
    /// `invitation_created`, `invitation_claimed`, `link_created`, `link_revoked`,
    /// `link_accepted`, `map_created`, `map_archived`, `map_restored`.
    pub action: String,
    /// The account or link acted on, when any.
    pub target: Option<String>,
    /// Human details, e.g. `viewer -> editor`.
    pub detail: String,
}

/// `GET /api/maps/{id}/audit` response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditLog {
    pub entries: Vec<AuditEntry>,
}
