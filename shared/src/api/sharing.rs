//! Sharing a map: members and roles, invitations, share links, transfer, the audit
//! trail (`/api/maps/{id}/members`, `/links`, `/transfer`, `/audit`).

use serde::{Deserialize, Serialize};

use crate::ids::{MapId, Role, UserId};

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
