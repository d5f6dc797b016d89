//! Review rounds: who is asked to review a map by when, their verdicts, the document
//! state at opening, and closing (by hand, or at the due date).

use parcours_shared::api::{Reviewer, Verdict};
use parcours_shared::ids::UserId;
use parcours_shared::MapId;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{Store, StoreError};

/// A round as stored (without its reviewers or start state).
#[derive(Debug, Clone, PartialEq)]
pub struct RoundRecord {
    pub id: String,
    pub map_id: MapId,
    pub title: String,
    pub instructions: String,
    pub due_at: i64,
    pub opened_by: UserId,
    pub opened_at: i64,
    pub closed_at: Option<i64>,
    pub closed_by: Option<UserId>,
}

impl RoundRecord {
    fn from_row(row: &AnyRow) -> Result<RoundRecord, sqlx::Error> {
        Ok(RoundRecord {
            id: row.try_get("id")?,
            map_id: MapId(row.try_get("map_id")?),
            title: row.try_get("title")?,
            instructions: row.try_get("instructions")?,
            due_at: row.try_get("due_at")?,
            opened_by: UserId(row.try_get("opened_by")?),
            opened_at: row.try_get("opened_at")?,
            closed_at: row.try_get("closed_at")?,
            closed_by: row.try_get::<Option<String>, _>("closed_by")?.map(UserId),
        })
    }
}

/// A reviewer to remind that a round is due soon.
#[derive(Debug, Clone)]
pub struct DueSoon {
    pub map_id: MapId,
    pub round_id: String,
    pub title: String,
    pub due_at: i64,
    pub user_id: UserId,
}

const ROUND_COLUMNS: &str =
    "id, map_id, title, instructions, due_at, opened_by, opened_at, closed_at, closed_by";

