//! Comment threads, review rounds and the inbox (`/api/maps/{id}/threads`,
//! `/rounds`, `/api/inbox`).

use serde::{Deserialize, Serialize};

use crate::ids::{MapId, UserId};
use crate::view::MapView;
use crate::words::{fill_values, form_of, Worded};

/// Longest accepted comment body, in characters.
pub const MAX_COMMENT_CHARS: usize = 10_000;
/// Longest accepted review-round title, in characters.
pub const MAX_ROUND_TITLE_CHARS: usize = 200;
/// Longest accepted review-round instructions or review summary, in characters.
pub const MAX_ROUND_TEXT_CHARS: usize = 10_000;

/// What kind of map element a thread is anchored on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewComment {
    pub body: String,
}

/// `PATCH /api/maps/{id}/threads/{tid}/comments/{cid}` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EditComment {
    pub body: String,
}

/// Answer to a new thread: the thread, and the `@names` that are not members of the
/// map (nobody was told; the map was not revealed to them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PostedThread {
    pub thread: Thread,
    pub mentions_without_access: Vec<String>,
}

/// Answer to a new or edited comment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PostedComment {
    pub thread_id: String,
    pub comment: Comment,
    /// `@names` that are not members of the map: nobody was told.
    pub mentions_without_access: Vec<String>,
}

/// `GET /api/maps/{id}/threads` response (oldest first).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ThreadList {
    pub threads: Vec<Thread>,
    /// Later threads exist: ask for them with `?after=<the last thread's id>`.
    #[serde(default)]
    pub more: bool,
}

/// A reviewer's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReviewDone {
    pub verdict: Verdict,
    #[serde(default)]
    pub summary: Option<String>,
}

/// `GET /api/maps/{id}/rounds` response, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RoundList {
    pub rounds: Vec<Round>,
}

/// What a closed round amounts to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RoundDetail {
    pub round: Round,
    pub summary: Option<RoundSummary>,
}

/// Why an inbox item was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// Someone invited the account's address to a map (accept it from the inbox once
    /// the address is verified, or with the link sent to it).
    Invitation,
}

impl InboxKind {
    pub const ALL: [InboxKind; 6] = [
        InboxKind::Mention,
        InboxKind::Reply,
        InboxKind::ReviewRequest,
        InboxKind::RoundDueSoon,
        InboxKind::RoundClosed,
        InboxKind::Invitation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InboxKind::Mention => "mention",
            InboxKind::Reply => "reply",
            InboxKind::ReviewRequest => "review_request",
            InboxKind::RoundDueSoon => "round_due_soon",
            InboxKind::RoundClosed => "round_closed",
            InboxKind::Invitation => "invitation",
        }
    }

    pub fn parse(s: &str) -> Option<InboxKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One notification of an account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InboxItem {
    pub id: i64,
    pub kind: InboxKind,
    pub map_id: MapId,
    pub thread_id: Option<String>,
    pub round_id: Option<String>,
    /// One line for a person, e.g. `Ana mentioned you on "Onboarding": ...` (English).
    pub text: String,
    /// The same line as a form of [`INBOX_FORMS`] and its values, for a reader that
    /// words it in another language; `null` on items from before it was kept.
    #[serde(default)]
    pub parts: Option<Worded>,
    pub created_at: i64,
    pub read: bool,
}

/// The inbox items' forms in English, by code (an item's `parts.form`). Values:
/// `author` (a display name), `map` (a map title), `quote` (the start of a comment),
/// `round` (a round title), `hours` (a whole number), `role` (`owner`, `editor`,
/// `commenter` or `viewer`).
pub const INBOX_FORMS: &[(&str, &str)] = &[
    ("mention", "{author} mentioned you on \"{map}\": {quote}"),
    ("reply", "{author} replied on \"{map}\": {quote}"),
    (
        "review_request",
        "{author} asks you to review \"{map}\": {round}",
    ),
    (
        "round_closed",
        "Review round \"{round}\" on \"{map}\" was closed",
    ),
    (
        "round_closed_at_due_date",
        "Review round \"{round}\" on \"{map}\" closed at its due date",
    ),
    (
        "round_due_soon",
        "Review round \"{round}\" on \"{map}\" is due in {hours} h and your review is not done",
    ),
    ("invitation", "{author} invited you to “{map}” as {role}"),
];

/// An inbox item's line in English from its parts (`None` for an unknown form).
pub fn inbox_english(parts: &Worded) -> Option<String> {
    form_of(INBOX_FORMS, &parts.form).map(|form| fill_values(form, &parts.values))
}

/// `GET /api/inbox` response: newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MarkRead {
    #[serde(default)]
    pub ids: Vec<i64>,
    #[serde(default)]
    pub all: bool,
}

/// What `GET /api/maps/{id}/events` streams (Server-Sent Events, one JSON object per
/// `data:` line, tagged by `type`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// An event log is being imported: rows read so far.
    DatasetProgress {
        dataset: String,
        rows: u64,
        bad_rows: u64,
        bytes: u64,
    },
    /// An import finished.
    DatasetReady {
        dataset: super::Dataset,
    },
    /// A dataset was deleted.
    DatasetDeleted {
        dataset: String,
    },
    /// A dataset's mapping changed: its analysis reads differently now.
    EvidenceChanged {
        dataset: String,
    },
}

impl MapEvent {
    /// Whether the event is about the map's evidence (datasets), not its discussion.
    pub fn is_evidence(&self) -> bool {
        matches!(
            self,
            MapEvent::DatasetProgress { .. }
                | MapEvent::DatasetReady { .. }
                | MapEvent::DatasetDeleted { .. }
                | MapEvent::EvidenceChanged { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each form gives, from its parts, the very line the server wrote before it kept
    /// them (the formats below are the server's former ones).
    #[test]
    fn inbox_lines_from_parts_are_the_former_english() {
        let (author, title, quote, round) = ("Ana", "Onboarding {map}", "see {author}", "R1");
        let cases = [
            (
                Worded::new(
                    "mention",
                    &[("author", &author), ("map", &title), ("quote", &quote)],
                ),
                format!("{author} mentioned you on \"{title}\": {quote}"),
            ),
            (
                Worded::new(
                    "reply",
                    &[("author", &author), ("map", &title), ("quote", &quote)],
                ),
                format!("{author} replied on \"{title}\": {quote}"),
            ),
            (
                Worded::new(
                    "review_request",
                    &[("author", &author), ("map", &title), ("round", &round)],
                ),
                format!("{author} asks you to review \"{title}\": {round}"),
            ),
            (
                Worded::new("round_closed", &[("round", &round), ("map", &title)]),
                format!("Review round \"{round}\" on \"{title}\" was closed"),
            ),
            (
                Worded::new(
                    "round_closed_at_due_date",
                    &[("round", &round), ("map", &title)],
                ),
                format!("Review round \"{round}\" on \"{title}\" closed at its due date"),
            ),
            (
                Worded::new(
                    "round_due_soon",
                    &[("round", &round), ("map", &title), ("hours", &7)],
                ),
                format!(
                    "Review round \"{round}\" on \"{title}\" is due in 7 h and your review is not done"
                ),
            ),
            (
                Worded::new(
                    "invitation",
                    &[("author", &author), ("map", &title), ("role", &"editor")],
                ),
                format!("{author} invited you to “{title}” as editor"),
            ),
        ];
        assert_eq!(cases.len(), INBOX_FORMS.len());
        for (parts, line) in cases {
            assert_eq!(inbox_english(&parts).as_deref(), Some(line.as_str()));
        }
        assert_eq!(inbox_english(&Worded::new("unknown", &[])), None);
    }
}
