//! The audit entry a staff change to the catalog (or its extras) leaves.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    error::Result,
    service::audit::{self, Event},
};

pub(crate) fn audit(
    conn: &Connection,
    staff: &StaffPrincipal,
    action: &str,
    subject: (&str, i64),
    meta: &RequestMeta,
    now: Timestamp,
    details: serde_json::Value,
) -> Result<()> {
    audit::record(
        conn,
        now,
        Event {
            actor: (&Principal::Staff(staff.clone())).into(),
            action,
            subject: Some(subject),
            client_id: None,
            ip: meta.ip.as_deref(),
            details,
        },
    )?;
    Ok(())
}
