//! Sharing: members and their roles, share links, ownership transfer and the audit
//! trail (invitations are in `invitations.rs`). Changes reach open sockets at once.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use axum::{Json, Router};
use parcours_shared::api::{
    AcceptedLink, AuditLog, ChangeRole, CreateLink, LinkList, Member, MemberList, ShareLink,
    TransferOwnership,
};
use parcours_shared::ids::{Role, UserId};
use serde::Deserialize;

use super::access::{require_role, token_hash};
use super::extract::{page_limit, parse_id, ApiJson};
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::store::LinkRecord;
use crate::util::{now_ms, random_id};
use crate::AppState;

/// Length of a share-link token, `[a-z0-9]` (~165 bits).
const LINK_TOKEN_LEN: usize = 32;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/maps/{id}/members", get(list_members))
        .route(
            "/api/maps/{id}/members/{user_id}",
            patch(change_role).delete(remove_member),
        )
        .route("/api/maps/{id}/transfer", post(transfer))
        .route("/api/maps/{id}/links", get(list_links).post(create_link))
        .route("/api/maps/{id}/links/{link_id}", delete(revoke_link))
        .route("/api/links/{token}/accept", post(accept_link))
        .route("/api/maps/{id}/audit", get(audit))
}

async fn list_members(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> Result<Json<MemberList>, ApiError> {
    let map = parse_id(&id)?;
    let role = require_role(&state, &map, &user, Role::Viewer).await?;
    // Pending invitations name addresses and roles: owners only.
    let invitations = if role.is_owner() {
        state
            .store
            .invitations(&map, now_ms())
            .await?
            .iter()
            .map(|i| i.view())
            .collect()
    } else {
        Vec::new()
    };
    Ok(Json(MemberList {
        members: state.store.members(&map).await?,
        invitations,
    }))
}

async fn change_role(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((id, target)): Path<(String, String)>,
    ApiJson(body): ApiJson<ChangeRole>,
) -> Result<Json<Member>, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Owner).await?;
    let target = UserId(target);
    if state
        .store
        .set_role(&map, &target, body.role, &user.id, now_ms())
        .await?
        .is_none()
    {
        return Err(ApiError::NotFound("member"));
    }
    state.rooms.set_access(&map, &target, Some(body.role)).await;
    let member = state
        .store
        .members(&map)
        .await?
        .into_iter()
        .find(|m| m.user_id == target)
        .ok_or(ApiError::NotFound("member"))?;
    Ok(Json(member))
}

async fn remove_member(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((id, target)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let map = parse_id(&id)?;
    let target = UserId(target);
    // Owners remove anyone; any member may leave.
    let min = if target == user.id {
        Role::Viewer
    } else {
        Role::Owner
    };
    require_role(&state, &map, &user, min).await?;
    if !state
        .store
        .remove_member(&map, &target, &user.id, now_ms())
        .await?
    {
        return Err(ApiError::NotFound("member"));
    }
    state.rooms.set_access(&map, &target, None).await;
    Ok(StatusCode::NO_CONTENT)
}

async fn transfer(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TransferOwnership>,
) -> Result<StatusCode, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Owner).await?;
    if body.user_id == user.id {
        return Err(ApiError::invalid(
            "invalid_target",
            "you already own this map",
        ));
    }
    if !state
        .store
        .transfer_ownership(&map, &user.id, &body.user_id, now_ms())
        .await?
    {
        return Err(ApiError::NotFound("member"));
    }
    state
        .rooms
        .set_access(&map, &body.user_id, Some(Role::Owner))
        .await;
    state
        .rooms
        .set_access(&map, &user.id, Some(Role::Editor))
        .await;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_links(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> Result<Json<LinkList>, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Owner).await?;
    let links = state.store.links(&map).await?;
    Ok(Json(LinkList {
        links: links.iter().map(LinkRecord::view).collect(),
    }))
}

async fn create_link(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CreateLink>,
) -> Result<Response, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Owner).await?;
    if body.role == Role::Owner {
        return Err(ApiError::invalid(
            "invalid_role",
            "a link cannot grant ownership",
        ));
    }
    if body.public && body.role != Role::Viewer {
        return Err(ApiError::invalid(
            "invalid_role",
            "a public link is read-only: use role viewer",
        ));
    }
    let now = now_ms();
    if body.expires_at.is_some_and(|t| t <= now) {
        return Err(ApiError::invalid(
            "invalid_expiry",
            "the expiry must be in the future",
        ));
    }
    let token = random_id(LINK_TOKEN_LEN);
    let link = LinkRecord {
        id: random_id(12),
        map_id: map,
        role: body.role,
        public: body.public,
        include_comments: body.public && body.include_comments,
        expires_at: body.expires_at,
        revoked_at: None,
        created_at: now,
    };
    state
        .store
        .create_link(&link, &token_hash(&token), &user.id)
        .await?;
    let view = ShareLink {
        token: Some(token),
        ..link.view()
    };
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// `DELETE /api/maps/{id}/links/{link_id}[?remove_members=true]` query.
#[derive(Debug, Deserialize)]
struct RevokeQuery {
    /// Also end the memberships made through the link (not those an owner changed).
    #[serde(default)]
    remove_members: bool,
}

async fn revoke_link(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((id, link_id)): Path<(String, String)>,
    Query(q): Query<RevokeQuery>,
) -> Result<StatusCode, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Owner).await?;
    let removed = state
        .store
        .revoke_link(&map, &link_id, q.remove_members, &user.id, now_ms())
        .await?
        .ok_or(ApiError::NotFound("link"))?;
    state.rooms.link_revoked(&map, &link_id).await;
    for member in removed {
        state.rooms.set_access(&map, &member, None).await;
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn accept_link(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(token): Path<String>,
) -> Result<Json<AcceptedLink>, ApiError> {
    let link = state
        .store
        .link_by_token_hash(&token_hash(&token))
        .await?
        .filter(|l| l.is_live(now_ms()))
        .ok_or(ApiError::NotFound("link"))?;
    if link.public {
        // Anyone may hold a public link: it opens the map read-only, and that is all.
        return Err(ApiError::conflict(
            "public_link",
            "a public link opens the map read-only without an account; it does not make you a member",
        ));
    }
    let role = state.store.accept_link(&link, &user.id, now_ms()).await?;
    state
        .rooms
        .set_access(&link.map_id, &user.id, Some(role))
        .await;
    Ok(Json(AcceptedLink {
        map_id: link.map_id,
        role,
    }))
}

/// `GET /api/maps/{id}/audit` query, read as text so a bad value gets a clear 422.
#[derive(Debug, Deserialize)]
struct AuditQuery {
    /// Only entries after this entry id (the next page).
    after: Option<String>,
    /// 1 to [`AUDIT_PAGE_MAX`] entries (default [`AUDIT_PAGE`]).
    limit: Option<String>,
}

/// Audit entries in one answer by default, and at most.
const AUDIT_PAGE: i64 = 200;
/// See [`AUDIT_PAGE`].
const AUDIT_PAGE_MAX: i64 = 1_000;

async fn audit(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
    Query(q): Query<AuditQuery>,
) -> Result<Json<AuditLog>, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Owner).await?;
    let limit = page_limit(q.limit.as_deref(), AUDIT_PAGE, AUDIT_PAGE_MAX)?;
    let after =
        match q.after.as_deref() {
            None => None,
            Some(text) => Some(text.parse::<i64>().map_err(|_| {
                ApiError::invalid("invalid_after", "after must be an audit entry id")
            })?),
        };
    let (entries, more) = state.store.audit_log(&map, after, limit).await?;
    Ok(Json(AuditLog { entries, more }))
}
