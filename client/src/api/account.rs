//! Accounts and sessions: sign-up, login, logout, password change, and who is signed in.

use gloo_net::http::Request;
use parcours_shared::api::{ChangePassword, Login, Me, Session, SignUp};

use super::{decode, fetch_json, fetch_no_content, network, ApiError, OnUnauthorized, API_BASE};

/// `GET /api/me`: the signed-in account. A 401 here just means "signed out", so it is
/// not reported as a lost session.
pub async fn me() -> Result<Me, ApiError> {
    let response = Request::get(&format!("{API_BASE}/me"))
        .send()
        .await
        .map_err(network)?;
    decode(response, OnUnauthorized::Quiet).await
}

/// `POST /api/auth/signup` (201): creates the account and signs it in (the server sets
/// the session cookie).
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