impl Store {
    /// Inserts an open round, the document state reviewers see, and its reviewers.
    #[tracing::instrument(skip_all, fields(map = %round.map_id))]
    pub async fn create_round(
        &self,
        round: &RoundRecord,
        start_state: &[u8],
        reviewers: &[UserId],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "insert into review_rounds (id, map_id, title, instructions, due_at, opened_by, opened_at, closed_at, closed_by, start_state)
             values ($1, $2, $3, $4, $5, $6, $7, null, null, $8)",
        )
        .bind(&round.id)
        .bind(round.map_id.as_str())
        .bind(&round.title)
        .bind(&round.instructions)
        .bind(round.due_at)
        .bind(round.opened_by.0.as_str())
        .bind(round.opened_at)
        .bind(start_state.to_vec())
        .execute(&mut *tx)
        .await?;
        for user in reviewers {
            sqlx::query("insert into round_reviewers (round_id, user_id) values ($1, $2)")
                .bind(&round.id)
                .bind(user.0.as_str())
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_insert)?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A map's rounds, newest first.
    #[tracing::instrument(skip_all, fields(map = %map))]
    pub async fn rounds(&self, map: &MapId) -> Result<Vec<RoundRecord>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {ROUND_COLUMNS} from review_rounds where map_id = $1 order by opened_at desc, id"
        )))
        .bind(map.as_str())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(RoundRecord::from_row)
            .collect::<Result<_, _>>()?)
    }

    /// One round of `map`.
    #[tracing::instrument(skip_all, fields(map = %map))]
    pub async fn round(&self, map: &MapId, round: &str) -> Result<Option<RoundRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {ROUND_COLUMNS} from review_rounds where map_id = $1 and id = $2"
        )))
        .bind(map.as_str())
        .bind(round)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(RoundRecord::from_row).transpose()?)
    }

    /// The document state recorded when the round opened.
    #[tracing::instrument(skip_all, fields(map = %map))]
    pub async fn round_start_state(
        &self,
        map: &MapId,
        round: &str,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let row =
            sqlx::query("select start_state from review_rounds where map_id = $1 and id = $2")
                .bind(map.as_str())
                .bind(round)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|r| r.try_get("start_state")).transpose()?)
    }

    /// A round's reviewers with their current display names, by name.
    #[tracing::instrument(skip_all)]
    pub async fn reviewers(&self, round: &str) -> Result<Vec<Reviewer>, StoreError> {
        let rows = sqlx::query(
            "select r.user_id, coalesce(u.display_name, '') as display_name, r.done_at, r.verdict, r.summary
             from round_reviewers r left join users u on u.id = r.user_id
             where r.round_id = $1 order by display_name, r.user_id",
        )
        .bind(round)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Reviewer {
                    user_id: UserId(r.try_get("user_id")?),
                    display_name: r.try_get("display_name")?,
                    done_at: r.try_get("done_at")?,
                    verdict: r
                        .try_get::<Option<String>, _>("verdict")?
                        .and_then(|v| Verdict::parse(&v)),
                    summary: r.try_get("summary")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Records `user`'s verdict on an open round (again: replaces it). False if the
    /// round is closed or `user` is not one of its reviewers.
    #[tracing::instrument(skip_all)]
    pub async fn mark_review_done(
        &self,
        round: &str,
        user: &UserId,
        verdict: Verdict,
        summary: Option<&str>,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "update round_reviewers set done_at = $3, verdict = $4, summary = $5
             where round_id = $1 and user_id = $2
               and exists (select 1 from review_rounds r where r.id = $1 and r.closed_at is null)",
        )
        .bind(round)
        .bind(user.0.as_str())
        .bind(now)
        .bind(verdict.as_str())
        .bind(summary)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Closes an open round at `at`, by `by` (`None`: the server, at the due date).
    /// False if it was not open: exactly one closer wins.
    #[tracing::instrument(skip_all, fields(map = %map))]
    pub async fn close_round(
        &self,
        map: &MapId,
        round: &str,
        by: Option<&UserId>,
        at: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "update review_rounds set closed_at = $3, closed_by = $4
             where map_id = $1 and id = $2 and closed_at is null",
        )
        .bind(map.as_str())
        .bind(round)
        .bind(at)
        .bind(by.map(|u| u.0.as_str()))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Open rounds whose due date is at or before `now`, as (map, round, due_at).
    #[tracing::instrument(skip_all)]
    pub async fn overdue_rounds(&self, now: i64) -> Result<Vec<(MapId, String, i64)>, StoreError> {
        let rows = sqlx::query(
            "select map_id, id, due_at from review_rounds
             where closed_at is null and due_at <= $1 order by due_at, id",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    MapId(r.try_get("map_id")?),
                    r.try_get("id")?,
                    r.try_get("due_at")?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Reviewers not done and not yet reminded of open rounds due at or before `by`.
    #[tracing::instrument(skip_all)]
    pub async fn due_soon(&self, by: i64) -> Result<Vec<DueSoon>, StoreError> {
        let rows = sqlx::query(
            "select r.map_id, r.id, r.title, r.due_at, rr.user_id
             from review_rounds r join round_reviewers rr on rr.round_id = r.id
             join memberships m on m.map_id = r.map_id and m.user_id = rr.user_id
             where r.closed_at is null and r.due_at <= $1
               and rr.done_at is null and rr.reminded_at is null
               and m.role in ('owner', 'editor', 'commenter')
             order by r.due_at, r.id, rr.user_id",
        )
        .bind(by)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DueSoon {
                    map_id: MapId(r.try_get("map_id")?),
                    round_id: r.try_get("id")?,
                    title: r.try_get("title")?,
                    due_at: r.try_get("due_at")?,
                    user_id: UserId(r.try_get("user_id")?),
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Marks a reviewer reminded. False if already reminded (someone else won).
    pub async fn mark_reminded(
        &self,
        round: &str,
        user: &UserId,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "update round_reviewers set reminded_at = $3
             where round_id = $1 and user_id = $2 and reminded_at is null",
        )
        .bind(round)
        .bind(user.0.as_str())
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }
}
