//! The HTTP surface, one `router()` per module merged here.

mod access;
mod auth;
mod comments;
mod events;
mod evidence;
mod export;
mod extract;
mod guard;
mod health;
mod history;
mod inbox;
mod invitations;
mod maps;
mod members;
pub mod openapi;
mod rounds;
mod sync;
mod upgrade;
mod web;

use axum::Router;

use crate::AppState;

/// The whole application.
pub fn router(state: AppState) -> Router {
    let web = web::service(&state.config.web_dir);
    Router::new()
        .merge(auth::router())
        .merge(maps::router())
        .merge(members::router())
        .merge(invitations::router())
        .merge(comments::router())
        .merge(rounds::router())
        .merge(history::router())
        .merge(evidence::router())
        .merge(export::router())
        .merge(openapi::router())
        .merge(inbox::router())
        .merge(events::router())
        .merge(health::router())
        .merge(sync::router())
        .with_state(state)
        .fallback_service(web)
        .layer(axum::middleware::from_fn(guard::require_intent))
        .layer(axum::middleware::from_fn(guard::security_headers))
        .layer(axum::middleware::from_fn(crate::locale::localize_errors))
}
