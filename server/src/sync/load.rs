//! Loading a map's document from storage: the latest snapshot, then the log rows after
//! it, each applied with yrs panics caught (a stored update that cannot be read fails
//! the load, it never takes the process down).

use std::panic::{catch_unwind, AssertUnwindSafe};

use parcours_shared::ids::MapId;
use yrs::updates::decoder::Decode;
use yrs::{Doc, Transact, Update};

use super::command::RoomError;
use crate::store::Store;

/// A document as loaded from storage.
pub(crate) struct Loaded {
    pub(crate) doc: Doc,
    /// The newest log seq (what the next snapshot covers).
    pub(crate) last_seq: i64,
    /// How many log rows follow the snapshot.
    pub(crate) log_rows: u64,
    /// How many log rows follow the newest history checkpoint.
    pub(crate) rows_since_checkpoint: u64,
    /// When that checkpoint was written (ms).
    pub(crate) checkpoint_at: i64,
}

/// Loads a map's document: latest snapshot, then the log tail.
pub(crate) async fn load(store: &Store, map: &MapId) -> Result<Loaded, RoomError> {
    let stored = store
        .load_doc(map)
        .await
        .map_err(|e| RoomError::Load(e.to_string()))?
        .ok_or(RoomError::NotFound)?;
    let doc = Doc::new();
    let last_seq = stored
        .updates
        .last()
        .map(|(seq, _)| *seq)
        .unwrap_or(stored.covers_seq);
    let log_rows = stored.updates.len() as u64;
    let parts = stored
        .snapshot
        .iter()
        .chain(stored.updates.iter().map(|(_, data)| data));
    for data in parts {
        let applied = catch_unwind(AssertUnwindSafe(|| -> Result<(), String> {
            let update = Update::decode_v1(data).map_err(|e| e.to_string())?;
            doc.transact_mut()
                .apply_update(update)
                .map_err(|e| e.to_string())
        }));
        match applied {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(RoomError::Load(format!("stored update is unreadable: {e}"))),
            Err(_) => {
                return Err(RoomError::Load(
                    "stored update made the decoder panic".into(),
                ))
            }
        }
    }
    Ok(Loaded {
        doc,
        last_seq,
        log_rows,
        rows_since_checkpoint: stored.rows_since_checkpoint,
        checkpoint_at: stored.checkpoint_at,
    })
}
