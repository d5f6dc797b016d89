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
    /// No valid session: missing, expired, forged or revoked credentials.
    #[error("sign in required")]
    Unauthorized,
    /// Signed in, but this account may not do this.
    #[error("{0}")]
    Forbidden(&'static str),
    /// The request conflicts with the current state.
    #[error("{message}")]
    Conflict {
        /// Stable machine code, e.g. `email_taken`.
        code: &'static str,
        /// What conflicts, for a person.
        message: String,
    },
    /// Sign-up is by invitation only and this email has none.
    #[error("sign-up is by invitation only")]
    SignupClosed,
    /// Wrong email or password.
    #[error("wrong email or password")]
    InvalidCredentials,
    /// Too many attempts; try again later.
    #[error("too many attempts; try again later")]
    TooManyAttempts,
    /// Too many of something at once (sockets, streams, password checks); the message
    /// says what.
    #[error("{message}")]
    TooMany {
        /// Stable machine code, e.g. `busy`.
        code: &'static str,
        /// What there is too much of, for a person.
        message: String,
    },
    /// The upload or its content is over a limit (413).
    #[error("{message}")]
    TooLarge {
        /// Stable machine code, e.g. `too_large`.
        code: &'static str,
        /// What is too large, for a person.
        message: String,
    },
    /// What was asked for existed once but is no longer kept.
    #[error("{message}")]
    Gone {
        /// Stable machine code, e.g. `before_history`.
        code: &'static str,
        /// What is gone, for a person.
        message: String,
    },
    /// The database failed.
    #[error(transparent)]
    Store(StoreError),
    /// A room failed to load.
    #[error(transparent)]
    Room(RoomError),
    /// Anything else that is the server's fault (logged, never shown).
    #[error("internal: {0}")]
    Internal(String),
}

impl From<crate::auth::HashError> for ApiError {
    fn from(e: crate::auth::HashError) -> ApiError {
        match e {
            crate::auth::HashError::Busy => ApiError::TooMany {
                code: "busy",
                message: e.to_string(),
            },
            crate::auth::HashError::Failed(m) => ApiError::Internal(m),
        }
    }
}

impl ApiError {
    /// A 409 with a code and message.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Conflict {
            code,
            message: message.into(),
        }
    }
}

impl From<RoomError> for ApiError {
    fn from(e: RoomError) -> Self {
        match e {
            RoomError::NotFound => ApiError::NotFound("map"),
            RoomError::Busy => ApiError::TooMany {
                code: "busy",
                message: RoomError::Busy.to_string(),
            },
            RoomError::Refused { code, message } => ApiError::Conflict { code, message },
            other => ApiError::Room(other),
        }
    }
}

impl From<crate::history::HistoryError> for ApiError {
    fn from(e: crate::history::HistoryError) -> Self {
        use crate::history::HistoryError;
        match e {
            HistoryError::BeforeHistory => ApiError::Gone {
                code: "before_history",
                message: e.to_string(),
            },
            HistoryError::Store(e) => e.into(),
            HistoryError::Corrupt(m) => ApiError::Internal(m),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::LastOwner => {
                ApiError::conflict("last_owner", "a map must keep at least one owner")
            }
            StoreError::Duplicate => ApiError::conflict("duplicate", "already exists"),
            StoreError::NotAllowed => ApiError::SignupClosed,
            StoreError::Gone => ApiError::NotFound("invitation"),
            other => ApiError::Store(other),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        ApiError::Internal(e.to_string())
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
            ApiError::Unauthorized | ApiError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) | ApiError::SignupClosed => StatusCode::FORBIDDEN,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::Gone { .. } => StatusCode::GONE,
            ApiError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::TooManyAttempts | ApiError::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Store(_) | ApiError::Room(_) | ApiError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    fn body(&self) -> ErrorBody {
        let (code, message) = match self {
            ApiError::Invalid { code, message } => (*code, message.clone()),
            ApiError::NotFound(what) => ("not_found", format!("{what} not found")),
            ApiError::Unauthorized => (
                "unauthorized",
                "sign in required (the session is missing, expired or revoked)".to_owned(),
            ),
            ApiError::Forbidden(why) => ("forbidden", (*why).to_owned()),
            ApiError::InvalidCredentials => {
                ("invalid_credentials", "wrong email or password".to_owned())
            }
            ApiError::SignupClosed => (
                "signup_closed",
                "sign-up is by invitation only on this server; ask a map owner to invite you"
                    .to_owned(),
            ),
            ApiError::Conflict { code, message }
            | ApiError::Gone { code, message }
            | ApiError::TooLarge { code, message } => (*code, message.clone()),
            ApiError::TooManyAttempts => (
                "too_many_attempts",
                "too many attempts; try again in 15 minutes".to_owned(),
            ),
            ApiError::TooMany { code, message } => (*code, message.clone()),
            ApiError::Store(_) | ApiError::Room(_) | ApiError::Internal(_) => {
                ("internal", "internal error".to_owned())
            }
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
        let body = self.body();
        let mut response = (self.status_code(), Json(body.clone())).into_response();
        // For `locale::localize_errors`, which words the message in the reader's language.
        response.extensions_mut().insert(body);
        response
    }
}

/// A JSON error response outside the `ApiError` cases (bad JSON bodies and the like).
pub fn error_response(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let body = ErrorBody {
        code: code.to_owned(),
        message: message.into(),
    };
    let mut response = (status, Json(body.clone())).into_response();
    response.extensions_mut().insert(body);
    response
}
