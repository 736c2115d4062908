//! Staff catalog resources in reference 002's style: products with their
//! prices, product groups, currencies, and the pricing matrix.

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    catalog::{CurrencyView, GroupView, ProductView, group_view, product_view},
    extract::{ApiStaff, Meta},
    staff::SuccessMessage,
};
use crate::{
    error::{ApiError, AppError},
    service::{
        catalog::{self, GroupInput, PriceInput, ProductInput},
        servers,
    },
    state::AppState,
    store::currencies::Currency,
};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceRequest {
    /// ISO 4217 code of a configured currency.
    pub currency: String,
    /// onetime, monthly, quarterly, semiannually, annually, biennially, triennially.
    pub billing_cycle: String,
    /// Exact decimal text, e.g. `"19.99"` (or give `price_minor`).
    pub price: Option<String>,
    /// The price in minor units, e.g. `1999`.
    pub price_minor: Option<i64>,
    pub setup_fee: Option<String>,
    pub setup_fee_minor: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductRequest {
    /// Group id, uuid or slug.
    pub group: String,
    /// hosting, vps, dedicated, ssl or other.
    pub kind: String,
    pub name: String,
    pub slug: Option<String>,
    #[serde(default)]
    pub description: String,
    /// visible (default), hidden or retired.
    pub status: Option<String>,
    /// Units left; leave out for unlimited.
    pub stock: Option<i64>,
    #[serde(default)]
    pub requires_domain: bool,
    /// The provisioning module (default `manual`).
    pub module: Option<String>,
    #[schema(value_type = Object)]
    pub module_settings: Option<serde_json::Value>,
    /// The server group its services are placed in (modules with servers).
    pub server_group_id: Option<i64>,
    /// The module's secret (the webhook module's signing key); write-only,
    /// sealed at rest; leave out to keep the stored one.
    pub module_secret: Option<String>,
    #[serde(default)]
    pub sort_order: i64,
    #[serde(default)]
    pub prices: Vec<PriceRequest>,
}

impl From<ProductRequest> for ProductInput {
    fn from(r: ProductRequest) -> Self {
        ProductInput {
            group: r.group,
            kind: r.kind,
            name: r.name,
            slug: r.slug,
            description: r.description,
            status: r.status.unwrap_or_else(|| "visible".into()),
            stock: r.stock,
            requires_domain: r.requires_domain,
            module: r.module.unwrap_or_else(|| "manual".into()),
            module_settings: r.module_settings.unwrap_or_else(|| serde_json::json!({})),
            sort_order: r.sort_order,
            prices: r.prices.into_iter().map(PriceInput::from).collect(),
        }
    }
}

impl From<PriceRequest> for PriceInput {
    fn from(p: PriceRequest) -> Self {
        PriceInput {
            currency: p.currency,
            cycle: p.billing_cycle,
            price: p.price,
            price_minor: p.price_minor,
            setup_fee: p.setup_fee,
            setup_fee_minor: p.setup_fee_minor,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffProduct {
    #[serde(flatten)]
    pub product: ProductView,
    pub stock: Option<i64>,
    pub module: String,
    #[schema(value_type = Object)]
    pub module_settings: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffProductResponse {
    pub success: bool,
    pub data: StaffProduct,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffProductList {
    pub success: bool,
    pub data: Vec<StaffProduct>,
}

fn staff_view(p: &catalog::PricedProduct, currencies: &[Currency]) -> StaffProduct {
    StaffProduct {
        product: product_view(p, currencies, None),
        stock: p.product.stock,
        module: p.product.module.clone(),
        module_settings: serde_json::from_str(&p.product.module_settings).unwrap_or_default(),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct StatusQuery {
    /// visible, hidden or retired.
    pub status: Option<String>,
}

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

#[derive(Debug, Serialize, ToSchema)]
pub struct PricingRow {
    pub product_id: i64,
    pub name: String,
    pub status: String,
    pub pricing: Vec<super::catalog::PriceView>,
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupRequest {
    pub name: String,
    pub slug: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub sort_order: i64,
    /// Listed in the store (default true).
    pub visible: Option<bool>,
}

impl From<GroupRequest> for GroupInput {
    fn from(r: GroupRequest) -> Self {
        GroupInput {
            name: r.name,
            slug: r.slug,
            description: r.description,
            sort_order: r.sort_order,
            visible: r.visible.unwrap_or(true),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffGroupResponse {
    pub success: bool,
    pub data: GroupView,
}

/// Create a product group (needs `catalog:write`).
#[utoipa::path(post, path = "/api/v1/product-groups", tag = "Staff catalog", operation_id = "staffCreateGroup",
    security(("bearerAuth" = [])), request_body = GroupRequest,
    responses((status = 201, body = StaffGroupResponse), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create_group(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<GroupRequest>,
) -> Result<HttpResponse, AppError> {
    let input = GroupInput::from(body.into_inner());
    let now = state.now();
    let g = state
        .db
        .run(move |db| catalog::create_group(db, &staff.0, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Created().json(StaffGroupResponse {
        success: true,
        data: group_view(&g, None),
    }))
}

/// Change a product group (needs `catalog:write`).
#[utoipa::path(put, path = "/api/v1/product-groups/{group}", tag = "Staff catalog", operation_id = "staffUpdateGroup",
    security(("bearerAuth" = [])), params(("group" = String, Path, description = "Group id, uuid or slug")),
    request_body = GroupRequest,
    responses((status = 200, body = StaffGroupResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update_group(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<GroupRequest>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let input = GroupInput::from(body.into_inner());
    let now = state.now();
    let g = state
        .db
        .run(move |db| catalog::update_group(db, &staff.0, &ident, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(StaffGroupResponse {
        success: true,
        data: group_view(&g, None),
    }))
}

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
