//! Exports and imports over REST.
//!
//! - `GET /api/maps/{id}/export?format=pdf|png|svg|csv|json`: any reader (public links
//!   included) downloads what they can read: the live map, or a past one with
//!   `version=ID` or `at=MS`; `paper=poster|a4|a3` for PDF, `scale=1|2` for PNG. The
//!   evidence row is drawn for members when the map has an analysed dataset.
//! - `POST /api/maps/import/preview?format=json|csv[&title=]`: what an import would
//!   create, or every problem with its place; nothing is stored.
//! - `POST /api/maps/import?format=json|csv[&title=]`: a new map owned by the caller,
//!   written in one transaction (all or nothing), or 422 with the problems.

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::StreamExt;
use parcours_shared::api::Analysis;
use parcours_shared::exchange::{self, ImportPreview, Problem};
use parcours_shared::{Language, MapDoc, MapId};
use serde::{Deserialize, Serialize};

use super::access::reader;
use super::extract::parse_id;
use crate::auth::{AuthUser, MaybeAuthUser};
use crate::error::ApiError;
use crate::export::{self, ExportError, Format, ImportFormat, Paper, MAX_IMPORT_BYTES};
use crate::history::{self, HistoryError};
use crate::util::{now_ms, random_id};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/maps/{id}/export", get(export_map))
        .route(
            "/api/maps/import/preview",
            post(preview).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/api/maps/import",
            post(import).layer(DefaultBodyLimit::disable()),
        )
}

impl From<ExportError> for ApiError {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::TooLarge(message) => ApiError::TooLarge {
                code: "too_large",
                message,
            },
            ExportError::Busy => ApiError::TooMany {
                code: "busy",
                message: ExportError::Busy.to_string(),
            },
            ExportError::Internal(m) => ApiError::Internal(m),
        }
    }
}

#[derive(Debug, Deserialize)]
struct ExportQuery {
    format: Option<String>,
    paper: Option<String>,
    scale: Option<String>,
    version: Option<String>,
    at: Option<String>,
    link: Option<String>,
    /// `en` or `fr`: the drawing's own words (else the request's `Accept-Language`).
    lang: Option<String>,
}

async fn export_map(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    Path(id): Path<String>,
    Query(q): Query<ExportQuery>,
    request_headers: HeaderMap,
) -> Result<Response, ApiError> {
    let map = parse_id(&id)?;
    let (_, link) = reader(&state, &map, user.as_ref(), q.link.as_deref()).await?;
    let lang = match q.lang.as_deref() {
        None => crate::locale::preferred(&request_headers),
        Some("en") => Language::En,
        Some("fr") => Language::Fr,
        Some(_) => return Err(ApiError::invalid("invalid_lang", "`lang` is en or fr")),
    };
    let words = export::words::Words::of(lang);
    let format = q
        .format
        .as_deref()
        .map_or(Some(Format::Pdf), Format::parse)
        .ok_or_else(|| {
            ApiError::invalid(
                "invalid_format",
                "`format` is one of pdf, png, svg, csv, json",
            )
        })?;
    let paper = q
        .paper
        .as_deref()
        .map_or(Some(Paper::Poster), Paper::parse)
        .ok_or_else(|| ApiError::invalid("invalid_paper", "`paper` is one of poster, a4, a3"))?;
    let scale = match q.scale.as_deref() {
        None | Some("1") => 1,
        Some("2") => 2,
        Some(_) => return Err(ApiError::invalid("invalid_scale", "`scale` is 1 or 2")),
    };
    let now = now_ms();
    let (view, note, at) = match (q.version.as_deref(), q.at.as_deref()) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid(
                "invalid_moment",
                "give `version` or `at`, not both",
            ))
        }
        (Some(v), None) => {
            let version = state
                .store
                .version(&map, v)
                .await?
                .ok_or(ApiError::NotFound("version"))?;
            let view = history::view_at(&state.store, &map, version.seq).await?;
            let at = words.date(version.at);
            let note = match version.name.as_deref() {
                Some(name) => words.fill(words.version_named, &[("name", &name), ("at", &at)]),
                None => words.fill(words.version, &[("at", &at)]),
            };
            (view, note, version.at)
        }
        (None, Some(at)) => {
            let at = at
                .parse::<i64>()
                .ok()
                .filter(|ms| *ms >= 0)
                .ok_or_else(|| {
                    ApiError::invalid(
                        "invalid_moment",
                        "`at` must be a moment in milliseconds since the epoch",
                    )
                })?;
            let (seq, when) = state
                .store
                .seq_at(&map, at)
                .await?
                .ok_or(HistoryError::BeforeHistory)?;
            let view = history::view_at(&state.store, &map, seq).await?;
            (
                view,
                words.fill(words.as_of, &[("at", &words.date(when))]),
                when,
            )
        }
        (None, None) => (
            state.rooms.view(&map).await?,
            words.fill(words.live, &[("at", &words.date(now))]),
            now,
        ),
    };
    // Customer data is for members: public links never see the evidence row.
    let evidence = match (format, link) {
        (Format::Pdf | Format::Png | Format::Svg, None) => {
            newest_analysis(&state, &map, &view).await?
        }
        _ => None,
    };
    let filename = file_name(&view.meta.title, at, format);
    let bytes = export::export(
        &state.drawing,
        export::Request {
            format,
            paper,
            scale,
            view,
            note,
            evidence,
            now,
            words,
        },
    )
    .await?;
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        filename.replace(
            |c: char| !c.is_ascii_alphanumeric() && c != '.' && c != '-',
            "_"
        ),
        percent(&filename)
    );
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The analysis of the map's newest dataset that finished importing, if any.
async fn newest_analysis(
    state: &AppState,
    map: &MapId,
    view: &parcours_shared::view::MapView,
) -> Result<Option<Analysis>, ApiError> {
    let datasets = state.store.datasets(map).await?;
    let Some(record) = datasets
        .iter()
        .filter(|d| d.status == "ready")
        .max_by_key(|d| d.created_at)
    else {
        return Ok(None);
    };
    let filter = crate::evidence::compute::Filter::default();
    Ok(Some(
        super::evidence::compute_analysis(state, map, record, view, &filter).await?,
    ))
}

