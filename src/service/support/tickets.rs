//! What a customer does with tickets (reference 000's Support operations):
//! list and search, open (in a visible department, optionally about one
//! of their services or domains), read the thread, reply, close, reopen,
//! and fetch an attachment. Owners see every ticket of the account; a
//! contact sees all with "view all tickets", else only the ones they
//! opened. Any other ticket is a 404.

use jiff::{SignedDuration, Timestamp};
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta},
    config::Config,
    db::Db,
    domain::{
        privileges::Privilege,
        status::TicketStatus,
        support::{Writer, customer_may_set},
        time::stamp,
    },
    error::{AppError, Result},
    service::{
        access::{self, ClientAccess},
        audit::{self, Event},
    },
    store::{
        domains, services, staff as staff_store,
        support::{
            departments, search,
            tickets::{self, Filter, Ticket},
        },
        users,
    },
};

use super::{
    attachments::{self, Download, Upload},
    notices,
    posting::{self, Author, Delivery, Opening},
    thread::{self, Thread},
};

/// A customer's new ticket, as sent. The ids come as sent too, so a
/// foreign account is a 404 before anything about the body is judged.
#[derive(Debug, Clone)]
pub struct NewTicketInput {
    pub department_id: Option<String>,
    pub subject: String,
    pub message: String,
    /// low, medium (the default), high or urgent.
    pub priority: Option<String>,
    pub service_id: Option<String>,
    pub domain_id: Option<String>,
    pub attachments: Vec<Upload>,
}

/// An id field as sent: absent or empty is `None`, anything but an
/// integer is a 422 naming it.
fn id_field(raw: Option<&str>, field: &str) -> Result<Option<i64>> {
    match raw.map(str::trim).filter(|s| !s.is_empty() && *s != "0") {
        None => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| AppError::invalid(field, "must be an integer id")),
    }
}

/// The user behind the principal, if a customer.
fn user_id(principal: &Principal) -> Option<i64> {
    match principal {
        Principal::User(u) => Some(u.user_id),
        Principal::Staff(_) => None,
    }
}

/// Who is writing, as the thread will show them.
pub(super) fn author_of(conn: &Connection, principal: &Principal) -> Result<Author> {
    Ok(match principal {
        Principal::User(u) => {
            let user = users::find(conn, u.user_id)?.ok_or(AppError::Unauthenticated)?;
            Author {
                writer: Writer::Customer,
                user_id: Some(user.id),
                staff_id: None,
                name: format!("{} {}", user.first_name, user.last_name)
                    .trim()
                    .to_string(),
            }
        }
        Principal::Staff(s) => {
            let staff = staff_store::find(conn, s.staff_id)?.ok_or(AppError::Unauthenticated)?;
            Author {
                writer: Writer::Staff,
                user_id: None,
                staff_id: Some(staff.id),
                name: staff.name,
            }
        }
    })
}

/// Whether the principal may see every ticket of the account (`None`: no
/// ticket at all), or only those this user opened.
fn scope(access: &ClientAccess, principal: &Principal) -> Result<Option<i64>> {
    if access.can(Privilege::SupportTickets) {
        return Ok(None);
    }
    match user_id(principal) {
        Some(u) if access.can(Privilege::SupportNewTicket) => Ok(Some(u)),
        _ => Err(AppError::Forbidden),
    }
}

/// The account's ticket `id` as the principal may see it, or 404.
fn visible(
    conn: &Connection,
    principal: &Principal,
    ident: &str,
    id: i64,
) -> Result<(ClientAccess, Ticket)> {
    let access = access::client_access(conn, principal, ident)?;
    let only_own = scope(&access, principal)?;
    let ticket = tickets::find(conn, id)?
        .filter(|t| t.client_id == Some(access.client.id))
        .filter(|t| only_own.is_none() || t.opened_by_user_id == only_own)
        .ok_or(AppError::NotFound)?;
    // A merged ticket lives on in the one it was merged into.
    if let Some(into) = ticket.merged_into_id {
        let target = tickets::find(conn, into)?.ok_or(AppError::NotFound)?;
        return Ok((access, target));
    }
    Ok((access, ticket))
}

/// The account's tickets, newest activity first; `status` narrows them,
/// `q` searches subjects and replies (never internal notes).
pub fn list(
    db: &Db,
    principal: &Principal,
    ident: &str,
    status: Option<&str>,
    q: Option<&str>,
) -> Result<Vec<Ticket>> {
    let status = status
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<TicketStatus>()
                .map_err(|_| AppError::invalid("status", "is not a ticket status"))
        })
        .transpose()?;
    db.read(|c| {
        let access = access::client_access(c, principal, ident)?;
        let only_own = scope(&access, principal)?;
        let ids = match q.and_then(search::fts_query) {
            Some(query) => Some(search::matching(c, &query, Some(access.client.id), 200)?),
            None => None,
        };
        let filter = Filter {
            client_id: Some(access.client.id),
            opened_by_user_id: only_own,
            status,
            ids,
            ..Filter::default()
        };
        Ok(tickets::list(c, &filter, 500, 0)?)
    })
}

/// One ticket with its thread (no internal notes).
pub fn get(db: &Db, principal: &Principal, ident: &str, id: i64) -> Result<Thread> {
    db.read(|c| {
        let (_, ticket) = visible(c, principal, ident, id)?;
        thread::load(c, ticket, false)
    })
}

