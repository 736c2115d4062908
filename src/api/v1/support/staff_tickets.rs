//! The staff side of the desk: the ticket queue with its counts, a ticket
//! with notes, replies and notes (multipart or JSON), routing and status,
//! merging, watching, and attachments.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    client_tickets::json_limit,
    download::attachment_response,
    views::{TicketResponse, TicketView, staff_detail, ticket_view},
};
use crate::api::extract::{ApiStaff, Meta, uploads};
use crate::{
    error::{ApiError, AppError},
    service::support::{
        merging,
        staff_open::{self, StaffOpening},
        staff_tickets::{self, QueueQuery, TicketChange},
    },
    state::AppState,
};

#[derive(Debug, Deserialize, IntoParams)]
pub struct QueueParams {
    pub status: Option<String>,
    pub department_id: Option<i64>,
    /// A staff id, `me`, or `none` for unassigned.
    pub assignee: Option<String>,
    pub priority: Option<String>,
    pub client_id: Option<i64>,
    /// Words in subjects, replies and notes.
    pub q: Option<String>,
    /// Closed tickets too, when no status is given.
    pub include_closed: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusCount {
    pub status: String,
    pub count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentCount {
    pub department_id: i64,
    pub count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueueCountsView {
    pub by_status: Vec<StatusCount>,
    pub by_department: Vec<DepartmentCount>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueueView {
    pub data: Vec<QueueTicket>,
    pub counts: QueueCountsView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueueTicket {
    #[serde(flatten)]
    pub ticket: TicketView,
    pub client_id: Option<i64>,
    pub assigned_staff_id: Option<i64>,
}

/// The ticket queue (`support:read`): open ones by default.
#[utoipa::path(get, path = "/api/v1/tickets", tag = "Staff support", operation_id = "staffTicketQueue",
    security(("bearerAuth" = [])), params(QueueParams),
    responses((status = 200, body = QueueView), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn queue(
    state: aw::Data<AppState>,
    who: ApiStaff,
    params: aw::Query<QueueParams>,
) -> Result<HttpResponse, AppError> {
    let p = params.into_inner();
    let q = QueueQuery {
        status: p.status,
        department_id: p.department_id,
        assignee: p.assignee,
        priority: p.priority,
        client_id: p.client_id,
        q: p.q,
        include_closed: p.include_closed.unwrap_or(false),
    };
    let (rows, counts) = state
        .db
        .run(move |db| staff_tickets::queue(db, &who.0, &q))
        .await?;
    Ok(HttpResponse::Ok().json(QueueView {
        data: rows
            .iter()
            .map(|t| QueueTicket {
                ticket: ticket_view(t),
                client_id: t.client_id,
                assigned_staff_id: t.assigned_staff_id,
            })
            .collect(),
        counts: QueueCountsView {
            by_status: counts
                .by_status
                .into_iter()
                .map(|(s, count)| StatusCount {
                    status: s.as_str().into(),
                    count,
                })
                .collect(),
            by_department: counts
                .by_department
                .into_iter()
                .map(|(department_id, count)| DepartmentCount {
                    department_id,
                    count,
                })
                .collect(),
        },
    }))
}

/// Open a ticket for a client (`support:write`): `client_id`,
/// `department_id` (any, staff-only ones too), `subject`, `message`,
/// `priority`, `service_id`, files in `attachments[]`. The customer is
/// told as of a staff reply.
#[utoipa::path(post, path = "/api/v1/tickets", tag = "Staff support", operation_id = "staffOpenTicket",
    security(("bearerAuth" = [])),
    request_body(content_type = "multipart/form-data", description = "client_id, department_id, subject, message, priority, service_id, attachments[]"),
    responses((status = 201, body = TicketResponse), (status = 403, body = ApiError), (status = 413, body = ApiError), (status = 422, body = ApiError)))]
pub async fn open(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiStaff,
    meta: Meta,
    payload: aw::Payload,
) -> Result<HttpResponse, AppError> {
    let body = uploads::read(&req, payload, &state.config.support, json_limit(&state)).await?;
    let input = StaffOpening {
        client_id: body
            .id("client_id")?
            .ok_or_else(|| AppError::invalid("client_id", "choose a client"))?,
        department_id: body
            .id("department_id")?
            .ok_or_else(|| AppError::invalid("department_id", "choose a department"))?,
        subject: body.text("subject").unwrap_or("").to_string(),
        message: body.text("message").unwrap_or("").to_string(),
        priority: body.text("priority").map(str::to_string),
        service_id: body.id("service_id")?,
        attachments: body.files,
    };
    let (config, now) = (state.config.clone(), state.now());
    let thread = state
        .db
        .run(move |db| staff_open::open(db, &config, &who.0, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Created().json(TicketResponse {
        data: staff_detail(&thread, Vec::new()),
    }))
}

/// A ticket with replies, internal notes and watchers.
#[utoipa::path(get, path = "/api/v1/tickets/{ticket}", tag = "Staff support", operation_id = "staffGetTicket",
    security(("bearerAuth" = [])), params(("ticket" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = TicketResponse), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn get(
    state: aw::Data<AppState>,
    who: ApiStaff,
    path: aw::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (thread, watchers) = state
        .db
        .run(move |db| staff_tickets::get(db, &who.0, id))
        .await?;
    Ok(HttpResponse::Ok().json(TicketResponse {
        data: staff_detail(&thread, watchers),
    }))
}

async fn write(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiStaff,
    meta: Meta,
    id: i64,
    payload: aw::Payload,
    internal: bool,
) -> Result<HttpResponse, AppError> {
    let body = uploads::read(&req, payload, &state.config.support, json_limit(&state)).await?;
    let message = body.text("message").unwrap_or("").to_string();
    let (config, now) = (state.config.clone(), state.now());
    let staff = who.0;
    let thread = state
        .db
        .run(move |db| {
            staff_tickets::reply(
                db, &config, &staff, id, &message, internal, body.files, &meta.0, now,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(TicketResponse {
        data: staff_detail(&thread, Vec::new()),
    }))
}

/// Answer the customer (`support:write`): `message`, `attachments[]`.
#[utoipa::path(post, path = "/api/v1/tickets/{ticket}/reply", tag = "Staff support", operation_id = "staffReplyTicket",
    security(("bearerAuth" = [])), params(("ticket" = i64, Path, description = "Ticket id")),
    request_body(content_type = "multipart/form-data", description = "message, attachments[]"),
    responses((status = 200, body = TicketResponse), (status = 404, body = ApiError), (status = 413, body = ApiError), (status = 422, body = ApiError)))]
pub async fn reply(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiStaff,
    meta: Meta,
    path: aw::Path<i64>,
    payload: aw::Payload,
) -> Result<HttpResponse, AppError> {
    write(req, state, who, meta, path.into_inner(), payload, false).await
}

/// Add an internal note, which the customer never sees.
#[utoipa::path(post, path = "/api/v1/tickets/{ticket}/notes", tag = "Staff support", operation_id = "staffNoteTicket",
    security(("bearerAuth" = [])), params(("ticket" = i64, Path, description = "Ticket id")),
    request_body(content_type = "multipart/form-data", description = "message, attachments[]"),
    responses((status = 200, body = TicketResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn note(
    req: HttpRequest,
    state: aw::Data<AppState>,
    who: ApiStaff,
    meta: Meta,
    path: aw::Path<i64>,
    payload: aw::Payload,
) -> Result<HttpResponse, AppError> {
    write(req, state, who, meta, path.into_inner(), payload, true).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketChangeBody {
    pub department_id: Option<i64>,
    pub priority: Option<String>,
    pub status: Option<String>,
    /// A staff id; `null` unassigns.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub assigned_staff_id: Option<Option<i64>>,
}

/// A field that was sent (`Some`), perhaps as `null` (`Some(None)`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

/// Route the ticket: department, priority, assignee, status.
#[utoipa::path(patch, path = "/api/v1/tickets/{ticket}", tag = "Staff support", operation_id = "staffUpdateTicket",
    security(("bearerAuth" = [])), params(("ticket" = i64, Path, description = "Ticket id")), request_body = TicketChangeBody,
    responses((status = 200, body = TicketResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update(
    state: aw::Data<AppState>,
    who: ApiStaff,
    meta: Meta,
    path: aw::Path<i64>,
    body: aw::Json<TicketChangeBody>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let b = body.into_inner();
    let change = TicketChange {
        department_id: b.department_id,
        priority: b.priority,
        status: b.status,
        assigned_staff_id: b.assigned_staff_id,
    };
    let (config, now) = (state.config.clone(), state.now());
    let thread = state
        .db
        .run(move |db| staff_tickets::update(db, &config, &who.0, id, &change, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(TicketResponse {
        data: staff_detail(&thread, Vec::new()),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    /// The ticket (of the same client) this one joins.
    pub into_ticket_id: i64,
}

/// Merge this ticket into another of the same client.
#[utoipa::path(post, path = "/api/v1/tickets/{ticket}/merge", tag = "Staff support", operation_id = "staffMergeTicket",
    security(("bearerAuth" = [])), params(("ticket" = i64, Path, description = "Ticket id")), request_body = MergeBody,
    responses((status = 200, body = TicketResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn merge(
    state: aw::Data<AppState>,
    who: ApiStaff,
    meta: Meta,
    path: aw::Path<i64>,
    body: aw::Json<MergeBody>,
) -> Result<HttpResponse, AppError> {
    let (id, into, now) = (path.into_inner(), body.into_ticket_id, state.now());
    let thread = state
        .db
        .run(move |db| merging::merge(db, &who.0, id, into, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(TicketResponse {
        data: staff_detail(&thread, Vec::new()),
    }))
}

async fn set_watch(
    state: aw::Data<AppState>,
    who: ApiStaff,
    id: i64,
    on: bool,
) -> Result<HttpResponse, AppError> {
    state
        .db
        .run(move |db| staff_tickets::watch(db, &who.0, id, on))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Watch the ticket: its alerts come to you too.
#[utoipa::path(put, path = "/api/v1/tickets/{ticket}/watch", tag = "Staff support", operation_id = "staffWatchTicket",
    security(("bearerAuth" = [])), params(("ticket" = i64, Path, description = "Ticket id")),
    responses((status = 204, description = "Watching"), (status = 404, body = ApiError)))]
pub async fn watch(
    state: aw::Data<AppState>,
    who: ApiStaff,
    path: aw::Path<i64>,
) -> Result<HttpResponse, AppError> {
    set_watch(state, who, path.into_inner(), true).await
}

/// Stop watching the ticket.
#[utoipa::path(delete, path = "/api/v1/tickets/{ticket}/watch", tag = "Staff support", operation_id = "staffUnwatchTicket",
    security(("bearerAuth" = [])), params(("ticket" = i64, Path, description = "Ticket id")),
    responses((status = 204, description = "Not watching"), (status = 404, body = ApiError)))]
pub async fn unwatch(
    state: aw::Data<AppState>,
    who: ApiStaff,
    path: aw::Path<i64>,
) -> Result<HttpResponse, AppError> {
    set_watch(state, who, path.into_inner(), false).await
}

/// Any file of the ticket, notes' included.
#[utoipa::path(get, path = "/api/v1/tickets/{ticket}/attachments/{attachment}", tag = "Staff support",
    operation_id = "staffTicketAttachment", security(("bearerAuth" = [])),
    params(("ticket" = i64, Path, description = "Ticket id"), ("attachment" = i64, Path, description = "Attachment id")),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"), (status = 404, body = ApiError)))]
pub async fn attachment(
    state: aw::Data<AppState>,
    who: ApiStaff,
    path: aw::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (ticket, id) = path.into_inner();
    let file = state
        .db
        .run(move |db| staff_tickets::attachment(db, &who.0, ticket, id))
        .await?;
    Ok(attachment_response(file))
}
