//! What happened to an invoice's money (reference 000
//! `InvoicePaymentTimeline`) and a payment's status.

use crate::api::{
    extract::{ApiPrincipal, client_ident},
    v1::views::invoices::{InvoiceView, invoice_view},
};
use crate::domain::status::InvoiceStatus;
use crate::{
    domain::money::Money,
    error::{ApiError, AppError},
    service::{
        billing,
        payments::gateway_payments::{self, PaymentHistory},
    },
    state::AppState,
    store::{currencies::Currency, payment_attempts::Attempt, refunds::Refund},
};
use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::Serialize;
use utoipa::ToSchema;

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
        status: a.status.to_string(),
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
        status: h.invoice.status.to_string(),
        paid: h.invoice.status == InvoiceStatus::Paid,
        total: billing::money(h.invoice.total, &h.currency),
        balance_due: billing::money(h.invoice.balance_due(), &h.currency),
        payment_status: last.map(|a| a.status.to_string()),
        gateway: last.map(|a| a.gateway.clone()),
        decline: last.and_then(|a| a.failure.clone()),
    }))
}
