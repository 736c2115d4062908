//! Staff services (reference 002 `/services`): the list, one service with
//! its module tasks, manual records, lifecycle actions queued as module
//! tasks (202), and the module task queue. The login URL and password
//! routes also take a customer's token (with the services privilege).

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    extract::{ApiPrincipal, ApiStaff, Meta},
    pagination::{PageQuery, paginate},
};
use crate::{
    domain::module_action::ModuleAction,
    error::{ApiError, AppError},
    service::{
        module_actions,
        service_records::{self, ServiceInput},
    },
    state::AppState,
    store::{module_tasks::ModuleTask, services::ServiceRecord},
};

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskView {
    pub id: i64,
    pub service_id: i64,
    /// create, suspend, unsuspend, terminate, change_package.
    pub action: String,
    /// queued, running, done, failed or cancelled.
    pub status: String,
    pub attempts: i64,
    pub run_after: String,
    pub last_error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&ModuleTask> for TaskView {
    fn from(t: &ModuleTask) -> Self {
        TaskView {
            id: t.id,
            service_id: t.service_id,
            action: t.action.clone(),
            status: t.status.clone(),
            attempts: t.attempts,
            run_after: t.run_after.clone(),
            last_error: t.last_error.clone(),
            created_at: t.created_at.clone(),
            updated_at: t.updated_at.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceView {
    pub id: i64,
    pub uuid: String,
    pub client_id: i64,
    pub order_id: Option<i64>,
    pub product_id: i64,
    pub status: String,
    pub billing_cycle: String,
    pub currency: String,
    pub recurring_amount_minor: i64,
    pub domain: Option<String>,
    pub registration_date: Option<String>,
    pub next_due_date: Option<String>,
    pub server_id: Option<i64>,
    pub username: Option<String>,
    pub provisioned_at: Option<String>,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<TaskView>>,
}

fn view(s: &ServiceRecord, tasks: Option<&[ModuleTask]>) -> ServiceView {
    ServiceView {
        id: s.id,
        uuid: s.uuid.clone(),
        client_id: s.client_id,
        order_id: s.order_id,
        product_id: s.product_id,
        status: s.status.clone(),
        billing_cycle: s.billing_cycle.clone(),
        currency: s.currency.clone(),
        recurring_amount_minor: s.recurring_amount,
        domain: s.domain.clone(),
        registration_date: s.registration_date.clone(),
        next_due_date: s.next_due_date.clone(),
        server_id: s.server_id,
        username: s.username.clone(),
        provisioned_at: s.provisioned_at.clone(),
        created_at: s.created_at.clone(),
        tasks: tasks.map(|t| t.iter().map(TaskView::from).collect()),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceResponse {
    pub success: bool,
    pub data: ServiceView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskResponse {
    pub success: bool,
    pub data: TaskView,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskList {
    pub success: bool,
    pub data: Vec<TaskView>,
}

/// A page of services (with `links` and `meta`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceList {
    pub data: Vec<ServiceView>,
    pub links: super::pagination::Links,
    pub meta: super::pagination::Meta,
}

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

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginUrl {
    pub success: bool,
    /// A one-time single sign-on URL into the control panel.
    pub url: String,
}

/// A single sign-on URL into the service's panel (staff with
/// `services:write`, or a customer with the services privilege).
#[utoipa::path(post, path = "/api/v1/services/{service}/login-url", tag = "Staff provisioning", operation_id = "serviceLoginUrl",
    security(("bearerAuth" = [])), params(("service" = String, Path, description = "Service id or uuid")),
    responses((status = 200, body = LoginUrl), (status = 404, body = ApiError), (status = 502, body = ApiError)))]
pub async fn login_url(
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let url = module_actions::login_url(
        &state.db,
        &state.keys,
        &state.targets,
        &who.0,
        &path.into_inner(),
        state.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(LoginUrl { success: true, url }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordRequest {
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Done {
    pub success: bool,
    pub message: String,
}

/// Set the service's panel password now (staff with `services:write`, or
/// a customer with the services privilege). till does not keep it.
#[utoipa::path(post, path = "/api/v1/services/{service}/password", tag = "Staff provisioning", operation_id = "serviceChangePassword",
    security(("bearerAuth" = [])), params(("service" = String, Path, description = "Service id or uuid")),
    request_body = PasswordRequest,
    responses((status = 200, body = Done), (status = 404, body = ApiError), (status = 422, body = ApiError), (status = 502, body = ApiError)))]
pub async fn password(
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
    body: aw::Json<PasswordRequest>,
) -> Result<HttpResponse, AppError> {
    module_actions::change_password(
        &state.db,
        &state.keys,
        &state.targets,
        &who.0,
        &path.into_inner(),
        &body.into_inner().password,
        state.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Done {
        success: true,
        message: "Password changed".into(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct TaskFilter {
    /// queued, running, done, failed or cancelled.
    pub status: Option<String>,
    /// At most this many, newest first (default 100).
    pub limit: Option<i64>,
}

/// Module tasks, newest first (needs `services:read`).
#[utoipa::path(get, path = "/api/v1/module-tasks", tag = "Staff provisioning", operation_id = "listModuleTasks",
    security(("bearerAuth" = [])), params(TaskFilter),
    responses((status = 200, body = TaskList), (status = 403, body = ApiError)))]
pub async fn tasks(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    q: aw::Query<TaskFilter>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let list = state
        .db
        .run(move |db| service_records::tasks(db, &staff.0, q.status.as_deref(), limit))
        .await?;
    Ok(HttpResponse::Ok().json(TaskList {
        success: true,
        data: list.iter().map(TaskView::from).collect(),
    }))
}

/// Queue a failed task again now (needs `services:write`).
#[utoipa::path(post, path = "/api/v1/module-tasks/{task}/retry", tag = "Staff provisioning", operation_id = "retryModuleTask",
    security(("bearerAuth" = [])), params(("task" = i64, Path, description = "Task id")),
    responses((status = 202, body = TaskResponse), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn retry(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let now = state.now();
    let task = state
        .db
        .run(move |db| service_records::retry_task(db, &staff.0, id, &meta.0, now))
        .await?;
    Ok(HttpResponse::Accepted().json(TaskResponse {
        success: true,
        data: TaskView::from(&task),
        message: "Task queued again".into(),
    }))
}
