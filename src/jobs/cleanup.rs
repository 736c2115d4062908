//! Delete what has ended: sessions revoked or expired over a month ago
//! (kept that long so users see recent ones), spent email links and login
//! challenges.

use jiff::{SignedDuration, Timestamp};

use super::{Job, JobFuture};
use crate::{
    app::AppState,
    domain::time::stamp,
    error::Result,
    store::{email_tokens, login_challenges, sessions},
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
                    + login_challenges::delete_expired_before(tx, &stamp(now))?;
                Ok(n as u64)
            })
        })
        .await
}
