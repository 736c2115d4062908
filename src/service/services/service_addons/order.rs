//! Ordering an addon for a live service.

use crate::domain::time::today;
use jiff::Timestamp;

use crate::{
    auth::principal::{Principal, RequestMeta},
    db::Db,
    domain::time::stamp,
    error::{AppError, Result},
    service::{
        audit::{self, Actor, Event},
        billing::invoice_notices,
        billing::manual_invoices::{self, Checked},
        email::Branding,
        services::service_actions::owned,
    },
    store::{
        addons::{self, NewServiceAddon},
        invoices::Invoice,
        service_changes,
    },
};

use super::held::{HeldAddon, held};
use super::lifecycle::start;
use super::offers::offer;
use crate::domain::status::ServiceStatus;

/// What ordering an addon did: the addon, and the invoice to pay (none for
/// a free addon, which started at once).
#[derive(Debug, Clone)]
pub struct OrderedAddon {
    pub held: HeldAddon,
    pub invoice: Option<Invoice>,
}

/// Order `addon` (id, uuid or slug) for a client's active service.
#[allow(clippy::too_many_arguments)]
pub fn order(
    db: &Db,
    brand: &Branding,
    principal: &Principal,
    client: &str,
    service: &str,
    addon: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<OrderedAddon> {
    db.write(|tx| {
        let (c, s) = owned(tx, principal, client, service, true)?;
        // It writes an invoice too.
        crate::service::access::staff_also_needs(
            principal,
            crate::domain::scopes::Scope::BillingWrite,
        )?;
        if s.status != ServiceStatus::Active {
            return Err(AppError::Conflict(format!(
                "addons can be added to an active service; this one is {}",
                s.status
            )));
        }
        if service_changes::pending_of_service(tx, s.id)?.is_some_and(|c| c.kind == "cycle") {
            // The new cycle's first period is priced without it.
            return Err(AppError::Conflict(
                "a change of billing cycle is waiting for its invoice to be paid".into(),
            ));
        }
        let found = addons::find(tx, addon.trim())?
            .ok_or_else(|| AppError::invalid("addon_id", "no such addon"))?;
        if addons::holds(tx, s.id, found.id)? {
            return Err(AppError::Conflict(
                "the service already has this addon (or it waits for payment)".into(),
            ));
        }
        let offer = offer(tx, &s, found, today(now))?.ok_or_else(|| {
            AppError::invalid(
                "addon_id",
                "is not sold for this service (its product, cycle or currency)",
            )
        })?;
        let due_now = offer.due_now();
        let invoice = if due_now > 0 {
            let day = today(now);
            let lines: Vec<Checked> = offer
                .lines
                .iter()
                .map(|(description, amount)| Checked {
                    description: description.clone(),
                    unit: *amount,
                    quantity: 1,
                    taxed: true,
                })
                .collect();
            let invoice = manual_invoices::issue(tx, brand, &c, &lines, day, day, "", now)?;
            invoice_notices::created(tx, brand, &c, &invoice, now)?;
            Some(invoice)
        } else {
            None
        };
        let now_s = stamp(now);
        let id = addons::insert_ordered(
            tx,
            &NewServiceAddon {
                uuid: &uuid::Uuid::new_v4().to_string(),
                service_id: s.id,
                addon_id: offer.addon.id,
                billing_cycle: &offer.cycle,
                currency: &s.currency,
                recurring_amount: offer.recurring,
                now: &now_s,
            },
            invoice.as_ref().map(|i| i.id),
        )?;
        if invoice.is_none() {
            start(tx, &s, id, &offer.cycle, now)?;
        }
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::from(principal),
                action: "service.addon_ordered",
                subject: Some(("service", s.id)),
                client_id: Some(c.id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({
                    "addon": offer.addon.id, "service_addon": id, "due_now": due_now,
                    "recurring": offer.recurring, "invoice": invoice.as_ref().map(|i| i.id),
                }),
            },
        )?;
        let held = held(tx, &s)?
            .into_iter()
            .find(|h| h.addon.id == id)
            .ok_or(AppError::NotFound)?;
        Ok(OrderedAddon { held, invoice })
    })
}
