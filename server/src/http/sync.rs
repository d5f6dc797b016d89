//! `GET /sync/{map_id}`: the y-protocols WebSocket. A stock y-websocket provider joins
//! with server URL `ws://HOST/sync` and the map id as its room name.

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use parcours_shared::presence::{color_for, GUEST};
use parcours_shared::MapId;

use serde::Deserialize;

use super::access::reader;
use crate::auth::MaybeAuthUser;
use crate::error::ApiError;
use crate::sync::{serve_peer, PeerIdentity, PeerLimits};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/sync/{map_id}", get(upgrade))
}

/// `?link=`: a public share link's token, for anonymous read-only access.
#[derive(Debug, Deserialize)]
struct LinkQuery {
    link: Option<String>,
}

async fn upgrade(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    Path(map_id): Path<String>,
    Query(q): Query<LinkQuery>,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let map = MapId::parse(&map_id).ok_or(ApiError::NotFound("map"))?;
    // Authenticate and authorize before upgrading: a refused caller never gets a socket,
    // let alone a byte of the map.
    let (role, link) = reader(&state, &map, user.as_ref(), q.link.as_deref()).await?;
    let who = PeerIdentity {
        name: user.as_ref().map_or_else(
            || "Visitor (public link)".to_owned(),
            |u| u.display_name.clone(),
        ),
        color: color_for(user.as_ref().map_or(GUEST, |u| u.id.0.as_str())).to_owned(),
        user: user.map(|u| u.id),
        can_edit: role.can_edit(),
        via_link: link.map(|l| l.id),
    };
    let limit = state.config.max_message_bytes;
    let limits = PeerLimits {
        ping_interval: state.config.ping_interval(),
    };
    let rooms = state.rooms.clone();
    let metrics = state.metrics.clone();
    Ok(ws
        .max_message_size(limit)
        .max_frame_size(limit)
        .on_upgrade(move |socket| serve_peer(socket, map, rooms, metrics, limits, who))
        .into_response())
}
