//! Module tasks: the provisioning queue, failed tasks first, with a Retry
//! button on each failed one; and the to-dos the manual module left for
//! staff to do by hand.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use super::{CsrfForm, Staff, id_of};
use crate::{
    domain::scopes::Scope,
    service::{
        services::admin_views::{self, ManualTodo, TASK_STATUSES},
        services::service_records,
    },
    store::module_tasks::ModuleTask,
    web::errors::PageError,
    web::{
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

/// How many tasks and to-dos a page shows.
const SHOWN: i64 = 200;

#[derive(Template)]
#[template(path = "admin/tasks.html")]
struct TasksPage {
    layout: Layout,
    csrf: String,
    form: FormState,
    notice: Option<String>,
    /// The status filter; empty for every task, failed first.
    status: String,
    statuses: [&'static str; 5],
    failed: i64,
    tasks: Vec<ModuleTask>,
    can_retry: bool,
    todos: Vec<ManualTodo>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct TaskQuery {
    status: Option<String>,
    /// The task just queued again.
    retried: Option<i64>,
}

async fn render(
    web: &mut Web,
    staff: &Staff,
    http: StatusCode,
    status: Option<String>,
    form: FormState,
    notice: Option<String>,
) -> Result<HttpResponse, PageError> {
    let (member, filter) = (staff.member.clone(), status.clone());
    let (tasks, failed, todos) = web
        .state
        .db
        .run(move |db| {
            Ok((
                admin_views::task_board(db, &member, filter.as_deref(), SHOWN)?,
                admin_views::failed_task_count(db, &member)?,
                admin_views::manual_todos(db, &member, None, SHOWN)?,
            ))
        })
        .await?;
    let page = TasksPage {
        layout: staff.layout(web, "Module tasks"),
        csrf: staff.csrf.clone(),
        form,
        notice,
        status: status.unwrap_or_default(),
        statuses: TASK_STATUSES,
        failed,
        tasks,
        can_retry: staff.may(Scope::ServicesWrite),
        todos,
    };
    Ok(web.html(http, page_html(&page)?))
}

pub async fn list(mut web: Web, q: aw::Query<TaskQuery>) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    let q = q.into_inner();
    let notice = q
        .retried
        .map(|id| format!("Task #{id} was queued again; the worker runs it shortly."));
    let status = q.status.filter(|s| !s.is_empty());
    render(
        &mut web,
        &staff,
        StatusCode::OK,
        status,
        FormState::default(),
        notice,
    )
    .await
}

/// Queue a failed task again, as `POST /api/v1/module-tasks/{task}/retry`
/// does.
pub async fn retry(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Admin, &form.csrf)?;
    let staff = Staff::of(&web)?;
    let id = id_of(&path)?;
    let (member, meta, now) = (staff.member.clone(), web.meta.clone(), web.state.now());
    let done = web
        .state
        .db
        .run(move |db| service_records::retry_task(db, &member, id, &meta, now))
        .await;
    match done {
        Ok(_) => Ok(web.redirect(&format!("/admin/tasks?retried={id}"))),
        Err(e) => {
            let (http, problems, _) = problem(e)?;
            render(&mut web, &staff, http, None, problems, None).await
        }
    }
}
