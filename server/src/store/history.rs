//! A map's history on disk: who wrote each log row, the checkpoints any moment is
//! rebuilt from, what each batch changed per element (for blame), versions, visits, and
//! the retention that keeps all of it within `--history-days`.

use sqlx::Row;

use parcours_shared::ids::{MapId, UserId};

use super::{Store, StoreError};

/// Who wrote a batch of updates.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Author {
    /// A signed-in account.
    User(UserId),
    /// A public link (they cannot edit today; kept for completeness).
    Link(String),
    /// The server itself (restores, imports), on behalf of the account that asked.
    Server(Option<UserId>),
}

impl Author {
    /// What is stored in `author_kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            Author::User(_) => "user",
            Author::Link(_) => "link",
            Author::Server(_) => "server",
        }
    }

    /// What is stored in `author_id`.
    pub fn id(&self) -> Option<&str> {
        match self {
            Author::User(u) | Author::Server(Some(u)) => Some(u.0.as_str()),
            Author::Link(l) => Some(l.as_str()),
            Author::Server(None) => None,
        }
    }
}

/// An element a batch changed, and its state after the batch.
#[derive(Debug, Clone, PartialEq)]
pub struct ElementState {
    /// The document root it lives in (`cards`, `stages`, `meta`...).
    pub root: String,
    /// Its key there.
    pub element: String,
    /// Its key was (re)inserted in its root by the batch: created, or restored whole.
    pub created: bool,
    /// Its entry as JSON after the batch; `None` once deleted.
    pub state: Option<String>,
}

impl ElementState {
    /// What is stored in `change`.
    pub fn change(&self) -> &'static str {
        match (&self.state, self.created) {
            (None, _) => "deleted",
            (Some(_), true) => "created",
            (Some(_), false) => "changed",
        }
    }
}

/// One row of an element's history.
#[derive(Debug, Clone)]
pub struct ElementChangeRecord {
    pub seq: i64,
    pub root: String,
    pub author_kind: String,
    pub author_id: Option<String>,
    pub at: i64,
    /// `created`, `changed` or `deleted`.
    pub change: String,
    pub state: Option<String>,
}

/// A version as stored.
#[derive(Debug, Clone)]
pub struct VersionRecord {
    pub id: String,
    pub map_id: MapId,
    pub seq: i64,
    pub at: i64,
    pub kind: String,
    pub name: Option<String>,
    pub created_by: Option<String>,
    /// JSON array of `[kind, id]` pairs.
    pub authors: String,
    pub summary: String,
}

const VERSION_COLUMNS: &str = "id, map_id, seq, at, kind, name, created_by, authors, summary";

impl VersionRecord {
    fn from_row(row: &sqlx::any::AnyRow) -> Result<VersionRecord, sqlx::Error> {
        Ok(VersionRecord {
            id: row.try_get("id")?,
            map_id: MapId(row.try_get("map_id")?),
            seq: row.try_get("seq")?,
            at: row.try_get("at")?,
            kind: row.try_get("kind")?,
            name: row.try_get("name")?,
            created_by: row.try_get("created_by")?,
            authors: row.try_get("authors")?,
            summary: row.try_get("summary")?,
        })
    }
}

/// Who wrote a stretch of a map's log: answered from the index
/// `map_updates_by_map_authors` alone, without reading the rows' update blobs (a test
/// checks SQLite's plan).
pub const AUTHORS_BETWEEN: &str =
    "select author_kind, author_id, min(seq) as first from map_updates
     where map_id = $1 and seq > $2 and seq <= $3
     group by author_kind, author_id order by first";

