//! Changing a service's status for non-payment: the guarded change with its
//! module request and audit row, and the client's notice of it.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    domain::{module_action::ModuleAction, time::stamp},
    error::{AppError, Result},
    service::{
        audit::{self, Actor, Event},
        email::{self, Branding},
        notifications,
        services::provisioning,
    },
    store::{automation as store, clients},
};

/// Change a service's status, ask its module to follow (once per cause)
/// and write the audit row, in the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub(crate) fn change(
    tx: &Connection,
    service_id: i64,
    client_id: i64,
    from: &[&str; 2],
    to: &str,
    reason: Option<&str>,
    action: ModuleAction,
    dedupe: &str,
    now: Timestamp,
) -> Result<bool> {
    let now_s = stamp(now);
    if !store::set_service_status(tx, service_id, from, to, reason, &now_s)? {
        return Ok(false);
    }
    provisioning::request(
        tx,
        service_id,
        action,
        &serde_json::json!({ "reason": reason.unwrap_or(to) }),
        Some(dedupe),
        now,
    )?;
    audit::record(
        tx,
        now,
        Event {
            actor: Actor::System,
            action: match to {
                "suspended" => "service.suspended",
                "active" => "service.unsuspended",
                "terminated" => "service.terminated",
                _ => "service.cancelled",
            },
            subject: Some(("service", service_id)),
            client_id: Some(client_id),
            ip: None,
            details: serde_json::json!({ "cause": dedupe }),
        },
    )?;
    Ok(true)
}

pub(crate) fn notify(
    tx: &Connection,
    brand: &Branding,
    client_id: i64,
    product: String,
    domain: Option<String>,
    to: &str,
    now: Timestamp,
) -> Result<()> {
    let client = clients::find(tx, client_id)?.ok_or(AppError::NotFound)?;
    let what = match &domain {
        Some(d) => format!("{product} ({d})"),
        None => product.clone(),
    };
    let title = match to {
        "suspended" => format!("{what} is suspended"),
        "active" => format!("{what} is active again"),
        "terminated" => format!("{what} was terminated"),
        _ => format!("{what} was cancelled"),
    };
    notifications::notify(
        tx,
        client_id,
        &format!("service_{to}"),
        &title,
        "",
        "/account/services",
        now,
    )?;
    let (name, link) = (client.display_name(), brand.link("/account"));
    let brand = brand.clone();
    match to {
        "suspended" => email::queue(
            tx,
            now,
            &client.email,
            &email::ServiceSuspended {
                brand,
                name,
                product,
                domain,
                link,
            },
        )?,
        "active" => email::queue(
            tx,
            now,
            &client.email,
            &email::ServiceUnsuspended {
                brand,
                name,
                product,
                domain,
                link,
            },
        )?,
        _ => email::queue(
            tx,
            now,
            &client.email,
            &email::ServiceTerminated {
                brand,
                name,
                product,
                domain,
                link,
            },
        )?,
    };
    Ok(())
}
