//! Issue the renewal invoices that are due (see `service::automation::renewals`).
//! Hourly, and idempotent: each period is billed once, so running more
//! often, twice for one day, or again after a crash creates nothing twice.

use jiff::{SignedDuration, Timestamp};

use super::{Job, JobFuture};
use crate::{
    error::Result,
    service::{automation::renewals, email::Branding},
    state::AppState,
};

pub const JOB: Job = Job {
    name: "renewals",
    every: SignedDuration::from_hours(1),
    run: |state, now| Box::pin(run(state, now)) as JobFuture,
};

pub async fn run(state: AppState, now: Timestamp) -> Result<u64> {
    let brand = Branding::from_config(&state.config);
    state
        .db
        .run(move |db| renewals::invoice_due(db, &brand, now))
        .await
}
