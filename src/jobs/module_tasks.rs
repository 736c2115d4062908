//! Run due provisioning tasks (`service::services::module_tasks`): claim with a
//! lease, call the module outside any transaction, record the outcome.

use jiff::{SignedDuration, Timestamp};

use super::{Job, JobFuture};
use crate::{
    error::Result,
    service::{self, email::Branding, services::module_tasks},
    state::AppState,
};

pub const JOB: Job = Job {
    name: "module_tasks",
    every: SignedDuration::from_secs(30),
    run: |state, now| Box::pin(run(state, now)) as JobFuture,
};

const BATCH: i64 = 20;

/// Run what is due at `now`; answers how many tasks succeeded.
pub async fn run(state: AppState, now: Timestamp) -> Result<u64> {
    let tasks = state
        .db
        .run(move |db| module_tasks::claim(db, now, BATCH))
        .await?;
    let brand = Branding::from_config(&state.config);
    let staff_email = state.config.company.email.clone();
    let mut done = 0;
    for task in tasks {
        let prepared = {
            let (keys, targets, task) = (state.keys.clone(), state.targets.clone(), task.clone());
            state
                .db
                .run(move |db| module_tasks::prepare(db, &keys, &targets, &task, now))
                .await?
        };
        let outcome = match prepared {
            Ok((ctx, action)) => module_tasks::call(&ctx, action).await,
            Err(failure) => Err(failure),
        };
        if outcome.is_ok() {
            done += 1;
        }
        let created = (outcome.is_ok() && task.action == "create").then_some(task.service_id);
        let finished = state.now().max(now);
        let (brand, staff_email) = (brand.clone(), staff_email.clone());
        state
            .db
            .run(move |db| module_tasks::record(db, &brand, &staff_email, &task, outcome, finished))
            .await?;
        if let Some(service_id) = created {
            // The hosting service is live: its domain's default zone. A DNS
            // outage is kept on the zone for staff, never fails the task.
            service::dns::apply_default_zone(&state.ctx(), service_id, finished).await;
        }
    }
    if done > 0 {
        state.wake_mailer();
    }
    Ok(done)
}