/// "Retail bank- choosing an account 2026-12-02.pdf".
fn file_name(title: &str, at: i64, format: Format) -> String {
    let mut name: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == ' ' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let name: String = name.chars().take(80).collect();
    let day = export::words::EN.date(at);
    let date = day.split(',').next().unwrap_or("").replace(' ', "-");
    format!(
        "{} {date}.{}",
        if name.is_empty() { "map" } else { &name },
        format.extension()
    )
}

/// RFC 5987 encoding of a file name.
fn percent(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(Debug, Deserialize)]
struct ImportQuery {
    format: Option<String>,
    title: Option<String>,
}

/// 422 body of a refused import: the API's error fields plus every problem.
#[derive(Debug, Serialize)]
struct Refused {
    code: &'static str,
    message: String,
    problems: Vec<Problem>,
}

fn refused(problems: Vec<Problem>) -> Response {
    let first = problems
        .first()
        .map(|p| format!("{}: {}", p.at, p.message))
        .unwrap_or_default();
    let message = match problems.len() {
        1 => first,
        n => format!("{first} (and {} more problems)", n - 1),
    };
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(Refused {
            code: "invalid_import",
            message,
            problems,
        }),
    )
        .into_response()
}

fn import_format(q: &ImportQuery) -> Result<ImportFormat, ApiError> {
    match q.format.as_deref().unwrap_or("json") {
        "json" => Ok(ImportFormat::Json),
        "csv" => Ok(ImportFormat::Csv),
        _ => Err(ApiError::invalid(
            "invalid_format",
            "`format` is json or csv",
        )),
    }
}

/// The request body, refused with 413 as soon as it is known to be over the limit
/// (announced length first, then while reading).
async fn read_body(headers: &HeaderMap, body: Body) -> Result<Vec<u8>, ApiError> {
    let too_large = || ApiError::TooLarge {
        code: "too_large",
        message: format!("an import is at most {MAX_IMPORT_BYTES} bytes"),
    };
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_IMPORT_BYTES as u64) {
        return Err(too_large());
    }
    let mut data = Vec::with_capacity(announced.unwrap_or(0) as usize);
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk
            .map_err(|e| ApiError::invalid("invalid_body", format!("upload interrupted: {e}")))?;
        if data.len() + chunk.len() > MAX_IMPORT_BYTES {
            return Err(too_large());
        }
        data.extend_from_slice(&chunk);
    }
    Ok(data)
}

async fn preview(
    State(state): State<AppState>,
    AuthUser(_user): AuthUser,
    Query(q): Query<ImportQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<ImportPreview>, ApiError> {
    let format = import_format(&q)?;
    let _slot = state.drawing.import_slot()?;
    let data = read_body(&headers, body).await?;
    let title = q.title.clone();
    let untitled = export::words::Words::of(crate::locale::preferred(&headers)).untitled;
    let now = now_ms();
    let preview = tokio::task::spawn_blocking(move || {
        match export::read_upload(format, &data, (title.as_deref(), untitled), now) {
            Ok((file, counts)) => ImportPreview {
                title: file.map.meta.title.clone(),
                counts,
                stages: file.map.stages.iter().map(|s| s.name.clone()).collect(),
                lanes: file.map.lanes.iter().map(|l| l.name.clone()).collect(),
                problems: Vec::new(),
            },
            Err(problems) => ImportPreview {
                problems,
                ..ImportPreview::default()
            },
        }
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Json(preview))
}

async fn import(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Query(q): Query<ImportQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let format = import_format(&q)?;
    let slot = state.drawing.import_slot()?;
    let data = read_body(&headers, body).await?;
    let title = q.title.clone();
    let untitled = export::words::Words::of(crate::locale::preferred(&headers)).untitled;
    let now = now_ms();
    let built = tokio::task::spawn_blocking(move || {
        let (file, counts) = export::read_upload(format, &data, (title.as_deref(), untitled), now)?;
        let doc = MapDoc::new(yrs::Doc::new());
        let mut ids = || random_id(12);
        let title = file.map.meta.title.trim().to_owned();
        doc.edit(|txn| exchange::write(&file.map, &title, txn, &mut ids))
            .map_err(|e| vec![Problem::new("$.map", "not_written", &[("error", &e)])])?;
        use yrs::{ReadTxn, StateVector, Transact};
        let state = doc
            .doc()
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        Ok::<_, Vec<Problem>>((file.map.meta, state, counts))
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    drop(slot);
    let (meta, state_bytes, counts) = match built {
        Ok(x) => x,
        Err(problems) => return Ok(refused(problems)),
    };
    let summary = super::maps::create_owned(
        &state,
        &user.id,
        meta.title.trim(),
        meta.itinerary,
        &state_bytes,
    )
    .await?;
    tracing::info!(map = %summary.id, cards = counts.cards, "map imported");
    Ok((StatusCode::CREATED, Json(summary)).into_response())
}
