//! Staff addon routes: list, create, read, update and retire.

use actix_web::{HttpResponse, web as aw};

use crate::api::{
    extract::{ApiStaff, Meta},
    v1::catalog_extras::addon_view,
    v1::staff::keys::SuccessMessage,
};
use crate::{
    error::{ApiError, AppError},
    service::{
        catalog,
        catalog::addons::{self, AddonInput},
    },
    state::AppState,
};

use super::addon_bodies::{AddonQuery, AddonRequest, StaffAddonList, StaffAddonResponse};
use super::retired;

/// Every addon, whatever its status (needs `catalog:read`).
#[utoipa::path(get, path = "/api/v1/addons", tag = "Staff catalog", operation_id = "staffListAddons",
    security(("bearerAuth" = [])), params(AddonQuery),
    responses((status = 200, body = StaffAddonList), (status = 403, body = ApiError)))]
pub async fn list_addons(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    q: aw::Query<AddonQuery>,
) -> Result<HttpResponse, AppError> {
    let status = q.into_inner().status;
    let (list, currencies) = state
        .db
        .run(move |db| {
            Ok((
                addons::all(db, &staff.0, status.as_deref())?,
                catalog::currencies(db)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(StaffAddonList {
        success: true,
        data: list
            .iter()
            .map(|a| addon_view(a, &currencies, None))
            .collect(),
    }))
}

/// Create an addon with its prices and products (needs `catalog:write`).
#[utoipa::path(post, path = "/api/v1/addons", tag = "Staff catalog", operation_id = "staffCreateAddon",
    security(("bearerAuth" = [])), request_body = AddonRequest,
    responses((status = 201, body = StaffAddonResponse), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create_addon(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<AddonRequest>,
) -> Result<HttpResponse, AppError> {
    let input = AddonInput::from(body.into_inner());
    let now = state.now();
    let (a, currencies) = state
        .db
        .run(move |db| {
            Ok((
                addons::create(db, &staff.0, input, &meta.0, now)?,
                catalog::currencies(db)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Created().json(StaffAddonResponse {
        success: true,
        data: addon_view(&a, &currencies, None),
    }))
}

/// One addon, whatever its status.
#[utoipa::path(get, path = "/api/v1/addons/{addon}", tag = "Staff catalog", operation_id = "staffGetAddon",
    security(("bearerAuth" = [])), params(("addon" = String, Path, description = "Addon id, uuid or slug")),
    responses((status = 200, body = StaffAddonResponse), (status = 404, body = ApiError)))]
pub async fn get_addon(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let (a, currencies) = state
        .db
        .run(move |db| Ok((addons::get(db, &staff.0, &ident)?, catalog::currencies(db)?)))
        .await?;
    Ok(HttpResponse::Ok().json(StaffAddonResponse {
        success: true,
        data: addon_view(&a, &currencies, None),
    }))
}

/// Replace an addon, its prices and its products (needs `catalog:write`).
#[utoipa::path(put, path = "/api/v1/addons/{addon}", tag = "Staff catalog", operation_id = "staffUpdateAddon",
    security(("bearerAuth" = [])), params(("addon" = String, Path, description = "Addon id, uuid or slug")),
    request_body = AddonRequest,
    responses((status = 200, body = StaffAddonResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update_addon(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<AddonRequest>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let input = AddonInput::from(body.into_inner());
    let now = state.now();
    let (a, currencies) = state
        .db
        .run(move |db| {
            Ok((
                addons::update(db, &staff.0, &ident, input, &meta.0, now)?,
                catalog::currencies(db)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(StaffAddonResponse {
        success: true,
        data: addon_view(&a, &currencies, None),
    }))
}

/// Retire an addon: it can no longer be ordered.
#[utoipa::path(delete, path = "/api/v1/addons/{addon}", tag = "Staff catalog", operation_id = "staffRetireAddon",
    security(("bearerAuth" = [])), params(("addon" = String, Path, description = "Addon id, uuid or slug")),
    responses((status = 200, body = SuccessMessage), (status = 404, body = ApiError)))]
pub async fn retire_addon(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let now = state.now();
    state
        .db
        .run(move |db| addons::retire(db, &staff.0, &ident, &meta.0, now))
        .await?;
    Ok(retired("Addon"))
}
