//! Who may do what on a map: memberships, with the at-least-one-owner rule. Share links
//! are in `links.rs`, invitations in `invitations.rs`; both add members through the
//! helpers at the bottom.

use parcours_shared::api::Member;
use parcours_shared::audit::AuditDetail;
use parcours_shared::ids::{Role, UserId};
use parcours_shared::MapId;
use sqlx::Row;

use super::audit::record;
use super::{Store, StoreError};

/// Roles are written by this code only; an unknown one reads as the least powerful.
pub(super) fn parse_role(s: String) -> Role {
    Role::parse(&s).unwrap_or(Role::Viewer)
}

impl Store {
    /// The caller's role on a map, if a member.
    #[tracing::instrument(skip_all, fields(map = %map))]
    pub async fn role_of(&self, map: &MapId, user: &UserId) -> Result<Option<Role>, StoreError> {
        let row = sqlx::query("select role from memberships where map_id = $1 and user_id = $2")
            .bind(map.as_str())
            .bind(user.0.as_str())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row
            .map(|r| r.try_get::<String, _>("role").map(parse_role))
            .transpose()?)
    }

    /// A map's members with their accounts, owners first.
    #[tracing::instrument(skip_all, fields(map = %map))]
    pub async fn members(&self, map: &MapId) -> Result<Vec<Member>, StoreError> {
        let rows = sqlx::query(
            "select u.id, u.email, u.display_name, m.role from memberships m
             join users u on u.id = m.user_id where m.map_id = $1 order by m.created_at, u.email",
        )
        .bind(map.as_str())
        .fetch_all(&self.pool)
        .await?;
        let mut members = rows
            .iter()
            .map(|r| {
                Ok(Member {
                    user_id: UserId(r.try_get("id")?),
                    email: r.try_get("email")?,
                    display_name: r.try_get("display_name")?,
                    role: parse_role(r.try_get("role")?),
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        members.sort_by_key(|m| std::cmp::Reverse(m.role));
        Ok(members)
    }

    /// Adds a member. [`StoreError::Duplicate`] if already one.
    #[tracing::instrument(skip_all, fields(map = %map))]
    pub async fn add_member(
        &self,
        map: &MapId,
        user: &UserId,
        role: Role,
        actor: Option<&UserId>,
        detail: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        insert_member(&mut tx, map, user, role, None, now)
            .await
            .map_err(StoreError::from_insert)?;
        record(
            &mut tx,
            map.as_str(),
            actor.map(|a| a.0.as_str()),
            "member_added",
            Some(&user.0),
            detail,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes a member's role, keeping at least one owner. `Ok(None)` if not a member.
    #[tracing::instrument(skip_all, fields(map = %map))]
    pub async fn set_role(
        &self,
        map: &MapId,
        user: &UserId,
        role: Role,
        actor: &UserId,
        now: i64,
    ) -> Result<Option<Role>, StoreError> {
        let mut tx = self.pool.begin().await?;
        lock_map(&mut tx, map).await?;
        let Some(old) = member_role(&mut tx, map, user).await? else {
            return Ok(None);
        };
        if old == Role::Owner && role != Role::Owner && owner_count(&mut tx, map).await? <= 1 {
            return Err(StoreError::LastOwner);
        }
        write_role(&mut tx, map, user, role, None).await?;
        record(
            &mut tx,
            map.as_str(),
            Some(&actor.0),
            "role_changed",
            Some(&user.0),
            &AuditDetail::Changed {
                from: old,
                to: role,
            }
            .english(),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Some(old))
    }

    /// Removes a member, keeping at least one owner. False if not a member.
    #[tracing::instrument(skip_all, fields(map = %map))]
    pub async fn remove_member(
        &self,
        map: &MapId,
        user: &UserId,
        actor: &UserId,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        lock_map(&mut tx, map).await?;
        let Some(old) = member_role(&mut tx, map, user).await? else {
            return Ok(false);
        };
        if old == Role::Owner && owner_count(&mut tx, map).await? <= 1 {
            return Err(StoreError::LastOwner);
        }
        sqlx::query("delete from memberships where map_id = $1 and user_id = $2")
            .bind(map.as_str())
            .bind(user.0.as_str())
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            map.as_str(),
            Some(&actor.0),
            "member_removed",
            Some(&user.0),
            &AuditDetail::Was(old).english(),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Makes `to` (a member) an owner and `from` an editor, in one transaction. False
    /// if `to` is not a member.
    #[tracing::instrument(skip_all, fields(map = %map))]
    pub async fn transfer_ownership(
        &self,
        map: &MapId,
        from: &UserId,
        to: &UserId,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        lock_map(&mut tx, map).await?;
        if member_role(&mut tx, map, to).await?.is_none() {
            return Ok(false);
        }
        write_role(&mut tx, map, to, Role::Owner, None).await?;
        write_role(&mut tx, map, from, Role::Editor, None).await?;
        record(
            &mut tx,
            map.as_str(),
            Some(&from.0),
            "ownership_transferred",
            Some(&to.0),
            &AuditDetail::Transferred.english(),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}

pub(super) async fn member_role(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    map: &MapId,
    user: &UserId,
) -> Result<Option<Role>, sqlx::Error> {
    let row = sqlx::query("select role from memberships where map_id = $1 and user_id = $2")
        .bind(map.as_str())
        .bind(user.0.as_str())
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|r| r.try_get::<String, _>("role").map(parse_role))
        .transpose()
}

/// Sets a member's role; `via_link` is the share link it now comes from (`None`: an
/// owner's explicit choice, which revoking a link no longer undoes).
pub(super) async fn write_role(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    map: &MapId,
    user: &UserId,
    role: Role,
    via_link: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update memberships set role = $3, via_link = $4 where map_id = $1 and user_id = $2",
    )
    .bind(map.as_str())
    .bind(user.0.as_str())
    .bind(role.as_str())
    .bind(via_link)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds a member; `via_link` is the share link it joined through, if any.
pub(super) async fn insert_member(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    map: &MapId,
    user: &UserId,
    role: Role,
    via_link: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into memberships (map_id, user_id, role, created_at, via_link) values ($1, $2, $3, $4, $5)",
    )
    .bind(map.as_str())
    .bind(user.0.as_str())
    .bind(role.as_str())
    .bind(now)
    .bind(via_link)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Serializes the membership changes of one map: takes the write lock of the map's row
/// (a row lock on PostgreSQL, the database write lock on SQLite) before anything is
/// read, so that two changes at once cannot both pass the last-owner check on the same
/// count (under PostgreSQL's read committed, each then reads the other's commit).
pub(super) async fn lock_map(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    map: &MapId,
) -> Result<(), sqlx::Error> {
    sqlx::query("update maps set updated_at = updated_at where id = $1")
        .bind(map.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn owner_count(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    map: &MapId,
) -> Result<i64, sqlx::Error> {
    let row =
        sqlx::query("select count(*) as n from memberships where map_id = $1 and role = 'owner'")
            .bind(map.as_str())
            .fetch_one(&mut **tx)
            .await?;
    row.try_get("n")
}
