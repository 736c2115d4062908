//! Chasing unpaid invoices: reminders before the due date, overdue notices,
//! the late fee, suspension and termination of overdue services, the end
//! of services cancelled at period end, and stale unpaid orders. Every
//! step is marked by a UNIQUE row or a guarded status change and works in
//! batches of one transaction each, so a re-run (or a run after a crash)
//! does nothing twice and a server that was down catches up.

use crate::service::services::suspension as service_steps;

mod batches;
mod counts;
mod invoice_steps;
mod preview;
mod run;
mod windows;

pub use counts::{DunningCounts, DunningPreview};
pub use preview::preview;
pub use run::run;
