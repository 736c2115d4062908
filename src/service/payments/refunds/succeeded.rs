//! A refund that went through: credit, invoice status, the client's email.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    domain::time::stamp,
    error::{AppError, Result},
    service::{
        audit::{self, Actor, Event},
        billing::{self, format_money},
        email::{self, Branding},
    },
    store::{
        clients, invoices,
        payments::{self, Payment},
        refunds::Refund,
    },
};

use super::destination::Destination;

/// A refund went through: credit it if it goes to credit, mark the invoice
/// refunded once everything paid was given back, tell the client.
#[allow(clippy::too_many_arguments)]
pub(super) fn succeed(
    tx: &Connection,
    brand: &Branding,
    staff: &StaffPrincipal,
    payment: &Payment,
    refund: &Refund,
    destination: Destination,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    let now_s = stamp(now);
    if destination == Destination::Credit {
        payments::move_credit(
            tx,
            payment.client_id,
            refund.amount,
            "refund",
            Some(payment.invoice_id),
            &now_s,
        )?
        .ok_or_else(|| AppError::internal("credit balance went negative"))?;
    }
    let all_back = payments::of_invoice(tx, payment.invoice_id)?
        .iter()
        .all(|p| p.refunded >= p.amount);
    if all_back {
        invoices::mark_refunded(tx, payment.invoice_id, &now_s)?;
    }
    audit::record(
        tx,
        now,
        Event {
            actor: Actor::from(&Principal::Staff(staff.clone())),
            action: "refund.issued",
            subject: Some(("payment", payment.id)),
            client_id: Some(payment.client_id),
            ip: meta.ip.as_deref(),
            details: serde_json::json!({ "amount": refund.amount, "destination": destination.as_str(), "reason": refund.reason }),
        },
    )?;
    let invoice = invoices::find(tx, &payment.invoice_id.to_string())?.ok_or(AppError::NotFound)?;
    let client = clients::find(tx, payment.client_id)?.ok_or(AppError::NotFound)?;
    let currency = billing::currency(tx, &payment.currency)?;
    email::queue(
        tx,
        now,
        &client.email,
        &email::RefundIssued {
            brand: brand.clone(),
            name: client.display_name(),
            invoice_number: invoice.display_number(),
            amount: format_money(refund.amount, &currency),
            destination: destination.words().into(),
            link: brand.link(&format!("/account/invoices/{}", invoice.id)),
        },
    )?;
    Ok(())
}
