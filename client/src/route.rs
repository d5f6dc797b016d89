//! The app's routes, parsed from and turned back into URLs, and the few query-string
//! helpers they need. Pure Rust (no browser), so it is tested natively.

use parcours_shared::MapId;

/// A page of the app, parsed from the URL path and query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/`: the list of maps and the form to create one.
    Maps,
    /// `/maps/{id}`, optionally `?link={token}` for a public share link (works signed out).
    Map {
        /// The map to show.
        id: MapId,
        /// Token of a public share link, passed through to `GET /api/maps/{id}?link=`.
        link: Option<String>,
    },
    /// `/login?next={path}`: sign in or sign up, then go to `next`.
    Login {
        /// Where to go after signing in; always an in-app path (see [`safe_next`]).
        next: Option<String>,
    },
    /// `/account`: the signed-in account and its password.
    Account,
    /// `/join/{token}`: accept a share link, then open its map.
    Join {
        /// The link's secret token.
        token: String,
    },
    /// `/invite/{secret}`: what an invitation offers, to accept signed in or to sign up
    /// with (open to signed-out visitors).
    Invite {
        /// The invitation's single-use secret.
        secret: String,
    },
    /// `/verify-email/{secret}`: the link of an address-verification mail (works signed
    /// out too).
    VerifyEmail {
        /// The verification's single-use secret.
        secret: String,
    },
    /// Anything else.
    NotFound,
}

impl Route {
    /// Reads a URL's path and query (`/maps/x?link=y`); the fragment, if any, is ignored,
    /// and so is a trailing slash on the path.
    pub fn parse(url: &str) -> Route {
        let url = url.split('#').next().unwrap_or_default();
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let path = path.trim_end_matches('/');
        if path.is_empty() || path == "/maps" {
            return Route::Maps;
        }
        if path == "/login" {
            let next = query_param(query, "next").map(|next| safe_next(&next));
            return Route::Login { next };
        }
        if path == "/account" {
            return Route::Account;
        }
        if let Some(token) = path.strip_prefix("/join/") {
            return match segment(token) {
                Some(token) => Route::Join { token },
                None => Route::NotFound,
            };
        }
        if let Some(secret) = path.strip_prefix("/invite/") {
            return match segment(secret) {
                Some(secret) => Route::Invite { secret },
                None => Route::NotFound,
            };
        }
        if let Some(secret) = path.strip_prefix("/verify-email/") {
            return match segment(secret) {
                Some(secret) => Route::VerifyEmail { secret },
                None => Route::NotFound,
            };
        }
        match path.strip_prefix("/maps/").and_then(MapId::parse) {
            Some(id) => Route::Map {
                id,
                link: query_param(query, "link").filter(|link| !link.is_empty()),
            },
            None => Route::NotFound,
        }
    }

    /// The URL (path and query) that leads to this route.
    pub fn path(&self) -> String {
        match self {
            Route::Maps | Route::NotFound => "/".to_owned(),
            Route::Map { id, link: None } => format!("/maps/{id}"),
            Route::Map {
                id,
                link: Some(link),
            } => format!("/maps/{id}?link={}", percent_encode(link)),
            Route::Login { next: None } => "/login".to_owned(),
            Route::Login { next: Some(next) } => {
                format!("/login?next={}", percent_encode(next))
            }
            Route::Account => "/account".to_owned(),
            Route::Join { token } => format!("/join/{}", percent_encode(token)),
            Route::Invite { secret } => format!("/invite/{}", percent_encode(secret)),
            Route::VerifyEmail { secret } => {
                format!("/verify-email/{}", percent_encode(secret))
            }
        }
    }

    /// The map page for `id`, as a member sees it.
    pub fn map(id: MapId) -> Route {
        Route::Map { id, link: None }
    }

    /// True where a signed-out visitor is sent to sign in first. The sign-in page, unknown
    /// paths, maps opened with a public link, invitations (which offer to sign up) and
    /// address verifications are open to everyone.
    pub fn needs_account(&self) -> bool {
        match self {
            Route::Login { .. }
            | Route::NotFound
            | Route::Invite { .. }
            | Route::VerifyEmail { .. } => false,
            Route::Map { link, .. } => link.is_none(),
            Route::Maps | Route::Account | Route::Join { .. } => true,
        }
    }
}

/// The full URL to hand out for a new share link: a public link opens the map directly
/// (`/maps/{id}?link=`), any other is accepted at `/join/{token}` by a signed-in account.
pub fn share_url(origin: &str, map: &MapId, token: &str, public: bool) -> String {
    let route = if public {
        Route::Map {
            id: map.clone(),
            link: Some(token.to_owned()),
        }
    } else {
        Route::Join {
            token: token.to_owned(),
        }
    };
    format!("{}{}", origin.trim_end_matches('/'), route.path())
}

/// The full URL of an invitation, from the path the server answers (`/invite/{secret}`).
pub fn invitation_url(origin: &str, link: &str) -> String {
    format!("{}{link}", origin.trim_end_matches('/'))
}

