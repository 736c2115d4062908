//! End the services whose owners asked to cancel them at the end of the
//! billing period, once that period is over.

use jiff::{SignedDuration, Timestamp};

use super::{Job, JobFuture};
use crate::{app::AppState, error::Result, service::service_actions};

pub const JOB: Job = Job {
    name: "cancellations",
    every: SignedDuration::from_hours(1),
    run: |state, now| Box::pin(run(state, now)) as JobFuture,
};

pub async fn run(state: AppState, now: Timestamp) -> Result<u64> {
    state
        .db
        .run(move |db| service_actions::cancel_due(db, now))
        .await
}
