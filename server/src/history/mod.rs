//! Version history as a domain, apart from HTTP and the room: any log position rebuilt
//! as a document (the checkpoint before it, then the attributed rows after that),
//! versions described (who, what changed), one element's story (blame), and the
//! retention sweep. It works on the store alone.
//!
//! - [`blame`]: one element's changes with field-level before/after.
//! - [`versions`]: making a version (authors, one-line summary) and its REST shape.

pub mod blame;
pub mod versions;

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use parcours_shared::api::ChangeAuthor;
use parcours_shared::ids::{MapId, UserId};
use parcours_shared::view::MapView;
use tokio_util::sync::CancellationToken;
use yrs::updates::decoder::Decode;
use yrs::{Doc, Transact, Update};

use crate::store::{Store, StoreError};

pub use versions::make_version;

/// How often the retention sweep runs.
pub const RETENTION_SWEEP: Duration = Duration::from_secs(3600);

/// Why a past state could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The moment asked for is older than the history kept (`--history-days`).
    #[error("that moment is older than the history this server keeps")]
    BeforeHistory,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored update could not be read back.
    #[error("stored history is unreadable: {0}")]
    Corrupt(String),
}

/// The document as it was right after log row `seq` (or at the checkpoint `seq`).
pub async fn state_at(store: &Store, map: &MapId, seq: i64) -> Result<Doc, HistoryError> {
    let (from, checkpoint) = store
        .checkpoint_before(map, seq)
        .await?
        .ok_or(HistoryError::BeforeHistory)?;
    let rows = store.rows_between(map, from, seq).await?;
    tokio::task::spawn_blocking(move || rebuild(&checkpoint, rows.iter().map(|(_, d)| d)))
        .await
        .map_err(|e| HistoryError::Corrupt(e.to_string()))?
}

/// The JSON view of the document right after log row `seq`.
pub async fn view_at(store: &Store, map: &MapId, seq: i64) -> Result<MapView, HistoryError> {
    let doc = state_at(store, map, seq).await?;
    Ok(parcours_shared::view::read_view(&doc))
}

/// Applies a full state then updates, in one transaction, with yrs panics caught.
fn rebuild<'a>(
    state: &'a [u8],
    rows: impl Iterator<Item = &'a Vec<u8>>,
) -> Result<Doc, HistoryError> {
    let doc = Doc::new();
    let applied = catch_unwind(AssertUnwindSafe(|| -> Result<(), String> {
        let mut txn = doc.transact_mut();
        for data in std::iter::once(state).chain(rows.map(Vec::as_slice)) {
            let update = Update::decode_v1(data).map_err(|e| e.to_string())?;
            txn.apply_update(update).map_err(|e| e.to_string())?;
        }
        Ok(())
    }));
    match applied {
        Ok(Ok(())) => Ok(doc),
        Ok(Err(e)) => Err(HistoryError::Corrupt(e)),
        Err(_) => Err(HistoryError::Corrupt("an update made yrs panic".into())),
    }
}

/// Names authors for display: accounts by their current display name (former members
/// too), others by what they are.
pub async fn name_authors(
    store: &Store,
    authors: &[(String, Option<String>)],
) -> Result<Vec<ChangeAuthor>, StoreError> {
    let mut names: HashMap<String, Option<String>> = HashMap::new();
    let mut out = Vec::with_capacity(authors.len());
    for (kind, id) in authors {
        let name = match (kind.as_str(), id) {
            ("user" | "server", Some(id)) => {
                if !names.contains_key(id) {
                    let user = store.user_by_id(&UserId(id.clone())).await?;
                    names.insert(id.clone(), user.map(|u| u.display_name));
                }
                names.get(id).cloned().flatten()
            }
            ("link", _) => Some("a share link".into()),
            ("server", None) => Some("Parcours".into()),
            _ => None,
        };
        out.push(ChangeAuthor {
            kind: kind.clone(),
            // A link's id is its token hash: not shown.
            id: if kind == "link" { None } else { id.clone() },
            name,
        });
    }
    Ok(out)
}

/// Deletes history older than `days` every [`RETENTION_SWEEP`] (`days` = 0: keep
/// forever, nothing runs). Stops with `shutdown`.
pub fn spawn_retention(
    store: Store,
    days: u64,
    shutdown: CancellationToken,
) -> Option<tokio::task::JoinHandle<()>> {
    if days == 0 {
        return None;
    }
    Some(tokio::spawn(async move {
        loop {
            let cutoff = crate::util::now_ms() - (days as i64) * 86_400_000;
            match store.purge_history(cutoff).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(rows = n, days, "history past retention deleted"),
                Err(e) => tracing::warn!(error = %e, "history retention sweep failed"),
            }
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(RETENTION_SWEEP) => {}
            }
        }
    }))
}
