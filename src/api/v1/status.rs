//! `GET /api/v1/status` (reference 000 `ApiStatus`).

use actix_web::{HttpResponse, web as aw};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{domain::time::stamp, state::AppState};

/// Reference 000 `ApiStatus`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiStatus {
    #[schema(example = "ok")]
    pub status: String,
    #[schema(example = "v1")]
    pub api_version: String,
    #[schema(format = DateTime)]
    pub time: String,
    pub maintenance_mode: bool,
}

/// API health and version.
#[utoipa::path(
    get,
    path = "/api/v1/status",
    tag = "Developers",
    operation_id = "apiStatus",
    security(()),
    responses((status = 200, description = "API status", body = ApiStatus))
)]
pub async fn status(state: aw::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(ApiStatus {
        status: "ok".into(),
        api_version: "v1".into(),
        time: stamp(state.now()),
        maintenance_mode: state.config.maintenance_mode,
    })
}
