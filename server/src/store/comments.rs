//! Comment threads: threads anchored on map elements, their comments, and the members
//! each comment mentions.

use std::collections::HashMap;

use parcours_shared::api::{Anchor, AnchorKind};
use parcours_shared::ids::UserId;
use parcours_shared::MapId;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::{Store, StoreError};

/// A thread as stored (without its comments).
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadRecord {
    pub id: String,
    pub map_id: MapId,
    pub anchor: Anchor,
    pub round_id: Option<String>,
    pub created_by: UserId,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
    pub resolved_by: Option<UserId>,
}

impl ThreadRecord {
    fn from_row(row: &AnyRow) -> Result<ThreadRecord, sqlx::Error> {
        let kind: String = row.try_get("anchor_kind")?;
        Ok(ThreadRecord {
            id: row.try_get("id")?,
            map_id: MapId(row.try_get("map_id")?),
            anchor: Anchor {
                // Written by this code only; an unknown kind reads as the whole map.
                kind: AnchorKind::parse(&kind).unwrap_or(AnchorKind::Map),
                id: row.try_get("anchor_id")?,
            },
            round_id: row.try_get("round_id")?,
            created_by: UserId(row.try_get("created_by")?),
            created_at: row.try_get("created_at")?,
            resolved_at: row.try_get("resolved_at")?,
            resolved_by: row.try_get::<Option<String>, _>("resolved_by")?.map(UserId),
        })
    }
}

/// A comment as stored, with its author's current display name and its mentions.
#[derive(Debug, Clone, PartialEq)]
pub struct CommentRecord {
    pub id: String,
    pub thread_id: String,
    pub author: UserId,
    pub author_name: String,
    pub body: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub deleted_at: Option<i64>,
    pub mentions: Vec<UserId>,
}

/// A comment to insert.
#[derive(Debug, Clone)]
pub struct NewCommentRecord {
    pub id: String,
    pub author: UserId,
    pub body: String,
    pub created_at: i64,
    /// Members mentioned (already checked to be members).
    pub mentions: Vec<UserId>,
}

const THREAD_COLUMNS: &str =
    "id, map_id, anchor_kind, anchor_id, round_id, created_by, created_at, resolved_at, resolved_by";
const COMMENT_SELECT: &str =
    "select c.id, c.thread_id, c.author_id, coalesce(u.display_name, '') as author_name,
        c.body, c.created_at, c.edited_at, c.deleted_at
     from comments c left join users u on u.id = c.author_id";

