//! Staff billing settings: the invoice number format and proforma mode.

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::{ApiStaff, Meta};
use crate::{
    error::{ApiError, AppError},
    service::numbering::{self, NumberingSettings},
    state::AppState,
};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BillingSettingsView {
    /// Tokens `{YYYY}`, `{YY}`, `{MM}` and exactly one `{SEQ}` (or `{SEQ:n}`,
    /// zero-padded to n digits); the sequence restarts whenever the rest of
    /// the rendered number changes. Default `{YYYY}-{SEQ:5}`.
    pub invoice_number_format: String,
    /// Unpaid invoices are proformas without a number; the tax invoice
    /// number is given when they are paid in full.
    #[serde(default)]
    pub proforma_invoices: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BillingSettingsResponse {
    pub data: BillingSettingsView,
}

fn view(s: NumberingSettings) -> BillingSettingsResponse {
    BillingSettingsResponse {
        data: BillingSettingsView {
            invoice_number_format: s.invoice_number_format,
            proforma_invoices: s.proforma_invoices,
        },
    }
}

/// The billing settings (needs `billing:read`).
#[utoipa::path(get, path = "/api/v1/billing-settings", tag = "Staff billing", operation_id = "getBillingSettings",
    security(("bearerAuth" = [])),
    responses((status = 200, body = BillingSettingsResponse), (status = 403, body = ApiError)))]
pub async fn get_settings(
    state: aw::Data<AppState>,
    staff: ApiStaff,
) -> Result<HttpResponse, AppError> {
    let s = state
        .db
        .run(move |db| numbering::settings(db, &staff.0))
        .await?;
    Ok(HttpResponse::Ok().json(view(s)))
}

/// Change the billing settings (needs `billing:write`). Numbers already
/// given never change.
#[utoipa::path(put, path = "/api/v1/billing-settings", tag = "Staff billing", operation_id = "saveBillingSettings",
    security(("bearerAuth" = [])), request_body = BillingSettingsView,
    responses((status = 200, body = BillingSettingsResponse), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn save_settings(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<BillingSettingsView>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    let input = NumberingSettings {
        invoice_number_format: b.invoice_number_format,
        proforma_invoices: b.proforma_invoices,
    };
    let now = state.now();
    let s = state
        .db
        .run(move |db| numbering::save(db, &staff.0, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(view(s)))
}
