//! A refund the gateway refused: what was set aside goes back.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::domain::status::InvoiceStatus;
use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    domain::time::stamp,
    error::{AppError, Result},
    service::{audit::Actor, billing, email::Branding},
    store::{
        invoices,
        payments::{self, Payment},
        refunds::Refund,
    },
};

/// A gateway refused a refund: what was set aside for it goes back where
/// it came from. A part that reopened an unpaid invoice pays it again as
/// far as it still owes (settling it if that pays it); whatever has no
/// place to go back to (the invoice was cancelled or paid meanwhile)
/// becomes account credit, so no money is lost.
#[allow(clippy::too_many_arguments)]
pub(super) fn put_back(
    tx: &Connection,
    brand: &Branding,
    staff: &StaffPrincipal,
    payment: &Payment,
    refund: &Refund,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    let now_s = stamp(now);
    let invoice = invoices::find(tx, &payment.invoice_id.to_string())?.ok_or(AppError::NotFound)?;
    let back = refund.from_invoice();
    let mut to_credit = refund.from_credit;
    if refund.reopened_invoice {
        let onto = if invoice.status == InvoiceStatus::Unpaid {
            back.min(invoice.balance_due())
        } else {
            0
        };
        if onto > 0 {
            invoices::add_payment(tx, invoice.id, onto, &now_s)?;
            if !payments::shift_applied(tx, payment.id, -onto)? {
                return Err(AppError::internal(
                    "a payment's applied part went out of range",
                ));
            }
            let currency = billing::currency(tx, &invoice.currency)?;
            let actor = Actor::from(&Principal::Staff(staff.clone()));
            crate::service::settlement::settle_if_paid(
                tx, brand, &invoice, onto, &currency, actor, meta, now,
            )?;
        }
        to_credit += back - onto;
    } else if invoice.status == InvoiceStatus::Cancelled {
        to_credit += back;
    } else {
        invoices::undo_give_back(tx, invoice.id, back, &now_s)?;
    }
    if to_credit > 0 {
        payments::move_credit(
            tx,
            payment.client_id,
            to_credit,
            "refund_failed",
            Some(invoice.id),
            &now_s,
        )?
        .ok_or_else(|| AppError::internal("credit balance went negative"))?;
    }
    Ok(())
}
