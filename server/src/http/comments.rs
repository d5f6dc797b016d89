//! Comment threads: anchored on a card, stage, lane, cell or the whole map; replies,
//! edits and deletions by their authors, resolve and reopen, `@mentions`. Every change
//! goes out live to the map's event streams; mentions and replies reach inboxes.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use parcours_shared::api::{
    Comment, EditComment, MapEvent, NewComment, NewThread, PostedComment, PostedThread, Thread,
    ThreadList,
};
use parcours_shared::ids::{Role, UserId};
use parcours_shared::MapId;
use serde::Deserialize;

use super::access::{discussion_reader, require_role};
use super::extract::{page_limit, parse_id, ApiJson};
use crate::auth::{AuthUser, MaybeAuthUser};
use crate::error::ApiError;
use crate::review::comments::{
    check_anchor, check_body, comment_view, involves, mentions, thread_view,
};
use crate::store::{NewCommentRecord, ThreadRecord, UserRecord};
use crate::util::random_id;
use crate::AppState;

/// Length of thread and comment ids, `[a-z0-9]`.
const ID_LEN: usize = 16;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/maps/{id}/threads", get(list).post(create))
        .route("/api/maps/{id}/threads/{tid}/comments", post(reply))
        .route(
            "/api/maps/{id}/threads/{tid}/comments/{cid}",
            patch(edit).delete(remove),
        )
        .route("/api/maps/{id}/threads/{tid}/resolve", post(resolve))
        .route("/api/maps/{id}/threads/{tid}/reopen", post(reopen))
}

/// `GET /api/maps/{id}/threads` filters.
#[derive(Debug, Deserialize)]
struct ListQuery {
    /// `open` or `resolved`.
    status: Option<String>,
    /// Only threads opened for this review round.
    round: Option<String>,
    /// Only threads the caller opened, commented in or is mentioned in.
    #[serde(default)]
    mine: bool,
    /// A public share link's token.
    link: Option<String>,
    /// Only threads opened after this one (the next page).
    after: Option<String>,
    /// 1 to [`THREAD_PAGE`] threads (default: that many).
    limit: Option<String>,
}

/// Most threads in one answer; a map with more is read in pages (`more`, `?after=`).
pub const THREAD_PAGE: i64 = 500;

async fn list(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Json<ThreadList>, ApiError> {
    let map = parse_id(&id)?;
    discussion_reader(&state, &map, user.as_ref(), q.link.as_deref()).await?;
    let want_resolved = match q.status.as_deref() {
        None => None,
        Some("open") => Some(false),
        Some("resolved") => Some(true),
        Some(_) => {
            return Err(ApiError::invalid(
                "invalid_status",
                "status must be open or resolved",
            ))
        }
    };
    let limit = page_limit(q.limit.as_deref(), THREAD_PAGE, THREAD_PAGE)?;
    let view = state.rooms.view(&map).await?;
    let (records, more) = state.store.threads(&map, q.after.as_deref(), limit).await?;
    let ids: Vec<String> = records.iter().map(|t| t.id.clone()).collect();
    let mut comments = state.store.comments_of_threads(&map, &ids).await?;
    let me = user.map(|u| u.id);
    let threads = records
        .into_iter()
        .map(|t| {
            let c = comments.remove(&t.id).unwrap_or_default();
            thread_view(t, c, &view)
        })
        .filter(|t| want_resolved.is_none_or(|r| t.resolved == r))
        .filter(|t| q.round.is_none() || t.round_id == q.round)
        .filter(|t| !q.mine || me.as_ref().is_some_and(|me| involves(t, me)))
        .collect();
    Ok(Json(ThreadList { threads, more }))
}

async fn create(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewThread>,
) -> Result<Response, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Commenter).await?;
    check_body(&body.body)?;
    let view = state.rooms.view(&map).await?;
    let anchor = check_anchor(body.anchor, &view)?;
    if let Some(round) = &body.round_id {
        let open = state
            .store
            .round(&map, round)
            .await?
            .is_some_and(|r| r.closed_at.is_none());
        if !open {
            return Err(ApiError::invalid(
                "invalid_round",
                "round_id must name an open review round of this map",
            ));
        }
    }
    let now = state.clock.now_ms();
    let members = state.store.members(&map).await?;
    let (mentioned, without_access) = mentions(&body.body, &members);
    let record = ThreadRecord {
        id: random_id(ID_LEN),
        map_id: map.clone(),
        anchor,
        round_id: body.round_id,
        created_by: user.id.clone(),
        created_at: now,
        resolved_at: None,
        resolved_by: None,
    };
    let first = NewCommentRecord {
        id: random_id(ID_LEN),
        author: user.id.clone(),
        body: body.body,
        created_at: now,
        mentions: mentioned.clone(),
    };
    state.store.create_thread(&record, &first).await?;
    let comments = state.store.comments_of_thread(&record.id).await?;
    let thread = thread_view(record, comments, &view);
    state.events.publish_map(
        &map,
        &MapEvent::ThreadCreated {
            thread: thread.clone(),
        },
    );
    state
        .review()
        .notify(&map, &thread.id, &user, &first.body, &mentioned, &[])
        .await?;
    let posted = PostedThread {
        thread,
        mentions_without_access: without_access,
    };
    Ok((StatusCode::CREATED, Json(posted)).into_response())
}

