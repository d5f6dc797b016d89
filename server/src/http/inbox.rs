//! `/api/inbox`: the caller's notifications across maps, and marking them read.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use parcours_shared::api::{Inbox, MarkRead};

use super::maps::ApiJson;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::review::sweep;
use crate::AppState;

/// Items `GET /api/inbox` lists (the newest; the unread count covers all).
const INBOX_PAGE: i64 = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/inbox", get(read))
        .route("/api/inbox/read", post(mark_read))
}

async fn read(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Result<Json<Inbox>, ApiError> {
    // Rounds past their due date close (and tell their reviewers) before we answer.
    sweep(&state).await?;
    let (items, unread) = state.store.inbox(&user.id, INBOX_PAGE).await?;
    Ok(Json(Inbox { items, unread }))
}

async fn mark_read(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    ApiJson(body): ApiJson<MarkRead>,
) -> Result<Json<Inbox>, ApiError> {
    let ids = (!body.all).then_some(body.ids.as_slice());
    state
        .store
        .mark_read(&user.id, ids, state.clock.now_ms())
        .await?;
    let (items, unread) = state.store.inbox(&user.id, INBOX_PAGE).await?;
    Ok(Json(Inbox { items, unread }))
}
