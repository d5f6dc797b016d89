//! Evidence over REST: preview a CSV, import it (streamed, progress on the map's event
//! stream), list and delete datasets, map activities onto stages and touchpoints, and
//! read the analysis. Members read; editors and owners import, map and delete; public
//! links see none of it.

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use bytes::Bytes;
use parcours_shared::api::{
    Analysis, ColumnMapping, Dataset, DatasetList, DatasetMapping, DatasetPreview, KpiValue,
    MapEvent, ProcessGraph, MAX_WINDOW_DAYS,
};
use parcours_shared::ids::{Role, UserId};
use parcours_shared::schema::{KpiMeasure, MapDoc};
use parcours_shared::view::MapView;
use parcours_shared::MapId;
use serde::Deserialize;

use super::access::{reader, require_role};
use super::extract::{parse_id, ApiJson};
use crate::auth::{AuthUser, MaybeAuthUser};
use crate::error::ApiError;
use crate::evidence::compute::{self, Filter};
use crate::evidence::import::{self, ImportError, Spec};
use crate::evidence::run::{self, ImportJob};
use crate::evidence::timefmt::{self, Format};
use crate::evidence::{self, journey_of, mapping_for, stored_mapping, to_api, EvidenceError};
use crate::store::{DatasetRecord, UserRecord};
use crate::util::{now_ms, random_id};
use crate::AppState;

/// Largest file start a preview reads.
const PREVIEW_BYTES: usize = 1 << 20;
/// Length of dataset ids.
const ID_LEN: usize = 16;
/// Longest dataset name, in characters.
const MAX_NAME_CHARS: usize = 120;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/maps/{id}/datasets/preview",
            post(preview).layer(DefaultBodyLimit::max(PREVIEW_BYTES)),
        )
        .route(
            "/api/maps/{id}/datasets",
            get(list).post(upload).layer(DefaultBodyLimit::disable()),
        )
        .route("/api/maps/{id}/datasets/{d}", get(one).delete(remove))
        .route("/api/maps/{id}/datasets/{d}/mapping", put(set_mapping))
        .route("/api/maps/{id}/datasets/{d}/analysis", get(analysis))
        .route("/api/maps/{id}/datasets/{d}/process", get(process))
}

impl From<ImportError> for ApiError {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Invalid { code, message } => ApiError::Invalid { code, message },
            ImportError::TooLarge(message) => ApiError::TooLarge {
                code: "too_large",
                message,
            },
            ImportError::Store(m) => ApiError::Internal(m),
        }
    }
}

impl From<EvidenceError> for ApiError {
    fn from(e: EvidenceError) -> Self {
        match e {
            EvidenceError::Store(e) => e.into(),
            EvidenceError::Corrupt => ApiError::Internal("a stored dataset is unreadable".into()),
        }
    }
}

#[derive(Debug, Deserialize)]
struct LinkQuery {
    link: Option<String>,
}

/// A member of `map`; public links get 403.
async fn member(
    state: &AppState,
    map: &MapId,
    user: Option<&UserRecord>,
    link: Option<&str>,
) -> Result<Role, ApiError> {
    let (role, via_link) = reader(state, map, user, link).await?;
    if via_link.is_some() {
        return Err(ApiError::Forbidden(
            "a public link shows the map, not the customer data behind it",
        ));
    }
    Ok(role)
}

async fn preview(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<DatasetPreview>, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Editor).await?;
    Ok(Json(import::preview(&body)?))
}

/// `POST .../datasets` query: the name and how to read the file.
#[derive(Debug, Deserialize)]
struct UploadQuery {
    name: Option<String>,
    case_id: Option<String>,
    activity: Option<String>,
    timestamp: Option<String>,
    channel: Option<String>,
    segment: Option<String>,
    value: Option<String>,
    timestamp_format: Option<String>,
    delimiter: Option<String>,
    max_bad_rows: Option<u64>,
}

