//! The one error type that crosses the server-function and API boundary.
//!
//! Use [`AppError`] in every server function and API handler. Its variants are what a user or a
//! calling system can act on; database and I/O failures become [`AppError::Internal`], which is
//! logged on the server in full and reaches the client only as a generic message.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// A problem with one input field, shown next to that field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's name, as in the form or the API parameter.
    pub field: String,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

impl FieldError {
    /// A problem with `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Typed text, trimmed, with a problem added to `errors` when it is required but empty or longer
/// than `max` characters: the one length check of every form.
pub fn checked_text(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    max: usize,
    required: bool,
) -> String {
    let value = value.trim();
    if required && value.is_empty() {
        errors.push(FieldError::new(field, "is required"));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    value.to_string()
}

/// Everything that can go wrong in a request, as the client sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist (or the caller may not know it exists).
    #[error("{0} not found")]
    NotFound(String),
    /// The caller is not signed in.
    #[error("sign in required")]
    Unauthorized,
    /// The caller is signed in but may not do this.
    #[error("not allowed")]
    Forbidden,
    /// The input was refused; nothing was changed.
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// The change is based on stale data or collides with existing data; nothing was changed.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The record changed after the form was opened, so nothing was saved: `since` lists what the
    /// others changed (newest first) and `current_revision` is what a new save must be based on.
    #[error("changed by someone else since it was opened")]
    Stale {
        /// The record's revision now.
        current_revision: i64,
        /// The revisions saved after the one the form was based on, newest first.
        since: Vec<crate::revisions::model::Revision>,
    },
    /// Something failed on the server; details are in the server log, never in the response.
    #[error("something went wrong on the server")]
    Internal,
}

impl AppError {
    /// A validation error for a single field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    /// The HTTP status this error answers with.
    pub fn status_code(&self) -> u16 {
        match self {
            Self::NotFound(_) => 404,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::Validation(_) => 400,
            Self::Conflict(_) | Self::Stale { .. } => 409,
            Self::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Malformed arguments are the caller's problem, not the server's.
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::Deserialization(message) => {
                Self::invalid("request", message)
            }
            ServerFnErrorErr::MissingArg(arg) => Self::invalid(arg, "is required"),
            other => {
                // Logged where there is a log (the server); the client only learns it failed.
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failed");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                Self::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => Self::NotFound("record".into()),
            other => {
                tracing::error!(error = %other, "database error");
                Self::Internal
            }
        }
    }
}

/// The result type of server functions and API handlers.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_answers_with_the_status_a_client_can_act_on() {
        assert_eq!(AppError::NotFound("account".into()).status_code(), 404);
        assert_eq!(AppError::Unauthorized.status_code(), 401);
        assert_eq!(AppError::Forbidden.status_code(), 403);
        assert_eq!(AppError::invalid("q", "too long").status_code(), 400);
        assert_eq!(AppError::Conflict("stale".into()).status_code(), 409);
        assert_eq!(AppError::Internal.status_code(), 500);
    }

    #[test]
    fn internal_errors_never_carry_server_details_to_the_client() {
        let error = AppError::from_server_fn_error(ServerFnErrorErr::ServerError(
            "no such table: accounts".into(),
        ));
        assert_eq!(error, AppError::Internal);
        assert!(!error.to_string().contains("accounts"));
    }
}
