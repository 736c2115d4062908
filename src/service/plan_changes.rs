//! Upgrades and downgrades (reference 001 `/service/{id}/upgrade`): move a
//! service to another product of its group, paying or getting back the
//! difference for the days left in the paid period (`domain::proration`).
//!
//! An upgrade is charged on an invoice and applied when that invoice is
//! paid; a downgrade (or an even swap) is applied at once, the difference
//! going to account credit. Either way the module is asked to change the
//! package. Configurable options belong to a product, so the new plan is
//! billed at its own price without the old plan's options.

use jiff::{Timestamp, civil::Date};
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta},
    db::Db,
    domain::{
        cycle::{self, BillingCycle},
        module_action::ModuleAction,
        proration,
        time::stamp,
    },
    error::{AppError, Result},
    service::{
        audit::{self, Actor, Event},
        email::Branding,
        invoice_notices,
        manual_invoices::{self, Checked},
        notifications,
        orders::today,
        provisioning,
        service_actions::{ServiceRecord, owned, record, recurring_in},
    },
    store::{
        catalog::{self, Product},
        invoices::Invoice,
        orders::{self, Service},
        payments,
        service_changes::{self, NewChange},
    },
};

/// A product the service could move to, priced for now.
#[derive(Debug, Clone)]
pub struct PlanOption {
    pub product: Product,
    pub cycle: BillingCycle,
    /// What the new plan renews at.
    pub new_recurring: i64,
    /// Due now for the days left (negative: credited).
    pub amount_now: i64,
    pub days_left: i64,
    pub days_in_period: i64,
}

/// The service's current paid period: (start, end) with `end` its next due
/// date.
pub(crate) fn current_period(
    s: &Service,
    cycle: BillingCycle,
    today: Date,
) -> Option<(Date, Date)> {
    let anchor: Date = s.registration_date.as_deref()?.parse().ok()?;
    let next: Date = s.next_due_date.as_deref()?.parse().ok()?;
    let index = cycle::period_index(anchor, cycle, next.yesterday().ok()?)?;
    let (start, end) = cycle::period(anchor, cycle, index)?;
    (start <= today && today < end).then_some((start, end))
}

fn option_for(
    conn: &Connection,
    s: &Service,
    product: Product,
    today: Date,
) -> Result<Option<PlanOption>> {
    let Ok(cycle) = s.billing_cycle.parse::<BillingCycle>() else {
        return Ok(None);
    };
    let Some(new_recurring) = recurring_in(conn, s, product.id, cycle, false)? else {
        return Ok(None);
    };
    let Some((start, end)) = current_period(s, cycle, today) else {
        return Ok(None);
    };
    let (days_left, days_in_period) = (
        cycle::days_between(today, end),
        cycle::days_between(start, end),
    );
    let amount_now =
        proration::change_of_plan(s.recurring_amount, new_recurring, days_left, days_in_period)
            .ok_or_else(|| AppError::internal("proration out of range"))?;
    Ok(Some(PlanOption {
        product,
        cycle,
        new_recurring,
        amount_now,
        days_left,
        days_in_period,
    }))
}

/// The plans the service may move to: the other orderable products of its
/// group sold in its cycle and currency, with what the move costs today.
pub fn options(
    db: &Db,
    principal: &Principal,
    client: &str,
    service: &str,
    now: Timestamp,
) -> Result<(ServiceRecord, Vec<PlanOption>)> {
    db.read(|c| {
        let (_, s) = owned(c, principal, client, service, false)?;
        let rec = record(c, s.clone())?;
        let mut out = Vec::new();
        if s.status == "active" {
            for p in catalog::products(c, Some(rec.product.group_id), &["visible", "hidden"])? {
                if p.id == s.product_id {
                    continue;
                }
                if let Some(o) = option_for(c, &s, p, today(now))? {
                    out.push(o);
                }
            }
        }
        Ok((rec, out))
    })
}

/// What a move changed: the change, and the invoice to pay for an upgrade.
#[derive(Debug, Clone)]
pub struct ChangeOutcome {
    pub record: ServiceRecord,
    pub option: PlanOption,
    pub invoice: Option<Invoice>,
    pub applied: bool,
}

