//! Extractors and parsers every route module shares: JSON bodies whose rejection is
//! the API's own error body, and map ids from the path.

use axum::extract::{FromRequest, Request};
use axum::Json;
use parcours_shared::ids::MapId;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// `Json` whose rejection is our JSON error body.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(ApiError::invalid("invalid_body", rejection.body_text())),
        }
    }
}

/// A map id from the path; anything malformed is simply not found.
pub fn parse_id(id: &str) -> Result<MapId, ApiError> {
    MapId::parse(id).ok_or(ApiError::NotFound("map"))
}

/// A page size from a query parameter read as text: `default` when absent, 422
/// `invalid_limit` unless 1 to `max`.
pub fn page_limit(text: Option<&str>, default: i64, max: i64) -> Result<i64, ApiError> {
    match text {
        None => Ok(default),
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| ApiError::invalid("invalid_limit", format!("limit must be 1 to {max}"))),
    }
}
