//! Version history over REST: versions (list, name one), any version or moment as a
//! read-only view, the moments of a range (for the slider), the diff between two
//! points, one element's history, restore, and what changed since the caller's last
//! visit. Members read (any role); editors and owners name versions and restore. A
//! public link sees the live map only: every history route answers it 403.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use parcours_shared::api::{
    ElementHistory, Moment, Moments, NewVersion, PastView, Restore, Restored, SinceLastVisit,
    VersionDiff, VersionList, MAX_MOMENTS, MAX_VERSION_NAME_CHARS,
};
use parcours_shared::ids::Role;
use parcours_shared::review::diff_views;
use parcours_shared::schema::MAX_ID_LEN;
use parcours_shared::view::MapView;
use parcours_shared::MapId;
use serde::Deserialize;

use super::access::{reader, require_role};
use super::extract::{parse_id, ApiJson};
use crate::auth::{AuthUser, MaybeAuthUser};
use crate::error::ApiError;
use crate::history::versions::{to_api, VersionRequest};
use crate::history::{self, blame, name_authors, HistoryError};
use crate::store::UserRecord;
use crate::util::now_ms;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/maps/{id}/versions", get(list).post(create))
        .route("/api/maps/{id}/versions/{v}/view", get(version_view))
        .route("/api/maps/{id}/history/view", get(moment_view))
        .route("/api/maps/{id}/history/moments", get(moments))
        .route("/api/maps/{id}/history", get(element))
        .route("/api/maps/{id}/diff", get(diff))
        .route("/api/maps/{id}/restore", post(restore))
        .route("/api/maps/{id}/since-last-visit", get(since_last_visit))
}

/// `?link=`: a public link's token, refused here with a clear 403.
#[derive(Debug, Deserialize)]
struct LinkQuery {
    link: Option<String>,
}

/// A member of `map` (any role), or 401/403/404; public links get 403.
async fn member(
    state: &AppState,
    map: &MapId,
    user: Option<&UserRecord>,
    link: Option<&str>,
) -> Result<Role, ApiError> {
    let (role, via_link) = reader(state, map, user, link).await?;
    if via_link.is_some() {
        return Err(ApiError::Forbidden(
            "a public link shows the live map only, not its history",
        ));
    }
    Ok(role)
}

async fn list(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    Path(id): Path<String>,
    Query(q): Query<LinkQuery>,
) -> Result<Json<VersionList>, ApiError> {
    let map = parse_id(&id)?;
    member(&state, &map, user.as_ref(), q.link.as_deref()).await?;
    let mut versions = Vec::new();
    for v in state.store.versions(&map).await? {
        versions.push(to_api(&state.store, &v).await?);
    }
    Ok(Json(VersionList {
        versions,
        history_starts_at: state.store.history_start(&map).await?,
    }))
}

async fn create(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewVersion>,
) -> Result<Response, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Editor).await?;
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > MAX_VERSION_NAME_CHARS {
        return Err(ApiError::invalid(
            "invalid_name",
            format!("a version name is 1 to {MAX_VERSION_NAME_CHARS} characters"),
        ));
    }
    let request: VersionRequest = VersionRequest {
        kind: "named",
        name: Some(name.to_owned()),
        created_by: Some(user.id.0.clone()),
    };
    let record = state.rooms.create_version(&map, request).await?;
    let version = to_api(&state.store, &record).await?;
    Ok((StatusCode::CREATED, Json(version)).into_response())
}

async fn version_view(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    Path((id, v)): Path<(String, String)>,
    Query(q): Query<LinkQuery>,
) -> Result<Json<PastView>, ApiError> {
    let map = parse_id(&id)?;
    member(&state, &map, user.as_ref(), q.link.as_deref()).await?;
    let version = state
        .store
        .version(&map, &v)
        .await?
        .ok_or(ApiError::NotFound("version"))?;
    let view = history::view_at(&state.store, &map, version.seq).await?;
    Ok(Json(PastView {
        at: version.at,
        view,
    }))
}

