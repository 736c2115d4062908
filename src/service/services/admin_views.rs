//! What staff see of the machinery: the module task board, the to-dos the
//! manual module leaves, job runs and the email log. Read-only; each
//! function checks the scope its API endpoint checks, and the API and the
//! admin pages both call them.

use crate::domain::status::TaskStatus;
use crate::{
    auth::principal::StaffPrincipal,
    db::Db,
    domain::scopes::Scope,
    error::{AppError, Result},
    service::{services::module_errors, services::service_records},
    store::{
        PageRequest,
        audit::{self, AuditFilter},
        job_runs::{self, JobRun},
        module_tasks::{self, ModuleTask},
        outbox::{self, OutboxEmail},
    },
};

/// A module task's statuses, in the order staff look at them.
pub const TASK_STATUSES: [&str; 5] = ["failed", "queued", "running", "done", "cancelled"];
/// An email's statuses in the outbox (`pending` is still queued).
pub const EMAIL_STATUSES: [&str; 3] = ["pending", "sent", "failed"];
/// The audit action the manual module's to-dos are recorded under.
pub const MANUAL_TODO: &str = "module.manual_task";

fn one_of(field: &str, value: Option<&str>, allowed: &[&str]) -> Result<()> {
    match value {
        Some(v) if !allowed.contains(&v) => Err(AppError::invalid(
            field,
            format!("must be one of {}", allowed.join(", ")),
        )),
        _ => Ok(()),
    }
}

fn limit(value: Option<i64>) -> Result<i64> {
    match value.unwrap_or(50) {
        n @ 1..=500 => Ok(n),
        _ => Err(AppError::invalid("limit", "must be between 1 and 500")),
    }
}

/// Module tasks of one status, newest first; without a status every task,
/// failed ones first (they are what staff are emailed about), then queued,
/// running and done (needs `services:read`).
pub fn task_board(
    db: &Db,
    staff: &StaffPrincipal,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<ModuleTask>> {
    staff.require(Scope::ServicesRead)?;
    one_of("status", status, &TASK_STATUSES)?;
    match status {
        Some(_) => service_records::tasks(db, staff, status, limit),
        None => db.read(|c| {
            Ok(module_errors::tasks_for(
                staff,
                module_tasks::list_failed_first(c, limit)?,
            ))
        }),
    }
}

/// How many module tasks have failed for good and wait for staff (needs
/// `services:read`).
pub fn failed_task_count(db: &Db, staff: &StaffPrincipal) -> Result<i64> {
    staff.require(Scope::ServicesRead)?;
    db.read(|c| Ok(module_tasks::count_with_status(c, TaskStatus::Failed)?))
}

/// Work the manual module left for a person to do by hand.
#[derive(Debug, Clone)]
pub struct ManualTodo {
    pub id: i64,
    pub occurred_at: String,
    pub service_id: Option<i64>,
    /// The module action it stands for (create, suspend, ...).
    pub action: String,
    /// What to do, e.g. "Set up service #4 (Starter, example.com) for Ama".
    pub text: String,
}

/// The newest to-dos of the manual module, of every service or of one
/// (needs `services:read`: they say what provisioning needs done).
pub fn manual_todos(
    db: &Db,
    staff: &StaffPrincipal,
    service_id: Option<i64>,
    limit: i64,
) -> Result<Vec<ManualTodo>> {
    staff.require(Scope::ServicesRead)?;
    let filter = AuditFilter {
        action: Some(MANUAL_TODO.into()),
        subject_type: service_id.map(|_| "service".into()),
        subject_id: service_id,
        ..AuditFilter::default()
    };
    let page = PageRequest {
        page: 1,
        per_page: limit,
    };
    let rows = db.read(|c| Ok(audit::list(c, &filter, page)?.rows))?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let details: serde_json::Value = serde_json::from_str(&r.details).unwrap_or_default();
            let text = |key: &str| details[key].as_str().unwrap_or_default().to_string();
            ManualTodo {
                id: r.id,
                occurred_at: r.occurred_at,
                service_id: r
                    .subject_id
                    .filter(|_| r.subject_type.as_deref() == Some("service")),
                action: text("action"),
                text: text("todo"),
            }
        })
        .collect())
}

/// Recent runs of the scheduled jobs, newest first, optionally of one job;
/// `limit` 1 to 500, 50 when not given (needs `system:read`).
pub fn job_runs(
    db: &Db,
    staff: &StaffPrincipal,
    job: Option<&str>,
    max: Option<i64>,
) -> Result<Vec<JobRun>> {
    staff.require(Scope::SystemRead)?;
    let n = limit(max)?;
    db.read(|c| Ok(job_runs::recent(c, job, n)?))
}

/// The email log, newest first, optionally of one status (`pending`,
/// `sent` or `failed`); `limit` as for `job_runs` (needs `system:read`).
pub fn emails(
    db: &Db,
    staff: &StaffPrincipal,
    status: Option<&str>,
    max: Option<i64>,
) -> Result<Vec<OutboxEmail>> {
    staff.require(Scope::SystemRead)?;
    let n = limit(max)?;
    one_of("status", status, &EMAIL_STATUSES)?;
    db.read(|c| Ok(outbox::recent(c, status, n)?))
}
