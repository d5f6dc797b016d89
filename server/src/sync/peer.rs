//! One sync WebSocket: joins the map's room, decodes what the peer sends (closing only
//! this connection on bad input), writes what the room queues, and keeps the link alive.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use parcours_shared::MapId;
use tokio::sync::{mpsc, oneshot};
use tokio::time::{interval_at, Instant, MissedTickBehavior};

use super::room::{PeerIdentity, RoomCommand};
use super::wire::decode_frame;
use super::{RoomError, Rooms};
use crate::metrics::{add, inc, Metrics};

/// A connection's id within the process.
pub(crate) type PeerId = u64;

static NEXT_PEER: AtomicU64 = AtomicU64::new(1);

/// Most queued messages written to a socket before one flush.
const WRITE_BATCH: usize = 64;

/// Close codes sent to peers, with their meaning.
pub mod close_code {
    /// The server is shutting down; reconnect later.
    pub const GOING_AWAY: u16 = 1001;
    /// Text frames are not part of y-protocols.
    pub const UNSUPPORTED: u16 = 1003;
    /// A malformed message or a corrupt or unusable update.
    pub const BAD_INPUT: u16 = 1007;
    /// The room failed; reconnect.
    pub const INTERNAL: u16 = 1011;
    /// The map does not exist or was deleted.
    pub const MAP_NOT_FOUND: u16 = 4404;
    /// The peer read too slowly and fell behind; reconnect to resync.
    pub const TOO_SLOW: u16 = 4408;
    /// No pong or message within two ping intervals.
    pub const TIMED_OUT: u16 = 4410;
    /// The account signed out or changed its password.
    pub const SIGNED_OUT: u16 = 4401;
    /// The account's access to the map was removed (or its link revoked).
    pub const ACCESS_REMOVED: u16 = 4403;
}

/// Why the server closes a peer's socket.
#[derive(Debug, Clone)]
pub(crate) enum CloseReason {
    BadInput(String),
    TooSlow,
    MapDeleted,
    ShuttingDown,
    SignedOut,
    AccessRemoved,
}

impl CloseReason {
    fn frame(&self) -> CloseFrame {
        let (code, reason) = match self {
            CloseReason::BadInput(r) => (close_code::BAD_INPUT, r.as_str()),
            CloseReason::TooSlow => (
                close_code::TOO_SLOW,
                "too slow to keep up; reconnect to resync",
            ),
            CloseReason::MapDeleted => (close_code::MAP_NOT_FOUND, "map deleted"),
            CloseReason::ShuttingDown => (close_code::GOING_AWAY, "server shutting down"),
            CloseReason::SignedOut => (close_code::SIGNED_OUT, "signed out"),
            CloseReason::AccessRemoved => {
                (close_code::ACCESS_REMOVED, "access to this map was removed")
            }
        };
        close_frame(code, reason)
    }
}

/// A close frame; the reason is cut to the 123 bytes the protocol allows.
fn close_frame(code: u16, reason: &str) -> CloseFrame {
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    CloseFrame {
        code,
        reason: reason[..end].into(),
    }
}

/// The room's way to reach one peer: a bounded queue and a one-time close signal.
pub(crate) struct PeerLink {
    outbox: mpsc::Sender<Bytes>,
    kick: Option<oneshot::Sender<CloseReason>>,
}

impl PeerLink {
    /// Queues a message. False when the queue is full (the peer is too slow); a peer
    /// already gone counts as delivered (its `Leave` is on the way).
    pub(crate) fn send(&self, message: Bytes) -> bool {
        !matches!(
            self.outbox.try_send(message),
            Err(mpsc::error::TrySendError::Full(_))
        )
    }

    /// Asks the connection to close with `reason` (once).
    pub(crate) fn close(&mut self, reason: CloseReason) {
        if let Some(kick) = self.kick.take() {
            let _ = kick.send(reason);
        }
    }
}

/// Per-connection limits.
#[derive(Debug, Clone, Copy)]
pub struct PeerLimits {
    /// Time between keep-alive pings; two silent intervals close the socket.
    pub ping_interval: Duration,
}

