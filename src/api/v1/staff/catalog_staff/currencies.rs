//! Currencies for staff: save one.

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{
    extract::{ApiStaff, Meta},
    v1::catalog::CurrencyView,
};
use crate::{
    error::{ApiError, AppError},
    service::catalog,
    state::AppState,
    store::currencies::Currency,
};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CurrencyRequest {
    pub code: String,
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub suffix: String,
    /// Minor-unit digits: 2 for USD, 0 for JPY, 3 for KWD.
    pub decimals: u32,
    #[serde(default)]
    pub default: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffCurrencyResponse {
    pub success: bool,
    pub data: CurrencyView,
}

/// Add or change a currency (needs `catalog:write`). Decimals cannot change
/// once prices use the currency.
#[utoipa::path(post, path = "/api/v1/currencies", tag = "Staff catalog", operation_id = "staffSaveCurrency",
    security(("bearerAuth" = [])), request_body = CurrencyRequest,
    responses((status = 200, body = StaffCurrencyResponse), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn save_currency(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<CurrencyRequest>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    let input = Currency {
        code: b.code,
        prefix: b.prefix,
        suffix: b.suffix,
        decimals: b.decimals,
        is_default: b.default,
    };
    let now = state.now();
    let c = state
        .db
        .run(move |db| catalog::save_currency(db, &staff.0, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(StaffCurrencyResponse {
        success: true,
        data: CurrencyView::from(&c),
    }))
}
