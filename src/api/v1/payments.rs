//! Card payments: starting one (reference 000 `payments/start`), its
//! status and timeline, the gateways' webhooks, and staff refunds.

use crate::integrations::gateways::Flow;
use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::api::{
    extract::keyed,
    extract::{ApiPrincipal, ApiStaff, Meta, client_ident},
    v1::orders::parse_json,
    v1::views::invoices::{InvoiceView, invoice_view},
};
use crate::{
    domain::{money::Money, money_input::MoneyInput},
    error::{ApiError, AppError},
    service::{
        billing,
        email::Branding,
        idempotency::{self, KeyedRequest, Surface},
        payments::gateway_payments::{self, PaymentHistory, StartInput, StartOutcome},
        payments::refunds::{self, RefundRequest},
    },
    state::AppState,
    store::{currencies::Currency, payment_attempts::Attempt, refunds::Refund},
};

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

/// Reference 000 `PaymentTimelineEvent`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEvent {
    pub id: String,
    /// `pending`, `failed`, `succeeded`, `completed`, `refunded`…
    pub status: String,
    /// `attempt`, `payment`, `refund` or `credit`.
    #[serde(rename = "type")]
    pub kind: String,
    pub context: String,
    #[schema(value_type = Object)]
    pub gateway: serde_json::Value,
    pub amount: Money,
    #[schema(value_type = Object, nullable)]
    pub presentment: Option<serde_json::Value>,
    pub transaction_id: Option<String>,
    #[schema(value_type = Object, nullable)]
    pub decline: Option<serde_json::Value>,
    pub notes: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineSummary {
    pub total: Money,
    pub paid: Money,
    pub credit_applied: Money,
    pub refunded: Money,
    pub balance_due: Money,
    pub attempts: usize,
    pub payments: usize,
}

/// Reference 000 `InvoicePaymentTimeline`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentTimeline {
    pub invoice: InvoiceView,
    pub summary: TimelineSummary,
    pub timeline: Vec<TimelineEvent>,
}

fn gateway_json(code: &str) -> serde_json::Value {
    serde_json::json!({ "code": code })
}

fn attempt_event(a: &Attempt, c: &Currency) -> TimelineEvent {
    TimelineEvent {
        id: format!("attempt-{}", a.id),
        status: a.status.clone(),
        kind: "attempt".into(),
        context: "Invoice payment".into(),
        gateway: gateway_json(&a.gateway),
        amount: billing::money(a.amount, c),
        presentment: None,
        transaction_id: a.transaction_id.clone(),
        decline: a
            .failure
            .as_ref()
            .map(|f| serde_json::json!({ "message": f })),
        notes: (a.fee > 0)
            .then(|| format!("includes a fee of {}", billing::format_money(a.fee, c))),
        created_at: a.created_at.clone(),
        updated_at: a.updated_at.clone(),
    }
}

fn refund_event(r: &Refund, c: &Currency) -> TimelineEvent {
    TimelineEvent {
        id: format!("refund-{}", r.id),
        status: r.status.clone(),
        kind: "refund".into(),
        context: format!("Refund to {}", r.destination),
        gateway: serde_json::Value::Null,
        amount: billing::money(r.amount, c),
        presentment: None,
        transaction_id: r.gateway_reference.clone(),
        // Staff's reason and the gateway's words on a refused refund are
        // for staff (the audit log), not the customer's timeline.
        decline: None,
        notes: None,
        created_at: r.created_at.clone(),
        updated_at: r.updated_at.clone(),
    }
}

