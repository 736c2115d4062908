//! Domain renewals, in the renewal engine: a domain's next term is
//! invoiced `domain_invoice_days_before` days before it expires (its own
//! setting, 30 by default) at the renewal price it was sold with, once per
//! term (`invoice_items_domain_period`); the customer is reminded at the
//! `domain_reminder_days` (30, 7, 1) — of the renewal, or of the expiry
//! when auto-renew is off; a domain whose expiry passes unrenewed is
//! `expired` (the registry's grace and redemption states come from the
//! sync as `registry_statuses`). A paid term reaches the registrar as a
//! `renew` task (`paid_domains`), and the registrar's answer sets the new
//! expiry (`renewed`). Turning auto-renew off cancels the unpaid renewal.

mod expiry;
mod invoicing;
mod reminders;
mod renewed;

pub use expiry::expire_lapsed;
pub(crate) use invoicing::cancel_open_renewals;
pub use invoicing::{due, invoice_due};
pub use reminders::remind;
pub(crate) use renewed::{Term, renewed, term_of};

use jiff::Timestamp;

use crate::{db::Db, error::Result, service::email::Branding};

/// Domains per write transaction.
const PER_BATCH: i64 = 200;

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RunReport {
    pub invoiced: u64,
    pub reminded: u64,
    pub expired: u64,
}

/// The whole daily round at `now`: invoice what is due, remind, expire.
pub fn run(db: &Db, brand: &Branding, now: Timestamp) -> Result<RunReport> {
    Ok(RunReport {
        invoiced: invoice_due(db, brand, now)?,
        reminded: remind(db, brand, now)?,
        expired: expire_lapsed(db, brand, now)?,
    })
}
