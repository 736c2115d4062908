//! Staff domains: every domain, one with its registrar tasks, a failed task
//! retried, a manual registration marked done.

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::extract::{ApiStaff, Meta};
use crate::api::v1::client_domains::{DomainView, domain_view};
use crate::{
    error::{ApiError, AppError},
    service::{domains::staff_domains, email::Branding},
    state::AppState,
    store::registrars::tasks::RegistrarTask,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffDomainView {
    #[serde(flatten)]
    pub domain: DomainView,
    pub client_id: i64,
    pub registrar_id: Option<i64>,
    /// register or transfer.
    pub action: String,
    pub locked: bool,
    pub registry_statuses: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrarTaskView {
    pub id: i64,
    pub domain_id: i64,
    pub action: String,
    /// queued, running, done, failed or cancelled.
    pub status: String,
    pub attempts: i64,
    pub run_after: String,
    /// The last error, or a note (a staff to-do).
    pub last_error: Option<String>,
    pub created_at: String,
}

fn task_view(t: &RegistrarTask) -> RegistrarTaskView {
    RegistrarTaskView {
        id: t.id,
        domain_id: t.domain_id,
        action: t.action.clone(),
        status: t.status.to_string(),
        attempts: t.attempts,
        run_after: t.run_after.clone(),
        last_error: t.last_error.clone(),
        created_at: t.created_at.clone(),
    }
}

fn staff_view(d: &crate::store::domains::Domain) -> StaffDomainView {
    StaffDomainView {
        domain: domain_view(d),
        client_id: d.client_id,
        registrar_id: d.registrar_id,
        action: d.action.clone(),
        locked: d.locked,
        registry_statuses: d.registry_statuses.clone(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffDomainList {
    pub success: bool,
    pub data: Vec<StaffDomainView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffDomainResponse {
    pub success: bool,
    pub data: StaffDomainView,
    pub tasks: Vec<RegistrarTaskView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrarTaskResponse {
    pub success: bool,
    pub data: RegistrarTaskView,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DomainFilter {
    /// pending, active, expired, transferred_away or cancelled.
    pub status: Option<String>,
    /// Only domains expiring on or before this day (YYYY-MM-DD), soonest first.
    pub expires_before: Option<String>,
}

/// Every domain, newest first (needs `services:read`).
#[utoipa::path(get, path = "/api/v1/domains", tag = "Staff domains", operation_id = "staffListDomains",
    security(("bearerAuth" = [])), params(DomainFilter),
    responses((status = 200, body = StaffDomainList), (status = 403, body = ApiError)))]
pub async fn list(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    q: aw::Query<DomainFilter>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let rows = state
        .db
        .run(move |db| {
            staff_domains::list(
                db,
                &staff.0,
                q.status.as_deref(),
                q.expires_before.as_deref(),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(StaffDomainList {
        success: true,
        data: rows.iter().map(staff_view).collect(),
    }))
}

/// One domain with its registrar tasks.
#[utoipa::path(get, path = "/api/v1/domains/{domain}", tag = "Staff domains", operation_id = "staffGetDomain",
    security(("bearerAuth" = [])), params(("domain" = i64, Path, description = "Domain id")),
    responses((status = 200, body = StaffDomainResponse), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn get(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    path: aw::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (d, tasks) = state
        .db
        .run(move |db| staff_domains::get(db, &staff.0, id))
        .await?;
    Ok(HttpResponse::Ok().json(StaffDomainResponse {
        success: true,
        data: staff_view(&d),
        tasks: tasks.iter().map(task_view).collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkRegisteredBody {
    /// When it expires (default: its term from today).
    pub expiry_date: Option<String>,
}

/// Staff registered a pending domain by hand (needs `services:write`).
#[utoipa::path(post, path = "/api/v1/domains/{domain}/registered", tag = "Staff domains", operation_id = "staffMarkDomainRegistered",
    security(("bearerAuth" = [])), params(("domain" = i64, Path, description = "Domain id")),
    request_body = MarkRegisteredBody,
    responses((status = 200, body = StaffDomainResponse), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn mark_registered(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<i64>,
    body: aw::Json<MarkRegisteredBody>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let expiry = body.into_inner().expiry_date;
    let now = state.now();
    let brand = Branding::from_config(&state.config);
    let (d, tasks) = state
        .db
        .run(move |db| {
            staff_domains::mark_registered(
                db,
                &brand,
                &staff.0,
                id,
                expiry.as_deref(),
                &meta.0,
                now,
            )?;
            staff_domains::get(db, &staff.0, id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(StaffDomainResponse {
        success: true,
        data: staff_view(&d),
        tasks: tasks.iter().map(task_view).collect(),
    }))
}

/// Ask the registrar about the domain now (needs `services:write`): a
/// sync task, due at once.
#[utoipa::path(post, path = "/api/v1/domains/{domain}/sync", tag = "Staff domains", operation_id = "staffSyncDomain",
    security(("bearerAuth" = [])), params(("domain" = i64, Path, description = "Domain id")),
    responses((status = 202, body = RegistrarTaskResponse), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn sync(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let now = state.now();
    let t = state
        .db
        .run(move |db| staff_domains::sync_now(db, &staff.0, id, &meta.0, now))
        .await?;
    Ok(HttpResponse::Accepted().json(RegistrarTaskResponse {
        success: true,
        data: task_view(&t),
    }))
}

/// Queue a failed registrar task again (needs `services:write`).
#[utoipa::path(post, path = "/api/v1/registrar-tasks/{task}/retry", tag = "Staff domains", operation_id = "staffRetryRegistrarTask",
    security(("bearerAuth" = [])), params(("task" = i64, Path, description = "Task id")),
    responses((status = 200, body = RegistrarTaskResponse), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn retry(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let now = state.now();
    let t = state
        .db
        .run(move |db| staff_domains::retry_task(db, &staff.0, id, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(RegistrarTaskResponse {
        success: true,
        data: task_view(&t),
    }))
}
