//! `inbound_mail`: every email that came in and what became of it; the
//! per-sender limits count from here.

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundRow {
    pub id: i64,
    pub received_at: String,
    pub via: String,
    pub sender: String,
    pub message_id: Option<String>,
    pub subject: String,
    pub size: i64,
    pub department_id: Option<i64>,
    pub ticket_id: Option<i64>,
    pub message_row: Option<i64>,
    pub outcome: String,
    pub reason: String,
    pub answered: bool,
}

const COLUMNS: &str = "id, received_at, via, sender, message_id, subject, size, department_id, \
     ticket_id, message_row, outcome, reason, answered";

fn from_row(r: &Row<'_>) -> rusqlite::Result<InboundRow> {
    Ok(InboundRow {
        id: r.get(0)?,
        received_at: r.get(1)?,
        via: r.get(2)?,
        sender: r.get(3)?,
        message_id: r.get(4)?,
        subject: r.get(5)?,
        size: r.get(6)?,
        department_id: r.get(7)?,
        ticket_id: r.get(8)?,
        message_row: r.get(9)?,
        outcome: r.get(10)?,
        reason: r.get(11)?,
        answered: r.get(12)?,
    })
}

pub struct NewInbound<'a> {
    pub received_at: &'a str,
    pub via: &'a str,
    pub sender: &'a str,
    pub message_id: Option<&'a str>,
    pub subject: &'a str,
    pub size: i64,
    pub department_id: Option<i64>,
    pub ticket_id: Option<i64>,
    pub message_row: Option<i64>,
    pub outcome: &'a str,
    pub reason: &'a str,
    pub answered: bool,
}

pub fn insert(conn: &Connection, m: &NewInbound<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO inbound_mail (received_at, via, sender, message_id, subject, size,
                department_id, ticket_id, message_row, outcome, reason, answered)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        m.received_at,
        m.via,
        m.sender,
        m.message_id,
        m.subject,
        m.size,
        m.department_id,
        m.ticket_id,
        m.message_row,
        m.outcome,
        m.reason,
        m.answered
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Whether an email with this Message-ID came in before (whatever
/// became of it).
pub fn seen(conn: &Connection, message_id: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT 1 FROM inbound_mail WHERE message_id = ?1 LIMIT 1")?
        .query_row([message_id], |_| Ok(()))
        .optional()
        .map(|r| r.is_some())
}

/// How many of `sender`'s emails since `since` were posted (a reply or a
/// new ticket).
pub fn posts_since(conn: &Connection, sender: &str, since: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "SELECT COUNT(*) FROM inbound_mail
         WHERE sender = ?1 AND received_at >= ?2 AND outcome IN ('posted', 'opened')",
    )?
    .query_row(params![sender, since], |r| r.get(0))
}

/// How many times `sender` was answered (bounced, or told of refused
/// files) since `since`.
pub fn answers_since(conn: &Connection, sender: &str, since: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "SELECT COUNT(*) FROM inbound_mail WHERE sender = ?1 AND received_at >= ?2 AND answered = 1",
    )?
    .query_row(params![sender, since], |r| r.get(0))
}

/// Whether `sender` was bounced since `since` about the same ticket (or,
/// for new mail, the same department) and for the same reason.
pub fn bounced_about(
    conn: &Connection,
    sender: &str,
    ticket_id: Option<i64>,
    department_id: Option<i64>,
    reason: &str,
    since: &str,
) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT 1 FROM inbound_mail
         WHERE sender = ?1 AND received_at >= ?2 AND answered = 1 AND reason = ?3
           AND ticket_id IS ?4 AND (?4 IS NOT NULL OR department_id IS ?5)
         LIMIT 1",
    )?
    .query_row(
        params![sender, since, reason, ticket_id, department_id],
        |_| Ok(()),
    )
    .optional()
    .map(|r| r.is_some())
}

/// The newest emails first, a page at a time.
pub fn recent(conn: &Connection, limit: i64, offset: i64) -> rusqlite::Result<Vec<InboundRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM inbound_mail ORDER BY id DESC LIMIT ?1 OFFSET ?2"
    ))?;
    let rows = stmt.query_map(params![limit, offset], from_row)?;
    rows.collect()
}

pub fn count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT COUNT(*) FROM inbound_mail")?
        .query_row([], |r| r.get(0))
}