async fn upload(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Editor).await?;
    let limits = &state.config;
    // Refused before reading a byte when the size is announced.
    let announced = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limits.max_import_bytes) {
        return Err(ApiError::TooLarge {
            code: "too_large",
            message: format!(
                "the file is larger than {} bytes (--max-import-bytes)",
                limits.max_import_bytes
            ),
        });
    }
    let name = q.name.as_deref().map(str::trim).unwrap_or("Event log");
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::invalid(
            "invalid_name",
            format!("a dataset name is 1 to {MAX_NAME_CHARS} characters"),
        ));
    }
    let format = match q.timestamp_format.as_deref().unwrap_or("auto") {
        "auto" => None,
        f if timefmt::known(f) => Format::named(f),
        other => {
            return Err(ApiError::invalid(
                "invalid_timestamp_format",
                format!("unknown timestamp format “{other}”"),
            ))
        }
    };
    let delimiter = match q.delimiter.as_deref().unwrap_or(",") {
        "," => b',',
        ";" => b';',
        "\t" | "tab" => b'\t',
        "|" => b'|',
        other => {
            return Err(ApiError::invalid(
                "invalid_delimiter",
                format!("the delimiter must be , ; | or tab, not “{other}”"),
            ))
        }
    };
    if state.store.dataset_count(&map).await? >= limits.max_datasets_per_map as i64 {
        return Err(ApiError::conflict(
            "too_many_datasets",
            format!(
                "a map holds at most {} datasets; delete one first",
                limits.max_datasets_per_map
            ),
        ));
    }
    let spec = Spec {
        columns: ColumnMapping {
            case_id: q.case_id.unwrap_or_default(),
            activity: q.activity.unwrap_or_default(),
            timestamp: q.timestamp.unwrap_or_default(),
            channel: q.channel,
            segment: q.segment,
            value: q.value,
            timestamp_format: None,
        },
        delimiter,
        format,
        max_bad_rows: q.max_bad_rows.unwrap_or(1000),
        max_rows: limits.max_import_rows,
        keep_rows: evidence::CACHE_ROWS,
    };
    let view = state.rooms.view(&map).await?;
    let dataset = random_id(ID_LEN);
    state
        .store
        .create_dataset(&dataset, &map, name, &user.id.0, now_ms())
        .await?;
    let job = ImportJob {
        store: &state.store,
        events: &state.events,
        evidence: &state.evidence,
        map: &map,
        id: &dataset,
        spec,
        max_bytes: limits.max_import_bytes,
        view: &view,
    };
    let record = run::run(job, body.into_data_stream()).await?;
    let api = to_api(&record, &view);
    state.events.publish_map(
        &map,
        &MapEvent::DatasetReady {
            dataset: api.clone(),
        },
    );
    Ok((StatusCode::CREATED, Json(api)).into_response())
}

async fn list(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    Path(id): Path<String>,
    Query(q): Query<LinkQuery>,
) -> Result<Json<DatasetList>, ApiError> {
    let map = parse_id(&id)?;
    member(&state, &map, user.as_ref(), q.link.as_deref()).await?;
    let view = state.rooms.view(&map).await?;
    let datasets = state
        .store
        .datasets(&map)
        .await?
        .iter()
        .map(|r| to_api(r, &view))
        .collect();
    Ok(Json(DatasetList { datasets }))
}

async fn dataset_of(state: &AppState, map: &MapId, d: &str) -> Result<DatasetRecord, ApiError> {
    state
        .store
        .dataset(map, d)
        .await?
        .ok_or(ApiError::NotFound("dataset"))
}

async fn one(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    Path((id, d)): Path<(String, String)>,
    Query(q): Query<LinkQuery>,
) -> Result<Json<Dataset>, ApiError> {
    let map = parse_id(&id)?;
    member(&state, &map, user.as_ref(), q.link.as_deref()).await?;
    let record = dataset_of(&state, &map, &d).await?;
    Ok(Json(to_api(&record, &state.rooms.view(&map).await?)))
}

async fn remove(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((id, d)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Editor).await?;
    dataset_of(&state, &map, &d).await?;
    state.store.delete_dataset(&d).await?;
    state.evidence.forget(&d);
    state
        .events
        .publish_map(&map, &MapEvent::DatasetDeleted { dataset: d });
    Ok(StatusCode::NO_CONTENT)
}

