//! The public catalog: currencies, cycles, product groups, products and
//! reference 000's hosting packages.

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    domain::{cycle::BillingCycle, money::Money},
    error::{ApiError, AppError},
    service::catalog::{self, PricedProduct},
    state::AppState,
    store::{catalog::Group, currencies::Currency},
};

/// Reference 003 `Currency`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CurrencyView {
    pub code: String,
    pub prefix: String,
    pub suffix: String,
    pub decimals: u32,
    pub default: bool,
}

impl From<&Currency> for CurrencyView {
    fn from(c: &Currency) -> Self {
        Self {
            code: c.code.clone(),
            prefix: c.prefix.clone(),
            suffix: c.suffix.clone(),
            decimals: c.decimals,
            default: c.is_default,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CurrencyList {
    pub data: Vec<CurrencyView>,
}

/// The currencies prices are kept in.
#[utoipa::path(get, path = "/api/v1/currencies", tag = "Catalog", operation_id = "listCurrencies", security(()),
    responses((status = 200, body = CurrencyList)))]
pub async fn currencies(state: aw::Data<AppState>) -> Result<HttpResponse, AppError> {
    let list = state.db.run(catalog::currencies).await?;
    Ok(HttpResponse::Ok().json(CurrencyList {
        data: list.iter().map(CurrencyView::from).collect(),
    }))
}

/// Reference 003 `RecurringCycle`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CycleView {
    pub name: BillingCycle,
    pub label: &'static str,
    /// Months per period; absent for one-time.
    pub months: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CycleList {
    pub data: Vec<CycleView>,
}

/// The billing cycles prices can be given for.
#[utoipa::path(get, path = "/api/v1/cycles", tag = "Catalog", operation_id = "listCycles", security(()),
    responses((status = 200, body = CycleList)))]
