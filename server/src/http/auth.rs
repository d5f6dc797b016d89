//! `/api/auth/*` and `/api/me`: sign up, log in, log out, change password.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use parcours_shared::api::{
    ChangePassword, Login, Me, Session, SessionStatus, SignUp, MIN_PASSWORD_CHARS,
};
use parcours_shared::ids::UserId;

use super::extract::ApiJson;
use crate::auth::{normalize_email, AuthUser, ClientAddr, MaybeAuthUser};
use crate::config::SignupPolicy;
use crate::error::ApiError;
use crate::mail::Mail;
use crate::store::{NewUser, StoreError, UserRecord};

use super::access::token_hash;
use super::invitations::live_invitation;
use crate::util::{now_ms, random_id};
use crate::AppState;

/// Longest accepted password, in bytes (argon2 accepts more; nobody needs more).
const MAX_PASSWORD_BYTES: usize = 1024;
/// Longest accepted display name, in characters.
const MAX_NAME_CHARS: usize = 80;
/// How long an address-verification link works.
const VERIFICATION_HOURS: i64 = 48;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/auth/signup", post(signup))
        .route("/api/auth/login", post(login))
        .route("/api/auth/logout", post(logout))
        .route("/api/auth/password", post(change_password))
        .route("/api/me", get(me))
        .route("/api/session", get(session))
        .route("/api/auth/verify-email", post(request_verification))
        .route("/api/auth/verify-email/{token}", post(confirm_verification))
}

fn check_password(password: &str) -> Result<(), ApiError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::invalid(
            "weak_password",
            format!("the password must be at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(ApiError::invalid(
            "weak_password",
            format!("the password must be at most {MAX_PASSWORD_BYTES} bytes"),
        ));
    }
    Ok(())
}

/// A session answer: the token in the body and as the HttpOnly cookie.
fn session_response(
    state: &AppState,
    user: &UserRecord,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let (token, expires_at) =
        state
            .auth
            .keys
            .issue(&user.id, user.token_version, state.auth.session_ttl)?;
    let cookie = state.auth.session_cookie(&token);
    let body = Session {
        user: user.me(),
        token,
        expires_at,
    };
    Ok((status, [(header::SET_COOKIE, cookie)], Json(body)).into_response())
}

async fn signup(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    ApiJson(body): ApiJson<SignUp>,
) -> Result<Response, ApiError> {
    let email = normalize_email(&body.email)?;
    let name = body.display_name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::invalid(
            "invalid_name",
            format!("the display name must be 1 to {MAX_NAME_CHARS} characters"),
        ));
    }
    check_password(&body.password)?;
    // An invitation link lets its holder in on an invite-only server, and is accepted
    // with the new account. Signing up with an invited address alone gives nothing.
    let invitation = match &body.invitation {
        Some(token) => Some(live_invitation(&state, token).await?),
        None => None,
    };
    let invite_only = state.auth.signup == SignupPolicy::InviteOnly;
    if invite_only && invitation.is_none() && state.store.has_users().await? {
        return Err(ApiError::SignupClosed);
    }
    if !state.auth.limiter.signup(addr).await {
        tracing::warn!(?addr, "sign-up refused: too many from this address");
        return Err(ApiError::TooManyAttempts);
    }
    let hash = state.auth.hasher.hash(body.password).await?;
    let id = UserId(random_id(16));
    let new = NewUser {
        id: &id,
        email: &email,
        display_name: name,
        password_hash: &hash,
        invited: invitation.is_some(),
    };
    let created = state
        .store
        .create_user_accepting(&new, invite_only, invitation.as_ref(), now_ms())
        .await;
    let user = match created {
        Ok((user, _)) => user,
        Err(StoreError::Duplicate) => {
            return Err(ApiError::conflict(
                "email_taken",
                "an account with this email exists",
            ))
        }
        Err(e) => return Err(e.into()),
    };
    tracing::info!(user = %user.id, admin = user.is_admin, "account created");
    if let Some(invitation) = &invitation {
        state
            .store
            .remove_invitation_items(&user.id, &invitation.map_id)
            .await?;
    }
    if state.mailer.enabled() {
        let lang = crate::locale::preferred(&headers);
        if let Err(error) = send_verification(&state, &user, lang).await {
            tracing::warn!(user = %user.id, %error, "verification mail not sent");
        }
    }
    session_response(&state, &user, StatusCode::CREATED)
}

