//! The y-protocols wire format: decoding what peers send (guarded against panics) and
//! encoding what the room sends.

use std::panic::{catch_unwind, AssertUnwindSafe};

use bytes::Bytes;
use yrs::sync::awareness::AwarenessUpdate;
use yrs::sync::{Message, SyncMessage};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{StateVector, Update};

/// Messages in one frame beyond which the frame is refused (y-websocket sends one).
const MAX_MESSAGES_PER_FRAME: usize = 64;

/// One decoded message from a peer, ready for the room.
pub(crate) enum Incoming {
    /// The peer's state vector: answer with what it lacks.
    SyncStep1(StateVector),
    /// The peer's answer to the room's sync step 1: everything the room lacked.
    SyncStep2(Update),
    /// An incremental update.
    Update(Update),
    /// The peer's presence.
    Awareness(AwarenessUpdate),
    /// The peer asks for everyone's presence.
    AwarenessQuery,
}

/// Why a frame was refused; the peer is disconnected with this reason.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WireError {
    #[error("malformed y-protocols message: {0}")]
    Malformed(String),
    #[error("corrupt document update: {0}")]
    CorruptUpdate(String),
    #[error("decoder panicked on this input")]
    Panicked,
    #[error("too many messages in one frame")]
    TooManyMessages,
    #[error("empty frame")]
    Empty,
}

/// Decodes one binary frame into messages. Never panics: a panic inside yrs is caught
/// and reported as [`WireError::Panicked`]. Auth messages are skipped; unknown message
/// types are refused.
pub(crate) fn decode_frame(frame: &[u8]) -> Result<Vec<Incoming>, WireError> {
    if frame.is_empty() {
        return Err(WireError::Empty);
    }
    catch_unwind(AssertUnwindSafe(|| decode_unguarded(frame))).unwrap_or(Err(WireError::Panicked))
}

fn decode_unguarded(frame: &[u8]) -> Result<Vec<Incoming>, WireError> {
    let mut out = Vec::with_capacity(1);
    let mut rest = frame;
    // Usually one message a frame; several back to back are allowed, trailing bytes
    // that are not a whole message are not.
    while !rest.is_empty() {
        if out.len() >= MAX_MESSAGES_PER_FRAME {
            return Err(WireError::TooManyMessages);
        }
        let message = Message::decode_v1(rest).map_err(|e| WireError::Malformed(e.to_string()))?;
        let used = message.encode_v1().len();
        rest = rest.get(used..).unwrap_or_default();
        let incoming = match message {
            Message::Sync(SyncMessage::SyncStep1(sv)) => Incoming::SyncStep1(sv),
            Message::Sync(SyncMessage::SyncStep2(data)) => Incoming::SyncStep2(
                Update::decode_v1(&data).map_err(|e| WireError::CorruptUpdate(e.to_string()))?,
            ),
            Message::Sync(SyncMessage::Update(data)) => Incoming::Update(
                Update::decode_v1(&data).map_err(|e| WireError::CorruptUpdate(e.to_string()))?,
            ),
            Message::Awareness(update) => Incoming::Awareness(update),
            Message::AwarenessQuery => Incoming::AwarenessQuery,
            // Clients have nothing to say in auth messages; skip them.
            Message::Auth(_) => continue,
            // No product message types are accepted from clients (yet): an unknown tag
            // is garbage, not a message to relay.
            Message::Custom(tag, _) => {
                return Err(WireError::Malformed(format!("unknown message type {tag}")))
            }
        };
        out.push(incoming);
    }
    Ok(out)
}

/// `sync step 1` with the server's state vector.
pub(crate) fn sync_step1(sv: &StateVector) -> Bytes {
    Message::Sync(SyncMessage::SyncStep1(sv.clone()))
        .encode_v1()
        .into()
}

/// `sync step 2` carrying `update`.
pub(crate) fn sync_step2(update: Vec<u8>) -> Bytes {
    Message::Sync(SyncMessage::SyncStep2(update))
        .encode_v1()
        .into()
}

/// An incremental `update` message.
pub(crate) fn sync_update(update: Vec<u8>) -> Bytes {
    Message::Sync(SyncMessage::Update(update))
        .encode_v1()
        .into()
}

/// An awareness message.
pub(crate) fn awareness(update: AwarenessUpdate) -> Bytes {
    Message::Awareness(update).encode_v1().into()
}
