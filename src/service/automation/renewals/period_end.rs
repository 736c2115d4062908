//! Cancelling a service at the end of its paid period.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    domain::time::stamp,
    error::Result,
    service::audit::{self, Actor, Event},
    store::automation as store,
};

/// Ask for a service to be cancelled (and terminated) when its paid period
/// ends; no renewal is invoiced meanwhile.
pub fn cancel_at_period_end(
    tx: &Connection,
    service_id: i64,
    reason: &str,
    actor: Actor,
    now: Timestamp,
) -> Result<bool> {
    let done = store::set_cancel_at_period_end(tx, service_id, reason, &stamp(now))?;
    if done {
        audit::record(
            tx,
            now,
            Event {
                actor,
                action: "service.cancellation_requested",
                subject: Some(("service", service_id)),
                client_id: None,
                ip: None,
                details: serde_json::json!({ "reason": reason, "when": "end_of_period" }),
            },
        )?;
    }
    Ok(done)
}
