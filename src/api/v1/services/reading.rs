//! Listing and reading a client's hosting accounts and services.

use actix_web::{HttpRequest, HttpResponse, web as aw};

use crate::api::extract::{ApiPrincipal, client_ident};
use crate::{
    error::{ApiError, AppError},
    service::services::service_actions,
    state::AppState,
};

use super::views::{
    HostingList, HostingResponse, ServiceList, ServiceResponse, hosting, service_view,
};

/// The client's hosting accounts (needs `services.full`).
#[utoipa::path(get, path = "/api/v1/clients/{client}/hosting", tag = "Services", operation_id = "listHostingAccounts",
    security(("bearerAuth" = [])), params(("client" = String, Path, description = "Client id or uuid")),
    responses((status = 200, body = HostingList), (status = 404, body = ApiError)))]
pub async fn hosting_list(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let rows = state
        .db
        .run(move |db| service_actions::list(db, &who.0, &ident))
        .await?;
    Ok(HttpResponse::Ok().json(HostingList {
        data: rows.iter().map(hosting).collect(),
    }))
}

/// One hosting account.
#[utoipa::path(get, path = "/api/v1/clients/{client}/hosting/{hostingAccount}", tag = "Services", operation_id = "getHostingAccount",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("hostingAccount" = String, Path, description = "Service id or uuid")),
    responses((status = 200, body = HostingResponse), (status = 404, body = ApiError)))]
pub async fn hosting_get(
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
    Ok(HttpResponse::Ok().json(HostingResponse { data: hosting(&r) }))
}

/// The client's services with their addons.
#[utoipa::path(get, path = "/api/v1/clients/{client}/services", tag = "Services", operation_id = "listServices",
    security(("bearerAuth" = [])), params(("client" = String, Path, description = "Client id or uuid")),
    responses((status = 200, body = ServiceList), (status = 404, body = ApiError)))]
pub async fn list(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let rows = state
        .db
        .run(move |db| service_actions::list(db, &who.0, &ident))
        .await?;
    Ok(HttpResponse::Ok().json(ServiceList {
        data: rows.iter().map(service_view).collect(),
    }))
}

/// One service in full.
#[utoipa::path(get, path = "/api/v1/clients/{client}/services/{service}", tag = "Services", operation_id = "getService",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("service" = String, Path, description = "Service id or uuid")),
    responses((status = 200, body = ServiceResponse), (status = 404, body = ApiError)))]
pub async fn get(
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
    Ok(HttpResponse::Ok().json(ServiceResponse {
        data: service_view(&r),
    }))
}
