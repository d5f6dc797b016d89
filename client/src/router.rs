//! A small router: the current location as a signal, and in-app navigation over the
//! History API. The routes themselves are in [`crate::route`].
//!
//! The server answers every unknown non-API path with `index.html`, so a deep link such
//! as `/maps/{id}` loads the app, which then reads the path and shows the right page.
//! Links inside the app push history entries instead of reloading the page.

use leptos::ev::MouseEvent;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

pub use crate::route::Route;

/// The current location, shared through context; [`Router::install`] creates it.
#[derive(Clone, Copy)]
pub struct Router {
    /// The current URL path and query (`/maps/x?link=y`), as the browser shows it.
    location: RwSignal<String>,
}

impl Router {
    /// Reads the current path, follows back/forward buttons, and provides the router as context.
    pub fn install() -> Router {
        let router = Router {
            location: RwSignal::new(current_location()),
        };
        // Back and forward change the URL without a navigation: read it again.
        let handle = window_event_listener(leptos::ev::popstate, move |_| {
            router.location.set(current_location());
        });
        on_cleanup(move || handle.remove());
        provide_context(router);
        router
    }

    /// The router provided by [`Router::install`].
    pub fn get() -> Router {
        expect_context::<Router>()
    }

    /// The current route; changes only when the page changes.
    pub fn route(&self) -> Memo<Route> {
        let location = self.location;
        Memo::new(move |_| Route::parse(&location.get()))
    }

    /// The current path and query, without tracking (e.g. to come back to it after login).
    pub fn location_untracked(&self) -> String {
        self.location.get_untracked()
    }

    /// Shows `path` (may carry a query) without reloading the page, as a new history entry.
    pub fn navigate(&self, path: &str) {
        self.go(path, false);
    }

    /// Shows `path` in place of the current history entry: for redirects, so that Back
    /// does not return to a page that only redirects again.
    pub fn replace(&self, path: &str) {
        self.go(path, true);
    }

    fn go(&self, path: &str, replace: bool) {
        let changed = window().history().and_then(|h| {
            if replace {
                h.replace_state_with_url(&JsValue::NULL, "", Some(path))
            } else {
                h.push_state_with_url(&JsValue::NULL, "", Some(path))
            }
        });
        match changed {
            Ok(()) => self.location.set(path.to_owned()),
            // No History API (should not happen in a browser that runs wasm): load the page.
            Err(_) => {
                let _ = window().location().set_href(path);
            }
        }
    }
}

/// An in-app link: a plain `<a href>` (so open-in-new-tab and copy-link work) whose
/// ordinary left click navigates without a reload.
#[component]
pub fn Link(
    /// Path inside the app, starting with `/`.
    #[prop(into)]
    href: String,
    /// Extra CSS classes.
    #[prop(optional, into)]
    class: String,
    children: Children,
) -> impl IntoView {
    let router = Router::get();
    let target = href.clone();
    let on_click = move |ev: MouseEvent| {
        let plain_click =
            ev.button() == 0 && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key());
        if plain_click {
            ev.prevent_default();
            router.navigate(&target);
        }
    };
    view! {
        <a href=href class=class on:click=on_click>
            {children()}
        </a>
    }
}

fn current_location() -> String {
    let location = window().location();
    let path = location.pathname().unwrap_or_else(|_| "/".to_owned());
    let search = location.search().unwrap_or_default();
    format!("{path}{search}")
}