/// Move the service to `product` (id, uuid or slug).
#[allow(clippy::too_many_arguments)]
pub fn change(
    db: &Db,
    brand: &Branding,
    principal: &Principal,
    client: &str,
    service: &str,
    product: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ChangeOutcome> {
    db.write(|tx| {
        let (c, s) = owned(tx, principal, client, service, true)?;
        // It writes an invoice too.
        crate::service::access::staff_also_needs(
            principal,
            crate::domain::scopes::Scope::BillingWrite,
        )?;
        if s.status != "active" {
            return Err(AppError::Conflict(format!("the service is {}", s.status)));
        }
        if service_changes::pending_of_service(tx, s.id)?.is_some() {
            return Err(AppError::Conflict(
                "a plan change is waiting for its invoice to be paid".into(),
            ));
        }
        let current =
            catalog::find_product(tx, &s.product_id.to_string())?.ok_or(AppError::NotFound)?;
        let target = catalog::find_product(tx, product.trim())?
            .filter(|p| {
                p.group_id == current.group_id && p.id != s.product_id && p.status != "retired"
            })
            .ok_or_else(|| {
                AppError::invalid("product", "is not a plan this service can move to")
            })?;
        let option = option_for(tx, &s, target, today(now))?.ok_or_else(|| {
            AppError::invalid(
                "product",
                "that plan is not sold in this service's cycle and currency",
            )
        })?;
        let now_s = stamp(now);
        let description = format!(
            "Change of plan: {} to {} ({} of {} days)",
            current.name, option.product.name, option.days_left, option.days_in_period
        );
        let (invoice, status) = if option.amount_now > 0 {
            let due = today(now);
            let invoice = manual_invoices::issue(
                tx,
                brand,
                &c,
                &[Checked {
                    description: description.clone(),
                    unit: option.amount_now,
                    quantity: 1,
                    taxed: true,
                }],
                due,
                due,
                "",
                now,
            )?;
            invoice_notices::created(tx, brand, &c, &invoice, now)?;
            (Some(invoice), "pending")
        } else {
            (None, "applied")
        };
        let change_id = service_changes::insert_change(
            tx,
            &NewChange {
                service_id: s.id,
                from_product_id: s.product_id,
                to_product_id: option.product.id,
                billing_cycle: option.cycle.as_str(),
                new_recurring: option.new_recurring,
                amount: option.amount_now,
                invoice_id: invoice.as_ref().map(|i| i.id),
                status,
                now: &now_s,
            },
        )?;
        if status == "applied" {
            apply(
                tx,
                &s,
                option.product.id,
                option.cycle,
                option.new_recurring,
                change_id,
                now,
            )?;
            if option.amount_now < 0 {
                payments::move_credit(tx, c.id, -option.amount_now, "downgrade", None, &now_s)?
                    .ok_or_else(|| AppError::internal("credit balance went negative"))?;
            }
        }
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::from(principal),
                action: "service.plan_change",
                subject: Some(("service", s.id)),
                client_id: Some(c.id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({
                    "from": s.product_id, "to": option.product.id, "amount": option.amount_now,
                    "invoice": invoice.as_ref().map(|i| i.id), "status": status,
                }),
            },
        )?;
        let s = orders::find_service(tx, &s.id.to_string())?.ok_or(AppError::NotFound)?;
        Ok(ChangeOutcome {
            record: record(tx, s)?,
            applied: status == "applied",
            option,
            invoice,
        })
    })
}

fn apply(
    tx: &Connection,
    s: &Service,
    product_id: i64,
    cycle: BillingCycle,
    new_recurring: i64,
    change_id: i64,
    now: Timestamp,
) -> Result<()> {
    orders::set_plan(
        tx,
        s.id,
        product_id,
        cycle.as_str(),
        new_recurring,
        &stamp(now),
    )?;
    provisioning::request(
        tx,
        s.id,
        ModuleAction::ChangePackage,
        &serde_json::json!({ "product_id": product_id }),
        Some(&format!("change_package:{change_id}")),
        now,
    )?;
    notifications::notify(
        tx,
        s.client_id,
        "plan_changed",
        "Your plan was changed",
        "",
        &format!("/account/services/{}", s.id),
        now,
    )?;
    Ok(())
}

/// Apply the plan changes paid for by `invoice_id` (called when an invoice
/// is paid in full).
pub(crate) fn apply_paid(tx: &Connection, invoice_id: i64, now: Timestamp) -> Result<()> {
    for change in service_changes::pending_of_invoice(tx, invoice_id)? {
        let Some(s) = orders::find_service(tx, &change.service_id.to_string())? else {
            continue;
        };
        let cycle: BillingCycle = change.billing_cycle.parse().map_err(AppError::internal)?;
        if s.status == "active" || s.status == "suspended" {
            apply(
                tx,
                &s,
                change.to_product_id,
                cycle,
                change.new_recurring,
                change.id,
                now,
            )?;
            service_changes::set_change_status(tx, change.id, "applied", &stamp(now))?;
        } else {
            service_changes::set_change_status(tx, change.id, "cancelled", &stamp(now))?;
        }
    }
    Ok(())
}

/// Drop the plan changes waiting for `invoice_id` (its invoice was
/// cancelled), so the service can ask for another.
pub(crate) fn cancel_of_invoice(tx: &Connection, invoice_id: i64, now: Timestamp) -> Result<()> {
    for change in service_changes::pending_of_invoice(tx, invoice_id)? {
        service_changes::set_change_status(tx, change.id, "cancelled", &stamp(now))?;
    }
    Ok(())
}
