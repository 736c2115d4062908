//! The pricing matrix: every product's price per currency and cycle.

use actix_web::{HttpResponse, web as aw};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::{extract::ApiStaff, v1::catalog::product_view};
use crate::{
    error::{ApiError, AppError},
    service::catalog,
    state::AppState,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct PricingRow {
    pub product_id: i64,
    pub name: String,
    pub status: String,
    pub pricing: Vec<crate::api::v1::catalog::PriceView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PricingMatrix {
    pub success: bool,
    pub data: Vec<PricingRow>,
}

/// Every product's prices in every currency and cycle (reference 002).
#[utoipa::path(get, path = "/api/v1/products/pricing", tag = "Staff catalog", operation_id = "staffProductPricing",
    security(("bearerAuth" = [])),
    responses((status = 200, body = PricingMatrix), (status = 403, body = ApiError)))]
pub async fn pricing(state: aw::Data<AppState>, staff: ApiStaff) -> Result<HttpResponse, AppError> {
    let (list, currencies) = state
        .db
        .run(move |db| {
            Ok((
                catalog::all_products(db, &staff.0, None)?,
                catalog::currencies(db)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(PricingMatrix {
        success: true,
        data: list
            .iter()
            .map(|p| PricingRow {
                product_id: p.product.id,
                name: p.product.name.clone(),
                status: p.product.status.clone(),
                pricing: product_view(p, &currencies, None).pricing,
            })
            .collect(),
    }))
}
