//! Staff views of the machinery: recent job runs and the email log.

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::extract::ApiStaff;
use crate::{
    error::{ApiError, AppError},
    service::services::admin_views,
    state::AppState,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct JobRunView {
    pub id: i64,
    pub job: String,
    /// The instant the job ran for.
    pub run_for: String,
    pub started_at: String,
    pub finished_at: String,
    /// `ok` or `failed`.
    pub status: String,
    /// How many things the run handled.
    pub count: i64,
    pub error: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobRunList {
    pub success: bool,
    pub data: Vec<JobRunView>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct JobQuery {
    /// Only this job.
    pub job: Option<String>,
    /// At most this many runs (default 50, at most 500).
    pub limit: Option<i64>,
}

/// Recent runs of the scheduled jobs and what they did (needs `system:read`).
#[utoipa::path(get, path = "/api/v1/admin/jobs", tag = "Staff", operation_id = "listJobRuns",
    security(("bearerAuth" = [])), params(JobQuery),
    responses((status = 200, body = JobRunList), (status = 403, body = ApiError)))]
pub async fn jobs(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    q: aw::Query<JobQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let runs = state
        .db
        .run(move |db| admin_views::job_runs(db, &staff.0, q.job.as_deref(), q.limit))
        .await?;
    Ok(HttpResponse::Ok().json(JobRunList {
        success: true,
        data: runs
            .into_iter()
            .map(|r| JobRunView {
                id: r.id,
                job: r.job,
                run_for: r.run_for,
                started_at: r.started_at,
                finished_at: r.finished_at,
                status: r.status,
                count: r.count,
                error: r.error,
            })
            .collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmailView {
    pub id: i64,
    pub template: String,
    pub to: String,
    pub subject: String,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: String,
    pub last_error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmailList {
    pub success: bool,
    pub data: Vec<EmailView>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct EmailQuery {
    /// `pending`, `sent` or `failed`.
    pub status: Option<String>,
    pub limit: Option<i64>,
}

/// The email log: what was sent, what waits, what failed and why (needs
/// `system:read`).
#[utoipa::path(get, path = "/api/v1/admin/emails", tag = "Staff", operation_id = "listEmails",
    security(("bearerAuth" = [])), params(EmailQuery),
    responses((status = 200, body = EmailList), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn emails(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    q: aw::Query<EmailQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let rows = state
        .db
        .run(move |db| admin_views::emails(db, &staff.0, q.status.as_deref(), q.limit))
        .await?;
    Ok(HttpResponse::Ok().json(EmailList {
        success: true,
        data: rows
            .into_iter()
            .map(|e| EmailView {
                id: e.id,
                template: e.template,
                to: e.to_address,
                subject: e.subject,
                status: e.status,
                attempts: e.attempts,
                next_attempt_at: e.next_attempt_at,
                last_error: e.last_error,
                created_at: e.created_at,
                sent_at: e.sent_at,
            })
            .collect(),
    }))
}
