//! The `email_outbox` table.

use rusqlite::{Connection, Row, params};

use crate::db::queued::{self, Queue};

#[derive(Debug, Clone)]
pub struct OutboxEmail {
    pub id: i64,
    pub template: String,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: Option<String>,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: String,
    pub last_error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
    /// A department's address instead of `[mail] from`.
    pub from_address: Option<String>,
    pub message_id: Option<String>,
    pub in_reply_to: Option<String>,
}

const COLUMNS: &str = "id, template, to_address, subject, text_body, html_body, status, attempts, \
     next_attempt_at, last_error, created_at, sent_at, from_address, message_id, in_reply_to";

fn from_row(r: &Row<'_>) -> rusqlite::Result<OutboxEmail> {
    Ok(OutboxEmail {
        id: r.get(0)?,
        template: r.get(1)?,
        to_address: r.get(2)?,
        subject: r.get(3)?,
        text_body: r.get(4)?,
        html_body: r.get(5)?,
        status: r.get(6)?,
        attempts: r.get(7)?,
        next_attempt_at: r.get(8)?,
        last_error: r.get(9)?,
        created_at: r.get(10)?,
        sent_at: r.get(11)?,
        from_address: r.get(12)?,
        message_id: r.get(13)?,
        in_reply_to: r.get(14)?,
    })
}

pub struct NewEmail<'a> {
    pub template: &'a str,
    pub to_address: &'a str,
    pub subject: &'a str,
    pub text_body: &'a str,
    pub html_body: Option<&'a str>,
    pub from_address: Option<&'a str>,
    pub message_id: Option<&'a str>,
    pub in_reply_to: Option<&'a str>,
    pub now: &'a str,
}

pub fn insert(conn: &Connection, e: &NewEmail<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO email_outbox (template, to_address, subject, text_body, html_body,
                from_address, message_id, in_reply_to, next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
    )?
    .execute(params![
        e.template,
        e.to_address,
        e.subject,
        e.text_body,
        e.html_body,
        e.from_address,
        e.message_id,
        e.in_reply_to,
        e.now
    ])?;
    queued::mark(Queue::Mail);
    Ok(conn.last_insert_rowid())
}

/// Claim up to `limit` due emails for sending: their next attempt moves to
/// `lease_until`, so another worker (or a retry after a crash) will not
/// pick them up before then. Answers the claimed rows.
pub fn claim_due(
    conn: &Connection,
    now: &str,
    lease_until: &str,
    limit: i64,
) -> rusqlite::Result<Vec<OutboxEmail>> {
    let mut stmt = conn.prepare_cached(&format!(
        "UPDATE email_outbox SET next_attempt_at = ?2
         WHERE id IN (SELECT id FROM email_outbox
                      WHERE status = 'pending' AND next_attempt_at <= ?1 ORDER BY id LIMIT ?3)
         RETURNING {COLUMNS}"
    ))?;
    let mut rows: Vec<OutboxEmail> = stmt
        .query_map(params![now, lease_until, limit], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    rows.sort_by_key(|e| e.id);
    Ok(rows)
}

/// Pending emails due at `now`, oldest first.
pub fn due(conn: &Connection, now: &str, limit: i64) -> rusqlite::Result<Vec<OutboxEmail>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM email_outbox
         WHERE status = 'pending' AND next_attempt_at <= ?1 ORDER BY id LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![now, limit], from_row)?;
    rows.collect()
}

pub fn mark_sent(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE email_outbox SET status = 'sent', sent_at = ?2, attempts = attempts + 1, last_error = NULL
         WHERE id = ?1 AND status = 'pending'",
    )?
    .execute(params![id, now])?;
    Ok(())
}

/// Record a failed attempt: retry at `next_attempt_at`, or give up.
pub fn mark_failed_attempt(
    conn: &Connection,
    id: i64,
    error: &str,
    next_attempt_at: Option<&str>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE email_outbox SET attempts = attempts + 1, last_error = ?2,
            status = CASE WHEN ?3 IS NULL THEN 'failed' ELSE 'pending' END,
            next_attempt_at = COALESCE(?3, next_attempt_at)
         WHERE id = ?1 AND status = 'pending'",
    )?
    .execute(params![id, error, next_attempt_at])?;
    Ok(())
}

/// The email log, newest first, optionally of one status.
pub fn recent(
    conn: &Connection,
    status: Option<&str>,
    limit: i64,
) -> rusqlite::Result<Vec<OutboxEmail>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM email_outbox WHERE ?1 IS NULL OR status = ?1 ORDER BY id DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![status, limit], from_row)?;
    rows.collect()
}
