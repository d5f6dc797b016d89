//! Who is signed in: asked once from `GET /api/session` at start, shared through context, and
//! kept in step with sign-in, sign-out and sessions the server no longer accepts.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_shared::api::Me;

use crate::api::{self, ApiError};
use crate::route::Route;
use crate::router::Router;

/// What the app knows about the visitor.
#[derive(Clone, Debug, PartialEq)]
pub enum AuthState {
    /// `GET /api/session` has not answered yet.
    Checking,
    /// No session, or the server no longer accepts it.
    SignedOut,
    /// Signed in as this account.
    SignedIn(Me),
    /// `GET /api/session` failed (server down…).
    Unreachable(ApiError),
}

/// [`AuthState`] without its data: what the page layout depends on, so that a change of
/// display name does not rebuild the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthStatus {
    Checking,
    SignedOut,
    SignedIn,
    Unreachable,
}

/// The visitor's [`AuthState`], shared through context; [`Auth::install`] creates it.
#[derive(Clone, Copy)]
pub struct Auth {
    state: RwSignal<AuthState>,
}

impl Auth {
    /// Provides the auth state as context, asks the server who is signed in, and sends the
    /// user to the sign-in page (to come back afterwards) whenever an API call finds the
    /// session gone.
    pub fn install(router: Router) -> Auth {
        let auth = Auth {
            state: RwSignal::new(AuthState::Checking),
        };
        provide_context(auth);
        api::on_session_lost(move || auth.session_lost(router));
        auth.check();
        auth
    }

    /// The auth state provided by [`Auth::install`].
    pub fn get() -> Auth {
        expect_context::<Auth>()
    }

    /// Asks `GET /api/session` again (at start, and to retry after the server was unreachable).
    pub fn check(&self) {
        let state = self.state;
        state.set(AuthState::Checking);
        spawn_local(async move {
            let next = match api::account::session().await {
                Ok(Some(me)) => AuthState::SignedIn(me),
                Ok(None) => AuthState::SignedOut,
                Err(error) => AuthState::Unreachable(error),
            };
            state.set(next);
        });
    }

    /// The signed-in account, if any (tracked).
    pub fn me(&self) -> Option<Me> {
        self.state.with(|state| match state {
            AuthState::SignedIn(me) => Some(me.clone()),
            _ => None,
        })
    }

    /// The full state (tracked).
    pub fn state(&self) -> AuthState {
        self.state.get()
    }

    /// The state without its data (tracked); see [`AuthStatus`].
    pub fn status(&self) -> AuthStatus {
        self.state.with(|state| match state {
            AuthState::Checking => AuthStatus::Checking,
            AuthState::SignedOut => AuthStatus::SignedOut,
            AuthState::SignedIn(_) => AuthStatus::SignedIn,
            AuthState::Unreachable(_) => AuthStatus::Unreachable,
        })
    }

    /// Records a new session (after sign-up, login or a password change).
    pub fn signed_in(&self, me: Me) {
        self.state.set(AuthState::SignedIn(me));
    }

    /// Records that the visitor signed out.
    pub fn signed_out(&self) {
        self.state.set(AuthState::SignedOut);
    }

    /// An API call answered 401 `unauthorized`: signed out, and off to the sign-in page,
    /// remembering where the user was.
    fn session_lost(&self, router: Router) {
        self.signed_out();
        let here = Route::parse(&router.location_untracked());
        if !matches!(here, Route::Login { .. }) {
            let next = Some(router.location_untracked());
            router.replace(&Route::Login { next }.path());
        }
    }
}

/// Where the app must go instead of showing `route` to a visitor in this `status`: a
/// signed-out visitor to the sign-in page (with the wanted path to return to), a
/// signed-in one away from the sign-in page (to where they were going). `None`: show it.
pub fn redirect(route: &Route, status: AuthStatus) -> Option<String> {
    match (route, status) {
        (Route::Login { next }, AuthStatus::SignedIn) => {
            Some(next.clone().unwrap_or_else(|| "/".to_owned()))
        }
        (route, AuthStatus::SignedOut) if route.needs_account() => Some(
            Route::Login {
                next: Some(route.path()),
            }
            .path(),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parcours_shared::MapId;

    #[test]
    fn signed_out_visitor_is_sent_to_sign_in_and_back() {
        let join = Route::Join {
            token: "t0k".to_owned(),
        };
        let to = redirect(&join, AuthStatus::SignedOut).expect("a redirect");
        assert_eq!(
            Route::parse(&to),
            Route::Login {
                next: Some("/join/t0k".to_owned())
            }
        );
        assert_eq!(redirect(&join, AuthStatus::SignedIn), None);
        assert_eq!(redirect(&join, AuthStatus::Checking), None);
    }

    #[test]
    fn public_link_map_is_shown_signed_out() {
        let route = Route::Map {
            id: MapId("abcdefgh01234567".to_owned()),
            link: Some("pub".to_owned()),
        };
        assert_eq!(redirect(&route, AuthStatus::SignedOut), None);
    }

    #[test]
    fn signed_in_visitor_leaves_the_sign_in_page_for_the_wanted_path() {
        let login = Route::Login {
            next: Some("/account".to_owned()),
        };
        assert_eq!(
            redirect(&login, AuthStatus::SignedIn).as_deref(),
            Some("/account")
        );
        assert_eq!(
            redirect(&Route::Login { next: None }, AuthStatus::SignedIn).as_deref(),
            Some("/")
        );
        assert_eq!(redirect(&login, AuthStatus::SignedOut), None);
    }
}
