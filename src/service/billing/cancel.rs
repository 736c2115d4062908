//! Cancelling unpaid invoices: what billing gives back and releases.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::RequestMeta,
    domain::time::stamp,
    error::{AppError, Result},
    service::audit::{self, Actor, Event},
    store::{
        addons, automation as automation_store,
        invoices::{self, Invoice},
        payments, service_changes,
    },
};

/// What billing itself does when an unpaid invoice is cancelled, in the
/// caller's transaction: what was paid towards it becomes credit, the
/// renewal periods it billed count as unbilled again, and what waited for
/// it (a plan or cycle change, an addon bought later) is dropped. The
/// order's own lines are their owner's (`settlement::cancel_unpaid`).
/// Answers false (changing nothing) if it was not unpaid.
pub(crate) fn cancel_core(
    tx: &Connection,
    invoice: &Invoice,
    actor: Actor,
    meta: &RequestMeta,
    now: Timestamp,
    reason: &str,
) -> Result<bool> {
    let now_s = stamp(now);
    if !invoices::cancel(tx, invoice.id, &now_s)? {
        return Ok(false);
    }
    let returned = invoice.holds();
    if returned > 0 {
        if !invoices::give_back(tx, invoice.id, returned, &now_s)? {
            return Err(AppError::internal(
                "a cancelled invoice held less than it returns",
            ));
        }
        payments::move_credit(
            tx,
            invoice.client_id,
            returned,
            "invoice_cancelled",
            Some(invoice.id),
            &now_s,
        )?
        .ok_or_else(|| AppError::internal("credit balance went negative"))?;
    }
    // A period it billed counts as unbilled again (`cancel_invoice` may
    // then waive it instead); what waited for it is dropped.
    automation_store::set_period_outcome(tx, invoice.id, "released")?;
    crate::store::domain_renewals::release_terms(tx, invoice.id)?;
    // Rows that wait for an invoice name it; they go with it.
    for change in service_changes::pending_of_invoice(tx, invoice.id)? {
        service_changes::set_change_status(tx, change.id, "cancelled", &now_s)?;
    }
    for addon in addons::pending_of_invoice(tx, invoice.id)? {
        addons::cancel_pending(tx, addon.id, &now_s)?;
    }
    audit::record(
        tx,
        now,
        Event {
            actor,
            action: "invoice.cancelled",
            subject: Some(("invoice", invoice.id)),
            client_id: Some(invoice.client_id),
            ip: meta.ip.as_deref(),
            details: serde_json::json!({ "number": invoice.number, "returned_to_credit": returned, "reason": reason }),
        },
    )?;
    Ok(true)
}

/// A service stopped renewing (cancelled now, or at the end of its period)
/// or renews at another price or cycle: its unpaid renewal invoices for
/// periods from `from` on are cancelled, their periods released, so the
/// client is not chased for time they will not have (or is billed again
/// at the new terms). An invoice that also bills another service is left
/// for staff. Answers how many. Such an invoice belongs to no order, so
/// billing's own cancel is all of it.
pub(crate) fn cancel_renewals_from(
    tx: &Connection,
    service_id: i64,
    from: &str,
    reason: &str,
    now: Timestamp,
) -> Result<usize> {
    let ids = automation_store::unpaid_renewals_only_of(tx, service_id, from)?;
    for id in &ids {
        let invoice = invoices::find(tx, &id.to_string())?.ok_or(AppError::NotFound)?;
        cancel_core(
            tx,
            &invoice,
            Actor::System,
            &RequestMeta::default(),
            now,
            reason,
        )?;
    }
    Ok(ids.len())
}
