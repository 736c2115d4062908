//! `/admin/support`: the desk's departments (who receives each, its
//! address, whether customers see it) and canned replies, each editable
//! in place; a rejected form comes back with its problems.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use crate::{
    domain::scopes::Scope,
    service::support::{
        canned,
        departments::{self, DepartmentInput},
        staff_tickets,
    },
    store::support::{canned::CannedReply, departments::Department},
    web::{
        admin::{Staff, id_of},
        errors::PageError,
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

#[derive(Template)]
#[template(path = "admin/support_desk.html")]
struct DeskPage {
    layout: Layout,
    csrf: String,
    can_write: bool,
    departments: Vec<(Department, Vec<i64>)>,
    staff: Vec<(i64, String)>,
    canned: Vec<CannedReply>,
    form: FormState,
    notice: Option<&'static str>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

async fn render(
    web: &mut Web,
    staff: &Staff,
    http: StatusCode,
    form: FormState,
    notice: Option<&'static str>,
) -> Result<HttpResponse, PageError> {
    let member = staff.member.clone();
    let (all, people, replies) = web
        .state
        .db
        .run(move |db| {
            Ok((
                departments::all(db, &member)?,
                staff_tickets::assignable(db, &member)?,
                canned::list(db, &member)?,
            ))
        })
        .await?;
    let page = DeskPage {
        layout: staff.layout(web, "Support desk"),
        csrf: staff.csrf.clone(),
        can_write: staff.may(Scope::SupportWrite),
        departments: all,
        staff: people,
        canned: replies,
        form,
        notice,
    };
    Ok(web.html(http, page_html(&page)?))
}

pub async fn desk(mut web: Web, q: aw::Query<DoneQuery>) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    let notice = match q.done.as_str() {
        "department" => Some("The department was saved."),
        "canned" => Some("The canned reply was saved."),
        "deleted" => Some("The canned reply was deleted."),
        _ => None,
    };
    render(
        &mut web,
        &staff,
        StatusCode::OK,
        FormState::default(),
        notice,
    )
    .await
}

/// The department form; the `staff` checkboxes arrive as repeated fields.
#[derive(Debug, Default)]
struct DepartmentForm {
    csrf: String,
    name: String,
    description: String,
    visible: String,
    email: String,
    auto_reply: String,
    sort_order: String,
    staff: Vec<String>,
}

pub async fn department_save(
    mut web: Web,
    path: Option<aw::Path<String>>,
    form: actix_web::web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let mut f = DepartmentForm::default();
    for (k, v) in form.into_inner() {
        match k.as_str() {
            "csrf" => f.csrf = v,
            "name" => f.name = v,
            "description" => f.description = v,
            "visible" => f.visible = v,
            "email" => f.email = v,
            "auto_reply" => f.auto_reply = v,
            "sort_order" => f.sort_order = v,
            "staff" => f.staff.push(v),
            _ => {}
        }
    }
    web.check_csrf(Area::Admin, &f.csrf)?;
    let staff = Staff::of(&web)?;
    let id = path.map(|p| id_of(&p)).transpose()?;
    let input = DepartmentInput {
        name: f.name,
        description: f.description,
        visible: f.visible == "on",
        email: Some(f.email).filter(|e| !e.trim().is_empty()),
        auto_reply: f.auto_reply == "on",
        sort_order: f.sort_order.trim().parse().unwrap_or(0),
        staff_ids: f.staff.iter().filter_map(|s| s.parse().ok()).collect(),
    };
    let (member, meta, now) = (staff.member.clone(), web.meta.clone(), web.state.now());
    let done = web
        .state
        .db
        .run(move |db| departments::save(db, &member, id, &input, &meta, now))
        .await;
    match done {
        Ok(_) => Ok(web.redirect("/admin/support?done=department")),
        Err(e) => {
            let (status, form, _) = problem(e)?;
            render(&mut web, &staff, status, form, None).await
        }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CannedForm {
    csrf: String,
    title: String,
    body: String,
}

pub async fn canned_save(
    mut web: Web,
    path: Option<aw::Path<String>>,
    form: aw::Form<CannedForm>,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Admin, &form.csrf)?;
    let staff = Staff::of(&web)?;
    let id = path.map(|p| id_of(&p)).transpose()?;
    let f = form.into_inner();
    let (member, now) = (staff.member.clone(), web.state.now());
    let done = web
        .state
        .db
        .run(move |db| canned::save(db, &member, id, &f.title, &f.body, now))
        .await;
    match done {
        Ok(_) => Ok(web.redirect("/admin/support?done=canned")),
        Err(e) => {
            let (status, form, _) = problem(e)?;
            render(&mut web, &staff, status, form, None).await
        }
    }
}

pub async fn canned_delete(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<super::super::CsrfForm>,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Admin, &form.csrf)?;
    let staff = Staff::of(&web)?;
    let id = id_of(&path)?;
    let member = staff.member.clone();
    web.state
        .db
        .run(move |db| canned::delete(db, &member, id))
        .await?;
    Ok(web.redirect("/admin/support?done=deleted"))
}
