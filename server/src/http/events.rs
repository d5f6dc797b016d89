//! Server-Sent Events: `GET /api/maps/{id}/events` streams a map's thread, comment and
//! round events to its readers; `GET /api/inbox/events` streams the caller's new inbox
//! items. Each event is one `data:` line of JSON. A comment line is sent at once (so a
//! client knows it is subscribed) and every [`KEEP_ALIVE`]; streams end when the server
//! shuts down, the map is deleted, the reader loses access, or the reader falls behind
//! (the client reconnects and reloads over REST). The sync socket is unaffected.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream, StreamExt};
use parcours_shared::ids::UserId;
use parcours_shared::MapId;
use serde::Deserialize;
use tokio::sync::watch;
use tokio::time::sleep_until;

use super::access::{discussion_reader, token_hash};
use super::extract::parse_id;
use super::guard::origin_allowed;
use crate::auth::{Caller, ClientAddr, Session, TokenSource};
use crate::connections::{ConnectionSlot, Kind};
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

/// Who may keep receiving a stream's events. The gate is asked again before each
/// event and whenever access changes anywhere ([`Rooms::watch_access`], moved by the
/// same calls that close live sockets: role changes, removals, revoked links, sign-outs
/// and password changes); it reads the database only then, or when the link or session
/// it relied on has expired. So a removed member, a revoked link or a signed-out
/// session stops receiving at once, without a query per event otherwise.
struct Gate {
    reader: Reader,
    /// The session the stream was opened with, if any.
    session: Option<SessionCheck>,
    /// The access epoch of the last check that allowed, and until when (a link's or
    /// the session's expiry).
    allowed: Option<(u64, Option<i64>)>,
}

/// What a session-opened stream checks again: the account's token version (sign-out
/// and password changes move it) and the token's expiry.
struct SessionCheck {
    user: UserId,
    version: i64,
    expires_at: i64,
}

enum Reader {
    Member { map: MapId, user: UserId },
    Link { map: MapId, hash: String },
    Inbox,
}

impl Gate {
    fn new(reader: Reader, session: Option<&Session>) -> Gate {
        Gate {
            reader,
            session: session.map(|s| SessionCheck {
                user: s.user.id.clone(),
                version: s.user.token_version,
                expires_at: s.expires_at,
            }),
            allowed: None,
        }
    }

    /// When the gate must be asked again even without an event, if ever.
    fn until(&self) -> Option<i64> {
        self.allowed.and_then(|(_, until)| until)
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
        let mut until = match &self.reader {
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
        if let Some(session) = &self.session {
            if now >= session.expires_at {
                return false;
            }
            match store.user_by_id(&session.user).await {
                Ok(Some(u)) if u.token_version == session.version => {}
                _ => return false,
            }
            until = Some(until.map_or(session.expires_at, |u| u.min(session.expires_at)));
        }
        self.allowed = Some((epoch, until));
        true
    }
}

async fn map_events(
    State(state): State<AppState>,
    Caller(session): Caller,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<LinkQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let map = parse_id(&id)?;
    check_origin(&state, session.as_ref(), &headers)?;
    let user = session.as_ref().map(|s| &s.user);
    let (_, link) = discussion_reader(&state, &map, user, q.link.as_deref()).await?;
    let reader = match (link, user, q.link) {
        (Some(_), _, Some(token)) => Reader::Link {
            map: map.clone(),
            hash: token_hash(&token),
        },
        (_, Some(user), _) => Reader::Member {
            map: map.clone(),
            user: user.id.clone(),
        },
        _ => return Err(ApiError::Unauthorized),
    };
    let slot = state
        .connections
        .acquire(Kind::Stream, user.map(|u| &u.id), addr)?;
    let sub = state.events.subscribe_map(&map);
    let gate = Gate::new(reader, session.as_ref());
    Ok(sse(sub, gate, slot, &state))
}

async fn inbox_events(
    State(state): State<AppState>,
    Caller(session): Caller,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let Some(session) = session else {
        return Err(ApiError::Unauthorized);
    };
    check_origin(&state, Some(&session), &headers)?;
    let slot = state
        .connections
        .acquire(Kind::Stream, Some(&session.user.id), addr)?;
    let sub = state.events.subscribe_inbox(&session.user.id);
    let gate = Gate::new(Reader::Inbox, Some(&session));
    Ok(sse(sub, gate, slot, &state))
}

/// A page on another site may not read the events of the session its browser holds.
/// (`EventSource` sends `Origin` only across origins, so a missing one is fine.)
fn check_origin(
    state: &AppState,
    session: Option<&Session>,
    headers: &HeaderMap,
) -> Result<(), ApiError> {
    if session.is_some_and(|s| s.source == TokenSource::Cookie)
        && !origin_allowed(headers, &state.config.allowed_origins, false)
    {
        return Err(ApiError::Forbidden(
            "this page's origin may not read events with your session",
        ));
    }
    Ok(())
}

/// The SSE response over one subscription; it ends when the gate says no (checked at
/// each event, at each access change anywhere, and when what it relied on expires).
fn sse(
    sub: Subscription,
    gate: Gate,
    slot: ConnectionSlot,
    state: &AppState,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let hello = stream::once(async { Ok(Event::default().comment("subscribed")) });
    let context = StreamContext {
        sub,
        gate,
        store: state.store.clone(),
        rooms: state.rooms.clone(),
        access: state.rooms.watch_access(),
        shutdown: state.shutdown.clone(),
        _slot: slot,
    };
    let events = stream::unfold(context, |mut cx| async move {
        if !cx.gate.allows(&cx.store, &cx.rooms).await {
            return None;
        }
        loop {
            let expiry = cx.gate.until().map(|until| {
                let left = u64::try_from(until.saturating_sub(now_ms())).unwrap_or(0);
                tokio::time::Instant::now() + Duration::from_millis(left)
            });
            let json = tokio::select! {
                _ = cx.shutdown.cancelled() => return None,
                changed = cx.access.changed() => {
                    if changed.is_err() || !cx.gate.allows(&cx.store, &cx.rooms).await {
                        return None;
                    }
                    continue;
                }
                _ = sleep_until(expiry.unwrap_or_else(tokio::time::Instant::now)), if expiry.is_some() => {
                    if !cx.gate.allows(&cx.store, &cx.rooms).await {
                        return None;
                    }
                    continue;
                }
                json = cx.sub.next() => json?,
            };
            if !cx.gate.allows(&cx.store, &cx.rooms).await {
                return None;
            }
            let event = Event::default().data(&*json);
            return Some((Ok(event), cx));
        }
    });
    Sse::new(hello.chain(events))
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE).text("keep-alive"))
}

/// What a stream carries along between events.
struct StreamContext {
    sub: Subscription,
    gate: Gate,
    store: Store,
    rooms: Rooms,
    access: watch::Receiver<u64>,
    shutdown: tokio_util::sync::CancellationToken,
    /// Held while the stream lives (per-account and per-address caps).
    _slot: ConnectionSlot,
}
