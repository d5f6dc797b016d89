//! A map's document on disk: the update log and its compaction into a snapshot.

use sqlx::Row;

use parcours_shared::MapId;

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
}

impl Store {
    /// Appends one batch to a map's log and touches the map's `updated_at` (and title,
    /// when given). Returns the row's seq, or `None` when the map no longer exists (a
    /// write racing a delete leaves nothing behind).
    #[tracing::instrument(skip_all, fields(map = %map_id, bytes = data.len()))]
    pub async fn append_update(
        &self,
        map_id: &MapId,
        data: &[u8],
        now: i64,
        title: Option<&str>,
    ) -> Result<Option<i64>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "insert into map_updates (map_id, data, created_at)
             select $1, $2, $3 where exists (select 1 from maps where id = $1)
             returning seq",
        )
        .bind(map_id.as_str())
        .bind(data.to_vec())
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let seq: i64 = row.try_get("seq")?;
        match title {
            Some(title) => {
                sqlx::query("update maps set updated_at = $2, title = $3 where id = $1")
                    .bind(map_id.as_str())
                    .bind(now)
                    .bind(title)
                    .execute(&mut *tx)
                    .await?
            }
            None => {
                sqlx::query("update maps set updated_at = $2 where id = $1")
                    .bind(map_id.as_str())
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
            }
        };
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
        tx.commit().await?;
        let updates = rows
            .iter()
            .map(|r| Ok((r.try_get("seq")?, r.try_get("data")?)))
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(Some(StoredDoc {
            snapshot,
            covers_seq: covers,
            updates,
        }))
    }

    /// Replaces a map's snapshot with `state`, which must include every log row with
    /// seq <= `covers_seq`, and drops those rows, in one transaction. Returns how many
    /// log rows were dropped.
    #[tracing::instrument(skip_all, fields(map = %map_id, bytes = state.len(), covers_seq))]
    pub async fn write_snapshot(
        &self,
        map_id: &MapId,
        state: &[u8],
        covers_seq: i64,
        now: i64,
    ) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let exists = sqlx::query("select 1 from maps where id = $1")
            .bind(map_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Ok(0);
        }
        sqlx::query(
            "insert into map_snapshots (map_id, state, covers_seq, created_at)
             values ($1, $2, $3, $4)
             on conflict (map_id) do update
             set state = excluded.state, covers_seq = excluded.covers_seq,
                 created_at = excluded.created_at",
        )
        .bind(map_id.as_str())
        .bind(state.to_vec())
        .bind(covers_seq)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let dropped = sqlx::query("delete from map_updates where map_id = $1 and seq <= $2")
            .bind(map_id.as_str())
            .bind(covers_seq)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(dropped.rows_affected())
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