async fn reply(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((id, tid)): Path<(String, String)>,
    ApiJson(body): ApiJson<NewComment>,
) -> Result<Response, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Commenter).await?;
    let thread = find_thread(&state, &map, &tid).await?;
    check_body(&body.body)?;
    let members = state.store.members(&map).await?;
    let (mentioned, without_access) = mentions(&body.body, &members);
    // Who took part before this reply: the opener and every author.
    let mut participants = vec![thread.created_by.clone()];
    participants.extend(
        state
            .store
            .comments_of_thread(&thread.id)
            .await?
            .into_iter()
            .map(|c| c.author),
    );
    participants.retain(|p| members.iter().any(|m| &m.user_id == p));
    let comment = NewCommentRecord {
        id: random_id(ID_LEN),
        author: user.id.clone(),
        body: body.body,
        created_at: state.clock.now_ms(),
        mentions: mentioned.clone(),
    };
    state.store.add_comment(&map, &thread.id, &comment).await?;
    let comment = load_comment(&state, &thread.id, &comment.id).await?;
    state.events.publish_map(
        &map,
        &MapEvent::CommentAdded {
            thread_id: thread.id.clone(),
            comment: comment.clone(),
        },
    );
    state
        .review()
        .notify(
            &map,
            &thread.id,
            &user,
            &comment.body,
            &mentioned,
            &participants,
        )
        .await?;
    let posted = PostedComment {
        thread_id: thread.id,
        comment,
        mentions_without_access: without_access,
    };
    Ok((StatusCode::CREATED, Json(posted)).into_response())
}

async fn edit(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((id, tid, cid)): Path<(String, String, String)>,
    ApiJson(body): ApiJson<EditComment>,
) -> Result<Json<PostedComment>, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Commenter).await?;
    let thread = find_thread(&state, &map, &tid).await?;
    let before = own_live_comment(&state, &thread.id, &cid, &user).await?;
    check_body(&body.body)?;
    let members = state.store.members(&map).await?;
    let (mentioned, without_access) = mentions(&body.body, &members);
    if !state
        .store
        .edit_comment(
            &thread.id,
            &cid,
            &body.body,
            &mentioned,
            state.clock.now_ms(),
        )
        .await?
    {
        return Err(ApiError::NotFound("comment"));
    }
    let comment = load_comment(&state, &thread.id, &cid).await?;
    state.events.publish_map(
        &map,
        &MapEvent::CommentEdited {
            thread_id: thread.id.clone(),
            comment: comment.clone(),
        },
    );
    // Only people mentioned for the first time by this edit are told.
    let fresh: Vec<UserId> = mentioned
        .into_iter()
        .filter(|u| !before.mentions.contains(u))
        .collect();
    state
        .review()
        .notify(&map, &thread.id, &user, &comment.body, &fresh, &[])
        .await?;
    Ok(Json(PostedComment {
        thread_id: thread.id,
        comment,
        mentions_without_access: without_access,
    }))
}

