//! The settlement wing: the one dispatch between billing and the owners of
//! what invoices sell. When an invoice becomes paid, billing settles it
//! (number, receipt, audit) and each owner in `OWNERS` is handed the paid
//! invoice with its lines; when an unpaid invoice is cancelled, billing
//! gives back what it held and each owner drops what waited for it. A new
//! kind of line is a `LineOwner` in its own wing and one entry here.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::RequestMeta,
    error::Result,
    service::{
        audit::Actor,
        billing::{
            self, AddedFunds, Incoming,
            owner::{LineOwner, PaidInvoice},
        },
        domains::DomainOrders,
        email::Branding,
        services::{
            activation::OrderLines, cycle_changes::CycleChanges, plan_changes::PlanChanges,
            renewal_periods::RenewalPeriods, service_addons::AddonPurchases,
        },
    },
    store::{
        currencies::Currency,
        invoices::{self, Invoice},
        payments::Payment,
    },
};

/// Every owner of invoice lines, in the order a paid invoice reaches them.
pub static OWNERS: &[&dyn LineOwner] = &[
    &AddedFunds,
    &OrderLines,
    &PlanChanges,
    &CycleChanges,
    &AddonPurchases,
    &RenewalPeriods,
    &DomainOrders,
];

/// Once an invoice's new amounts are written: if it became paid, billing
/// settles it and every owner gets its lines. Answers the invoice as it
/// is now.
#[allow(clippy::too_many_arguments)]
pub(crate) fn settle_if_paid(
    tx: &Connection,
    brand: &Branding,
    before: &Invoice,
    amount: i64,
    currency: &Currency,
    actor: Actor,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Invoice> {
    let (after, paid) =
        billing::settle_invoice(tx, brand, before, amount, currency, actor, meta, now)?;
    if !paid {
        return Ok(after);
    }
    let lines = invoices::items(tx, after.id)?;
    let paid = PaidInvoice {
        invoice: &after,
        lines: &lines,
        brand,
        now,
    };
    for owner in OWNERS {
        owner.paid(tx, &paid)?;
    }
    // The invoice as billing settled it (what the payment did to it).
    Ok(after)
}

/// Money arrived for an invoice: recorded (the excess as credit) and the
/// invoice settled if that paid it.
pub(crate) fn apply_payment(
    tx: &Connection,
    brand: &Branding,
    invoice: &Invoice,
    currency: &Currency,
    p: &Incoming<'_>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<(Invoice, Payment)> {
    let payment = billing::record_incoming(tx, invoice, p, meta, now)?;
    let after = settle_if_paid(tx, brand, invoice, p.amount, currency, p.actor, meta, now)?;
    Ok((after, payment))
}

/// Cancel an unpaid invoice in the caller's transaction (staff, or the
/// automation for a stale order): billing gives back what it held, and
/// every owner drops what waited for it. False (nothing changed) if it was
/// not unpaid.
pub(crate) fn cancel_unpaid(
    tx: &Connection,
    invoice: &Invoice,
    actor: Actor,
    meta: &RequestMeta,
    now: Timestamp,
    reason: &str,
) -> Result<bool> {
    if !billing::cancel_core(tx, invoice, actor, meta, now, reason)? {
        return Ok(false);
    }
    for owner in OWNERS {
        owner.cancelled(tx, invoice, now)?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests;