#[derive(Debug, Deserialize)]
struct AtQuery {
    at: Option<String>,
    link: Option<String>,
}

async fn moment_view(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    Path(id): Path<String>,
    Query(q): Query<AtQuery>,
) -> Result<Json<PastView>, ApiError> {
    let map = parse_id(&id)?;
    member(&state, &map, user.as_ref(), q.link.as_deref()).await?;
    let at = parse_ms("at", q.at.as_deref())?;
    let (_, view, at) = at_moment(&state, &map, at).await?;
    Ok(Json(PastView { at, view }))
}

#[derive(Debug, Deserialize)]
struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
    link: Option<String>,
}

async fn moments(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    Path(id): Path<String>,
    Query(q): Query<RangeQuery>,
) -> Result<Json<Moments>, ApiError> {
    let map = parse_id(&id)?;
    member(&state, &map, user.as_ref(), q.link.as_deref()).await?;
    let to = match q.to.as_deref() {
        None => now_ms(),
        Some(_) => parse_ms("to", q.to.as_deref())?,
    };
    let from = match q.from.as_deref() {
        None => to - 86_400_000,
        Some(_) => parse_ms("from", q.from.as_deref())?,
    };
    if from > to {
        return Err(ApiError::invalid("invalid_range", "`from` is after `to`"));
    }
    let rows = state
        .store
        .moments(&map, from, to, MAX_MOMENTS as i64 + 1)
        .await?;
    let truncated = rows.len() > MAX_MOMENTS;
    let rows = &rows[rows.len().saturating_sub(MAX_MOMENTS)..];
    let authors: Vec<(String, Option<String>)> =
        rows.iter().map(|r| (r.2.clone(), r.3.clone())).collect();
    let named = name_authors(&state.store, &authors).await?;
    let moments = rows
        .iter()
        .zip(named)
        .map(|(r, author)| Moment {
            at: r.1,
            author,
            elements: r.4.max(0) as usize,
        })
        .collect();
    Ok(Json(Moments { moments, truncated }))
}

#[derive(Debug, Deserialize)]
struct ElementQuery {
    element: Option<String>,
    link: Option<String>,
}

async fn element(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    Path(id): Path<String>,
    Query(q): Query<ElementQuery>,
) -> Result<Json<ElementHistory>, ApiError> {
    let map = parse_id(&id)?;
    member(&state, &map, user.as_ref(), q.link.as_deref()).await?;
    let element = element_id(q.element.as_deref())?;
    Ok(Json(
        blame::element_history(&state.store, &map, element).await?,
    ))
}

#[derive(Debug, Deserialize)]
struct DiffQuery {
    from: Option<String>,
    to: Option<String>,
    link: Option<String>,
}

async fn diff(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    Path(id): Path<String>,
    Query(q): Query<DiffQuery>,
) -> Result<Json<VersionDiff>, ApiError> {
    let map = parse_id(&id)?;
    member(&state, &map, user.as_ref(), q.link.as_deref()).await?;
    let from = q.from.as_deref().ok_or_else(|| {
        ApiError::invalid(
            "invalid_from",
            "`from` is required: a version id or a moment (ms)",
        )
    })?;
    let (from_view, from_at) = point(&state, &map, from).await?;
    let (to_view, to_at) = point(&state, &map, q.to.as_deref().unwrap_or("live")).await?;
    Ok(Json(VersionDiff {
        from_at,
        to_at,
        changes: diff_views(&from_view, &to_view),
    }))
}