impl Store {
    /// The checkpoint a state at `seq` is rebuilt from: the newest at or before it,
    /// as `(seq, state)`.
    pub async fn checkpoint_before(
        &self,
        map: &MapId,
        seq: i64,
    ) -> Result<Option<(i64, Vec<u8>)>, StoreError> {
        let row = sqlx::query(
            "select seq, state from map_checkpoints where map_id = $1 and seq <= $2
             order by seq desc limit 1",
        )
        .bind(map.as_str())
        .bind(seq)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .map(|r| Ok::<_, sqlx::Error>((r.try_get("seq")?, r.try_get("state")?)))
            .transpose()?)
    }

    /// The oldest checkpoint's position.
    pub async fn first_checkpoint(&self, map: &MapId) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("select min(seq) as seq from map_checkpoints where map_id = $1")
            .bind(map.as_str())
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("seq")?)
    }

    /// Log rows of `map` with `after < seq <= upto`, in order.
    pub async fn rows_between(
        &self,
        map: &MapId,
        after: i64,
        upto: i64,
    ) -> Result<Vec<(i64, Vec<u8>)>, StoreError> {
        let rows = sqlx::query(
            "select seq, data from map_updates where map_id = $1 and seq > $2 and seq <= $3
             order by seq",
        )
        .bind(map.as_str())
        .bind(after)
        .bind(upto)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| Ok((r.try_get("seq")?, r.try_get("data")?)))
            .collect::<Result<_, sqlx::Error>>()?)
    }

    /// The newest log position of `map` written at or before `at` (ms), with its time;
    /// a checkpoint counts as a position (the state the map was created with).
    pub async fn seq_at(&self, map: &MapId, at: i64) -> Result<Option<(i64, i64)>, StoreError> {
        let row = sqlx::query(
            "select seq, created_at from (
                 select seq, created_at from map_updates where map_id = $1 and created_at <= $2
                 union all
                 select seq, created_at from map_checkpoints where map_id = $1 and created_at <= $2
             ) as positions order by seq desc limit 1",
        )
        .bind(map.as_str())
        .bind(at)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .map(|r| Ok::<_, sqlx::Error>((r.try_get("seq")?, r.try_get("created_at")?)))
            .transpose()?)
    }

    /// The newest `limit` log rows of `map` written in `[from, to]` (ms), oldest first,
    /// as `(seq, at, author_kind, author_id, elements changed)`.
    pub async fn moments(
        &self,
        map: &MapId,
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<Vec<(i64, i64, String, Option<String>, i64)>, StoreError> {
        let rows = sqlx::query(
            "select seq, created_at, author_kind, author_id,
                    (select count(*) from element_changes e
                      where e.map_id = u.map_id and e.seq = u.seq) as n
             from map_updates u
             where u.map_id = $1 and u.created_at >= $2 and u.created_at <= $3
             order by u.seq desc limit $4",
        )
        .bind(map.as_str())
        .bind(from)
        .bind(to)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = rows
            .iter()
            .map(|r| {
                Ok((
                    r.try_get("seq")?,
                    r.try_get("created_at")?,
                    r.try_get("author_kind")?,
                    r.try_get("author_id")?,
                    r.try_get("n")?,
                ))
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        out.reverse();
        Ok(out)
    }

    /// The newest log position of `map` (its last row, or its newest checkpoint).
    pub async fn latest_seq(&self, map: &MapId) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "select coalesce(max(seq), 0) as seq from (
                 select seq from map_updates where map_id = $1
                 union all
                 select seq from map_checkpoints where map_id = $1
             ) as positions",
        )
        .bind(map.as_str())
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("seq")?)
    }

    /// The oldest moment history can show: the oldest checkpoint's time.
    pub async fn history_start(&self, map: &MapId) -> Result<Option<i64>, StoreError> {
        let row =
            sqlx::query("select min(created_at) as at from map_checkpoints where map_id = $1")
                .bind(map.as_str())
                .fetch_one(&self.pool)
                .await?;
        Ok(row.try_get("at")?)
    }

    /// Who wrote the rows with `after < seq <= upto` (distinct `(kind, id)` pairs, in
    /// order of first appearance).
    pub async fn authors_between(
        &self,
        map: &MapId,
        after: i64,
        upto: i64,
    ) -> Result<Vec<(String, Option<String>)>, StoreError> {
        let rows = sqlx::query(AUTHORS_BETWEEN)
            .bind(map.as_str())
            .bind(after)
            .bind(upto)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| Ok((r.try_get("author_kind")?, r.try_get("author_id")?)))
            .collect::<Result<_, sqlx::Error>>()?)
    }

    /// The history of one element of `map`, oldest first.
    pub async fn element_changes(
        &self,
        map: &MapId,
        element: &str,
    ) -> Result<Vec<ElementChangeRecord>, StoreError> {
        let rows = sqlx::query(
            "select seq, root, author_kind, author_id, at, change, state from element_changes
             where map_id = $1 and element = $2 order by seq",
        )
        .bind(map.as_str())
        .bind(element)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(ElementChangeRecord {
                    seq: r.try_get("seq")?,
                    root: r.try_get("root")?,
                    author_kind: r.try_get("author_kind")?,
                    author_id: r.try_get("author_id")?,
                    at: r.try_get("at")?,
                    change: r.try_get("change")?,
                    state: r.try_get("state")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?)
    }

    /// How many distinct elements others than `user` changed after `seq`.
    pub async fn changed_by_others_since(
        &self,
        map: &MapId,
        seq: i64,
        user: &UserId,
    ) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "select count(distinct element) as n from element_changes
             where map_id = $1 and seq > $2 and (author_id is null or author_id <> $3)",
        )
        .bind(map.as_str())
        .bind(seq)
        .bind(user.0.as_str())
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("n")?)
    }

    /// Stores a version.
    pub async fn insert_version(&self, v: &VersionRecord) -> Result<(), StoreError> {
        sqlx::query(
            "insert into map_versions (id, map_id, seq, at, kind, name, created_by, authors, summary)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&v.id)
        .bind(v.map_id.as_str())
        .bind(v.seq)
        .bind(v.at)
        .bind(&v.kind)
        .bind(&v.name)
        .bind(&v.created_by)
        .bind(&v.authors)
        .bind(&v.summary)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A map's versions, newest first.
    pub async fn versions(&self, map: &MapId) -> Result<Vec<VersionRecord>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {VERSION_COLUMNS} from map_versions where map_id = $1 order by seq desc, at desc"
        )))
        .bind(map.as_str())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(VersionRecord::from_row)
            .collect::<Result<_, _>>()?)
    }

    /// One version of `map`.
    pub async fn version(
        &self,
        map: &MapId,
        id: &str,
    ) -> Result<Option<VersionRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {VERSION_COLUMNS} from map_versions where map_id = $1 and id = $2"
        )))
        .bind(map.as_str())
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(VersionRecord::from_row).transpose()?)
    }

    /// The newest version of `map`.
    pub async fn last_version(&self, map: &MapId) -> Result<Option<VersionRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {VERSION_COLUMNS} from map_versions where map_id = $1
             order by seq desc, at desc limit 1"
        )))
        .bind(map.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(VersionRecord::from_row).transpose()?)
    }

    /// When `user` last had `map` open: `(seq, at)`.
    pub async fn last_visit(
        &self,
        map: &MapId,
        user: &UserId,
    ) -> Result<Option<(i64, i64)>, StoreError> {
        let row = sqlx::query(
            "select seen_seq, seen_at from map_visits where map_id = $1 and user_id = $2",
        )
        .bind(map.as_str())
        .bind(user.0.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .map(|r| Ok::<_, sqlx::Error>((r.try_get("seen_seq")?, r.try_get("seen_at")?)))
            .transpose()?)
    }

    /// Records that `user` has `map` open now, at log position `seq`.
    pub async fn record_visit(
        &self,
        map: &MapId,
        user: &UserId,
        seq: i64,
        at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "insert into map_visits (map_id, user_id, seen_seq, seen_at) values ($1, $2, $3, $4)
             on conflict (map_id, user_id) do update set seen_seq = excluded.seen_seq,
                 seen_at = excluded.seen_at",
        )
        .bind(map.as_str())
        .bind(user.0.as_str())
        .bind(seq)
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Drops history older than `cutoff` (ms): for each map, everything before the
    /// newest checkpoint written at or before the cutoff (that checkpoint stays, so the
    /// moment of the cutoff can still be shown). The live snapshot is not touched.
    /// Returns how many log rows went.
    pub async fn purge_history(&self, cutoff: i64) -> Result<u64, StoreError> {
        let maps = sqlx::query(
            "select map_id, max(seq) as keep from map_checkpoints where created_at <= $1
             group by map_id",
        )
        .bind(cutoff)
        .fetch_all(&self.pool)
        .await?;
        let mut dropped = 0;
        for row in maps {
            let map: String = row.try_get("map_id")?;
            let keep: i64 = row.try_get("keep")?;
            let mut tx = self.pool.begin().await?;
            // Rows the live snapshot has not covered yet stay, whatever their age.
            let covered: i64 = sqlx::query(
                "select coalesce(max(covers_seq), 0) as c from map_snapshots where map_id = $1",
            )
            .bind(&map)
            .fetch_one(&mut *tx)
            .await?
            .try_get("c")?;
            let upto = keep.min(covered);
            let gone = sqlx::query("delete from map_updates where map_id = $1 and seq <= $2")
                .bind(&map)
                .bind(upto)
                .execute(&mut *tx)
                .await?;
            dropped += gone.rows_affected();
            for sql in [
                "delete from map_checkpoints where map_id = $1 and seq < $2",
                "delete from element_changes where map_id = $1 and seq <= $2",
                "delete from map_versions where map_id = $1 and seq < $2",
            ] {
                sqlx::query(sql)
                    .bind(&map)
                    .bind(keep)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        }
        Ok(dropped)
    }
}
