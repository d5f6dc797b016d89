//! Accounts and sessions: sign-up, login, logout, password change, who is signed in, and
//! the verification of the account's address.

use gloo_net::http::Request;
use parcours_shared::api::{ChangePassword, Login, Me, Session, SessionStatus, SignUp};

use super::{decode, fetch_json, fetch_no_content, network, ApiError, OnUnauthorized, API_BASE};
use crate::route::percent_encode;

/// `GET /api/me`: the signed-in account. A 401 here just means "signed out", so it is
/// not reported as a lost session.
pub async fn me() -> Result<Me, ApiError> {
    let response = Request::get(&format!("{API_BASE}/me"))
        .send()
        .await
        .map_err(network)?;
    decode(response, OnUnauthorized::Quiet).await
}

/// `GET /api/session`: the signed-in account, or `None` for a visitor (200 either way:
/// the browser logs no failed request on the sign-in page).
pub async fn session() -> Result<Option<Me>, ApiError> {
    let response = Request::get(&format!("{API_BASE}/session"))
        .send()
        .await
        .map_err(network)?;
    decode::<SessionStatus>(response, OnUnauthorized::Quiet)
        .await
        .map(|status| status.user)
}

/// `POST /api/auth/signup` (201): creates the account and signs it in (the server sets
/// the session cookie). With `invitation`, the new account also accepts that invitation.
pub async fn sign_up(body: SignUp) -> Result<Session, ApiError> {
    fetch_json(Request::post(&format!("{API_BASE}/auth/signup")), &body).await
}

/// `POST /api/auth/login`: signs in (the server sets the session cookie).
pub async fn login(body: Login) -> Result<Session, ApiError> {
    fetch_json(Request::post(&format!("{API_BASE}/auth/login")), &body).await
}

/// `POST /api/auth/logout` (204): ends every session of the account and clears the cookie.
pub async fn logout() -> Result<(), ApiError> {
    fetch_no_content::<()>(Request::post(&format!("{API_BASE}/auth/logout")), None).await
}

/// `POST /api/auth/password`: changes the password; the answer is a fresh session (other
/// sessions are revoked).
pub async fn change_password(body: ChangePassword) -> Result<Session, ApiError> {
    fetch_json(Request::post(&format!("{API_BASE}/auth/password")), &body).await
}

/// `POST /api/auth/verify-email` (signed in; 202): mails the account a link proving it
/// receives mail at its address. 409 `mail_off` when the server sends no mail.
pub async fn request_verification() -> Result<(), ApiError> {
    fetch_no_content::<()>(
        Request::post(&format!("{API_BASE}/auth/verify-email")),
        None,
    )
    .await
}

/// `POST /api/auth/verify-email/{secret}` (204): the link of that mail; marks the address
/// verified. 404 for an unknown, used or expired link.
pub async fn confirm_verification(secret: String) -> Result<(), ApiError> {
    let url = format!("{API_BASE}/auth/verify-email/{}", percent_encode(&secret));
    fetch_no_content::<()>(Request::post(&url), None).await
}
