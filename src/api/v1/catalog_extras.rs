//! The public side of addons, configurable options and domain TLDs:
//! reference 000's `/catalog/domain-tlds`, reference 003's product addons,
//! and the shapes staff resources share.

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::v1::catalog::{CurrencyQuery, PriceView, ProductView, money, product_view};
use crate::{
    domain::{money::Money, registrant_fields::FieldSpec},
    error::{ApiError, AppError},
    service::{
        catalog,
        catalog::addons::{self, PricedAddon},
        catalog::config_options::OptionWithChoices,
        catalog::tlds::{self, PricedTld},
    },
    state::AppState,
    store::{catalog::Price, currencies::Currency},
};

fn price_views(prices: &[Price], currencies: &[Currency], only: Option<&str>) -> Vec<PriceView> {
    prices
        .iter()
        .filter(|x| only.is_none_or(|c| c == x.currency))
        .map(|x| PriceView {
            currency: x.currency.clone(),
            billing_cycle: x.cycle.clone(),
            price: money(x.price, &x.currency, currencies),
            setup_fee: money(x.setup_fee, &x.currency, currencies),
        })
        .collect()
}

/// Reference 003 `Addon`, with till's prices per currency and cycle.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddonView {
    pub id: i64,
    pub uuid: String,
    pub name: String,
    pub slug: String,
    pub description: String,
    /// visible, hidden or retired.
    pub status: String,
    pub sort_order: i64,
    /// Every price is zero (or there is none).
    pub is_free: bool,
    /// Billed on its service's cycle; a `onetime` price is charged once.
    pub pricing: Vec<PriceView>,
    /// The products it is sold with.
    pub product_ids: Vec<i64>,
}

