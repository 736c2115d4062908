//! Keep the database healthy in a long-running process: `PRAGMA optimize`
//! refreshes the query planner's statistics where they have gone stale (the
//! SQLite documentation recommends running it every few hours on
//! long-lived connections), and a passive checkpoint folds the WAL back into
//! the main file without blocking anyone.

use jiff::{SignedDuration, Timestamp};

use super::{Job, JobFuture};
use crate::{error::Result, state::AppState};

pub const JOB: Job = Job {
    name: "db_maintenance",
    every: SignedDuration::from_hours(6),
    run: |state, now| Box::pin(run(state, now)) as JobFuture,
};

pub async fn run(state: AppState, _now: Timestamp) -> Result<u64> {
    state.db.run(|db| db.optimize()).await
}
