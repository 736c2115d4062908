//! Staff refunds (to credit, through the gateway, or recorded) and staff
//! recording a payment by invoice id (reference 002 `POST /payments`).

use crate::api::extract::{ApiStaff, Meta};
use crate::{
    domain::{money::Money, money_input::MoneyInput},
    error::{ApiError, AppError},
    service::{
        billing,
        email::Branding,
        payments::refunds::{self, RefundRequest},
    },
    state::AppState,
};
use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundBody {
    /// In the payment's currency (`5.00`, `"5.00"` or
    /// `{"amount_minor": 500}`); omit to refund all that is left.
    #[schema(value_type = Option<String>)]
    pub amount: Option<MoneyInput>,
    /// `credit` (account credit), `gateway` (back through Stripe or
    /// Paystack), or `external` (you paid it back yourself; recorded only).
    pub destination: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RefundView {
    pub id: i64,
    pub uuid: String,
    pub payment_id: i64,
    pub invoice_id: i64,
    pub amount: Money,
    pub destination: String,
    /// `succeeded` or `failed` (with `failure`).
    pub status: String,
    pub gateway_reference: Option<String>,
    pub failure: Option<String>,
    pub reason: String,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RefundResponse {
    pub success: bool,
    pub data: RefundView,
}

/// Refund a payment (needs `billing:write`): to credit, through the
/// gateway, or recorded as paid back outside till. Never more than was paid.
#[utoipa::path(post, path = "/api/v1/payments/{payment}/refund", tag = "Staff billing", operation_id = "refundPayment",
    security(("bearerAuth" = [])), params(("payment" = String, Path, description = "Payment id or uuid")),
    request_body = RefundBody,
    responses((status = 201, body = RefundResponse), (status = 404, body = ApiError), (status = 409, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn refund(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<RefundBody>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    let brand = Branding::from_config(&state.config);
    let now = state.now();
    let r = refunds::refund(
        &state.db,
        &state.gateways,
        &brand,
        staff.0,
        path.into_inner(),
        RefundRequest {
            amount: b.amount,
            destination: b.destination,
            reason: b.reason,
        },
        meta.0,
        now,
    )
    .await?;
    state.wake_mailer();
    let c = state
        .db
        .run({
            let code = r.currency.clone();
            move |db| db.read(|c| billing::currency(c, &code))
        })
        .await?;
    let status = if r.status == "failed" {
        actix_web::http::StatusCode::BAD_GATEWAY
    } else {
        actix_web::http::StatusCode::CREATED
    };
    Ok(HttpResponse::build(status).json(RefundResponse {
        success: r.status == "succeeded",
        data: RefundView {
            id: r.id,
            uuid: r.uuid.clone(),
            payment_id: r.payment_id,
            invoice_id: r.invoice_id,
            amount: billing::money(r.amount, &c),
            destination: r.destination.clone(),
            status: r.status.clone(),
            gateway_reference: r.gateway_reference.clone(),
            failure: r.failure.clone(),
            reason: r.reason.clone(),
            created_at: r.created_at.clone(),
        },
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordPaymentBody {
    /// Invoice id, uuid or number.
    #[schema(value_type = String)]
    pub invoice_id: serde_json::Value,
    /// In the invoice's currency: `29.99`, `"29.99"` or
    /// `{"amount_minor": 2999}`, read exactly.
    #[schema(value_type = Option<String>)]
    pub amount: Option<MoneyInput>,
    /// Or the amount in minor units.
    pub amount_minor: Option<i64>,
    /// e.g. `bank_transfer`.
    pub gateway: String,
    /// The bank or gateway reference; recorded once per gateway.
    pub transaction_id: String,
}

/// Record a payment (reference 002 `POST /payments`; needs
/// `billing:write`): the same as `POST /invoices/{invoice}/pay` with the
/// invoice in the body.
#[utoipa::path(post, path = "/api/v1/payments", tag = "Staff billing", operation_id = "recordPayment",
    security(("bearerAuth" = [])), request_body = RecordPaymentBody,
    responses((status = 201, body = crate::api::v1::views::invoices::PayResponse), (status = 404, body = ApiError),
              (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn record(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<RecordPaymentBody>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    let invoice = match b.invoice_id {
        serde_json::Value::String(s) => s,
        serde_json::Value::Number(n) => n.to_string(),
        _ => return Err(AppError::invalid("invoice_id", "give the invoice id")),
    };
    let input = crate::service::payments::RecordPayment {
        amount: crate::api::extract::money::amount_of(b.amount, b.amount_minor)?,
        gateway: b.gateway,
        transaction_id: b.transaction_id,
    };
    let (invoice, payment) =
        crate::api::v1::staff::billing::record_payment(&state, staff, meta, invoice, input)
            .await
            .map_err(|e| match e {
                // The invoice is named in the body here, not the path.
                AppError::NotFound => AppError::invalid("invoice_id", "no such invoice"),
                other => other,
            })?;
    Ok(
        HttpResponse::Created().json(crate::api::v1::views::invoices::pay_response(
            invoice, payment,
        )),
    )
}
