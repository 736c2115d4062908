//! Reminders, overdue notices, late fees, suspensions, terminations, ends
//! of cancelled services and stale orders (see `service::automation::dunning`). Hourly
//! and idempotent.

use jiff::{SignedDuration, Timestamp};

use super::{Job, JobFuture};
use crate::{
    error::Result,
    service::{automation::dunning, email::Branding},
    state::AppState,
};

pub const JOB: Job = Job {
    name: "dunning",
    every: SignedDuration::from_hours(1),
    run: |state, now| Box::pin(run(state, now)) as JobFuture,
};

pub async fn run(state: AppState, now: Timestamp) -> Result<u64> {
    let brand = Branding::from_config(&state.config);
    let counts = state
        .db
        .run(move |db| dunning::run(db, &brand, now))
        .await?;
    tracing::info!(?counts, "dunning ran");
    Ok(counts.total())
}
