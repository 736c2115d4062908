//! Mail in for staff: a department's IMAP mailbox (its password goes in
//! and never comes out) and the log of what came in and what became of it.

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::extract::{ApiStaff, Meta};
use crate::{
    error::{ApiError, AppError},
    service::support::{
        inbound,
        mailboxes::{self, MailboxInput, MailboxView},
    },
    state::AppState,
    store::support::inbound::InboundRow,
};

/// A department's IMAP mailbox, without its password.
#[derive(Debug, Serialize, ToSchema)]
pub struct MailboxBody {
    pub department_id: i64,
    pub host: String,
    pub port: i64,
    /// tls, starttls or plain (loopback only).
    pub tls: String,
    pub username: String,
    pub folder: String,
    pub password_set: bool,
    /// When it was last polled, and what went wrong then (null: nothing).
    pub polled_at: Option<String>,
    pub error: Option<String>,
}

impl From<MailboxView> for MailboxBody {
    fn from(m: MailboxView) -> Self {
        MailboxBody {
            department_id: m.department_id,
            host: m.host,
            port: m.port,
            tls: m.tls,
            username: m.username,
            folder: m.folder,
            password_set: m.password_set,
            polled_at: m.polled_at,
            error: m.error,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MailboxResponse {
    /// Null when the department has no mailbox.
    pub data: Option<MailboxBody>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailboxRequest {
    pub host: String,
    /// 993 for tls, 143 otherwise, unless given.
    pub port: Option<u16>,
    /// tls (the default), starttls, or plain (loopback only).
    pub tls: Option<String>,
    pub username: String,
    /// Write-only; leave out on a change to keep the stored one.
    pub password: Option<String>,
    /// INBOX unless given.
    pub folder: Option<String>,
}

/// A department's IMAP mailbox (`support:read`).
#[utoipa::path(get, path = "/api/v1/support-departments/{department}/mailbox", tag = "Staff support", operation_id = "staffGetMailbox",
    security(("bearerAuth" = [])), params(("department" = i64, Path, description = "Department id")),
    responses((status = 200, body = MailboxResponse), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn get(
    state: aw::Data<AppState>,
    who: ApiStaff,
    path: aw::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let m = state
        .db
        .run(move |db| mailboxes::get(db, &who.0, id))
        .await?;
    Ok(HttpResponse::Ok().json(MailboxResponse {
        data: m.map(MailboxBody::from),
    }))
}

/// Set a department's IMAP mailbox, polled every minute (`support:write`).
#[utoipa::path(put, path = "/api/v1/support-departments/{department}/mailbox", tag = "Staff support", operation_id = "staffSetMailbox",
    security(("bearerAuth" = [])), params(("department" = i64, Path, description = "Department id")), request_body = MailboxRequest,
    responses((status = 200, body = MailboxResponse), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn set(
    state: aw::Data<AppState>,
    who: ApiStaff,
    meta: Meta,
    path: aw::Path<i64>,
    body: aw::Json<MailboxRequest>,
) -> Result<HttpResponse, AppError> {
    let (id, b, now) = (path.into_inner(), body.into_inner(), state.now());
    let input = MailboxInput {
        host: b.host,
        port: b.port,
        tls: b.tls,
        username: b.username,
        password: b.password,
        folder: b.folder,
    };
    let (keys, targets) = (state.keys.clone(), state.targets.clone());
    let m = state
        .db
        .run(move |db| mailboxes::save(db, &keys, &targets, &who.0, id, &input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(MailboxResponse {
        data: Some(m.into()),
    }))
}

/// Remove a department's IMAP mailbox (`support:write`).
#[utoipa::path(delete, path = "/api/v1/support-departments/{department}/mailbox", tag = "Staff support", operation_id = "staffRemoveMailbox",
    security(("bearerAuth" = [])), params(("department" = i64, Path, description = "Department id")),
    responses((status = 204, description = "Removed"), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn remove(
    state: aw::Data<AppState>,
    who: ApiStaff,
    meta: Meta,
    path: aw::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, now) = (path.into_inner(), state.now());
    state
        .db
        .run(move |db| mailboxes::remove(db, &who.0, id, &meta.0, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// One email that came in.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboundView {
    pub id: i64,
    pub received_at: String,
    /// pipe or imap.
    pub via: String,
    pub sender: String,
    pub message_id: Option<String>,
    pub subject: String,
    pub size: i64,
    pub department_id: Option<i64>,
    pub ticket_id: Option<i64>,
    /// posted, opened, bounced or dropped.
    pub outcome: String,
    /// Why: reply, new_ticket, guest_ticket, automatic, own_message,
    /// from_us, duplicate, rate_limited, ticket_limit, unknown_address,
    /// not_allowed, unknown_sender, no_sender, too_large or unreadable.
    pub reason: String,
    /// The sender was answered (a bounce, or the note on refused files).
    pub answered: bool,
}

fn inbound_view(r: InboundRow) -> InboundView {
    InboundView {
        id: r.id,
        received_at: r.received_at,
        via: r.via,
        sender: r.sender,
        message_id: r.message_id,
        subject: r.subject,
        size: r.size,
        department_id: r.department_id,
        ticket_id: r.ticket_id,
        outcome: r.outcome,
        reason: r.reason,
        answered: r.answered,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InboundList {
    pub data: Vec<InboundView>,
    pub meta: serde_json::Value,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// What came in by mail and what became of it, newest first (`support:read`).
#[utoipa::path(get, path = "/api/v1/inbound-mail", tag = "Staff support", operation_id = "staffInboundMail",
    security(("bearerAuth" = [])), params(PageQuery),
    responses((status = 200, body = InboundList), (status = 403, body = ApiError)))]
pub async fn log(
    state: aw::Data<AppState>,
    who: ApiStaff,
    q: aw::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let (page, per_page) = (q.page.unwrap_or(1), q.per_page.unwrap_or(25));
    let (rows, total) = state
        .db
        .run(move |db| inbound::log(db, &who.0, page, per_page))
        .await?;
    let per_page = per_page.clamp(1, 100);
    Ok(HttpResponse::Ok().json(InboundList {
        data: rows.into_iter().map(inbound_view).collect(),
        meta: serde_json::json!({
            "current_page": page.max(1),
            "per_page": per_page,
            "total": total,
            "last_page": ((total + per_page - 1) / per_page).max(1),
        }),
    }))
}
