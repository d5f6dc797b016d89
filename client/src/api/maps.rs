//! The maps the caller can see, and one map.

use gloo_net::http::Request;
use parcours_shared::api::{CreateMap, MapDetail, MapList, MapSummary};
use parcours_shared::MapId;

use super::{fetch, fetch_json, ApiError, API_BASE};
use crate::route::percent_encode;

/// `GET /api/maps`: every map the caller is a member of, with the caller's role.
pub async fn list_maps() -> Result<MapList, ApiError> {
    fetch(Request::get(&format!("{API_BASE}/maps"))).await
}

/// `POST /api/maps` (answers 201): creates a map (the caller owns it) and returns its summary.
pub async fn create_map(body: CreateMap) -> Result<MapSummary, ApiError> {
    fetch_json(Request::post(&format!("{API_BASE}/maps")), &body).await
}

/// `GET /api/maps/{id}`: a map's metadata and the JSON view of its document. `link` is
/// the token of a public share link, for visitors who are not members (or not signed in).
pub async fn get_map(id: MapId, link: Option<String>) -> Result<MapDetail, ApiError> {
    let url = match link {
        Some(link) => format!("{API_BASE}/maps/{id}?link={}", percent_encode(&link)),
        None => format!("{API_BASE}/maps/{id}"),
    };
    fetch(Request::get(&url)).await
}
