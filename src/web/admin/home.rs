//! The admin home: who is logged in, failed provisioning tasks waiting for
//! staff, and the latest audit activity.

use actix_web::{HttpResponse, http::StatusCode};
use askama::Template;

use super::Staff;
use crate::{
    error::AppError,
    service::{audit, services::admin_views},
    store::audit::AuditRow,
    web::errors::PageError,
    web::{layout::Layout, page_html, session::Web},
};

#[derive(Template)]
#[template(path = "admin/home.html")]
struct HomePage {
    layout: Layout,
    name: String,
    role: &'static str,
    /// Failed module tasks; `None` when the member may not see tasks.
    failed: Option<i64>,
    /// `None` when the member may not read the audit trail.
    events: Option<Vec<AuditRow>>,
}

/// What the member may see; `None` for what their role keeps from them.
fn if_allowed<T>(result: Result<T, AppError>) -> Result<Option<T>, AppError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(AppError::Forbidden) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn page(mut web: Web) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    let member = staff.member.clone();
    let (failed, events) = web
        .state
        .db
        .run(move |db| {
            Ok((
                if_allowed(admin_views::failed_task_count(db, &member))?,
                if_allowed(audit::recent(db, &member, 20))?,
            ))
        })
        .await?;
    let page = HomePage {
        layout: staff.layout(&web, "Admin"),
        name: staff.name.clone(),
        role: staff.member.role.as_str(),
        failed,
        events,
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}
