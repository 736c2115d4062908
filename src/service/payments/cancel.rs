//! Staff cancelling an unpaid invoice.

use jiff::Timestamp;

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    db::Db,
    domain::scopes::Scope,
    error::{AppError, Result},
    service::{audit::Actor, email::Branding, services::renewal_periods, settlement},
    store::{
        automation as automation_store,
        invoices::{self, Invoice},
    },
};

/// What becomes of the renewal periods a cancelled invoice billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Periods {
    /// Unbilled again: the next renewal run invoices them afresh (the
    /// invoice was wrong), unless the service stopped renewing meanwhile.
    Release,
    /// Given free: they count as paid and the service's next due date
    /// moves past them.
    Waive,
}

/// Cancel an unpaid invoice (staff, `billing:write`). Whatever was already
/// paid towards it, by payment or from credit, goes to the client's credit,
/// so no money is lost; its order is cancelled, services that never
/// started are cancelled and their stock is put back; a plan change or
/// addon waiting for it is dropped; the renewal periods it billed are
/// released or waived (`periods`).
pub fn cancel_invoice(
    db: &Db,
    brand: &Branding,
    staff: &StaffPrincipal,
    invoice_ident: &str,
    periods: Periods,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Invoice> {
    staff.require(Scope::BillingWrite)?;
    db.write(|tx| {
        let invoice = invoices::find(tx, invoice_ident)?.ok_or(AppError::NotFound)?;
        let actor = Actor::from(&Principal::Staff(staff.clone()));
        let reason = match periods {
            Periods::Release => "staff",
            Periods::Waive => "staff_waived",
        };
        if !settlement::cancel_unpaid(tx, &invoice, actor, meta, now, reason)? {
            return Err(AppError::Conflict(format!(
                "only an unpaid invoice can be cancelled; this one is {}",
                invoice.status
            )));
        }
        if periods == Periods::Waive {
            automation_store::set_period_outcome(tx, invoice.id, "waived")?;
            renewal_periods::advance_paid(tx, brand, invoice.id, now)?;
        }
        invoices::find(tx, &invoice.id.to_string())?.ok_or(AppError::NotFound)
    })
}
