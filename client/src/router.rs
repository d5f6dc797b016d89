//! A small path router: the app's routes, and in-app navigation over the History API.
//!
//! The server answers every unknown non-API path with `index.html`, so a deep link such
//! as `/maps/{id}` loads the app, which then reads the path and shows the right page.
//! Links inside the app push history entries instead of reloading the page.

use leptos::ev::MouseEvent;
use leptos::prelude::*;
use parcours_shared::MapId;
use wasm_bindgen::JsValue;

/// A page of the app, parsed from the URL path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/`: the list of maps and the form to create one.
    Maps,
    /// `/maps/{id}`: one map.
    Map(MapId),
    /// Anything else.
    NotFound,
}

impl Route {
    /// Reads a URL path (without query or fragment); a trailing slash is ignored.
    pub fn parse(path: &str) -> Route {
        let path = path.trim_end_matches('/');
        if path.is_empty() || path == "/maps" {
            return Route::Maps;
        }
        match path.strip_prefix("/maps/").and_then(MapId::parse) {
            Some(id) => Route::Map(id),
            None => Route::NotFound,
        }
    }

    /// The path that leads to this route.
    pub fn path(&self) -> String {
        match self {
            Route::Maps | Route::NotFound => "/".to_owned(),
            Route::Map(id) => format!("/maps/{id}"),
        }
    }
}

/// The current location, shared through context; [`Router::install`] creates it.
#[derive(Clone, Copy)]
pub struct Router {
    /// The current URL path, as the browser shows it.
    path: RwSignal<String>,
}

impl Router {
    /// Reads the current path, follows back/forward buttons, and provides the router as context.
    pub fn install() -> Router {
        let router = Router {
            path: RwSignal::new(current_path()),
        };
        // Back and forward change the URL without a navigation: read it again.
        let handle = window_event_listener(leptos::ev::popstate, move |_| {
            router.path.set(current_path());
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
        let path = self.path;
        Memo::new(move |_| Route::parse(&path.get()))
    }

    /// Shows `path` without reloading the page, as a new history entry.
    pub fn navigate(&self, path: &str) {
        let pushed = window()
            .history()
            .and_then(|h| h.push_state_with_url(&JsValue::NULL, "", Some(path)));
        match pushed {
            Ok(()) => self.path.set(path.to_owned()),
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

fn current_path() -> String {
    window()
        .location()
        .pathname()
        .unwrap_or_else(|_| "/".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_and_maps_paths_show_the_map_list() {
        assert_eq!(Route::parse("/"), Route::Maps);
        assert_eq!(Route::parse(""), Route::Maps);
        assert_eq!(Route::parse("/maps/"), Route::Maps);
    }

    #[test]
    fn map_path_with_a_valid_id_shows_that_map() {
        let id = MapId("abcdefgh01234567".to_owned());
        assert_eq!(
            Route::parse("/maps/abcdefgh01234567"),
            Route::Map(id.clone())
        );
        assert_eq!(Route::Map(id).path(), "/maps/abcdefgh01234567");
    }

    #[test]
    fn map_path_with_an_invalid_id_is_not_found() {
        assert_eq!(Route::parse("/maps/NOPE"), Route::NotFound);
        assert_eq!(Route::parse("/elsewhere"), Route::NotFound);
    }
}
