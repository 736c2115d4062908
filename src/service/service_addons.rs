//! Addons of a live service (reference 004 `/service/@id/addon`): what it
//! holds, what it could add, and ordering one.
//!
//! An addon renews with its service, on the service's invoices (see
//! `renewals`), so one ordered mid-period is charged for the days left of
//! the current period, prorated like a plan change, plus in full for any
//! later period already invoiced; then it renews with the service. A
//! one-time addon is charged its price once. The order is invoice-first:
//! the addon waits (pending) until its invoice is paid, and a free one
//! starts at once.

use jiff::{Timestamp, civil::Date};
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta},
    db::Db,
    domain::{
        cycle::{self, BillingCycle},
        proration,
        time::stamp,
    },
    error::{AppError, Result},
    service::{
        audit::{self, Actor, Event},
        billing,
        email::Branding,
        invoice_notices,
        manual_invoices::{self, Checked},
        notifications,
        orders::today,
        paid_periods,
        renewals::period_from,
        service_actions::owned,
    },
    store::{
        addons::{self, Addon, NewServiceAddon, ServiceAddon},
        automation, catalog,
        currencies::Currency,
        invoices::Invoice,
        orders::{self, Service},
        service_changes,
    },
};

/// An addon the service holds, with its name.
#[derive(Debug, Clone)]
pub struct HeldAddon {
    pub addon: ServiceAddon,
    pub name: String,
    /// The addon's own status, or its service's when the service has
    /// ended (an addon lives no longer than its service).
    pub status: String,
}

/// An addon the service could add now, priced.
#[derive(Debug, Clone)]
pub struct AddonOffer {
    pub addon: Addon,
    /// The service's cycle, or `onetime`.
    pub cycle: String,
    /// What it renews at (0 for a one-time addon).
    pub recurring: i64,
    /// What is charged now, line by line (description, minor units).
    pub lines: Vec<(String, i64)>,
}

impl AddonOffer {
    pub fn due_now(&self) -> i64 {
        self.lines.iter().map(|(_, a)| a).sum()
    }
}

fn held(conn: &Connection, s: &Service) -> Result<Vec<HeldAddon>> {
    let ended = matches!(s.status.as_str(), "cancelled" | "terminated");
    addons::of_service(conn, s.id)?
        .into_iter()
        .map(|a| {
            let name = addons::find(conn, &a.addon_id.to_string())?
                .map(|x| x.name)
                .unwrap_or_default();
            let status = if ended && a.status != "cancelled" {
                s.status.clone()
            } else {
                a.status.clone()
            };
            Ok(HeldAddon {
                addon: a,
                name,
                status,
            })
        })
        .collect()
}

/// A client's service and the addons it holds.
#[derive(Debug, Clone)]
pub struct ServiceAddons {
    pub service: Service,
    /// What the client calls the service: its label, else its product.
    pub name: String,
    pub held: Vec<HeldAddon>,
}

/// The addons of a client's service.
pub fn list(db: &Db, principal: &Principal, client: &str, service: &str) -> Result<ServiceAddons> {
    db.read(|c| {
        let (_, s) = owned(c, principal, client, service, false)?;
        let name = match s.label.clone() {
            Some(label) => label,
            None => catalog::find_product(c, &s.product_id.to_string())?
                .map(|p| p.name)
                .unwrap_or_default(),
        };
        Ok(ServiceAddons {
            held: held(c, &s)?,
            name,
            service: s,
        })
    })
}

