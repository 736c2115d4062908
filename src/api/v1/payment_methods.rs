//! `GET /api/v1/payment-methods` (reference 001 `/payment/fees`) and the
//! staff change of a method.

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::{ApiStaff, Meta};
use crate::{
    domain::tax::format_rate,
    error::{ApiError, AppError},
    service::billing::payment_methods::{self, MethodChange},
    state::AppState,
    store::payment_methods::PaymentMethod,
};

/// Reference 001's payment method with fees.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentMethodView {
    pub id: i64,
    /// `bank_transfer`, `credit`, ...
    pub code: String,
    pub name: String,
    /// A fixed fee in the invoice's currency units, e.g. `"0.3"`.
    pub fixed_fee: String,
    /// A percent of the amount, e.g. `"2.9"`.
    pub percent_fee: String,
    /// Shown with unpaid invoices (bank details).
    pub instructions: String,
    pub enabled: bool,
}

fn view(m: &PaymentMethod) -> PaymentMethodView {
    PaymentMethodView {
        id: m.id,
        code: m.code.clone(),
        name: m.name.clone(),
        fixed_fee: m.fee_fixed.clone(),
        percent_fee: format_rate(m.fee_percent_milli),
        instructions: m.instructions.clone(),
        enabled: m.enabled,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentMethodList {
    pub payments: Vec<PaymentMethodView>,
}

/// The payment methods customers may use, with their fees.
#[utoipa::path(get, path = "/api/v1/payment-methods", tag = "Invoices", operation_id = "paymentMethods",
    security(()), responses((status = 200, body = PaymentMethodList)))]
pub async fn list(state: aw::Data<AppState>) -> Result<HttpResponse, AppError> {
    let gateways = state.gateways.clone();
    let methods = state
        .db
        .run(move |db| payment_methods::enabled(db, &gateways))
        .await?;
    Ok(HttpResponse::Ok().json(PaymentMethodList {
        payments: methods.iter().map(view).collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentMethodChange {
    pub name: Option<String>,
    pub enabled: Option<bool>,
    pub instructions: Option<String>,
    /// Percent, e.g. `2.9` or `"2.9"`, read exactly.
    #[serde(
        default,
        deserialize_with = "crate::domain::money_input::exact_text_opt"
    )]
    pub percent_fee: Option<String>,
    /// An amount, e.g. `0.30` or `"0.30"`, read exactly.
    #[serde(
        default,
        deserialize_with = "crate::domain::money_input::exact_text_opt"
    )]
    pub fixed_fee: Option<String>,
    pub sort_order: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentMethodResponse {
    pub success: bool,
    pub data: PaymentMethodView,
}

/// Change a payment method: enable or disable it, its name, fees and
/// instructions (staff, `billing:write`).
#[utoipa::path(patch, path = "/api/v1/payment-methods/{code}", tag = "Staff billing", operation_id = "staffUpdatePaymentMethod",
    security(("bearerAuth" = [])), params(("code" = String, Path, description = "e.g. bank_transfer")),
    request_body = PaymentMethodChange,
    responses((status = 200, body = PaymentMethodResponse), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<PaymentMethodChange>,
) -> Result<HttpResponse, AppError> {
    let code = path.into_inner();
    let b = body.into_inner();
    let change = MethodChange {
        name: b.name,
        enabled: b.enabled,
        instructions: b.instructions,
        fee_percent: b.percent_fee,
        fee_fixed: b.fixed_fee,
        sort_order: b.sort_order,
    };
    let now = state.now();
    let m = state
        .db
        .run(move |db| payment_methods::update(db, &staff.0, &code, change, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(PaymentMethodResponse {
        success: true,
        data: view(&m),
    }))
}
