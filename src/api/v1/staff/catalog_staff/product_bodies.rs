//! What staff send and get back for products and their prices.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::v1::catalog::{ProductView, product_view};
use crate::{
    domain::money_input::MoneyInput,
    service::catalog::{self, PriceInput, ProductInput},
    store::currencies::Currency,
};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceRequest {
    /// ISO 4217 code of a configured currency.
    pub currency: String,
    /// onetime, monthly, quarterly, semiannually, annually, biennially, triennially.
    pub billing_cycle: String,
    /// `19.99`, `"19.99"` or `{"amount_minor": 1999}`, read exactly (or
    /// give `price_minor`).
    #[schema(value_type = Option<String>)]
    pub price: Option<MoneyInput>,
    /// The price in minor units, e.g. `1999`.
    pub price_minor: Option<i64>,
    /// Like `price`.
    #[schema(value_type = Option<String>)]
    pub setup_fee: Option<MoneyInput>,
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

pub(super) fn staff_view(p: &catalog::PricedProduct, currencies: &[Currency]) -> StaffProduct {
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
