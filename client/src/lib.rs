//! The Parcours web app: a Leptos app rendered in the browser, talking to the server's
//! REST API.
//!
//! - [`app`]: the frame (top bar) and which page the URL and the auth state call for.
//! - [`auth`]: who is signed in, shared through context.
//! - [`api`]: typed calls to `/api/...` and the errors they can return.
//! - [`route`] and [`router`]: the app's routes, and in-app navigation.
//! - [`pages`]: one component per route, each loading its own data.
//! - [`components`]: presentational pieces the pages are built from.
//! - [`live`]: a map's live document, synced with the server over a WebSocket.
//! - [`format`]: how times, kinds and roles read on screen.
//! - [`i18n`]: French and English: the language shown and the catalogue of strings.
#![forbid(unsafe_code)]

pub mod api;
pub mod app;
pub mod auth;
pub mod components;
pub mod format;
pub mod i18n;
pub mod inbox;
pub mod live;
pub mod pages;
pub mod route;
pub mod router;

use wasm_bindgen::prelude::wasm_bindgen;

pub use crate::app::App;

/// Wasm entry point, run when `index.html` initialises the module: mounts the app on `<body>`.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
