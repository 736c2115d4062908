//! `tickets` and `ticket_watchers`.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::domain::status::{TicketPriority, TicketStatus};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub id: i64,
    pub number: String,
    pub client_id: Option<i64>,
    pub guest_email: Option<String>,
    pub guest_name: Option<String>,
    pub opened_by_user_id: Option<i64>,
    pub department_id: i64,
    pub department_name: String,
    pub subject: String,
    pub status: TicketStatus,
    pub priority: TicketPriority,
    pub service_id: Option<i64>,
    pub domain_id: Option<i64>,
    pub assigned_staff_id: Option<i64>,
    pub merged_into_id: Option<i64>,
    pub last_reply_at: String,
    pub answered_at: Option<String>,
    pub close_warned_at: Option<String>,
    pub closed_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const COLUMNS: &str =
    "t.id, t.number, t.client_id, t.guest_email, t.guest_name, t.opened_by_user_id,
     t.department_id, d.name, t.subject, t.status, t.priority, t.service_id, t.domain_id,
     t.assigned_staff_id, t.merged_into_id, t.last_reply_at, t.answered_at, t.close_warned_at,
     t.closed_at, t.created_at, t.updated_at";
const FROM: &str = "tickets t JOIN support_departments d ON d.id = t.department_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Ticket> {
    Ok(Ticket {
        id: r.get(0)?,
        number: r.get(1)?,
        client_id: r.get(2)?,
        guest_email: r.get(3)?,
        guest_name: r.get(4)?,
        opened_by_user_id: r.get(5)?,
        department_id: r.get(6)?,
        department_name: r.get(7)?,
        subject: r.get(8)?,
        status: r.get(9)?,
        priority: r.get(10)?,
        service_id: r.get(11)?,
        domain_id: r.get(12)?,
        assigned_staff_id: r.get(13)?,
        merged_into_id: r.get(14)?,
        last_reply_at: r.get(15)?,
        answered_at: r.get(16)?,
        close_warned_at: r.get(17)?,
        closed_at: r.get(18)?,
        created_at: r.get(19)?,
        updated_at: r.get(20)?,
    })
}

pub struct NewTicket<'a> {
    pub number: &'a str,
    pub client_id: Option<i64>,
    pub guest_email: Option<&'a str>,
    pub guest_name: Option<&'a str>,
    pub opened_by_user_id: Option<i64>,
    pub department_id: i64,
    pub subject: &'a str,
    pub status: TicketStatus,
    pub priority: TicketPriority,
    pub service_id: Option<i64>,
    pub domain_id: Option<i64>,
    pub now: &'a str,
}

/// A new ticket; `None` when its number is taken (draw another).
pub fn insert(conn: &Connection, t: &NewTicket<'_>) -> rusqlite::Result<Option<i64>> {
    let n = conn
        .prepare_cached(
            "INSERT INTO tickets (number, client_id, guest_email, guest_name, opened_by_user_id,
                    department_id, subject, status, priority, service_id, domain_id,
                    last_reply_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?12)
             ON CONFLICT (number) DO NOTHING",
        )?
        .execute(params![
            t.number,
            t.client_id,
            t.guest_email,
            t.guest_name,
            t.opened_by_user_id,
            t.department_id,
            t.subject,
            t.status,
            t.priority,
            t.service_id,
            t.domain_id,
            t.now
        ])?;
    Ok((n == 1).then(|| conn.last_insert_rowid()))
}

pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Ticket>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE t.id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

pub fn find_by_number(conn: &Connection, number: &str) -> rusqlite::Result<Option<Ticket>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE t.number = ?1"))?
        .query_row([number.to_ascii_uppercase()], from_row)
        .optional()
}

/// What a list is narrowed to; `None` is no filter.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub client_id: Option<i64>,
    /// Only the tickets this user opened (a contact without "view all").
    pub opened_by_user_id: Option<i64>,
    pub status: Option<TicketStatus>,
    /// Every status but closed.
    pub active_only: bool,
    pub department_id: Option<i64>,
    pub assigned_staff_id: Option<i64>,
    pub unassigned: bool,
    pub priority: Option<TicketPriority>,
    /// Only these ids (a search's answer).
    pub ids: Option<Vec<i64>>,
}

