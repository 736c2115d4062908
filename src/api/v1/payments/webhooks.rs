//! The gateways' webhooks: signed, once per event.

use crate::{
    error::{ApiError, AppError},
    service::{email::Branding, payments::gateway_payments},
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookReceipt {
    pub received: bool,
    pub event_id: String,
    /// `processed`, `ignored`, `rejected` or `duplicate`.
    pub outcome: String,
}

/// A gateway's webhook (`stripe` or `paystack`). The signature is checked
/// over the raw body (Stripe: `Stripe-Signature`, HMAC-SHA256, 300 s
/// tolerance; Paystack: `x-paystack-signature`, HMAC-SHA512, then confirmed
/// through verify); each event is processed once.
#[utoipa::path(post, path = "/api/v1/webhooks/{gateway}", tag = "Webhooks", operation_id = "gatewayWebhook",
    params(("gateway" = String, Path, description = "`stripe` or `paystack`")),
    responses((status = 200, body = WebhookReceipt), (status = 400, description = "Bad signature", body = ApiError),
              (status = 404, description = "Gateway not configured", body = ApiError)))]
pub async fn webhook(
    req: HttpRequest,
    state: aw::Data<AppState>,
    path: aw::Path<String>,
    body: aw::Bytes,
) -> Result<HttpResponse, AppError> {
    let code = path.into_inner();
    let header = match code.as_str() {
        "stripe" => "stripe-signature",
        "paystack" => "x-paystack-signature",
        _ => return Err(AppError::NotFound),
    };
    let signature = req
        .headers()
        .get(header)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let brand = Branding::from_config(&state.config);
    let now = state.now();
    let result = gateway_payments::webhook(
        &state.db,
        &state.gateways,
        &brand,
        &code,
        signature,
        body.to_vec(),
        now,
    )
    .await?;
    state.wake_mailer();
    Ok(HttpResponse::Ok().json(WebhookReceipt {
        received: true,
        event_id: result.event_id,
        outcome: result.outcome,
    }))
}
