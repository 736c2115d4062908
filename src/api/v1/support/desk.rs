//! Departments (the visible ones for everyone; all of them, and changing
//! them, for staff) and canned replies (staff).

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::views::{DepartmentList, DepartmentResponse, public_department, staff_department};
use crate::api::extract::{ApiStaff, Meta};
use crate::{
    error::{ApiError, AppError},
    service::support::{
        canned,
        departments::{self, DepartmentInput},
    },
    state::AppState,
    store::support::canned::CannedReply,
};

/// The departments customers may open tickets in.
#[utoipa::path(get, path = "/api/v1/support/departments", tag = "Support", operation_id = "listSupportDepartments",
    security(), responses((status = 200, body = DepartmentList)))]
pub async fn visible(state: aw::Data<AppState>) -> Result<HttpResponse, AppError> {
    let rows = state.db.run(departments::visible).await?;
    Ok(HttpResponse::Ok().json(DepartmentList {
        data: rows.iter().map(public_department).collect(),
    }))
}

/// Every department, with the staff who receive it (`support:read`).
#[utoipa::path(get, path = "/api/v1/support-departments", tag = "Staff support", operation_id = "staffListDepartments",
    security(("bearerAuth" = [])), responses((status = 200, body = DepartmentList), (status = 403, body = ApiError)))]
pub async fn all(state: aw::Data<AppState>, who: ApiStaff) -> Result<HttpResponse, AppError> {
    let rows = state.db.run(move |db| departments::all(db, &who.0)).await?;
    Ok(HttpResponse::Ok().json(DepartmentList {
        data: rows
            .into_iter()
            .map(|(d, s)| staff_department(&d, s))
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentBody {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Customers see it (default true).
    pub visible: Option<bool>,
    /// Its inbound address, which its emails come from too.
    pub email: Option<String>,
    /// Send the customer a "we received it" email (default true).
    pub auto_reply: Option<bool>,
    #[serde(default)]
    pub sort_order: i64,
    /// The staff who receive its new tickets and customer replies.
    #[serde(default)]
    pub staff_ids: Vec<i64>,
}

fn input(b: DepartmentBody) -> DepartmentInput {
    DepartmentInput {
        name: b.name,
        description: b.description,
        visible: b.visible.unwrap_or(true),
        email: b.email,
        auto_reply: b.auto_reply.unwrap_or(true),
        sort_order: b.sort_order,
        staff_ids: b.staff_ids,
    }
}

/// Add a department (`support:write`).
#[utoipa::path(post, path = "/api/v1/support-departments", tag = "Staff support", operation_id = "staffCreateDepartment",
    security(("bearerAuth" = [])), request_body = DepartmentBody,
    responses((status = 201, body = DepartmentResponse), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create(
    state: aw::Data<AppState>,
    who: ApiStaff,
    meta: Meta,
    body: aw::Json<DepartmentBody>,
) -> Result<HttpResponse, AppError> {
    let (i, now) = (input(body.into_inner()), state.now());
    let (d, s) = state
        .db
        .run(move |db| departments::save(db, &who.0, None, &i, &meta.0, now))
        .await?;
    Ok(HttpResponse::Created().json(DepartmentResponse {
        data: staff_department(&d, s),
    }))
}

/// Change a department (`support:write`).
#[utoipa::path(put, path = "/api/v1/support-departments/{department}", tag = "Staff support", operation_id = "staffUpdateDepartment",
    security(("bearerAuth" = [])), params(("department" = i64, Path, description = "Department id")), request_body = DepartmentBody,
    responses((status = 200, body = DepartmentResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update(
    state: aw::Data<AppState>,
    who: ApiStaff,
    meta: Meta,
    path: aw::Path<i64>,
    body: aw::Json<DepartmentBody>,
) -> Result<HttpResponse, AppError> {
    let (id, i, now) = (path.into_inner(), input(body.into_inner()), state.now());
    let (d, s) = state
        .db
        .run(move |db| departments::save(db, &who.0, Some(id), &i, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(DepartmentResponse {
        data: staff_department(&d, s),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CannedView {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub updated_at: String,
}

fn canned_view(c: &CannedReply) -> CannedView {
    CannedView {
        id: c.id,
        title: c.title.clone(),
        body: c.body.clone(),
        updated_at: c.updated_at.clone(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CannedList {
    pub data: Vec<CannedView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CannedResponse {
    pub data: CannedView,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CannedBody {
    pub title: String,
    pub body: String,
}

/// The canned replies (`support:read`).
#[utoipa::path(get, path = "/api/v1/canned-replies", tag = "Staff support", operation_id = "staffListCanned",
    security(("bearerAuth" = [])), responses((status = 200, body = CannedList), (status = 403, body = ApiError)))]
pub async fn canned_list(
    state: aw::Data<AppState>,
    who: ApiStaff,
) -> Result<HttpResponse, AppError> {
    let rows = state.db.run(move |db| canned::list(db, &who.0)).await?;
    Ok(HttpResponse::Ok().json(CannedList {
        data: rows.iter().map(canned_view).collect(),
    }))
}

/// Add a canned reply (`support:write`).
#[utoipa::path(post, path = "/api/v1/canned-replies", tag = "Staff support", operation_id = "staffCreateCanned",
    security(("bearerAuth" = [])), request_body = CannedBody,
    responses((status = 201, body = CannedResponse), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn canned_create(
    state: aw::Data<AppState>,
    who: ApiStaff,
    body: aw::Json<CannedBody>,
) -> Result<HttpResponse, AppError> {
    let (b, now) = (body.into_inner(), state.now());
    let c = state
        .db
        .run(move |db| canned::save(db, &who.0, None, &b.title, &b.body, now))
        .await?;
    Ok(HttpResponse::Created().json(CannedResponse {
        data: canned_view(&c),
    }))
}

/// Change a canned reply (`support:write`).
#[utoipa::path(put, path = "/api/v1/canned-replies/{canned}", tag = "Staff support", operation_id = "staffUpdateCanned",
    security(("bearerAuth" = [])), params(("canned" = i64, Path, description = "Canned reply id")), request_body = CannedBody,
    responses((status = 200, body = CannedResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn canned_update(
    state: aw::Data<AppState>,
    who: ApiStaff,
    path: aw::Path<i64>,
    body: aw::Json<CannedBody>,
) -> Result<HttpResponse, AppError> {
    let (id, b, now) = (path.into_inner(), body.into_inner(), state.now());
    let c = state
        .db
        .run(move |db| canned::save(db, &who.0, Some(id), &b.title, &b.body, now))
        .await?;
    Ok(HttpResponse::Ok().json(CannedResponse {
        data: canned_view(&c),
    }))
}

/// Delete a canned reply (`support:write`).
#[utoipa::path(delete, path = "/api/v1/canned-replies/{canned}", tag = "Staff support", operation_id = "staffDeleteCanned",
    security(("bearerAuth" = [])), params(("canned" = i64, Path, description = "Canned reply id")),
    responses((status = 204, description = "Deleted"), (status = 404, body = ApiError)))]
pub async fn canned_delete(
    state: aw::Data<AppState>,
    who: ApiStaff,
    path: aw::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    state
        .db
        .run(move |db| canned::delete(db, &who.0, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