fn timeline(h: &PaymentHistory) -> PaymentTimeline {
    let c = &h.currency;
    let mut events: Vec<TimelineEvent> = h.attempts.iter().map(|a| attempt_event(a, c)).collect();
    for p in &h.payments {
        events.push(TimelineEvent {
            id: format!("payment-{}", p.id),
            status: if p.refunded >= p.amount {
                "refunded".into()
            } else {
                "completed".into()
            },
            kind: "payment".into(),
            context: "Invoice payment".into(),
            gateway: gateway_json(&p.gateway),
            amount: billing::money(p.amount, c),
            presentment: None,
            transaction_id: Some(p.transaction_id.clone()),
            decline: None,
            notes: None,
            created_at: p.created_at.clone(),
            updated_at: p.created_at.clone(),
        });
    }
    if h.invoice.credit_applied > 0 {
        events.push(TimelineEvent {
            id: "credit".into(),
            status: "completed".into(),
            kind: "credit".into(),
            context: "Account credit applied".into(),
            gateway: gateway_json("credit"),
            amount: billing::money(h.invoice.credit_applied, c),
            presentment: None,
            transaction_id: None,
            decline: None,
            notes: None,
            created_at: h.invoice.created_at.clone(),
            updated_at: h.invoice.created_at.clone(),
        });
    }
    events.extend(h.refunds.iter().map(|r| refund_event(r, c)));
    events.sort_by(|a, b| a.created_at.cmp(&b.created_at));
    let refunded = h
        .refunds
        .iter()
        .filter(|r| r.status == "succeeded")
        .map(|r| r.amount)
        .sum();
    PaymentTimeline {
        invoice: invoice_view(&h.invoice, c),
        summary: TimelineSummary {
            total: billing::money(h.invoice.total, c),
            paid: billing::money(h.invoice.amount_paid, c),
            credit_applied: billing::money(h.invoice.credit_applied, c),
            refunded: billing::money(refunded, c),
            balance_due: billing::money(h.invoice.balance_due(), c),
            attempts: h.attempts.len(),
            payments: h.payments.len(),
        },
        timeline: events,
    }
}

/// Everything that happened to an invoice's money: attempts (with decline
/// reasons), payments, credit applied and refunds, oldest first.
#[utoipa::path(get, path = "/api/v1/clients/{client}/invoices/{invoice}/payment-timeline", tag = "Invoices",
    operation_id = "invoicePaymentTimeline", security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("invoice" = String, Path, description = "Invoice id or uuid")),
    responses((status = 200, body = PaymentTimeline), (status = 404, body = ApiError)))]
pub async fn payment_timeline(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, invoice) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let h = state
        .db
        .run(move |db| gateway_payments::history(db, &who.0, &ident, &invoice))
        .await?;
    Ok(HttpResponse::Ok().json(timeline(&h)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentStatusView {
    pub invoice_id: i64,
    pub invoice_number: Option<String>,
    /// The invoice's status: `unpaid`, `paid`, `cancelled`, `refunded`.
    pub status: String,
    pub paid: bool,
    pub total: Money,
    pub balance_due: Money,
    /// The latest attempt: `pending`, `succeeded`, `failed`…
    pub payment_status: Option<String>,
    pub gateway: Option<String>,
    pub decline: Option<String>,
}

/// Whether an invoice is paid, and how its latest payment attempt stands
/// (poll this after a customer pays).
#[utoipa::path(get, path = "/api/v1/clients/{client}/invoices/{invoice}/payment-status", tag = "Invoices",
    operation_id = "invoicePaymentStatus", security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("invoice" = String, Path, description = "Invoice id or uuid")),
    responses((status = 200, body = PaymentStatusView), (status = 404, body = ApiError)))]
pub async fn payment_status(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (client, invoice) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let h = state
        .db
        .run(move |db| gateway_payments::history(db, &who.0, &ident, &invoice))
        .await?;
    let last = h.attempts.last();
    Ok(HttpResponse::Ok().json(PaymentStatusView {
        invoice_id: h.invoice.id,
        invoice_number: h.invoice.number.clone(),
        status: h.invoice.status.clone(),
        paid: h.invoice.status == "paid",
        total: billing::money(h.invoice.total, &h.currency),
        balance_due: billing::money(h.invoice.balance_due(), &h.currency),
        payment_status: last.map(|a| a.status.clone()),
        gateway: last.map(|a| a.gateway.clone()),
        decline: last.and_then(|a| a.failure.clone()),
    }))
}

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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundBody {
    /// Decimal text in the payment's currency; omit to refund all that is left.
    pub amount: Option<String>,
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
