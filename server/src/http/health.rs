//! `GET /healthz` (is the database answering?) and `GET /metrics` (Prometheus text).

use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::error::error_response;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
}

/// How long `/healthz` waits for the database: a database that is down can make a
/// query wait for the pool's acquire timeout (10 s), longer than a probe waits.
const PING_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// `503 database_unavailable` when the database does not answer within [`PING_TIMEOUT`], `503
/// storage_failing` when it answers but rooms' writes to it fail (a full disk, a file
/// made read-only, a lock held): live editing goes on meanwhile and the rooms keep and
/// retry what they could not write.
async fn healthz(State(state): State<AppState>) -> Response {
    let ping = tokio::time::timeout(PING_TIMEOUT, state.store.ping()).await;
    match ping {
        Ok(Ok(())) => {
            let failing = state.metrics.writers_failing.load(Ordering::Relaxed);
            if failing > 0 {
                tracing::warn!(failing, "health check: writes to the database are failing");
                return error_response(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "storage_failing",
                    "writes to the database are failing; edits are kept in memory and retried",
                );
            }
            (StatusCode::OK, "ok\n").into_response()
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, "health check: database unavailable");
            error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                "database_unavailable",
                "database unavailable",
            )
        }
        Err(_) => {
            tracing::error!(timeout = ?PING_TIMEOUT, "health check: the database did not answer");
            error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                "database_unavailable",
                "database unavailable",
            )
        }
    }
}

/// `GET /metrics`; with `--metrics-token`, only for `Authorization: Bearer <token>`.
async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(expected) = &state.config.metrics_token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        if !constant_time_eq(given.trim().as_bytes(), expected.expose().as_bytes()) {
            return error_response(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "the metrics need the metrics token",
            );
        }
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}

/// Compares secrets in time independent of where they differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
