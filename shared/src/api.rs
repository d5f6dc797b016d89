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
    /// Display names of the people connected to the map right now (in `GET /api/maps`).
    #[serde(default)]
    pub online: Vec<String>,
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

// ---------------------------------------------------------------------------------
// Comment threads, review rounds and the inbox.

/// Longest accepted comment body, in characters.
pub const MAX_COMMENT_CHARS: usize = 10_000;
/// Longest accepted review-round title, in characters.
pub const MAX_ROUND_TITLE_CHARS: usize = 200;
/// Longest accepted review-round instructions or review summary, in characters.
pub const MAX_ROUND_TEXT_CHARS: usize = 10_000;

/// What kind of map element a thread is anchored on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnchorKind {
    /// A card (`id`: the card id).
    Card,
    /// A stage, a column (`id`: the stage id).
    Stage,
    /// A lane, a row (`id`: the lane id).
    Lane,
    /// A stage × lane cell (`id`: `"stage_id|lane_id"`).
    Cell,
    /// The map as a whole (no `id`).
    Map,
}

impl AnchorKind {
    pub const ALL: [AnchorKind; 5] = [
        AnchorKind::Card,
        AnchorKind::Stage,
        AnchorKind::Lane,
        AnchorKind::Cell,
        AnchorKind::Map,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AnchorKind::Card => "card",
            AnchorKind::Stage => "stage",
            AnchorKind::Lane => "lane",
            AnchorKind::Cell => "cell",
            AnchorKind::Map => "map",
        }
    }

    pub fn parse(s: &str) -> Option<AnchorKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a thread is anchored.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Anchor {
    pub kind: AnchorKind,
    /// The element's id; `"stage_id|lane_id"` for a cell; `None` for the map.
    #[serde(default)]
    pub id: Option<String>,
}

impl Anchor {
    /// Whether the anchored element exists in `view`. The map always does; a card
    /// whose cell is gone (an orphan card) still exists.
    pub fn exists_in(&self, view: &MapView) -> bool {
        let Some(id) = self.id.as_deref() else {
            return self.kind == AnchorKind::Map;
        };
        let stage = |id: &str| view.stages.iter().any(|s| s.id == id);
        let lane = |id: &str| view.lanes.iter().any(|l| l.id == id);
        match self.kind {
            AnchorKind::Card => view
                .cards
                .iter()
                .chain(&view.orphan_cards)
                .any(|c| c.id == id),
            AnchorKind::Stage => stage(id),
            AnchorKind::Lane => lane(id),
            AnchorKind::Cell => id.split_once('|').is_some_and(|(s, l)| stage(s) && lane(l)),
            AnchorKind::Map => false,
        }
    }
}

/// One comment of a thread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub id: String,
    pub author: UserId,
    /// The author's display name now.
    pub author_name: String,
    /// Empty once deleted.
    pub body: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    /// Deleted by its author: kept in place, without its text.
    pub deleted: bool,
    /// Members the body mentions.
    pub mentions: Vec<UserId>,
}

/// A conversation anchored on a map element.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Thread {
    pub id: String,
    pub map_id: MapId,
    pub anchor: Anchor,
    /// The anchored element no longer exists in the map; the thread is kept.
    pub detached: bool,
    /// The review round it was opened for, if any.
    pub round_id: Option<String>,
    pub created_by: UserId,
    pub created_at: i64,
    pub resolved: bool,
    pub resolved_by: Option<UserId>,
    pub resolved_at: Option<i64>,
    /// Oldest first.
    pub comments: Vec<Comment>,
}

/// `POST /api/maps/{id}/threads` body: a thread and its first comment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewThread {
    pub anchor: Anchor,
    /// 1 to [`MAX_COMMENT_CHARS`] characters.
    pub body: String,
    /// An open review round of the map this thread belongs to.
    #[serde(default)]
    pub round_id: Option<String>,
}

/// `POST /api/maps/{id}/threads/{tid}/comments` body (a reply).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewComment {
    pub body: String,
}

/// `PATCH /api/maps/{id}/threads/{tid}/comments/{cid}` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditComment {
    pub body: String,
}

/// Answer to a new thread: the thread, and the `@names` that are not members of the
/// map (nobody was told; the map was not revealed to them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostedThread {
    pub thread: Thread,
    pub mentions_without_access: Vec<String>,
}

/// Answer to a new or edited comment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostedComment {
    pub thread_id: String,
    pub comment: Comment,
    /// `@names` that are not members of the map: nobody was told.
    pub mentions_without_access: Vec<String>,
}

/// `GET /api/maps/{id}/threads` response (oldest first).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadList {
    pub threads: Vec<Thread>,
}

