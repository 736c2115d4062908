//! Staff product routes that change: create, update and retire.

use actix_web::{HttpResponse, web as aw};

use crate::api::{
    extract::{ApiStaff, Meta},
    v1::staff::keys::SuccessMessage,
};
use crate::{
    error::{ApiError, AppError},
    service::{
        catalog::{self, ProductInput},
        services::servers,
    },
    state::AppState,
};

use super::product_bodies::{ProductRequest, StaffProductResponse, staff_view};

/// Create a product with its prices (needs `catalog:write`).
#[utoipa::path(post, path = "/api/v1/products", tag = "Staff catalog", operation_id = "staffCreateProduct",
    security(("bearerAuth" = [])), request_body = ProductRequest,
    responses((status = 201, body = StaffProductResponse), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create_product(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<ProductRequest>,
) -> Result<HttpResponse, AppError> {
    let mut body = body.into_inner();
    let (group, secret) = (body.server_group_id, body.module_secret.take());
    let input = ProductInput::from(body);
    let now = state.now();
    let keys = state.keys.clone();
    let (p, currencies) = state
        .db
        .run(move |db| {
            let p = catalog::create_product(db, &staff.0, input, &meta.0, now)?;
            servers::set_product_provisioning(
                db,
                &keys,
                &staff.0,
                p.product.id,
                group,
                secret.as_deref(),
                now,
            )?;
            Ok((p, catalog::currencies(db)?))
        })
        .await?;
    Ok(HttpResponse::Created().json(StaffProductResponse {
        success: true,
        data: staff_view(&p, &currencies),
    }))
}

/// Replace a product and its prices (needs `catalog:write`).
#[utoipa::path(put, path = "/api/v1/products/{product}", tag = "Staff catalog", operation_id = "staffUpdateProduct",
    security(("bearerAuth" = [])), params(("product" = String, Path, description = "Product id, uuid or slug")),
    request_body = ProductRequest,
    responses((status = 200, body = StaffProductResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update_product(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<ProductRequest>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let mut body = body.into_inner();
    let (group, secret) = (body.server_group_id, body.module_secret.take());
    let input = ProductInput::from(body);
    let now = state.now();
    let keys = state.keys.clone();
    let (p, currencies) = state
        .db
        .run(move |db| {
            let p = catalog::update_product(db, &staff.0, &ident, input, &meta.0, now)?;
            servers::set_product_provisioning(
                db,
                &keys,
                &staff.0,
                p.product.id,
                group,
                secret.as_deref(),
                now,
            )?;
            Ok((p, catalog::currencies(db)?))
        })
        .await?;
    Ok(HttpResponse::Ok().json(StaffProductResponse {
        success: true,
        data: staff_view(&p, &currencies),
    }))
}

/// Retire a product: it can no longer be ordered.
#[utoipa::path(delete, path = "/api/v1/products/{product}", tag = "Staff catalog", operation_id = "staffRetireProduct",
    security(("bearerAuth" = [])), params(("product" = String, Path, description = "Product id, uuid or slug")),
    responses((status = 200, body = SuccessMessage), (status = 404, body = ApiError)))]
pub async fn retire_product(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let now = state.now();
    state
        .db
        .run(move |db| catalog::retire_product(db, &staff.0, &ident, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(SuccessMessage {
        success: true,
        message: "Product retired".into(),
    }))
}
