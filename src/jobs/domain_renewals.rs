//! Domain renewals (`service::domains::renewals`): invoice the terms due,
//! send the reminders, expire what lapsed. Hourly and idempotent: a term
//! is billed once, a reminder sent once, so running more often or again
//! after a crash does nothing twice.

use jiff::{SignedDuration, Timestamp};

use super::{Job, JobFuture};
use crate::{
    error::Result,
    service::{domains::renewals, email::Branding},
    state::AppState,
};

pub const JOB: Job = Job {
    name: "domain_renewals",
    every: SignedDuration::from_hours(1),
    run: |state, now| Box::pin(run(state, now)) as JobFuture,
};

/// Answers how many invoices, reminders and expiries it wrote.
pub async fn run(state: AppState, now: Timestamp) -> Result<u64> {
    let brand = Branding::from_config(&state.config);
    let report = state
        .db
        .run(move |db| renewals::run(db, &brand, now))
        .await?;
    Ok(report.invoiced + report.reminded + report.expired)
}
