//! Staff promotion codes (reference 003 promotions).

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::{ApiStaff, Meta};
use crate::{
    domain::{money::format_decimal, tax::format_rate},
    error::{ApiError, AppError},
    service::sales::promotions::{self, NewPromotion},
    state::AppState,
    store::promotions::Promotion,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct PromotionView {
    pub id: i64,
    pub code: String,
    /// percent, fixed, free_setup or price_override.
    pub kind: String,
    /// percent: `"10"`; fixed and price_override: the amount in `currency`.
    pub value: String,
    pub currency: Option<String>,
    pub product_ids: Vec<i64>,
    pub cycles: Vec<String>,
    pub recurring: bool,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub max_uses: Option<i64>,
    pub uses: i64,
    pub once_per_client: bool,
    pub created_at: String,
}

fn view(p: &Promotion) -> PromotionView {
    let value = match p.kind.as_str() {
        "percent" => format_rate(p.percent_milli),
        "fixed" | "price_override" => format_decimal(
            p.amount,
            crate::domain::money::decimals(p.currency.as_deref().unwrap_or("")),
        ),
        _ => String::new(),
    };
    PromotionView {
        id: p.id,
        code: p.code.clone(),
        kind: p.kind.clone(),
        value,
        currency: p.currency.clone(),
        product_ids: serde_json::from_str(&p.product_ids).unwrap_or_default(),
        cycles: serde_json::from_str(&p.cycles).unwrap_or_default(),
        recurring: p.recurring,
        starts_at: p.starts_at.clone(),
        ends_at: p.ends_at.clone(),
        max_uses: p.max_uses,
        uses: p.uses,
        once_per_client: p.once_per_client,
        created_at: p.created_at.clone(),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PromotionRequest {
    pub code: String,
    /// percent, fixed, free_setup or price_override.
    pub kind: String,
    /// percent: `10` or `"10"`; fixed and price_override: an amount in
    /// `currency` (`5.50` or `"5.50"`), read exactly.
    #[serde(default, deserialize_with = "crate::domain::money_input::exact_text")]
    pub value: String,
    pub currency: Option<String>,
    /// Product ids or slugs; none means every product.
    #[serde(default)]
    pub products: Vec<String>,
    /// Billing cycles; none means every cycle.
    #[serde(default)]
    pub cycles: Vec<String>,
    /// The discount also lowers renewals (default: first invoice only).
    #[serde(default)]
    pub recurring: bool,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub max_uses: Option<i64>,
    #[serde(default)]
    pub once_per_client: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PromotionResponse {
    pub success: bool,
    pub data: PromotionView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PromotionList {
    pub data: Vec<PromotionView>,
}

/// Create a promotion code (needs `catalog:write`).
#[utoipa::path(post, path = "/api/v1/promotions", tag = "Staff catalog", operation_id = "createPromotion",
    security(("bearerAuth" = [])), request_body = PromotionRequest,
    responses((status = 201, body = PromotionResponse), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<PromotionRequest>,
) -> Result<HttpResponse, AppError> {
    let input = new_promotion(body.into_inner());
    let now = state.now();
    let p = state
        .db
        .run(move |db| promotions::create(db, &staff.0, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Created().json(PromotionResponse {
        success: true,
        data: view(&p),
    }))
}

fn new_promotion(b: PromotionRequest) -> NewPromotion {
    NewPromotion {
        code: b.code,
        kind: b.kind,
        value: b.value,
        currency: b.currency,
        products: b.products,
        cycles: b.cycles,
        recurring: b.recurring,
        starts_at: b.starts_at,
        ends_at: b.ends_at,
        max_uses: b.max_uses,
        once_per_client: b.once_per_client,
    }
}

/// Change a promotion (needs `catalog:write`); send it whole, as for
/// create. Its uses so far stay; placed orders keep their discount.
#[utoipa::path(put, path = "/api/v1/promotions/{promotion}", tag = "Staff catalog", operation_id = "updatePromotion",
    security(("bearerAuth" = [])), params(("promotion" = i64, Path, description = "Promotion id")),
    request_body = PromotionRequest,
    responses((status = 200, body = PromotionResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<PromotionRequest>,
) -> Result<HttpResponse, AppError> {
    let id: i64 = path.parse().map_err(|_| AppError::NotFound)?;
    let input = new_promotion(body.into_inner());
    let now = state.now();
    let p = state
        .db
        .run(move |db| promotions::update(db, &staff.0, id, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(PromotionResponse {
        success: true,
        data: view(&p),
    }))
}

/// Retire a promotion (needs `catalog:write`): it ends now.
#[utoipa::path(delete, path = "/api/v1/promotions/{promotion}", tag = "Staff catalog", operation_id = "retirePromotion",
    security(("bearerAuth" = [])), params(("promotion" = i64, Path, description = "Promotion id")),
    responses((status = 200, body = PromotionResponse), (status = 404, body = ApiError)))]
pub async fn retire(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id: i64 = path.parse().map_err(|_| AppError::NotFound)?;
    let now = state.now();
    let p = state
        .db
        .run(move |db| promotions::retire(db, &staff.0, id, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(PromotionResponse {
        success: true,
        data: view(&p),
    }))
}

/// Every promotion with its uses (needs `catalog:read`).
#[utoipa::path(get, path = "/api/v1/promotions", tag = "Staff catalog", operation_id = "listPromotions",
    security(("bearerAuth" = [])),
    responses((status = 200, body = PromotionList), (status = 403, body = ApiError)))]
pub async fn list(state: aw::Data<AppState>, staff: ApiStaff) -> Result<HttpResponse, AppError> {
    let rows = state
        .db
        .run(move |db| promotions::list(db, &staff.0))
        .await?;
    Ok(HttpResponse::Ok().json(PromotionList {
        data: rows.iter().map(view).collect(),
    }))
}
