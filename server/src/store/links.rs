//! Share links: a role on a map for whoever holds the token (only its SHA-256 is
//! stored), optionally public (read-only, no account), with an expiry; accepting one
//! makes a membership that remembers the link, so revoking it can end that too.

use parcours_shared::api::ShareLink;
use parcours_shared::audit::AuditDetail;
use parcours_shared::ids::{MapId, Role, UserId};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::record;
use super::members::{insert_member, lock_map, member_role, parse_role, write_role};
use super::{Store, StoreError};

/// A share link as stored (the token itself is never stored, only its hash).
#[derive(Debug, Clone)]
pub struct LinkRecord {
    pub id: String,
    pub map_id: MapId,
    pub role: Role,
    pub public: bool,
    /// For a public link: its visitors also read comments and review rounds.
    pub include_comments: bool,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub created_at: i64,
}

impl LinkRecord {
    fn from_row(row: &AnyRow) -> Result<LinkRecord, sqlx::Error> {
        Ok(LinkRecord {
            id: row.try_get("id")?,
            map_id: MapId(row.try_get("map_id")?),
            role: parse_role(row.try_get("role")?),
            public: row.try_get::<i64, _>("public")? != 0,
            include_comments: row.try_get::<i64, _>("include_comments")? != 0,
            expires_at: row.try_get("expires_at")?,
            revoked_at: row.try_get("revoked_at")?,
            created_at: row.try_get("created_at")?,
        })
    }

    /// Usable now: neither revoked nor expired.
    pub fn is_live(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|t| t > now)
    }

    /// The REST shape (without the token).
    pub fn view(&self) -> ShareLink {
        ShareLink {
            id: self.id.clone(),
            role: self.role,
            public: self.public,
            include_comments: self.include_comments,
            expires_at: self.expires_at,
            created_at: self.created_at,
            revoked: self.revoked_at.is_some(),
            token: None,
        }
    }
}

const LINK_COLUMNS: &str =
    "id, map_id, role, public, include_comments, expires_at, revoked_at, created_at";

impl Store {
    /// Joins through a link: adds the member, or raises a lower role to the link's;
    /// never lowers. Returns the role the account now has.
    #[tracing::instrument(skip_all, fields(map = %link.map_id))]
    pub async fn accept_link(
        &self,
        link: &LinkRecord,
        user: &UserId,
        now: i64,
    ) -> Result<Role, StoreError> {
        let mut tx = self.pool.begin().await?;
        let map = &link.map_id;
        let (role, detail) = match member_role(&mut tx, map, user).await? {
            Some(have) if have >= link.role => (have, None),
            Some(have) => {
                write_role(&mut tx, map, user, link.role, Some(&link.id)).await?;
                let detail = AuditDetail::Changed {
                    from: have,
                    to: link.role,
                }
                .english();
                (link.role, Some(detail))
            }
            None => {
                insert_member(&mut tx, map, user, link.role, Some(&link.id), now).await?;
                (link.role, Some(AuditDetail::JoinedAs(link.role).english()))
            }
        };
        if let Some(detail) = detail {
            record(
                &mut tx,
                map.as_str(),
                Some(&user.0),
                "link_accepted",
                Some(&link.id),
                &detail,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(role)
    }

    /// Stores a new share link (by token hash).
    #[allow(clippy::too_many_arguments)]
    pub async fn create_link(
        &self,
        link: &LinkRecord,
        token_hash: &str,
        actor: &UserId,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "insert into share_links (id, map_id, token_hash, role, public, include_comments, expires_at, revoked_at, created_by, created_at)
             values ($1, $2, $3, $4, $5, $6, $7, null, $8, $9)",
        )
        .bind(&link.id)
        .bind(link.map_id.as_str())
        .bind(token_hash)
        .bind(link.role.as_str())
        .bind(i64::from(link.public))
        .bind(i64::from(link.include_comments))
        .bind(link.expires_at)
        .bind(actor.0.as_str())
        .bind(link.created_at)
        .execute(&mut *tx)
        .await?;
        let detail = if link.public {
            AuditDetail::Public {
                role: link.role,
                comments: link.include_comments,
            }
        } else {
            AuditDetail::Role(link.role)
        }
        .english();
        record(
            &mut tx,
            link.map_id.as_str(),
            Some(&actor.0),
            "link_created",
            Some(&link.id),
            &detail,
            link.created_at,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A map's share links, newest first.
    pub async fn links(&self, map: &MapId) -> Result<Vec<LinkRecord>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {LINK_COLUMNS} from share_links where map_id = $1 order by created_at desc, id"
        )))
        .bind(map.as_str())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(LinkRecord::from_row)
            .collect::<Result<_, _>>()?)
    }

    /// The link with this token hash, live or not.
    pub async fn link_by_token_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<LinkRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {LINK_COLUMNS} from share_links where token_hash = $1"
        )))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(LinkRecord::from_row).transpose()?)
    }

    /// Revokes a link of `map`; with `remove_members`, the memberships made through it
    /// (and not changed by an owner since) end too. The accounts removed, or `None` if
    /// there is no such live link.
    pub async fn revoke_link(
        &self,
        map: &MapId,
        id: &str,
        remove_members: bool,
        actor: &UserId,
        now: i64,
    ) -> Result<Option<Vec<UserId>>, StoreError> {
        let mut tx = self.pool.begin().await?;
        lock_map(&mut tx, map).await?;
        let done = sqlx::query("update share_links set revoked_at = $3 where map_id = $1 and id = $2 and revoked_at is null")
            .bind(map.as_str())
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(None);
        }
        let mut removed = Vec::new();
        if remove_members {
            let rows = sqlx::query(
                "delete from memberships where map_id = $1 and via_link = $2 and role <> 'owner' returning user_id",
            )
            .bind(map.as_str())
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            for row in rows {
                removed.push(UserId(row.try_get("user_id")?));
            }
        }
        let detail = if remove_members {
            AuditDetail::MembersRemoved(removed.len() as u64).english()
        } else {
            String::new()
        };
        record(
            &mut tx,
            map.as_str(),
            Some(&actor.0),
            "link_revoked",
            Some(id),
            &detail,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Some(removed))
    }
}
