//! The service list and one service, and manual service records:
//! create and update.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::api::{
    extract::pagination::{PageQuery, paginate},
    extract::{ApiStaff, Meta},
};
use crate::{
    error::{ApiError, AppError},
    service::services::service_records::{self, ServiceInput},
    state::AppState,
};

use super::views::{ServiceList, ServiceResponse, view};

#[derive(Debug, Deserialize, IntoParams)]
pub struct ServiceFilter {
    /// Only this client's services.
    pub client_id: Option<i64>,
    /// pending, active, suspended, terminated or cancelled.
    pub status: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Services, newest first (needs `services:read`).
#[utoipa::path(get, path = "/api/v1/services", tag = "Staff provisioning", operation_id = "listServices",
    security(("bearerAuth" = [])), params(ServiceFilter),
    responses((status = 200, body = ServiceList), (status = 403, body = ApiError)))]
pub async fn list(
    req: HttpRequest,
    state: aw::Data<AppState>,
    staff: ApiStaff,
    q: aw::Query<ServiceFilter>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request()?;
    let (client, status) = (q.client_id, q.status);
    let (limit, offset) = (page.per_page, page.offset());
    let (rows, total) = state
        .db
        .run(move |db| {
            service_records::list(db, &staff.0, client, status.as_deref(), limit, offset)
        })
        .await?;
    let data = rows.iter().map(|s| view(s, None)).collect();
    Ok(HttpResponse::Ok().json(paginate(&req, data, page, total)))
}

/// One service with its module tasks (needs `services:read`).
#[utoipa::path(get, path = "/api/v1/services/{service}", tag = "Staff provisioning", operation_id = "getService",
    security(("bearerAuth" = [])), params(("service" = String, Path, description = "Service id or uuid")),
    responses((status = 200, body = ServiceResponse), (status = 404, body = ApiError)))]
pub async fn get(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let (s, tasks) = state
        .db
        .run(move |db| service_records::get(db, &staff.0, &ident))
        .await?;
    Ok(HttpResponse::Ok().json(ServiceResponse {
        success: true,
        data: view(&s, Some(&tasks)),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceRequest {
    pub client_id: i64,
    /// Product id, uuid or slug.
    pub product: String,
    pub billing_cycle: String,
    /// The renewal amount in minor units.
    #[serde(default)]
    pub recurring_amount_minor: i64,
    /// Defaults to the client's currency.
    pub currency: Option<String>,
    /// pending, active, suspended, terminated or cancelled (default active).
    pub status: Option<String>,
    pub domain: Option<String>,
    pub registration_date: Option<String>,
    pub next_due_date: Option<String>,
    pub username: Option<String>,
    pub server_id: Option<i64>,
}

impl From<ServiceRequest> for ServiceInput {
    fn from(r: ServiceRequest) -> Self {
        ServiceInput {
            client_id: r.client_id,
            product: r.product,
            billing_cycle: r.billing_cycle,
            recurring_amount_minor: r.recurring_amount_minor,
            currency: r.currency,
            status: r.status.unwrap_or_else(|| "active".into()),
            domain: r.domain,
            registration_date: r.registration_date,
            next_due_date: r.next_due_date,
            username: r.username,
            server_id: r.server_id,
        }
    }
}

/// Record a service by hand; no module is called (needs `services:write`).
#[utoipa::path(post, path = "/api/v1/services", tag = "Staff provisioning", operation_id = "createService",
    security(("bearerAuth" = [])), request_body = ServiceRequest,
    responses((status = 201, body = ServiceResponse), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<ServiceRequest>,
) -> Result<HttpResponse, AppError> {
    let input = ServiceInput::from(body.into_inner());
    let now = state.now();
    let s = state
        .db
        .run(move |db| service_records::create(db, &staff.0, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Created().json(ServiceResponse {
        success: true,
        data: view(&s, None),
    }))
}

/// Change a service record by hand; no module is called (needs `services:write`).
#[utoipa::path(put, path = "/api/v1/services/{service}", tag = "Staff provisioning", operation_id = "updateService",
    security(("bearerAuth" = [])), params(("service" = String, Path, description = "Service id or uuid")),
    request_body = ServiceRequest,
    responses((status = 200, body = ServiceResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<ServiceRequest>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let input = ServiceInput::from(body.into_inner());
    let now = state.now();
    let s = state
        .db
        .run(move |db| service_records::update(db, &staff.0, &ident, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(ServiceResponse {
        success: true,
        data: view(&s, None),
    }))
}
