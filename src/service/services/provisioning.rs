//! Asking provisioning modules to act on services. A request is a durable
//! `module_tasks` row written in the caller's transaction (so it exists
//! exactly when the change that needs it was committed); the module worker
//! runs it outside any transaction, with retries.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    domain::{module_action::ModuleAction, time::stamp},
    error::Result,
    store::module_tasks,
};

/// Queue `action` for a service. `dedupe_key` names the cause, so asking
/// twice for the same reason (a re-run job, a retried request) queues once;
/// answers whether a task was queued.
pub fn request(
    conn: &Connection,
    service_id: i64,
    action: ModuleAction,
    payload: &serde_json::Value,
    dedupe_key: Option<&str>,
    now: Timestamp,
) -> Result<bool> {
    Ok(module_tasks::insert(
        conn,
        service_id,
        action.as_str(),
        &payload.to_string(),
        dedupe_key,
        &stamp(now),
    )?)
}
