//! `/account/tickets/{id}`: the thread (never an internal note), the reply
//! form (multipart, with files), close and reopen, and the files.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use super::ticket_id;
use crate::{
    api::{extract::uploads, v1::support::attachment_response},
    domain::{
        status::TicketStatus,
        support::{priority_label, status_label},
    },
    error::AppError,
    service::support::{Thread, tickets},
    web::{
        client::account,
        errors::PageError,
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

/// One message as the page shows it.
struct Entry {
    id: i64,
    from_staff: bool,
    author: String,
    body: String,
    at: String,
    files: Vec<(i64, String, String)>,
}

#[derive(Template)]
#[template(path = "client/ticket.html")]
struct ThreadPage {
    layout: Layout,
    csrf: String,
    id: i64,
    number: String,
    subject: String,
    department: String,
    status: &'static str,
    closed: bool,
    priority: &'static str,
    entries: Vec<Entry>,
    typed: String,
    form: FormState,
    notice: Option<&'static str>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

fn stamp_text(s: &str) -> String {
    s.replace('T', " ").trim_end_matches('Z').to_string()
}

async fn render(
    web: &mut Web,
    id: i64,
    status: StatusCode,
    typed: String,
    form: FormState,
    notice: Option<&'static str>,
) -> Result<HttpResponse, PageError> {
    let account = account::load(web).await?;
    let (principal, ident) = (account.principal.clone(), account.ident());
    let thread: Thread = web
        .state
        .db
        .run(move |db| tickets::get(db, &principal, &ident, id))
        .await?;
    let t = &thread.ticket;
    let entries = thread
        .messages
        .iter()
        .map(|m| Entry {
            id: m.message.id,
            from_staff: m.message.author_type == "staff",
            author: m.message.author_name.clone(),
            body: m.message.body.clone(),
            at: stamp_text(&m.message.created_at),
            files: m
                .attachments
                .iter()
                .map(|a| {
                    (
                        a.id,
                        a.name.clone(),
                        crate::api::v1::support::views::formatted_size(a.size),
                    )
                })
                .collect(),
        })
        .collect();
    let page = ThreadPage {
        layout: account.layout(web, &format!("{} {}", t.number, t.subject)),
        csrf: account.csrf.clone(),
        id: t.id,
        number: t.number.clone(),
        subject: t.subject.clone(),
        department: t.department_name.clone(),
        status: status_label(t.status),
        closed: t.status == TicketStatus::Closed,
        priority: priority_label(t.priority),
        entries,
        typed,
        form,
        notice,
    };
    Ok(web.html(status, page_html(&page)?))
}

pub async fn show(
    mut web: Web,
    path: aw::Path<String>,
    query: aw::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let id = ticket_id(&path)?;
    let notice = match query.done.as_str() {
        "opened" => Some("Your ticket is open. We will answer here and by email."),
        "replied" => Some("Your reply was added."),
        "closed" => Some("The ticket is closed. Reply or reopen it if you need more help."),
        "reopened" => Some("The ticket is open again."),
        _ => None,
    };
    render(
        &mut web,
        id,
        StatusCode::OK,
        String::new(),
        FormState::default(),
        notice,
    )
    .await
}

pub async fn reply(
    mut web: Web,
    path: aw::Path<String>,
    req: HttpRequest,
    payload: aw::Payload,
) -> Result<HttpResponse, PageError> {
    let id = ticket_id(&path)?;
    let limit = web.state.config.http.body_limit_kib * 1024;
    let body = match uploads::read(&req, payload, &web.state.config.support, limit).await {
        Ok(b) => b,
        Err(AppError::UploadTooLarge(e)) => {
            return render(
                &mut web,
                id,
                StatusCode::PAYLOAD_TOO_LARGE,
                String::new(),
                FormState::invalid(e),
                None,
            )
            .await;
        }
        Err(AppError::Validation(e)) => {
            return render(
                &mut web,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                String::new(),
                FormState::invalid(e),
                None,
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    };
    web.check_csrf(Area::Client, body.text("csrf").unwrap_or(""))?;
    let account = account::load(&web).await?;
    let message = body.text("message").unwrap_or("").to_string();
    let (principal, ident) = (account.principal.clone(), account.ident());
    let (config, meta, now) = (web.state.config.clone(), web.meta.clone(), web.state.now());
    let text = message.clone();
    let done = web
        .state
        .db
        .run(move |db| {
            tickets::reply(
                db, &config, &principal, &ident, id, &text, body.files, &meta, now,
            )
        })
        .await;
    match done {
        Ok(_) => Ok(web.redirect(&format!("/account/tickets/{id}?done=replied#reply"))),
        Err(e) => {
            let (status, form, _) = problem(e)?;
            render(&mut web, id, status, message, form, None).await
        }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    csrf: String,
}

/// `close` or `reopen`.
pub async fn set_status(
    mut web: Web,
    path: aw::Path<(String, String)>,
    form: aw::Form<StatusForm>,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Client, &form.csrf)?;
    let (raw, action) = path.into_inner();
    let id = ticket_id(&raw)?;
    let (to, done) = match action.as_str() {
        "close" => (TicketStatus::Closed, "closed"),
        "reopen" => (TicketStatus::Open, "reopened"),
        _ => return Err(PageError::App(AppError::NotFound)),
    };
    let account = account::load(&web).await?;
    let (principal, ident) = (account.principal.clone(), account.ident());
    let (meta, now) = (web.meta.clone(), web.state.now());
    let result = web
        .state
        .db
        .run(move |db| tickets::set_status(db, &principal, &ident, id, to, &meta, now))
        .await;
    match result {
        Ok(_) => Ok(web.redirect(&format!("/account/tickets/{id}?done={done}"))),
        Err(e) => {
            let (status, form, _) = problem(e)?;
            render(&mut web, id, status, String::new(), form, None).await
        }
    }
}

pub async fn attachment(
    web: Web,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (raw, file) = path.into_inner();
    let (id, file) = (ticket_id(&raw)?, ticket_id(&file)?);
    let account = account::load(&web).await?;
    let (principal, ident) = (account.principal.clone(), account.ident());
    let download = web
        .state
        .db
        .run(move |db| tickets::attachment(db, &principal, &ident, id, file))
        .await?;
    Ok(attachment_response(download))
}
