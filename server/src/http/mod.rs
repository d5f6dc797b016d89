//! The HTTP surface, one `router()` per module merged here.

mod health;
mod maps;
mod sync;
mod web;

use axum::Router;

use crate::AppState;

/// The whole application.
pub fn router(state: AppState) -> Router {
    let web = web::service(&state.config.web_dir);
    Router::new()
        .merge(maps::router())
        .merge(health::router())
        .merge(sync::router())
        .with_state(state)
        .fallback_service(web)
}
