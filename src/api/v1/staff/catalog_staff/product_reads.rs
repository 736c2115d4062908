//! Staff product routes that read: the list and one product.

use actix_web::{HttpResponse, web as aw};

use crate::api::extract::ApiStaff;
use crate::{
    error::{ApiError, AppError},
    service::catalog,
    state::AppState,
};

use super::product_bodies::{StaffProductList, StaffProductResponse, StatusQuery, staff_view};

/// Every product, whatever its status (needs `catalog:read`).
#[utoipa::path(get, path = "/api/v1/products", tag = "Staff catalog", operation_id = "staffListProducts",
    security(("bearerAuth" = [])), params(StatusQuery),
    responses((status = 200, body = StaffProductList), (status = 403, body = ApiError)))]
pub async fn list_products(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    q: aw::Query<StatusQuery>,
) -> Result<HttpResponse, AppError> {
    let status = q.into_inner().status;
    let (list, currencies) = state
        .db
        .run(move |db| {
            Ok((
                catalog::all_products(db, &staff.0, status.as_deref())?,
                catalog::currencies(db)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(StaffProductList {
        success: true,
        data: list.iter().map(|p| staff_view(p, &currencies)).collect(),
    }))
}

/// One product, whatever its status.
#[utoipa::path(get, path = "/api/v1/products/{product}", tag = "Staff catalog", operation_id = "staffGetProduct",
    security(("bearerAuth" = [])), params(("product" = String, Path, description = "Product id, uuid or slug")),
    responses((status = 200, body = StaffProductResponse), (status = 404, body = ApiError)))]
pub async fn get_product(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let (p, currencies) = state
        .db
        .run(move |db| {
            Ok((
                catalog::staff_product(db, &staff.0, &ident)?,
                catalog::currencies(db)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(StaffProductResponse {
        success: true,
        data: staff_view(&p, &currencies),
    }))
}
