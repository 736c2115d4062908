//! Starting a card payment (reference 000 `payments/start`): a Stripe
//! PaymentIntent or a Paystack authorization, keyed by `Idempotency-Key`.

use crate::api::{
    extract::keyed,
    extract::{ApiPrincipal, Meta, client_ident},
    v1::orders::parse_json,
};
use crate::integrations::gateways::Flow;
use crate::{
    domain::money::Money,
    error::{ApiError, AppError},
    service::{
        billing,
        email::Branding,
        idempotency::{self, KeyedRequest, Surface},
        payments::gateway_payments::{self, StartInput, StartOutcome},
    },
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
pub struct StartRequestBody {
    /// `stripe` or `paystack`.
    pub gateway: String,
    /// Accepted for reference 000; cards are not stored by till.
    #[serde(default)]
    pub save_card: bool,
    /// Where Paystack sends the customer back (defaults to the client
    /// area's invoice page).
    pub callback_url: Option<String>,
}

/// Reference 000 `StripePaymentStart` / `PaystackPaymentStart`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentStartView {
    pub gateway: String,
    /// Stripe: `test` or `live`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_intent_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publishable_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// What the gateway collects (the balance due, with the method's fee).
    pub amount: Money,
    pub currency: String,
    pub fee: Money,
}

/// Reference 000 `PaymentStartResponse`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentStartResponse {
    pub message: String,
    pub invoice_id: i64,
    pub invoice_number: Option<String>,
    pub attempt_id: i64,
    pub payment: PaymentStartView,
}

/// The v1 answer to a started payment: 201 and `PaymentStartResponse`.
fn render_start(
    state: &AppState,
    callback: String,
) -> impl FnOnce(&StartOutcome) -> Result<(u16, String), AppError> + Send + use<> {
    let (publishable, mode) = state
        .gateways
        .stripe()
        .map(|s| (s.publishable_key().to_string(), s.mode().to_string()))
        .unwrap_or_default();
    move |o: &StartOutcome| {
        let stripe = o.attempt.gateway == "stripe";
        let payment = PaymentStartView {
            gateway: o.attempt.gateway.clone(),
            mode: stripe.then(|| mode.clone()),
            payment_intent_id: stripe.then(|| o.started.reference.clone()),
            client_secret: o.started.client_secret.clone(),
            publishable_key: stripe.then(|| publishable.clone()),
            reference: (!stripe).then(|| o.started.reference.clone()),
            authorization_url: (!stripe).then(|| o.started.redirect_url.clone()).flatten(),
            access_code: o.started.access_code.clone(),
            callback_url: (!stripe).then(|| callback.clone()),
            amount: billing::money(o.attempt.amount, &o.currency),
            currency: o.attempt.currency.clone(),
            fee: billing::money(o.attempt.fee, &o.currency),
        };
        let body = PaymentStartResponse {
            message: "Payment session created".into(),
            invoice_id: o.invoice.id,
            invoice_number: o.invoice.number.clone(),
            attempt_id: o.attempt.id,
            payment,
        };
        Ok((
            201,
            serde_json::to_string(&body).map_err(AppError::internal)?,
        ))
    }
}

/// Start paying an invoice with Stripe (a PaymentIntent client secret for
/// Stripe.js or the mobile SDKs) or Paystack (an authorization URL). The
/// payment completes when the gateway confirms it by webhook. Needs
/// `Idempotency-Key`: a retry replays the first answer and never opens a
/// second charge.
#[utoipa::path(post, path = "/api/v1/clients/{client}/invoices/{invoice}/payments/start", tag = "Invoices",
    operation_id = "startInvoicePayment", security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("invoice" = String, Path, description = "Invoice id or uuid"),
           ("Idempotency-Key" = String, Header, description = "Unique per payment attempt (at most 160 characters)")),
    request_body = StartRequestBody,
    responses((status = 201, body = PaymentStartResponse), (status = 404, body = ApiError),
              (status = 409, description = "Invoice is already paid or not payable", body = ApiError),
              (status = 422, body = ApiError), (status = 502, description = "The gateway refused", body = ApiError)))]
pub async fn start(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, String)>,
    body: aw::Bytes,
) -> Result<HttpResponse, AppError> {
    let (client, invoice) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    // What was asked: the invoice and the body (one key, one invoice).
    let mut digest = Sha256::new();
    digest.update(invoice.as_bytes());
    digest.update(b"\n");
    digest.update(&body);
    let checked = keyed::idempotency_key(&req)
        .and_then(|key| KeyedRequest::new(Surface::V1, &key, hex::encode(digest.finalize())))
        .and_then(|key| Ok((key, parse_json::<StartRequestBody>(&req, &body)?)));
    let (key, parsed) = match checked {
        Ok(ok) => ok,
        Err(e) => {
            let (who, client) = (who.0.clone(), ident.clone());
            state
                .db
                .run(move |db| gateway_payments::require_payer(db, &who, &client))
                .await?;
            return Err(e);
        }
    };
    let brand = Branding::from_config(&state.config);
    let return_url = match parsed
        .callback_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => u.to_string(),
        Some(_) => return Err(AppError::invalid("callback_url", "must be an http(s) URL")),
        None => brand.link("/account/payments/return/{ATTEMPT}"),
    };
    let input = StartInput {
        gateway: parsed.gateway,
        flow: Flow::Intent,
        key,
        cancel_url: return_url.clone(),
        return_url: return_url.clone(),
    };
    let render = render_start(&state, return_url);
    let now = state.now();
    let started = gateway_payments::start(
        &state.db,
        &state.gateways,
        who.0,
        ident,
        invoice,
        input,
        meta.0,
        now,
    )
    .await?;
    let answer = state
        .db
        .run(move |db| idempotency::answer(db, started, render))
        .await?;
    keyed::respond(answer)
}