impl Store {
    /// Inserts a thread with its first comment.
    #[tracing::instrument(skip_all, fields(map = %thread.map_id))]
    pub async fn create_thread(
        &self,
        thread: &ThreadRecord,
        first: &NewCommentRecord,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "insert into threads ({THREAD_COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, null, null)"
        )))
        .bind(&thread.id)
        .bind(thread.map_id.as_str())
        .bind(thread.anchor.kind.as_str())
        .bind(thread.anchor.id.as_deref())
        .bind(thread.round_id.as_deref())
        .bind(thread.created_by.0.as_str())
        .bind(thread.created_at)
        .execute(&mut *tx)
        .await?;
        insert_comment(&mut tx, &thread.map_id, &thread.id, first).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a comment to a thread of `map`.
    #[tracing::instrument(skip_all, fields(map = %map))]
    pub async fn add_comment(
        &self,
        map: &MapId,
        thread: &str,
        comment: &NewCommentRecord,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        insert_comment(&mut tx, map, thread, comment).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A map's threads, oldest first.
    #[tracing::instrument(skip_all, fields(map = %map))]
    pub async fn threads(
        &self,
        map: &MapId,
        after: Option<&str>,
        limit: i64,
    ) -> Result<(Vec<ThreadRecord>, bool), StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {THREAD_COLUMNS} from threads
             where map_id = $1
               and seq > coalesce((select seq from threads where map_id = $1 and id = $2), 0)
             order by seq limit $3"
        )))
        .bind(map.as_str())
        .bind(after.unwrap_or(""))
        .bind(limit + 1)
        .fetch_all(&self.pool)
        .await?;
        let mut threads = rows
            .iter()
            .map(ThreadRecord::from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let more = threads.len() as i64 > limit;
        threads.truncate(limit.max(0) as usize);
        Ok((threads, more))
    }

    /// Every thread record of `map` (no comments), oldest first: for summaries the
    /// server computes itself.
    pub async fn all_threads(&self, map: &MapId) -> Result<Vec<ThreadRecord>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {THREAD_COLUMNS} from threads where map_id = $1 order by seq"
        )))
        .bind(map.as_str())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(ThreadRecord::from_row)
            .collect::<Result<_, _>>()?)
    }

    /// The comments of `threads` (of `map`), grouped by thread id, each oldest first.
    pub async fn comments_of_threads(
        &self,
        map: &MapId,
        threads: &[String],
    ) -> Result<HashMap<String, Vec<CommentRecord>>, StoreError> {
        if threads.is_empty() {
            return Ok(HashMap::new());
        }
        let list: Vec<String> = (0..threads.len()).map(|i| format!("${}", i + 2)).collect();
        let list = list.join(", ");
        let mut comments = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{COMMENT_SELECT} where c.map_id = $1 and c.thread_id in ({list}) order by c.seq"
        )))
        .bind(map.as_str());
        let mut mentions = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select m.comment_id, m.user_id from comment_mentions m
             join comments c on c.id = m.comment_id
             where c.map_id = $1 and c.thread_id in ({list}) order by m.user_id"
        )))
        .bind(map.as_str());
        for t in threads {
            comments = comments.bind(t.as_str());
            mentions = mentions.bind(t.as_str());
        }
        let rows = comments.fetch_all(&self.pool).await?;
        let mentions = mentions.fetch_all(&self.pool).await?;
        let mut by_thread: HashMap<String, Vec<CommentRecord>> = HashMap::new();
        for c in comments_from_rows(&rows, &mentions)? {
            by_thread.entry(c.thread_id.clone()).or_default().push(c);
        }
        Ok(by_thread)
    }

    /// One thread of `map`.
    #[tracing::instrument(skip_all, fields(map = %map))]
    pub async fn thread(
        &self,
        map: &MapId,
        thread: &str,
    ) -> Result<Option<ThreadRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {THREAD_COLUMNS} from threads where map_id = $1 and id = $2"
        )))
        .bind(map.as_str())
        .bind(thread)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(ThreadRecord::from_row).transpose()?)
    }

    /// One thread's comments, oldest first.
    #[tracing::instrument(skip_all)]
    pub async fn comments_of_thread(&self, thread: &str) -> Result<Vec<CommentRecord>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{COMMENT_SELECT} where c.thread_id = $1 order by c.seq"
        )))
        .bind(thread)
        .fetch_all(&self.pool)
        .await?;
        let mentions = sqlx::query(
            "select m.comment_id, m.user_id from comment_mentions m
             join comments c on c.id = m.comment_id where c.thread_id = $1 order by m.user_id",
        )
        .bind(thread)
        .fetch_all(&self.pool)
        .await?;
        comments_from_rows(&rows, &mentions)
    }

    /// Replaces a live comment's body and mentions. False if there is no such live
    /// comment in that thread.
    #[tracing::instrument(skip_all)]
    pub async fn edit_comment(
        &self,
        thread: &str,
        comment: &str,
        body: &str,
        mentions: &[UserId],
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "update comments set body = $3, edited_at = $4
             where thread_id = $1 and id = $2 and deleted_at is null",
        )
        .bind(thread)
        .bind(comment)
        .bind(body)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("delete from comment_mentions where comment_id = $1")
            .bind(comment)
            .execute(&mut *tx)
            .await?;
        insert_mentions(&mut tx, comment, mentions).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Deletes a live comment: its row stays, with an empty body and no mentions.
    /// False if there is no such live comment in that thread.
    #[tracing::instrument(skip_all)]
    pub async fn delete_comment(
        &self,
        thread: &str,
        comment: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "update comments set body = '', deleted_at = $3
             where thread_id = $1 and id = $2 and deleted_at is null",
        )
        .bind(thread)
        .bind(comment)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("delete from comment_mentions where comment_id = $1")
            .bind(comment)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Resolves (`Some((by, at))`) or reopens (`None`) a thread of `map`. False if
    /// nothing changed (no such thread, or already in that state).
    #[tracing::instrument(skip_all, fields(map = %map))]
    pub async fn set_resolved(
        &self,
        map: &MapId,
        thread: &str,
        resolved: Option<(&UserId, i64)>,
    ) -> Result<bool, StoreError> {
        let done = match resolved {
            Some((by, at)) => {
                sqlx::query(
                    "update threads set resolved_at = $3, resolved_by = $4
                     where map_id = $1 and id = $2 and resolved_at is null",
                )
                .bind(map.as_str())
                .bind(thread)
                .bind(at)
                .bind(by.0.as_str())
                .execute(&self.pool)
                .await?
            }
            None => {
                sqlx::query(
                    "update threads set resolved_at = null, resolved_by = null
                     where map_id = $1 and id = $2 and resolved_at is not null",
                )
                .bind(map.as_str())
                .bind(thread)
                .execute(&self.pool)
                .await?
            }
        };
        Ok(done.rows_affected() > 0)
    }
}

async fn insert_comment(
    tx: &mut Transaction<'_, Any>,
    map: &MapId,
    thread: &str,
    c: &NewCommentRecord,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into comments (id, thread_id, map_id, author_id, body, created_at, edited_at, deleted_at)
         values ($1, $2, $3, $4, $5, $6, null, null)",
    )
    .bind(&c.id)
    .bind(thread)
    .bind(map.as_str())
    .bind(c.author.0.as_str())
    .bind(&c.body)
    .bind(c.created_at)
    .execute(&mut **tx)
    .await?;
    insert_mentions(tx, &c.id, &c.mentions).await
}

async fn insert_mentions(
    tx: &mut Transaction<'_, Any>,
    comment: &str,
    mentions: &[UserId],
) -> Result<(), sqlx::Error> {
    for user in mentions {
        sqlx::query("insert into comment_mentions (comment_id, user_id) values ($1, $2)")
            .bind(comment)
            .bind(user.0.as_str())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

fn comments_from_rows(
    rows: &[AnyRow],
    mentions: &[AnyRow],
) -> Result<Vec<CommentRecord>, StoreError> {
    let mut by_comment: HashMap<String, Vec<UserId>> = HashMap::new();
    for m in mentions {
        by_comment
            .entry(m.try_get("comment_id")?)
            .or_default()
            .push(UserId(m.try_get("user_id")?));
    }
    rows.iter()
        .map(|r| {
            let id: String = r.try_get("id")?;
            Ok(CommentRecord {
                mentions: by_comment.remove(&id).unwrap_or_default(),
                id,
                thread_id: r.try_get("thread_id")?,
                author: UserId(r.try_get("author_id")?),
                author_name: r.try_get("author_name")?,
                body: r.try_get("body")?,
                created_at: r.try_get("created_at")?,
                edited_at: r.try_get("edited_at")?,
                deleted_at: r.try_get("deleted_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(StoreError::from)
}
