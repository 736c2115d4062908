//! A paid order's services start: the owner of an order's lines.

use jiff::{Timestamp, civil::Date};
use rusqlite::Connection;

use crate::domain::status::{OrderStatus, ServiceStatus};
use crate::{
    domain::{
        cycle::{self, BillingCycle},
        module_action::ModuleAction,
        time::{stamp, today},
    },
    error::{AppError, Result},
    service::{
        audit::{self, Actor, Event},
        billing::owner::{LineOwner, PaidInvoice},
        email::{self, Branding},
        notifications,
        services::provisioning,
    },
    store::{addons, catalog, clients, domains, invoices::Invoice, orders, services},
};

/// Start the pending services of a paid order. A `manual` product goes
/// live at once (and leaves staff a to-do); any other module gets a
/// durable `create` task (dedupe key `create:<service id>`) and stays
/// `pending` until the module worker has created it (`go_live`).
pub fn activate_order(
    conn: &Connection,
    order_id: i64,
    now: Timestamp,
    brand: &Branding,
) -> Result<usize> {
    let order = orders::find_order(conn, order_id)?.ok_or(AppError::NotFound)?;
    let mut activated = 0;
    for service in orders::services_of_order(conn, order_id)? {
        if service.status != ServiceStatus::Pending {
            continue;
        }
        let product = catalog::find_product(conn, &service.product_id.to_string())?;
        let module = product.as_ref().map_or("manual", |p| p.module.as_str());
        if module == "manual" {
            if go_live(conn, service.id, now, brand, "manual")? {
                activated += 1;
                audit::record(
                    conn,
                    now,
                    Event {
                        actor: Actor::System,
                        action: "module.manual_task",
                        subject: Some(("service", service.id)),
                        client_id: Some(order.client_id),
                        ip: None,
                        details: serde_json::json!({
                            "action": "create",
                            "todo": format!("Set up service #{} ({}{})", service.id,
                                product.as_ref().map(|p| p.name.as_str()).unwrap_or_default(),
                                service.domain.as_deref().map(|d| format!(", {d}")).unwrap_or_default()),
                        }),
                    },
                )?;
            }
        } else {
            provisioning::request(
                conn,
                service.id,
                ModuleAction::Create,
                &serde_json::json!({}),
                Some(&format!("create:{}", service.id)),
                now,
            )?;
        }
    }
    orders::set_order_status(conn, order_id, OrderStatus::Active, &stamp(now))?;
    Ok(activated)
}

/// Make a pending service live: its first period starts today and the
/// next falls due one cycle later (computed from the anchor, see
/// `domain::cycle`); its addons start too, and the customer is told.
/// Answers false (and does nothing) when the service was not pending.
pub fn go_live(
    conn: &Connection,
    service_id: i64,
    now: Timestamp,
    brand: &Branding,
    module: &str,
) -> Result<bool> {
    let service = services::find_by_id(conn, service_id)?.ok_or(AppError::NotFound)?;
    let client = clients::find(conn, service.client_id)?.ok_or(AppError::NotFound)?;
    let today = today(now);
    let cycle: BillingCycle = service.billing_cycle.parse().map_err(AppError::internal)?;
    let next_due = cycle::period_start(today, cycle, 1).map(|d| d.to_string());
    if !orders::activate_service(
        conn,
        service.id,
        &today.to_string(),
        next_due.as_deref(),
        &stamp(now),
    )? {
        return Ok(false);
    }
    // Its first period is paid: record what it was paid.
    if let Some(live) = orders::find_service(conn, &service.id.to_string())? {
        crate::service::billing::paid_periods::record_first(conn, &live, now)?;
    }
    activate_addons(conn, service.id, today, now)?;
    let product = catalog::find_product(conn, &service.product_id.to_string())?;
    notifications::notify(
        conn,
        client.id,
        "service_activated",
        &format!(
            "{} is active",
            product
                .as_ref()
                .map(|p| p.name.as_str())
                .unwrap_or("Your service")
        ),
        &next_due
            .as_ref()
            .map(|d| format!("Next due {d}."))
            .unwrap_or_default(),
        &format!("/account/services/{}", service.id),
        now,
    )?;
    // Access details as known now (a module that made an account has set
    // its user name and server); never a password.
    let server = match service.server_id {
        Some(id) => crate::store::servers::find(conn, &id.to_string())?.map(|s| s.hostname),
        None => None,
    };
    email::queue(
        conn,
        now,
        &client.email,
        &email::ServiceActivated {
            brand: brand.clone(),
            name: client.display_name(),
            product: product.map(|p| p.name).unwrap_or_default(),
            domain: service.domain.clone(),
            next_due_date: next_due.clone(),
            username: service.username.clone().filter(|u| !u.is_empty()),
            server,
            link: brand.link(&format!("/account/services/{}", service.id)),
        },
    )?;
    audit::record(
        conn,
        now,
        Event {
            actor: Actor::System,
            action: "service.activated",
            subject: Some(("service", service.id)),
            client_id: Some(client.id),
            ip: None,
            details: serde_json::json!({ "module": module, "next_due_date": next_due }),
        },
    )?;
    Ok(true)
}

/// Activate the pending addons of a service that went live: each starts
/// today and falls due on its own cycle (none for one bought once).
/// Domains ordered with it stay `pending` until a registrar registers them.
fn activate_addons(conn: &Connection, service_id: i64, today: Date, now: Timestamp) -> Result<()> {
    for addon in addons::of_service(conn, service_id)? {
        let cycle: BillingCycle = addon.billing_cycle.parse().map_err(AppError::internal)?;
        let next_due = cycle::period_start(today, cycle, 1).map(|d| d.to_string());
        addons::activate_service_addon(
            conn,
            addon.id,
            &today.to_string(),
            next_due.as_deref(),
            &stamp(now),
        )?;
    }
    Ok(())
}

/// The owner of an order's lines (services with their options and setup
/// fees, addons, domains): a paid order starts them; a cancelled one
/// cancels what never started and puts its stock back.
pub struct OrderLines;

impl LineOwner for OrderLines {
    fn name(&self) -> &'static str {
        "order lines"
    }

    fn paid(&self, tx: &Connection, paid: &PaidInvoice<'_>) -> Result<()> {
        if let Some(order_id) = paid.invoice.order_id {
            activate_order(tx, order_id, paid.now, paid.brand)?;
        }
        Ok(())
    }

    fn cancelled(&self, tx: &Connection, invoice: &Invoice, now: Timestamp) -> Result<()> {
        let Some(order_id) = invoice.order_id else {
            return Ok(());
        };
        let now_s = stamp(now);
        addons::cancel_pending_of_order(tx, order_id, &now_s)?;
        domains::cancel_pending_of_order(tx, order_id, &now_s)?;
        for product in orders::cancel_pending_services(tx, order_id, &now_s)? {
            orders::return_stock(tx, product)?;
        }
        orders::set_order_status(tx, order_id, OrderStatus::Cancelled, &now_s)?;
        Ok(())
    }
}
