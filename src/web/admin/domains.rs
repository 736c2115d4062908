//! Domains as staff see them: every domain (filtered by status, or by how
//! soon it expires), one domain with its registrar tasks, Retry on a
//! failed task, "Sync now", and "Mark registered" for a pending domain the
//! manual registrar left to staff.
//! The scopes are those of `/api/v1/domains` (`services:read`, and
//! `services:write` to act), checked by `service::domains::staff_domains`.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use super::{CsrfForm, Staff, id_of};
use crate::{
    domain::scopes::Scope,
    service::{domains::staff_domains, email::Branding},
    store::{domains::Domain, registrars::tasks::RegistrarTask},
    web::errors::PageError,
    web::{
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

/// The "expiring within" filters, in days.
const WITHIN: [u32; 3] = [30, 60, 90];

#[derive(Template)]
#[template(path = "admin/domains.html")]
struct ListPage {
    layout: Layout,
    /// The status filter; empty for every domain.
    status: String,
    statuses: [&'static str; 5],
    /// The "expiring within" filter in days; 0 for none.
    within: u32,
    withins: [u32; 3],
    domains: Vec<Domain>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    status: Option<String>,
    /// Days: domains expiring within them, soonest first.
    within: Option<u32>,
}

pub async fn list(mut web: Web, q: aw::Query<ListQuery>) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    let q = q.into_inner();
    let status = q.status.filter(|s| !s.is_empty());
    let within = q.within.filter(|d| WITHIN.contains(d));
    let before = within.map(|d| {
        let today = crate::domain::time::today(web.state.now());
        today
            .checked_add(jiff::Span::new().days(i64::from(d)))
            .unwrap_or(today)
            .to_string()
    });
    let (member, filter) = (staff.member.clone(), status.clone());
    let domains = web
        .state
        .db
        .run(move |db| staff_domains::list(db, &member, filter.as_deref(), before.as_deref()))
        .await?;
    let page = ListPage {
        layout: staff.layout(&web, "Domains"),
        status: status.unwrap_or_default(),
        statuses: staff_domains::STATUSES,
        within: within.unwrap_or(0),
        withins: WITHIN,
        domains,
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}

#[derive(Template)]
#[template(path = "admin/domain.html")]
struct DetailPage {
    layout: Layout,
    csrf: String,
    domain: Domain,
    tasks: Vec<RegistrarTask>,
    can_act: bool,
    form: FormState,
    notice: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    /// The task just queued again.
    retried: Option<i64>,
    registered: Option<String>,
    synced: Option<String>,
}

pub async fn show(
    mut web: Web,
    path: aw::Path<String>,
    q: aw::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    let id = id_of(&path)?;
    let q = q.into_inner();
    let notice = match (q.retried, q.registered, q.synced) {
        (Some(t), _, _) => Some(format!(
            "Task #{t} was queued again; the worker runs it shortly."
        )),
        (None, Some(_), _) => Some("The domain was marked registered.".to_string()),
        (None, None, Some(_)) => {
            Some("The registrar will be asked about the domain shortly.".to_string())
        }
        _ => None,
    };
    render(
        &mut web,
        &staff,
        id,
        StatusCode::OK,
        FormState::default(),
        notice,
    )
    .await
}

async fn render(
    web: &mut Web,
    staff: &Staff,
    id: i64,
    http: StatusCode,
    form: FormState,
    notice: Option<String>,
) -> Result<HttpResponse, PageError> {
    let member = staff.member.clone();
    let (domain, tasks) = web
        .state
        .db
        .run(move |db| staff_domains::get(db, &member, id))
        .await?;
    let page = DetailPage {
        layout: staff.layout(web, &domain.name),
        csrf: staff.csrf.clone(),
        domain,
        tasks,
        can_act: staff.may(Scope::ServicesWrite),
        form,
        notice,
    };
    Ok(web.html(http, page_html(&page)?))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct RegisteredForm {
    csrf: String,
    expiry_date: String,
}

/// Mark a pending domain registered, as `POST /api/v1/domains/{id}/registered`.
pub async fn mark_registered(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<RegisteredForm>,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Admin, &form.csrf)?;
    let staff = Staff::of(&web)?;
    let id = id_of(&path)?;
    let expiry = Some(form.expiry_date.trim().to_string()).filter(|d| !d.is_empty());
    let (member, meta, now) = (staff.member.clone(), web.meta.clone(), web.state.now());
    let brand = Branding::from_config(&web.state.config);
    let done = web
        .state
        .db
        .run(move |db| {
            staff_domains::mark_registered(db, &brand, &member, id, expiry.as_deref(), &meta, now)
        })
        .await;
    match done {
        Ok(_) => Ok(web.redirect(&format!("/admin/domains/{id}?registered=1"))),
        Err(e) => {
            let (http, problems, _) = problem(e)?;
            render(&mut web, &staff, id, http, problems, None).await
        }
    }
}

/// Ask the registrar now, as `POST /api/v1/domains/{id}/sync`.
pub async fn sync(
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
        .run(move |db| staff_domains::sync_now(db, &member, id, &meta, now))
        .await;
    match done {
        Ok(_) => Ok(web.redirect(&format!("/admin/domains/{id}?synced=1"))),
        Err(e) => {
            let (http, problems, _) = problem(e)?;
            render(&mut web, &staff, id, http, problems, None).await
        }
    }
}

/// Queue a failed registrar task again, as
/// `POST /api/v1/registrar-tasks/{task}/retry`.
pub async fn retry(
    mut web: Web,
    path: aw::Path<(String, String)>,
    form: aw::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Admin, &form.csrf)?;
    let staff = Staff::of(&web)?;
    let (domain, task) = path.into_inner();
    let (id, task) = (id_of(&domain)?, id_of(&task)?);
    let (member, meta, now) = (staff.member.clone(), web.meta.clone(), web.state.now());
    let done = web
        .state
        .db
        .run(move |db| staff_domains::retry_task(db, &member, task, &meta, now))
        .await;
    match done {
        Ok(t) => Ok(web.redirect(&format!("/admin/domains/{}?retried={}", t.domain_id, t.id))),
        Err(e) => {
            let (http, problems, _) = problem(e)?;
            render(&mut web, &staff, id, http, problems, None).await
        }
    }
}
