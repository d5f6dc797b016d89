//! Review rounds: owners and editors open one with a title, instructions, a due date
//! and reviewers; the map's state at opening is recorded; reviewers mark their review
//! done with a verdict; the round closes by hand or at its due date, and then reads
//! with its summary.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use parcours_shared::api::{
    InboxKind, MapEvent, NewRound, ReviewDone, Round, RoundDetail, RoundList, RoundSummary,
    MAX_ROUND_TEXT_CHARS, MAX_ROUND_TITLE_CHARS,
};
use parcours_shared::ids::Role;
use parcours_shared::review::diff_views;
use parcours_shared::view::MapView;
use parcours_shared::words::Worded;
use parcours_shared::MapId;
use serde::Deserialize;

use super::access::{discussion_reader, require_role};
use super::extract::{parse_id, ApiJson};
use crate::auth::{AuthUser, MaybeAuthUser};
use crate::error::ApiError;
use crate::store::{NewInboxItem, RoundRecord};
use crate::util::random_id;
use crate::AppState;

/// Length of round ids, `[a-z0-9]`.
const ID_LEN: usize = 16;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/maps/{id}/rounds", get(list).post(open))
        .route("/api/maps/{id}/rounds/{rid}", get(read))
        .route("/api/maps/{id}/rounds/{rid}/review", post(review))
        .route("/api/maps/{id}/rounds/{rid}/close", post(close))
        .route("/api/maps/{id}/rounds/{rid}/start-view", get(start_view))
}

/// `?link=` on reads: a public share link's token.
#[derive(Debug, Deserialize)]
struct LinkQuery {
    link: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    Path(id): Path<String>,
    Query(q): Query<LinkQuery>,
) -> Result<Json<RoundList>, ApiError> {
    let map = parse_id(&id)?;
    discussion_reader(&state, &map, user.as_ref(), q.link.as_deref()).await?;
    state.review().sweep().await?;
    let mut rounds = Vec::new();
    for record in state.store.rounds(&map).await? {
        rounds.push(state.review().round_view(&record).await?);
    }
    Ok(Json(RoundList { rounds }))
}

async fn open(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewRound>,
) -> Result<Response, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Editor).await?;
    let title = body.title.trim();
    if title.is_empty() || title.chars().count() > MAX_ROUND_TITLE_CHARS {
        return Err(ApiError::invalid(
            "invalid_title",
            format!("title must be 1 to {MAX_ROUND_TITLE_CHARS} characters"),
        ));
    }
    if body.instructions.chars().count() > MAX_ROUND_TEXT_CHARS {
        return Err(ApiError::invalid(
            "invalid_instructions",
            format!("instructions are at most {MAX_ROUND_TEXT_CHARS} characters"),
        ));
    }
    let now = state.clock.now_ms();
    if body.due_at <= now {
        return Err(ApiError::invalid(
            "invalid_due_at",
            "the due date must be in the future",
        ));
    }
    let mut reviewers = body.reviewers;
    reviewers.sort();
    reviewers.dedup();
    if reviewers.is_empty() {
        return Err(ApiError::invalid(
            "invalid_reviewers",
            "a round needs at least one reviewer",
        ));
    }
    let members = state.store.members(&map).await?;
    for reviewer in &reviewers {
        let ok = members
            .iter()
            .any(|m| &m.user_id == reviewer && m.role.can_comment());
        if !ok {
            return Err(ApiError::invalid(
                "invalid_reviewers",
                "reviewers must be members of this map who can comment",
            ));
        }
    }
    // The document and its view at one instant: what reviewers see as the round opens.
    let (start_state, _) = state.rooms.snapshot(&map).await?;
    let record = RoundRecord {
        id: random_id(ID_LEN),
        map_id: map.clone(),
        title: title.to_owned(),
        instructions: body.instructions,
        due_at: body.due_at,
        opened_by: user.id.clone(),
        opened_at: now,
        closed_at: None,
        closed_by: None,
    };
    state
        .store
        .create_round(&record, &start_state, &reviewers)
        .await?;
    // The round's start is a version too (a failure there does not undo the round).
    let request = crate::history::versions::VersionRequest {
        kind: "round",
        name: Some(parcours_shared::api::Version::round_name(title)),
        created_by: Some(user.id.0.clone()),
    };
    if let Err(e) = state.rooms.create_version(&map, request).await {
        tracing::warn!(map = %map, error = %e, "could not record the round's start as a version");
    }
    let round = state.review().round_view(&record).await?;
    state.events.publish_map(
        &map,
        &MapEvent::RoundOpened {
            round: round.clone(),
        },
    );
    let map_name = state.review().map_title(&map).await?;
    let items = reviewers
        .into_iter()
        .filter(|r| r != &user.id)
        .map(|reviewer| NewInboxItem {
            user: reviewer,
            map: map.clone(),
            kind: InboxKind::ReviewRequest,
            thread: None,
            round: Some(record.id.clone()),
            parts: Worded::new(
                "review_request",
                &[
                    ("author", &user.display_name),
                    ("map", &map_name),
                    ("round", &record.title),
                ],
            ),
        })
        .collect();
    state.review().deliver(items).await?;
    tracing::info!(map = %map, round = %record.id, "review round opened");
    Ok((StatusCode::CREATED, Json(round)).into_response())
}

