//! The `registrar_tasks` table: every registrar call as a durable task,
//! written in the transaction of its cause, claimed with a lease, retried
//! with backoff. `dedupe_key` makes a cause ask once.

use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::status::TaskStatus;

#[derive(Debug, Clone)]
pub struct RegistrarTask {
    pub id: i64,
    pub domain_id: i64,
    /// register, transfer, renew, sync, nameservers, lock, contacts, id_protection.
    pub action: String,
    pub dedupe_key: String,
    pub payload: String,
    pub status: TaskStatus,
    pub attempts: i64,
    pub run_after: String,
    pub last_error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const COLUMNS: &str = "id, domain_id, action, dedupe_key, payload, status, attempts, run_after, \
     last_error, created_at, updated_at";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RegistrarTask> {
    Ok(RegistrarTask {
        id: r.get(0)?,
        domain_id: r.get(1)?,
        action: r.get(2)?,
        dedupe_key: r.get(3)?,
        payload: r.get(4)?,
        status: r.get(5)?,
        attempts: r.get(6)?,
        run_after: r.get(7)?,
        last_error: r.get(8)?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
    })
}

/// Queue a task unless its `dedupe_key` is taken; answers whether it was.
pub fn insert(
    conn: &Connection,
    domain_id: i64,
    action: &str,
    dedupe_key: &str,
    payload: &str,
    now: &str,
) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO registrar_tasks (domain_id, action, dedupe_key, payload, run_after,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?5)
             ON CONFLICT (dedupe_key) DO NOTHING",
        )?
        .execute(params![domain_id, action, dedupe_key, payload, now])?
        == 1)
}

/// Claim up to `limit` due tasks (queued and due, or running with a lease
/// that ran out: a crash mid-call), leased until `lease_until`.
pub fn claim_due(
    conn: &Connection,
    now: &str,
    lease_until: &str,
    limit: i64,
) -> rusqlite::Result<Vec<RegistrarTask>> {
    let mut stmt = conn.prepare_cached(&format!(
        "UPDATE registrar_tasks SET status = 'running', lease_until = ?2, updated_at = ?1
         WHERE id IN (SELECT id FROM registrar_tasks
                      WHERE (status = 'queued' AND run_after <= ?1)
                         OR (status = 'running' AND lease_until <= ?1)
                      ORDER BY id LIMIT ?3)
         RETURNING {COLUMNS}"
    ))?;
    let mut rows: Vec<RegistrarTask> = stmt
        .query_map(params![now, lease_until, limit], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    rows.sort_by_key(|t| t.id);
    Ok(rows)
}

pub fn mark_done(
    conn: &Connection,
    id: i64,
    note: Option<&str>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE registrar_tasks SET status = 'done', attempts = attempts + 1, last_error = ?2,
            lease_until = NULL, updated_at = ?3
         WHERE id = ?1 AND status = 'running'",
    )?
    .execute(params![id, note, now])?;
    Ok(())
}

/// A failed attempt: queued again at `retry_at`, or `failed` without one.
pub fn mark_failed_attempt(
    conn: &Connection,
    id: i64,
    error: &str,
    retry_at: Option<&str>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE registrar_tasks SET attempts = attempts + 1, last_error = ?2, lease_until = NULL,
            status = CASE WHEN ?3 IS NULL THEN 'failed' ELSE 'queued' END,
            run_after = COALESCE(?3, run_after), updated_at = ?4
         WHERE id = ?1 AND status = 'running'",
    )?
    .execute(params![id, error, retry_at, now])?;
    Ok(())
}

/// Staff retry a failed task: queued now, its attempts counted afresh.
pub fn retry(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE registrar_tasks SET status = 'queued', attempts = 0, run_after = ?2, updated_at = ?2
             WHERE id = ?1 AND status = 'failed'",
        )?
        .execute(params![id, now])?
        == 1)
}

pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<RegistrarTask>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM registrar_tasks WHERE id = ?1"
    ))?
    .query_row([id], from_row)
    .optional()
}

/// The task queued under `dedupe_key`.
pub fn find_by_key(conn: &Connection, dedupe_key: &str) -> rusqlite::Result<Option<RegistrarTask>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM registrar_tasks WHERE dedupe_key = ?1"
    ))?
    .query_row([dedupe_key], from_row)
    .optional()
}

pub fn of_domain(conn: &Connection, domain_id: i64) -> rusqlite::Result<Vec<RegistrarTask>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM registrar_tasks WHERE domain_id = ?1 ORDER BY id DESC"
    ))?;
    let rows = stmt.query_map([domain_id], from_row)?;
    rows.collect()
}

/// Newest first, optionally of one status.
pub fn list(
    conn: &Connection,
    status: Option<TaskStatus>,
    limit: i64,
) -> rusqlite::Result<Vec<RegistrarTask>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM registrar_tasks WHERE ?1 IS NULL OR status = ?1
         ORDER BY id DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![status, limit], from_row)?;
    rows.collect()
}
