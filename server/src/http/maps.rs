//! `/api/maps`: create, list, read (metadata and JSON view), archive and delete maps.

use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use parcours_shared::api::{CreateMap, MapDetail, MapList, MapSummary, UpdateMap, MAX_TITLE_CHARS};
use parcours_shared::MapId;
use serde::de::DeserializeOwned;
use serde::Deserialize;

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

/// `Json` whose rejection is our JSON error body.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(ApiError::invalid("invalid_body", rejection.body_text())),
        }
    }
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    /// Include archived maps.
    #[serde(default)]
    archived: bool,
}

async fn list(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Json<MapList>, ApiError> {
    let maps = state.store.list_maps(q.archived).await?;
    Ok(Json(MapList {
        maps: maps.iter().map(|m| m.summary()).collect(),
    }))
}

async fn create(
    State(state): State<AppState>,
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
    let map = NewMap {
        id: MapId(random_id(MapId::LEN)),
        title: title.to_owned(),
        itinerary: body.itinerary,
        now: now_ms(),
    };
    let state_bytes = crate::sync::initial_document(title, body.itinerary);
    state.store.create_map(&map, &state_bytes).await?;
    tracing::info!(map = %map.id, "map created");
    let summary = MapSummary {
        id: map.id,
        title: map.title,
        itinerary: map.itinerary,
        created_at: map.now,
        updated_at: map.now,
        archived: false,
    };
    Ok((StatusCode::CREATED, Json(summary)).into_response())
}

fn parse_id(id: &str) -> Result<MapId, ApiError> {
    MapId::parse(id).ok_or(ApiError::NotFound("map"))
}

async fn read(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<MapDetail>, ApiError> {
    let id = parse_id(&id)?;
    let record = state
        .store
        .get_map(&id)
        .await?
        .ok_or(ApiError::NotFound("map"))?;
    let view = state.rooms.view(&id).await?;
    Ok(Json(MapDetail {
        summary: record.summary(),
        view,
    }))
}

async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdateMap>,
) -> Result<Json<MapSummary>, ApiError> {
    let id = parse_id(&id)?;
    if let Some(archived) = body.archived {
        let at = archived.then(now_ms);
        if !state.store.set_archived(&id, at).await? {
            return Err(ApiError::NotFound("map"));
        }
    }
    let record = state
        .store
        .get_map(&id)
        .await?
        .ok_or(ApiError::NotFound("map"))?;
    Ok(Json(record.summary()))
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = parse_id(&id)?;
    if !state.store.delete_map(&id).await? {
        return Err(ApiError::NotFound("map"));
    }
    state.rooms.close_deleted(&id).await;
    tracing::info!(map = %id, "map deleted");
    Ok(StatusCode::NO_CONTENT)
}

async fn no_such_route() -> ApiError {
    ApiError::NotFound("route")
}
