//! One error type for the whole application.
//!
//! Variants say what went wrong; `AppError::status` and `AppError::code` are
//! the one place that maps them to HTTP. API handlers return `AppError`
//! (rendered as reference 000's `ApiError` plus a stable `code`); page
//! handlers return `PageError`, the same error rendered as an HTML page.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, ResponseError, http::StatusCode};
use serde::Serialize;

/// Field name -> messages, as in reference 000's `ApiError.errors`.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("Not found")]
    NotFound,
    #[error("No route matches this path")]
    RouteNotFound,
    #[error("Method not allowed")]
    MethodNotAllowed,
    #[error("{0}")]
    BadRequest(String),
    #[error("Unauthenticated")]
    Unauthenticated,
    #[error("The email or password is incorrect")]
    InvalidCredentials,
    #[error("A second factor is required")]
    SecondFactorRequired,
    #[error("The authentication code is invalid or was already used")]
    InvalidSecondFactor,
    #[error("Forbidden")]
    Forbidden,
    #[error(
        "This form has expired or did not come from this site. Go back, reload the page and try again."
    )]
    CsrfRejected,
    #[error("The given data was invalid")]
    Validation(FieldErrors),
    #[error("{0}")]
    Conflict(String),
    #[error("Request body is too large")]
    PayloadTooLarge,
    /// An uploaded file over its limit; the errors name it.
    #[error("An uploaded file is too large")]
    UploadTooLarge(FieldErrors),
    #[error("Unsupported content type: send application/json")]
    UnsupportedMediaType,
    #[error("Too many requests")]
    RateLimited { retry_after_secs: u64 },
    #[error("{0}")]
    Unavailable(String),
    /// Too much password hashing queued already: try again shortly.
    #[error("The server is busy; please try again in a moment")]
    Busy { retry_after_secs: u64 },
    /// A payment gateway did not do what we asked (its words, no secrets).
    #[error("The payment gateway refused or did not answer: {0}")]
    BadGateway(String),
    #[error("till is in maintenance mode; please try again shortly")]
    Maintenance,
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("database pool error: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

/// Reference 000's `ApiError` with till's stable `code`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiError {
    pub message: String,
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<FieldErrors>,
    /// Present when a second factor is required (reference 003
    /// `SecondFactorChallenge`).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<SecondFactorChallenge>,
}

/// Reference 003's `SecondFactorChallenge`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SecondFactorChallenge {
    /// Always `twofa`.
    pub condition: &'static str,
    pub fields: Vec<TwoFaField>,
}

/// Reference 003's `TwoFaField`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TwoFaField {
    pub name: &'static str,
    pub description: &'static str,
    /// `number` or `text`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

impl AppError {
    /// A validation error on one field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.insert(field.to_string(), vec![message.into()]);
        AppError::Validation(errors)
    }

    pub fn internal(message: impl std::fmt::Display) -> Self {
        AppError::Internal(message.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound | AppError::RouteNotFound => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthenticated
            | AppError::InvalidCredentials
            | AppError::SecondFactorRequired
            | AppError::InvalidSecondFactor => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::CsrfRejected => StatusCode::FORBIDDEN,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge | AppError::UploadTooLarge(_) => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) | AppError::Maintenance | AppError::Busy { .. } => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            AppError::BadGateway(_) => StatusCode::BAD_GATEWAY,
            AppError::Database(_) | AppError::Pool(_) | AppError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// The stable, machine-readable code clients branch on.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::RouteNotFound => "route_not_found",
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::BadRequest(_) => "bad_request",
            AppError::Unauthenticated => "unauthenticated",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::SecondFactorRequired => "second_factor_required",
            AppError::InvalidSecondFactor => "invalid_second_factor",
            AppError::Forbidden => "forbidden",
            AppError::CsrfRejected => "csrf_rejected",
            AppError::Validation(_) => "validation_failed",
            AppError::Conflict(_) => "conflict",
            AppError::PayloadTooLarge | AppError::UploadTooLarge(_) => "payload_too_large",
            AppError::UnsupportedMediaType => "unsupported_media_type",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Unavailable(_) => "unavailable",
            AppError::Busy { .. } => "busy",
            AppError::BadGateway(_) => "gateway_error",
            AppError::Maintenance => "maintenance_mode",
            AppError::Database(_) | AppError::Pool(_) | AppError::Internal(_) => "internal_error",
        }
    }

    /// What the caller is told. Internal details stay in the log.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Database(_) | AppError::Pool(_) | AppError::Internal(_) => {
                "Internal server error".to_string()
            }
            other => other.to_string(),
        }
    }

    pub fn body(&self) -> ApiError {
        ApiError {
            message: self.public_message(),
            code: self.code().to_string(),
            errors: match self {
                AppError::Validation(errors) | AppError::UploadTooLarge(errors) => {
                    Some(errors.clone())
                }
                _ => None,
            },
            challenge: matches!(self, AppError::SecondFactorRequired).then(|| {
                SecondFactorChallenge {
                    condition: "twofa",
                    fields: vec![TwoFaField {
                        name: "totp_code",
                        description: "Code from your authenticator app, or a recovery code",
                        kind: "text",
                    }],
                }
            }),
        }
    }

    /// Seconds a caller should wait before trying again, if that is known.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::RateLimited { retry_after_secs } | AppError::Busy { retry_after_secs } => {
                Some(*retry_after_secs)
            }
            _ => None,
        }
    }

    pub fn log(&self) {
        if self.status().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.log();
        let mut response = HttpResponse::build(self.status());
        if let Some(secs) = self.retry_after() {
            response.insert_header(("Retry-After", secs.to_string()));
        }
        if self.status() == StatusCode::UNAUTHORIZED {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        response.json(self.body())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_details_are_not_shown_to_callers() {
        let err = AppError::internal("disk /dev/vda on fire");
        assert_eq!(err.public_message(), "Internal server error");
        assert_eq!(err.code(), "internal_error");
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn validation_errors_carry_their_fields() {
        let body = AppError::invalid("email", "is required").body();
        assert_eq!(body.code, "validation_failed");
        assert_eq!(body.errors.unwrap()["email"], vec!["is required"]);
    }
}
