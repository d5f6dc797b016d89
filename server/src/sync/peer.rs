//! One sync WebSocket: joins the map's room, decodes what the peer sends (closing only
//! this connection on bad input), writes what the room queues, and keeps the link alive.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use hyper_util::rt::TokioIo;
use parcours_shared::ids::MapId;
use tokio::time::{interval_at, sleep_until, timeout, Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::protocol::frame::coding::{CloseCode, Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::WebSocketStream;

use super::command::{RoomCommand, RoomError};
use super::link::{close_code, next_peer_id, CloseReason, PeerIdentity, PeerInbox, PeerLink};
use super::registry::Rooms;
use super::wire::decode_frame;
use crate::metrics::{add, inc, Metrics};

/// The server side of an upgraded sync socket.
pub type SyncSocket = WebSocketStream<TokioIo<hyper::upgrade::Upgraded>>;

/// Most queued messages written to a socket before one flush.
const WRITE_BATCH: usize = 64;

/// Messages larger than this go out as a fragmented WebSocket message, frames of this
/// size. tungstenite copies each frame into a write buffer that keeps its largest
/// capacity for the socket's life; written whole, every peer's sync step 2 (the whole
/// map) would leave each idle socket holding a buffer the size of the map.
pub const FRAGMENT: usize = 2 * 1024;

/// Per-connection limits.
#[derive(Debug, Clone)]
pub struct PeerLimits {
    /// Time between keep-alive pings; two silent intervals close the socket.
    pub ping_interval: Duration,
    /// When the session or link that let the peer in expires, and the close it gets.
    pub ends: Option<(Instant, CloseReason)>,
}

/// How long writing to a peer may take, in ping intervals, before it is closed as not
/// reading: a client that stops reading would otherwise hold its task and buffers
/// forever. Two intervals, like silence on the other direction.
const WRITE_TIMEOUT_PINGS: u32 = 2;

/// The close frame for `reason`.
fn frame_for(reason: &CloseReason) -> CloseFrame {
    let (code, text) = reason.code_and_text();
    close_frame(code, text)
}

/// A close frame; the reason is cut to the 123 bytes the protocol allows.
fn close_frame(code: u16, reason: &str) -> CloseFrame {
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    CloseFrame {
        code: CloseCode::from(code),
        reason: reason[..end].into(),
    }
}

/// Serves one upgraded sync socket for `map` until either side closes it.
pub async fn serve_peer(
    mut socket: SyncSocket,
    map: MapId,
    rooms: Rooms,
    metrics: Arc<Metrics>,
    limits: PeerLimits,
    who: PeerIdentity,
) {
    let peer = next_peer_id();
    let (link, inbox) = PeerLink::new(rooms.settings().peer_queue);
    let PeerInbox {
        mut outbox,
        mut kick,
    } = inbox;
    let name = who.name.clone();
    let room = match rooms.join(&map, peer, link, who).await {
        Ok(room) => room,
        Err(e) => {
            let frame = match e {
                RoomError::NotFound => close_frame(close_code::MAP_NOT_FOUND, "map not found"),
                RoomError::Load(_) | RoomError::Busy | RoomError::Refused { .. } => {
                    close_frame(close_code::INTERNAL, "map could not be loaded")
                }
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
    let mut ends = limits.ends.clone();
    let write_timeout = limits.ping_interval * WRITE_TIMEOUT_PINGS;
    let close: Option<CloseFrame> = loop {
        tokio::select! {
            reason = &mut kick => {
                break reason.ok().map(|r| frame_for(&r));
            }
            _ = sleep_until(ends.as_ref().map_or_else(far_future, |(at, _)| *at)), if ends.is_some() => {
                let reason = ends.take().map(|(_, why)| why).unwrap_or(CloseReason::SessionExpired);
                tracing::info!(map = %map, peer, ?reason, "closing peer: access expired");
                break Some(frame_for(&reason));
            }
            out = outbox.recv() => match out {
                Some(bytes) => {
                    // Write what is queued in one go, then flush once.
                    let mut batch = vec![bytes];
                    while batch.len() < WRITE_BATCH {
                        match outbox.try_recv() {
                            Some(more) => batch.push(more),
                            None => break,
                        }
                    }
                    match timeout(write_timeout, write_all(&mut sink, batch)).await {
                        Ok(Ok(())) => {}
                        Ok(Err(_)) => break None,
                        Err(_) => {
                            tracing::info!(map = %map, peer, "peer does not read; closing");
                            inc(&metrics.peers_too_slow);
                            break None;
                        }
                    }
                }
                // The room let go of us; it may have said why just before.
                None => break kick.try_recv().ok().map(|r| frame_for(&r)),
            },
            _ = ping.tick() => {
                if last_heard.elapsed() > limits.ping_interval * 2 {
                    tracing::info!(map = %map, peer, "peer silent for two ping intervals; closing");
                    break Some(close_frame(close_code::TIMED_OUT, "no pong"));
                }
                if !matches!(timeout(write_timeout, sink.send(Message::Ping(Bytes::new()))).await, Ok(Ok(()))) { break None; }
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
                                let code = if e.is_policy() {
                                    inc(&metrics.presence_violations);
                                    close_code::POLICY
                                } else {
                                    close_code::BAD_INPUT
                                };
                                break Some(close_frame(code, &e.to_string()));
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
                        match bad_input(e) {
                            Some(code) => {
                                inc(&metrics.peers_rejected);
                                tracing::warn!(map = %map, peer, %error, "disconnecting peer: bad or oversize frame");
                                // Say why, if the socket still takes a frame.
                                let reason = if code == close_code::TOO_BIG {
                                    "message too big"
                                } else {
                                    "malformed frame"
                                };
                                break Some(close_frame(code, reason));
                            }
                            None => {
                                tracing::debug!(map = %map, peer, %error, "connection dropped");
                                break None;
                            }
                        }
                    }
                }
            }
        }
    };
    if let Some(frame) = close {
        let _ = timeout(write_timeout, sink.send(Message::Close(Some(frame)))).await;
    }
    let _ = timeout(write_timeout, sink.close()).await;
    let _ = room.send(RoomCommand::Leave { peer }).await;
    rooms.peer_offline(&map, peer);
    metrics.connections.fetch_sub(1, Ordering::Relaxed);
    tracing::debug!(map = %map, peer, "peer left");
}

/// The close code for a socket error that is the peer's fault (oversize or malformed
/// frames); `None` when the link merely dropped.
fn bad_input(error: tungstenite::Error) -> Option<u16> {
    use tungstenite::error::ProtocolError;
    match error {
        tungstenite::Error::Capacity(_) => Some(close_code::TOO_BIG),
        tungstenite::Error::Utf8(_) => Some(close_code::BAD_INPUT),
        tungstenite::Error::Protocol(ProtocolError::ResetWithoutClosingHandshake) => None,
        tungstenite::Error::Protocol(_) => Some(close_code::PROTOCOL),
        _ => None,
    }
}

/// Feeds every message to the socket, those over `FRAGMENT` as fragments, and
/// flushes once.
async fn write_all<S>(sink: &mut S, batch: Vec<Bytes>) -> Result<(), tungstenite::Error>
where
    S: futures_util::Sink<Message, Error = tungstenite::Error> + Unpin,
{
    for bytes in batch {
        for frame in fragments(bytes) {
            sink.feed(frame).await?;
        }
    }
    sink.flush().await
}

/// One binary message as what to send: itself when it fits in a fragment, else its
/// frames (the first binary, the others continuations, the last final).
fn fragments(mut bytes: Bytes) -> impl Iterator<Item = Message> {
    let mut whole = (bytes.len() <= FRAGMENT).then(|| std::mem::take(&mut bytes));
    let mut opcode = OpCode::Data(Data::Binary);
    std::iter::from_fn(move || {
        if let Some(whole) = whole.take() {
            return Some(Message::Binary(whole));
        }
        if bytes.is_empty() {
            return None;
        }
        let part = bytes.split_to(bytes.len().min(FRAGMENT));
        let frame = Frame::message(part, opcode, bytes.is_empty());
        opcode = OpCode::Data(Data::Continue);
        Some(Message::Frame(frame))
    })
}

fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(86_400 * 365)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (opcode, final, payload) of each frame `fragments` makes of `len` bytes.
    fn frames_of(len: usize) -> (Vec<(OpCode, bool)>, Vec<u8>) {
        let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        let mut kinds = Vec::new();
        let mut joined = Vec::new();
        for message in fragments(Bytes::from(data.clone())) {
            match message {
                Message::Binary(b) => {
                    kinds.push((OpCode::Data(Data::Binary), true));
                    joined.extend_from_slice(&b);
                }
                Message::Frame(f) => {
                    assert!(f.payload().len() <= FRAGMENT);
                    kinds.push((f.header().opcode, f.header().is_final));
                    joined.extend_from_slice(f.payload());
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(joined, data, "the frames carry the message, in order");
        (kinds, joined)
    }

    #[test]
    fn small_messages_go_whole_and_large_ones_in_fragments() {
        let binary = OpCode::Data(Data::Binary);
        let more = OpCode::Data(Data::Continue);
        assert_eq!(frames_of(0).0, [(binary, true)]);
        assert_eq!(frames_of(FRAGMENT).0, [(binary, true)]);
        assert_eq!(frames_of(FRAGMENT + 1).0, [(binary, false), (more, true)]);
        let (kinds, _) = frames_of(10 * FRAGMENT + 7);
        assert_eq!(kinds.len(), 11);
        assert_eq!(kinds[0], (binary, false));
        assert!(kinds[1..10].iter().all(|k| *k == (more, false)));
        assert_eq!(kinds[10], (more, true));
    }
}
