//! Server-Sent Events: `GET /api/maps/{id}/events` streams a map's thread, comment and
//! round events to its readers; `GET /api/inbox/events` streams the caller's new inbox
//! items. Each event is one `data:` line of JSON. A comment line is sent at once (so a
//! client knows it is subscribed) and every [`KEEP_ALIVE`]; streams end when the server
//! shuts down, the map is deleted, the reader loses access, or the reader falls behind
//! (the client reconnects and reloads over REST). The sync socket is unaffected.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream, StreamExt};
use parcours_shared::ids::UserId;
use parcours_shared::MapId;
use serde::Deserialize;

use super::access::{reader, token_hash};
use super::extract::parse_id;
use crate::auth::{AuthUser, MaybeAuthUser};
use crate::error::ApiError;
use crate::events::Subscription;
use crate::store::Store;
use crate::sync::Rooms;
use crate::util::now_ms;
use crate::AppState;

/// Interval of keep-alive comments, so proxies do not close a quiet stream.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/maps/{id}/events", get(map_events))
        .route("/api/inbox/events", get(inbox_events))
}

/// `?link=`: a public share link's token.
#[derive(Debug, Deserialize)]
struct LinkQuery {
    link: Option<String>,
}

/// Who may keep receiving a stream's events. Before each event the gate is asked
/// again; it reads the database only when access changed somewhere since it last
/// allowed ([`Rooms::access_epoch`], moved by the same calls that close live sockets)
/// or a link it relied on has expired, so a removed member or a revoked link stops
/// receiving at the next event without a query per event otherwise.
struct Gate {
    reader: Reader,
    /// The access epoch of the last check that allowed, and until when (a link's expiry).
    allowed: Option<(u64, Option<i64>)>,
}

enum Reader {
    Member { map: MapId, user: UserId },
    Link { map: MapId, hash: String },
    Inbox,
}

impl Gate {
    fn new(reader: Reader) -> Gate {
        Gate {
            reader,
            allowed: None,
        }
    }

    async fn allows(&mut self, store: &Store, rooms: &Rooms) -> bool {
        // Read before the check: a change committed after it moves the epoch again.
        let epoch = rooms.access_epoch();
        let now = now_ms();
        if let Some((at, until)) = self.allowed {
            if at == epoch && until.is_none_or(|until| now < until) {
                return true;
            }
        }
        let until = match &self.reader {
            Reader::Member { map, user } => match store.role_of(map, user).await {
                Ok(Some(_)) => None,
                _ => return false,
            },
            Reader::Link { map, hash } => match store.link_by_token_hash(hash).await {
                Ok(Some(l)) if l.public && &l.map_id == map && l.is_live(now) => l.expires_at,
                _ => return false,
            },
            Reader::Inbox => None,
        };
        self.allowed = Some((epoch, until));
        true
    }
}

async fn map_events(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    Path(id): Path<String>,
    Query(q): Query<LinkQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let map = parse_id(&id)?;
    let (_, link) = reader(&state, &map, user.as_ref(), q.link.as_deref()).await?;
    let reader = match (link, user, q.link) {
        (Some(_), _, Some(token)) => Reader::Link {
            map: map.clone(),
            hash: token_hash(&token),
        },
        (_, Some(user), _) => Reader::Member {
            map: map.clone(),
            user: user.id,
        },
        _ => return Err(ApiError::Unauthorized),
    };
    let sub = state.events.subscribe_map(&map);
    Ok(sse(sub, Gate::new(reader), &state))
}

async fn inbox_events(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let sub = state.events.subscribe_inbox(&user.id);
    sse(sub, Gate::new(Reader::Inbox), &state)
}

/// The SSE response over one subscription.
fn sse(
    sub: Subscription,
    gate: Gate,
    state: &AppState,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let hello = stream::once(async { Ok(Event::default().comment("subscribed")) });
    let (store, rooms, shutdown) = (
        state.store.clone(),
        state.rooms.clone(),
        state.shutdown.clone(),
    );
    let events = stream::unfold(
        (sub, gate, store, rooms, shutdown),
        |(mut sub, mut gate, store, rooms, shutdown)| async move {
            let json = tokio::select! {
                _ = shutdown.cancelled() => return None,
                json = sub.next() => json?,
            };
            if !gate.allows(&store, &rooms).await {
                return None;
            }
            let event = Event::default().data(&*json);
            Some((Ok(event), (sub, gate, store, rooms, shutdown)))
        },
    );
    Sse::new(hello.chain(events))
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE).text("keep-alive"))
}
