//! Money that arrives for an invoice: the one place it is written.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::domain::status::InvoiceStatus;
use crate::{
    auth::principal::RequestMeta,
    domain::time::stamp,
    error::{AppError, Result},
    service::audit::{self, Actor, Event},
    store::{
        invoices::{self, Invoice},
        payments::{self, Payment},
    },
};

/// Money that arrived for an invoice.
pub(crate) struct Incoming<'a> {
    pub gateway: &'a str,
    pub amount: i64,
    pub transaction_id: &'a str,
    pub recorded_by: &'a str,
    pub actor: Actor,
}

/// Record money that arrived for an invoice: what it owes is paid, the
/// rest becomes account credit (settling a paid invoice is the caller's,
/// `settlement::apply_payment`). An invoice that no longer waits for money
/// (paid another way meanwhile, or cancelled) turns all of it into credit:
/// money that arrived is never dropped.
pub(crate) fn record_incoming(
    tx: &Connection,
    invoice: &Invoice,
    p: &Incoming<'_>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Payment> {
    let applied = if invoice.status == InvoiceStatus::Unpaid {
        p.amount.min(invoice.balance_due())
    } else {
        0
    };
    let excess = p.amount - applied;
    let now_s = stamp(now);
    let payment_id = payments::insert(
        tx,
        &payments::NewPayment {
            uuid: &uuid::Uuid::new_v4().to_string(),
            client_id: invoice.client_id,
            invoice_id: invoice.id,
            gateway: p.gateway,
            amount: p.amount,
            currency: &invoice.currency,
            transaction_id: p.transaction_id,
            recorded_by: p.recorded_by,
            applied,
            now: &now_s,
        },
    )?;
    if applied > 0 {
        invoices::add_payment(tx, invoice.id, applied, &now_s)?;
    }
    if excess > 0 {
        payments::move_credit(
            tx,
            invoice.client_id,
            excess,
            "overpayment",
            Some(invoice.id),
            &now_s,
        )?
        .ok_or_else(|| AppError::internal("credit balance went negative"))?;
    }
    audit::record(
        tx,
        now,
        Event {
            actor: p.actor,
            action: "payment.recorded",
            subject: Some(("payment", payment_id)),
            client_id: Some(invoice.client_id),
            ip: meta.ip.as_deref(),
            details: serde_json::json!({ "invoice": invoice.number, "amount": p.amount, "applied": applied,
                                          "credited": excess, "gateway": p.gateway, "transaction_id": p.transaction_id }),
        },
    )?;
    payments::find(tx, &payment_id.to_string())?.ok_or(AppError::NotFound)
}
