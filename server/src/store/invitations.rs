//! Invitations: a role on a map offered to an address, carried by a single-use secret
//! (only its SHA-256 is stored) that the owner passes on as a link. Accepting the link
//! is the one way an invitation becomes a membership; it never lowers a role.

use parcours_shared::api::Invitation;
use parcours_shared::audit::AuditDetail;
use parcours_shared::ids::{MapId, Role, UserId};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::record;
use super::members::{insert_member, lock_map, member_role, parse_role, write_role};
use super::{Store, StoreError};

/// An invitation as stored.
#[derive(Debug, Clone)]
pub struct InvitationRecord {
    pub id: String,
    pub map_id: MapId,
    /// The address it was sent to (lowercased).
    pub email: String,
    pub role: Role,
    /// Who invited.
    pub invited_by: UserId,
    pub created_at: i64,
    pub expires_at: i64,
    /// False for an invitation made before invitations had secrets.
    pub has_link: bool,
}

/// What a new (or re-sent) invitation is made of.
pub struct NewInvitation<'a> {
    pub map: &'a MapId,
    pub email: &'a str,
    pub role: Role,
    pub token_hash: &'a str,
    pub invited_by: &'a UserId,
    pub now: i64,
    pub expires_at: i64,
}

const COLUMNS: &str = "id, map_id, email, role, token_hash, invited_by, created_at, expires_at";

impl InvitationRecord {
    fn from_row(row: &AnyRow) -> Result<InvitationRecord, sqlx::Error> {
        Ok(InvitationRecord {
            id: row.try_get("id")?,
            map_id: MapId(row.try_get("map_id")?),
            email: row.try_get("email")?,
            role: parse_role(row.try_get("role")?),
            invited_by: UserId(row.try_get("invited_by")?),
            created_at: row.try_get("created_at")?,
            expires_at: row.try_get("expires_at")?,
            has_link: row.try_get::<Option<String>, _>("token_hash")?.is_some(),
        })
    }

    /// The REST shape.
    pub fn view(&self) -> Invitation {
        Invitation {
            id: self.id.clone(),
            email: self.email.clone(),
            role: self.role,
            invited_at: self.created_at,
            expires_at: self.expires_at,
            has_link: self.has_link,
        }
    }
}

impl Store {
    /// Invites `email` to `map` with a new secret, or renews the pending invitation to
    /// that address (new secret, role and expiry: the old link stops working).
    pub async fn invite(
        &self,
        new: &NewInvitation<'_>,
        id: &str,
    ) -> Result<InvitationRecord, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "insert into invitations (id, map_id, email, role, token_hash, invited_by, created_at, expires_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8)
             on conflict (map_id, email) do update set role = excluded.role,
                token_hash = excluded.token_hash, invited_by = excluded.invited_by,
                created_at = excluded.created_at, expires_at = excluded.expires_at",
        )
        .bind(id)
        .bind(new.map.as_str())
        .bind(new.email)
        .bind(new.role.as_str())
        .bind(new.token_hash)
        .bind(new.invited_by.0.as_str())
        .bind(new.now)
        .bind(new.expires_at)
        .execute(&mut *tx)
        .await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {COLUMNS} from invitations where map_id = $1 and email = $2"
        )))
        .bind(new.map.as_str())
        .bind(new.email)
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            new.map.as_str(),
            Some(&new.invited_by.0),
            "invitation_created",
            Some(new.email),
            &AuditDetail::As(new.role).english(),
            new.now,
        )
        .await?;
        tx.commit().await?;
        Ok(InvitationRecord::from_row(&row)?)
    }

    /// A map's pending invitations (expired ones are not listed), oldest first.
    pub async fn invitations(
        &self,
        map: &MapId,
        now: i64,
    ) -> Result<Vec<InvitationRecord>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {COLUMNS} from invitations where map_id = $1 and expires_at > $2
             order by created_at, email"
        )))
        .bind(map.as_str())
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(InvitationRecord::from_row)
            .collect::<Result<_, _>>()?)
    }

    /// The live invitation whose secret hashes to `token_hash`.
    pub async fn invitation_by_token_hash(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<InvitationRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {COLUMNS} from invitations where token_hash = $1 and expires_at > $2"
        )))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(InvitationRecord::from_row).transpose()?)
    }

    /// The live invitation of `map` to `email`.
    pub async fn invitation_for(
        &self,
        map: &MapId,
        email: &str,
        now: i64,
    ) -> Result<Option<InvitationRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {COLUMNS} from invitations where map_id = $1 and email = $2 and expires_at > $3"
        )))
        .bind(map.as_str())
        .bind(email)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(InvitationRecord::from_row).transpose()?)
    }

    /// Turns `invitation` into `user`'s membership (raising a lower role, never
    /// lowering one) and deletes it, so it works once: a second use, or a use racing
    /// another, gets `None`. The role the account now has.
    pub async fn accept_invitation(
        &self,
        invitation: &InvitationRecord,
        user: &UserId,
        user_email: &str,
        now: i64,
    ) -> Result<Option<Role>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let role = accept_in(&mut tx, invitation, user, user_email, now).await?;
        if role.is_some() {
            tx.commit().await?;
        }
        Ok(role)
    }

    /// Withdraws a pending invitation of `map`. False if there is none with that id.
    pub async fn revoke_invitation(
        &self,
        map: &MapId,
        id: &str,
        actor: &UserId,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let row =
            sqlx::query("delete from invitations where map_id = $1 and id = $2 returning email")
                .bind(map.as_str())
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(row) = row else {
            return Ok(false);
        };
        let email: String = row.try_get("email")?;
        // The invited account's inbox item would only lead to a dead end now.
        sqlx::query(
            "delete from inbox where map_id = $1 and kind = 'invitation'
               and user_id in (select id from users where email = $2)",
        )
        .bind(map.as_str())
        .bind(&email)
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            map.as_str(),
            Some(&actor.0),
            "invitation_revoked",
            Some(&email),
            "",
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// [`Store::accept_invitation`] inside `tx` (sign-up creates the account and accepts in
/// one transaction, so a used invitation leaves no account behind). `None` when the
/// invitation is gone; the caller then rolls back.
pub(super) async fn accept_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    invitation: &InvitationRecord,
    user: &UserId,
    user_email: &str,
    now: i64,
) -> Result<Option<Role>, StoreError> {
    let map = &invitation.map_id;
    lock_map(tx, map).await?;
    let gone = sqlx::query("delete from invitations where id = $1 and expires_at > $2")
        .bind(&invitation.id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    if gone.rows_affected() == 0 {
        return Ok(None);
    }
    let role = match member_role(tx, map, user).await? {
        Some(have) if have >= invitation.role => have,
        Some(_) => {
            write_role(tx, map, user, invitation.role, None).await?;
            invitation.role
        }
        None => {
            insert_member(tx, map, user, invitation.role, None, now).await?;
            invitation.role
        }
    };
    record(
        tx,
        map.as_str(),
        Some(&user.0),
        "invitation_accepted",
        Some(&user.0),
        &AuditDetail::Accepted {
            invited: invitation.email.clone(),
            role: invitation.role,
            by: user_email.to_owned(),
        }
        .english(),
        now,
    )
    .await?;
    Ok(Some(role))
}
