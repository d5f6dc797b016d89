//! A map's document on disk: the update log (each row a batch of one author's updates,
//! with the elements it changed) and the snapshot that makes loading fast. Compaction
//! no longer drops log rows: they are the history (`history.rs`), kept within
//! `--history-days`.

use sqlx::Row;

use parcours_shared::{ItineraryKind, MapId};

use super::history::{Author, ElementState};
use super::{Store, StoreError};

/// What is needed to rebuild a map's document: apply `snapshot`, then `updates` in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredDoc {
    /// The latest snapshot (a Yrs update v1 of the whole document), if any.
    pub snapshot: Option<Vec<u8>>,
    /// The newest log seq the snapshot includes (0 without a snapshot).
    pub covers_seq: i64,
    /// Log rows written after the snapshot, as `(seq, update v1)`, in seq order.
    pub updates: Vec<(i64, Vec<u8>)>,
    /// Log rows written after the newest checkpoint.
    pub rows_since_checkpoint: u64,
    /// When the newest checkpoint was written (ms; 0 without any).
    pub checkpoint_at: i64,
}

/// What a batch changed of the map's row besides `updated_at` (`None`: unchanged).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MapHead<'a> {
    /// The document's title.
    pub title: Option<&'a str>,
    /// The document's itinerary kind (the board's switch, or a template filling an
    /// empty map, changes it).
    pub itinerary: Option<ItineraryKind>,
}

impl Store {
    /// Appends one batch of `author`'s updates to a map's log, with the elements it
    /// changed, and touches the map's `updated_at` (and its title and itinerary kind,
    /// when `head` gives them: the maps list shows the row). Returns the
    /// row's seq, or `None` when the map no longer exists (a write racing a delete
    /// leaves nothing behind).
    #[tracing::instrument(skip_all, fields(map = %map_id, bytes = data.len()))]
    pub async fn append_update(
        &self,
        map_id: &MapId,
        data: &[u8],
        now: i64,
        head: MapHead<'_>,
        author: &Author,
        changed: &[ElementState],
    ) -> Result<Option<i64>, StoreError> {
        let mut tx = self.pool.begin().await?;
        // The map's row first: its lock orders appends of one map, so their seqs are
        // taken in commit order and a reader that sees a row sees every earlier one
        // (several nodes append to one map; compaction relies on it). A map deleted
        // meanwhile leaves nothing behind.
        let touched = sqlx::query(
            "update maps set updated_at = $2, title = coalesce($3, title),
             itinerary = coalesce($4, itinerary) where id = $1",
        )
        .bind(map_id.as_str())
        .bind(now)
        .bind(head.title)
        .bind(head.itinerary.map(ItineraryKind::as_str))
        .execute(&mut *tx)
        .await?;
        if touched.rows_affected() == 0 {
            return Ok(None);
        }
        let row = sqlx::query(
            "insert into map_updates (map_id, data, created_at, author_kind, author_id)
             values ($1, $2, $3, $4, $5)
             returning seq",
        )
        .bind(map_id.as_str())
        .bind(data.to_vec())
        .bind(now)
        .bind(author.kind())
        .bind(author.id())
        .fetch_one(&mut *tx)
        .await?;
        let seq: i64 = row.try_get("seq")?;
        for element in changed {
            sqlx::query(
                "insert into element_changes (map_id, seq, root, element, author_kind, author_id, at, change, state)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(map_id.as_str())
            .bind(seq)
            .bind(&element.root)
            .bind(&element.element)
            .bind(author.kind())
            .bind(author.id())
            .bind(now)
            .bind(element.change())
            .bind(&element.state)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Some(seq))
    }

    /// Everything needed to rebuild a map's document, or `None` if the map does not exist.
    #[tracing::instrument(skip_all, fields(map = %map_id))]
    pub async fn load_doc(&self, map_id: &MapId) -> Result<Option<StoredDoc>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let exists = sqlx::query("select 1 from maps where id = $1")
            .bind(map_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Ok(None);
        }
        let snapshot = sqlx::query("select state, covers_seq from map_snapshots where map_id = $1")
            .bind(map_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        let (snapshot, covers) = match snapshot {
            Some(row) => (
                Some(row.try_get::<Vec<u8>, _>("state")?),
                row.try_get("covers_seq")?,
            ),
            None => (None, 0i64),
        };
        let rows = sqlx::query(
            "select seq, data from map_updates where map_id = $1 and seq > $2 order by seq",
        )
        .bind(map_id.as_str())
        .bind(covers)
        .fetch_all(&mut *tx)
        .await?;
        let checkpoint = sqlx::query(
            "select count(*) as n,
                    (select max(created_at) from map_checkpoints where map_id = $1) as at
             from map_updates where map_id = $1
               and seq > coalesce((select max(seq) from map_checkpoints where map_id = $1), 0)",
        )
        .bind(map_id.as_str())
        .fetch_one(&mut *tx)
        .await?;
        let since_checkpoint: i64 = checkpoint.try_get("n")?;
        let checkpoint_at: Option<i64> = checkpoint.try_get("at")?;
        tx.commit().await?;
        let updates = rows
            .iter()
            .map(|r| Ok((r.try_get("seq")?, r.try_get("data")?)))
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(Some(StoredDoc {
            snapshot,
            covers_seq: covers,
            updates,
            rows_since_checkpoint: since_checkpoint.max(0) as u64,
            checkpoint_at: checkpoint_at.unwrap_or(0),
        }))
    }

    /// Replaces a map's snapshot with `state`, which must include every log row with
    /// seq <= `covers_seq`; loading then reads only the rows after it. With
    /// `checkpoint`, `state` is also kept as a history checkpoint at `covers_seq`. Log
    /// rows are not dropped: they are the history (retention drops them).
    #[tracing::instrument(skip_all, fields(map = %map_id, bytes = state.len(), covers_seq))]
    pub async fn write_snapshot(
        &self,
        map_id: &MapId,
        state: &[u8],
        covers_seq: i64,
        now: i64,
        checkpoint: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        // Writes first, reads never before: on SQLite a transaction that reads and
        // then writes must upgrade its lock, which fails at once ("database is
        // locked", SQLITE_BUSY / BUSY_SNAPSHOT, no busy wait) whenever another
        // connection wrote meanwhile — under load, most snapshots needed retries.
        let written = sqlx::query(
            "insert into map_snapshots (map_id, state, covers_seq, created_at)
             select $1, $2, $3, $4 where exists (select 1 from maps where id = $1)
             on conflict (map_id) do update
             set state = excluded.state, covers_seq = excluded.covers_seq,
                 created_at = excluded.created_at
             where excluded.covers_seq >= map_snapshots.covers_seq",
        )
        .bind(map_id.as_str())
        .bind(state.to_vec())
        .bind(covers_seq)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if written.rows_affected() == 0 {
            return Ok(()); // the map was deleted meanwhile
        }
        if checkpoint {
            sqlx::query(
                "insert into map_checkpoints (map_id, seq, state, created_at) values ($1, $2, $3, $4)
                 on conflict (map_id, seq) do nothing",
            )
            .bind(map_id.as_str())
            .bind(covers_seq)
            .bind(state.to_vec())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// How many log rows a map has (for tests and compaction decisions).
    pub async fn log_len(&self, map_id: &MapId) -> Result<i64, StoreError> {
        let row = sqlx::query("select count(*) as n from map_updates where map_id = $1")
            .bind(map_id.as_str())
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }
}