/// What adding `addon` to `s` costs today, or `None` when it is not sold
/// for this service (not attached to its product, not visible, no price in
/// the service's cycle or one-time in its currency).
fn offer(conn: &Connection, s: &Service, addon: Addon, today: Date) -> Result<Option<AddonOffer>> {
    if addon.status != "visible" || !addons::products_of(conn, addon.id)?.contains(&s.product_id) {
        return Ok(None);
    }
    let prices = addons::prices(conn, addon.id)?;
    let in_currency = |cycle: &str| {
        prices
            .iter()
            .find(|p| p.currency == s.currency && p.cycle == cycle)
            .cloned()
    };
    let Some(price) = in_currency(&s.billing_cycle).or_else(|| in_currency("onetime")) else {
        return Ok(None);
    };
    let mut lines = Vec::new();
    let recurring = if price.cycle == "onetime" {
        lines.push((format!("Addon: {}", addon.name), price.price));
        0
    } else {
        let cycle: BillingCycle = s.billing_cycle.parse().map_err(AppError::internal)?;
        let Some(held) = paid_periods::current(conn, s, today)? else {
            // Overdue (or not started): no current period to prorate.
            return Ok(None);
        };
        // The current period may still run in the cycle the service is
        // leaving: the addon's price in that cycle is what its days cost.
        let Some(period_price) = in_currency(held.cycle.as_str()) else {
            return Ok(None);
        };
        let end = held.end;
        let (left, days) = (cycle::days_between(today, end), held.days());
        let now_part = proration::prorate(period_price.price, left, days)
            .ok_or_else(|| AppError::internal("proration out of range"))?;
        let last = end.yesterday().unwrap_or(end);
        lines.push((
            format!(
                "Addon: {} {today} to {last} ({left} of {days} days)",
                addon.name
            ),
            now_part,
        ));
        // Periods already invoiced renew without this addon: charge them
        // here so none is given away.
        let anchor: Option<Date> = s.anchor().and_then(|d| d.parse().ok());
        if let Some(until) = automation::billed_until(conn, s.id, &end.to_string())?
            .and_then(|d| d.parse::<Date>().ok())
        {
            let mut from = end;
            while from < until {
                let Some((ps, pe)) = period_from(anchor, cycle, from) else {
                    break;
                };
                let last = pe.yesterday().unwrap_or(pe);
                lines.push((format!("Addon: {} {ps} to {last}", addon.name), price.price));
                from = pe;
            }
        }
        price.price
    };
    if price.setup_fee > 0 {
        lines.push((format!("Addon setup: {}", addon.name), price.setup_fee));
    }
    Ok(Some(AddonOffer {
        addon,
        cycle: price.cycle,
        recurring,
        lines,
    }))
}

/// The addons the service could add now, with what each costs today: the
/// visible addons of its product it does not hold yet. Only an active
/// service can add one.
pub fn offers(
    db: &Db,
    principal: &Principal,
    client: &str,
    service: &str,
    now: Timestamp,
) -> Result<(Service, Currency, Vec<AddonOffer>)> {
    db.read(|c| {
        let (_, s) = owned(c, principal, client, service, false)?;
        let currency = billing::currency(c, &s.currency)?;
        let mut out = Vec::new();
        if s.status == "active" {
            for a in addons::of_product(c, s.product_id, &["visible"])? {
                if addons::holds(c, s.id, a.id)? {
                    continue;
                }
                if let Some(o) = offer(c, &s, a, today(now))? {
                    out.push(o);
                }
            }
        }
        Ok((s, currency, out))
    })
}

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
        if s.status != "active" {
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

/// Start a pending addon: it renews with its service from the service's
/// next due date on (a one-time addon does not renew).
fn start(tx: &Connection, s: &Service, id: i64, cycle: &str, now: Timestamp) -> Result<()> {
    let next_due = (cycle != "onetime")
        .then_some(s.next_due_date.as_deref())
        .flatten();
    addons::activate_service_addon(tx, id, &today(now).to_string(), next_due, &stamp(now))?;
    notifications::notify(
        tx,
        s.client_id,
        "addon_activated",
        "An addon is active",
        "",
        &format!("/account/services/{}/addons", s.id),
        now,
    )?;
    Ok(())
}

/// Start the addons paid for by `invoice_id` (called when an invoice is
/// paid in full). An addon whose service ended meanwhile is cancelled, and
/// what was paid stays on the paid invoice for staff to refund.
pub(crate) fn apply_paid(tx: &Connection, invoice_id: i64, now: Timestamp) -> Result<()> {
    for a in addons::pending_of_invoice(tx, invoice_id)? {
        let Some(s) = orders::find_service(tx, &a.service_id.to_string())? else {
            continue;
        };
        if matches!(s.status.as_str(), "active" | "suspended") {
            start(tx, &s, a.id, &a.billing_cycle, now)?;
        } else {
            addons::cancel_pending(tx, a.id, &stamp(now))?;
        }
    }
    Ok(())
}

/// Cancel the addons waiting for `invoice_id` (its invoice was cancelled).
pub(crate) fn cancel_of_invoice(tx: &Connection, invoice_id: i64, now: Timestamp) -> Result<()> {
    for a in addons::pending_of_invoice(tx, invoice_id)? {
        addons::cancel_pending(tx, a.id, &stamp(now))?;
    }
    Ok(())
}
