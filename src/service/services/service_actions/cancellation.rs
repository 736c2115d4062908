//! Carrying out a cancellation: confirming it to the client and ending
//! the service now.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    domain::{module_action::ModuleAction, time::stamp},
    error::Result,
    service::{
        email::{self, Branding},
        services::provisioning,
    },
    store::{
        catalog,
        clients::Client,
        orders::{self, Service},
        service_changes,
    },
};

use super::cancel_when::CancelWhen;
use crate::domain::status::ServiceStatus;

/// The email confirming a cancellation request: ended now, or the day its
/// paid period is over (`next_due_date`, when the dunning job ends it).
pub(super) fn confirm_cancellation(
    tx: &Connection,
    brand: &Branding,
    client: &Client,
    s: &Service,
    when: CancelWhen,
    now: Timestamp,
) -> Result<()> {
    let product = catalog::find_product(tx, &s.product_id.to_string())?
        .map(|p| p.name)
        .unwrap_or_else(|| "service".into());
    email::queue(
        tx,
        now,
        &client.email,
        &email::CancellationConfirmed {
            brand: brand.clone(),
            name: client.display_name(),
            product,
            domain: s.domain.clone(),
            immediate: when == CancelWhen::Immediate,
            ends_on: s
                .next_due_date
                .clone()
                .filter(|_| when == CancelWhen::EndOfPeriod),
            link: brand.link(&format!("/account/services/{}", s.id)),
        },
    )?;
    Ok(())
}

/// End a service now: cancelled in till, and terminated by its module if
/// it had been set up.
pub(super) fn end_now(tx: &Connection, s: &Service, now: Timestamp) -> Result<()> {
    let was = s.status;
    if orders::end_service(tx, s.id, &stamp(now))? && was != ServiceStatus::Pending {
        provisioning::request(
            tx,
            s.id,
            ModuleAction::Terminate,
            &serde_json::json!({ "reason": "cancelled" }),
            // The same cause as the dunning job's end of a cancelled
            // service: one terminate task either way.
            Some(&format!("terminate:{}:cancelled", s.id)),
            now,
        )?;
    }
    service_changes::mark_cancellation_done(tx, s.id, &stamp(now))?;
    Ok(())
}
