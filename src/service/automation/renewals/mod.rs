//! Renewal invoices. A service's periods follow `domain::cycle` from its
//! registration date; the period starting on `next_due_date` (and any
//! after it, for a server that was down or a client who did not pay) is
//! invoiced `invoice_days_before` days ahead, oldest first, each period
//! once (a UNIQUE index on the service lines). `next_due_date` moves only
//! when a renewal is paid (`advance_paid`, called by `billing` when an
//! invoice is paid in full).

mod ahead;
mod due;
mod invoicing;
mod issue;
mod lines;
mod period_end;
mod periods;
#[cfg(test)]
mod tests;

pub use crate::domain::cycle::period_from;
pub use ahead::renew;
pub use due::{DueRenewal, due};
pub use invoicing::{invoice_due, renew_now};
pub(crate) use issue::{RenewalLine, issue_lines};
pub use period_end::cancel_at_period_end;
