//! A map's version history (`/api/maps/{id}/versions`, `/history`, `/diff`, `/restore`,
//! `/since-last-visit`): members of any role read it, editors and owners name versions
//! and restore. Public links are refused (the page does not offer history to them).

use gloo_net::http::Request;
use parcours_shared::api::{
    ElementHistory, Moments, NewVersion, PastView, Restore, Restored, SinceLastVisit, Version,
    VersionDiff, VersionList,
};
use parcours_shared::MapId;

use super::{fetch, fetch_json, ApiError, API_BASE};
use crate::route::percent_encode;

/// `GET /api/maps/{id}/versions`: every version, newest first, and where history starts.
pub async fn versions(map: MapId) -> Result<VersionList, ApiError> {
    fetch(Request::get(&format!("{API_BASE}/maps/{map}/versions"))).await
}

/// `POST /api/maps/{id}/versions` (editors and owners; answers 201): names the map as
/// it is now.
pub async fn name_version(map: MapId, name: String) -> Result<Version, ApiError> {
    fetch_json(
        Request::post(&format!("{API_BASE}/maps/{map}/versions")),
        &NewVersion { name },
    )
    .await
}

/// `GET /api/maps/{id}/versions/{v}/view`: the map as it was at a version.
pub async fn version_view(map: MapId, version: String) -> Result<PastView, ApiError> {
    let url = format!(
        "{API_BASE}/maps/{map}/versions/{}/view",
        percent_encode(&version)
    );
    fetch(Request::get(&url)).await
}

/// `GET /api/maps/{id}/history/view?at=`: the map as it was at a moment (ms).
pub async fn moment_view(map: MapId, at: i64) -> Result<PastView, ApiError> {
    fetch(Request::get(&format!(
        "{API_BASE}/maps/{map}/history/view?at={at}"
    )))
    .await
}

/// `GET /api/maps/{id}/history/moments`: the changes of the last 24 hours, oldest
/// first (the stops of the history slider).
pub async fn moments(map: MapId) -> Result<Moments, ApiError> {
    fetch(Request::get(&format!(
        "{API_BASE}/maps/{map}/history/moments"
    )))
    .await
}

/// `GET /api/maps/{id}/diff?from=&to=`: what changed from one point to another; a
/// point is a version id or a moment (ms); `to` `None` is the live map.
pub async fn diff(map: MapId, from: String, to: Option<String>) -> Result<VersionDiff, ApiError> {
    let mut url = format!("{API_BASE}/maps/{map}/diff?from={}", percent_encode(&from));
    if let Some(to) = to {
        url.push_str(&format!("&to={}", percent_encode(&to)));
    }
    fetch(Request::get(&url)).await
}

/// `GET /api/maps/{id}/history?element=`: one element's changes, oldest first.
pub async fn element_history(map: MapId, element: String) -> Result<ElementHistory, ApiError> {
    let url = format!(
        "{API_BASE}/maps/{map}/history?element={}",
        percent_encode(&element)
    );
    fetch(Request::get(&url)).await
}

/// `POST /api/maps/{id}/restore` (editors and owners): brings back a version or a
/// moment, whole or one element of it, as a change everyone receives live.
pub async fn restore(map: MapId, body: Restore) -> Result<Restored, ApiError> {
    fetch_json(
        Request::post(&format!("{API_BASE}/maps/{map}/restore")),
        &body,
    )
    .await
}

/// `GET /api/maps/{id}/since-last-visit` (members): what others changed since the
/// caller's last visit; the call records this visit.
pub async fn since_last_visit(map: MapId) -> Result<SinceLastVisit, ApiError> {
    fetch(Request::get(&format!(
        "{API_BASE}/maps/{map}/since-last-visit"
    )))
    .await
}
