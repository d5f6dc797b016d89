//! Cross-site defences applied to every request: the headers that keep the web app out
//! of other sites' frames and scripts, the rule that a browser's state-changing request
//! shows it was made by the app (a JSON body or the `X-Requested-With` header, which a
//! cross-site form cannot send), and the `Origin` check for long-lived connections a
//! browser opens with its cookie (the sync socket, event streams).

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

use crate::auth::SESSION_COOKIE;
use crate::error::error_response;

/// The web app's content security policy: its own scripts and wasm only, styles it sets
/// inline (the board positions cards with `style`), connections to this server only,
/// never framed.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// The header a script sets to show a request is not a cross-site form.
pub const REQUESTED_WITH: &str = "x-requested-with";

/// Adds the security headers to every response.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut HeaderMap, name: header::HeaderName, value: &'static str| {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    };
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        CONTENT_SECURITY_POLICY,
    );
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    // Share-link tokens travel in URLs: never leak them to other sites.
    set(headers, header::REFERRER_POLICY, "no-referrer");
    response
}

/// Refuses (403 `cross_site`) a state-changing API request that a cross-site HTML form
/// could have made with the browser's cookie: the session cookie, no bearer token, no
/// JSON body, no `X-Requested-With`. (Without the cookie, a request is as anonymous as
/// any other and gets its ordinary answer.)
pub async fn require_intent(request: Request, next: Next) -> Response {
    let changes_state = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    if changes_state
        && request.uri().path().starts_with("/api/")
        && carries_session_cookie(request.headers())
    {
        let headers = request.headers();
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("Bearer "));
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().starts_with("application/json"));
        if !bearer && !json && !headers.contains_key(REQUESTED_WITH) {
            return error_response(
                axum::http::StatusCode::FORBIDDEN,
                "cross_site",
                "a request that changes something must carry a JSON body or the X-Requested-With header",
            );
        }
    }
    next.run(request).await
}

fn carries_session_cookie(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            v.split(';')
                .any(|pair| pair.trim().starts_with(&format!("{SESSION_COOKIE}=")))
        })
}

/// Whether `headers`' `Origin` is this server (the `Host` it was asked as) or one of
/// `allowed`. A missing `Origin` counts as allowed only when `required` is false.
pub fn origin_allowed(headers: &HeaderMap, allowed: &[String], required: bool) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return !required;
    };
    let origin = origin.trim_end_matches('/');
    if allowed.iter().any(|a| a.trim_end_matches('/') == origin) {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(origin);
    host.is_some_and(|host| host.eq_ignore_ascii_case(origin_host))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, host.parse().expect("host"));
        if let Some(o) = origin {
            h.insert(header::ORIGIN, o.parse().expect("origin"));
        }
        h
    }

    #[test]
    fn same_origin_and_listed_origins_are_allowed() {
        let allowed = vec!["https://app.example.org".to_owned()];
        assert!(origin_allowed(
            &headers(Some("http://127.0.0.1:8080"), "127.0.0.1:8080"),
            &allowed,
            true
        ));
        assert!(origin_allowed(
            &headers(Some("https://app.example.org"), "parcours.internal:8080"),
            &allowed,
            true
        ));
        assert!(!origin_allowed(
            &headers(Some("https://evil.example"), "127.0.0.1:8080"),
            &allowed,
            true
        ));
        assert!(!origin_allowed(
            &headers(Some("http://127.0.0.1:8080.evil.example"), "127.0.0.1:8080"),
            &allowed,
            true
        ));
    }

    #[test]
    fn a_missing_origin_is_refused_only_where_required() {
        assert!(!origin_allowed(&headers(None, "h:1"), &[], true));
        assert!(origin_allowed(&headers(None, "h:1"), &[], false));
    }
}
