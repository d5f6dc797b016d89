//! Accounts: creation (the first is the admin), lookup, passwords and session
//! revocation (the token version).

use parcours_shared::api::Me;
use parcours_shared::ids::UserId;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{Store, StoreError};

/// One account, as stored.
#[derive(Clone)]
pub struct UserRecord {
    pub id: UserId,
    /// Lowercased.
    pub email: String,
    pub display_name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    pub is_admin: bool,
    /// Sessions issued with an older version are revoked.
    pub token_version: i64,
    /// When the account proved it receives mail at its address, ms since the epoch.
    pub email_verified_at: Option<i64>,
}

impl std::fmt::Debug for UserRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRecord")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("password_hash", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl UserRecord {
    fn from_row(row: &AnyRow) -> Result<UserRecord, sqlx::Error> {
        Ok(UserRecord {
            id: UserId(row.try_get("id")?),
            email: row.try_get("email")?,
            display_name: row.try_get("display_name")?,
            password_hash: row.try_get("password_hash")?,
            is_admin: row.try_get::<i64, _>("is_admin")? != 0,
            token_version: row.try_get("token_version")?,
            email_verified_at: row.try_get("email_verified_at")?,
        })
    }

    /// The account as its owner sees it.
    pub fn me(&self) -> Me {
        Me {
            id: self.id.clone(),
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            is_admin: self.is_admin,
            email_verified: self.email_verified_at.is_some(),
        }
    }
}

const USER_COLUMNS: &str =
    "id, email, display_name, password_hash, is_admin, token_version, email_verified_at";

/// PostgreSQL advisory lock key serializing account creation, so that two first
/// sign-ups at once cannot both become the admin (under read committed each would see
/// no account yet). SQLite writes one transaction at a time already.
const ACCOUNT_CREATION_LOCK: i64 = 0x7061_7263_6f75_7273; // "parcours"

impl Store {
    /// Creates an account; the first account of the instance becomes its admin (one,
    /// even when two sign up at once). Invitations to its email are *not* claimed:
    /// only an invitation's link does that. Fails with [`StoreError::Duplicate`] when
    /// the email is taken; with `invite_only`, fails with [`StoreError::NotAllowed`]
    /// unless no account exists yet or `invited` (checked in the same transaction, so
    /// two sign-ups cannot both slip in as "first").
    #[tracing::instrument(skip_all)]
    pub async fn create_user(
        &self,
        new: &NewUser<'_>,
        invite_only: bool,
        now: i64,
    ) -> Result<UserRecord, StoreError> {
        Ok(self
            .create_user_accepting(new, invite_only, None, now)
            .await?
            .0)
    }

    /// [`Store::create_user`], then — in the same transaction — accepting `invitation`
    /// with the new account: if the invitation is gone meanwhile, nothing is created
    /// ([`StoreError::Gone`]). The account and the role it got.
    pub async fn create_user_accepting(
        &self,
        new: &NewUser<'_>,
        invite_only: bool,
        invitation: Option<&super::InvitationRecord>,
        now: i64,
    ) -> Result<(UserRecord, Option<parcours_shared::ids::Role>), StoreError> {
        let mut tx = self.pool.begin().await?;
        if self.backend() == super::Backend::Postgres {
            sqlx::query("select pg_advisory_xact_lock($1)")
                .bind(ACCOUNT_CREATION_LOCK)
                .execute(&mut *tx)
                .await?;
        }
        // One statement decides and writes (on SQLite a read first, then a write, in a
        // deferred transaction, fails when another sign-up commits in between): the
        // first account is the admin, and an invite-only server lets in only the first
        // account or one with an invitation.
        let done = sqlx::query(
            "insert into users (id, email, display_name, password_hash, is_admin, token_version, created_at)
             select $1, $2, $3, $4,
                    case when exists (select 1 from users) then 0 else 1 end, 0, $5
             where $6 = 0 or not exists (select 1 from users)",
        )
        .bind(new.id.0.as_str())
        .bind(new.email)
        .bind(new.display_name)
        .bind(new.password_hash)
        .bind(now)
        .bind(i64::from(invite_only && !new.invited))
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from_insert)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotAllowed);
        }
        let role = match invitation {
            Some(invitation) => Some(
                super::invitations::accept_in(&mut tx, invitation, new.id, new.email, now)
                    .await?
                    .ok_or(StoreError::Gone)?,
            ),
            None => None,
        };
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {USER_COLUMNS} from users where id = $1"
        )))
        .bind(new.id.0.as_str())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((UserRecord::from_row(&row)?, role))
    }

    /// The account with this (lowercased) email.
    #[tracing::instrument(skip_all)]
    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {USER_COLUMNS} from users where email = $1"
        )))
        .bind(email)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(UserRecord::from_row).transpose()?)
    }

    /// The account with this id.
    #[tracing::instrument(skip_all)]
    pub async fn user_by_id(&self, id: &UserId) -> Result<Option<UserRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {USER_COLUMNS} from users where id = $1"
        )))
        .bind(id.0.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(UserRecord::from_row).transpose()?)
    }

    /// Whether any account exists (invite-only sign-up still lets the first one in).
    pub async fn has_users(&self) -> Result<bool, StoreError> {
        Ok(sqlx::query("select 1 from users limit 1")
            .fetch_optional(&self.pool)
            .await?
            .is_some())
    }

    /// Revokes every session of the account; returns the new token version.
    #[tracing::instrument(skip_all)]
    pub async fn revoke_sessions(&self, id: &UserId) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "update users set token_version = token_version + 1 where id = $1 returning token_version",
        )
        .bind(id.0.as_str())
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("token_version")?)
    }

    /// Replaces the password hash and revokes every session; returns the new version.
    #[tracing::instrument(skip_all)]
    pub async fn set_password(&self, id: &UserId, password_hash: &str) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "update users set password_hash = $2, token_version = token_version + 1
             where id = $1 returning token_version",
        )
        .bind(id.0.as_str())
        .bind(password_hash)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("token_version")?)
    }

    /// Stores a pending verification of `user`'s address `email` (by the hash of the
    /// secret mailed to it), replacing any earlier one.
    pub async fn add_email_verification(
        &self,
        user: &UserId,
        email: &str,
        token_hash: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("delete from email_verifications where user_id = $1")
            .bind(user.0.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "insert into email_verifications (token_hash, user_id, email, expires_at) values ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user.0.as_str())
        .bind(email)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks the address a live verification secret was sent to as verified (if it is
    /// still the account's address) and forgets the secret. The account, or `None` for
    /// an unknown, used or expired secret.
    pub async fn verify_email(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<UserId>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "delete from email_verifications where token_hash = $1 returning user_id, email, expires_at",
        )
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let user: String = row.try_get("user_id")?;
        let email: String = row.try_get("email")?;
        let expires_at: i64 = row.try_get("expires_at")?;
        if expires_at <= now {
            tx.commit().await?;
            return Ok(None);
        }
        sqlx::query("update users set email_verified_at = $3 where id = $1 and email = $2")
            .bind(&user)
            .bind(&email)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(UserId(user)))
    }
}

/// What a new account is made of.
pub struct NewUser<'a> {
    pub id: &'a UserId,
    /// Lowercased.
    pub email: &'a str,
    pub display_name: &'a str,
    /// argon2id PHC string.
    pub password_hash: &'a str,
    /// It comes with a valid invitation (invite-only servers let it in).
    pub invited: bool,
}
