//! The in-process scheduler: a tick a minute; each job is a plain function
//! `run(state, now)` that tests and `till jobs run` can call directly.

mod db_maintenance;

use std::{collections::HashMap, time::Duration};

use jiff::{SignedDuration, Timestamp};
use tokio::sync::watch;

use crate::{app::AppState, error::Result};

/// A recurring job.
#[derive(Clone, Copy)]
pub struct Job {
    pub name: &'static str,
    /// How often it is due.
    pub every: SignedDuration,
    /// Does the work; answers how many things it handled.
    pub run: fn(&AppState, Timestamp) -> Result<u64>,
}

/// Every job, in the order a tick runs them.
pub fn all() -> Vec<Job> {
    vec![db_maintenance::JOB]
}

/// Run the jobs that are due until `stop` turns true. A job that is running
/// when the stop comes finishes first.
pub async fn scheduler(state: AppState, mut stop: watch::Receiver<bool>) {
    let jobs = all();
    let mut last_run: HashMap<&'static str, Timestamp> = HashMap::new();
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => break,
        }
        if *stop.borrow() {
            break;
        }
        let now = state.now();
        for job in &jobs {
            let due = last_run
                .get(job.name)
                .is_none_or(|last| now.duration_since(*last) >= job.every);
            if !due {
                continue;
            }
            last_run.insert(job.name, now);
            let job_state = state.clone();
            let run = job.run;
            let outcome = state.db.run(move |_| run(&job_state, now)).await;
            match outcome {
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
