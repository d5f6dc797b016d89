//! The client side of y-protocols without any socket: encoding what a client sends,
//! and applying what it receives to its document. The web app (`client/src/live`, whose
//! socket lives in `live/socket.rs`) and the load program's client (`bench/`) both use
//! it.

use yrs::sync::awareness::{AwarenessUpdate, AwarenessUpdateEntry};
use yrs::sync::{Message, MessageReader, SyncMessage};
use yrs::updates::decoder::{Decode, DecoderV1};
use yrs::updates::encoder::Encode;
use yrs::{ClientID, Doc, ReadTxn, Transact, Update};

/// Origin of transactions that apply updates from the server: they are not sent back.
pub const REMOTE: &str = "remote";

/// What one binary frame from the server asked of us.
#[derive(Debug, Default)]
pub struct FrameOutcome {
    /// Messages to send back (sync step 2 answering the server's step 1).
    pub replies: Vec<Vec<u8>>,
    /// The server's sync step 2 arrived: we hold everything it had.
    pub synced: bool,
    /// Presence changes: client id and its JSON state (`None` when it left).
    pub awareness: Vec<(u64, Option<String>)>,
    /// Document updates applied (sync step 2 and incremental updates).
    pub updates: usize,
}

/// Why a frame could not be handled.
#[derive(Debug, thiserror::Error)]
pub enum ProtocolError {
    /// Not a y-protocols message.
    #[error("malformed message: {0}")]
    Malformed(String),
    /// An update the document refused.
    #[error("update refused: {0}")]
    Update(String),
}

/// Sync step 1: our state vector, so the server sends what we miss.
pub fn sync_step1(doc: &Doc) -> Vec<u8> {
    let sv = doc.transact().state_vector();
    Message::Sync(SyncMessage::SyncStep1(sv)).encode_v1()
}

/// A local document update, for the server to apply and relay.
pub fn update(update: Vec<u8>) -> Vec<u8> {
    Message::Sync(SyncMessage::Update(update)).encode_v1()
}

/// Our presence: `json` is the state (`"null"` when leaving), `clock` grows with each.
pub fn awareness(client: u64, clock: u32, json: &str) -> Vec<u8> {
    let entry = AwarenessUpdateEntry {
        clock,
        json: json.into(),
    };
    let update = AwarenessUpdate {
        clients: [(ClientID::new(client), entry)].into_iter().collect(),
    };
    Message::Awareness(update).encode_v1()
}

/// Handles one binary frame (possibly several messages): applies remote updates with
/// the [`REMOTE`] origin and says what to answer.
pub fn handle_frame(doc: &Doc, data: &[u8]) -> Result<FrameOutcome, ProtocolError> {
    let mut outcome = FrameOutcome::default();
    let mut decoder = DecoderV1::from(data);
    for message in MessageReader::new(&mut decoder) {
        match message.map_err(|e| ProtocolError::Malformed(e.to_string()))? {
            Message::Sync(SyncMessage::SyncStep1(sv)) => {
                let update = doc.transact().encode_state_as_update_v1(&sv);
                outcome
                    .replies
                    .push(Message::Sync(SyncMessage::SyncStep2(update)).encode_v1());
            }
            Message::Sync(SyncMessage::SyncStep2(update)) => {
                apply_remote(doc, &update)?;
                outcome.synced = true;
                outcome.updates += 1;
            }
            Message::Sync(SyncMessage::Update(update)) => {
                apply_remote(doc, &update)?;
                outcome.updates += 1;
            }
            Message::Awareness(update) => {
                for (client, entry) in update.clients {
                    let json = (entry.json.as_ref() != "null").then(|| entry.json.to_string());
                    outcome.awareness.push((client.get(), json));
                }
            }
            _ => {}
        }
    }
    Ok(outcome)
}

/// Applies a server update without echoing it back.
fn apply_remote(doc: &Doc, update: &[u8]) -> Result<(), ProtocolError> {
    let update = Update::decode_v1(update).map_err(|e| ProtocolError::Malformed(e.to_string()))?;
    doc.transact_mut_with(REMOTE)
        .apply_update(update)
        .map_err(|e| ProtocolError::Update(e.to_string()))
}