async fn set_mapping(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path((id, d)): Path<(String, String)>,
    ApiJson(body): ApiJson<DatasetMapping>,
) -> Result<Json<Dataset>, ApiError> {
    let map = parse_id(&id)?;
    require_role(&state, &map, &user, Role::Editor).await?;
    let record = dataset_of(&state, &map, &d).await?;
    let view = state.rooms.view(&map).await?;
    let counts: Vec<(String, u64)> = serde_json::from_str(&record.activities).unwrap_or_default();
    for link in &body.activities {
        if !counts.iter().any(|(name, _)| *name == link.activity) {
            return Err(ApiError::invalid(
                "unknown_activity",
                format!("the log has no activity “{}”", link.activity),
            ));
        }
        if let Some(stage) = &link.stage {
            if !view.stages.iter().any(|s| &s.id == stage) {
                return Err(ApiError::invalid(
                    "unknown_stage",
                    format!("the map has no stage “{stage}”"),
                ));
            }
        }
        if let Some(card) = &link.card {
            if !view.cards.iter().any(|c| &c.id == card) {
                return Err(ApiError::invalid(
                    "unknown_card",
                    format!("the map has no card “{card}”"),
                ));
            }
        }
    }
    let window = body.window_days.unwrap_or(record.window_days as u32);
    if !(1..=MAX_WINDOW_DAYS).contains(&window) {
        return Err(ApiError::invalid(
            "invalid_window",
            format!("the conversion window is 1 to {MAX_WINDOW_DAYS} days"),
        ));
    }
    if !evidence::valid_kpis(&body.kpis, &view) {
        return Err(ApiError::invalid(
            "invalid_kpi",
            "a KPI link needs a KPI card of this map and a metric: overall_conversion, or reach:, conversion: or median_days: followed by a stage id",
        ));
    }
    let mut stored = body;
    stored.window_days = Some(window);
    let json = serde_json::to_string(&stored).map_err(|e| ApiError::Internal(e.to_string()))?;
    state
        .store
        .set_dataset_mapping(&d, &json, i64::from(window))
        .await?;
    let record = dataset_of(&state, &map, &d).await?;
    if !stored.kpis.is_empty() {
        let analysis = compute_analysis(&state, &map, &record, &view, &Filter::default()).await?;
        write_kpis(&state, &map, &user.id, &analysis.kpis).await?;
    }
    state
        .events
        .publish_map(&map, &MapEvent::EvidenceChanged { dataset: d });
    Ok(Json(to_api(&record, &view)))
}

#[derive(Debug, Deserialize)]
struct AnalysisQuery {
    from: Option<i64>,
    to: Option<i64>,
    segment: Option<String>,
    link: Option<String>,
}

async fn analysis(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    Path((id, d)): Path<(String, String)>,
    Query(q): Query<AnalysisQuery>,
) -> Result<Json<Analysis>, ApiError> {
    let map = parse_id(&id)?;
    member(&state, &map, user.as_ref(), q.link.as_deref()).await?;
    let record = dataset_of(&state, &map, &d).await?;
    let view = state.rooms.view(&map).await?;
    let table = state.evidence.table(&state.store, &d).await?;
    let segment = q.segment.as_deref().filter(|s| !s.is_empty()).map(|s| {
        table
            .segments
            .iter()
            .position(|x| x == s)
            .map_or(u32::MAX, |i| i as u32)
    });
    let filter = Filter {
        from: q.from,
        to: q.to,
        segment,
    };
    Ok(Json(
        compute_analysis(&state, &map, &record, &view, &filter).await?,
    ))
}

pub(super) async fn compute_analysis(
    state: &AppState,
    _map: &MapId,
    record: &DatasetRecord,
    view: &MapView,
    filter: &Filter,
) -> Result<Analysis, ApiError> {
    let table = state.evidence.table(&state.store, &record.id).await?;
    let journey = journey_of(view);
    let mapping = mapping_for(
        &table,
        &stored_mapping(record),
        &journey,
        u32::try_from(record.window_days).unwrap_or(evidence::DEFAULT_WINDOW_DAYS),
    );
    let filter = filter.clone();
    let id = record.id.clone();
    tokio::task::spawn_blocking(move || compute::analyze(&table, &journey, &mapping, &filter, &id))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))
}

async fn process(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    Path((id, d)): Path<(String, String)>,
    Query(q): Query<LinkQuery>,
) -> Result<Json<ProcessGraph>, ApiError> {
    let map = parse_id(&id)?;
    member(&state, &map, user.as_ref(), q.link.as_deref()).await?;
    dataset_of(&state, &map, &d).await?;
    let table = state.evidence.table(&state.store, &d).await?;
    let graph = tokio::task::spawn_blocking(move || compute::process_graph(&table))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Json(graph))
}

/// Writes KPI cards' current values into the live map, as the server on `by`'s
/// behalf: every open page sees them, the history says where they came from.
async fn write_kpis(
    state: &AppState,
    map: &MapId,
    by: &UserId,
    values: &[KpiValue],
) -> Result<(), ApiError> {
    let (live, _) = state.rooms.snapshot(map).await?;
    let update = {
        use yrs::updates::decoder::Decode;
        use yrs::{ReadTxn, Transact};
        let doc = MapDoc::with_client_id(u64::from(rand::random::<u32>()));
        doc.doc()
            .transact_mut()
            .apply_update(
                yrs::Update::decode_v1(&live).map_err(|e| ApiError::Internal(e.to_string()))?,
            )
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        let before = doc.doc().transact().state_vector();
        doc.edit(|m| {
            for v in values {
                // A card removed or moved out of the KPI lane meanwhile is skipped.
                let _ = m.set_kpi_value(&v.card, KpiMeasure::Current, v.value);
            }
        });
        let update = doc.doc().transact().encode_state_as_update_v1(&before);
        update
    };
    state.rooms.apply_server_change(map, update, by).await?;
    Ok(())
}
