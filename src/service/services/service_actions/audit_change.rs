//! The audit row a client's change to a service leaves.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta},
    error::Result,
    service::audit::{self, Actor, Event},
    store::{clients::Client, orders::Service},
};

#[allow(clippy::too_many_arguments)]
pub(crate) fn audit_change(
    tx: &Connection,
    principal: &Principal,
    client: &Client,
    action: &str,
    service: &Service,
    details: serde_json::Value,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    audit::record(
        tx,
        now,
        Event {
            actor: Actor::from(principal),
            action,
            subject: Some(("service", service.id)),
            client_id: Some(client.id),
            ip: meta.ip.as_deref(),
            details,
        },
    )?;
    Ok(())
}
