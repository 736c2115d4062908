//! Keyed writes in v1: the `Idempotency-Key` header and the answer sent
//! (the fresh one, or the stored one replayed byte for byte; see
//! `service::idempotency`).

use actix_web::{HttpRequest, HttpResponse, http::StatusCode};

use crate::error::AppError;

/// The request's `Idempotency-Key` header, which keyed writes require.
pub fn idempotency_key(req: &HttpRequest) -> Result<String, AppError> {
    req.headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .ok_or_else(|| {
            AppError::invalid(
                "Idempotency-Key",
                "this request needs an Idempotency-Key header",
            )
        })
}

/// A keyed answer as the response: its status and its JSON body as stored.
pub fn respond((status, body): (u16, String)) -> Result<HttpResponse, AppError> {
    let status = StatusCode::from_u16(status).map_err(AppError::internal)?;
    Ok(HttpResponse::build(status)
        .content_type("application/json")
        .body(body))
}
