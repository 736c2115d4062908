//! The `audit_log` table.

use rusqlite::{Connection, params};

/// One audit row to write.
pub struct NewAudit<'a> {
    pub occurred_at: &'a str,
    pub actor_type: &'a str,
    pub actor_id: Option<i64>,
    pub action: &'a str,
    pub subject_type: Option<&'a str>,
    pub subject_id: Option<i64>,
    pub ip: Option<&'a str>,
    pub details: &'a str,
}

pub fn insert(conn: &Connection, row: &NewAudit<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO audit_log
           (occurred_at, actor_type, actor_id, action, subject_type, subject_id, ip, details)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        row.occurred_at,
        row.actor_type,
        row.actor_id,
        row.action,
        row.subject_type,
        row.subject_id,
        row.ip,
        row.details
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn count_action(conn: &Connection, action: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT COUNT(*) FROM audit_log WHERE action = ?1")?
        .query_row([action], |r| r.get(0))
}
