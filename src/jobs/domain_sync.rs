//! The daily domain sync (`service::domains::sync`): each registrar's due
//! domains are asked with `info`, a few at a time (`CONCURRENCY`) and never
//! faster than the registrar's `rate_per_second`; registrars run one after
//! another, and a run takes at most `BATCH` domains.

use std::time::Duration;

use futures_util::{StreamExt, stream};
use jiff::{SignedDuration, Timestamp};

use super::{Job, JobFuture};
use crate::{
    error::Result,
    integrations::registrars::registrar_for,
    service::{
        domains::sync::{self, SyncBatch},
        email::Branding,
    },
    state::AppState,
};

pub const JOB: Job = Job {
    name: "domain_sync",
    every: SignedDuration::from_hours(1),
    run: |state, now| Box::pin(run(state, now)) as JobFuture,
};

/// Most domains asked in one run.
pub const BATCH: i64 = 2_000;
/// Most calls in flight to one registrar.
pub const CONCURRENCY: usize = 4;

/// Sync what is due at `now`; answers how many domains were asked.
pub async fn run(state: AppState, now: Timestamp) -> Result<u64> {
    let keys = state.keys.clone();
    let batches = state
        .db
        .run(move |db| sync::due(db, &keys, now, BATCH))
        .await?;
    let mut asked = 0;
    for batch in batches {
        asked += sync_registrar(&state, batch, now).await?;
    }
    Ok(asked)
}

async fn sync_registrar(state: &AppState, batch: SyncBatch, now: Timestamp) -> Result<u64> {
    let registrar = match registrar_for(&batch.config, &state.targets) {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(registrar = batch.registrar_id, error = %e, "registrar unusable; sync skipped");
            return Ok(0);
        }
    };
    // One call starts per tick: the registrar's rate, however many are in
    // flight.
    let mut pace = tokio::time::interval(Duration::from_secs(1) / batch.rate_per_second);
    pace.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let pace = tokio::sync::Mutex::new(pace);
    let registrar = registrar.as_ref();
    let answers: Vec<_> = stream::iter(batch.domains)
        .map(|(id, name)| {
            let pace = &pace;
            async move {
                pace.lock().await.tick().await;
                (id, registrar.info(&name).await)
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let count = answers.len() as u64;
    let brand = Branding::from_config(&state.config);
    for (id, answer) in answers {
        let finished = state.now().max(now);
        state
            .db
            .run({
                let brand = brand.clone();
                move |db| sync::record(db, &brand, id, answer, finished)
            })
            .await?;
    }
    Ok(count)
}
