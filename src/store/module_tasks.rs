//! The `module_tasks` table: the durable queue of provisioning calls.

use rusqlite::{Connection, params};

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
    Ok(conn
        .prepare_cached(
            "INSERT INTO module_tasks (service_id, action, payload, dedupe_key, run_after,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?5)
             ON CONFLICT (dedupe_key) DO NOTHING",
        )?
        .execute(params![service_id, action, payload, dedupe_key, now])?
        == 1)
}
