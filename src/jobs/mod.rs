//! The in-process scheduler. Each job is a plain async function
//! `run(state, now)` that tests and `till jobs run` can call directly; the
//! scheduler runs the ones that are due (remembering, in `job_runs`, when
//! each last ran, so a restart does not repeat or skip work), and the mail
//! and module-task workers also as soon as a write queues work for them
//! (`db::queued`).

mod cleanup;
mod db_maintenance;
pub mod domain_renewals;
pub mod domain_sync;
pub mod dunning;
pub mod mail_outbox;
pub mod module_tasks;
pub mod registrar_tasks;
pub mod renewals;
pub mod ticket_autoclose;
pub mod vat_checks;

use std::{collections::HashMap, future::Future, pin::Pin, time::Duration};

use jiff::{SignedDuration, Timestamp};
use tokio::sync::watch;

use crate::{
    domain::time::stamp,
    error::Result,
    state::AppState,
    store::job_runs::{self, NewRun},
};

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

/// Every job, in the order a tick runs them: billing first, so the mail
/// it queues goes out in the same tick.
pub fn all() -> Vec<Job> {
    vec![
        renewals::JOB,
        domain_renewals::JOB,
        dunning::JOB,
        mail_outbox::JOB,
        module_tasks::JOB,
        registrar_tasks::JOB,
        domain_sync::JOB,
        vat_checks::JOB,
        ticket_autoclose::JOB,
        cleanup::JOB,
        db_maintenance::JOB,
    ]
}

/// The billing automation, which `[jobs] billing = false` pauses.
fn is_billing(job: &Job) -> bool {
    job.name == renewals::JOB.name
        || job.name == domain_renewals::JOB.name
        || job.name == dunning::JOB.name
}

/// How often the scheduler looks for due jobs.
const TICK: Duration = Duration::from_secs(15);

/// The outcome of one job run.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    pub job: &'static str,
    pub count: u64,
    pub error: Option<String>,
    /// How long the job took (wall time, not the clock's).
    pub elapsed: Duration,
}

/// Run one job for `now` and record the run in `job_runs`.
pub async fn run_and_record(state: &AppState, job: &Job, now: Timestamp) -> Result<RunOutcome> {
    let started = state.now();
    let wall = std::time::Instant::now();
    let result = (job.run)(state.clone(), now).await;
    let finished = state.now();
    let outcome = RunOutcome {
        job: job.name,
        count: *result.as_ref().unwrap_or(&0),
        error: result.err().map(|e| e.to_string()),
        elapsed: wall.elapsed(),
    };
    let record = outcome.clone();
    state
        .db
        .run(move |db| {
            db.write(|tx| {
                job_runs::insert(
                    tx,
                    &NewRun {
                        job: record.job,
                        run_for: &stamp(now),
                        started_at: &stamp(started),
                        finished_at: &stamp(finished),
                        status: if record.error.is_some() {
                            "failed"
                        } else {
                            "ok"
                        },
                        count: i64::try_from(record.count).unwrap_or(i64::MAX),
                        error: record.error.as_deref(),
                    },
                )?;
                Ok(())
            })
        })
        .await?;
    match &outcome.error {
        None => tracing::debug!(job = job.name, count = outcome.count, "job ran"),
        Some(e) => tracing::error!(job = job.name, error = %e, "job failed"),
    }
    Ok(outcome)
}

/// Run every job once for `now` (what `till jobs run` does).
pub async fn run_all_once(state: &AppState, now: Timestamp) -> Result<Vec<RunOutcome>> {
    let mut out = Vec::new();
    for job in all() {
        out.push(run_and_record(state, &job, now).await?);
    }
    Ok(out)
}

fn is_due(last: Option<&Timestamp>, every: SignedDuration, now: Timestamp) -> bool {
    last.is_none_or(|last| now.duration_since(*last) >= every || now < *last)
}

/// Run the jobs that are due until `stop` turns true. A job that is running
/// when the stop comes finishes first.
pub async fn scheduler(state: AppState, mut stop: watch::Receiver<bool>) {
    let jobs = all();
    let mut last_run: HashMap<String, Timestamp> = state
        .db
        .run(|db| db.read(|c| Ok(job_runs::last_of_each(c)?)))
        .await
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(job, at)| Some((job, at.parse().ok()?)))
        .collect();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        let wakeups = state.db.wakeups().clone();
        let rung = tokio::select! {
            _ = tick.tick() => None,
            _ = wakeups.mail.notified() => Some(mail_outbox::JOB.name),
            _ = wakeups.modules.notified() => Some(module_tasks::JOB.name),
            _ = stop.changed() => break,
        };
        if *stop.borrow() {
            break;
        }
        let now = state.now();
        for job in &jobs {
            // A doorbell runs its own worker only; the other jobs wait for
            // their tick (so a burst of queued mail never runs billing).
            let run = match rung {
                Some(name) => job.name == name,
                None if !state.config.jobs.billing && is_billing(job) => false,
                None => is_due(last_run.get(job.name), job.every, now),
            };
            if !run {
                continue;
            }
            last_run.insert(job.name.to_string(), now);
            if let Err(e) = run_and_record(&state, job, now).await {
                tracing::error!(job = job.name, error = %e, "recording the job run failed");
            }
            if *stop.borrow() {
                break;
            }
        }
    }
    tracing::debug!("scheduler stopped");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_is_due_when_its_period_has_passed_or_the_clock_went_back() {
        let t: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let every = SignedDuration::from_mins(30);
        assert!(is_due(None, every, t));
        assert!(!is_due(Some(&t), every, t + SignedDuration::from_mins(29)));
        assert!(is_due(Some(&t), every, t + SignedDuration::from_mins(30)));
        assert!(is_due(Some(&t), every, t - SignedDuration::from_mins(1)));
    }
}
