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
        })
    }

    /// The account as its owner sees it.
    pub fn me(&self) -> Me {
        Me {
            id: self.id.clone(),
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            is_admin: self.is_admin,
        }
    }
}

const USER_COLUMNS: &str = "id, email, display_name, password_hash, is_admin, token_version";

impl Store {
    /// Creates an account; the first account of the instance becomes its admin. Then
    /// turns invitations to this email into memberships. Fails with
    /// [`StoreError::Duplicate`] when the email is taken.
    #[tracing::instrument(skip_all)]
    pub async fn create_user(
        &self,
        id: &UserId,
        email: &str,
        display_name: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<UserRecord, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "insert into users (id, email, display_name, password_hash, is_admin, token_version, created_at)
             select $1, $2, $3, $4,
                    case when exists (select 1 from users) then 0 else 1 end, 0, $5",
        )
        .bind(id.0.as_str())
        .bind(email)
        .bind(display_name)
        .bind(password_hash)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from_insert)?;
        let invitations = sqlx::query("select map_id, role from invitations where email = $1")
            .bind(email)
            .fetch_all(&mut *tx)
            .await?;
        for inv in &invitations {
            let map_id: String = inv.try_get("map_id")?;
            let role: String = inv.try_get("role")?;
            sqlx::query(
                "insert into memberships (map_id, user_id, role, created_at) values ($1, $2, $3, $4)
                 on conflict (map_id, user_id) do nothing",
            )
            .bind(&map_id)
            .bind(id.0.as_str())
            .bind(&role)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            super::audit::record(
                &mut tx,
                &map_id,
                None,
                "invitation_claimed",
                Some(&id.0),
                &format!("{email} joined as {role}"),
                now,
            )
            .await?;
        }
        sqlx::query("delete from invitations where email = $1")
            .bind(email)
            .execute(&mut *tx)
            .await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {USER_COLUMNS} from users where id = $1"
        )))
        .bind(id.0.as_str())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(UserRecord::from_row(&row)?)
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

    /// Whether `email` has a pending invitation to any map.
    pub async fn is_invited(&self, email: &str) -> Result<bool, StoreError> {
        Ok(
            sqlx::query("select 1 from invitations where email = $1 limit 1")
                .bind(email)
                .fetch_optional(&self.pool)
                .await?
                .is_some(),
        )
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
}
