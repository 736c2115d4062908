//! Upgrades and downgrades (reference 001 `/service/{id}/upgrade`): move a
//! service to another product of its group, paying or getting back the
//! difference for the days left in the paid period (`domain::proration`),
//! and in full for any period already paid ahead.
//!
//! The difference is between the plan price each period is held at (see
//! `paid_periods`) and the new plan's price in that period's own cycle, so
//! a cycle change waiting for the next due date cannot reprice the month
//! already paid. A credit is never more than the money that paid for the
//! period and is still on its invoice (`paid_periods::value_left`): a
//! period bought at a discount, waived, or refunded gives back at most
//! what is left of what was paid for it.
//!
//! An upgrade is charged on an invoice and applied when that invoice is
//! paid (its charge then funds the periods); a downgrade (or an even swap)
//! is applied at once, the credit taken out of the periods' funds. Either
//! way the module is asked to change the package, and unpaid renewal
//! invoices of the old plan are released to be billed again at the new
//! price. Configurable options belong to a product, so the new plan is
//! billed at its own price without the old plan's options.

use crate::domain::time::today;
use jiff::Timestamp;
use rusqlite::Connection;

pub use crate::service::services::plan_prices::{PeriodPart, PlanOption};

use crate::domain::status::ServiceStatus;
use crate::{
    auth::principal::{Principal, RequestMeta},
    db::Db,
    domain::{cycle::BillingCycle, module_action::ModuleAction, time::stamp},
    error::{AppError, Result},
    service::{
        audit::{self, Actor, Event},
        billing,
        billing::invoice_notices,
        billing::manual_invoices::{self, Checked},
        billing::paid_periods,
        email::Branding,
        notifications,
        services::plan_prices::option_for,
        services::provisioning,
        services::service_actions::{ServiceRecord, owned, record},
    },
    store::{
        catalog,
        invoices::Invoice,
        orders::{self, Service},
        payments,
        service_changes::{self, NewChange},
        service_periods::{self, ChangePart},
    },
};

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
        if s.status == ServiceStatus::Active {
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
        if s.status != ServiceStatus::Active {
            return Err(AppError::Conflict(format!("the service is {}", s.status)));
        }
        if service_changes::pending_of_service(tx, s.id)?.is_some() {
            return Err(AppError::Conflict(
                "a change is waiting for its invoice to be paid".into(),
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
                kind: "plan",
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
        for part in &option.parts {
            let period_id = paid_periods::record(tx, s.id, &part.held, now)?;
            service_periods::insert_change_part(
                tx,
                change_id,
                &ChangePart {
                    period_id,
                    amount: part.amount,
                    plan_price: part.plan_price,
                },
            )?;
        }
        if status == "applied" {
            let credit = apply(
                tx,
                &s,
                option.product.id,
                option.cycle,
                option.new_recurring,
                change_id,
                None,
                now,
            )?;
            if credit > 0 {
                payments::move_credit(tx, c.id, credit, "downgrade", None, &now_s)?
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

/// Put the service on its new plan: each period moves to the new plan
/// price; a charged part (paid on `paid_by`) funds its period, a credited
/// part is taken out of its period's funds. Answers the credit to give.
#[allow(clippy::too_many_arguments)]
fn apply(
    tx: &Connection,
    s: &Service,
    product_id: i64,
    cycle: BillingCycle,
    new_recurring: i64,
    change_id: i64,
    paid_by: Option<i64>,
    now: Timestamp,
) -> Result<i64> {
    let now_s = stamp(now);
    let mut credit = 0;
    for part in service_periods::change_parts(tx, change_id)? {
        service_periods::set_plan_price(tx, part.period_id, part.plan_price, &now_s)?;
        match paid_by {
            Some(invoice) if part.amount > 0 => {
                paid_periods::add_fund(tx, part.period_id, invoice, part.amount)?;
            }
            _ if part.amount < 0 => {
                credit += paid_periods::give_back(tx, part.period_id, -part.amount, now)?;
            }
            _ => {}
        }
    }
    orders::set_plan(tx, s.id, product_id, cycle.as_str(), new_recurring, &now_s)?;
    // Renewals already invoiced at the old plan's price are billed again
    // at the new one.
    if let Some(next) = s.next_due_date.as_deref() {
        billing::cancel_renewals_from(tx, s.id, next, "plan_changed", now)?;
    }
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
    Ok(credit)
}

/// Apply the plan changes paid for by `invoice_id` (called when an invoice
/// is paid in full).
pub(crate) fn apply_paid(tx: &Connection, invoice_id: i64, now: Timestamp) -> Result<()> {
    for change in service_changes::pending_of_invoice(tx, invoice_id)? {
        if change.kind != "plan" {
            continue;
        }
        let Some(s) = orders::find_service(tx, &change.service_id.to_string())? else {
            continue;
        };
        let cycle: BillingCycle = change.billing_cycle.parse().map_err(AppError::internal)?;
        if s.status == ServiceStatus::Active || s.status == ServiceStatus::Suspended {
            apply(
                tx,
                &s,
                change.to_product_id,
                cycle,
                change.new_recurring,
                change.id,
                Some(invoice_id),
                now,
            )?;
            service_changes::set_change_status(tx, change.id, "applied", &stamp(now))?;
        } else {
            service_changes::set_change_status(tx, change.id, "cancelled", &stamp(now))?;
        }
    }
    Ok(())
}

/// The owner of plan-change lines: a paid upgrade or downgrade moves the service to its new plan.
pub struct PlanChanges;

impl crate::service::billing::owner::LineOwner for PlanChanges {
    fn name(&self) -> &'static str {
        "plan changes"
    }

    fn paid(
        &self,
        tx: &rusqlite::Connection,
        paid: &crate::service::billing::owner::PaidInvoice<'_>,
    ) -> crate::error::Result<()> {
        apply_paid(tx, paid.invoice.id, paid.now)
    }
}
