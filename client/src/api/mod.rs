//! Typed calls to the Parcours REST API (`/api/...`), one function per endpoint.
//!
//! - [`account`]: sign-up, login, logout, password, `GET /api/me`.
//! - [`maps`]: the map list and one map.
//! - [`sharing`]: members, invitations, share links, ownership and the audit trail.
//! - [`comments`]: comment threads, review rounds and the inbox.
//! - [`exchange`]: export links, imports with a preview and upload progress.
//! - [`history`]: versions, past views, diffs, element history, restore, since last visit.
//! - [`evidence`]: event logs (preview, import, delete), their mapping and analysis.
//!
//! Every call returns [`ApiError`] on failure; when the server answered with its JSON
//! [`ErrorBody`], the error carries the server's `code` and human `message` so the page
//! can show them as they are. The session is an HttpOnly cookie the server sets, which
//! same-origin `fetch` sends on its own, so no call handles a token.
//!
//! When a call learns that the session is gone (401 `unauthorized`), it also tells the
//! handler registered with [`on_session_lost`], once per such answer: the app uses it to
//! send the user to the sign-in page from wherever the call was made.

pub mod account;
pub mod comments;
pub mod evidence;
pub mod exchange;
pub mod history;
pub mod maps;
pub mod sharing;

use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::http::{RequestBuilder, Response};
use parcours_shared::ErrorBody;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Where the REST API lives, relative to the page's origin (the same server serves both).
const API_BASE: &str = "/api";

/// The error code of a 401 meaning "no valid session" (as opposed to, say, a wrong
/// current password, which is also a 401 but `invalid_credentials`).
const UNAUTHORIZED: &str = "unauthorized";

/// Why an API call failed, in terms the user can be shown.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The server refused the request and said why, in its JSON error body.
    #[error("{message}")]
    Server {
        /// HTTP status of the response.
        status: u16,
        /// Stable machine code from [`ErrorBody::code`].
        code: String,
        /// Human message from [`ErrorBody::message`].
        message: String,
    },
    /// The request never got an answer (server down, network gone).
    #[error("Could not reach the server: {0}")]
    Network(String),
    /// The server answered with something that is neither the expected body nor an error body.
    #[error("Unexpected response from the server (HTTP {status}).")]
    Unexpected {
        /// HTTP status of the response.
        status: u16,
    },
}

impl ApiError {
    /// The server's machine code, when it sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Server { code, .. } => Some(code),
            _ => None,
        }
    }

    /// True when the server said the caller has no valid session.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ApiError::Server { status: 401, code, .. } if code == UNAUTHORIZED)
    }
}

thread_local! {
    /// What to do when a call finds the session gone; see [`on_session_lost`].
    static SESSION_LOST: RefCell<Option<Rc<dyn Fn()>>> = RefCell::new(None);
}

/// Registers what to do when any call (but [`account::me`], which is how the app asks
/// whether it is signed in at all) answers 401 `unauthorized`. Replaces any earlier handler.
pub fn on_session_lost(handler: impl Fn() + 'static) {
    SESSION_LOST.with(|slot| *slot.borrow_mut() = Some(Rc::new(handler)));
}

/// Whether a 401 `unauthorized` answer is reported to the [`on_session_lost`] handler.
#[derive(Clone, Copy, PartialEq, Eq)]
enum OnUnauthorized {
    Report,
    Quiet,
}

/// Marks a request as the app's own: the server refuses state-changing requests that a
/// cross-site form could have sent (no JSON body, no such header). It also asks for
/// error messages in the language shown (`<html lang>`, set by `i18n`), which may not
/// be the browser's.
fn ours(request: RequestBuilder) -> RequestBuilder {
    let request = request.header("X-Requested-With", "parcours");
    match leptos::prelude::document()
        .document_element()
        .and_then(|root| root.get_attribute("lang"))
    {
        Some(lang) if !lang.is_empty() => request.header("Accept-Language", &lang),
        _ => request,
    }
}

/// Sends a request without a body and decodes the JSON answer.
async fn fetch<T: DeserializeOwned>(request: RequestBuilder) -> Result<T, ApiError> {
    let response = ours(request).send().await.map_err(network)?;
    decode(response, OnUnauthorized::Report).await
}

/// Sends `body` as JSON and decodes the JSON answer.
async fn fetch_json<B: Serialize, T: DeserializeOwned>(
    request: RequestBuilder,
    body: &B,
) -> Result<T, ApiError> {
    let response = ours(request)
        .json(body)
        .map_err(|e| ApiError::Network(e.to_string()))?
        .send()
        .await
        .map_err(network)?;
    decode(response, OnUnauthorized::Report).await
}

/// Sends a request (with `body` as JSON, if any) whose success has no body (204).
async fn fetch_no_content<B: Serialize>(
    request: RequestBuilder,
    body: Option<&B>,
) -> Result<(), ApiError> {
    let request = ours(request);
    let response = match body {
        Some(body) => request
            .json(body)
            .map_err(|e| ApiError::Network(e.to_string()))?
            .send()
            .await
            .map_err(network)?,
        None => request.send().await.map_err(network)?,
    };
    if response.ok() {
        return Ok(());
    }
    Err(decode_error(response, OnUnauthorized::Report).await)
}

/// Turns a response into the expected body on 2xx, or into an [`ApiError`] otherwise.
async fn decode<T: DeserializeOwned>(
    response: Response,
    on_unauthorized: OnUnauthorized,
) -> Result<T, ApiError> {
    let status = response.status();
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|_| ApiError::Unexpected { status });
    }
    Err(decode_error(response, on_unauthorized).await)
}

/// Reads a failed response's [`ErrorBody`]; reports a lost session when asked to.
async fn decode_error(response: Response, on_unauthorized: OnUnauthorized) -> ApiError {
    let status = response.status();
    let error = match response.json::<ErrorBody>().await {
        Ok(ErrorBody { code, message }) => ApiError::Server {
            status,
            code,
            message,
        },
        Err(_) => ApiError::Unexpected { status },
    };
    if on_unauthorized == OnUnauthorized::Report && error.is_unauthorized() {
        // Clone the handler out first: it may register another one while it runs.
        if let Some(handler) = SESSION_LOST.with(|slot| slot.borrow().clone()) {
            handler();
        }
    }
    error
}

fn network(error: gloo_net::Error) -> ApiError {
    ApiError::Network(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_401_unauthorized_means_the_session_is_gone() {
        let error = |status, code: &str| ApiError::Server {
            status,
            code: code.to_owned(),
            message: String::new(),
        };
        assert!(error(401, "unauthorized").is_unauthorized());
        assert!(!error(401, "invalid_credentials").is_unauthorized());
        assert!(!error(403, "forbidden").is_unauthorized());
        assert!(!ApiError::Network("down".to_owned()).is_unauthorized());
    }
}
