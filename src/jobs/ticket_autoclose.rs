//! Close answered tickets nobody replied to (`service::support::auto_close`),
//! with the customer's notice a day before.

use jiff::{SignedDuration, Timestamp};

use super::{Job, JobFuture};
use crate::{error::Result, service::support::auto_close, state::AppState};

pub const JOB: Job = Job {
    name: "ticket_autoclose",
    every: SignedDuration::from_hours(1),
    run: |state, now| Box::pin(run(state, now)) as JobFuture,
};

pub async fn run(state: AppState, now: Timestamp) -> Result<u64> {
    let config = state.config.clone();
    let done = state
        .db
        .run(move |db| auto_close::run(db, &config, now))
        .await?;
    Ok((done.warned + done.closed) as u64)
}