pub fn addon_view(a: &PricedAddon, currencies: &[Currency], only: Option<&str>) -> AddonView {
    AddonView {
        id: a.addon.id,
        uuid: a.addon.uuid.clone(),
        name: a.addon.name.clone(),
        slug: a.addon.slug.clone(),
        description: a.addon.description.clone(),
        status: a.addon.status.clone(),
        sort_order: a.addon.sort_order,
        is_free: a.prices.iter().all(|p| p.price == 0 && p.setup_fee == 0),
        pricing: price_views(&a.prices, currencies, only),
        product_ids: a.products.clone(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChoiceView {
    pub id: i64,
    pub name: String,
    pub sort_order: i64,
    /// active or retired.
    pub status: String,
    /// Follows the product's cycle; no price at all means free. For a
    /// quantity option, per unit.
    pub pricing: Vec<PriceView>,
}

/// A configurable option with its choices.
#[derive(Debug, Serialize, ToSchema)]
pub struct OptionView {
    pub id: i64,
    pub uuid: String,
    pub product_id: i64,
    pub name: String,
    /// dropdown, radio, quantity or yesno.
    pub kind: String,
    /// The order must give it.
    pub required: bool,
    /// Quantity options only.
    pub min_quantity: Option<i64>,
    pub max_quantity: Option<i64>,
    pub sort_order: i64,
    /// active or retired.
    pub status: String,
    pub choices: Vec<ChoiceView>,
}

pub fn option_view(
    o: &OptionWithChoices,
    currencies: &[Currency],
    only: Option<&str>,
) -> OptionView {
    let quantity = o.option.kind == "quantity";
    OptionView {
        id: o.option.id,
        uuid: o.option.uuid.clone(),
        product_id: o.option.product_id,
        name: o.option.name.clone(),
        kind: o.option.kind.clone(),
        required: o.option.required,
        min_quantity: quantity.then_some(o.option.min_quantity),
        max_quantity: o.option.max_quantity.filter(|_| quantity),
        sort_order: o.option.sort_order,
        status: o.option.status.clone(),
        choices: o
            .choices
            .iter()
            .map(|c| ChoiceView {
                id: c.choice.id,
                name: c.choice.name.clone(),
                sort_order: c.choice.sort_order,
                status: c.choice.status.clone(),
                pricing: price_views(&c.prices, currencies, only),
            })
            .collect(),
    }
}

/// Reference 000 `DomainTldPrice`, with the currency; `renew` and
/// `transfer` are null where they are not offered.
#[derive(Debug, Serialize, ToSchema)]
pub struct DomainTldPriceView {
    pub currency: String,
    pub years: i64,
    pub register: Money,
    pub renew: Option<Money>,
    pub transfer: Option<Money>,
}

/// Reference 000 `DomainTld`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DomainTldView {
    pub id: i64,
    #[schema(example = ".com")]
    pub tld: String,
    pub requires_manual_check: bool,
    pub supports_id_protection: bool,
    /// active or retired.
    pub status: String,
    pub sort_order: i64,
    pub pricing: Vec<DomainTldPriceView>,
    /// What an order's domain item must carry in `domain_fields` for this
    /// TLD's registry (empty for most).
    pub registrant_fields: Vec<RegistrantField>,
}

/// One registrant field a TLD's registry needs (`.us` nexus, `.eu`
/// citizenship): a list of allowed `values`, or free text up to
/// `max_length`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrantField {
    /// `[a-z0-9_]`, the key in an item's `domain_fields`.
    #[schema(example = "us_nexus")]
    pub key: String,
    pub label: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
}

impl From<&FieldSpec> for RegistrantField {
    fn from(s: &FieldSpec) -> Self {
        RegistrantField {
            key: s.key.clone(),
            label: s.label.clone(),
            required: s.required,
            values: s.values.clone(),
            max_length: s.max_length,
        }
    }
}

impl From<RegistrantField> for FieldSpec {
    fn from(f: RegistrantField) -> Self {
        FieldSpec {
            key: f.key,
            label: f.label,
            required: f.required,
            values: f.values,
            max_length: f.max_length,
        }
    }
}

pub fn tld_view(t: &PricedTld, currencies: &[Currency], only: Option<&str>) -> DomainTldView {
    DomainTldView {
        id: t.tld.id,
        tld: t.tld.tld.clone(),
        requires_manual_check: t.tld.requires_manual_check,
        supports_id_protection: t.tld.supports_id_protection,
        status: t.tld.status.clone(),
        sort_order: t.tld.sort_order,
        pricing: t
            .prices
            .iter()
            .filter(|p| only.is_none_or(|c| c == p.currency))
            .map(|p| {
                let m = |v: i64| money(v, &p.currency, currencies);
                DomainTldPriceView {
                    currency: p.currency.clone(),
                    years: p.years,
                    register: m(p.register),
                    renew: p.renew.map(m),
                    transfer: p.transfer.map(m),
                }
            })
            .collect(),
        registrant_fields: t.tld.registrant_fields.iter().map(Into::into).collect(),
    }
}

/// `?currency=` if it names a currency, else the default.
fn chosen_currency(q: &CurrencyQuery, currencies: &[Currency]) -> Result<String, AppError> {
    match q.currency.as_deref().map(str::to_uppercase) {
        Some(c) if currencies.iter().any(|x| x.code == c) => Ok(c),
        Some(_) => Err(AppError::invalid("currency", "no such currency")),
        None => Ok(currencies
            .iter()
            .find(|c| c.is_default)
            .map(|c| c.code.clone())
            .unwrap_or_default()),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DomainTldList {
    pub data: Vec<DomainTldView>,
}

/// Active domain TLDs with their prices per term, in one currency (the
/// default unless `?currency=` names another).
#[utoipa::path(get, path = "/api/v1/catalog/domain-tlds", tag = "Catalog", operation_id = "domainTlds", security(()),
    params(CurrencyQuery),
    responses((status = 200, body = DomainTldList), (status = 422, body = ApiError)))]
pub async fn domain_tlds(
    state: aw::Data<AppState>,
    q: aw::Query<CurrencyQuery>,
) -> Result<HttpResponse, AppError> {
    let (list, currencies) = state
        .db
        .run(|db| Ok((tlds::public_list(db)?, catalog::currencies(db)?)))
        .await?;
    let code = chosen_currency(&q, &currencies)?;
    Ok(HttpResponse::Ok().json(DomainTldList {
        data: list
            .iter()
            .map(|t| tld_view(t, &currencies, Some(&code)))
            .collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AddonList {
    pub data: Vec<AddonView>,
}

/// The addons sold with a product (reference 003).
#[utoipa::path(get, path = "/api/v1/catalog/products/{product}/addons", tag = "Catalog", operation_id = "listProductAddons", security(()),
    params(("product" = String, Path, description = "Product id, uuid or slug"), CurrencyQuery),
    responses((status = 200, body = AddonList), (status = 404, body = ApiError)))]
pub async fn product_addons(
    state: aw::Data<AppState>,
    path: aw::Path<String>,
    q: aw::Query<CurrencyQuery>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let (list, currencies) = state
        .db
        .run(move |db| {
            Ok((
                addons::public_of_product(db, &ident)?,
                catalog::currencies(db)?,
            ))
        })
        .await?;
    let only = q.currency.as_deref().map(str::to_uppercase);
    Ok(HttpResponse::Ok().json(AddonList {
        data: list
            .iter()
            .map(|a| addon_view(a, &currencies, only.as_deref()))
            .collect(),
    }))
}

/// A product with its configurable options and addons.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductDetailView {
    #[serde(flatten)]
    pub product: ProductView,
    pub options: Vec<OptionView>,
    pub addons: Vec<AddonView>,
}

pub fn product_detail_view(
    d: &catalog::ProductDetail,
    currencies: &[Currency],
    only: Option<&str>,
) -> ProductDetailView {
    ProductDetailView {
        product: product_view(&d.product, currencies, only),
        options: d
            .options
            .iter()
            .map(|o| option_view(o, currencies, only))
            .collect(),
        addons: d
            .addons
            .iter()
            .map(|a| addon_view(a, currencies, only))
            .collect(),
    }
}
