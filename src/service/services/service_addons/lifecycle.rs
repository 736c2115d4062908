//! An ordered addon's life: starting it, its invoice paid, or cancelled.

use crate::domain::time::today;
use jiff::Timestamp;
use rusqlite::Connection;

use crate::domain::status::ServiceStatus;
use crate::{
    domain::time::stamp,
    error::Result,
    service::notifications,
    store::{
        addons,
        orders::{self, Service},
    },
};

/// Start a pending addon: it renews with its service from the service's
/// next due date on (a one-time addon does not renew).
pub(super) fn start(
    tx: &Connection,
    s: &Service,
    id: i64,
    cycle: &str,
    now: Timestamp,
) -> Result<()> {
    let next_due = (cycle != "onetime")
        .then_some(s.next_due_date.as_deref())
        .flatten();
    addons::activate_service_addon(tx, id, &today(now).to_string(), next_due, &stamp(now))?;
    notifications::notify(
        tx,
        s.client_id,
        "addon_activated",
        "An addon is active",
        "",
        &format!("/account/services/{}/addons", s.id),
        now,
    )?;
    Ok(())
}

/// Start the addons paid for by `invoice_id` (called when an invoice is
/// paid in full). An addon whose service ended meanwhile is cancelled, and
/// what was paid stays on the paid invoice for staff to refund.
pub(crate) fn apply_paid(tx: &Connection, invoice_id: i64, now: Timestamp) -> Result<()> {
    for a in addons::pending_of_invoice(tx, invoice_id)? {
        let Some(s) = orders::find_service(tx, &a.service_id.to_string())? else {
            continue;
        };
        if matches!(s.status, ServiceStatus::Active | ServiceStatus::Suspended) {
            start(tx, &s, a.id, &a.billing_cycle, now)?;
        } else {
            addons::cancel_pending(tx, a.id, &stamp(now))?;
        }
    }
    Ok(())
}

/// The owner of lines of addons bought for a running service: a paid one starts.
pub struct AddonPurchases;

impl crate::service::billing::owner::LineOwner for AddonPurchases {
    fn name(&self) -> &'static str {
        "addon purchases"
    }

    fn paid(
        &self,
        tx: &rusqlite::Connection,
        paid: &crate::service::billing::owner::PaidInvoice<'_>,
    ) -> crate::error::Result<()> {
        apply_paid(tx, paid.invoice.id, paid.now)
    }
}
