//! What a client does with its services (reference 000 hosting accounts,
//! reference 001 services): list and see them, label them, and cancel
//! (now, or at the end of the paid period, which the dunning job carries
//! out). Plan changes are `service::plan_changes`, cycle changes
//! `service::cycle_changes`. Every function needs the
//! `services.full` privilege; another client's service is a 404.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta},
    db::Db,
    domain::{
        cycle::BillingCycle, module_action::ModuleAction, privileges::Privilege, time::stamp,
    },
    error::{AppError, Result},
    service::{
        access::client_access,
        audit::{self, Actor, Event},
        billing,
        email::{self, Branding},
        notifications, provisioning,
    },
    store::{
        addons::{self, ServiceAddon},
        automation as automation_store,
        catalog::{self, Product},
        clients::Client,
        config_options,
        currencies::Currency,
        orders::{self, Service},
        service_changes::{self, CancellationRequest, ServiceChange},
    },
};

/// A service with what a client sees of it.
#[derive(Debug, Clone)]
pub struct ServiceRecord {
    pub service: Service,
    pub product: Product,
    pub currency: Currency,
    pub addons: Vec<ServiceAddon>,
    pub cancellation: Option<CancellationRequest>,
    pub pending_change: Option<ServiceChange>,
}

pub(crate) fn record(conn: &Connection, service: Service) -> Result<ServiceRecord> {
    let product =
        catalog::find_product(conn, &service.product_id.to_string())?.ok_or(AppError::NotFound)?;
    Ok(ServiceRecord {
        currency: billing::currency(conn, &service.currency)?,
        addons: addons::of_service(conn, service.id)?,
        cancellation: service_changes::cancellation_of(conn, service.id)?,
        pending_change: service_changes::pending_of_service(conn, service.id)?,
        product,
        service,
    })
}

/// The client's service `ident`, after the access check.
pub(crate) fn owned(
    conn: &Connection,
    principal: &Principal,
    client: &str,
    ident: &str,
    change: bool,
) -> Result<(Client, Service)> {
    let access = client_access(conn, principal, client)?;
    if change {
        access.require_change(Privilege::ServicesFull)?;
    } else {
        access.require(Privilege::ServicesFull)?;
    }
    let service = orders::find_service(conn, ident.trim())?
        .filter(|s| s.client_id == access.client.id)
        .ok_or(AppError::NotFound)?;
    Ok((access.client, service))
}

pub fn list(db: &Db, principal: &Principal, client: &str) -> Result<Vec<ServiceRecord>> {
    db.read(|c| {
        let access = client_access(c, principal, client)?;
        access.require(Privilege::ServicesFull)?;
        orders::services_of_client(c, access.client.id)?
            .into_iter()
            .map(|s| record(c, s))
            .collect()
    })
}

pub fn get(db: &Db, principal: &Principal, client: &str, service: &str) -> Result<ServiceRecord> {
    db.read(|c| {
        let (_, s) = owned(c, principal, client, service, false)?;
        record(c, s)
    })
}

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

