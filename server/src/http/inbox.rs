//! `/api/inbox`: the caller's notifications across maps, and marking them read.

use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use parcours_shared::api::{Inbox, MarkRead, INBOX_PAGE, INBOX_PAGE_MAX};
use serde::Deserialize;

use super::extract::ApiJson;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/inbox", get(read))
        .route("/api/inbox/read", post(mark_read))
}

/// `GET /api/inbox` query, read as text so that a bad value gets a clear 422.
#[derive(Deserialize)]
struct PageQuery {
    /// Only items older than this item id.
    before: Option<String>,
    /// 1 to [`INBOX_PAGE_MAX`] items (default [`INBOX_PAGE`]).
    limit: Option<String>,
}

async fn read(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Query(q): Query<PageQuery>,
) -> Result<Json<Inbox>, ApiError> {
    let before =
        match q.before.as_deref() {
            None => None,
            Some(text) => Some(text.parse::<i64>().map_err(|_| {
                ApiError::invalid("invalid_before", "before must be an inbox item id")
            })?),
        };
    let limit = match q.limit.as_deref() {
        None => INBOX_PAGE,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=INBOX_PAGE_MAX).contains(n))
            .ok_or_else(|| {
                ApiError::invalid(
                    "invalid_limit",
                    format!("limit must be 1 to {INBOX_PAGE_MAX}"),
                )
            })?,
    };
    // Rounds past their due date close (and tell their reviewers) before we answer.
    state.review().sweep().await?;
    let (items, more, unread) = state.store.inbox(&user.id, before, limit).await?;
    Ok(Json(Inbox {
        items,
        unread,
        more,
    }))
}

/// Most item ids `POST /api/inbox/read` takes at once (one statement each time).
pub const MAX_READ_IDS: usize = 1_000;

async fn mark_read(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    ApiJson(body): ApiJson<MarkRead>,
) -> Result<Json<Inbox>, ApiError> {
    if body.ids.len() > MAX_READ_IDS {
        return Err(ApiError::invalid(
            "too_many_ids",
            format!("mark at most {MAX_READ_IDS} items read at once (or all with \"all\": true)"),
        ));
    }
    let ids = (!body.all).then_some(body.ids.as_slice());
    state
        .store
        .mark_read(&user.id, ids, state.clock.now_ms())
        .await?;
    let (items, more, unread) = state.store.inbox(&user.id, None, INBOX_PAGE).await?;
    Ok(Json(Inbox {
        items,
        unread,
        more,
    }))
}
