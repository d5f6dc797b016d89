//! The access audit trail: who granted, changed or revoked what, when. Written in the
//! same transaction as the change it records.

use parcours_shared::api::AuditEntry;
use parcours_shared::ids::UserId;
use parcours_shared::MapId;
use sqlx::{Any, Row, Transaction};

use super::{Store, StoreError};

/// Appends one audit line inside `tx`.
pub(crate) async fn record(
    tx: &mut Transaction<'_, Any>,
    map_id: &str,
    actor: Option<&str>,
    action: &str,
    target: Option<&str>,
    detail: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into audit_log (map_id, at, actor, action, target, detail) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(map_id)
    .bind(now)
    .bind(actor)
    .bind(action)
    .bind(target)
    .bind(detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Up to `limit` entries of a map's audit trail after entry `after`, oldest first,
    /// and whether more follow.
    #[tracing::instrument(skip_all, fields(map = %map))]
    pub async fn audit_log(
        &self,
        map: &MapId,
        after: Option<i64>,
        limit: i64,
    ) -> Result<(Vec<AuditEntry>, bool), StoreError> {
        let rows = sqlx::query(
            "select id, at, actor, action, target, detail from audit_log
             where map_id = $1 and id > $2 order by id limit $3",
        )
        .bind(map.as_str())
        .bind(after.unwrap_or(0))
        .bind(limit + 1)
        .fetch_all(&self.pool)
        .await?;
        let mut entries = rows
            .iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get::<Option<String>, _>("actor")?.map(UserId),
                    action: r.try_get("action")?,
                    target: r.try_get("target")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let more = entries.len() as i64 > limit;
        entries.truncate(limit.max(0) as usize);
        Ok((entries, more))
    }
}
