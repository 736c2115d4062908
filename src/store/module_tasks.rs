//! The `module_tasks` table: the durable queue of provisioning calls.

use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::status::TaskStatus;

use crate::db::queued::{self, Queue};

/// Queue a task unless one with the same `dedupe_key` exists; answers
/// whether it was queued.
pub fn insert(
    conn: &Connection,
    service_id: i64,
    action: &str,
    payload: &str,
    dedupe_key: Option<&str>,
    now: &str,
) -> rusqlite::Result<bool> {
    let queued = conn
        .prepare_cached(
            "INSERT INTO module_tasks (service_id, action, payload, dedupe_key, run_after,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?5)
             ON CONFLICT (dedupe_key) DO NOTHING",
        )?
        .execute(params![service_id, action, payload, dedupe_key, now])?
        == 1;
    if queued {
        queued::mark(Queue::Modules);
    }
    Ok(queued)
}

#[derive(Debug, Clone)]
pub struct ModuleTask {
    pub id: i64,
    pub service_id: i64,
    pub action: String,
    pub payload: String,
    pub status: TaskStatus,
    pub attempts: i64,
    pub run_after: String,
    pub last_error: Option<String>,
    pub dedupe_key: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const COLUMNS: &str = "id, service_id, action, payload, status, attempts, run_after, last_error, \
     dedupe_key, created_at, updated_at";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ModuleTask> {
    Ok(ModuleTask {
        id: r.get(0)?,
        service_id: r.get(1)?,
        action: r.get(2)?,
        payload: r.get(3)?,
        status: r.get(4)?,
        attempts: r.get(5)?,
        run_after: r.get(6)?,
        last_error: r.get(7)?,
        dedupe_key: r.get(8)?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
    })
}

/// Claim up to `limit` due tasks: queued ones whose time has come, and
/// running ones whose worker's lease ran out (a crash mid-call). They turn
/// `running` with a lease until `lease_until`.
pub fn claim_due(
    conn: &Connection,
    now: &str,
    lease_until: &str,
    limit: i64,
) -> rusqlite::Result<Vec<ModuleTask>> {
    let mut stmt = conn.prepare_cached(&format!(
        "UPDATE module_tasks SET status = 'running', lease_until = ?2, updated_at = ?1
         WHERE id IN (SELECT id FROM module_tasks
                      WHERE (status = 'queued' AND run_after <= ?1)
                         OR (status = 'running' AND lease_until <= ?1)
                      ORDER BY id LIMIT ?3)
         RETURNING {COLUMNS}"
    ))?;
    let mut rows: Vec<ModuleTask> = stmt
        .query_map(params![now, lease_until, limit], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    rows.sort_by_key(|t| t.id);
    Ok(rows)
}

/// The task succeeded.
pub fn mark_done(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE module_tasks SET status = 'done', attempts = attempts + 1, last_error = NULL,
            lease_until = NULL, updated_at = ?2
         WHERE id = ?1 AND status = 'running'",
    )?
    .execute(params![id, now])?;
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
        "UPDATE module_tasks SET attempts = attempts + 1, last_error = ?2, lease_until = NULL,
            status = CASE WHEN ?3 IS NULL THEN 'failed' ELSE 'queued' END,
            run_after = COALESCE(?3, run_after), updated_at = ?4
         WHERE id = ?1 AND status = 'running'",
    )?
    .execute(params![id, error, retry_at, now])?;
    Ok(())
}

pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<ModuleTask>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM module_tasks WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

pub fn find_by_key(conn: &Connection, key: &str) -> rusqlite::Result<Option<ModuleTask>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM module_tasks WHERE dedupe_key = ?1"
    ))?
    .query_row([key], from_row)
    .optional()
}

pub fn of_service(conn: &Connection, service_id: i64) -> rusqlite::Result<Vec<ModuleTask>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM module_tasks WHERE service_id = ?1 ORDER BY id DESC"
    ))?;
    let rows = stmt.query_map([service_id], from_row)?;
    rows.collect()
}

/// Newest first, optionally of one status.
pub fn list(
    conn: &Connection,
    status: Option<&str>,
    limit: i64,
) -> rusqlite::Result<Vec<ModuleTask>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM module_tasks WHERE ?1 IS NULL OR status = ?1 ORDER BY id DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![status, limit], from_row)?;
    rows.collect()
}

/// Queue a failed task again now, with a fresh count of attempts.
pub fn retry(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<bool> {
    let queued = conn
        .prepare_cached(
            "UPDATE module_tasks SET status = 'queued', attempts = 0, run_after = ?2, updated_at = ?2
             WHERE id = ?1 AND status = 'failed'",
        )?
        .execute(params![id, now])?
        == 1;
    if queued {
        queued::mark(Queue::Modules);
    }
    Ok(queued)
}

/// Tasks of every status, failed first (what staff must look at), then
/// queued, running, done and the rest; newest first within each.
pub fn list_failed_first(conn: &Connection, limit: i64) -> rusqlite::Result<Vec<ModuleTask>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM module_tasks
         ORDER BY CASE status WHEN 'failed' THEN 0 WHEN 'queued' THEN 1 WHEN 'running' THEN 2
                              WHEN 'done' THEN 3 ELSE 4 END, id DESC
         LIMIT ?1"
    ))?;
    let rows = stmt.query_map([limit], from_row)?;
    rows.collect()
}

/// How many tasks have `status`.
pub fn count_with_status(conn: &Connection, status: TaskStatus) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT COUNT(*) FROM module_tasks WHERE status = ?1")?
        .query_row([status], |r| r.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_tasks_come_first_and_are_counted() {
        let conn = crate::db::test_connection();
        // Only the ordering is under test: no services behind the tasks.
        conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        let now = "2026-01-01T00:00:00Z";
        for (service, status) in [(1, "done"), (2, "failed"), (3, "queued"), (4, "failed")] {
            insert(&conn, service, "create", "{}", None, now).unwrap();
            conn.execute(
                "UPDATE module_tasks SET status = ?1 WHERE service_id = ?2",
                params![status, service],
            )
            .unwrap();
        }
        let order: Vec<i64> = list_failed_first(&conn, 10)
            .unwrap()
            .iter()
            .map(|t| t.service_id)
            .collect();
        assert_eq!(order, [4, 2, 3, 1]);
        assert_eq!(list_failed_first(&conn, 1).unwrap().len(), 1);
        assert_eq!(count_with_status(&conn, TaskStatus::Failed).unwrap(), 2);
        assert_eq!(count_with_status(&conn, TaskStatus::Running).unwrap(), 0);
    }
}
