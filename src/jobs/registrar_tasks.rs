//! Run due registrar tasks (`service::domains::registrar_tasks`): claim
//! with a lease, call the registrar outside any transaction, record the
//! outcome.

use jiff::{SignedDuration, Timestamp};

use super::{Job, JobFuture};
use crate::{
    error::Result,
    service::{
        domains::{registrar_outcomes, registrar_tasks},
        email::Branding,
    },
    state::AppState,
};

pub const JOB: Job = Job {
    name: "registrar_tasks",
    every: SignedDuration::from_secs(30),
    run: |state, now| Box::pin(run(state, now)) as JobFuture,
};

const BATCH: i64 = 20;

/// Run what is due at `now`; answers how many calls succeeded.
pub async fn run(state: AppState, now: Timestamp) -> Result<u64> {
    let tasks = state
        .db
        .run(move |db| registrar_tasks::claim(db, now, BATCH))
        .await?;
    let brand = Branding::from_config(&state.config);
    // A domain with no nameservers of its own or its hosting's gets these.
    let defaults = match &state.config.domains.default_nameservers {
        d if d.is_empty() => state.config.dns.nameservers.clone(),
        d => d.clone(),
    };
    let mut done = 0;
    for task in tasks {
        let prepared = {
            let (keys, targets, task) = (state.keys.clone(), state.targets.clone(), task.clone());
            let defaults = defaults.clone();
            state
                .db
                .run(move |db| registrar_tasks::prepare(db, &keys, &targets, &defaults, &task))
                .await?
        };
        let answer = match prepared {
            Ok(p) => registrar_tasks::call(&p).await,
            Err(failure) => Err(failure),
        };
        if answer.is_ok() {
            done += 1;
        }
        let finished = state.now().max(now);
        state
            .db
            .run({
                let brand = brand.clone();
                move |db| registrar_outcomes::record(db, &brand, &task, answer, finished)
            })
            .await?;
    }
    Ok(done)
}