pub async fn cycles() -> HttpResponse {
    HttpResponse::Ok().json(CycleList {
        data: BillingCycle::ALL
            .into_iter()
            .map(|c| CycleView {
                name: c,
                label: c.label(),
                months: c.months(),
            })
            .collect(),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PriceView {
    pub currency: String,
    pub billing_cycle: String,
    pub price: Money,
    pub setup_fee: Money,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductView {
    pub id: i64,
    pub uuid: String,
    pub group_id: i64,
    pub name: String,
    pub slug: String,
    pub description: String,
    /// hosting, vps, dedicated, ssl or other.
    pub kind: String,
    pub status: String,
    pub requires_domain: bool,
    pub in_stock: bool,
    /// Every price is zero.
    pub is_free: bool,
    pub pricing: Vec<PriceView>,
}

pub fn money(minor: i64, code: &str, currencies: &[Currency]) -> Money {
    match currencies.iter().find(|c| c.code == code) {
        Some(c) => Money::formatted_as(minor, code, c.decimals, &c.prefix, &c.suffix),
        None => Money::new(minor, code),
    }
}

pub fn product_view(p: &PricedProduct, currencies: &[Currency], only: Option<&str>) -> ProductView {
    ProductView {
        id: p.product.id,
        uuid: p.product.uuid.clone(),
        group_id: p.product.group_id,
        name: p.product.name.clone(),
        slug: p.product.slug.clone(),
        description: p.product.description.clone(),
        kind: p.product.kind.clone(),
        status: p.product.status.clone(),
        requires_domain: p.product.requires_domain,
        in_stock: p.product.stock.is_none_or(|s| s > 0),
        is_free: p.prices.iter().all(|x| x.price == 0 && x.setup_fee == 0),
        pricing: p
            .prices
            .iter()
            .filter(|x| only.is_none_or(|c| c == x.currency))
            .map(|x| PriceView {
                currency: x.currency.clone(),
                billing_cycle: x.cycle.clone(),
                price: money(x.price, &x.currency, currencies),
                setup_fee: money(x.setup_fee, &x.currency, currencies),
            })
            .collect(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupView {
    pub id: i64,
    pub uuid: String,
    pub name: String,
    pub slug: String,
    pub description: String,
    /// Present when one group is asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub products: Option<Vec<ProductView>>,
}

pub fn group_view(g: &Group, products: Option<Vec<ProductView>>) -> GroupView {
    GroupView {
        id: g.id,
        uuid: g.uuid.clone(),
        name: g.name.clone(),
        slug: g.slug.clone(),
        description: g.description.clone(),
        products,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupList {
    pub data: Vec<GroupView>,
}

/// Visible product groups (reference 003 `ProductGroup`).
#[utoipa::path(get, path = "/api/v1/catalog/groups", tag = "Catalog", operation_id = "listProductGroups", security(()),
    responses((status = 200, body = GroupList)))]
pub async fn groups(state: aw::Data<AppState>) -> Result<HttpResponse, AppError> {
    let list = state.db.run(catalog::public_groups).await?;
    Ok(HttpResponse::Ok().json(GroupList {
        data: list.iter().map(|g| group_view(g, None)).collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupResponse {
    pub data: GroupView,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CurrencyQuery {
    /// Show prices in this currency only.
    pub currency: Option<String>,
}

/// One visible group with its products.
#[utoipa::path(get, path = "/api/v1/catalog/groups/{group}", tag = "Catalog", operation_id = "getProductGroup", security(()),
    params(("group" = String, Path, description = "Group id, uuid or slug"), CurrencyQuery),
    responses((status = 200, body = GroupResponse), (status = 404, body = ApiError)))]
pub async fn group(
    state: aw::Data<AppState>,
    path: aw::Path<String>,
    q: aw::Query<CurrencyQuery>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let ((g, products), currencies) = state
        .db
        .run(move |db| Ok((catalog::public_group(db, &ident)?, catalog::currencies(db)?)))
        .await?;
    let only = q.currency.as_deref().map(str::to_uppercase);
    let views = products
        .iter()
        .map(|p| product_view(p, &currencies, only.as_deref()))
        .collect();
    Ok(HttpResponse::Ok().json(GroupResponse {
        data: group_view(&g, Some(views)),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductResponse {
    pub data: crate::api::v1::catalog_extras::ProductDetailView,
}

/// One orderable product with its prices, configurable options and addons.
#[utoipa::path(get, path = "/api/v1/catalog/products/{product}", tag = "Catalog", operation_id = "getProduct", security(()),
    params(("product" = String, Path, description = "Product id, uuid or slug"), CurrencyQuery),
    responses((status = 200, body = ProductResponse), (status = 404, body = ApiError)))]
pub async fn product(
    state: aw::Data<AppState>,
    path: aw::Path<String>,
    q: aw::Query<CurrencyQuery>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let (p, currencies) = state
        .db
        .run(move |db| {
            Ok((
                catalog::public_product_detail(db, &ident)?,
                catalog::currencies(db)?,
            ))
        })
        .await?;
    let only = q.currency.as_deref().map(str::to_uppercase);
    Ok(HttpResponse::Ok().json(ProductResponse {
        data: crate::api::v1::catalog_extras::product_detail_view(&p, &currencies, only.as_deref()),
    }))
}

/// Reference 000 `HostingPackagePrice`.
#[derive(Debug, Serialize, ToSchema)]
pub struct HostingPackagePrice {
    pub billing_cycle: String,
    pub price: Money,
    pub setup_fee: Money,
}

/// Reference 000 `HostingPackage`.
#[derive(Debug, Serialize, ToSchema)]
pub struct HostingPackage {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub description: Option<String>,
    pub service_kind: String,
    pub requires_domain: bool,
    pub pricing: Vec<HostingPackagePrice>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HostingPackageList {
    pub data: Vec<HostingPackage>,
}

/// Every visible product, priced in one currency (the default unless
/// `?currency=` names another).
#[utoipa::path(get, path = "/api/v1/catalog/hosting-packages", tag = "Catalog", operation_id = "hostingPackages", security(()),
    params(CurrencyQuery),
    responses((status = 200, body = HostingPackageList), (status = 422, body = ApiError)))]
pub async fn hosting_packages(
    state: aw::Data<AppState>,
    q: aw::Query<CurrencyQuery>,
) -> Result<HttpResponse, AppError> {
    let (products, currencies) = state
        .db
        .run(|db| Ok((catalog::public_products(db)?, catalog::currencies(db)?)))
        .await?;
    let code = match q.currency.as_deref().map(str::to_uppercase) {
        Some(c) if currencies.iter().any(|x| x.code == c) => c,
        Some(_) => return Err(AppError::invalid("currency", "no such currency")),
        None => currencies
            .iter()
            .find(|c| c.is_default)
            .map(|c| c.code.clone())
            .unwrap_or_default(),
    };
    let data = products
        .iter()
        .map(|p| HostingPackage {
            id: p.product.id,
            name: p.product.name.clone(),
            slug: p.product.slug.clone(),
            description: Some(p.product.description.clone()).filter(|d| !d.is_empty()),
            service_kind: p.product.kind.clone(),
            requires_domain: p.product.requires_domain,
            pricing: p
                .prices
                .iter()
                .filter(|x| x.currency == code)
                .map(|x| HostingPackagePrice {
                    billing_cycle: x.cycle.clone(),
                    price: money(x.price, &x.currency, &currencies),
                    setup_fee: money(x.setup_fee, &x.currency, &currencies),
                })
                .collect(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(HostingPackageList { data }))
}
