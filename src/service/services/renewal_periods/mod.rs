//! Renewal periods once paid: a service's `next_due_date` moves over every
//! period now paid in a row, and a suspension for non-payment ends. The
//! owner of renewal lines (`RenewalPeriods`).

use crate::domain::time::today;
use jiff::Timestamp;
use rusqlite::Connection;

use crate::domain::status::ServiceStatus;
use crate::{
    domain::time::stamp,
    error::Result,
    service::{
        audit::{self, Actor, Event},
        email::Branding,
    },
    store::{addons, automation as store},
};

/// After `invoice_id` was paid in full: each service it renews moves its
/// next due date over every period now paid in a row, and a service
/// suspended for non-payment runs again when nothing overdue is left.
pub(crate) fn advance_paid(
    tx: &Connection,
    brand: &Branding,
    invoice_id: i64,
    now: Timestamp,
) -> Result<()> {
    let now_s = stamp(now);
    let today = today(now).to_string();
    crate::service::billing::paid_periods::record_renewals(tx, invoice_id, now)?;
    for service_id in store::services_billed_by(tx, invoice_id)? {
        let Some((status, reason)) = store::service_state(tx, service_id)? else {
            continue;
        };
        let mut next = store::next_due(tx, service_id)?;
        let mut moved = false;
        while let Some(start) = next.clone() {
            match store::paid_period_end(tx, service_id, &start)? {
                Some(end) if end > start => {
                    store::set_next_due(tx, service_id, &end, &now_s)?;
                    addons::follow_service_due(tx, service_id, &end, &now_s)?;
                    next = Some(end);
                    moved = true;
                }
                _ => break,
            }
        }
        if moved {
            audit::record(
                tx,
                now,
                Event {
                    actor: Actor::System,
                    action: "service.renewed",
                    subject: Some(("service", service_id)),
                    client_id: None,
                    ip: None,
                    details: serde_json::json!({ "invoice": invoice_id, "next_due_date": next }),
                },
            )?;
        }
        if status == ServiceStatus::Suspended
            && reason.as_deref() == Some("overdue")
            && !store::has_unpaid_due_by(tx, service_id, &today)?
        {
            crate::service::services::suspension::unsuspend(
                tx, brand, service_id, invoice_id, now,
            )?;
        }
    }
    Ok(())
}

/// The owner of renewal lines: a paid renewal invoice moves its services
/// on.
pub struct RenewalPeriods;

impl crate::service::billing::owner::LineOwner for RenewalPeriods {
    fn name(&self) -> &'static str {
        "renewal periods"
    }

    fn paid(
        &self,
        tx: &Connection,
        paid: &crate::service::billing::owner::PaidInvoice<'_>,
    ) -> Result<()> {
        advance_paid(tx, paid.brand, paid.invoice.id, paid.now)
    }
}
