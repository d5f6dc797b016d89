//! The `maps` table: what a map list shows without loading documents.

use parcours_shared::api::MapSummary;
use parcours_shared::ids::{Role, UserId};
use parcours_shared::method::{MethodStep, StepSet};
use parcours_shared::{ItineraryKind, MapId};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{Store, StoreError};

/// A new map to insert.
#[derive(Debug, Clone)]
pub struct NewMap {
    pub id: MapId,
    pub title: String,
    pub itinerary: ItineraryKind,
    /// Creation time, ms since epoch.
    pub now: i64,
    /// The method's steps its first document passes (`None`: not assessed).
    pub method_steps: Option<StepSet>,
}

/// One row of `maps`.
#[derive(Debug, Clone, PartialEq)]
pub struct MapRecord {
    pub id: MapId,
    pub title: String,
    pub itinerary: ItineraryKind,
    pub created_at: i64,
    pub updated_at: i64,
    pub archived_at: Option<i64>,
    /// The method's steps the document passed at its last written edit (`None`: not
    /// assessed yet), and validation when a review round closed or an event log is
    /// ready on the map.
    pub method: StepSet,
}

/// The columns [`MapRecord::from_row`] reads, from `maps m`. Validation is read from
/// the rounds and event logs (each by an index on `map_id`), so it is never stale.
const RECORD_COLUMNS: &str = "m.id, m.title, m.itinerary, m.created_at, m.updated_at,
    m.archived_at, m.method_steps,
    cast(case when exists (select 1 from review_rounds r
                           where r.map_id = m.id and r.closed_at is not null)
                or exists (select 1 from datasets d
                           where d.map_id = m.id and d.status = 'ready')
         then 1 else 0 end as bigint) as validated";

impl MapRecord {
    fn from_row(row: &AnyRow) -> Result<MapRecord, sqlx::Error> {
        let itinerary: String = row.try_get("itinerary")?;
        let steps: Option<i64> = row.try_get("method_steps")?;
        let validated: i64 = row.try_get("validated")?;
        let mut method = StepSet::from_bits(steps.unwrap_or(0)).from_document();
        if validated != 0 {
            method = method.with(MethodStep::Validation);
        }
        Ok(MapRecord {
            id: MapId(row.try_get("id")?),
            title: row.try_get("title")?,
            itinerary: ItineraryKind::parse(&itinerary).unwrap_or_default(),
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
            archived_at: row.try_get("archived_at")?,
            method,
        })
    }

    /// The REST shape of this row, as seen by someone with `role`.
    pub fn summary(&self, role: Role) -> MapSummary {
        MapSummary {
            id: self.id.clone(),
            title: self.title.clone(),
            itinerary: self.itinerary,
            created_at: self.created_at,
            updated_at: self.updated_at,
            archived: self.archived_at.is_some(),
            role,
            online: Vec::new(),
            method_done: self.method.steps(),
        }
    }
}

