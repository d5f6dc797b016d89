//! `/api/maps`: create, list, read (metadata and JSON view), archive and delete maps.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use parcours_shared::api::{CreateMap, MapDetail, MapList, MapSummary, UpdateMap, MAX_TITLE_CHARS};
use parcours_shared::ids::{Role, UserId};
use parcours_shared::templates::{self, Template};
use parcours_shared::ItineraryKind;
use parcours_shared::MapId;
use serde::Deserialize;

use super::access::{reader, require_role};
use super::extract::{parse_id, ApiJson};
use crate::auth::{AuthUser, MaybeAuthUser};
use crate::error::ApiError;
use crate::store::NewMap;
use crate::util::{now_ms, random_id};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/maps", get(list).post(create))
        .route("/api/maps/{id}", get(read).patch(update).delete(remove))
        .route("/api/{*rest}", any(no_such_route))
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    /// Include archived maps.
    #[serde(default)]
    archived: bool,
}

/// `?link=` on reads: a public share link's token.
#[derive(Debug, Deserialize)]
struct LinkQuery {
    link: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Query(q): Query<ListQuery>,
) -> Result<Json<MapList>, ApiError> {
    let maps = state.store.list_maps_for(&user.id, q.archived).await?;
    let ids: Vec<MapId> = maps.iter().map(|(m, _)| m.id.clone()).collect();
    let mut online = state.rooms.online_everywhere(&ids).await;
    Ok(Json(MapList {
        maps: maps
            .iter()
            .map(|(m, role)| MapSummary {
                online: online.remove(&m.id).unwrap_or_default(),
                ..m.summary(*role)
            })
            .collect(),
    }))
}

async fn create(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    ApiJson(body): ApiJson<CreateMap>,
) -> Result<Response, ApiError> {
    let title = body.title.trim();
    if title.is_empty() {
        return Err(ApiError::invalid(
            "invalid_title",
            "title must not be empty",
        ));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(ApiError::invalid(
            "invalid_title",
            format!("title must be at most {MAX_TITLE_CHARS} characters"),
        ));
    }
    let itinerary = match body.template {
        Template::Blank => body.itinerary,
        template => template.itinerary(),
    };
    let mut ids = || random_id(12);
    let state_bytes =
        templates::initial_state(title, itinerary, body.template, body.language, &mut ids)
            .map_err(|e| ApiError::Internal(format!("template failed: {e}")))?;
    let summary = create_owned(&state, &user.id, title, itinerary, &state_bytes).await?;
    tracing::info!(
        map = %summary.id,
        template = body.template.as_str(),
        language = body.language.code(),
        "map created"
    );
    Ok((StatusCode::CREATED, Json(summary)).into_response())
}

/// Stores a new map with its first document, owned by `owner`; its summary.
pub(super) async fn create_owned(
    state: &AppState,
    owner: &UserId,
    title: &str,
    itinerary: ItineraryKind,
    first_state: &[u8],
) -> Result<MapSummary, ApiError> {
    let map = NewMap {
        id: MapId(random_id(MapId::LEN)),
        title: title.to_owned(),
        itinerary,
        now: now_ms(),
        method_steps: crate::method::steps_of_state(first_state),
    };
    state.store.create_map(&map, first_state, owner).await?;
    Ok(MapSummary {
        id: map.id,
        title: map.title,
        itinerary: map.itinerary,
        created_at: map.now,
        updated_at: map.now,
        archived: false,
        role: Role::Owner,
        online: Vec::new(),
        method_done: map.method_steps.unwrap_or_default().steps(),
    })
}

async fn read(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    Path(id): Path<String>,
    Query(q): Query<LinkQuery>,
) -> Result<Json<MapDetail>, ApiError> {
    let id = parse_id(&id)?;
    let (role, link) = reader(&state, &id, user.as_ref(), q.link.as_deref()).await?;
    let record = state
        .store
        .get_map(&id)
        .await?
        .ok_or(ApiError::NotFound("map"))?;
    let view = state.rooms.view(&id).await?;
    Ok(Json(MapDetail {
        summary: record.summary(role),
        view,
        discussion: link.is_none_or(|l| l.include_comments),
    }))
}

async fn update(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdateMap>,
) -> Result<Json<MapSummary>, ApiError> {
    let id = parse_id(&id)?;
    let role = require_role(&state, &id, &user, Role::Owner).await?;
    if let Some(archived) = body.archived {
        let now = now_ms();
        let at = archived.then_some(now);
        if !state
            .store
            .set_archived(&id, at, Some(&user.id), now)
            .await?
        {
            return Err(ApiError::NotFound("map"));
        }
    }
    let record = state
        .store
        .get_map(&id)
        .await?
        .ok_or(ApiError::NotFound("map"))?;
    Ok(Json(record.summary(role)))
}

async fn remove(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = parse_id(&id)?;
    require_role(&state, &id, &user, Role::Owner).await?;
    if !state.store.delete_map(&id).await? {
        return Err(ApiError::NotFound("map"));
    }
    state.rooms.close_deleted(&id).await;
    state.events.close_map(&id);
    tracing::info!(map = %id, "map deleted");
    Ok(StatusCode::NO_CONTENT)
}

async fn no_such_route() -> ApiError {
    ApiError::NotFound("route")
}