/// Open a ticket. A department customers cannot see, or a service or
/// domain of another account, is a 404; more than `[support]
/// tickets_per_hour` in an hour is a 429.
pub fn open(
    db: &Db,
    config: &Config,
    principal: &Principal,
    ident: &str,
    input: NewTicketInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Thread> {
    db.write(|tx| {
        let access = access::client_access(tx, principal, ident)?;
        access.require_change(Privilege::SupportNewTicket)?;
        let client_id = access.client.id;
        let department_id = id_field(input.department_id.as_deref(), "department_id")?
            .ok_or_else(|| AppError::invalid("department_id", "choose a department"))?;
        let service_id = id_field(input.service_id.as_deref(), "service_id")?;
        let domain_id = id_field(input.domain_id.as_deref(), "domain_id")?;
        let subject = posting::clean_subject(&input.subject)?;
        let body = posting::clean_body(&input.message, "message")?;
        let priority = posting::priority(input.priority.as_deref())?;
        let files = attachments::check(&config.support, input.attachments.clone())?;
        departments::find(tx, department_id)?
            .filter(|d| d.visible)
            .ok_or(AppError::NotFound)?;
        if let Some(s) = service_id {
            services::find_by_id(tx, s)?
                .filter(|s| s.client_id == client_id)
                .ok_or(AppError::NotFound)?;
        }
        if let Some(d) = domain_id {
            domains::find_by_id(tx, d)?
                .filter(|d| d.client_id == client_id)
                .ok_or(AppError::NotFound)?;
        }
        let hour_ago = stamp(
            now.checked_sub(SignedDuration::from_hours(1))
                .unwrap_or(now),
        );
        if tickets::opened_since(tx, client_id, &hour_ago)?
            >= i64::from(config.support.tickets_per_hour)
        {
            return Err(AppError::RateLimited {
                retry_after_secs: 600,
            });
        }
        let author = author_of(tx, principal)?;
        let (ticket, message) = posting::open(
            tx,
            config,
            &Opening {
                client_id: Some(client_id),
                guest: None,
                department_id,
                subject: &subject,
                priority,
                service_id,
                domain_id,
            },
            &author,
            &body,
            &files,
            &Delivery {
                source: "api",
                email_message_id: None,
            },
            now,
        )?;
        notices::opened(tx, config, &ticket, message, &body, now)?;
        audit(tx, principal, "ticket.opened", &ticket, meta, now)?;
        thread::load(tx, ticket, false)
    })
}

fn audit(
    tx: &Connection,
    principal: &Principal,
    action: &str,
    ticket: &Ticket,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    audit::record(
        tx,
        now,
        Event {
            actor: principal.into(),
            action,
            subject: Some(("ticket", ticket.id)),
            client_id: ticket.client_id,
            ip: meta.ip.as_deref(),
            details: serde_json::json!({ "number": ticket.number }),
        },
    )?;
    Ok(())
}

/// Reply on a ticket; a closed one opens again.
#[allow(clippy::too_many_arguments)]
pub fn reply(
    db: &Db,
    config: &Config,
    principal: &Principal,
    ident: &str,
    id: i64,
    message: &str,
    uploads: Vec<Upload>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Thread> {
    db.write(|tx| {
        let (access, ticket) = visible(tx, principal, ident, id)?;
        access
            .require_change(Privilege::SupportTickets)
            .or_else(|_| {
                // A contact may answer the tickets they opened.
                match user_id(principal) {
                    Some(u) if ticket.opened_by_user_id == Some(u) => Ok(()),
                    _ => Err(AppError::Forbidden),
                }
            })?;
        let body = posting::clean_body(message, "message")?;
        let files = attachments::check(&config.support, uploads.clone())?;
        let author = author_of(tx, principal)?;
        let delivery = Delivery {
            source: "api",
            email_message_id: None,
        };
        let (ticket, message) =
            posting::reply(tx, &ticket, &author, &body, &files, &delivery, now)?
                .ok_or_else(|| AppError::Conflict("posted already".into()))?;
        match author.writer {
            Writer::Customer => notices::customer_replied(tx, config, &ticket, &body, now)?,
            Writer::Staff => {
                notices::staff_replied(tx, config, &ticket, message, &author.name, &body, now)?
            }
        }
        audit(tx, principal, "ticket.replied", &ticket, meta, now)?;
        thread::load(tx, ticket, false)
    })
}

/// Close (`to = Closed`) or reopen (`to = Open`) a ticket. Closing needs
/// "close tickets", or being the one who opened it.
#[allow(clippy::too_many_arguments)]
pub fn set_status(
    db: &Db,
    principal: &Principal,
    ident: &str,
    id: i64,
    to: TicketStatus,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Thread> {
    db.write(|tx| {
        let (access, ticket) = visible(tx, principal, ident, id)?;
        let own = user_id(principal).is_some() && ticket.opened_by_user_id == user_id(principal);
        let needed = if to == TicketStatus::Closed {
            Privilege::SupportCloseTicket
        } else {
            Privilege::SupportTickets
        };
        if !own {
            access.require_change(needed)?;
        }
        if !customer_may_set(ticket.status, to) {
            return Err(AppError::Conflict(format!(
                "the ticket is {} and cannot be {}",
                ticket.status,
                if to == TicketStatus::Closed {
                    "closed"
                } else {
                    "reopened"
                }
            )));
        }
        tickets::set_status(tx, ticket.id, to, &stamp(now))?;
        let action = if to == TicketStatus::Closed {
            "ticket.closed"
        } else {
            "ticket.reopened"
        };
        audit(tx, principal, action, &ticket, meta, now)?;
        let ticket = tickets::find(tx, ticket.id)?.ok_or(AppError::NotFound)?;
        thread::load(tx, ticket, false)
    })
}

/// An attachment on a ticket the principal may see (never one on a note).
pub fn attachment(
    db: &Db,
    principal: &Principal,
    ident: &str,
    ticket_id: i64,
    id: i64,
) -> Result<Download> {
    db.read(|c| {
        let (_, ticket) = visible(c, principal, ident, ticket_id)?;
        attachments::download(c, ticket.id, id, false)
    })
}
