//! The error every route returns: a status, a stable `code` and a human `message`,
//! rendered as the shared [`ErrorBody`]. Server faults are logged with their detail and
//! shown to the client only as "internal error".

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use parcours_shared::ErrorBody;

use crate::store::StoreError;
use crate::sync::RoomError;

/// A failed request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The input is wrong; the message says how.
    #[error("{message}")]
    Invalid {
        /// Stable machine code, e.g. `invalid_title`.
        code: &'static str,
        /// What was wrong, for a person.
        message: String,
    },
    /// No such resource.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A room failed to load.
    #[error(transparent)]
    Room(RoomError),
}

impl From<RoomError> for ApiError {
    fn from(e: RoomError) -> Self {
        match e {
            RoomError::NotFound => ApiError::NotFound("map"),
            other => ApiError::Room(other),
        }
    }
}

impl ApiError {
    /// A 422 with a code and message.
    pub fn invalid(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Invalid {
            code,
            message: message.into(),
        }
    }

    /// The HTTP status for this error.
    pub fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Store(_) | ApiError::Room(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn body(&self) -> ErrorBody {
        let (code, message) = match self {
            ApiError::Invalid { code, message } => (*code, message.clone()),
            ApiError::NotFound(what) => ("not_found", format!("{what} not found")),
            ApiError::Store(_) | ApiError::Room(_) => ("internal", "internal error".to_owned()),
        };
        ErrorBody {
            code: code.to_owned(),
            message,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status_code().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        (self.status_code(), Json(self.body())).into_response()
    }
}

/// A JSON error response outside the `ApiError` cases (bad JSON bodies and the like).
pub fn error_response(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let body = ErrorBody {
        code: code.to_owned(),
        message: message.into(),
    };
    (status, Json(body)).into_response()
}