/// Serves one upgraded sync socket for `map` until either side closes it.
pub async fn serve_peer(
    mut socket: WebSocket,
    map: MapId,
    rooms: Rooms,
    metrics: Arc<Metrics>,
    limits: PeerLimits,
    who: PeerIdentity,
) {
    let peer = NEXT_PEER.fetch_add(1, Ordering::Relaxed);
    let (outbox_tx, mut outbox) = mpsc::channel(rooms.settings().peer_queue);
    let (kick_tx, mut kick) = oneshot::channel();
    let link = PeerLink {
        outbox: outbox_tx,
        kick: Some(kick_tx),
    };
    let name = who.name.clone();
    let room = match join(&rooms, &map, peer, link, who).await {
        Ok(room) => room,
        Err(e) => {
            let frame = match e {
                RoomError::NotFound => close_frame(close_code::MAP_NOT_FOUND, "map not found"),
                RoomError::Load(_) => close_frame(close_code::INTERNAL, "map could not be loaded"),
            };
            let _ = socket.send(Message::Close(Some(frame))).await;
            return;
        }
    };
    metrics.connections.fetch_add(1, Ordering::Relaxed);
    rooms.peer_online(&map, peer, name);
    tracing::debug!(map = %map, peer, "peer joined");

    let (mut sink, mut stream) = socket.split();
    let mut ping = interval_at(Instant::now() + limits.ping_interval, limits.ping_interval);
    ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut last_heard = Instant::now();
    let close: Option<CloseFrame> = loop {
        tokio::select! {
            reason = &mut kick => {
                break reason.ok().map(|r| r.frame());
            }
            out = outbox.recv() => match out {
                Some(bytes) => {
                    // Write what is queued in one go, then flush once.
                    let mut batch = vec![bytes];
                    while batch.len() < WRITE_BATCH {
                        match outbox.try_recv() {
                            Ok(more) => batch.push(more),
                            Err(_) => break,
                        }
                    }
                    if write_all(&mut sink, batch).await.is_err() { break None; }
                }
                // The room let go of us; it may have said why just before.
                None => break kick.try_recv().ok().map(|r| r.frame()),
            },
            _ = ping.tick() => {
                if last_heard.elapsed() > limits.ping_interval * 2 {
                    tracing::info!(map = %map, peer, "peer silent for two ping intervals; closing");
                    break Some(close_frame(close_code::TIMED_OUT, "no pong"));
                }
                if sink.send(Message::Ping(Bytes::new())).await.is_err() { break None; }
            }
            frame = stream.next() => {
                last_heard = Instant::now();
                match frame {
                    Some(Ok(Message::Binary(data))) => {
                        add(&metrics.bytes_received, data.len() as u64);
                        match decode_frame(&data) {
                            Ok(messages) if messages.is_empty() => {}
                            Ok(messages) => {
                                if room.send(RoomCommand::Frame { peer, messages }).await.is_err() {
                                    break Some(close_frame(close_code::INTERNAL, "room closed"));
                                }
                            }
                            Err(e) => {
                                inc(&metrics.peers_rejected);
                                tracing::warn!(map = %map, peer, reason = %e, "disconnecting peer");
                                break Some(close_frame(close_code::BAD_INPUT, &e.to_string()));
                            }
                        }
                    }
                    Some(Ok(Message::Text(_))) => {
                        inc(&metrics.peers_rejected);
                        tracing::warn!(map = %map, peer, "disconnecting peer: text frame");
                        break Some(close_frame(close_code::UNSUPPORTED, "binary y-protocols frames only"));
                    }
                    Some(Ok(Message::Close(_))) | None => break None,
                    Some(Ok(_)) => {} // ping / pong: alive
                    Some(Err(e)) => {
                        let error = e.to_string();
                        if is_bad_input(e) {
                            inc(&metrics.peers_rejected);
                            tracing::warn!(map = %map, peer, %error, "disconnecting peer: bad or oversize frame");
                        } else {
                            tracing::debug!(map = %map, peer, %error, "connection dropped");
                        }
                        break None;
                    }
                }
            }
        }
    };
    if let Some(frame) = close {
        let _ = sink.send(Message::Close(Some(frame))).await;
    }
    let _ = sink.close().await;
    let _ = room.send(RoomCommand::Leave { peer }).await;
    rooms.peer_offline(&map, peer);
    metrics.connections.fetch_sub(1, Ordering::Relaxed);
    tracing::debug!(map = %map, peer, "peer left");
}

/// True when a socket error is the peer's fault (oversize or malformed frames), false
/// when the link merely dropped.
fn is_bad_input(error: axum::Error) -> bool {
    use tungstenite::error::ProtocolError;
    match error.into_inner().downcast::<tungstenite::Error>() {
        Ok(e) => match *e {
            tungstenite::Error::Capacity(_) | tungstenite::Error::Utf8(_) => true,
            tungstenite::Error::Protocol(ProtocolError::ResetWithoutClosingHandshake) => false,
            tungstenite::Error::Protocol(_) => true,
            _ => false,
        },
        Err(_) => false,
    }
}

/// Feeds every message to the socket and flushes once.
async fn write_all<S>(sink: &mut S, batch: Vec<Bytes>) -> Result<(), axum::Error>
where
    S: futures_util::Sink<Message, Error = axum::Error> + Unpin,
{
    for bytes in batch {
        sink.feed(Message::Binary(bytes)).await?;
    }
    sink.flush().await
}

/// Joins `map`'s room, starting it if needed; retries when the room unloaded between
/// lookup and join. Returns the room's inbox.
async fn join(
    rooms: &Rooms,
    map: &MapId,
    peer: PeerId,
    mut link: PeerLink,
    who: PeerIdentity,
) -> Result<mpsc::Sender<RoomCommand>, RoomError> {
    for _ in 0..3 {
        let handle = rooms.handle(map);
        let (reply, answer) = oneshot::channel();
        if let Err(mpsc::error::SendError(cmd)) = handle
            .tx
            .send(RoomCommand::Join {
                peer,
                link,
                who: who.clone(),
                reply,
            })
            .await
        {
            // The room unloaded between lookup and send: take the link back, start anew.
            match cmd {
                RoomCommand::Join { link: back, .. } => link = back,
                _ => return Err(RoomError::Load("room refused the join".into())),
            }
            continue;
        }
        return match answer.await {
            Ok(Ok(())) => Ok(handle.tx),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(RoomError::Load("room stopped while joining".into())),
        };
    }
    Err(RoomError::Load("room keeps stopping".into()))
}
