//! The OpenAPI 3 document, generated from the handlers' annotations and
//! served at `/api/v1/openapi.json`.

use actix_web::{HttpResponse, web as aw};
use utoipa::OpenApi;

use super::status;
use crate::error::ApiError;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "till API",
        description = "Hosting billing and client area. Client routes follow the shapes of the \
                       reference client API; staff routes use API keys.",
    ),
    paths(status::status, openapi_json),
    components(schemas(ApiError, status::ApiStatus)),
    tags(
        (name = "Developers", description = "API status and documentation"),
    )
)]
struct ApiDoc;

/// The document, built once at start-up and shared by every worker.
pub struct ApiDocument {
    json: String,
}

impl ApiDocument {
    pub fn build() -> Self {
        Self {
            json: document().to_json().unwrap_or_else(|_| "{}".into()),
        }
    }
}

/// The OpenAPI document as a value (tests walk it).
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc
}

/// This API's OpenAPI 3 document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "Developers",
    operation_id = "openApiDocument",
    security(()),
    responses((status = 200, description = "OpenAPI 3 document", content_type = "application/json"))
)]
pub async fn openapi_json(doc: aw::Data<ApiDocument>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.json.clone())
}