/// Signs in. The attempt is counted before the password is checked, so parallel
/// guesses at one account cannot outrun the limit.
async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    ApiJson(body): ApiJson<Login>,
) -> Result<Response, ApiError> {
    let email = body.email.trim().to_lowercase();
    let Some(attempt) = state.auth.limiter.attempt(&email, addr).await else {
        tracing::warn!(?addr, "login refused: too many attempts");
        return Err(ApiError::TooManyAttempts);
    };
    let user = state.store.user_by_email(&email).await?;
    let ok = match &user {
        Some(u) => {
            state
                .auth
                .hasher
                .verify(body.password, u.password_hash.clone())
                .await?
        }
        None => {
            // As slow as a real check, so timing does not tell which emails exist.
            let _ = state.auth.hasher.hash(body.password).await?;
            false
        }
    };
    match user {
        Some(user) if ok => {
            state.auth.limiter.succeeded(attempt).await;
            session_response(&state, &user, StatusCode::OK)
        }
        _ => Err(ApiError::InvalidCredentials),
    }
}

async fn logout(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Result<Response, ApiError> {
    state.store.revoke_sessions(&user.id).await?;
    state.rooms.end_sessions(&user.id).await;
    tracing::info!(user = %user.id, "signed out; sessions revoked");
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, state.auth.cleared_cookie())],
    )
        .into_response())
}

/// Changes the password after checking the current one, which counts against the
/// account's attempts like a login (a stolen session cannot guess it quickly).
async fn change_password(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    ClientAddr(addr): ClientAddr,
    ApiJson(body): ApiJson<ChangePassword>,
) -> Result<Response, ApiError> {
    check_password(&body.new_password)?;
    let Some(attempt) = state.auth.limiter.attempt(&user.email, addr).await else {
        return Err(ApiError::TooManyAttempts);
    };
    if !state
        .auth
        .hasher
        .verify(body.current_password, user.password_hash.clone())
        .await?
    {
        return Err(ApiError::InvalidCredentials);
    }
    state.auth.limiter.succeeded(attempt).await;
    let hash = state.auth.hasher.hash(body.new_password).await?;
    let version = state.store.set_password(&user.id, &hash).await?;
    state.rooms.end_sessions(&user.id).await;
    tracing::info!(user = %user.id, "password changed; other sessions revoked");
    let user = UserRecord {
        password_hash: hash,
        token_version: version,
        ..user
    };
    session_response(&state, &user, StatusCode::OK)
}

async fn me(AuthUser(user): AuthUser) -> Json<Me> {
    Json(user.me())
}

/// `GET /api/session`: the signed-in account, or `{"user": null}` (200 either way) for
/// a visitor without a session or with one the server no longer accepts (expired,
/// revoked, forged); such a stale cookie is cleared. Other failures (storage down) are
/// errors as everywhere.
async fn session(
    State(state): State<AppState>,
    user: Result<MaybeAuthUser, ApiError>,
) -> Result<Response, ApiError> {
    match user {
        Ok(MaybeAuthUser(user)) => Ok(Json(SessionStatus {
            user: user.map(|user| user.me()),
        })
        .into_response()),
        // Credentials sent but no longer (or never) valid: signed out, cookie cleared.
        Err(ApiError::Unauthorized) => Ok((
            [(header::SET_COOKIE, state.auth.cleared_cookie())],
            Json(SessionStatus { user: None }),
        )
            .into_response()),
        Err(error) => Err(error),
    }
}

/// `POST /api/auth/verify-email`: mails the account a link proving it receives mail at
/// its address (202), or 409 `mail_off` when the server has no SMTP.
async fn request_verification(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    if !state.mailer.enabled() {
        return Err(ApiError::conflict(
            "mail_off",
            "this server sends no mail, so addresses cannot be verified",
        ));
    }
    send_verification(&state, &user, crate::locale::preferred(&headers))
        .await
        .map_err(|e| ApiError::Internal(format!("verification mail: {e}")))?;
    Ok(StatusCode::ACCEPTED)
}

/// `POST /api/auth/verify-email/{token}`: the link from that mail (204; 404 for an
/// unknown, used or expired one).
async fn confirm_verification(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<StatusCode, ApiError> {
    match state
        .store
        .verify_email(&token_hash(&token), now_ms())
        .await?
    {
        Some(user) => {
            tracing::info!(user = %user, "email address verified");
            Ok(StatusCode::NO_CONTENT)
        }
        None => Err(ApiError::NotFound("verification")),
    }
}

/// Mails `user` a verification link (valid [`VERIFICATION_HOURS`]).
async fn send_verification(
    state: &AppState,
    user: &UserRecord,
    lang: parcours_shared::Language,
) -> anyhow::Result<()> {
    let token = random_id(32);
    let expires_at = now_ms() + VERIFICATION_HOURS * 3600 * 1000;
    state
        .store
        .add_email_verification(&user.id, &user.email, &token_hash(&token), expires_at)
        .await?;
    let mail = Mail::verification(
        lang,
        &user.email,
        VERIFICATION_HOURS,
        &format!("{}/verify-email/{token}", state.config.public_url()),
    );
    state.mailer.send(mail).await?;
    Ok(())
}
