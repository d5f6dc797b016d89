//! Versions: a log position with when, who edited since the previous one and a line on
//! what changed; made by the room's writer (so a version's position follows every
//! batch before it), shown through the REST API.

use parcours_shared::api::Version;
use parcours_shared::ids::MapId;
use parcours_shared::review::{diff_views, summarize};
use parcours_shared::view::MapView;

use super::{name_authors, view_at, HistoryError};
use crate::store::{Store, StoreError, VersionRecord};
use crate::util::random_id;

/// Length of a version id.
const ID_LEN: usize = 12;

/// Versions rebuilt at once across the process. Maps edited together reach their
/// automatic version together (the soak's 100 maps within a second); each rebuild holds
/// a whole past document and two views while it runs, and a hundred at once raised
/// malloc's high-water mark for good (docs/PERFORMANCE.md). The rest wait their turn.
static REBUILDS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// What kind of version, and on whose behalf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRequest {
    /// `auto`, `named`, `round` or `restore`.
    pub kind: &'static str,
    pub name: Option<String>,
    /// The account that asked (none for automatic ones).
    pub created_by: Option<String>,
}

/// Records a version of `map` at log position `seq`, whose document reads `view`.
/// An automatic version with nothing new since the previous one is skipped (`None`).
pub async fn make_version(
    store: &Store,
    map: &MapId,
    seq: i64,
    now: i64,
    request: VersionRequest,
    view: &MapView,
) -> Result<Option<VersionRecord>, HistoryError> {
    // The previous version's view is rebuilt from storage each time (its checkpoint and
    // the rows after it) rather than kept: kept, it cost every loaded map ~30 KB for
    // life from its first automatic version on (the hour's soak, docs/PERFORMANCE.md),
    // to save one read every half hour of editing.
    let _turn = REBUILDS
        .acquire()
        .await
        .map_err(|_| HistoryError::Corrupt("version rebuilds stopped".into()))?;
    let previous = match store.last_version(map).await? {
        Some(prev) => Some((prev.seq, view_at(store, map, prev.seq).await?)),
        // The oldest state kept: a first version's summary says what was built.
        None => match store.first_checkpoint(map).await? {
            Some(s) => Some((s, view_at(store, map, s).await?)),
            None => None,
        },
    };
    let (prev_seq, prev_view) = previous.unwrap_or_else(|| (0, MapView::default()));
    if request.kind == "auto" && prev_seq >= seq {
        return Ok(None);
    }
    let changes = diff_views(&prev_view, view);
    if request.kind == "auto" && changes.is_empty() {
        // Edits that cancel out, or only moved emotion labels: not worth a version.
        return Ok(None);
    }
    let authors: Vec<[Option<String>; 2]> = store
        .authors_between(map, prev_seq, seq)
        .await?
        .into_iter()
        .map(|(kind, id)| [Some(kind), id])
        .collect();
    let record = VersionRecord {
        id: random_id(ID_LEN),
        map_id: map.clone(),
        seq,
        at: now,
        kind: request.kind.to_owned(),
        name: request.name,
        created_by: request.created_by,
        authors: serde_json::to_string(&authors).unwrap_or_else(|_| "[]".into()),
        summary: summarize(&changes),
    };
    store.insert_version(&record).await?;
    Ok(Some(record))
}

/// A stored version in its REST shape, with names.
pub async fn to_api(store: &Store, v: &VersionRecord) -> Result<Version, StoreError> {
    let pairs: Vec<[Option<String>; 2]> = serde_json::from_str(&v.authors).unwrap_or_default();
    let pairs: Vec<(String, Option<String>)> = pairs
        .into_iter()
        .filter_map(|[kind, id]| Some((kind?, id)))
        .collect();
    let authors = name_authors(store, &pairs).await?;
    let created_by = match &v.created_by {
        Some(id) => name_authors(store, &[("user".into(), Some(id.clone()))])
            .await?
            .pop(),
        None => None,
    };
    Ok(Version {
        id: v.id.clone(),
        kind: v.kind.clone(),
        name: v.name.clone(),
        at: v.at,
        created_by,
        authors,
        summary: v.summary.clone(),
    })
}
