//! The sync socket's WebSocket handshake (RFC 6455 §4.2), done here instead of by
//! axum's `WebSocketUpgrade` so the peer task owns a tokio-tungstenite stream and may
//! write raw frames: a large message (every peer's sync step 2 is the whole map) goes
//! out in fragments, and tungstenite's write buffer, which keeps the capacity of the
//! largest frame it ever wrote for the socket's whole life, stays a few KiB instead of
//! the size of the map (see `sync::peer::FRAGMENT`).

use axum::extract::FromRequestParts;
use axum::http::header::{CONNECTION, SEC_WEBSOCKET_ACCEPT, SEC_WEBSOCKET_KEY, UPGRADE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use hyper::upgrade::OnUpgrade;
use hyper_util::rt::TokioIo;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::WebSocketStream;

use crate::sync::SyncSocket;

/// A valid WebSocket upgrade request, not yet answered.
pub struct Upgrade {
    key: HeaderValue,
    on_upgrade: OnUpgrade,
}

/// Why a request is not a WebSocket upgrade; answered with a plain-text reason.
#[derive(Debug)]
pub struct NotAnUpgrade {
    status: StatusCode,
    reason: &'static str,
}

impl IntoResponse for NotAnUpgrade {
    fn into_response(self) -> Response {
        (self.status, self.reason).into_response()
    }
}

fn refuse(status: StatusCode, reason: &'static str) -> NotAnUpgrade {
    NotAnUpgrade { status, reason }
}

/// Whether `name`'s comma-separated tokens include `token` (ASCII case ignored).
fn header_has_token(headers: &HeaderMap, name: axum::http::HeaderName, token: &str) -> bool {
    headers.get_all(name).iter().any(|value| {
        value.to_str().is_ok_and(|v| {
            v.split(',')
                .any(|part| part.trim().eq_ignore_ascii_case(token))
        })
    })
}

impl<S: Send + Sync> FromRequestParts<S> for Upgrade {
    type Rejection = NotAnUpgrade;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        if parts.method != Method::GET {
            return Err(refuse(
                StatusCode::METHOD_NOT_ALLOWED,
                "a WebSocket is opened with GET",
            ));
        }
        let headers = &parts.headers;
        if !header_has_token(headers, CONNECTION, "upgrade")
            || !header_has_token(headers, UPGRADE, "websocket")
        {
            return Err(refuse(
                StatusCode::UPGRADE_REQUIRED,
                "this address is a WebSocket: send Connection: Upgrade and Upgrade: websocket",
            ));
        }
        if headers
            .get("sec-websocket-version")
            .is_none_or(|v| v.as_bytes() != b"13")
        {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                "unsupported WebSocket version: send Sec-WebSocket-Version: 13",
            ));
        }
        let key = headers
            .get(SEC_WEBSOCKET_KEY)
            .filter(|k| !k.is_empty())
            .cloned()
            .ok_or_else(|| refuse(StatusCode::BAD_REQUEST, "Sec-WebSocket-Key is missing"))?;
        let on_upgrade = parts.extensions.remove::<OnUpgrade>().ok_or_else(|| {
            refuse(
                StatusCode::UPGRADE_REQUIRED,
                "this connection cannot be upgraded (HTTP/1.1 is needed)",
            )
        })?;
        Ok(Self { key, on_upgrade })
    }
}

impl Upgrade {
    /// Answers `101 Switching Protocols` and, once the connection is handed over, runs
    /// `serve` on the socket with `config` in its own task.
    pub fn on_upgrade<F, Fut>(self, config: WebSocketConfig, serve: F) -> Response
    where
        F: FnOnce(SyncSocket) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let accept = derive_accept_key(self.key.as_bytes());
        let on_upgrade = self.on_upgrade;
        tokio::spawn(async move {
            match on_upgrade.await {
                Ok(upgraded) => {
                    let socket = WebSocketStream::from_raw_socket(
                        TokioIo::new(upgraded),
                        Role::Server,
                        Some(config),
                    )
                    .await;
                    serve(socket).await;
                }
                Err(e) => tracing::debug!(error = %e, "WebSocket upgrade did not complete"),
            }
        });
        let mut response = StatusCode::SWITCHING_PROTOCOLS.into_response();
        let headers = response.headers_mut();
        headers.insert(CONNECTION, HeaderValue::from_static("upgrade"));
        headers.insert(UPGRADE, HeaderValue::from_static("websocket"));
        if let Ok(accept) = HeaderValue::from_str(&accept) {
            headers.insert(SEC_WEBSOCKET_ACCEPT, accept);
        }
        response
    }
}
