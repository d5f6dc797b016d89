//! Imported event logs: a `datasets` row each (status, counts, activities, mapping) and
//! their encoded chunks in `dataset_chunks`.

use sqlx::Row;

use parcours_shared::ids::MapId;

use super::{Store, StoreError};

/// A dataset as stored; the JSON columns stay text here (`evidence` reads them).
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetRecord {
    pub id: String,
    pub map_id: MapId,
    pub name: String,
    pub created_at: i64,
    pub created_by: Option<String>,
    pub status: String,
    pub row_count: i64,
    pub bad_rows: i64,
    pub bad_samples: String,
    pub case_count: i64,
    pub first_at: Option<i64>,
    pub last_at: Option<i64>,
    pub activities: String,
    pub segments: String,
    pub channels: String,
    pub mapping: String,
    pub window_days: i64,
}

const COLUMNS: &str = "id, map_id, name, created_at, created_by, status, row_count, bad_rows, \
     bad_samples, case_count, first_at, last_at, activities, segments, channels, mapping, window_days";

impl DatasetRecord {
    fn from_row(r: &sqlx::any::AnyRow) -> Result<DatasetRecord, sqlx::Error> {
        Ok(DatasetRecord {
            id: r.try_get("id")?,
            map_id: MapId(r.try_get("map_id")?),
            name: r.try_get("name")?,
            created_at: r.try_get("created_at")?,
            created_by: r.try_get("created_by")?,
            status: r.try_get("status")?,
            row_count: r.try_get("row_count")?,
            bad_rows: r.try_get("bad_rows")?,
            bad_samples: r.try_get("bad_samples")?,
            case_count: r.try_get("case_count")?,
            first_at: r.try_get("first_at")?,
            last_at: r.try_get("last_at")?,
            activities: r.try_get("activities")?,
            segments: r.try_get("segments")?,
            channels: r.try_get("channels")?,
            mapping: r.try_get("mapping")?,
            window_days: r.try_get("window_days")?,
        })
    }
}

impl Store {
    /// Starts a dataset in the `importing` state (hidden from lists until ready).
    pub async fn create_dataset(
        &self,
        id: &str,
        map: &MapId,
        name: &str,
        created_by: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "insert into datasets (id, map_id, name, created_at, created_by, status)
             values ($1, $2, $3, $4, $5, 'importing')",
        )
        .bind(id)
        .bind(map.as_str())
        .bind(name)
        .bind(now)
        .bind(created_by)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Stores one encoded chunk of a dataset.
    pub async fn add_dataset_chunk(
        &self,
        dataset: &str,
        kind: &str,
        seq: i64,
        data: &[u8],
    ) -> Result<(), StoreError> {
        sqlx::query(
            "insert into dataset_chunks (dataset_id, kind, seq, data) values ($1, $2, $3, $4)",
        )
        .bind(dataset)
        .bind(kind)
        .bind(seq)
        .bind(data.to_vec())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Marks an import done with what it read. Returns false when the dataset (or its
    /// map) was deleted meanwhile.
    pub async fn finish_dataset(&self, r: &DatasetRecord) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "update datasets set status = 'ready', row_count = $2, bad_rows = $3, bad_samples = $4,
                 case_count = $5, first_at = $6, last_at = $7, activities = $8, segments = $9,
                 channels = $10, mapping = $11, window_days = $12
             where id = $1 and exists (select 1 from maps where id = datasets.map_id)",
        )
        .bind(&r.id)
        .bind(r.row_count)
        .bind(r.bad_rows)
        .bind(&r.bad_samples)
        .bind(r.case_count)
        .bind(r.first_at)
        .bind(r.last_at)
        .bind(&r.activities)
        .bind(&r.segments)
        .bind(&r.channels)
        .bind(&r.mapping)
        .bind(r.window_days)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A map's finished datasets, newest first.
    pub async fn datasets(&self, map: &MapId) -> Result<Vec<DatasetRecord>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {COLUMNS} from datasets where map_id = $1 and status = 'ready'
             order by created_at desc, id"
        )))
        .bind(map.as_str())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(DatasetRecord::from_row)
            .collect::<Result<_, _>>()?)
    }

    /// One finished dataset of `map`.
    pub async fn dataset(
        &self,
        map: &MapId,
        id: &str,
    ) -> Result<Option<DatasetRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {COLUMNS} from datasets where map_id = $1 and id = $2 and status = 'ready'"
        )))
        .bind(map.as_str())
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(DatasetRecord::from_row).transpose()?)
    }

    /// How many datasets `map` has (finished or importing).
    pub async fn dataset_count(&self, map: &MapId) -> Result<i64, StoreError> {
        let row = sqlx::query("select count(*) as n from datasets where map_id = $1")
            .bind(map.as_str())
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Replaces a dataset's mapping (JSON) and window.
    pub async fn set_dataset_mapping(
        &self,
        id: &str,
        mapping: &str,
        window_days: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("update datasets set mapping = $2, window_days = $3 where id = $1")
            .bind(id)
            .bind(mapping)
            .bind(window_days)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A dataset's chunks of one kind, in order.
    pub async fn dataset_chunks(&self, id: &str, kind: &str) -> Result<Vec<Vec<u8>>, StoreError> {
        let rows = sqlx::query(
            "select data from dataset_chunks where dataset_id = $1 and kind = $2 order by seq",
        )
        .bind(id)
        .bind(kind)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get("data"))
            .collect::<Result<_, _>>()?)
    }

    /// Deletes a dataset and its chunks (an import that failed, or by hand).
    pub async fn delete_dataset(&self, id: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for sql in [
            "delete from dataset_chunks where dataset_id = $1",
            "delete from datasets where id = $1",
        ] {
            sqlx::query(sql).bind(id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Deletes imports left unfinished by a stopped process; returns how many.
    pub async fn delete_unfinished_datasets(&self) -> Result<u64, StoreError> {
        let ids: Vec<String> = sqlx::query("select id from datasets where status = 'importing'")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<Result<_, _>>()?;
        for id in &ids {
            self.delete_dataset(id).await?;
        }
        Ok(ids.len() as u64)
    }
}
