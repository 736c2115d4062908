//! The ticket page's forms: a reply or a note (multipart, with files),
//! routing (department, priority, status, assignee), merging into another
//! ticket of the client, and watching.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web as aw};
use serde::Deserialize;

use super::ticket::{Typed, render};
use crate::{
    api::extract::uploads,
    error::AppError,
    service::support::{
        merging,
        staff_tickets::{self, TicketChange},
    },
    web::{
        admin::{Staff, id_of},
        errors::PageError,
        form::{FormState, problem},
        session::{Area, Web},
    },
};

/// `reply` or `note`.
pub async fn write(
    mut web: Web,
    path: aw::Path<(String, String)>,
    req: HttpRequest,
    payload: aw::Payload,
) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    let (raw, kind) = path.into_inner();
    let id = id_of(&raw)?;
    let internal = match kind.as_str() {
        "reply" => false,
        "note" => true,
        _ => return Err(PageError::App(AppError::NotFound)),
    };
    let limit = web.state.config.http.body_limit_kib * 1024;
    let body = match uploads::read(&req, payload, &web.state.config.support, limit).await {
        Ok(b) => b,
        Err(AppError::UploadTooLarge(e)) => {
            return render(
                &mut web,
                &staff,
                id,
                StatusCode::PAYLOAD_TOO_LARGE,
                Typed::default(),
                FormState::invalid(e),
                None,
                None,
            )
            .await;
        }
        Err(AppError::Validation(e)) => {
            return render(
                &mut web,
                &staff,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Typed::default(),
                FormState::invalid(e),
                None,
                None,
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    };
    web.check_csrf(Area::Admin, body.text("csrf").unwrap_or(""))?;
    let message = body.text("message").unwrap_or("").to_string();
    let (member, config, meta, now) = (
        staff.member.clone(),
        web.state.config.clone(),
        web.meta.clone(),
        web.state.now(),
    );
    let text = message.clone();
    let done = web
        .state
        .db
        .run(move |db| {
            staff_tickets::reply(
                db, &config, &member, id, &text, internal, body.files, &meta, now,
            )
        })
        .await;
    match done {
        Ok(_) => Ok(web.redirect(&format!(
            "/admin/tickets/{id}?done={}",
            if internal { "noted" } else { "replied" }
        ))),
        Err(e) => {
            let (status, form, _) = problem(e)?;
            let typed = if internal {
                Typed {
                    note: message,
                    ..Typed::default()
                }
            } else {
                Typed {
                    reply: message,
                    ..Typed::default()
                }
            };
            render(&mut web, &staff, id, status, typed, form, None, None).await
        }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct RouteForm {
    csrf: String,
    department_id: String,
    priority: String,
    status: String,
    /// A staff id; 0 unassigns.
    assigned_staff_id: String,
}

pub async fn route(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<RouteForm>,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Admin, &form.csrf)?;
    let staff = Staff::of(&web)?;
    let id = id_of(&path)?;
    let f = form.into_inner();
    let change = TicketChange {
        department_id: f.department_id.parse().ok(),
        priority: Some(f.priority),
        status: Some(f.status),
        assigned_staff_id: Some(f.assigned_staff_id.parse().ok().filter(|s: &i64| *s > 0)),
    };
    let (member, config, meta, now) = (
        staff.member.clone(),
        web.state.config.clone(),
        web.meta.clone(),
        web.state.now(),
    );
    let done = web
        .state
        .db
        .run(move |db| staff_tickets::update(db, &config, &member, id, &change, &meta, now))
        .await;
    match done {
        Ok(_) => Ok(web.redirect(&format!("/admin/tickets/{id}?done=routed"))),
        Err(e) => {
            let (status, form, _) = problem(e)?;
            render(
                &mut web,
                &staff,
                id,
                status,
                Typed::default(),
                form,
                None,
                None,
            )
            .await
        }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct MergeForm {
    csrf: String,
    /// The number or id of the ticket this one joins.
    into: String,
}

pub async fn merge(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<MergeForm>,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Admin, &form.csrf)?;
    let staff = Staff::of(&web)?;
    let id = id_of(&path)?;
    let into = form.into.trim().to_string();
    let (member, meta, now) = (staff.member.clone(), web.meta.clone(), web.state.now());
    let done = web
        .state
        .db
        .run(move |db| {
            let target = merging::resolve(db, &member, &into)?;
            merging::merge(db, &member, id, target, &meta, now)
        })
        .await;
    match done {
        Ok(t) => Ok(web.redirect(&format!("/admin/tickets/{}?done=merged", t.ticket.id))),
        Err(e) => {
            let (status, form, _) = problem(e)?;
            render(
                &mut web,
                &staff,
                id,
                status,
                Typed::default(),
                form,
                None,
                None,
            )
            .await
        }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct WatchForm {
    csrf: String,
    on: String,
}

pub async fn watch(
    web: Web,
    path: aw::Path<String>,
    form: aw::Form<WatchForm>,
) -> Result<HttpResponse, PageError> {
    let mut web = web;
    web.check_csrf(Area::Admin, &form.csrf)?;
    let staff = Staff::of(&web)?;
    let id = id_of(&path)?;
    let on = form.on == "yes";
    let member = staff.member.clone();
    web.state
        .db
        .run(move |db| staff_tickets::watch(db, &member, id, on))
        .await?;
    Ok(web.redirect(&format!(
        "/admin/tickets/{id}?done={}",
        if on { "watching" } else { "unwatched" }
    )))
}
