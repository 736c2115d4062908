//! Delete what has ended: sessions revoked or expired over a month ago
//! (kept that long so users see recent ones), spent email links and login
//! challenges, contact invitations ended a month ago, and job-run
//! records, idempotency keys and carts untouched for a month.

use jiff::{SignedDuration, Timestamp};

use super::{Job, JobFuture};
use crate::{
    domain::time::stamp,
    error::Result,
    state::AppState,
    store::{
        carts, contact_invitations, email_tokens, idempotency, job_runs, login_challenges, sessions,
    },
};

pub const JOB: Job = Job {
    name: "cleanup",
    every: SignedDuration::from_hours(1),
    run: |state, now| Box::pin(run(state, now)) as JobFuture,
};

const KEEP_ENDED_SESSIONS: SignedDuration = SignedDuration::from_hours(30 * 24);

pub async fn run(state: AppState, now: Timestamp) -> Result<u64> {
    state
        .db
        .run(move |db| {
            db.write(|tx| {
                let cutoff = stamp(now.checked_sub(KEEP_ENDED_SESSIONS).unwrap_or(now));
                let n = sessions::delete_ended_before(tx, &cutoff)?
                    + email_tokens::delete_expired_before(tx, &stamp(now))?
                    + login_challenges::delete_expired_before(tx, &stamp(now))?
                    + job_runs::delete_older_than(tx, &cutoff)?
                    + idempotency::delete_before(tx, &cutoff)?
                    + carts::delete_stale(tx, &cutoff)?
                    + contact_invitations::delete_ended_before(tx, &cutoff)?;
                Ok(n as u64)
            })
        })
        .await
}
