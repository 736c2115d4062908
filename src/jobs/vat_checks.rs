//! Ask VIES about the VAT ids that are due (`service::billing::vat_ids::run_due`):
//! never checked (an id given at sign-up), those VIES could not answer an
//! hour or more ago, and valid ones older than `vies.recheck_days`.

use jiff::{SignedDuration, Timestamp};

use super::{Job, JobFuture};
use crate::{error::Result, service::billing::vat_ids, state::AppState};

pub const JOB: Job = Job {
    name: "vat_checks",
    every: SignedDuration::from_mins(15),
    run: |state, now| Box::pin(run(state, now)) as JobFuture,
};

pub async fn run(state: AppState, now: Timestamp) -> Result<u64> {
    vat_ids::run_due(&state.db, &state.config.vies, now).await
}
