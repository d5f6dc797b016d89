//! Typed calls to the Parcours REST API (`/api/...`), one function per endpoint.
//!
//! Every call returns [`ApiError`] on failure; when the server answered with its JSON
//! [`ErrorBody`], the error carries the server's `code` and human `message` so the page
//! can show them as they are.

use gloo_net::http::{Request, Response};
use parcours_shared::api::{CreateMap, MapDetail, MapList, MapSummary};
use parcours_shared::{ErrorBody, MapId};
use serde::de::DeserializeOwned;

/// Where the REST API lives, relative to the page's origin (the same server serves both).
const API_BASE: &str = "/api";

/// Why an API call failed, in terms the user can be shown.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The server refused the request and said why, in its JSON error body.
    #[error("{message}")]
    Server {
        /// HTTP status of the response.
        status: u16,
        /// Stable machine code from [`ErrorBody::code`].
        code: String,
        /// Human message from [`ErrorBody::message`].
        message: String,
    },
    /// The request never got an answer (server down, network gone).
    #[error("Could not reach the server: {0}")]
    Network(String),
    /// The server answered with something that is neither the expected body nor an error body.
    #[error("Unexpected response from the server (HTTP {status}).")]
    Unexpected {
        /// HTTP status of the response.
        status: u16,
    },
}

/// `GET /api/maps`: every map the caller can see.
pub async fn list_maps() -> Result<MapList, ApiError> {
    let response = Request::get(&format!("{API_BASE}/maps"))
        .send()
        .await
        .map_err(network)?;
    decode(response).await
}

/// `POST /api/maps` (answers 201): creates a map and returns its summary.
pub async fn create_map(body: CreateMap) -> Result<MapSummary, ApiError> {
    let response = Request::post(&format!("{API_BASE}/maps"))
        .json(&body)
        .map_err(|e| ApiError::Network(e.to_string()))?
        .send()
        .await
        .map_err(network)?;
    decode(response).await
}

/// `GET /api/maps/{id}`: a map's metadata and the JSON view of its document.
pub async fn get_map(id: MapId) -> Result<MapDetail, ApiError> {
    let response = Request::get(&format!("{API_BASE}/maps/{id}"))
        .send()
        .await
        .map_err(network)?;
    decode(response).await
}

/// Turns a response into the expected body on 2xx, or into an [`ApiError`] otherwise.
async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|_| ApiError::Unexpected { status });
    }
    match response.json::<ErrorBody>().await {
        Ok(ErrorBody { code, message }) => Err(ApiError::Server {
            status,
            code,
            message,
        }),
        Err(_) => Err(ApiError::Unexpected { status }),
    }
}

fn network(error: gloo_net::Error) -> ApiError {
    ApiError::Network(error.to_string())
}
