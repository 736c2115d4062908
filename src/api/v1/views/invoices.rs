//! Reference 000's invoice and payment shapes.

use crate::domain::status::InvoiceStatus;
use crate::{
    domain::money::Money,
    service::billing,
    store::{
        currencies::Currency,
        invoices::{Invoice, Item},
        payments::Payment,
    },
};
use serde::Serialize;
use utoipa::ToSchema;

/// Reference 000 `Invoice`, with its amounts.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceView {
    pub id: i64,
    pub uuid: String,
    pub invoice_number: Option<String>,
    pub status: String,
    pub currency: String,
    pub subtotal: Money,
    pub tax_total: Money,
    pub total: Money,
    pub credit_applied: Money,
    pub amount_paid: Money,
    pub balance_due: Money,
    pub issue_date: String,
    pub due_date: Option<String>,
    pub paid_at: Option<String>,
    /// Printed on the invoice (e.g. the reverse-charge statement).
    pub notes: String,
}

pub(crate) fn invoice_view(i: &Invoice, c: &Currency) -> InvoiceView {
    let m = |v: i64| billing::money(v, c);
    InvoiceView {
        id: i.id,
        uuid: i.uuid.clone(),
        invoice_number: i.number.clone(),
        status: i.status.to_string(),
        currency: i.currency.clone(),
        subtotal: m(i.subtotal),
        tax_total: m(i.tax_total),
        total: m(i.total),
        credit_applied: m(i.credit_applied),
        amount_paid: m(i.amount_paid),
        balance_due: m(i.balance_due()),
        notes: i.notes.clone(),
        issue_date: i.issue_date.clone(),
        due_date: Some(i.due_date.clone()),
        paid_at: i.paid_at.clone(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceLineView {
    /// service, setup, addon, option, domain, discount, tax, credit, gateway_fee or manual.
    pub kind: String,
    pub description: String,
    pub service_id: Option<i64>,
    /// The domain a `domain` line registers or transfers.
    pub domain_id: Option<i64>,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub quantity: i64,
    pub unit_amount: Money,
    pub amount: Money,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceDetail {
    #[serde(flatten)]
    pub invoice: InvoiceView,
    pub items: Vec<InvoiceLineView>,
    /// The seller and buyer as they were when the invoice was issued.
    #[schema(value_type = Object)]
    pub seller: serde_json::Value,
    #[schema(value_type = Object)]
    pub buyer: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceResponse {
    pub data: InvoiceDetail,
}

pub(crate) fn line_view(item: &Item, c: &Currency) -> InvoiceLineView {
    InvoiceLineView {
        kind: item.kind.clone(),
        description: item.description.clone(),
        service_id: item.service_id,
        domain_id: item.domain_id,
        period_start: item.period_start.clone(),
        period_end: item.period_end.clone(),
        quantity: item.quantity,
        unit_amount: billing::money(item.unit_amount, c),
        amount: billing::money(item.amount, c),
    }
}

pub(crate) fn invoice_response(i: &Invoice, items: &[Item], c: &Currency) -> InvoiceResponse {
    InvoiceResponse {
        data: InvoiceDetail {
            items: items.iter().map(|it| line_view(it, c)).collect(),
            seller: serde_json::from_str(&i.seller).unwrap_or_default(),
            buyer: serde_json::from_str(&i.buyer).unwrap_or_default(),
            invoice: invoice_view(i, c),
        },
    }
}

/// Reference 000 `Payment`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentView {
    pub id: i64,
    pub uuid: String,
    pub invoice_id: i64,
    pub amount: Money,
    pub status: &'static str,
    pub transaction_id: Option<String>,
    pub gateway: Option<String>,
    pub created_at: String,
}

pub(crate) fn payment_view(p: &Payment, c: &Currency) -> PaymentView {
    PaymentView {
        id: p.id,
        uuid: p.uuid.clone(),
        invoice_id: p.invoice_id,
        amount: billing::money(p.amount, c),
        status: "completed",
        transaction_id: Some(p.transaction_id.clone()),
        gateway: Some(p.gateway.clone()),
        created_at: p.created_at.clone(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentList {
    pub data: Vec<PaymentView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PayResponse {
    pub success: bool,
    pub message: String,
    pub data: InvoiceView,
    pub payment: PaymentView,
}

pub(crate) fn pay_response(invoice: InvoiceView, payment: PaymentView) -> PayResponse {
    PayResponse {
        success: true,
        message: if invoice.status == InvoiceStatus::Paid.as_str() {
            "Invoice paid".into()
        } else {
            "Payment recorded".into()
        },
        data: invoice,
        payment,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CancelResponse {
    pub success: bool,
    pub data: InvoiceView,
}