impl Store {
    /// Inserts a map, its initial document snapshot and its owner in one transaction.
    #[tracing::instrument(skip_all, fields(map = %map.id))]
    pub async fn create_map(
        &self,
        map: &NewMap,
        initial_state: &[u8],
        owner: &UserId,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "insert into maps (id, title, itinerary, created_at, updated_at, archived_at, method_steps)
             values ($1, $2, $3, $4, $4, null, $5)",
        )
        .bind(map.id.as_str())
        .bind(&map.title)
        .bind(map.itinerary.as_str())
        .bind(map.now)
        .bind(map.method_steps.map(|s| i64::from(s.bits())))
        .execute(&mut *tx)
        .await?;
        // The first state is the live snapshot and history's first checkpoint.
        for table in [
            "map_snapshots (map_id, state, covers_seq, created_at)",
            "map_checkpoints (map_id, state, seq, created_at)",
        ] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "insert into {table} values ($1, $2, 0, $3)"
            )))
            .bind(map.id.as_str())
            .bind(initial_state.to_vec())
            .bind(map.now)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("insert into memberships (map_id, user_id, role, created_at) values ($1, $2, 'owner', $3)")
            .bind(map.id.as_str())
            .bind(owner.0.as_str())
            .bind(map.now)
            .execute(&mut *tx)
            .await?;
        super::audit::record(
            &mut tx,
            map.id.as_str(),
            Some(&owner.0),
            "map_created",
            Some(&owner.0),
            "owner",
            map.now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The maps `user` is a member of, with their role, most recently edited first;
    /// archived ones only when asked.
    #[tracing::instrument(skip_all)]
    pub async fn list_maps_for(
        &self,
        user: &UserId,
        include_archived: bool,
    ) -> Result<Vec<(MapRecord, Role)>, StoreError> {
        let archived = if include_archived {
            ""
        } else {
            "and m.archived_at is null"
        };
        let sql = format!(
            "select {RECORD_COLUMNS}, ms.role
             from maps m join memberships ms on ms.map_id = m.id
             where ms.user_id = $1 {archived}
             order by m.updated_at desc, m.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(user.0.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let role: String = r.try_get("role")?;
                Ok((
                    MapRecord::from_row(r)?,
                    Role::parse(&role).unwrap_or(Role::Viewer),
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Every map, most recently edited first; archived ones only when asked.
    #[tracing::instrument(skip_all)]
    pub async fn list_maps(&self, include_archived: bool) -> Result<Vec<MapRecord>, StoreError> {
        let archived = if include_archived {
            ""
        } else {
            "where m.archived_at is null"
        };
        let sql = format!(
            "select {RECORD_COLUMNS} from maps m {archived} order by m.updated_at desc, m.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(MapRecord::from_row)
            .collect::<Result<_, _>>()?)
    }

    /// One map's row.
    #[tracing::instrument(skip_all, fields(map = %id))]
    pub async fn get_map(&self, id: &MapId) -> Result<Option<MapRecord>, StoreError> {
        let sql = format!("select {RECORD_COLUMNS} from maps m where m.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(MapRecord::from_row).transpose()?)
    }

    /// Records the method's steps a map's document passes now.
    #[tracing::instrument(skip_all, fields(map = %id))]
    pub async fn set_method_steps(&self, id: &MapId, steps: StepSet) -> Result<(), StoreError> {
        sqlx::query("update maps set method_steps = $2 where id = $1")
            .bind(id.as_str())
            .bind(i64::from(steps.from_document().bits()))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records the method's steps of a map never assessed (a room that wrote them in
    /// the meantime knows better). True when the row was updated.
    #[tracing::instrument(skip_all, fields(map = %id))]
    pub async fn fill_method_steps(&self, id: &MapId, steps: StepSet) -> Result<bool, StoreError> {
        let done =
            sqlx::query("update maps set method_steps = $2 where id = $1 and method_steps is null")
                .bind(id.as_str())
                .bind(i64::from(steps.from_document().bits()))
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Maps whose method steps were never assessed (made before they were stored).
    #[tracing::instrument(skip_all)]
    pub async fn maps_without_method_steps(&self) -> Result<Vec<MapId>, StoreError> {
        let rows = sqlx::query("select id from maps where method_steps is null order by id")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get("id").map(MapId))
            .collect::<Result<_, _>>()?)
    }

    /// Archives (`Some(time)`) or restores (`None`) a map. False if there is no such map.
    #[tracing::instrument(skip_all, fields(map = %id))]
    pub async fn set_archived(
        &self,
        id: &MapId,
        at: Option<i64>,
        actor: Option<&UserId>,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("update maps set archived_at = $2 where id = $1")
            .bind(id.as_str())
            .bind(at)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        let action = if at.is_some() {
            "map_archived"
        } else {
            "map_restored"
        };
        super::audit::record(
            &mut tx,
            id.as_str(),
            actor.map(|a| a.0.as_str()),
            action,
            None,
            "",
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Deletes a map with its snapshot and log, its access data, and its threads,
    /// comments, rounds and inbox items. False if there was no such map.
    #[tracing::instrument(skip_all, fields(map = %id))]
    pub async fn delete_map(&self, id: &MapId) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("delete from maps where id = $1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        for sql in [
            "delete from map_updates where map_id = $1",
            "delete from map_snapshots where map_id = $1",
            "delete from map_checkpoints where map_id = $1",
            "delete from element_changes where map_id = $1",
            "delete from map_versions where map_id = $1",
            "delete from map_visits where map_id = $1",
            "delete from dataset_chunks where dataset_id in (select id from datasets where map_id = $1)",
            "delete from datasets where map_id = $1",
            "delete from memberships where map_id = $1",
            "delete from invitations where map_id = $1",
            "delete from share_links where map_id = $1",
            "delete from audit_log where map_id = $1",
            "delete from comment_mentions where comment_id in (select id from comments where map_id = $1)",
            "delete from comments where map_id = $1",
            "delete from threads where map_id = $1",
            "delete from round_reviewers where round_id in (select id from review_rounds where map_id = $1)",
            "delete from review_rounds where map_id = $1",
            "delete from inbox where map_id = $1",
        ] {
            sqlx::query(sql).bind(id.as_str()).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }
}
