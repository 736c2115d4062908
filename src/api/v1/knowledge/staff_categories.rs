//! Staff knowledgebase categories: `/api/v1/kb-categories` (`support:read`
//! to read, `support:write` to change). Nesting is one level; a category
//! with subcategories or articles cannot be deleted (409).

use actix_web::{HttpResponse, web as aw};

use super::{
    reading::id_of,
    staff_views::{
        KbCategoryRequest, StaffKbCategoryList, StaffKbCategoryResponse, staff_category,
    },
};
use crate::{
    api::{
        extract::{ApiStaff, Meta},
        v1::staff::keys::SuccessMessage,
    },
    error::{ApiError, AppError},
    service::knowledge::categories,
    state::AppState,
};

/// Every category, subcategories too, whoever may read them.
#[utoipa::path(get, path = "/api/v1/kb-categories", tag = "Staff knowledgebase",
    operation_id = "listKbCategories", security(("bearerAuth" = [])),
    responses((status = 200, body = StaffKbCategoryList), (status = 403, body = ApiError)))]
pub async fn list(state: aw::Data<AppState>, staff: ApiStaff) -> Result<HttpResponse, AppError> {
    let all = state
        .db
        .run(move |db| categories::list_all(db, &staff.0))
        .await?;
    Ok(HttpResponse::Ok().json(StaffKbCategoryList {
        data: all.iter().map(staff_category).collect(),
    }))
}

/// Add a category.
#[utoipa::path(post, path = "/api/v1/kb-categories", tag = "Staff knowledgebase",
    operation_id = "createKbCategory", security(("bearerAuth" = [])), request_body = KbCategoryRequest,
    responses((status = 201, body = StaffKbCategoryResponse), (status = 403, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn create(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<KbCategoryRequest>,
) -> Result<HttpResponse, AppError> {
    let input = body.into_inner().into();
    let now = state.now();
    let c = state
        .db
        .run(move |db| categories::create(db, &staff.0, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Created().json(StaffKbCategoryResponse {
        success: true,
        data: staff_category(&c),
    }))
}

/// One category.
#[utoipa::path(get, path = "/api/v1/kb-categories/{category}", tag = "Staff knowledgebase",
    operation_id = "getKbCategory", security(("bearerAuth" = [])),
    params(("category" = i64, Path, description = "Category id")),
    responses((status = 200, body = StaffKbCategoryResponse), (status = 404, body = ApiError)))]
pub async fn get(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id_of(&path)?;
    let c = state
        .db
        .run(move |db| categories::get(db, &staff.0, id))
        .await?;
    Ok(HttpResponse::Ok().json(StaffKbCategoryResponse {
        success: true,
        data: staff_category(&c),
    }))
}

/// Change a category (every field).
#[utoipa::path(put, path = "/api/v1/kb-categories/{category}", tag = "Staff knowledgebase",
    operation_id = "updateKbCategory", security(("bearerAuth" = [])),
    params(("category" = i64, Path, description = "Category id")), request_body = KbCategoryRequest,
    responses((status = 200, body = StaffKbCategoryResponse), (status = 404, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn update(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<KbCategoryRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id_of(&path)?;
    let input = body.into_inner().into();
    let now = state.now();
    let c = state
        .db
        .run(move |db| categories::update(db, &staff.0, id, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(StaffKbCategoryResponse {
        success: true,
        data: staff_category(&c),
    }))
}

/// Delete an empty category.
#[utoipa::path(delete, path = "/api/v1/kb-categories/{category}", tag = "Staff knowledgebase",
    operation_id = "deleteKbCategory", security(("bearerAuth" = [])),
    params(("category" = i64, Path, description = "Category id")),
    responses((status = 200, body = SuccessMessage), (status = 404, body = ApiError),
              (status = 409, body = ApiError)))]
pub async fn delete(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id_of(&path)?;
    let now = state.now();
    state
        .db
        .run(move |db| categories::delete(db, &staff.0, id, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(SuccessMessage {
        success: true,
        message: "Category deleted".into(),
    }))
}