async fn remove(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((id, tid, cid)): Path<(String, String, String)>,
) -> Result<StatusCode, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Commenter).await?;
    let thread = find_thread(&state, &map, &tid).await?;
    own_live_comment(&state, &thread.id, &cid, &user).await?;
    if !state
        .store
        .delete_comment(&thread.id, &cid, state.clock.now_ms())
        .await?
    {
        return Err(ApiError::NotFound("comment"));
    }
    state.events.publish_map(
        &map,
        &MapEvent::CommentDeleted {
            thread_id: thread.id,
            comment_id: cid,
        },
    );
    Ok(StatusCode::NO_CONTENT)
}

async fn resolve(
    state: State<AppState>,
    user: AuthUser,
    path: Path<(String, String)>,
) -> Result<Json<Thread>, ApiError> {
    set_resolved(state, user, path, true).await
}

async fn reopen(
    state: State<AppState>,
    user: AuthUser,
    path: Path<(String, String)>,
) -> Result<Json<Thread>, ApiError> {
    set_resolved(state, user, path, false).await
}

/// Editors and owners resolve and reopen any thread; commenters their own.
async fn set_resolved(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((id, tid)): Path<(String, String)>,
    resolved: bool,
) -> Result<Json<Thread>, ApiError> {
    let map = parse_id(&id)?;
    let role = require_role(&state, &map, &user, Role::Commenter).await?;
    let thread = find_thread(&state, &map, &tid).await?;
    if !role.can_edit() && thread.created_by != user.id {
        return Err(ApiError::Forbidden(
            "only editors, owners and the thread's author may resolve or reopen it",
        ));
    }
    let by = resolved.then(|| (&user.id, state.clock.now_ms()));
    let changed = state.store.set_resolved(&map, &thread.id, by).await?;
    let record = find_thread(&state, &map, &tid).await?;
    let view = state.rooms.view(&map).await?;
    let comments = state.store.comments_of_thread(&record.id).await?;
    let thread = thread_view(record, comments, &view);
    if changed {
        let event = if resolved {
            MapEvent::ThreadResolved {
                thread: thread.clone(),
            }
        } else {
            MapEvent::ThreadReopened {
                thread: thread.clone(),
            }
        };
        state.events.publish_map(&map, &event);
    }
    Ok(Json(thread))
}

async fn find_thread(state: &AppState, map: &MapId, tid: &str) -> Result<ThreadRecord, ApiError> {
    state
        .store
        .thread(map, tid)
        .await?
        .ok_or(ApiError::NotFound("thread"))
}

async fn load_comment(state: &AppState, thread: &str, cid: &str) -> Result<Comment, ApiError> {
    state
        .store
        .comments_of_thread(thread)
        .await?
        .into_iter()
        .find(|c| c.id == cid)
        .map(comment_view)
        .ok_or(ApiError::NotFound("comment"))
}

/// A comment of the thread that is not deleted and that `user` wrote (403 otherwise).
async fn own_live_comment(
    state: &AppState,
    thread: &str,
    cid: &str,
    user: &UserRecord,
) -> Result<Comment, ApiError> {
    let comment = load_comment(state, thread, cid).await?;
    if comment.deleted {
        return Err(ApiError::NotFound("comment"));
    }
    if comment.author != user.id {
        return Err(ApiError::Forbidden(
            "only its author may edit or delete a comment",
        ));
    }
    Ok(comment)
}
