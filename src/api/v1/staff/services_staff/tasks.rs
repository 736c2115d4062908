//! The module task queue: list it and retry a task.

use actix_web::{HttpResponse, web as aw};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::extract::{ApiStaff, Meta};
use crate::{
    error::{ApiError, AppError},
    service::services::service_records,
    state::AppState,
};

use super::views::{TaskList, TaskResponse, TaskView};

#[derive(Debug, Deserialize, IntoParams)]
pub struct TaskFilter {
    /// queued, running, done, failed or cancelled.
    pub status: Option<String>,
    /// At most this many, newest first (default 100).
    pub limit: Option<i64>,
}

/// Module tasks, newest first (needs `services:read`).
#[utoipa::path(get, path = "/api/v1/module-tasks", tag = "Staff provisioning", operation_id = "listModuleTasks",
    security(("bearerAuth" = [])), params(TaskFilter),
    responses((status = 200, body = TaskList), (status = 403, body = ApiError)))]
pub async fn tasks(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    q: aw::Query<TaskFilter>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let list = state
        .db
        .run(move |db| service_records::tasks(db, &staff.0, q.status.as_deref(), limit))
        .await?;
    Ok(HttpResponse::Ok().json(TaskList {
        success: true,
        data: list.iter().map(TaskView::from).collect(),
    }))
}

/// Queue a failed task again now (needs `services:write`).
#[utoipa::path(post, path = "/api/v1/module-tasks/{task}/retry", tag = "Staff provisioning", operation_id = "retryModuleTask",
    security(("bearerAuth" = [])), params(("task" = i64, Path, description = "Task id")),
    responses((status = 202, body = TaskResponse), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn retry(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let now = state.now();
    let task = state
        .db
        .run(move |db| service_records::retry_task(db, &staff.0, id, &meta.0, now))
        .await?;
    Ok(HttpResponse::Accepted().json(TaskResponse {
        success: true,
        data: TaskView::from(&task),
        message: "Task queued again".into(),
    }))
}
