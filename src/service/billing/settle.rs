//! An invoice that became paid: its number, receipt and audit row.

use jiff::Timestamp;
use rusqlite::Connection;

use super::format_money;
use crate::domain::status::InvoiceStatus;
use crate::domain::time::today;
use crate::{
    auth::principal::RequestMeta,
    error::{AppError, Result},
    service::{
        audit::{self, Actor, Event},
        email::{self, Branding},
        notifications, numbering,
    },
    store::{
        clients,
        currencies::Currency,
        invoices::{self, Invoice},
    },
};

/// What billing itself does when an invoice's new amounts make it paid: a
/// paid proforma takes its number, the customer is told and emailed a
/// receipt, and the audit row is written. Answers the invoice as it is now
/// and whether it became paid (when `settlement` hands its lines to their
/// owners).
#[allow(clippy::too_many_arguments)]
pub(crate) fn settle_invoice(
    tx: &Connection,
    brand: &Branding,
    before: &Invoice,
    amount: i64,
    currency: &Currency,
    actor: Actor,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<(Invoice, bool)> {
    let mut after = invoices::find(tx, &before.id.to_string())?.ok_or(AppError::NotFound)?;
    if after.status == InvoiceStatus::Paid && before.status != InvoiceStatus::Paid {
        if after.number.is_none() {
            // A paid proforma becomes a tax invoice now.
            numbering::number_at_payment(tx, before.id, today(now))?;
            after = invoices::find(tx, &before.id.to_string())?.ok_or(AppError::NotFound)?;
        }
        let client = clients::find(tx, before.client_id)?.ok_or(AppError::NotFound)?;
        notifications::notify(
            tx,
            client.id,
            "invoice_paid",
            &format!("Invoice {} is paid", after.display_number()),
            &format!("We received {}. Thank you.", format_money(amount, currency)),
            &format!("/account/invoices/{}", before.id),
            now,
        )?;
        email::queue(
            tx,
            now,
            &client.email,
            &email::PaymentReceipt {
                brand: brand.clone(),
                name: client.display_name(),
                invoice_number: after.display_number(),
                amount: format_money(amount, currency),
                link: brand.link("/account/invoices"),
            },
        )?;
        audit::record(
            tx,
            now,
            Event {
                actor,
                action: "invoice.paid",
                subject: Some(("invoice", before.id)),
                client_id: Some(before.client_id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "number": after.number }),
            },
        )?;
        return Ok((after, true));
    }
    Ok((after, false))
}
