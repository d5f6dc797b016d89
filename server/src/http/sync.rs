//! `GET /sync/{map_id}`: the y-protocols WebSocket. A stock y-websocket provider joins
//! with server URL `ws://HOST/sync` and the map id as its room name.

use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use parcours_shared::presence::{color_for, GUEST};
use parcours_shared::MapId;

use serde::Deserialize;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use super::access::reader;
use crate::auth::{Caller, ClientAddr, TokenSource};
use crate::connections::Kind;
use crate::error::ApiError;
use crate::sync::{serve_peer, CloseReason, PeerIdentity, PeerLimits};
use crate::util::now_ms;

use super::guard::origin_allowed;
use super::upgrade::Upgrade;

/// Largest frame a viewer, commenter or public-link visitor may send: presence and
/// small sync messages fit; their document updates are dropped unread by the room.
const READ_ONLY_MAX_MESSAGE: usize = 1024 * 1024;

/// What tungstenite allocates per socket, for the socket's whole life, to read frames
/// into, and the most it reads in one system call (its default, 128 KiB, made an idle
/// socket cost ~150 KB; 4 KiB still ~3 KiB more than this). Presence and typical edits
/// (tens to hundreds of bytes) fit in one read; a larger frame grows the buffer while
/// it is read (up to the message limit), 1 KiB a read.
const SOCKET_READ_BUFFER: usize = 1024;

/// Frames are gathered up to this size before tungstenite writes them out (the peer
/// task flushes after each batch anyway, so this only saves system calls). The buffer
/// keeps its largest size for the socket's life: with messages cut into fragments of
/// `sync::FRAGMENT`, it stays under this plus one fragment.
const SOCKET_WRITE_BUFFER: usize = 2 * 1024;

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
    Caller(session): Caller,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Path(map_id): Path<String>,
    Query(q): Query<LinkQuery>,
    ws: Upgrade,
) -> Result<Response, ApiError> {
    let map = MapId::parse(&map_id).ok_or(ApiError::NotFound("map"))?;
    // A browser opens this socket with its cookie from any page that asks: only this
    // server's own pages (or the allowed origins) may.
    if session
        .as_ref()
        .is_some_and(|s| s.source == TokenSource::Cookie)
        && !origin_allowed(&headers, &state.config.allowed_origins, true)
    {
        return Err(ApiError::Forbidden(
            "this page's origin may not open the map with your session",
        ));
    }
    let user = session.as_ref().map(|s| &s.user);
    // Authenticate and authorize before upgrading: a refused caller never gets a socket,
    // let alone a byte of the map.
    let (role, link) = reader(&state, &map, user, q.link.as_deref()).await?;
    let slot = state
        .connections
        .acquire(Kind::Socket, user.map(|u| &u.id), addr)?;
    // The socket lives no longer than what let it in.
    let session_end = session
        .as_ref()
        .map(|s| (s.expires_at, CloseReason::SessionExpired));
    let link_end = link
        .as_ref()
        .and_then(|l| l.expires_at)
        .map(|at| (at, CloseReason::LinkExpired));
    let ends = [session_end, link_end]
        .into_iter()
        .flatten()
        .min_by_key(|(at, _)| *at)
        .map(|(at, why)| (deadline_in(at), why));
    let who = PeerIdentity {
        name: user.map_or_else(
            || "Visitor (public link)".to_owned(),
            |u| u.display_name.clone(),
        ),
        color: color_for(user.map_or(GUEST, |u| u.id.0.as_str())).to_owned(),
        user: user.map(|u| u.id.clone()),
        can_edit: role.can_edit(),
        via_link: link.map(|l| l.id),
    };
    // Read-only peers have nothing big to send: their updates are dropped anyway.
    let limit = if role.can_edit() {
        state.config.max_message_bytes
    } else {
        state.config.max_message_bytes.min(READ_ONLY_MAX_MESSAGE)
    };
    let limits = PeerLimits {
        ping_interval: state.config.ping_interval(),
        ends,
    };
    let rooms = state.rooms.clone();
    let metrics = state.metrics.clone();
    let config = WebSocketConfig::default()
        .read_buffer_size(SOCKET_READ_BUFFER)
        .write_buffer_size(SOCKET_WRITE_BUFFER)
        .max_message_size(Some(limit))
        .max_frame_size(Some(limit));
    Ok(ws.on_upgrade(config, move |socket| async move {
        serve_peer(socket, map, rooms, metrics, limits, who).await;
        drop(slot);
    }))
}

/// The `Instant` of `at_ms` (ms since the epoch), now if it passed.
fn deadline_in(at_ms: i64) -> tokio::time::Instant {
    let left = u64::try_from(at_ms.saturating_sub(now_ms())).unwrap_or(0);
    tokio::time::Instant::now() + Duration::from_millis(left)
}
