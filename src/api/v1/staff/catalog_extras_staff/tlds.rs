//! Staff TLD routes: list, create, update and retire.

use actix_web::{HttpResponse, web as aw};

use crate::api::{
    extract::{ApiStaff, Meta},
    v1::catalog_extras::tld_view,
    v1::staff::keys::SuccessMessage,
};
use crate::{
    error::{ApiError, AppError},
    service::{
        catalog,
        catalog::tlds::{self, TldInput},
    },
    state::AppState,
};

use super::retired;
use super::tld_bodies::{StaffTldList, StaffTldResponse, TldRequest};

/// Every TLD with its prices in every currency, retired ones included.
#[utoipa::path(get, path = "/api/v1/tlds", tag = "Staff catalog", operation_id = "staffListTlds",
    security(("bearerAuth" = [])),
    responses((status = 200, body = StaffTldList), (status = 403, body = ApiError)))]
pub async fn list_tlds(
    state: aw::Data<AppState>,
    staff: ApiStaff,
) -> Result<HttpResponse, AppError> {
    let (list, currencies) = state
        .db
        .run(move |db| Ok((tlds::all(db, &staff.0)?, catalog::currencies(db)?)))
        .await?;
    Ok(HttpResponse::Ok().json(StaffTldList {
        success: true,
        data: list
            .iter()
            .map(|t| tld_view(t, &currencies, None))
            .collect(),
    }))
}

/// Add a TLD with its prices (needs `catalog:write`).
#[utoipa::path(post, path = "/api/v1/tlds", tag = "Staff catalog", operation_id = "staffCreateTld",
    security(("bearerAuth" = [])), request_body = TldRequest,
    responses((status = 201, body = StaffTldResponse), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create_tld(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<TldRequest>,
) -> Result<HttpResponse, AppError> {
    let input = TldInput::from(body.into_inner());
    let now = state.now();
    let (t, currencies) = state
        .db
        .run(move |db| {
            Ok((
                tlds::create(db, &staff.0, input, &meta.0, now)?,
                catalog::currencies(db)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Created().json(StaffTldResponse {
        success: true,
        data: tld_view(&t, &currencies, None),
    }))
}

/// Replace a TLD and its prices (needs `catalog:write`).
#[utoipa::path(put, path = "/api/v1/tlds/{tld}", tag = "Staff catalog", operation_id = "staffUpdateTld",
    security(("bearerAuth" = [])), params(("tld" = String, Path, description = "TLD id or name (com or .com)")),
    request_body = TldRequest,
    responses((status = 200, body = StaffTldResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update_tld(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<TldRequest>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let input = TldInput::from(body.into_inner());
    let now = state.now();
    let (t, currencies) = state
        .db
        .run(move |db| {
            Ok((
                tlds::update(db, &staff.0, &ident, input, &meta.0, now)?,
                catalog::currencies(db)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(StaffTldResponse {
        success: true,
        data: tld_view(&t, &currencies, None),
    }))
}

/// Retire a TLD: it can no longer be ordered.
#[utoipa::path(delete, path = "/api/v1/tlds/{tld}", tag = "Staff catalog", operation_id = "staffRetireTld",
    security(("bearerAuth" = [])), params(("tld" = String, Path, description = "TLD id or name (com or .com)")),
    responses((status = 200, body = SuccessMessage), (status = 404, body = ApiError)))]
pub async fn retire_tld(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let now = state.now();
    state
        .db
        .run(move |db| tlds::retire(db, &staff.0, &ident, &meta.0, now))
        .await?;
    Ok(retired("TLD"))
}