async fn restore(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Restore>,
) -> Result<Json<Restored>, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Editor).await?;
    let seq = match (&body.version, body.at) {
        (Some(v), None) => {
            state
                .store
                .version(&map, v)
                .await?
                .ok_or(ApiError::NotFound("version"))?
                .seq
        }
        (None, Some(at)) => at_moment(&state, &map, at).await?.0,
        _ => {
            return Err(ApiError::invalid(
                "invalid_restore",
                "give either `version` or `at`",
            ))
        }
    };
    let element = match body.element.as_deref() {
        Some(e) => Some(element_id(Some(e))?.to_owned()),
        None => None,
    };
    let past = history::state_at(&state.store, &map, seq).await?;
    let past = {
        use yrs::{ReadTxn, StateVector, Transact};
        past.transact()
            .encode_state_as_update_v1(&StateVector::default())
    };
    let before = state.rooms.restore(&map, past, element, &user.id).await?;
    Ok(Json(Restored {
        before: to_api(&state.store, &before).await?,
    }))
}

async fn since_last_visit(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> Result<Json<SinceLastVisit>, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Viewer).await?;
    let latest = state.store.latest_seq(&map).await?;
    let previous = state.store.last_visit(&map, &user.id).await?;
    let answer = match previous {
        None => SinceLastVisit {
            last_visit_at: None,
            count: 0,
            changes: Vec::new(),
        },
        Some((seq, at)) => {
            let count = state
                .store
                .changed_by_others_since(&map, seq, &user.id)
                .await?;
            let changes = if count == 0 {
                Vec::new()
            } else {
                match history::view_at(&state.store, &map, seq).await {
                    Ok(then) => diff_views(&then, &state.rooms.view(&map).await?),
                    // That visit is older than the history kept: the count stands alone.
                    Err(HistoryError::BeforeHistory) => Vec::new(),
                    Err(e) => return Err(e.into()),
                }
            };
            SinceLastVisit {
                last_visit_at: Some(at),
                count: count.max(0) as usize,
                changes,
            }
        }
    };
    state
        .store
        .record_visit(&map, &user.id, latest, now_ms())
        .await?;
    Ok(Json(answer))
}

/// The log position, view and time of the state current at `at` (ms).
async fn at_moment(
    state: &AppState,
    map: &MapId,
    at: i64,
) -> Result<(i64, MapView, i64), ApiError> {
    let (seq, when) = state
        .store
        .seq_at(map, at)
        .await?
        .ok_or(HistoryError::BeforeHistory)?;
    let view = history::view_at(&state.store, map, seq).await?;
    Ok((seq, view, when))
}

/// A point to compare: `live` (or `now`), a version id of this map, or a moment (ms).
async fn point(state: &AppState, map: &MapId, text: &str) -> Result<(MapView, i64), ApiError> {
    if text == "live" || text == "now" {
        return Ok((state.rooms.view(map).await?, now_ms()));
    }
    if text.len() <= MAX_ID_LEN {
        if let Some(v) = state.store.version(map, text).await? {
            return Ok((history::view_at(&state.store, map, v.seq).await?, v.at));
        }
    }
    match text.parse::<i64>() {
        Ok(at) => {
            let (_, view, when) = at_moment(state, map, at).await?;
            Ok((view, when))
        }
        Err(_) => Err(ApiError::NotFound("version")),
    }
}

/// A moment in ms since the epoch from a query parameter.
fn parse_ms(name: &'static str, text: Option<&str>) -> Result<i64, ApiError> {
    text.and_then(|t| t.parse::<i64>().ok())
        .filter(|ms| *ms >= 0)
        .ok_or_else(|| {
            ApiError::invalid(
                "invalid_moment",
                format!("`{name}` must be a moment in milliseconds since the epoch"),
            )
        })
}

/// An element id from a query parameter: 1 to [`MAX_ID_LEN`] printable characters
/// (emotion keys join three ids with `/`).
fn element_id(text: Option<&str>) -> Result<&str, ApiError> {
    text.filter(|e| {
        !e.is_empty() && e.len() <= 3 * MAX_ID_LEN + 2 && e.chars().all(|c| !c.is_control())
    })
    .ok_or_else(|| {
        ApiError::invalid(
            "invalid_element",
            "`element` must be the id of a card, stage, lane, persona or map field",
        )
    })
}
