//! The web app: static files from the built client directory, with `index.html` for
//! any other path so the app's own routes work on reload.

use std::path::Path;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, MethodRouter};
use tower_http::services::{ServeDir, ServeFile};

/// Serves `dir`, or explains how to build it when it is missing.
pub fn service(dir: &Path) -> MethodRouter {
    let index = dir.join("index.html");
    if !index.exists() {
        tracing::warn!(dir = %dir.display(), "web app not built; run scripts/build-client.sh");
        return get(|| async {
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "The Parcours web app is not built. Run scripts/build-client.sh, or use the API.\n",
            )
                .into_response()
        });
    }
    axum::routing::get_service(ServeDir::new(dir).fallback(ServeFile::new(index)))
}
