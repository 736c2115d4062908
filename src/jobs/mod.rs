//! The in-process scheduler. Each job is a plain async function
//! `run(state, now)` that tests and the CLI can call directly; the
//! scheduler runs the ones that are due, and the mail job also whenever
//! something is queued.

mod cleanup;
mod db_maintenance;
pub mod mail_outbox;

use std::{collections::HashMap, future::Future, pin::Pin, time::Duration};

use jiff::{SignedDuration, Timestamp};
use tokio::sync::watch;

use crate::{app::AppState, error::Result};

pub type JobFuture = Pin<Box<dyn Future<Output = Result<u64>> + Send>>;

/// A recurring job.
#[derive(Clone, Copy)]
pub struct Job {
    pub name: &'static str,
    /// How often it is due.
    pub every: SignedDuration,
    /// Does the work; answers how many things it handled.
    pub run: fn(AppState, Timestamp) -> JobFuture,
}

/// Every job, in the order a tick runs them.
pub fn all() -> Vec<Job> {
    vec![mail_outbox::JOB, cleanup::JOB, db_maintenance::JOB]
}

/// How often the scheduler looks for due jobs.
const TICK: Duration = Duration::from_secs(15);

/// Run the jobs that are due until `stop` turns true. A job that is running
/// when the stop comes finishes first.
pub async fn scheduler(state: AppState, mut stop: watch::Receiver<bool>) {
    let jobs = all();
    let mut last_run: HashMap<&'static str, Timestamp> = HashMap::new();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        let mail_now = tokio::select! {
            _ = tick.tick() => false,
            _ = state.mail_wakeup.notified() => true,
            _ = stop.changed() => break,
        };
        if *stop.borrow() {
            break;
        }
        let now = state.now();
        for job in &jobs {
            let wanted = mail_now && job.name == mail_outbox::JOB.name;
            let due = wanted
                || last_run
                    .get(job.name)
                    .is_none_or(|last| now.duration_since(*last) >= job.every || now < *last);
            if !due {
                continue;
            }
            last_run.insert(job.name, now);
            match (job.run)(state.clone(), now).await {
                Ok(count) => tracing::debug!(job = job.name, count, "job ran"),
                Err(e) => tracing::error!(job = job.name, error = %e, "job failed"),
            }
            if *stop.borrow() {
                break;
            }
        }
    }
    tracing::debug!("scheduler stopped");
}
