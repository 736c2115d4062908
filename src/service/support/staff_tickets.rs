//! What staff do with tickets (`support:read` to look, `support:write` to
//! act): the queue with its counts, the full thread with internal notes,
//! replies and notes, routing (department, priority, assignee, status),
//! merging two tickets of one client, and watching.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    config::Config,
    db::Db,
    domain::{
        scopes::Scope,
        status::{TicketPriority, TicketStatus},
        time::stamp,
    },
    error::{AppError, Result},
    service::audit::{self, Event},
    store::{
        staff as staff_store,
        support::{
            departments, search,
            tickets::{self, Filter, Routing, Ticket},
        },
    },
};

use super::{
    attachments::{self, Download, Upload},
    notices,
    posting::{self, Delivery},
    thread::{self, Thread},
    tickets::author_of,
};

/// The queue as staff narrow it.
#[derive(Debug, Clone, Default)]
pub struct QueueQuery {
    pub status: Option<String>,
    pub department_id: Option<i64>,
    /// A staff id, or `none` for unassigned, or `me`.
    pub assignee: Option<String>,
    pub priority: Option<String>,
    pub client_id: Option<i64>,
    pub q: Option<String>,
    /// Closed tickets too (without `status`).
    pub include_closed: bool,
}

/// The queue's counts of tickets not closed.
#[derive(Debug, Clone, Default)]
pub struct QueueCounts {
    pub by_status: Vec<(TicketStatus, i64)>,
    pub by_department: Vec<(i64, i64)>,
}

fn find(conn: &Connection, id: i64) -> Result<Ticket> {
    tickets::find(conn, id)?.ok_or(AppError::NotFound)
}

fn parse<T: std::str::FromStr>(raw: Option<&str>, field: &str, what: &str) -> Result<Option<T>> {
    raw.filter(|s| !s.is_empty())
        .map(|s| s.parse::<T>().map_err(|_| AppError::invalid(field, what)))
        .transpose()
}

pub fn queue(
    db: &Db,
    staff: &StaffPrincipal,
    q: &QueueQuery,
) -> Result<(Vec<Ticket>, QueueCounts)> {
    staff.require(Scope::SupportRead)?;
    let status = parse::<TicketStatus>(q.status.as_deref(), "status", "is not a ticket status")?;
    let priority = parse::<TicketPriority>(q.priority.as_deref(), "priority", "is not a priority")?;
    let (assigned, unassigned) = match q.assignee.as_deref() {
        None | Some("") => (None, false),
        Some("none") => (None, true),
        Some("me") => (Some(staff.staff_id), false),
        Some(id) => (
            Some(
                id.parse()
                    .map_err(|_| AppError::invalid("assignee", "give a staff id, me or none"))?,
            ),
            false,
        ),
    };
    db.read(|c| {
        let ids = match q.q.as_deref().and_then(search::fts_query) {
            Some(query) => Some(search::matching(c, &query, None, 500)?),
            None => None,
        };
        let filter = Filter {
            client_id: q.client_id,
            status,
            active_only: status.is_none() && !q.include_closed,
            department_id: q.department_id,
            assigned_staff_id: assigned,
            unassigned,
            priority,
            ids,
            ..Filter::default()
        };
        let rows = tickets::list(c, &filter, 500, 0)?;
        let mut counts = QueueCounts::default();
        for (status, department, n) in tickets::counts(c)? {
            match counts.by_status.iter_mut().find(|(s, _)| *s == status) {
                Some(e) => e.1 += n,
                None => counts.by_status.push((status, n)),
            }
            match counts
                .by_department
                .iter_mut()
                .find(|(d, _)| *d == department)
            {
                Some(e) => e.1 += n,
                None => counts.by_department.push((department, n)),
            }
        }
        Ok((rows, counts))
    })
}

/// The ticket with everything: replies, notes and their files.
pub fn get(db: &Db, staff: &StaffPrincipal, id: i64) -> Result<(Thread, Vec<i64>)> {
    staff.require(Scope::SupportRead)?;
    db.read(|c| {
        let ticket = find(c, id)?;
        let watchers = tickets::watchers(c, id)?;
        Ok((thread::load(c, ticket, true)?, watchers))
    })
}

#[allow(clippy::too_many_arguments)]
fn audit(
    tx: &Connection,
    staff: &StaffPrincipal,
    action: &str,
    ticket: &Ticket,
    customer_sees: bool,
    meta: &RequestMeta,
    now: Timestamp,
    details: serde_json::Value,
) -> Result<()> {
    audit::record(
        tx,
        now,
        Event {
            actor: staff.into(),
            action,
            subject: Some(("ticket", ticket.id)),
            // Notes and routing stay off the customer's history.
            client_id: if customer_sees {
                ticket.client_id
            } else {
                None
            },
            ip: meta.ip.as_deref(),
            details,
        },
    )?;
    Ok(())
}

