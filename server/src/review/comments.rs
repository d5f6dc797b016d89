//! Comment threads as a domain: a thread's REST shape (detached when its element is
//! gone), checks on what a comment says and where it is anchored, who it mentions, and
//! who is told in their inbox.

use std::collections::HashMap;

use parcours_shared::api::{
    Anchor, AnchorKind, Comment, InboxKind, Member, Thread, MAX_COMMENT_CHARS,
};
use parcours_shared::ids::{MapId, UserId};
use parcours_shared::review::{find_mentions, Mentionable};
use parcours_shared::view::MapView;
use parcours_shared::words::Worded;

use super::{excerpt, Review};
use crate::error::ApiError;
use crate::store::{CommentRecord, NewInboxItem, StoreError, ThreadRecord, UserRecord};

/// The REST shape of a thread; `detached` when its element is gone from `view`.
pub fn thread_view(t: ThreadRecord, comments: Vec<CommentRecord>, view: &MapView) -> Thread {
    Thread {
        detached: !t.anchor.exists_in(view),
        id: t.id,
        map_id: t.map_id,
        anchor: t.anchor,
        round_id: t.round_id,
        created_by: t.created_by,
        created_at: t.created_at,
        resolved: t.resolved_at.is_some(),
        resolved_by: t.resolved_by,
        resolved_at: t.resolved_at,
        comments: comments.into_iter().map(comment_view).collect(),
    }
}

pub fn comment_view(c: CommentRecord) -> Comment {
    Comment {
        id: c.id,
        author: c.author,
        author_name: c.author_name,
        body: c.body,
        created_at: c.created_at,
        edited_at: c.edited_at,
        deleted: c.deleted_at.is_some(),
        mentions: c.mentions,
    }
}

/// The caller opened, commented in, or is mentioned in the thread.
pub fn involves(t: &Thread, me: &UserId) -> bool {
    &t.created_by == me
        || t.comments
            .iter()
            .any(|c| &c.author == me || c.mentions.contains(me))
}

/// A comment body is not empty and not longer than [`MAX_COMMENT_CHARS`].
pub fn check_body(body: &str) -> Result<(), ApiError> {
    if body.trim().is_empty() {
        return Err(ApiError::invalid(
            "invalid_body_text",
            "a comment must not be empty",
        ));
    }
    if body.chars().count() > MAX_COMMENT_CHARS {
        return Err(ApiError::invalid(
            "invalid_body_text",
            format!("a comment is at most {MAX_COMMENT_CHARS} characters"),
        ));
    }
    Ok(())
}

/// The anchor, if its element exists in the live map now.
pub fn check_anchor(anchor: Anchor, view: &MapView) -> Result<Anchor, ApiError> {
    let anchor = match anchor.kind {
        AnchorKind::Map => Anchor {
            kind: AnchorKind::Map,
            id: None,
        },
        _ => anchor,
    };
    if anchor.exists_in(view) {
        Ok(anchor)
    } else {
        Err(ApiError::invalid(
            "invalid_anchor",
            "the anchor must name an existing card, stage, lane or stage|lane cell of this map",
        ))
    }
}

/// Members named by `@mentions` in `body`, and the `@names` that are not members.
pub fn mentions(body: &str, members: &[Member]) -> (Vec<UserId>, Vec<String>) {
    let people: Vec<Mentionable<'_>> = members
        .iter()
        .map(|m| Mentionable {
            display_name: &m.display_name,
            email: &m.email,
        })
        .collect();
    let (named, unknown) = find_mentions(body, &people);
    let ids = named
        .into_iter()
        .map(|i| members[i].user_id.clone())
        .collect();
    (ids, unknown)
}

impl Review<'_> {
    /// Inbox items for a new or edited comment: `mention` to the members it names, `reply`
    /// to the other `participants`; never to its author, never twice to one person.
    pub async fn notify(
        &self,
        map: &MapId,
        thread: &str,
        author: &UserRecord,
        body: &str,
        mentioned: &[UserId],
        participants: &[UserId],
    ) -> Result<(), StoreError> {
        let title = self.map_title(map).await?;
        let quote = excerpt(body);
        let mut kinds: HashMap<&UserId, InboxKind> = HashMap::new();
        for user in participants {
            kinds.insert(user, InboxKind::Reply);
        }
        for user in mentioned {
            kinds.insert(user, InboxKind::Mention);
        }
        kinds.remove(&author.id);
        let mut items: Vec<NewInboxItem> = kinds
            .into_iter()
            .map(|(user, kind)| NewInboxItem {
                user: user.clone(),
                map: map.clone(),
                kind,
                thread: Some(thread.to_owned()),
                round: None,
                parts: Worded::new(
                    match kind {
                        InboxKind::Mention => "mention",
                        _ => "reply",
                    },
                    &[
                        ("author", &author.display_name),
                        ("map", &title),
                        ("quote", &quote),
                    ],
                ),
            })
            .collect();
        items.sort_by(|a, b| a.user.cmp(&b.user));
        self.deliver(items).await?;
        Ok(())
    }
}