/// Set (or, with an empty text, clear) a service's label.
pub fn set_label(
    db: &Db,
    principal: &Principal,
    client: &str,
    service: &str,
    label: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ServiceRecord> {
    let label = label.trim();
    db.write(|tx| {
        let (c, s) = owned(tx, principal, client, service, true)?;
        if label.chars().count() > 100 {
            return Err(AppError::invalid("label", "at most 100 characters"));
        }
        orders::set_label(tx, s.id, Some(label).filter(|l| !l.is_empty()), &stamp(now))?;
        audit_change(
            tx,
            principal,
            &c,
            "service.labelled",
            &s,
            serde_json::json!({ "label": label }),
            meta,
            now,
        )?;
        let s = orders::find_service(tx, &s.id.to_string())?.ok_or(AppError::NotFound)?;
        record(tx, s)
    })
}

/// What the service's plan costs per period in `cycle` and its currency:
/// the product's price plus its configurable options' prices. `None` when
/// the product (or a chosen option) is not sold in that cycle.
pub(crate) fn recurring_in(
    conn: &Connection,
    service: &Service,
    product_id: i64,
    cycle: BillingCycle,
    with_options: bool,
) -> Result<Option<i64>> {
    let Some(base) = catalog::prices(conn, product_id)?
        .into_iter()
        .find(|p| p.currency == service.currency && p.cycle == cycle.as_str())
        .map(|p| p.price)
    else {
        return Ok(None);
    };
    let mut total = base;
    if with_options {
        for o in config_options::of_service(conn, service.id)? {
            let price = config_options::choice_prices(conn, o.choice_id)?
                .into_iter()
                .find(|p| p.currency == service.currency && p.cycle == cycle.as_str())
                .map(|p| p.price);
            match price {
                Some(p) => total += p * o.quantity,
                // A free choice has no prices at all.
                None if config_options::choice_prices(conn, o.choice_id)?.is_empty() => {}
                None => return Ok(None),
            }
        }
    }
    Ok(Some(total))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelWhen {
    Immediate,
    EndOfPeriod,
}

impl CancelWhen {
    pub fn parse(text: &str) -> Option<CancelWhen> {
        match text.trim() {
            "immediate" | "immediately" | "Immediate" => Some(CancelWhen::Immediate),
            "end_of_billing_period" | "end_of_period" | "End of Billing Period" => {
                Some(CancelWhen::EndOfPeriod)
            }
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            CancelWhen::Immediate => "immediate",
            CancelWhen::EndOfPeriod => "end_of_billing_period",
        }
    }
}

/// Ask to cancel a service. Immediately: it ends now and its module is
/// asked to terminate it. At the end of the billing period: it keeps
/// running until its paid period ends (the dunning job ends it). One
/// request per service; asking again is a 409 and changes nothing. The
/// client is told once, in the request's transaction: a portal
/// notification and a confirmation email saying what happens and when.
#[allow(clippy::too_many_arguments)]
pub fn cancel(
    db: &Db,
    brand: &Branding,
    principal: &Principal,
    client: &str,
    service: &str,
    when: CancelWhen,
    reason: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ServiceRecord> {
    let reason = reason.trim();
    db.write(|tx| {
        let (c, s) = owned(tx, principal, client, service, true)?;
        if reason.chars().count() > 1000 {
            return Err(AppError::invalid("reason", "at most 1000 characters"));
        }
        if !matches!(s.status.as_str(), "active" | "suspended" | "pending") {
            return Err(AppError::Conflict(format!(
                "the service is already {}",
                s.status
            )));
        }
        let by = match principal {
            Principal::User(u) => format!("user:{}", u.user_id),
            Principal::Staff(st) => format!("staff:{}", st.staff_id),
        };
        if !service_changes::insert_cancellation(tx, s.id, when.as_str(), reason, &by, &stamp(now))?
        {
            return Err(AppError::Conflict(
                "a cancellation was already requested".into(),
            ));
        }
        match when {
            CancelWhen::Immediate => end_now(tx, &s, now)?,
            // The dunning job ends it once its paid period is over, and
            // renewals stop invoicing it.
            CancelWhen::EndOfPeriod => {
                automation_store::set_cancel_at_period_end(tx, s.id, reason, &stamp(now))?;
            }
        }
        // Renewals it will not have are not owed.
        let from = match when {
            CancelWhen::Immediate => "",
            CancelWhen::EndOfPeriod => s.next_due_date.as_deref().unwrap_or(""),
        };
        billing::cancel_renewals_from(tx, s.id, from, "service_cancelled", now)?;
        audit_change(
            tx,
            principal,
            &c,
            "service.cancellation_requested",
            &s,
            serde_json::json!({ "when": when.as_str(), "reason": reason }),
            meta,
            now,
        )?;
        notifications::notify(
            tx,
            c.id,
            "cancellation",
            match when {
                CancelWhen::Immediate => "A service was cancelled",
                CancelWhen::EndOfPeriod => "A service will end with its billing period",
            },
            s.next_due_date
                .as_deref()
                .filter(|_| when == CancelWhen::EndOfPeriod)
                .unwrap_or(""),
            &format!("/account/services/{}", s.id),
            now,
        )?;
        confirm_cancellation(tx, brand, &c, &s, when, now)?;
        let s = orders::find_service(tx, &s.id.to_string())?.ok_or(AppError::NotFound)?;
        record(tx, s)
    })
}

/// The email confirming a cancellation request: ended now, or the day its
/// paid period is over (`next_due_date`, when the dunning job ends it).
fn confirm_cancellation(
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
fn end_now(tx: &Connection, s: &Service, now: Timestamp) -> Result<()> {
    let was = s.status.clone();
    if orders::end_service(tx, s.id, &stamp(now))? && was != "pending" {
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

/// Invoice the service's next period now (reference 001 manual renew), for
/// a client who wants to pay ahead. A period already invoiced is not
/// invoiced again.
#[allow(clippy::too_many_arguments)]
pub fn renew(
    db: &Db,
    brand: &crate::service::email::Branding,
    principal: &Principal,
    client: &str,
    service: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<crate::store::invoices::Invoice> {
    db.write(|tx| {
        let (c, s) = owned(tx, principal, client, service, true)?;
        // It writes an invoice too.
        crate::service::access::staff_also_needs(
            principal,
            crate::domain::scopes::Scope::BillingWrite,
        )?;
        let invoice =
            crate::service::renewals::renew_now(tx, brand, s.id, now)?.ok_or_else(|| {
                AppError::Conflict(
                    "this service has no period to renew now (not active, one-time, or ending)"
                        .into(),
                )
            })?;
        audit_change(
            tx,
            principal,
            &c,
            "service.renewed_early",
            &s,
            serde_json::json!({ "invoice": invoice.id }),
            meta,
            now,
        )?;
        Ok(invoice)
    })
}