/// A reviewer's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Approve,
    ChangesRequested,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Approve => "approve",
            Verdict::ChangesRequested => "changes_requested",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        [Verdict::Approve, Verdict::ChangesRequested]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// One reviewer of a round and where they are.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reviewer {
    pub user_id: UserId,
    pub display_name: String,
    /// When they marked their review done (`None`: not yet).
    pub done_at: Option<i64>,
    pub verdict: Option<Verdict>,
    pub summary: Option<String>,
}

/// A review round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Round {
    pub id: String,
    pub map_id: MapId,
    pub title: String,
    pub instructions: String,
    /// Milliseconds since the epoch.
    pub due_at: i64,
    pub opened_by: UserId,
    pub opened_at: i64,
    /// `None` while open.
    pub closed_at: Option<i64>,
    /// Who closed it by hand (`None` when open or closed at its due date).
    pub closed_by: Option<UserId>,
    /// Closed by the server at its due date.
    pub auto_closed: bool,
    pub reviewers: Vec<Reviewer>,
}

/// `POST /api/maps/{id}/rounds` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewRound {
    /// 1 to [`MAX_ROUND_TITLE_CHARS`] characters.
    pub title: String,
    #[serde(default)]
    pub instructions: String,
    /// In the future, ms since the epoch.
    pub due_at: i64,
    /// Members who may comment (commenters and above).
    pub reviewers: Vec<UserId>,
}

/// `POST /api/maps/{id}/rounds/{rid}/review` body: the caller's review is done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewDone {
    pub verdict: Verdict,
    #[serde(default)]
    pub summary: Option<String>,
}

/// `GET /api/maps/{id}/rounds` response, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundList {
    pub rounds: Vec<Round>,
}

/// What a closed round amounts to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundSummary {
    /// The round, with its reviewers and their verdicts.
    pub round: Round,
    /// Ids of the map's threads opened while the round was open.
    pub threads_opened: Vec<String>,
    /// Ids of the map's threads resolved while the round was open.
    pub threads_resolved: Vec<String>,
    /// What changed on the map between the round's opening and now.
    pub changes: Vec<crate::review::MapChange>,
}

/// `GET /api/maps/{id}/rounds/{rid}` response: the round, and its summary once closed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundDetail {
    pub round: Round,
    pub summary: Option<RoundSummary>,
}

/// Why an inbox item was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InboxKind {
    /// Someone mentioned the account in a comment.
    Mention,
    /// Someone replied in a thread the account took part in.
    Reply,
    /// The account is asked to review a round.
    ReviewRequest,
    /// A round the account has not reviewed yet is due within a day.
    RoundDueSoon,
    /// A round the account reviewed or opened was closed.
    RoundClosed,
}

impl InboxKind {
    pub const ALL: [InboxKind; 5] = [
        InboxKind::Mention,
        InboxKind::Reply,
        InboxKind::ReviewRequest,
        InboxKind::RoundDueSoon,
        InboxKind::RoundClosed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InboxKind::Mention => "mention",
            InboxKind::Reply => "reply",
            InboxKind::ReviewRequest => "review_request",
            InboxKind::RoundDueSoon => "round_due_soon",
            InboxKind::RoundClosed => "round_closed",
        }
    }

    pub fn parse(s: &str) -> Option<InboxKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One notification of an account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InboxItem {
    pub id: i64,
    pub kind: InboxKind,
    pub map_id: MapId,
    pub thread_id: Option<String>,
    pub round_id: Option<String>,
    /// One line for a person, e.g. `Ana mentioned you on "Onboarding": ...`.
    pub text: String,
    pub created_at: i64,
    pub read: bool,
}

/// `GET /api/inbox` response: newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inbox {
    pub items: Vec<InboxItem>,
    /// Unread items in all (not only those listed).
    pub unread: i64,
    /// Older items exist: ask for them with `?before=<the last item's id>`.
    #[serde(default)]
    pub more: bool,
}

/// Items a page of `GET /api/inbox` holds unless `?limit=` says otherwise.
pub const INBOX_PAGE: i64 = 50;
/// The most `?limit=` may ask for.
pub const INBOX_PAGE_MAX: i64 = 200;

/// `POST /api/inbox/read` body: these items, or all of them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MarkRead {
    #[serde(default)]
    pub ids: Vec<i64>,
    #[serde(default)]
    pub all: bool,
}

/// What `GET /api/maps/{id}/events` streams (Server-Sent Events, one JSON object per
/// `data:` line, tagged by `type`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MapEvent {
    ThreadCreated {
        thread: Thread,
    },
    CommentAdded {
        thread_id: String,
        comment: Comment,
    },
    CommentEdited {
        thread_id: String,
        comment: Comment,
    },
    CommentDeleted {
        thread_id: String,
        comment_id: String,
    },
    ThreadResolved {
        thread: Thread,
    },
    ThreadReopened {
        thread: Thread,
    },
    RoundOpened {
        round: Round,
    },
    ReviewDone {
        round: Round,
    },
    RoundClosed {
        round: Round,
    },
}
