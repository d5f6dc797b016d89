//! Who is calling: the session token from the `Authorization: Bearer` header, the
//! session cookie, or `?token=` (what a y-websocket provider's `params` send).

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use parcours_shared::ids::UserId;

use crate::error::ApiError;
use crate::store::UserRecord;
use crate::AppState;

/// Name of the browser's session cookie.
pub const SESSION_COOKIE: &str = "parcours_session";

/// The credentials a request carries, if any.
pub struct Credentials;

impl Credentials {
    /// The session token in `parts`: bearer header first, then cookie, then `?token=`.
    pub fn token(parts: &Parts) -> Option<String> {
        if let Some(value) = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        {
            if let Some(token) = value.strip_prefix("Bearer ") {
                return Some(token.trim().to_owned());
            }
        }
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
        query_param(parts, "token")
    }
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

/// `Ok(None)` without credentials; `Err(Unauthorized)` for a bad, expired, forged or
/// revoked token, or one whose account is gone.
async fn authenticate(parts: &Parts, state: &AppState) -> Result<Option<UserRecord>, ApiError> {
    let Some(token) = Credentials::token(parts) else {
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
    Ok(Some(user))
}
