//! A service's label: read it and set it.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::{ApiPrincipal, Meta, client_ident};
use crate::{
    error::{ApiError, AppError},
    service::services::service_actions,
    state::AppState,
};

use super::views::{ServiceResponse, service_view};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LabelBody {
    #[serde(default)]
    pub label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LabelResponse {
    pub data: LabelBody,
}

/// The service's label (reference 001 `GET /service/{id}/label`).
#[utoipa::path(get, path = "/api/v1/clients/{client}/services/{service}/label", tag = "Services", operation_id = "getServiceLabel",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("service" = String, Path, description = "Service id or uuid")),
    responses((status = 200, body = LabelResponse), (status = 404, body = ApiError)))]
pub async fn label(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, service) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let r = state
        .db
        .run(move |db| service_actions::get(db, &who.0, &ident, &service))
        .await?;
    Ok(HttpResponse::Ok().json(LabelResponse {
        data: LabelBody {
            label: r.service.label.unwrap_or_default(),
        },
    }))
}

/// Set the service's label; an empty label clears it.
#[utoipa::path(put, path = "/api/v1/clients/{client}/services/{service}/label", tag = "Services", operation_id = "setServiceLabel",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("service" = String, Path, description = "Service id or uuid")),
    request_body = LabelBody,
    responses((status = 200, body = ServiceResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn set_label(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String)>,
    body: aw::Json<LabelBody>,
) -> Result<HttpResponse, AppError> {
    let (client, service) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let now = state.now();
    let r = state
        .db
        .run(move |db| {
            service_actions::set_label(db, &who.0, &ident, &service, &body.label, &meta.0, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(ServiceResponse {
        data: service_view(&r),
    }))
}
