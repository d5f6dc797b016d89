//! The Parcours web app: a Leptos app rendered in the browser, talking to the server's
//! REST API.
//!
//! - [`api`]: typed calls to `/api/...` and the errors they can return.
//! - [`router`]: the app's routes and in-app navigation.
//! - [`pages`]: one component per route, each loading its own data.
//! - [`components`]: presentational pieces the pages are built from.
//! - [`format`]: how times and kinds read on screen.
#![forbid(unsafe_code)]

pub mod api;
pub mod components;
pub mod format;
pub mod pages;
pub mod router;

use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::pages::map::MapPage;
use crate::pages::maps::MapsPage;
use crate::pages::not_found::NotFoundPage;
use crate::router::{Link, Route, Router};

/// Wasm entry point, run when `index.html` initialises the module: mounts the app on `<body>`.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

/// The whole app: a top bar, then the page the URL points at.
#[component]
pub fn App() -> impl IntoView {
    let route = Router::install().route();
    view! {
        <header class="topbar">
            <Link href="/" class="brand">"Parcours"</Link>
        </header>
        <main class="content">
            {move || {
                document().set_title("Parcours");
                match route.get() {
                    Route::Maps => view! { <MapsPage/> }.into_any(),
                    Route::Map(id) => view! { <MapPage id/> }.into_any(),
                    Route::NotFound => view! { <NotFoundPage/> }.into_any(),
                }
            }}
        </main>
    }
}