/// Tickets, newest activity first; merged ones are left out.
pub fn list(
    conn: &Connection,
    f: &Filter,
    limit: i64,
    offset: i64,
) -> rusqlite::Result<Vec<Ticket>> {
    let ids = f
        .ids
        .as_ref()
        .map(|ids| serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM {FROM}
         WHERE t.merged_into_id IS NULL
           AND (?1 IS NULL OR t.client_id = ?1)
           AND (?2 IS NULL OR t.opened_by_user_id = ?2)
           AND (?3 IS NULL OR t.status = ?3)
           AND (?4 = 0 OR t.status <> 'closed')
           AND (?5 IS NULL OR t.department_id = ?5)
           AND (?6 IS NULL OR t.assigned_staff_id = ?6)
           AND (?7 = 0 OR t.assigned_staff_id IS NULL)
           AND (?8 IS NULL OR t.priority = ?8)
           AND (?9 IS NULL OR t.id IN (SELECT value FROM json_each(?9)))
         ORDER BY t.last_reply_at DESC, t.id DESC LIMIT ?10 OFFSET ?11"
    ))?;
    let rows = stmt.query_map(
        params![
            f.client_id,
            f.opened_by_user_id,
            f.status,
            f.active_only,
            f.department_id,
            f.assigned_staff_id,
            f.unassigned,
            f.priority,
            ids,
            limit,
            offset
        ],
        from_row,
    )?;
    rows.collect()
}

/// How many open (not closed, not merged) tickets each (status, department)
/// holds: the queue's counts.
pub fn counts(conn: &Connection) -> rusqlite::Result<Vec<(TicketStatus, i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT status, department_id, COUNT(*) FROM tickets
         WHERE merged_into_id IS NULL AND status <> 'closed'
         GROUP BY status, department_id ORDER BY status, department_id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect()
}

/// A reply arrived: the new status, and when.
pub fn replied(
    conn: &Connection,
    id: i64,
    status: TicketStatus,
    staff_answered: bool,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE tickets SET status = ?2, last_reply_at = ?3, updated_at = ?3,
                answered_at = CASE WHEN ?4 THEN ?3 ELSE answered_at END,
                close_warned_at = NULL, closed_at = NULL
         WHERE id = ?1",
    )?
    .execute(params![id, status, now, staff_answered])?;
    Ok(())
}

pub fn set_status(
    conn: &Connection,
    id: i64,
    status: TicketStatus,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE tickets SET status = ?2, updated_at = ?3,
                closed_at = CASE WHEN ?2 = 'closed' THEN ?3 ELSE NULL END,
                close_warned_at = CASE WHEN ?2 = 'answered' THEN close_warned_at ELSE NULL END
         WHERE id = ?1",
    )?
    .execute(params![id, status, now])?;
    Ok(())
}

/// Staff's changes to a ticket's routing.
pub struct Routing {
    pub department_id: i64,
    pub priority: TicketPriority,
    pub assigned_staff_id: Option<i64>,
}

pub fn set_routing(conn: &Connection, id: i64, r: &Routing, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE tickets SET department_id = ?2, priority = ?3, assigned_staff_id = ?4, updated_at = ?5
         WHERE id = ?1",
    )?
    .execute(params![id, r.department_id, r.priority, r.assigned_staff_id, now])?;
    Ok(())
}

/// `id` is merged into `into`: it closes and points there.
pub fn merged(conn: &Connection, id: i64, into: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE tickets SET merged_into_id = ?2, status = 'closed', closed_at = ?3, updated_at = ?3
         WHERE id = ?1",
    )?
    .execute(params![id, into, now])?;
    Ok(())
}

/// Answered tickets staff answered before `before`, with or without a
/// close notice sent: the auto-close job's work.
pub fn answered_before(
    conn: &Connection,
    before: &str,
    warned: bool,
    limit: i64,
) -> rusqlite::Result<Vec<Ticket>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM {FROM}
         WHERE t.status = 'answered' AND t.answered_at < ?1 AND t.merged_into_id IS NULL
           AND (t.close_warned_at IS NOT NULL) = ?2
         ORDER BY t.answered_at LIMIT ?3"
    ))?;
    let rows = stmt.query_map(params![before, warned, limit], from_row)?;
    rows.collect()
}

pub fn mark_close_warned(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE tickets SET close_warned_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    Ok(())
}

pub fn watch(conn: &Connection, ticket_id: i64, staff_id: i64, on: bool) -> rusqlite::Result<()> {
    let sql = if on {
        "INSERT OR IGNORE INTO ticket_watchers (ticket_id, staff_id) VALUES (?1, ?2)"
    } else {
        "DELETE FROM ticket_watchers WHERE ticket_id = ?1 AND staff_id = ?2"
    };
    conn.prepare_cached(sql)?
        .execute(params![ticket_id, staff_id])?;
    Ok(())
}

pub fn watchers(conn: &Connection, ticket_id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT staff_id FROM ticket_watchers WHERE ticket_id = ?1 ORDER BY staff_id",
    )?;
    let rows = stmt.query_map([ticket_id], |r| r.get(0))?;
    rows.collect()
}

/// Tickets a client opened since `since` (the per-client rate).
pub fn opened_since(conn: &Connection, client_id: i64, since: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT COUNT(*) FROM tickets WHERE client_id = ?1 AND created_at >= ?2")?
        .query_row(params![client_id, since], |r| r.get(0))
}
