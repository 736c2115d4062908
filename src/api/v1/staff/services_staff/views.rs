//! How staff see a service and its module tasks.

use serde::Serialize;
use utoipa::ToSchema;

use crate::store::{module_tasks::ModuleTask, services::ServiceRecord};

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskView {
    pub id: i64,
    pub service_id: i64,
    /// create, suspend, unsuspend, terminate, change_package.
    pub action: String,
    /// queued, running, done, failed or cancelled.
    pub status: String,
    pub attempts: i64,
    pub run_after: String,
    pub last_error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&ModuleTask> for TaskView {
    fn from(t: &ModuleTask) -> Self {
        TaskView {
            id: t.id,
            service_id: t.service_id,
            action: t.action.clone(),
            status: t.status.to_string(),
            attempts: t.attempts,
            run_after: t.run_after.clone(),
            last_error: t.last_error.clone(),
            created_at: t.created_at.clone(),
            updated_at: t.updated_at.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceView {
    pub id: i64,
    pub uuid: String,
    pub client_id: i64,
    pub order_id: Option<i64>,
    pub product_id: i64,
    pub status: String,
    pub billing_cycle: String,
    pub currency: String,
    pub recurring_amount_minor: i64,
    pub domain: Option<String>,
    pub registration_date: Option<String>,
    pub next_due_date: Option<String>,
    pub server_id: Option<i64>,
    pub username: Option<String>,
    pub provisioned_at: Option<String>,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<TaskView>>,
}

pub(super) fn view(s: &ServiceRecord, tasks: Option<&[ModuleTask]>) -> ServiceView {
    ServiceView {
        id: s.id,
        uuid: s.uuid.clone(),
        client_id: s.client_id,
        order_id: s.order_id,
        product_id: s.product_id,
        status: s.status.to_string(),
        billing_cycle: s.billing_cycle.clone(),
        currency: s.currency.clone(),
        recurring_amount_minor: s.recurring_amount,
        domain: s.domain.clone(),
        registration_date: s.registration_date.clone(),
        next_due_date: s.next_due_date.clone(),
        server_id: s.server_id,
        username: s.username.clone(),
        provisioned_at: s.provisioned_at.clone(),
        created_at: s.created_at.clone(),
        tasks: tasks.map(|t| t.iter().map(TaskView::from).collect()),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceResponse {
    pub success: bool,
    pub data: ServiceView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskResponse {
    pub success: bool,
    pub data: TaskView,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskList {
    pub success: bool,
    pub data: Vec<TaskView>,
}

/// A page of services (with `links` and `meta`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceList {
    pub data: Vec<ServiceView>,
    pub links: crate::api::extract::pagination::Links,
    pub meta: crate::api::extract::pagination::Meta,
}
