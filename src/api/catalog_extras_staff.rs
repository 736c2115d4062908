//! Staff resources in reference 002's style for addons, configurable
//! options and domain TLDs (`catalog:read` to list, `catalog:write` to
//! change). Retiring (DELETE) keeps what services already bought.

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    catalog_extras::{AddonView, DomainTldView, OptionView, addon_view, option_view, tld_view},
    catalog_staff::PriceRequest,
    extract::{ApiStaff, Meta},
    staff::SuccessMessage,
};
use crate::{
    error::{ApiError, AppError},
    service::{
        addons::{self, AddonInput},
        catalog::{self, PriceInput},
        config_options::{self, ChoiceInput, OptionInput},
        tlds::{self, TldInput, TldPriceInput},
    },
    state::AppState,
};

fn retired(what: &str) -> HttpResponse {
    HttpResponse::Ok().json(SuccessMessage {
        success: true,
        message: format!("{what} retired"),
    })
}

fn ident(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

// ---- addons ----

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddonRequest {
    pub name: String,
    pub slug: Option<String>,
    #[serde(default)]
    pub description: String,
    /// visible (default), hidden or retired.
    pub status: Option<String>,
    #[serde(default)]
    pub sort_order: i64,
    /// Per currency and cycle; a `onetime` price is charged once whatever
    /// the service's cycle.
    #[serde(default)]
    pub prices: Vec<PriceRequest>,
    /// The products (id, uuid or slug) it is sold with; replaces the list.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub products: Vec<serde_json::Value>,
}

impl From<AddonRequest> for AddonInput {
    fn from(r: AddonRequest) -> Self {
        AddonInput {
            name: r.name,
            slug: r.slug,
            description: r.description,
            status: r.status.unwrap_or_else(|| "visible".into()),
            sort_order: r.sort_order,
            prices: r.prices.into_iter().map(PriceInput::from).collect(),
            products: r.products.iter().map(ident).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffAddonResponse {
    pub success: bool,
    pub data: AddonView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffAddonList {
    pub success: bool,
    pub data: Vec<AddonView>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AddonQuery {
    /// visible, hidden or retired.
    pub status: Option<String>,
}

/// Every addon, whatever its status (needs `catalog:read`).
#[utoipa::path(get, path = "/api/v1/addons", tag = "Staff catalog", operation_id = "staffListAddons",
    security(("bearerAuth" = [])), params(AddonQuery),
    responses((status = 200, body = StaffAddonList), (status = 403, body = ApiError)))]
pub async fn list_addons(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    q: aw::Query<AddonQuery>,
) -> Result<HttpResponse, AppError> {
    let status = q.into_inner().status;
    let (list, currencies) = state
        .db
        .run(move |db| {
            Ok((
                addons::all(db, &staff.0, status.as_deref())?,
                catalog::currencies(db)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(StaffAddonList {
        success: true,
        data: list
            .iter()
            .map(|a| addon_view(a, &currencies, None))
            .collect(),
    }))
}

/// Create an addon with its prices and products (needs `catalog:write`).
#[utoipa::path(post, path = "/api/v1/addons", tag = "Staff catalog", operation_id = "staffCreateAddon",
    security(("bearerAuth" = [])), request_body = AddonRequest,
    responses((status = 201, body = StaffAddonResponse), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create_addon(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<AddonRequest>,
) -> Result<HttpResponse, AppError> {
    let input = AddonInput::from(body.into_inner());
    let now = state.now();
    let (a, currencies) = state
        .db
        .run(move |db| {
            Ok((
                addons::create(db, &staff.0, input, &meta.0, now)?,
                catalog::currencies(db)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Created().json(StaffAddonResponse {
        success: true,
        data: addon_view(&a, &currencies, None),
    }))
}

/// One addon, whatever its status.
#[utoipa::path(get, path = "/api/v1/addons/{addon}", tag = "Staff catalog", operation_id = "staffGetAddon",
    security(("bearerAuth" = [])), params(("addon" = String, Path, description = "Addon id, uuid or slug")),
    responses((status = 200, body = StaffAddonResponse), (status = 404, body = ApiError)))]
pub async fn get_addon(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let (a, currencies) = state
        .db
        .run(move |db| Ok((addons::get(db, &staff.0, &ident)?, catalog::currencies(db)?)))
        .await?;
    Ok(HttpResponse::Ok().json(StaffAddonResponse {
        success: true,
        data: addon_view(&a, &currencies, None),
    }))
}

/// Replace an addon, its prices and its products (needs `catalog:write`).
#[utoipa::path(put, path = "/api/v1/addons/{addon}", tag = "Staff catalog", operation_id = "staffUpdateAddon",
    security(("bearerAuth" = [])), params(("addon" = String, Path, description = "Addon id, uuid or slug")),
    request_body = AddonRequest,
    responses((status = 200, body = StaffAddonResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update_addon(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<AddonRequest>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let input = AddonInput::from(body.into_inner());
    let now = state.now();
    let (a, currencies) = state
        .db
        .run(move |db| {
            Ok((
                addons::update(db, &staff.0, &ident, input, &meta.0, now)?,
                catalog::currencies(db)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(StaffAddonResponse {
        success: true,
        data: addon_view(&a, &currencies, None),
    }))
}

/// Retire an addon: it can no longer be ordered.
#[utoipa::path(delete, path = "/api/v1/addons/{addon}", tag = "Staff catalog", operation_id = "staffRetireAddon",
    security(("bearerAuth" = [])), params(("addon" = String, Path, description = "Addon id, uuid or slug")),
    responses((status = 200, body = SuccessMessage), (status = 404, body = ApiError)))]
pub async fn retire_addon(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let now = state.now();
    state
        .db
        .run(move |db| addons::retire(db, &staff.0, &ident, &meta.0, now))
        .await?;
    Ok(retired("Addon"))
}

// ---- configurable options ----

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceRequest {
    /// An existing choice to change; leave out for a new one.
    pub id: Option<i64>,
    pub name: String,
    #[serde(default)]
    pub sort_order: i64,
    /// Per currency and cycle (the product's cycle); none at all: free.
    #[serde(default)]
    pub prices: Vec<PriceRequest>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigOptionRequest {
    pub name: String,
    /// dropdown, radio, quantity or yesno (cannot change later).
    pub kind: String,
    /// Orders must give it.
    #[serde(default)]
    pub required: bool,
    /// Quantity options: the allowed range (the maximum may be left out).
    pub min_quantity: Option<i64>,
    pub max_quantity: Option<i64>,
    #[serde(default)]
    pub sort_order: i64,
    /// active (default) or retired.
    pub status: Option<String>,
    /// Every choice (a quantity or yes/no option has exactly one); choices
    /// left out on update are retired.
    #[serde(default)]
    pub choices: Vec<ChoiceRequest>,
}

impl From<ConfigOptionRequest> for OptionInput {
    fn from(r: ConfigOptionRequest) -> Self {
        OptionInput {
            name: r.name,
            kind: r.kind,
            required: r.required,
            min_quantity: r.min_quantity,
            max_quantity: r.max_quantity,
            sort_order: r.sort_order,
            status: r.status.unwrap_or_else(|| "active".into()),
            choices: r
                .choices
                .into_iter()
                .map(|c| ChoiceInput {
                    id: c.id,
                    name: c.name,
                    sort_order: c.sort_order,
                    prices: c.prices.into_iter().map(PriceInput::from).collect(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffOptionResponse {
    pub success: bool,
    pub data: OptionView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffOptionList {
    pub success: bool,
    pub data: Vec<OptionView>,
}

/// A product's configurable options, retired ones included.
#[utoipa::path(get, path = "/api/v1/products/{product}/options", tag = "Staff catalog", operation_id = "staffListOptions",
    security(("bearerAuth" = [])), params(("product" = String, Path, description = "Product id, uuid or slug")),
    responses((status = 200, body = StaffOptionList), (status = 404, body = ApiError)))]
pub async fn list_options(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let product = path.into_inner();
    let (list, currencies) = state
        .db
        .run(move |db| {
            Ok((
                config_options::of_product_staff(db, &staff.0, &product)?,
                catalog::currencies(db)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(StaffOptionList {
        success: true,
        data: list
            .iter()
            .map(|o| option_view(o, &currencies, None))
            .collect(),
    }))
}

/// Add a configurable option with its choices to a product (needs
/// `catalog:write`).
#[utoipa::path(post, path = "/api/v1/products/{product}/options", tag = "Staff catalog", operation_id = "staffCreateOption",
    security(("bearerAuth" = [])), params(("product" = String, Path, description = "Product id, uuid or slug")),
    request_body = ConfigOptionRequest,
    responses((status = 201, body = StaffOptionResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create_option(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<ConfigOptionRequest>,
) -> Result<HttpResponse, AppError> {
    let product = path.into_inner();
    let input = OptionInput::from(body.into_inner());
    let now = state.now();
    let (o, currencies) = state
        .db
        .run(move |db| {
            Ok((
                config_options::create(db, &staff.0, &product, input, &meta.0, now)?,
                catalog::currencies(db)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Created().json(StaffOptionResponse {
        success: true,
        data: option_view(&o, &currencies, None),
    }))
}

/// Change a configurable option and its choices (needs `catalog:write`).
#[utoipa::path(put, path = "/api/v1/options/{option}", tag = "Staff catalog", operation_id = "staffUpdateOption",
    security(("bearerAuth" = [])), params(("option" = String, Path, description = "Option id or uuid")),
    request_body = ConfigOptionRequest,
    responses((status = 200, body = StaffOptionResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update_option(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<ConfigOptionRequest>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let input = OptionInput::from(body.into_inner());
    let now = state.now();
    let (o, currencies) = state
        .db
        .run(move |db| {
            Ok((
                config_options::update(db, &staff.0, &ident, input, &meta.0, now)?,
                catalog::currencies(db)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(StaffOptionResponse {
        success: true,
        data: option_view(&o, &currencies, None),
    }))
}

/// Retire a configurable option: new orders no longer see it.
#[utoipa::path(delete, path = "/api/v1/options/{option}", tag = "Staff catalog", operation_id = "staffRetireOption",
    security(("bearerAuth" = [])), params(("option" = String, Path, description = "Option id or uuid")),
    responses((status = 200, body = SuccessMessage), (status = 404, body = ApiError)))]
pub async fn retire_option(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let now = state.now();
    state
        .db
        .run(move |db| config_options::retire(db, &staff.0, &ident, &meta.0, now))
        .await?;
    Ok(retired("Option"))
}

// ---- TLDs ----

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TldPriceRequest {
    pub currency: String,
    /// The term, 1 to 10.
    pub years: i64,
    /// Exact decimal text (or `register_minor`).
    pub register: Option<String>,
    pub register_minor: Option<i64>,
    /// Leave out where renewing for this term is not offered.
    pub renew: Option<String>,
    pub renew_minor: Option<i64>,
    /// Leave out where transfers for this term are not offered.
    pub transfer: Option<String>,
    pub transfer_minor: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TldRequest {
    /// `.com` or `com`.
    pub tld: String,
    #[serde(default)]
    pub requires_manual_check: bool,
    #[serde(default)]
    pub supports_id_protection: bool,
    /// active (default) or retired.
    pub status: Option<String>,
    #[serde(default)]
    pub sort_order: i64,
    /// Replaces every price.
    #[serde(default)]
    pub prices: Vec<TldPriceRequest>,
}

impl From<TldRequest> for TldInput {
    fn from(r: TldRequest) -> Self {
        TldInput {
            tld: r.tld,
            requires_manual_check: r.requires_manual_check,
            supports_id_protection: r.supports_id_protection,
            status: r.status.unwrap_or_else(|| "active".into()),
            sort_order: r.sort_order,
            prices: r
                .prices
                .into_iter()
                .map(|p| TldPriceInput {
                    currency: p.currency,
                    years: p.years,
                    register: p.register,
                    register_minor: p.register_minor,
                    renew: p.renew,
                    renew_minor: p.renew_minor,
                    transfer: p.transfer,
                    transfer_minor: p.transfer_minor,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffTldResponse {
    pub success: bool,
    pub data: DomainTldView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffTldList {
    pub success: bool,
    pub data: Vec<DomainTldView>,
}

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
