//! Each account's inbox: mentions, replies, review requests, reminders and closings.

use parcours_shared::api::{inbox_english, InboxItem, InboxKind};
use parcours_shared::ids::UserId;
use parcours_shared::words::Worded;
use parcours_shared::MapId;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{Store, StoreError};

/// An inbox item to deliver.
#[derive(Debug, Clone)]
pub struct NewInboxItem {
    pub user: UserId,
    pub map: MapId,
    pub kind: InboxKind,
    pub thread: Option<String>,
    pub round: Option<String>,
    /// The line as a form of `INBOX_FORMS` and its values; its English is the item's
    /// `text`.
    pub parts: Worded,
}

impl NewInboxItem {
    /// The English line (what `text` holds).
    pub fn text(&self) -> String {
        inbox_english(&self.parts).unwrap_or_default()
    }
}

const INBOX_COLUMNS: &str =
    "id, kind, map_id, ref_thread, ref_round, text, parts, created_at, read_at";

fn item_from_row(r: &AnyRow) -> Result<InboxItem, sqlx::Error> {
    let kind: String = r.try_get("kind")?;
    Ok(InboxItem {
        id: r.try_get("id")?,
        // Written by this code only; an unknown kind reads as a mention.
        kind: InboxKind::parse(&kind).unwrap_or(InboxKind::Mention),
        map_id: MapId(r.try_get("map_id")?),
        thread_id: r.try_get("ref_thread")?,
        round_id: r.try_get("ref_round")?,
        text: r.try_get("text")?,
        // Written by this code only; parts that do not read are left out (the text
        // still says it all).
        parts: r
            .try_get::<Option<String>, _>("parts")?
            .and_then(|json| serde_json::from_str(&json).ok()),
        created_at: r.try_get("created_at")?,
        read: r.try_get::<Option<i64>, _>("read_at")?.is_some(),
    })
}

impl Store {
    /// Stores one item, unread; returns it with its id.
    #[tracing::instrument(skip_all, fields(map = %item.map))]
    pub async fn add_inbox_item(
        &self,
        item: &NewInboxItem,
        now: i64,
    ) -> Result<InboxItem, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "insert into inbox (user_id, map_id, kind, ref_thread, ref_round, text, parts, created_at, read_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, null) returning {INBOX_COLUMNS}"
        )))
        .bind(item.user.0.as_str())
        .bind(item.map.as_str())
        .bind(item.kind.as_str())
        .bind(item.thread.as_deref())
        .bind(item.round.as_deref())
        .bind(item.text())
        .bind(serde_json::to_string(&item.parts).ok())
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(item_from_row(&row)?)
    }

    /// `user`'s newest `limit` items older than `before` (an item id; `None`: from the
    /// newest), newest first; whether older ones remain; the number of unread ones.
    #[tracing::instrument(skip_all)]
    pub async fn inbox(
        &self,
        user: &UserId,
        before: Option<i64>,
        limit: i64,
    ) -> Result<(Vec<InboxItem>, bool, i64), StoreError> {
        // One more than asked: whether there is more.
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {INBOX_COLUMNS} from inbox where user_id = $1 and id < $2 \
             order by id desc limit $3"
        )))
        .bind(user.0.as_str())
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit + 1)
        .fetch_all(&self.pool)
        .await?;
        let mut items: Vec<InboxItem> = rows.iter().map(item_from_row).collect::<Result<_, _>>()?;
        let more = items.len() as i64 > limit;
        items.truncate(limit.max(0) as usize);
        let unread: i64 =
            sqlx::query("select count(*) as n from inbox where user_id = $1 and read_at is null")
                .bind(user.0.as_str())
                .fetch_one(&self.pool)
                .await?
                .try_get("n")?;
        Ok((items, more, unread))
    }

    /// Marks `user`'s items read: those in `ids` (others' ids are ignored), or all.
    #[tracing::instrument(skip_all)]
    pub async fn mark_read(
        &self,
        user: &UserId,
        ids: Option<&[i64]>,
        now: i64,
    ) -> Result<(), StoreError> {
        match ids {
            None => {
                sqlx::query("update inbox set read_at = $2 where user_id = $1 and read_at is null")
                    .bind(user.0.as_str())
                    .bind(now)
                    .execute(&self.pool)
                    .await?;
            }
            Some([]) => {}
            Some(ids) => {
                // One statement, whatever the count (the route allows at most
                // MAX_READ_IDS): `id in ($3, $4, ...)`.
                let placeholders: Vec<String> =
                    (0..ids.len()).map(|i| format!("${}", i + 3)).collect();
                let sql = format!(
                    "update inbox set read_at = $2 where user_id = $1 and read_at is null and id in ({})",
                    placeholders.join(", ")
                );
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(user.0.as_str())
                    .bind(now);
                for id in ids {
                    query = query.bind(*id);
                }
                query.execute(&self.pool).await?;
            }
        }
        Ok(())
    }

    /// Removes `user`'s invitation items about `map` (the invitation was accepted).
    pub async fn remove_invitation_items(
        &self,
        user: &UserId,
        map: &MapId,
    ) -> Result<(), StoreError> {
        sqlx::query("delete from inbox where user_id = $1 and map_id = $2 and kind = 'invitation'")
            .bind(user.0.as_str())
            .bind(map.as_str())
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
