//! `/account/tickets/new`: open a ticket in a visible department, about
//! one of the account's services if the customer likes, with files. The
//! form posts as multipart (its CSRF token is one of the fields); a
//! rejected form comes back with what was typed and the problems marked.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web as aw};
use askama::Template;

use crate::{
    api::extract::uploads::{self, Submission},
    error::AppError,
    service::{
        services::service_actions,
        support::{
            departments,
            tickets::{self, NewTicketInput},
        },
    },
    store::support::departments::Department,
    web::{
        client::account,
        errors::PageError,
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

#[derive(Template)]
#[template(path = "client/ticket_new.html")]
struct NewPage {
    layout: Layout,
    csrf: String,
    departments: Vec<Department>,
    /// (id, label) of the account's services.
    services: Vec<(i64, String)>,
    typed: Typed,
    form: FormState,
    max_files: usize,
    extensions: String,
    /// Articles that may answer the subject typed so far.
    articles: Vec<crate::service::knowledge::articles::ArticleSummary>,
}

/// What the customer typed, to fill the form again.
#[derive(Default)]
struct Typed {
    department_id: i64,
    service_id: i64,
    subject: String,
    message: String,
    priority: String,
}

impl Typed {
    fn from(s: &Submission) -> Typed {
        let id = |k: &str| s.text(k).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
        Typed {
            department_id: id("department_id"),
            service_id: id("service_id"),
            subject: s.text("subject").unwrap_or("").into(),
            message: s.text("message").unwrap_or("").into(),
            priority: s.text("priority").unwrap_or("medium").into(),
        }
    }
}

async fn render(
    web: &mut Web,
    status: StatusCode,
    typed: Typed,
    form: FormState,
) -> Result<HttpResponse, PageError> {
    let account = account::load(web).await?;
    let (principal, ident) = (account.principal.clone(), account.ident());
    let subject = typed.subject.clone();
    let (departments, services, articles) = web
        .state
        .db
        .run(move |db| {
            let departments = departments::visible(db)?;
            // A contact without the services privilege sees no services.
            let services = service_actions::list(db, &principal, &ident).unwrap_or_default();
            let articles = super::related::for_subject(db, &subject)?;
            Ok((departments, services, articles))
        })
        .await?;
    let services = services
        .into_iter()
        .map(|r| {
            let label = match &r.service.domain {
                Some(d) => format!("{} ({d})", r.product.name),
                None => r.product.name.clone(),
            };
            (r.service.id, label)
        })
        .collect();
    let support = &web.state.config.support;
    let page = NewPage {
        layout: account.layout(web, "Open a ticket"),
        csrf: account.csrf.clone(),
        departments,
        services,
        typed,
        form,
        max_files: support.max_attachments,
        extensions: support.allowed_extensions.join(", "),
        articles,
    };
    Ok(web.html(status, page_html(&page)?))
}

pub async fn new_form(mut web: Web) -> Result<HttpResponse, PageError> {
    let typed = Typed {
        priority: "medium".into(),
        ..Typed::default()
    };
    render(&mut web, StatusCode::OK, typed, FormState::default()).await
}

pub async fn create(
    mut web: Web,
    req: HttpRequest,
    payload: aw::Payload,
) -> Result<HttpResponse, PageError> {
    let limit = web.state.config.http.body_limit_kib * 1024;
    let read = uploads::read(&req, payload, &web.state.config.support, limit).await;
    let body = match read {
        Ok(b) => b,
        // Nothing is stored and nothing changes: show the form again with
        // the file's problem (what was typed is lost with the rest of the
        // body, which was never read).
        Err(AppError::UploadTooLarge(errors)) => {
            let form = FormState::invalid(errors);
            return render(
                &mut web,
                StatusCode::PAYLOAD_TOO_LARGE,
                Typed::default(),
                form,
            )
            .await;
        }
        Err(AppError::Validation(errors)) => {
            let form = FormState::invalid(errors);
            return render(
                &mut web,
                StatusCode::UNPROCESSABLE_ENTITY,
                Typed::default(),
                form,
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    };
    web.check_csrf(Area::Client, body.text("csrf").unwrap_or(""))?;
    let account = account::load(&web).await?;
    let typed = Typed::from(&body);
    let input = NewTicketInput {
        department_id: body.text("department_id").map(str::to_string),
        subject: typed.subject.clone(),
        message: typed.message.clone(),
        priority: Some(typed.priority.clone()),
        service_id: body.text("service_id").map(str::to_string),
        domain_id: None,
        attachments: body.files,
    };
    let (principal, ident) = (account.principal.clone(), account.ident());
    let (config, meta, now) = (web.state.config.clone(), web.meta.clone(), web.state.now());
    let opened = web
        .state
        .db
        .run(move |db| tickets::open(db, &config, &principal, &ident, input, &meta, now))
        .await;
    match opened {
        Ok(thread) => Ok(web.redirect(&format!(
            "/account/tickets/{}?done=opened",
            thread.ticket.id
        ))),
        // A department or service the form never offered.
        Err(AppError::NotFound) => {
            let form = FormState::with_message("Choose a department and a service from the lists.");
            render(&mut web, StatusCode::UNPROCESSABLE_ENTITY, typed, form).await
        }
        Err(e) => {
            let (status, form, _) = problem(e)?;
            render(&mut web, status, typed, form).await
        }
    }
}
