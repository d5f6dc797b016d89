//! Customer evidence on a map (`/api/maps/{id}/datasets…`): members read the imported
//! event logs and their analysis; editors and owners preview, import, map and delete.
//! Public links are refused (the page offers no evidence through one).

use gloo_net::http::Request;
use parcours_shared::api::{
    AnalysisFilter, ColumnMapping, Dataset, DatasetList, DatasetMapping, DatasetPreview,
};
use parcours_shared::MapId;

use super::{decode, fetch, fetch_json, fetch_no_content, network, ours, ApiError};
use super::{OnUnauthorized, API_BASE};
use crate::route::percent_encode;

/// How an import reads its file, beyond the columns: the name, the delimiter and the
/// most bad rows it tolerates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportSettings {
    /// The dataset's name.
    pub name: String,
    /// The columns (header names) and the timestamp format (`auto` when `None`).
    pub columns: ColumnMapping,
    /// `,`, `;`, `|` or a tab.
    pub delimiter: String,
    /// More bad rows than this stops the import.
    pub max_bad_rows: u64,
}

/// `GET /api/maps/{id}/datasets`: the map's event logs, newest first.
pub async fn datasets(map: MapId) -> Result<DatasetList, ApiError> {
    fetch(Request::get(&format!("{API_BASE}/maps/{map}/datasets"))).await
}

/// `GET /api/maps/{id}/datasets/{d}`: one event log, with its activities and mapping.
pub async fn dataset(map: MapId, dataset: String) -> Result<Dataset, ApiError> {
    fetch(Request::get(&dataset_url(&map, &dataset))).await
}

/// `POST /api/maps/{id}/datasets/preview` (editors): how the start of a file reads.
/// `head` is the file's first bytes (a `Blob` sliced from the chosen file).
pub async fn preview(map: MapId, head: web_sys::Blob) -> Result<DatasetPreview, ApiError> {
    let request = ours(Request::post(&format!(
        "{API_BASE}/maps/{map}/datasets/preview"
    )))
    .header("Content-Type", "text/csv")
    .body(head)
    .map_err(|e| ApiError::Network(e.to_string()))?;
    let response = request.send().await.map_err(network)?;
    decode(response, OnUnauthorized::Report).await
}

/// `POST /api/maps/{id}/datasets?…` (editors; answers 201 when the import is done): the
/// whole file as the body. Progress arrives meanwhile on the map's event stream.
pub async fn import(
    map: MapId,
    file: web_sys::File,
    settings: &ImportSettings,
) -> Result<Dataset, ApiError> {
    let request = ours(Request::post(&import_url(&map, settings)))
        .header("Content-Type", "text/csv")
        .body(file)
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let response = request.send().await.map_err(network)?;
    decode(response, OnUnauthorized::Report).await
}

/// `DELETE /api/maps/{id}/datasets/{d}` (editors).
pub async fn delete(map: MapId, dataset: String) -> Result<(), ApiError> {
    fetch_no_content::<()>(Request::delete(&dataset_url(&map, &dataset)), None).await
}

/// `PUT /api/maps/{id}/datasets/{d}/mapping` (editors): replaces the mapping; every
/// reader is told on the map's event stream.
pub async fn set_mapping(
    map: MapId,
    dataset: String,
    mapping: &DatasetMapping,
) -> Result<Dataset, ApiError> {
    fetch_json(
        Request::put(&format!("{}/mapping", dataset_url(&map, &dataset))),
        mapping,
    )
    .await
}

/// `GET /api/maps/{id}/datasets/{d}/analysis?from=&to=&segment=`: what the log says
/// about the journey, for the cases the filter keeps.
pub async fn analysis(
    map: MapId,
    dataset: String,
    filter: &AnalysisFilter,
) -> Result<parcours_shared::api::Analysis, ApiError> {
    let mut query = Vec::new();
    if let Some(from) = filter.from {
        query.push(format!("from={from}"));
    }
    if let Some(to) = filter.to {
        query.push(format!("to={to}"));
    }
    if let Some(segment) = filter.segment.as_deref().filter(|s| !s.is_empty()) {
        query.push(format!("segment={}", percent_encode(segment)));
    }
    let mut url = format!("{}/analysis", dataset_url(&map, &dataset));
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query.join("&"));
    }
    fetch(Request::get(&url)).await
}

fn dataset_url(map: &MapId, dataset: &str) -> String {
    format!("{API_BASE}/maps/{map}/datasets/{}", percent_encode(dataset))
}

/// The import's URL: the file's reading instructions go in the query.
fn import_url(map: &MapId, s: &ImportSettings) -> String {
    let c = &s.columns;
    let mut query = vec![
        ("name", s.name.clone()),
        ("case_id", c.case_id.clone()),
        ("activity", c.activity.clone()),
        ("timestamp", c.timestamp.clone()),
        (
            "timestamp_format",
            c.timestamp_format.clone().unwrap_or_else(|| "auto".into()),
        ),
        ("delimiter", s.delimiter.clone()),
        ("max_bad_rows", s.max_bad_rows.to_string()),
    ];
    for (key, column) in [
        ("channel", &c.channel),
        ("segment", &c.segment),
        ("value", &c.value),
    ] {
        if let Some(column) = column.as_ref().filter(|c| !c.is_empty()) {
            query.push((key, column.clone()));
        }
    }
    let query = query
        .iter()
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    format!("{API_BASE}/maps/{map}/datasets?{query}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_import_url_names_every_chosen_column_and_skips_the_empty_ones() {
        let settings = ImportSettings {
            name: "Bank log".into(),
            columns: ColumnMapping {
                case_id: "case id".into(),
                activity: "activity".into(),
                timestamp: "time".into(),
                channel: Some("channel".into()),
                segment: Some(String::new()),
                value: None,
                timestamp_format: None,
            },
            delimiter: "\t".into(),
            max_bad_rows: 50,
        };
        let map = MapId("abcdefghijklmnop".into());
        assert_eq!(
            import_url(&map, &settings),
            "/api/maps/abcdefghijklmnop/datasets?name=Bank%20log&case_id=case%20id&activity=activity\
             &timestamp=time&timestamp_format=auto&delimiter=%09&max_bad_rows=50&channel=channel"
        );
    }
}
