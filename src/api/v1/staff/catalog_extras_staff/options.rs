//! Staff configurable-option routes: list, create, update and retire.

use actix_web::{HttpResponse, web as aw};

use crate::api::{
    extract::{ApiStaff, Meta},
    v1::catalog_extras::option_view,
    v1::staff::keys::SuccessMessage,
};
use crate::{
    error::{ApiError, AppError},
    service::{
        catalog,
        catalog::config_options::{self, OptionInput},
    },
    state::AppState,
};

use super::option_bodies::{ConfigOptionRequest, StaffOptionList, StaffOptionResponse};
use super::retired;

/// A product's configurable options, retired ones included.
#[utoipa::path(get, path = "/api/v1/products/{product}/options", tag = "Staff catalog", operation_id = "staffListOptions",
    security(("bearerAuth" = [])), params(("product" = String, Path, description = "Product id, uuid or slug")),
    responses((status = 200, body = StaffOptionList), (status = 404, body = ApiError)))]
pub async fn list_options(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let product = path.into_inner();
    let (list, currencies) = state
        .db
        .run(move |db| {
            Ok((
                config_options::of_product_staff(db, &staff.0, &product)?,
                catalog::currencies(db)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(StaffOptionList {
        success: true,
        data: list
            .iter()
            .map(|o| option_view(o, &currencies, None))
            .collect(),
    }))
}

/// Add a configurable option with its choices to a product (needs
/// `catalog:write`).
#[utoipa::path(post, path = "/api/v1/products/{product}/options", tag = "Staff catalog", operation_id = "staffCreateOption",
    security(("bearerAuth" = [])), params(("product" = String, Path, description = "Product id, uuid or slug")),
    request_body = ConfigOptionRequest,
    responses((status = 201, body = StaffOptionResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create_option(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<ConfigOptionRequest>,
) -> Result<HttpResponse, AppError> {
    let product = path.into_inner();
    let input = OptionInput::from(body.into_inner());
    let now = state.now();
    let (o, currencies) = state
        .db
        .run(move |db| {
            Ok((
                config_options::create(db, &staff.0, &product, input, &meta.0, now)?,
                catalog::currencies(db)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Created().json(StaffOptionResponse {
        success: true,
        data: option_view(&o, &currencies, None),
    }))
}

/// Change a configurable option and its choices (needs `catalog:write`).
#[utoipa::path(put, path = "/api/v1/options/{option}", tag = "Staff catalog", operation_id = "staffUpdateOption",
    security(("bearerAuth" = [])), params(("option" = String, Path, description = "Option id or uuid")),
    request_body = ConfigOptionRequest,
    responses((status = 200, body = StaffOptionResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update_option(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<ConfigOptionRequest>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let input = OptionInput::from(body.into_inner());
    let now = state.now();
    let (o, currencies) = state
        .db
        .run(move |db| {
            Ok((
                config_options::update(db, &staff.0, &ident, input, &meta.0, now)?,
                catalog::currencies(db)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(StaffOptionResponse {
        success: true,
        data: option_view(&o, &currencies, None),
    }))
}

/// Retire a configurable option: new orders no longer see it.
#[utoipa::path(delete, path = "/api/v1/options/{option}", tag = "Staff catalog", operation_id = "staffRetireOption",
    security(("bearerAuth" = [])), params(("option" = String, Path, description = "Option id or uuid")),
    responses((status = 200, body = SuccessMessage), (status = 404, body = ApiError)))]
pub async fn retire_option(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let now = state.now();
    state
        .db
        .run(move |db| config_options::retire(db, &staff.0, &ident, &meta.0, now))
        .await?;
    Ok(retired("Option"))
}