async fn read(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    Path((id, rid)): Path<(String, String)>,
    Query(q): Query<LinkQuery>,
) -> Result<Json<RoundDetail>, ApiError> {
    let map = parse_id(&id)?;
    discussion_reader(&state, &map, user.as_ref(), q.link.as_deref()).await?;
    state.review().sweep().await?;
    let record = find_round(&state, &map, &rid).await?;
    let round = state.review().round_view(&record).await?;
    let summary = match record.closed_at {
        Some(closed_at) => Some(summary(&state, &map, &record, round.clone(), closed_at).await?),
        None => None,
    };
    Ok(Json(RoundDetail { round, summary }))
}

async fn review(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((id, rid)): Path<(String, String)>,
    ApiJson(body): ApiJson<ReviewDone>,
) -> Result<Json<Round>, ApiError> {
    let map = parse_id(&id)?;
    // A reviewer who may no longer comment (demoted to viewer) may not give a verdict.
    require_role(&state, &map, &user, Role::Commenter).await?;
    state.review().sweep().await?;
    let record = find_round(&state, &map, &rid).await?;
    if record.closed_at.is_some() {
        return Err(ApiError::conflict("round_closed", "this round is closed"));
    }
    let summary = body
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if summary.is_some_and(|s| s.chars().count() > MAX_ROUND_TEXT_CHARS) {
        return Err(ApiError::invalid(
            "invalid_summary",
            format!("a summary is at most {MAX_ROUND_TEXT_CHARS} characters"),
        ));
    }
    if !state
        .store
        .mark_review_done(&rid, &user.id, body.verdict, summary, state.clock.now_ms())
        .await?
    {
        // Closed meanwhile, or not a reviewer of this round.
        let still_open = find_round(&state, &map, &rid).await?.closed_at.is_none();
        return Err(if still_open {
            ApiError::Forbidden("you are not a reviewer of this round")
        } else {
            ApiError::conflict("round_closed", "this round is closed")
        });
    }
    let round = state.review().round_view(&record).await?;
    state.events.publish_map(
        &map,
        &MapEvent::ReviewDone {
            round: round.clone(),
        },
    );
    Ok(Json(round))
}

async fn close(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((id, rid)): Path<(String, String)>,
) -> Result<Json<Round>, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Editor).await?;
    state.review().sweep().await?;
    find_round(&state, &map, &rid).await?;
    if !state
        .store
        .close_round(&map, &rid, Some(&user.id), state.clock.now_ms())
        .await?
    {
        return Err(ApiError::conflict("round_closed", "this round is closed"));
    }
    let record = find_round(&state, &map, &rid).await?;
    tracing::info!(map = %map, round = %rid, "review round closed");
    Ok(Json(
        state.review().round_closed(&record, Some(&user.id)).await?,
    ))
}

async fn start_view(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    Path((id, rid)): Path<(String, String)>,
    Query(q): Query<LinkQuery>,
) -> Result<Json<MapView>, ApiError> {
    let map = parse_id(&id)?;
    discussion_reader(&state, &map, user.as_ref(), q.link.as_deref()).await?;
    Ok(Json(recorded_view(&state, &map, &rid).await?))
}

async fn find_round(state: &AppState, map: &MapId, rid: &str) -> Result<RoundRecord, ApiError> {
    state
        .store
        .round(map, rid)
        .await?
        .ok_or(ApiError::NotFound("round"))
}

/// The map as its reviewers saw it when the round opened.
async fn recorded_view(state: &AppState, map: &MapId, rid: &str) -> Result<MapView, ApiError> {
    use yrs::updates::decoder::Decode;
    use yrs::Transact;
    let bytes = state
        .store
        .round_start_state(map, rid)
        .await?
        .ok_or(ApiError::NotFound("round"))?;
    let update = yrs::Update::decode_v1(&bytes)
        .map_err(|e| ApiError::Internal(format!("stored round state does not decode: {e}")))?;
    let doc = yrs::Doc::new();
    doc.transact_mut()
        .apply_update(update)
        .map_err(|e| ApiError::Internal(format!("stored round state does not apply: {e}")))?;
    Ok(parcours_shared::view::read_view(&doc))
}

/// Threads opened and resolved while the round was open, and what changed on the map
/// since it opened.
async fn summary(
    state: &AppState,
    map: &MapId,
    record: &RoundRecord,
    round: Round,
    closed_at: i64,
) -> Result<RoundSummary, ApiError> {
    let during = |t: i64| t >= record.opened_at && t <= closed_at;
    let threads = state.store.all_threads(map).await?;
    let threads_opened = threads
        .iter()
        .filter(|t| during(t.created_at) || t.round_id.as_deref() == Some(&record.id))
        .map(|t| t.id.clone())
        .collect();
    let threads_resolved = threads
        .iter()
        .filter(|t| t.resolved_at.is_some_and(during))
        .map(|t| t.id.clone())
        .collect();
    let before = recorded_view(state, map, &record.id).await?;
    let now = state.rooms.view(map).await?;
    Ok(RoundSummary {
        round,
        threads_opened,
        threads_resolved,
        changes: diff_views(&before, &now),
    })
}
