//! The JSON API. One tree: `v1/` (reference 000's client resources),
//! `v1/staff/` (reference 002's staff resources), `v1/views/` (the JSON
//! shapes both answer in), and `compat/` for other billing systems'
//! dialects, each a mapping onto the same service functions. `extract/`
//! reads what every handler needs from a request (who is asking, the
//! client named, the `Idempotency-Key`, pagination, amounts); `routes.rs`
//! and `openapi.rs` list every operation once. Handlers extract, call one
//! service function, and serialize; rules live in `service/`.

pub mod compat;
pub mod docs;
pub mod extract;
pub mod health;
pub mod openapi;
pub mod routes;
pub mod v1;

use actix_web::{error::JsonPayloadError, web as aw};

use crate::error::{AppError, FieldErrors};

/// Every `/api` path that matches no route.
pub async fn route_not_found() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::RouteNotFound)
}

/// A known path asked with a method it does not serve.
pub async fn method_not_allowed() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::MethodNotAllowed)
}

/// Query strings that do not parse are a 422 naming the problem.
pub fn query_config() -> aw::QueryConfig {
    aw::QueryConfig::default()
        .error_handler(|err, _req| AppError::invalid("query", err.to_string()).into())
}

/// JSON bodies: size limit, content type, and errors in till's envelope.
pub fn json_config(limit: usize) -> aw::JsonConfig {
    aw::JsonConfig::default()
        .limit(limit)
        .error_handler(|err, _req| json_error(err).into())
}

/// Map a JSON body problem to its status: too big 413, not JSON 415,
/// unparseable 400, parseable but wrong in shape 422 naming the field.
pub fn json_error(err: JsonPayloadError) -> AppError {
    match err {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            AppError::PayloadTooLarge
        }
        JsonPayloadError::ContentType => AppError::UnsupportedMediaType,
        JsonPayloadError::Deserialize(e) if e.is_data() => {
            let message = e.to_string();
            let field = message
                .split('`')
                .nth(1)
                .filter(|_| {
                    message.starts_with("missing field") || message.starts_with("unknown field")
                })
                .unwrap_or("body")
                .to_string();
            let mut errors = FieldErrors::new();
            errors.insert(field, vec![strip_position(&message)]);
            AppError::Validation(errors)
        }
        JsonPayloadError::Deserialize(e) => AppError::BadRequest(format!(
            "Malformed JSON: {}",
            strip_position(&e.to_string())
        )),
        other => AppError::BadRequest(other.to_string()),
    }
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deserialize_error(body: &str) -> JsonPayloadError {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Login {
            email: String,
        }
        JsonPayloadError::Deserialize(serde_json::from_str::<Login>(body).unwrap_err())
    }

    #[test]
    fn malformed_json_is_a_400() {
        let err = json_error(deserialize_error("{\"email\": "));
        assert_eq!(err.code(), "bad_request");
        assert_eq!(err.status().as_u16(), 400);
    }

    #[test]
    fn well_formed_json_of_the_wrong_shape_is_a_422_naming_the_field() {
        let err = json_error(deserialize_error("{}"));
        assert_eq!(err.status().as_u16(), 422);
        let body = err.body();
        assert!(body.errors.unwrap().contains_key("email"));
    }

    #[test]
    fn size_and_content_type_problems_have_their_own_statuses() {
        assert_eq!(
            json_error(JsonPayloadError::Overflow { limit: 10 })
                .status()
                .as_u16(),
            413
        );
        assert_eq!(
            json_error(JsonPayloadError::ContentType).status().as_u16(),
            415
        );
    }
}
