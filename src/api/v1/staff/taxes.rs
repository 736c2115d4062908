//! Staff tax resources: rules per country or state, and the two tax
//! settings. Which tax a buyer pays is decided in `service::billing::taxes`.

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{
    extract::{ApiStaff, Meta},
    v1::staff::keys::SuccessMessage,
};
use crate::{
    domain::tax::format_rate,
    error::{ApiError, AppError},
    service::billing::taxes::{self, NewRule, TaxSettings},
    state::AppState,
    store::taxes::TaxRule,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct TaxRuleView {
    pub id: i64,
    /// ISO 3166 alpha-2.
    pub country: String,
    /// Empty for the whole country.
    pub state: String,
    pub name: String,
    /// Percent as exact text, e.g. `"20"` or `"7.375"`.
    pub rate: String,
}

fn rule_view(r: &TaxRule) -> TaxRuleView {
    TaxRuleView {
        id: r.id,
        country: r.country.clone(),
        state: r.state.clone(),
        name: r.name.clone(),
        rate: format_rate(r.rate_milli),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaxRuleList {
    pub data: Vec<TaxRuleView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaxRuleResponse {
    pub success: bool,
    pub data: TaxRuleView,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TaxRuleRequest {
    pub country: String,
    #[serde(default)]
    pub state: String,
    /// As printed on invoices, e.g. `VAT`.
    pub name: String,
    /// Percent as exact text (up to three decimals), e.g. `"20"`.
    pub rate: String,
}

/// The tax rules (needs `catalog:read`).
#[utoipa::path(get, path = "/api/v1/tax-rules", tag = "Staff taxes", operation_id = "listTaxRules",
    security(("bearerAuth" = [])),
    responses((status = 200, body = TaxRuleList), (status = 403, body = ApiError)))]
pub async fn list_rules(
    state: aw::Data<AppState>,
    staff: ApiStaff,
) -> Result<HttpResponse, AppError> {
    let rules = state.db.run(move |db| taxes::rules(db, &staff.0)).await?;
    Ok(HttpResponse::Ok().json(TaxRuleList {
        data: rules.iter().map(rule_view).collect(),
    }))
}

/// Set the tax rule of a country, or of one of its states (needs
/// `catalog:write`); a place that has a rule gets it replaced.
#[utoipa::path(post, path = "/api/v1/tax-rules", tag = "Staff taxes", operation_id = "saveTaxRule",
    security(("bearerAuth" = [])), request_body = TaxRuleRequest,
    responses((status = 201, body = TaxRuleResponse), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn save_rule(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<TaxRuleRequest>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    let input = NewRule {
        country: b.country,
        state: b.state,
        name: b.name,
        rate: b.rate,
    };
    let now = state.now();
    let rule = state
        .db
        .run(move |db| taxes::save_rule(db, &staff.0, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Created().json(TaxRuleResponse {
        success: true,
        data: rule_view(&rule),
    }))
}

/// Delete a tax rule (needs `catalog:write`). Issued invoices keep their tax.
#[utoipa::path(delete, path = "/api/v1/tax-rules/{id}", tag = "Staff taxes", operation_id = "deleteTaxRule",
    security(("bearerAuth" = [])), params(("id" = i64, Path, description = "Tax rule id")),
    responses((status = 200, body = SuccessMessage), (status = 404, body = ApiError)))]
pub async fn delete_rule(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id: i64 = path.parse().map_err(|_| AppError::NotFound)?;
    let now = state.now();
    state
        .db
        .run(move |db| taxes::delete_rule(db, &staff.0, id, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(SuccessMessage {
        success: true,
        message: "Tax rule deleted".into(),
    }))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TaxSettingsView {
    /// Catalog prices already include tax (it is split out of them).
    pub prices_include_tax: bool,
    /// The seller's country (ISO 3166 alpha-2), for EU reverse charge;
    /// empty when not set.
    #[serde(default)]
    pub seller_country: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaxSettingsResponse {
    pub data: TaxSettingsView,
}

fn settings_view(s: TaxSettings) -> TaxSettingsResponse {
    TaxSettingsResponse {
        data: TaxSettingsView {
            prices_include_tax: s.prices_include_tax,
            seller_country: s.seller_country,
        },
    }
}

/// The tax settings (needs `catalog:read`).
#[utoipa::path(get, path = "/api/v1/tax-settings", tag = "Staff taxes", operation_id = "getTaxSettings",
    security(("bearerAuth" = [])),
    responses((status = 200, body = TaxSettingsResponse), (status = 403, body = ApiError)))]
pub async fn get_settings(
    state: aw::Data<AppState>,
    staff: ApiStaff,
) -> Result<HttpResponse, AppError> {
    let s = state
        .db
        .run(move |db| taxes::settings(db, &staff.0))
        .await?;
    Ok(HttpResponse::Ok().json(settings_view(s)))
}

/// Change the tax settings (needs `catalog:write`). They apply to quotes
/// and orders from now on; issued invoices keep their tax.
#[utoipa::path(put, path = "/api/v1/tax-settings", tag = "Staff taxes", operation_id = "saveTaxSettings",
    security(("bearerAuth" = [])), request_body = TaxSettingsView,
    responses((status = 200, body = TaxSettingsResponse), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn save_settings(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<TaxSettingsView>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    let input = TaxSettings {
        prices_include_tax: b.prices_include_tax,
        seller_country: b.seller_country,
    };
    let now = state.now();
    let s = state
        .db
        .run(move |db| taxes::save_settings(db, &staff.0, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(settings_view(s)))
}
