//! One service as staff see it: where it lives, its module tasks (with
//! Retry on a failed one) and the manual module's to-dos for it.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;

use super::{Staff, id_of};
use crate::{
    domain::scopes::Scope,
    service::{
        services::admin_views::{self, ManualTodo},
        services::service_records,
    },
    store::{module_tasks::ModuleTask, services::ServiceRecord},
    web::errors::PageError,
    web::{layout::Layout, page_html, session::Web},
};

#[derive(Template)]
#[template(path = "admin/service.html")]
struct ServicePage {
    layout: Layout,
    csrf: String,
    service: ServiceRecord,
    tasks: Vec<ModuleTask>,
    can_retry: bool,
    todos: Vec<ManualTodo>,
}

pub async fn show(mut web: Web, path: aw::Path<String>) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    let id = id_of(&path)?;
    let member = staff.member.clone();
    let ((service, tasks), todos) = web
        .state
        .db
        .run(move |db| {
            Ok((
                service_records::get(db, &member, &id.to_string())?,
                admin_views::manual_todos(db, &member, Some(id), 50)?,
            ))
        })
        .await?;
    let page = ServicePage {
        layout: staff.layout(&web, &format!("Service #{id}")),
        csrf: staff.csrf.clone(),
        service,
        tasks,
        can_retry: staff.may(Scope::ServicesWrite),
        todos,
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}