/// A reply (the customer is told) or, with `internal`, a note (nobody
/// outside staff ever sees it).
#[allow(clippy::too_many_arguments)]
pub fn reply(
    db: &Db,
    config: &Config,
    staff: &StaffPrincipal,
    id: i64,
    message: &str,
    internal: bool,
    uploads: Vec<Upload>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Thread> {
    staff.require(Scope::SupportWrite)?;
    let body = posting::clean_body(message, "message")?;
    let files = attachments::check(&config.support, uploads)?;
    db.write(|tx| {
        let ticket = find(tx, id)?;
        if ticket.merged_into_id.is_some() {
            return Err(AppError::Conflict(
                "this ticket was merged into another".into(),
            ));
        }
        let author = author_of(tx, &Principal::Staff(staff.clone()))?;
        let ticket = if internal {
            posting::note(tx, &ticket, &author, &body, &files, now)?;
            audit(
                tx,
                staff,
                "ticket.note_added",
                &ticket,
                false,
                meta,
                now,
                serde_json::json!({}),
            )?;
            ticket
        } else {
            let delivery = Delivery {
                source: "api",
                email_message_id: None,
            };
            let (ticket, message) =
                posting::reply(tx, &ticket, &author, &body, &files, &delivery, now)?
                    .ok_or_else(|| AppError::Conflict("posted already".into()))?;
            notices::staff_replied(tx, config, &ticket, message, &author.name, &body, now)?;
            audit(
                tx,
                staff,
                "ticket.answered",
                &ticket,
                true,
                meta,
                now,
                serde_json::json!({}),
            )?;
            ticket
        };
        thread::load(tx, find(tx, ticket.id)?, true)
    })
}

/// What staff change on a ticket; `None` keeps it.
#[derive(Debug, Clone, Default)]
pub struct TicketChange {
    pub department_id: Option<i64>,
    pub priority: Option<String>,
    pub status: Option<String>,
    /// `Some(None)` unassigns.
    pub assigned_staff_id: Option<Option<i64>>,
}

pub fn update(
    db: &Db,
    config: &Config,
    staff: &StaffPrincipal,
    id: i64,
    change: &TicketChange,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Thread> {
    staff.require(Scope::SupportWrite)?;
    let priority = parse::<TicketPriority>(
        change.priority.as_deref(),
        "priority",
        "choose low, medium, high or urgent",
    )?;
    let status =
        parse::<TicketStatus>(change.status.as_deref(), "status", "is not a ticket status")?;
    db.write(|tx| {
        let ticket = find(tx, id)?;
        let department_id = change.department_id.unwrap_or(ticket.department_id);
        if departments::find(tx, department_id)?.is_none() {
            return Err(AppError::invalid("department_id", "no such department"));
        }
        let assigned = change.assigned_staff_id.unwrap_or(ticket.assigned_staff_id);
        if let Some(a) = assigned
            && staff_store::find(tx, a)?.is_none_or(|s| s.disabled_at.is_some())
        {
            return Err(AppError::invalid(
                "assigned_staff_id",
                "no such active staff member",
            ));
        }
        let at = stamp(now);
        tickets::set_routing(
            tx,
            id,
            &Routing {
                department_id,
                priority: priority.unwrap_or(ticket.priority),
                assigned_staff_id: assigned,
            },
            &at,
        )?;
        if let Some(to) = status.filter(|s| *s != ticket.status) {
            tickets::set_status(tx, id, to, &at)?;
            let after = find(tx, id)?;
            match to {
                TicketStatus::Closed => notices::status_changed(
                    tx,
                    config,
                    &after,
                    "it is closed. Reply to open it again.",
                    now,
                )?,
                _ if ticket.status == TicketStatus::Closed => {
                    notices::status_changed(tx, config, &after, "it is open again.", now)?
                }
                _ => {}
            }
        }
        audit(
            tx,
            staff,
            "ticket.updated",
            &ticket,
            status.is_some_and(|s| s != ticket.status),
            meta,
            now,
            serde_json::json!({
                "department_id": department_id,
                "priority": priority.map(|p| p.as_str()),
                "status": status.map(|s| s.as_str()),
                "assigned_staff_id": assigned,
            }),
        )?;
        thread::load(tx, find(tx, id)?, true)
    })
}

/// Watch a ticket (its alerts come to you) or stop.
pub fn watch(db: &Db, staff: &StaffPrincipal, id: i64, on: bool) -> Result<()> {
    staff.require(Scope::SupportRead)?;
    db.write(|tx| {
        find(tx, id)?;
        tickets::watch(tx, id, staff.staff_id, on)?;
        Ok(())
    })
}

/// Any attachment of the ticket, notes' included.
pub fn attachment(db: &Db, staff: &StaffPrincipal, ticket_id: i64, id: i64) -> Result<Download> {
    staff.require(Scope::SupportRead)?;
    db.read(|c| attachments::download(c, ticket_id, id, true))
}

/// The active staff a ticket may be assigned to, as (id, name).
pub fn assignable(db: &Db, staff: &StaffPrincipal) -> Result<Vec<(i64, String)>> {
    staff.require(Scope::SupportRead)?;
    db.read(|c| {
        Ok(staff_store::list(c)?
            .into_iter()
            .filter(|s| s.disabled_at.is_none())
            .map(|s| (s.id, s.name))
            .collect())
    })
}
