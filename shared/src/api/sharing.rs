//! Sharing a map: members and roles, invitations, share links, transfer, the audit
//! trail (`/api/maps/{id}/members`, `/invitations`, `/links`, `/transfer`, `/audit`,
//! `/api/invitations/{token}`).

use serde::{Deserialize, Serialize};

use crate::ids::{MapId, Role, UserId};

/// One member of a map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Member {
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

/// A pending invitation (owners only see these). It carries a single-use secret sent as
/// a link; only that link turns it into a membership.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Invitation {
    pub id: String,
    /// The address it was sent to.
    pub email: String,
    pub role: Role,
    /// Milliseconds since the epoch.
    pub invited_at: i64,
    /// After this (ms since the epoch) the link no longer works.
    pub expires_at: i64,
    /// False for an invitation made before invitations had links: send it again.
    pub has_link: bool,
}

/// How long an invitation link works, in days.
pub const INVITATION_DAYS: i64 = 14;

/// `GET /api/maps/{id}/members` response. `invitations` is empty unless the caller
/// owns the map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MemberList {
    pub members: Vec<Member>,
    #[serde(default)]
    pub invitations: Vec<Invitation>,
}

/// `POST /api/maps/{id}/members` body: invite by email with a role.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Invite {
    pub email: String,
    pub role: Role,
}

/// `POST /api/maps/{id}/members` (and `POST .../invitations/{id}/resend`) response
/// (201): the invitation and its link, shown this once (only a hash is kept).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InviteResult {
    pub invitation: Invitation,
    /// The path to open, `/invite/{secret}`, for the owner to pass on.
    pub link: String,
    /// The link was mailed to the address (the server has SMTP configured).
    pub emailed: bool,
    /// An account with that address exists: it also got an inbox item.
    pub existing_account: bool,
}

/// `GET /api/invitations/{token}` response: what the link invites to, for the page that
/// accepts it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InvitationPreview {
    pub map_id: MapId,
    pub map_title: String,
    pub role: Role,
    /// Who sent it (display name).
    pub invited_by: String,
    /// The address it was sent to.
    pub email: String,
    pub expires_at: i64,
}

/// `POST /api/invitations/{token}/accept` (and the inbox's accept) response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AcceptedInvitation {
    pub map_id: MapId,
    /// The role the account now has on the map (an invitation never lowers one).
    pub role: Role,
}

/// `PATCH /api/maps/{id}/members/{user_id}` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChangeRole {
    pub role: Role,
}

/// `POST /api/maps/{id}/transfer` body: make `user_id` (a member) the owner; the
/// caller becomes an editor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TransferOwnership {
    pub user_id: UserId,
}

/// `POST /api/maps/{id}/links` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// For a public link: its visitors also read the map's comment threads and review
    /// rounds (never write them). Off by default: a public link shows the map, not the
    /// team's discussion.
    #[serde(default)]
    pub include_comments: bool,
}

/// A share link. `token` is only present in the answer to its creation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ShareLink {
    pub id: String,
    pub role: Role,
    pub public: bool,
    /// A public link whose visitors also read comments and review rounds.
    #[serde(default)]
    pub include_comments: bool,
    pub expires_at: Option<i64>,
    pub created_at: i64,
    pub revoked: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// `GET /api/maps/{id}/links` response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LinkList {
    pub links: Vec<ShareLink>,
}

/// `POST /api/links/{token}/accept` response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AcceptedLink {
    pub map_id: MapId,
    pub role: Role,
}

/// One line of a map's access audit trail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditEntry {
    /// Its place in the trail (ask for the next page with `?after=` this).
    #[serde(default)]
    pub id: i64,
    pub at: i64,
    /// Who did it (None: the system, e.g. an invitation claimed at sign-up).
    pub actor: Option<UserId>,
    /// `member_added`, `role_changed`, `member_removed`, `ownership_transferred`,
    /// `invitation_created`, `invitation_accepted`, `invitation_revoked`, `link_created`,
    /// `link_revoked`,
    /// `link_accepted`, `map_created`, `map_archived`, `map_restored`.
    pub action: String,
    /// The account or link acted on, when any.
    pub target: Option<String>,
    /// Human details, e.g. `viewer -> editor`.
    pub detail: String,
}

/// `GET /api/maps/{id}/audit` response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditLog {
    /// Oldest first.
    pub entries: Vec<AuditEntry>,
    /// Later entries exist: ask for them with `?after=<the last entry's id>`.
    #[serde(default)]
    pub more: bool,
}
