//! Who is calling: the session token from the `Authorization: Bearer` header, the
//! session cookie, or `?token=` (what a y-websocket provider's `params` send; accepted
//! on the sync socket and the event streams only, where a client cannot set headers —
//! elsewhere a token in a URL would end up in logs and histories).

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use parcours_shared::ids::UserId;

use crate::error::ApiError;
use crate::store::UserRecord;
use crate::AppState;

/// Name of the browser's session cookie.
pub const SESSION_COOKIE: &str = "parcours_session";

/// Where a request's session token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    /// `Authorization: Bearer` (API clients, scripts): never sent by a browser on its own.
    Bearer,
    /// The session cookie: a browser sends it on its own, so cross-site checks apply.
    Cookie,
    /// `?token=` on the sync socket or an event stream.
    Query,
}

/// The credentials a request carries, if any.
pub struct Credentials;

impl Credentials {
    /// The session token in `parts`: bearer header first, then cookie, then `?token=`
    /// (on [`accepts_query_token`] paths only).
    pub fn token(parts: &Parts) -> Option<(String, TokenSource)> {
        if let Some(value) = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        {
            if let Some(token) = value.strip_prefix("Bearer ") {
                return Some((token.trim().to_owned(), TokenSource::Bearer));
            }
        }
        if let Some(token) = session_cookie(parts) {
            return Some((token, TokenSource::Cookie));
        }
        if accepts_query_token(parts.uri.path()) {
            return query_param(parts, "token").map(|t| (t, TokenSource::Query));
        }
        None
    }
}

/// The session cookie's value, if the request carries one.
pub fn session_cookie(parts: &Parts) -> Option<String> {
    for value in parts.headers.get_all(header::COOKIE) {
        let Ok(value) = value.to_str() else { continue };
        for pair in value.split(';') {
            if let Some((name, token)) = pair.trim().split_once('=') {
                if name == SESSION_COOKIE && !token.is_empty() {
                    return Some(token.to_owned());
                }
            }
        }
    }
    None
}

/// The sync socket and the event streams: where `?token=` is accepted.
pub fn accepts_query_token(path: &str) -> bool {
    path.starts_with("/sync/") || (path.starts_with("/api/") && path.ends_with("/events"))
}

/// One query parameter's value (no percent-decoding: ids and tokens are `[a-z0-9._-]`).
pub fn query_param(parts: &Parts, name: &str) -> Option<String> {
    parts.uri.query()?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name && !v.is_empty()).then(|| v.to_owned())
    })
}

/// A signed-in caller; rejects with 401 otherwise.
pub struct AuthUser(pub UserRecord);

/// A session as the server checked it.
#[derive(Debug, Clone)]
pub struct Session {
    /// The account.
    pub user: UserRecord,
    /// When the token expires, ms since the epoch.
    pub expires_at: i64,
    /// How it was sent.
    pub source: TokenSource,
}

/// A caller who may be anonymous, with the details of its session (for long-lived
/// connections: when it expires, whether a browser sent it on its own).
pub struct Caller(pub Option<Session>);

/// A caller who may be anonymous. Credentials that are present but bad still get 401.
pub struct MaybeAuthUser(pub Option<UserRecord>);

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match authenticate(parts, state).await? {
            Some(user) => Ok(AuthUser(user)),
            None => Err(ApiError::Unauthorized),
        }
    }
}

impl FromRequestParts<AppState> for MaybeAuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeAuthUser(authenticate(parts, state).await?))
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Caller(session(parts, state).await?))
    }
}

/// `Ok(None)` without credentials; `Err(Unauthorized)` for a bad, expired, forged or
/// revoked token, or one whose account is gone.
async fn authenticate(parts: &Parts, state: &AppState) -> Result<Option<UserRecord>, ApiError> {
    Ok(session(parts, state).await?.map(|s| s.user))
}

/// [`authenticate`], with the session's details.
async fn session(parts: &Parts, state: &AppState) -> Result<Option<Session>, ApiError> {
    let Some((token, source)) = Credentials::token(parts) else {
        return Ok(None);
    };
    let claims = state
        .auth
        .keys
        .verify(&token)
        .map_err(|_| ApiError::Unauthorized)?;
    let user = state
        .store
        .user_by_id(&UserId(claims.sub))
        .await?
        .ok_or(ApiError::Unauthorized)?;
    if user.token_version != claims.ver {
        return Err(ApiError::Unauthorized);
    }
    Ok(Some(Session {
        user,
        expires_at: i64::try_from(claims.exp)
            .unwrap_or(i64::MAX / 1000)
            .saturating_mul(1000),
        source,
    }))
}
