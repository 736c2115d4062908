//! A department's IMAP mailbox: its settings on `support_departments`
//! (the password sealed by the service) and how its last poll went.

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxRow {
    pub department_id: i64,
    pub host: String,
    pub port: i64,
    /// `tls`, `starttls` or `plain`.
    pub tls: String,
    pub username: String,
    pub password_sealed: Option<String>,
    pub folder: String,
    pub polled_at: Option<String>,
    /// What went wrong at the last poll ('' when nothing did).
    pub error: Option<String>,
}

const COLUMNS: &str = "id, imap_host, imap_port, imap_tls, imap_username, imap_password_sealed, \
     COALESCE(imap_folder, 'INBOX'), imap_polled_at, imap_error";

fn from_row(r: &Row<'_>) -> rusqlite::Result<MailboxRow> {
    Ok(MailboxRow {
        department_id: r.get(0)?,
        host: r.get(1)?,
        port: r.get(2)?,
        tls: r.get(3)?,
        username: r.get(4)?,
        password_sealed: r.get(5)?,
        folder: r.get(6)?,
        polled_at: r.get(7)?,
        error: r.get(8)?,
    })
}

/// The department's mailbox, if it has one.
pub fn find(conn: &Connection, department_id: i64) -> rusqlite::Result<Option<MailboxRow>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM support_departments WHERE id = ?1 AND imap_host IS NOT NULL"
    ))?
    .query_row([department_id], from_row)
    .optional()
}

/// Every department's mailbox, by department.
pub fn all(conn: &Connection) -> rusqlite::Result<Vec<MailboxRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM support_departments WHERE imap_host IS NOT NULL ORDER BY id"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect()
}

pub struct MailboxFields<'a> {
    pub host: &'a str,
    pub port: i64,
    pub tls: &'a str,
    pub username: &'a str,
    pub password_sealed: &'a str,
    pub folder: &'a str,
}

/// Set the department's mailbox; a new one has not been polled yet.
pub fn set(
    conn: &Connection,
    department_id: i64,
    m: &MailboxFields<'_>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE support_departments SET imap_host = ?2, imap_port = ?3, imap_tls = ?4,
                imap_username = ?5, imap_password_sealed = ?6, imap_folder = ?7,
                imap_polled_at = NULL, imap_error = NULL, updated_at = ?8
         WHERE id = ?1",
    )?
    .execute(params![
        department_id,
        m.host,
        m.port,
        m.tls,
        m.username,
        m.password_sealed,
        m.folder,
        now
    ])?;
    Ok(())
}

/// Remove the department's mailbox.
pub fn clear(conn: &Connection, department_id: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE support_departments SET imap_host = NULL, imap_port = NULL, imap_tls = NULL,
                imap_username = NULL, imap_password_sealed = NULL, imap_folder = NULL,
                imap_polled_at = NULL, imap_error = NULL, updated_at = ?2
         WHERE id = ?1",
    )?
    .execute(params![department_id, now])?;
    Ok(())
}

/// How the last poll went (`error` empty when it went well).
pub fn record_poll(
    conn: &Connection,
    department_id: i64,
    at: &str,
    error: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE support_departments SET imap_polled_at = ?2, imap_error = ?3
         WHERE id = ?1 AND imap_host IS NOT NULL",
    )?
    .execute(params![department_id, at, error])?;
    Ok(())
}

/// The department whose address is one of `addresses` (lower-cased),
/// the first that matches in their order.
pub fn department_for(conn: &Connection, addresses: &[String]) -> rusqlite::Result<Option<i64>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM support_departments WHERE email = ?1")?;
    for a in addresses {
        if let Some(id) = stmt.query_row([a], |r| r.get(0)).optional()? {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// Whether `address` is one of the departments' own.
pub fn is_department_address(conn: &Connection, address: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT 1 FROM support_departments WHERE email = ?1")?
        .query_row([address], |_| Ok(()))
        .optional()
        .map(|r| r.is_some())
}
