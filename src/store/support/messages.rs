//! `ticket_messages`: a ticket's replies and staff's internal notes.

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: i64,
    pub ticket_id: i64,
    /// An internal note (staff only) rather than a reply.
    pub internal: bool,
    /// `client`, `staff` or `system`.
    pub author_type: String,
    pub user_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub author_name: String,
    pub body: String,
    /// `web`, `api` or `email`.
    pub source: String,
    pub email_message_id: Option<String>,
    pub created_at: String,
}

const COLUMNS: &str = "id, ticket_id, kind, author_type, user_id, staff_id, author_name, body, \
     source, email_message_id, created_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Message> {
    let kind: String = r.get(2)?;
    Ok(Message {
        id: r.get(0)?,
        ticket_id: r.get(1)?,
        internal: kind == "note",
        author_type: r.get(3)?,
        user_id: r.get(4)?,
        staff_id: r.get(5)?,
        author_name: r.get(6)?,
        body: r.get(7)?,
        source: r.get(8)?,
        email_message_id: r.get(9)?,
        created_at: r.get(10)?,
    })
}

pub struct NewMessage<'a> {
    pub ticket_id: i64,
    pub internal: bool,
    pub author_type: &'a str,
    pub user_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub author_name: &'a str,
    pub body: &'a str,
    pub source: &'a str,
    pub email_message_id: Option<&'a str>,
    pub now: &'a str,
}

/// A new message; `None` when an email with its Message-ID was posted
/// already (the same mail delivered twice).
pub fn insert(conn: &Connection, m: &NewMessage<'_>) -> rusqlite::Result<Option<i64>> {
    let kind = if m.internal { "note" } else { "message" };
    let n = conn
        .prepare_cached(
            "INSERT INTO ticket_messages (ticket_id, kind, author_type, user_id, staff_id, author_name,
                    body, source, email_message_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT DO NOTHING",
        )?
        .execute(params![
            m.ticket_id,
            kind,
            m.author_type,
            m.user_id,
            m.staff_id,
            m.author_name,
            m.body,
            m.source,
            m.email_message_id,
            m.now
        ])?;
    Ok((n == 1).then(|| conn.last_insert_rowid()))
}

/// A ticket's messages, oldest first; notes only when `with_notes`.
pub fn of_ticket(
    conn: &Connection,
    ticket_id: i64,
    with_notes: bool,
) -> rusqlite::Result<Vec<Message>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM ticket_messages
         WHERE ticket_id = ?1 AND (?2 OR kind = 'message') ORDER BY created_at, id"
    ))?;
    let rows = stmt.query_map(params![ticket_id, with_notes], from_row)?;
    rows.collect()
}

pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Message>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM ticket_messages WHERE id = ?1"
    ))?
    .query_row([id], from_row)
    .optional()
}

/// The ticket a Message-ID (ours going out, or one that came in) belongs to.
pub fn ticket_of_email(conn: &Connection, message_id: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT ticket_id FROM ticket_messages WHERE email_message_id = ?1")?
        .query_row([message_id], |r| r.get(0))
        .optional()
}

/// The Message-ID the message's email went out with, unless it already
/// has one (the Message-ID it arrived with stays, so a second delivery of
/// that mail is still recognised).
pub fn set_email_id(conn: &Connection, id: i64, message_id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE ticket_messages SET email_message_id = ?2 WHERE id = ?1 AND email_message_id IS NULL",
    )?
        .execute(params![id, message_id])?;
    Ok(())
}

/// The last Message-ID in a ticket's thread, to answer it.
pub fn last_email_id(conn: &Connection, ticket_id: i64) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(
        "SELECT email_message_id FROM ticket_messages
         WHERE ticket_id = ?1 AND kind = 'message' AND email_message_id IS NOT NULL
         ORDER BY id DESC LIMIT 1",
    )?
    .query_row([ticket_id], |r| r.get(0))
    .optional()
}

/// Move every message of `from` onto `into` (a merge), and its watchers.
pub fn move_all(conn: &Connection, from: i64, into: i64) -> rusqlite::Result<usize> {
    let n = conn
        .prepare_cached("UPDATE ticket_messages SET ticket_id = ?2 WHERE ticket_id = ?1")?
        .execute(params![from, into])?;
    conn.prepare_cached(
        "INSERT OR IGNORE INTO ticket_watchers (ticket_id, staff_id)
         SELECT ?2, staff_id FROM ticket_watchers WHERE ticket_id = ?1",
    )?
    .execute(params![from, into])?;
    Ok(n)
}
