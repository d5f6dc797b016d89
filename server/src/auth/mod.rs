//! Accounts and sessions: password hashing (argon2id), session tokens (JWT, HS256),
//! login rate limits, and the extractors routes use to learn who is calling.

mod client_addr;
mod email;
mod extract;
mod limiter;
mod password;
mod tokens;

use std::sync::Arc;
use std::time::Duration;

pub use client_addr::{Cidr, ClientAddr};
pub use email::normalize_email;
pub use extract::{
    accepts_query_token, session_cookie, AuthUser, Caller, Credentials, MaybeAuthUser, Session,
    TokenSource, SESSION_COOKIE,
};
pub use limiter::{LoginLimiter, DEFAULT_SIGNUPS_PER_ADDRESS};
pub use password::{HashError, Hasher};
pub use tokens::{Claims, SessionKeys, TokenError};

use crate::config::SignupPolicy;

/// Everything auth needs at run time; shared by all requests.
pub struct Auth {
    /// Signs and checks session tokens.
    pub keys: SessionKeys,
    /// How long a session lasts.
    pub session_ttl: Duration,
    /// Whether anyone may sign up.
    pub signup: SignupPolicy,
    /// Add `Secure` to the session cookie (set when served over HTTPS).
    pub cookie_secure: bool,
    /// Throttling of password checks and sign-ups.
    pub limiter: LoginLimiter,
    /// The password-hashing slots.
    pub hasher: Hasher,
}

impl Auth {
    /// The `Set-Cookie` value carrying a session token.
    pub fn session_cookie(&self, token: &str) -> String {
        format!(
            "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={}{}",
            self.session_ttl.as_secs(),
            if self.cookie_secure { "; Secure" } else { "" }
        )
    }

    /// The `Set-Cookie` value that removes the session cookie.
    pub fn cleared_cookie(&self) -> String {
        format!(
            "{SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0{}",
            if self.cookie_secure { "; Secure" } else { "" }
        )
    }
}

/// Shared handle.
pub type SharedAuth = Arc<Auth>;
