//! The `audit_log` table.

use rusqlite::{Connection, Row, params};

use super::{Page, PageRequest};

/// One audit row to write.
pub struct NewAudit<'a> {
    pub occurred_at: &'a str,
    pub actor_type: &'a str,
    pub actor_id: Option<i64>,
    pub action: &'a str,
    pub subject_type: Option<&'a str>,
    pub subject_id: Option<i64>,
    pub client_id: Option<i64>,
    pub ip: Option<&'a str>,
    pub details: &'a str,
}

pub fn insert(conn: &Connection, row: &NewAudit<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO audit_log
           (occurred_at, actor_type, actor_id, action, subject_type, subject_id, client_id, ip, details)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        row.occurred_at,
        row.actor_type,
        row.actor_id,
        row.action,
        row.subject_type,
        row.subject_id,
        row.client_id,
        row.ip,
        row.details
    ])?;
    Ok(conn.last_insert_rowid())
}

#[derive(Debug, Clone)]
pub struct AuditRow {
    pub id: i64,
    pub occurred_at: String,
    pub actor_type: String,
    pub actor_id: Option<i64>,
    pub action: String,
    pub subject_type: Option<String>,
    pub subject_id: Option<i64>,
    pub client_id: Option<i64>,
    pub ip: Option<String>,
    pub details: String,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<AuditRow> {
    Ok(AuditRow {
        id: r.get(0)?,
        occurred_at: r.get(1)?,
        actor_type: r.get(2)?,
        actor_id: r.get(3)?,
        action: r.get(4)?,
        subject_type: r.get(5)?,
        subject_id: r.get(6)?,
        client_id: r.get(7)?,
        ip: r.get(8)?,
        details: r.get(9)?,
    })
}

/// Filters for listing; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_type: Option<String>,
    pub actor_id: Option<i64>,
    pub action: Option<String>,
    pub subject_type: Option<String>,
    pub subject_id: Option<i64>,
    pub client_id: Option<i64>,
    pub since: Option<String>,
    pub until: Option<String>,
}

pub fn list(
    conn: &Connection,
    f: &AuditFilter,
    page: PageRequest,
) -> rusqlite::Result<Page<AuditRow>> {
    // `action` matches exactly, or as a prefix when it ends in '.'.
    let filter = "(?1 IS NULL OR actor_type = ?1) AND (?2 IS NULL OR actor_id = ?2)
        AND (?3 IS NULL OR action = ?3 OR (substr(?3, -1) = '.' AND substr(action, 1, length(?3)) = ?3))
        AND (?4 IS NULL OR subject_type = ?4) AND (?5 IS NULL OR subject_id = ?5)
        AND (?6 IS NULL OR client_id = ?6) AND (?7 IS NULL OR occurred_at >= ?7)
        AND (?8 IS NULL OR occurred_at < ?8)";
    let args = params![
        f.actor_type,
        f.actor_id,
        f.action,
        f.subject_type,
        f.subject_id,
        f.client_id,
        f.since,
        f.until
    ];
    let total = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM audit_log WHERE {filter}"))?
        .query_row(args, |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, occurred_at, actor_type, actor_id, action, subject_type, subject_id, client_id, ip, details
         FROM audit_log WHERE {filter} ORDER BY id DESC LIMIT ?9 OFFSET ?10"
    ))?;
    let rows = stmt
        .query_map(
            params![
                f.actor_type,
                f.actor_id,
                f.action,
                f.subject_type,
                f.subject_id,
                f.client_id,
                f.since,
                f.until,
                page.limit(),
                page.offset()
            ],
            from_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Page { rows, total })
}

/// A client's events, newest first, without the kinds in `hidden` (a
/// JSON array of exact actions, or groups ending in `.`).
pub fn list_for_client(
    conn: &Connection,
    client_id: i64,
    hidden: &str,
    page: PageRequest,
) -> rusqlite::Result<Page<AuditRow>> {
    let filter = "client_id = ?1 AND NOT EXISTS (SELECT 1 FROM json_each(?2) h
        WHERE h.value = action
           OR (substr(h.value, -1) = '.' AND substr(action, 1, length(h.value)) = h.value))";
    let total = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM audit_log WHERE {filter}"))?
        .query_row(params![client_id, hidden], |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, occurred_at, actor_type, actor_id, action, subject_type, subject_id, client_id, ip, details
         FROM audit_log WHERE {filter} ORDER BY id DESC LIMIT ?3 OFFSET ?4"
    ))?;
    let rows = stmt
        .query_map(
            params![client_id, hidden, page.limit(), page.offset()],
            from_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Page { rows, total })
}

pub fn count_action(conn: &Connection, action: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT COUNT(*) FROM audit_log WHERE action = ?1")?
        .query_row([action], |r| r.get(0))
}