/// One non-empty path segment (a token, a secret), decoded; `None` if empty or nested.
fn segment(raw: &str) -> Option<String> {
    (!raw.is_empty() && !raw.contains('/')).then(|| percent_decode(raw))
}

/// Where to go after signing in, given a `next` from the URL: only a path inside this
/// app (so a crafted link cannot send the user to another site), never the sign-in page
/// itself; anything else means the home page.
pub fn safe_next(next: &str) -> String {
    let in_app = next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\");
    let is_login = next == "/login" || next.starts_with("/login?") || next.starts_with("/login/");
    if in_app && !is_login {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

/// The decoded value of `name` in a query string (`a=1&b=2`, without the `?`).
pub fn query_param(query: &str, name: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
        .find(|(key, _)| percent_decode(key) == name)
        .map(|(_, value)| percent_decode(value))
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so a value (a path, a
/// token) can sit in a query string or a path segment.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Undoes [`percent_encode`] (and reads `+` as a space, as forms do); malformed escapes
/// are kept as they are, invalid UTF-8 becomes U+FFFD.
pub fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(byte) => {
                        out.push(byte);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> MapId {
        MapId("abcdefgh01234567".to_owned())
    }

    #[test]
    fn root_and_maps_paths_show_the_map_list() {
        assert_eq!(Route::parse("/"), Route::Maps);
        assert_eq!(Route::parse(""), Route::Maps);
        assert_eq!(Route::parse("/maps/"), Route::Maps);
    }

    #[test]
    fn map_path_with_a_valid_id_shows_that_map() {
        assert_eq!(Route::parse("/maps/abcdefgh01234567"), Route::map(id()));
        assert_eq!(Route::map(id()).path(), "/maps/abcdefgh01234567");
    }

    #[test]
    fn map_path_with_an_invalid_id_is_not_found() {
        assert_eq!(Route::parse("/maps/NOPE"), Route::NotFound);
        assert_eq!(Route::parse("/elsewhere"), Route::NotFound);
    }

    #[test]
    fn public_link_token_is_read_from_the_query_and_written_back() {
        let route = Route::parse("/maps/abcdefgh01234567?link=tok_1%2B2");
        assert_eq!(
            route,
            Route::Map {
                id: id(),
                link: Some("tok_1+2".to_owned())
            }
        );
        assert_eq!(route.path(), "/maps/abcdefgh01234567?link=tok_1%2B2");
        assert!(!route.needs_account());
        assert!(Route::map(id()).needs_account());
    }

    #[test]
    fn login_keeps_the_wanted_path_round_trip() {
        let next = "/maps/abcdefgh01234567?link=x";
        let login = Route::Login {
            next: Some(next.to_owned()),
        };
        assert_eq!(Route::parse(&login.path()), login);
        assert_eq!(Route::parse("/login"), Route::Login { next: None });
    }

    #[test]
    fn login_next_never_leaves_the_app() {
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil",
            "/login?next=/",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad}");
        }
        assert_eq!(safe_next("/account"), "/account");
    }

    #[test]
    fn share_urls_open_join_or_the_public_map() {
        let origin = "https://parcours.example";
        assert_eq!(
            share_url(origin, &id(), "tok", false),
            "https://parcours.example/join/tok"
        );
        assert_eq!(
            share_url(origin, &id(), "tok", true),
            "https://parcours.example/maps/abcdefgh01234567?link=tok"
        );
    }

    #[test]
    fn join_path_carries_its_token() {
        let route = Route::parse("/join/AbC-123_x");
        assert_eq!(
            route,
            Route::Join {
                token: "AbC-123_x".to_owned()
            }
        );
        assert_eq!(route.path(), "/join/AbC-123_x");
        assert_eq!(Route::parse("/join/"), Route::NotFound);
    }

    #[test]
    fn invitation_and_verification_paths_carry_their_secret_and_need_no_account() {
        let invite = Route::parse("/invite/s3cr3t");
        assert_eq!(
            invite,
            Route::Invite {
                secret: "s3cr3t".to_owned()
            }
        );
        assert_eq!(invite.path(), "/invite/s3cr3t");
        assert!(!invite.needs_account());
        let verify = Route::parse("/verify-email/abc");
        assert_eq!(
            verify,
            Route::VerifyEmail {
                secret: "abc".to_owned()
            }
        );
        assert_eq!(verify.path(), "/verify-email/abc");
        assert!(!verify.needs_account());
        assert_eq!(Route::parse("/invite/"), Route::NotFound);
        assert_eq!(Route::parse("/invite/a/b"), Route::NotFound);
        assert_eq!(Route::parse("/verify-email/"), Route::NotFound);
    }

    #[test]
    fn invitation_urls_join_the_origin_and_the_servers_path() {
        assert_eq!(
            invitation_url("https://parcours.example/", "/invite/abc"),
            "https://parcours.example/invite/abc"
        );
    }

    #[test]
    fn percent_encoding_round_trips_unicode_and_reserved_characters() {
        let value = "/maps/x?a=b&c=d é";
        assert_eq!(percent_decode(&percent_encode(value)), value);
        assert_eq!(percent_decode("100%"), "100%");
    }
}
