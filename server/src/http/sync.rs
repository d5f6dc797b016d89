//! `GET /sync/{map_id}`: the y-protocols WebSocket. A stock y-websocket provider joins
//! with server URL `ws://HOST/sync` and the map id as its room name.

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use parcours_shared::MapId;

use crate::error::ApiError;
use crate::sync::{serve_peer, PeerLimits};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/sync/{map_id}", get(upgrade))
}

async fn upgrade(
    State(state): State<AppState>,
    Path(map_id): Path<String>,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let map = MapId::parse(&map_id).ok_or(ApiError::NotFound("map"))?;
    // Refuse before upgrading, so a wrong id never gets a socket.
    state
        .store
        .get_map(&map)
        .await?
        .ok_or(ApiError::NotFound("map"))?;
    let limit = state.config.max_message_bytes;
    let limits = PeerLimits {
        ping_interval: state.config.ping_interval(),
    };
    let rooms = state.rooms.clone();
    let metrics = state.metrics.clone();
    Ok(ws
        .max_message_size(limit)
        .max_frame_size(limit)
        .on_upgrade(move |socket| serve_peer(socket, map, rooms, metrics, limits))
        .into_response())
}
