//! A client's support tickets (reference 000's Support tag): list, open
//! (multipart with `attachments[]`, or JSON), one ticket with its thread,
//! reply, close, reopen, and an attachment.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{
    download::attachment_response,
    views::{TicketList, TicketResponse, customer_detail, ticket_view},
};
use crate::api::extract::{ApiPrincipal, Meta, client_ident, uploads};
use crate::{
    domain::status::TicketStatus,
    error::{ApiError, AppError},
    service::support::tickets::{self, NewTicketInput},
    state::AppState,
};

fn base(client: &str, id: i64) -> String {
    format!("/api/v1/clients/{client}/tickets/{id}")
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// Only tickets in this status.
    pub status: Option<String>,
    /// Words to find in subjects and replies.
    pub q: Option<String>,
}

/// The client's tickets, newest activity first.
#[utoipa::path(get, path = "/api/v1/clients/{client}/tickets", tag = "Support", operation_id = "listTickets",
    security(("bearerAuth" = [])), params(("client" = String, Path, description = "Client id or uuid"), ListQuery),
    responses((status = 200, body = TicketList), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn list(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
    query: aw::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let ident = client_ident(&req, &path.into_inner())?;
    let q = query.into_inner();
    let rows = state
        .db
        .run(move |db| tickets::list(db, &who.0, &ident, q.status.as_deref(), q.q.as_deref()))
        .await?;
    let total = rows.len();
    Ok(HttpResponse::Ok().json(TicketList {
        data: rows.iter().map(ticket_view).collect(),
        links: serde_json::json!({}),
        meta: serde_json::json!({ "total": total }),
    }))
}

/// Open a ticket: `department_id`, `subject`, `message`, `priority`, and
/// optionally `service_id`, `domain_id` and files in `attachments[]`.
#[utoipa::path(post, path = "/api/v1/clients/{client}/tickets", tag = "Support", operation_id = "createTicket",
    security(("bearerAuth" = [])), params(("client" = String, Path, description = "Client id or uuid")),
    request_body(content_type = "multipart/form-data", description = "department_id, subject, message, priority, service_id, domain_id, attachments[]"),
    responses((status = 201, body = TicketResponse), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 413, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
pub async fn create(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<String>,
    payload: aw::Payload,
) -> Result<HttpResponse, AppError> {
    let client = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let body = uploads::read(&req, payload, &state.config.support, json_limit(&state)).await?;
    let text = |k: &str| body.text(k).map(str::to_string);
    let input = NewTicketInput {
        department_id: text("department_id"),
        subject: text("subject").unwrap_or_default(),
        message: text("message").unwrap_or_default(),
        priority: text("priority"),
        service_id: text("service_id"),
        domain_id: text("domain_id"),
        attachments: body.files,
    };
    let (config, now) = (state.config.clone(), state.now());
    let thread = state
        .db
        .run(move |db| tickets::open(db, &config, &who.0, &ident, input, &meta.0, now))
        .await?;
    let url = base(&client, thread.ticket.id);
    Ok(HttpResponse::Created().json(TicketResponse {
        data: customer_detail(&thread, &url),
    }))
}

pub(super) fn json_limit(state: &AppState) -> usize {
    state.config.http.body_limit_kib * 1024
}

/// One ticket with its thread; another client's is a 404.
#[utoipa::path(get, path = "/api/v1/clients/{client}/tickets/{ticket}", tag = "Support", operation_id = "getTicket",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("ticket" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = TicketResponse), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn get(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (client, id) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let thread = state
        .db
        .run(move |db| tickets::get(db, &who.0, &ident, id))
        .await?;
    let url = base(&client, thread.ticket.id);
    Ok(HttpResponse::Ok().json(TicketResponse {
        data: customer_detail(&thread, &url),
    }))
}

/// Reply: `message` and files in `attachments[]` (multipart), or JSON
/// `{"message"}`. A closed ticket opens again.
#[utoipa::path(post, path = "/api/v1/clients/{client}/tickets/{ticket}/reply", tag = "Support", operation_id = "replyTicket",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("ticket" = i64, Path, description = "Ticket id")),
    request_body(content_type = "multipart/form-data", description = "message, attachments[]"),
    responses((status = 200, body = TicketResponse), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 413, body = ApiError), (status = 422, body = ApiError)))]
pub async fn reply(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, i64)>,
    payload: aw::Payload,
) -> Result<HttpResponse, AppError> {
    let (client, id) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let body = uploads::read(&req, payload, &state.config.support, json_limit(&state)).await?;
    let message = body.text("message").unwrap_or("").to_string();
    let (config, now) = (state.config.clone(), state.now());
    let thread = state
        .db
        .run(move |db| {
            tickets::reply(
                db, &config, &who.0, &ident, id, &message, body.files, &meta.0, now,
            )
        })
        .await?;
    let url = base(&client, thread.ticket.id);
    Ok(HttpResponse::Ok().json(TicketResponse {
        data: customer_detail(&thread, &url),
    }))
}

async fn set_status(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, i64)>,
    to: TicketStatus,
) -> Result<HttpResponse, AppError> {
    let (client, id) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let now = state.now();
    let thread = state
        .db
        .run(move |db| tickets::set_status(db, &who.0, &ident, id, to, &meta.0, now))
        .await?;
    let url = base(&client, thread.ticket.id);
    Ok(HttpResponse::Ok().json(TicketResponse {
        data: customer_detail(&thread, &url),
    }))
}

/// Close the ticket.
#[utoipa::path(post, path = "/api/v1/clients/{client}/tickets/{ticket}/close", tag = "Support", operation_id = "closeTicket",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("ticket" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = TicketResponse), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn close(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    set_status(req, state, who, meta, path, TicketStatus::Closed).await
}

/// Reopen a closed ticket.
#[utoipa::path(post, path = "/api/v1/clients/{client}/tickets/{ticket}/reopen", tag = "Support", operation_id = "reopenTicket",
    security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("ticket" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = TicketResponse), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn reopen(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    meta: Meta,
    path: aw::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    set_status(req, state, who, meta, path, TicketStatus::Open).await
}

/// A file on the ticket, as a download.
#[utoipa::path(get, path = "/api/v1/clients/{client}/tickets/{ticket}/attachments/{attachment}", tag = "Support",
    operation_id = "getTicketAttachment", security(("bearerAuth" = [])),
    params(("client" = String, Path, description = "Client id or uuid"), ("ticket" = i64, Path, description = "Ticket id"),
        ("attachment" = i64, Path, description = "Attachment id")),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"), (status = 404, body = ApiError)))]
pub async fn attachment(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<(String, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (client, ticket, id) = path.into_inner();
    let ident = client_ident(&req, &client)?;
    let file = state
        .db
        .run(move |db| tickets::attachment(db, &who.0, &ident, ticket, id))
        .await?;
    Ok(attachment_response(file))
}
