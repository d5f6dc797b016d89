//! The y-protocols wire format: decoding what peers send (guarded against panics) and
//! encoding what the room sends.

use std::panic::{catch_unwind, AssertUnwindSafe};

use bytes::Bytes;
use yrs::sync::awareness::AwarenessUpdate;
use yrs::sync::{Message, SyncMessage};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{StateVector, Update};

use super::presence::MAX_IDS_PER_MESSAGE;

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
    #[error("presence for {0} awareness clients in one message")]
    TooManyPresenceClients(u64),
}

impl WireError {
    /// A breach of the presence rules (closed with 1008), not malformed input (1007).
    pub(crate) fn is_policy(&self) -> bool {
        matches!(self, WireError::TooManyPresenceClients(_))
    }
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
        // Claimed counts held to the bytes that follow before yrs reserves room for
        // them, numbers in the form yrs reads alike (`bounds.rs`).
        super::bounds::check_message(rest).map_err(WireError::Malformed)?;
        // Refuse an awareness message naming too many clients before decoding it: a
        // 7 MB message names a million, and decoding alone would cost seconds.
        if let Some(count) = awareness_client_count(rest) {
            if count > MAX_IDS_PER_MESSAGE {
                return Err(WireError::TooManyPresenceClients(count));
            }
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

/// The y-protocols awareness message type.
const MESSAGE_AWARENESS: u64 = 1;

/// How many clients the awareness message at the start of `bytes` names, read from its
/// header alone; `None` for other messages or a header too short to tell.
fn awareness_client_count(bytes: &[u8]) -> Option<u64> {
    let (kind, used) = read_var_uint(bytes)?;
    if kind != MESSAGE_AWARENESS {
        return None;
    }
    let rest = bytes.get(used..)?;
    // The update is a length-prefixed byte array; its first number is the count.
    let (_len, used) = read_var_uint(rest)?;
    let (count, _) = read_var_uint(rest.get(used..)?)?;
    Some(count)
}

/// A lib0 variable-length unsigned integer at the start of `bytes`, and its length.
fn read_var_uint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value: u64 = 0;
    for (i, byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
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

/// Whether an encoded message is an awareness message (its first byte, the message
/// type, is 1; only for messages this server encoded).
pub(crate) fn is_awareness(message: &[u8]) -> bool {
    message.first() == Some(&1)
}

/// An awareness message.
pub(crate) fn awareness(update: AwarenessUpdate) -> Bytes {
    Message::Awareness(update).encode_v1().into()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use yrs::block::ClientID;
    use yrs::sync::awareness::{AwarenessUpdate, AwarenessUpdateEntry};
    use yrs::sync::Message;
    use yrs::updates::encoder::Encode;

    use super::*;

    fn awareness_message(clients: u64) -> Vec<u8> {
        let clients: HashMap<ClientID, AwarenessUpdateEntry> = (1..=clients)
            .map(|c| {
                (
                    ClientID::new(c),
                    AwarenessUpdateEntry {
                        clock: 1,
                        json: "{}".into(),
                    },
                )
            })
            .collect();
        Message::Awareness(AwarenessUpdate { clients }).encode_v1()
    }

    #[test]
    fn the_client_count_is_read_from_the_header() {
        assert_eq!(awareness_client_count(&awareness_message(3)), Some(3));
        assert_eq!(awareness_client_count(&awareness_message(300)), Some(300));
        assert_eq!(
            awareness_client_count(&sync_step1(&StateVector::default())),
            None
        );
        assert_eq!(awareness_client_count(&[1]), None);
    }

    /// Fuzz finding 5: ten bytes whose state vector claims ~520 million clients; yrs
    /// reserved (and wrote) a hash table for them before finding the bytes missing.
    #[test]
    fn a_state_vector_claiming_more_clients_than_bytes_is_refused_undecoded() {
        let frame = [0, 0, 7, 0xbf, 0xc6, 0xcf, 0xf7, 0x01, 0x04, 0x1f];
        match decode_frame(&frame) {
            Err(WireError::Malformed(m)) => assert!(m.contains("claimed"), "{m}"),
            other => panic!("refused before yrs: {:?}", other.map(|v| v.len())),
        }
        // A real one still decodes.
        use yrs::{Map, ReadTxn, Transact};
        let doc = yrs::Doc::with_client_id(5);
        doc.get_or_insert_map("meta")
            .insert(&mut doc.transact_mut(), "title", "T");
        let sv = doc.transact().state_vector();
        assert!(matches!(
            decode_frame(&sync_step1(&sv)).as_deref(),
            Ok([Incoming::SyncStep1(_)])
        ));
    }

    /// Numbers in a longer or wider form than clients write, which yrs reads with
    /// wrap-around: a check reading them otherwise would look at other bytes than yrs.
    /// Each hides finding 5's state vector; each is refused.
    #[test]
    fn numbers_in_a_form_yrs_reads_otherwise_are_refused() {
        let sv = [0xbf, 0xc6, 0xcf, 0xf7, 0x01, 0x04, 0x1f];
        let with = |head: &[u8]| {
            let mut frame = head.to_vec();
            frame.extend(sv);
            frame
        };
        for (i, (frame, why)) in [
            // message type 0 as 2^32 (yrs wraps it to 0)
            (
                with(&[0x80, 0x80, 0x80, 0x80, 0x10, 0, 7]),
                "more than one byte",
            ),
            // message type 0 in eleven bytes
            (
                with(&[
                    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0, 0, 7,
                ]),
                "more than one byte",
            ),
            // payload length 7 as 2^32 + 7
            (with(&[0, 0, 0x87, 0x80, 0x80, 0x80, 0x10]), "wider"),
        ]
        .iter()
        .enumerate()
        {
            // Refused by the check (yrs would refuse it too, after the damage).
            match decode_frame(frame) {
                Err(WireError::Malformed(m)) => assert!(m.contains(why), "case {i}: {m}"),
                other => panic!("case {i}: {:?}", other.map(|v| v.len())),
            }
        }
        // A parent's kind 1 (a named root) written as 2^32 + 1: yrs reads a name, a
        // check reading an id would walk other bytes.
        let mut update = vec![1, 1, 7, 0, 0x08, 0x81, 0x80, 0x80, 0x80, 0x10];
        update.extend([4, b'l', b'i', b's', b't', 1, 126, 0]);
        match decode_frame(&sync_update(update)) {
            Err(WireError::Malformed(m)) => assert!(m.contains("wider"), "{m}"),
            other => panic!("refused: {:?}", other.map(|v| v.len())),
        }
    }

    /// Values nested 100 000 deep in an update: yrs decodes them by recursion and would
    /// overflow the stack (the whole process ends); refused before it reads them.
    #[test]
    fn an_update_nesting_values_too_deep_is_refused_undecoded() {
        let update = crate::sync::bounds::nested_update(100_000);
        match decode_frame(&sync_update(update)) {
            Err(WireError::Malformed(m)) => assert!(m.contains("nested deeper"), "{m}"),
            other => panic!("refused before yrs: {:?}", other.map(|v| v.len())),
        }
    }

    #[test]
    fn an_awareness_message_naming_too_many_clients_is_refused_undecoded() {
        assert!(decode_frame(&awareness_message(MAX_IDS_PER_MESSAGE)).is_ok());
        let err = decode_frame(&awareness_message(MAX_IDS_PER_MESSAGE + 1))
            .err()
            .expect("refused");
        assert!(err.is_policy());
    }
}
