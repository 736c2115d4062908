//! Lifecycle actions queued as module tasks (202): provision, suspend,
//! unsuspend, terminate, change package.

use actix_web::{HttpResponse, web as aw};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::extract::{ApiStaff, Meta};
use crate::{
    domain::module_action::ModuleAction,
    error::{ApiError, AppError},
    service::services::service_records,
    state::AppState,
};

use super::views::{TaskResponse, TaskView};

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    /// Why (suspend: shown to the panel as the suspension reason).
    pub reason: Option<String>,
    /// change-package: the new package (else the product's).
    pub package: Option<String>,
}

async fn queue(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    ident: String,
    action: ModuleAction,
    body: Option<aw::Json<ActionRequest>>,
) -> Result<HttpResponse, AppError> {
    let body = body.map(|b| b.into_inner()).unwrap_or_default();
    let mut payload = serde_json::Map::new();
    if let Some(r) = body.reason {
        payload.insert("reason".into(), r.into());
    }
    if let Some(p) = body.package {
        payload.insert("package".into(), p.into());
    }
    let now = state.now();
    let task = state
        .db
        .run(move |db| {
            service_records::request_action(
                db,
                &staff.0,
                &ident,
                action,
                serde_json::Value::Object(payload),
                &meta.0,
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Accepted().json(TaskResponse {
        success: true,
        data: TaskView::from(&task),
        message: format!("{} queued", action),
    }))
}

/// Create the service on its module (queued; needs `services:write`).
#[utoipa::path(post, path = "/api/v1/services/{service}/provision", tag = "Staff provisioning", operation_id = "provisionService",
    security(("bearerAuth" = [])), params(("service" = String, Path, description = "Service id or uuid")),
    request_body(content = Option<ActionRequest>),
    responses((status = 202, body = TaskResponse), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn provision(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: Option<aw::Json<ActionRequest>>,
) -> Result<HttpResponse, AppError> {
    queue(
        state,
        staff,
        meta,
        path.into_inner(),
        ModuleAction::Create,
        body,
    )
    .await
}

/// Suspend the service (queued; needs `services:write`).
#[utoipa::path(post, path = "/api/v1/services/{service}/suspend", tag = "Staff provisioning", operation_id = "suspendService",
    security(("bearerAuth" = [])), params(("service" = String, Path, description = "Service id or uuid")),
    request_body(content = Option<ActionRequest>),
    responses((status = 202, body = TaskResponse), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn suspend(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: Option<aw::Json<ActionRequest>>,
) -> Result<HttpResponse, AppError> {
    queue(
        state,
        staff,
        meta,
        path.into_inner(),
        ModuleAction::Suspend,
        body,
    )
    .await
}

/// Unsuspend the service (queued; needs `services:write`).
#[utoipa::path(post, path = "/api/v1/services/{service}/unsuspend", tag = "Staff provisioning", operation_id = "unsuspendService",
    security(("bearerAuth" = [])), params(("service" = String, Path, description = "Service id or uuid")),
    request_body(content = Option<ActionRequest>),
    responses((status = 202, body = TaskResponse), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn unsuspend(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: Option<aw::Json<ActionRequest>>,
) -> Result<HttpResponse, AppError> {
    queue(
        state,
        staff,
        meta,
        path.into_inner(),
        ModuleAction::Unsuspend,
        body,
    )
    .await
}

/// Terminate the service (queued; needs `services:write`).
#[utoipa::path(post, path = "/api/v1/services/{service}/terminate", tag = "Staff provisioning", operation_id = "terminateService",
    security(("bearerAuth" = [])), params(("service" = String, Path, description = "Service id or uuid")),
    request_body(content = Option<ActionRequest>),
    responses((status = 202, body = TaskResponse), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn terminate(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: Option<aw::Json<ActionRequest>>,
) -> Result<HttpResponse, AppError> {
    queue(
        state,
        staff,
        meta,
        path.into_inner(),
        ModuleAction::Terminate,
        body,
    )
    .await
}

/// Move the service to another package (queued; needs `services:write`).
#[utoipa::path(post, path = "/api/v1/services/{service}/change-package", tag = "Staff provisioning", operation_id = "changeServicePackage",
    security(("bearerAuth" = [])), params(("service" = String, Path, description = "Service id or uuid")),
    request_body(content = Option<ActionRequest>),
    responses((status = 202, body = TaskResponse), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn change_package(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: Option<aw::Json<ActionRequest>>,
) -> Result<HttpResponse, AppError> {
    queue(
        state,
        staff,
        meta,
        path.into_inner(),
        ModuleAction::ChangePackage,
        body,
    )
    .await
}
