//! Accounts and sessions (`/api/auth`, `/api/me`).

use serde::{Deserialize, Serialize};

use crate::ids::UserId;

/// `POST /api/auth/signup` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SignUp {
    pub email: String,
    pub display_name: String,
    /// At least [`MIN_PASSWORD_CHARS`] characters.
    pub password: String,
    /// An invitation link's secret to accept with the new account (required to sign up
    /// on an invite-only server, the first account aside).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation: Option<String>,
}

/// Shortest accepted password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// `POST /api/auth/login` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Login {
    pub email: String,
    pub password: String,
}

/// `POST /api/auth/password` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: String,
}

/// The signed-in account (`GET /api/me`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Me {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    /// The instance admin (the first account created).
    pub is_admin: bool,
    /// The account proved it receives mail at its address.
    #[serde(default)]
    pub email_verified: bool,
}

/// Who is signed in (`GET /api/session`): the account, or `null` for a visitor with no
/// session (or one the server no longer accepts). Unlike `GET /api/me`, a signed-out
/// visitor gets 200, so a browser logs no failed request on every public page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SessionStatus {
    pub user: Option<Me>,
}

/// Answer to sign-up and login: the account and a bearer token. The browser also gets
/// the token as an HttpOnly cookie and need not keep it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Session {
    pub user: Me,
    pub token: String,
    /// Milliseconds since the epoch.
    pub expires_at: i64,
}
