//! Invoices and payments: what a client owes and pays, staff recording
//! payments (partial, exact, or over, the excess becoming account credit),
//! and what a full payment sets off (the order's services go live).

use jiff::{Timestamp, civil::Date};
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta, StaffPrincipal},
    db::Db,
    domain::{
        cycle::{self, BillingCycle},
        module_action::ModuleAction,
        money::Money,
        money_input::MoneyInput,
        privileges::Privilege,
        scopes::Scope,
        time::stamp,
    },
    error::{AppError, Result},
    service::{
        access::client_access,
        audit::{self, Actor, Event},
        email::{self, Branding},
        notifications, numbering,
        orders::today,
        provisioning, renewals,
    },
    store::{
        Page, PageRequest, addons, automation as automation_store, catalog,
        clients::{self, Client},
        currencies::{self, Currency},
        domains,
        invoices::{self, Invoice, Item},
        orders,
        payments::{self, Payment},
        services,
    },
};

/// The seller as printed on an invoice, frozen when it is issued.
pub fn seller_snapshot(brand: &Branding) -> String {
    serde_json::json!({ "name": brand.company, "url": brand.base_url }).to_string()
}

/// The buyer as printed on an invoice, frozen when it is issued.
pub fn buyer_snapshot(c: &Client) -> String {
    serde_json::json!({
        "name": c.display_name(), "first_name": c.first_name, "last_name": c.last_name,
        "company_name": c.company_name, "email": c.email, "address1": c.address1,
        "address2": c.address2, "city": c.city, "state": c.state, "postcode": c.postcode,
        "country": c.country, "vat_id": c.vat_id,
        // What was known about the VAT id when the invoice was issued.
        "vat_status": c.vat_id.as_ref().map(|_| &c.vat_status),
        "vat_source": c.vat_source, "vat_checked_at": c.vat_checked_at,
    })
    .to_string()
}

/// A currency of the catalog, or ISO defaults for one that was removed.
pub fn currency(conn: &Connection, code: &str) -> Result<Currency> {
    Ok(currencies::find(conn, code)?.unwrap_or_else(|| iso_currency(code)))
}

fn iso_currency(code: &str) -> Currency {
    Currency {
        code: code.to_string(),
        prefix: String::new(),
        suffix: code.to_string(),
        decimals: crate::domain::money::decimals(code),
        is_default: false,
    }
}

/// From a list of the catalog's currencies, or ISO defaults for one since
/// removed (old invoices and payments keep their currency).
pub fn currency_in(currencies: &[Currency], code: &str) -> Currency {
    currencies
        .iter()
        .find(|c| c.code == code)
        .cloned()
        .unwrap_or_else(|| iso_currency(code))
}

pub fn money(minor: i64, c: &Currency) -> Money {
    Money::formatted_as(minor, &c.code, c.decimals, &c.prefix, &c.suffix)
}

pub fn format_money(minor: i64, c: &Currency) -> String {
    money(minor, c).formatted
}

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
        if service.status != "pending" {
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
    orders::set_order_status(conn, order_id, "active", &stamp(now))?;
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
        crate::service::paid_periods::record_first(conn, &live, now)?;
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

/// A payment staff record (reference 002 `POST /invoices/{id}/pay`).
pub struct RecordPayment {
    /// In the invoice's currency.
    pub amount: Option<MoneyInput>,
    pub gateway: String,
    pub transaction_id: String,
}

/// Record a payment against an invoice. A payment beyond what is owed
/// becomes account credit; a transaction id is recorded once per gateway.
pub fn record_payment(
    db: &Db,
    brand: &Branding,
    staff: &StaffPrincipal,
    invoice_ident: &str,
    input: RecordPayment,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<(Invoice, Payment)> {
    staff.require(Scope::BillingWrite)?;
    let gateway = input.gateway.trim().to_lowercase();
    let transaction_id = input.transaction_id.trim().to_string();
    if gateway.is_empty() || gateway.len() > 40 {
        return Err(AppError::invalid(
            "gateway",
            "is required (at most 40 characters)",
        ));
    }
    if transaction_id.is_empty() || transaction_id.len() > 200 {
        return Err(AppError::invalid(
            "transaction_id",
            "is required (at most 200 characters)",
        ));
    }
    db.write(|tx| {
        let invoice = invoices::find(tx, invoice_ident)?.ok_or(AppError::NotFound)?;
        let currency = currency(tx, &invoice.currency)?;
        let amount = input
            .amount
            .as_ref()
            .ok_or_else(|| AppError::invalid("amount", MoneyInput::ASK))?
            .to_minor(currency.decimals)
            .map_err(|e| AppError::invalid("amount", e))?;
        if amount <= 0 {
            return Err(AppError::invalid("amount", "must be more than zero"));
        }
        if invoice.status != "unpaid" {
            return Err(AppError::Conflict(format!(
                "the invoice is {}",
                invoice.status
            )));
        }
        if payments::find_by_transaction(tx, &gateway, &transaction_id)?.is_some() {
            return Err(AppError::Conflict(
                "this transaction was already recorded".into(),
            ));
        }
        let actor = Actor::from(&Principal::Staff(staff.clone()));
        apply_payment(
            tx,
            brand,
            &invoice,
            &currency,
            &Incoming {
                gateway: &gateway,
                amount,
                transaction_id: &transaction_id,
                recorded_by: &format!("staff:{}", staff.staff_id),
                actor,
            },
            meta,
            now,
        )
    })
}

/// Money that arrived for an invoice.
pub(crate) struct Incoming<'a> {
    pub gateway: &'a str,
    pub amount: i64,
    pub transaction_id: &'a str,
    pub recorded_by: &'a str,
    pub actor: Actor,
}

/// Record money that arrived for an invoice: what it owes is paid, the
/// rest becomes account credit. An invoice that no longer waits for money
/// (paid another way meanwhile, or cancelled) turns all of it into credit:
/// money that arrived is never dropped.
pub(crate) fn apply_payment(
    tx: &Connection,
    brand: &Branding,
    invoice: &Invoice,
    currency: &Currency,
    p: &Incoming<'_>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<(Invoice, Payment)> {
    let applied = if invoice.status == "unpaid" {
        p.amount.min(invoice.balance_due())
    } else {
        0
    };
    let excess = p.amount - applied;
    let now_s = stamp(now);
    let payment_id = payments::insert(
        tx,
        &payments::NewPayment {
            uuid: &uuid::Uuid::new_v4().to_string(),
            client_id: invoice.client_id,
            invoice_id: invoice.id,
            gateway: p.gateway,
            amount: p.amount,
            currency: &invoice.currency,
            transaction_id: p.transaction_id,
            recorded_by: p.recorded_by,
            applied,
            now: &now_s,
        },
    )?;
    if applied > 0 {
        invoices::add_payment(tx, invoice.id, applied, &now_s)?;
    }
    if excess > 0 {
        payments::move_credit(
            tx,
            invoice.client_id,
            excess,
            "overpayment",
            Some(invoice.id),
            &now_s,
        )?
        .ok_or_else(|| AppError::internal("credit balance went negative"))?;
    }
    audit::record(
        tx,
        now,
        Event {
            actor: p.actor,
            action: "payment.recorded",
            subject: Some(("payment", payment_id)),
            client_id: Some(invoice.client_id),
            ip: meta.ip.as_deref(),
            details: serde_json::json!({ "invoice": invoice.number, "amount": p.amount, "applied": applied,
                                          "credited": excess, "gateway": p.gateway, "transaction_id": p.transaction_id }),
        },
    )?;
    let after = settle_if_paid(tx, brand, invoice, p.amount, currency, p.actor, meta, now)?;
    let payment = payments::find(tx, &payment_id.to_string())?.ok_or(AppError::NotFound)?;
    Ok((after, payment))
}

/// What a full payment sets off, once the invoice's new amounts are
/// written: the receipt email, the audit row, and the order's activation.
/// Answers the invoice as it is now.
#[allow(clippy::too_many_arguments)]
pub(crate) fn settle_if_paid(
    tx: &Connection,
    brand: &Branding,
    before: &Invoice,
    amount: i64,
    currency: &Currency,
    actor: Actor,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Invoice> {
    let mut after = invoices::find(tx, &before.id.to_string())?.ok_or(AppError::NotFound)?;
    if after.status == "paid" && before.status != "paid" {
        if after.number.is_none() {
            // A paid proforma becomes a tax invoice now.
            numbering::number_at_payment(tx, before.id, today(now))?;
            after = invoices::find(tx, &before.id.to_string())?.ok_or(AppError::NotFound)?;
        }
        // An add-funds invoice turns into account credit once paid.
        let funds: i64 = invoices::items(tx, before.id)?
            .iter()
            .filter(|i| i.kind == "credit")
            .map(|i| i.amount)
            .sum();
        if funds > 0 {
            // The money leaves the invoice for the credit balance: a refund
            // of it must take that credit back.
            if !invoices::give_back(tx, before.id, funds, &stamp(now))? {
                return Err(AppError::internal(
                    "an add-funds invoice holds less than it adds",
                ));
            }
            payments::move_credit(
                tx,
                before.client_id,
                funds,
                "add_funds",
                Some(before.id),
                &stamp(now),
            )?
            .ok_or_else(|| AppError::internal("credit balance went negative"))?;
        }
        let client = clients::find(tx, before.client_id)?.ok_or(AppError::NotFound)?;
        notifications::notify(
            tx,
            client.id,
            "invoice_paid",
            &format!("Invoice {} is paid", after.display_number()),
            &format!("We received {}. Thank you.", format_money(amount, currency)),
            &format!("/account/invoices/{}", before.id),
            now,
        )?;
        email::queue(
            tx,
            now,
            &client.email,
            &email::PaymentReceipt {
                brand: brand.clone(),
                name: client.display_name(),
                invoice_number: after.display_number(),
                amount: format_money(amount, currency),
                link: brand.link("/account/invoices"),
            },
        )?;
        audit::record(
            tx,
            now,
            Event {
                actor,
                action: "invoice.paid",
                subject: Some(("invoice", before.id)),
                client_id: Some(before.client_id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "number": after.number }),
            },
        )?;
        if let Some(order_id) = after.order_id {
            activate_order(tx, order_id, now, brand)?;
        }
        crate::service::plan_changes::apply_paid(tx, before.id, now)?;
        crate::service::cycle_changes::apply_paid(tx, before.id, now)?;
        crate::service::service_addons::apply_paid(tx, before.id, now)?;
        // A paid renewal moves its services' next due dates (and lifts a
        // suspension for non-payment).
        renewals::advance_paid(tx, brand, before.id, now)?;
    }
    Ok(after)
}

/// Pay an invoice from the client's account credit (reference 001 apply
/// credit). Without an amount, the most that helps: the smaller of the
/// credit and the balance due. Credit is checked and taken in the same
/// write transaction, so two concurrent payments cannot spend it twice.
#[allow(clippy::too_many_arguments)]
pub fn apply_credit(
    db: &Db,
    brand: &Branding,
    principal: &Principal,
    ident: &str,
    invoice_ident: &str,
    amount: Option<&MoneyInput>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Invoice> {
    db.write(|tx| {
        let access = client_access(tx, principal, ident)?;
        match principal {
            Principal::Staff(s) => s.require(Scope::BillingWrite)?,
            Principal::User(_) => access.require(Privilege::BillingPayInvoice)?,
        }
        let invoice = invoices::find(tx, invoice_ident)?
            .filter(|i| i.client_id == access.client.id)
            .ok_or(AppError::NotFound)?;
        if invoice.status != "unpaid" {
            return Err(AppError::Conflict(format!(
                "the invoice is {}",
                invoice.status
            )));
        }
        if invoice.currency != access.client.currency_code {
            return Err(AppError::Conflict(
                "account credit is held in another currency than this invoice".into(),
            ));
        }
        if invoices::items(tx, invoice.id)?
            .iter()
            .any(|i| i.kind == "credit")
        {
            return Err(AppError::Conflict(
                "an add-funds invoice cannot be paid from credit".into(),
            ));
        }
        let currency = currency(tx, &invoice.currency)?;
        let credit = access.client.credit_balance;
        let due = invoice.balance_due();
        let wanted = match amount.filter(|a| !a.is_blank()) {
            Some(asked) => {
                let wanted = asked
                    .to_minor(currency.decimals)
                    .map_err(|e| AppError::invalid("amount", e))?;
                if wanted <= 0 {
                    return Err(AppError::invalid("amount", "must be more than zero"));
                }
                if wanted > due {
                    return Err(AppError::invalid(
                        "amount",
                        format!(
                            "is more than the balance due ({})",
                            format_money(due, &currency)
                        ),
                    ));
                }
                if wanted > credit {
                    return Err(AppError::invalid(
                        "amount",
                        format!(
                            "is more than the credit available ({})",
                            format_money(credit, &currency)
                        ),
                    ));
                }
                wanted
            }
            None => credit.min(due),
        };
        if wanted <= 0 {
            return Err(AppError::invalid("amount", "there is no credit to apply"));
        }
        let now_s = stamp(now);
        payments::move_credit(
            tx,
            access.client.id,
            -wanted,
            "applied_to_invoice",
            Some(invoice.id),
            &now_s,
        )?
        .ok_or_else(|| AppError::invalid("amount", "is more than the credit available"))?;
        invoices::apply_credit(tx, invoice.id, wanted, &now_s)?;
        let actor = Actor::from(principal);
        audit::record(
            tx,
            now,
            Event {
                actor,
                action: "invoice.credit_applied",
                subject: Some(("invoice", invoice.id)),
                client_id: Some(invoice.client_id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "number": invoice.number, "amount": wanted }),
            },
        )?;
        settle_if_paid(tx, brand, &invoice, wanted, &currency, actor, meta, now)
    })
}

/// The most one add-funds invoice may be for, in major units.
pub const MAX_ADD_FUNDS: i64 = 100_000;

/// An invoice that adds account credit once paid (reference 000 credit
/// invoices; needs `billing.addfunds`). No tax: credit is a prepayment,
/// taxed when it pays for something.
pub fn add_funds_invoice(
    db: &Db,
    brand: &Branding,
    principal: &Principal,
    ident: &str,
    amount: Option<&MoneyInput>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Invoice> {
    db.write(|tx| {
        let access = client_access(tx, principal, ident)?;
        access.require_change(Privilege::BillingAddFunds)?;
        let client = &access.client;
        let currency = currency(tx, &client.currency_code)?;
        let minor = amount
            .filter(|a| !a.is_blank())
            .ok_or_else(|| AppError::invalid("amount", MoneyInput::ASK))?
            .to_minor(currency.decimals)
            .map_err(|e| AppError::invalid("amount", e))?;
        let most = MAX_ADD_FUNDS * 10_i64.pow(currency.decimals);
        if minor <= 0 || minor > most {
            return Err(AppError::invalid(
                "amount",
                format!(
                    "must be more than zero and at most {}",
                    format_money(most, &currency)
                ),
            ));
        }
        let today = today(now);
        let now_s = stamp(now);
        let number = numbering::number_at_issue(tx, today)?;
        let invoice_id = invoices::insert(
            tx,
            &invoices::NewInvoice {
                uuid: &uuid::Uuid::new_v4().to_string(),
                client_id: client.id,
                order_id: None,
                number: number.as_deref(),
                currency: &currency.code,
                subtotal: minor,
                tax_total: 0,
                issue_date: &today.to_string(),
                due_date: &today.to_string(),
                seller: &seller_snapshot(brand),
                buyer: &buyer_snapshot(client),
                notes: "",
                now: &now_s,
            },
        )?;
        invoices::insert_item(
            tx,
            invoice_id,
            &Item {
                position: 1,
                kind: "credit".into(),
                description: "Add funds to account credit".into(),
                service_id: None,
                domain_id: None,
                period_start: None,
                period_end: None,
                quantity: 1,
                unit_amount: minor,
                amount: minor,
            },
        )?;
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::from(principal),
                action: "invoice.add_funds",
                subject: Some(("invoice", invoice_id)),
                client_id: Some(client.id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "number": number, "amount": minor }),
            },
        )?;
        invoices::find(tx, &invoice_id.to_string())?.ok_or(AppError::NotFound)
    })
}

/// What becomes of the renewal periods a cancelled invoice billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Periods {
    /// Unbilled again: the next renewal run invoices them afresh (the
    /// invoice was wrong), unless the service stopped renewing meanwhile.
    Release,
    /// Given free: they count as paid and the service's next due date
    /// moves past them.
    Waive,
}

/// Cancel an unpaid invoice (staff, `billing:write`). Whatever was already
/// paid towards it, by payment or from credit, goes to the client's credit,
/// so no money is lost; its order is cancelled, services that never
/// started are cancelled and their stock is put back; a plan change or
/// addon waiting for it is dropped; the renewal periods it billed are
/// released or waived (`periods`).
pub fn cancel_invoice(
    db: &Db,
    brand: &Branding,
    staff: &StaffPrincipal,
    invoice_ident: &str,
    periods: Periods,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Invoice> {
    staff.require(Scope::BillingWrite)?;
    db.write(|tx| {
        let invoice = invoices::find(tx, invoice_ident)?.ok_or(AppError::NotFound)?;
        let actor = Actor::from(&Principal::Staff(staff.clone()));
        let reason = match periods {
            Periods::Release => "staff",
            Periods::Waive => "staff_waived",
        };
        if !cancel_unpaid(tx, &invoice, actor, meta, now, reason)? {
            return Err(AppError::Conflict(format!(
                "only an unpaid invoice can be cancelled; this one is {}",
                invoice.status
            )));
        }
        if periods == Periods::Waive {
            automation_store::set_period_outcome(tx, invoice.id, "waived")?;
            renewals::advance_paid(tx, brand, invoice.id, now)?;
        }
        invoices::find(tx, &invoice.id.to_string())?.ok_or(AppError::NotFound)
    })
}

/// Cancel an unpaid invoice in the caller's transaction (staff, or the
/// automation for a stale order): what was paid towards it becomes credit,
/// its order and unstarted services are cancelled and their stock comes
/// back. Answers false (changing nothing) if it was not unpaid.
pub(crate) fn cancel_unpaid(
    tx: &Connection,
    invoice: &Invoice,
    actor: Actor,
    meta: &RequestMeta,
    now: Timestamp,
    reason: &str,
) -> Result<bool> {
    let now_s = stamp(now);
    if !invoices::cancel(tx, invoice.id, &now_s)? {
        return Ok(false);
    }
    let returned = invoice.holds();
    if returned > 0 {
        if !invoices::give_back(tx, invoice.id, returned, &now_s)? {
            return Err(AppError::internal(
                "a cancelled invoice held less than it returns",
            ));
        }
        payments::move_credit(
            tx,
            invoice.client_id,
            returned,
            "invoice_cancelled",
            Some(invoice.id),
            &now_s,
        )?
        .ok_or_else(|| AppError::internal("credit balance went negative"))?;
    }
    // A period it billed counts as unbilled again (`cancel_invoice` may
    // then waive it instead); what waited for it is dropped.
    automation_store::set_period_outcome(tx, invoice.id, "released")?;
    crate::service::plan_changes::cancel_of_invoice(tx, invoice.id, now)?;
    crate::service::service_addons::cancel_of_invoice(tx, invoice.id, now)?;
    if let Some(order_id) = invoice.order_id {
        addons::cancel_pending_of_order(tx, order_id, &now_s)?;
        domains::cancel_pending_of_order(tx, order_id, &now_s)?;
        for product in orders::cancel_pending_services(tx, order_id, &now_s)? {
            orders::return_stock(tx, product)?;
        }
        orders::set_order_status(tx, order_id, "cancelled", &now_s)?;
    }
    audit::record(
        tx,
        now,
        Event {
            actor,
            action: "invoice.cancelled",
            subject: Some(("invoice", invoice.id)),
            client_id: Some(invoice.client_id),
            ip: meta.ip.as_deref(),
            details: serde_json::json!({ "number": invoice.number, "returned_to_credit": returned, "reason": reason }),
        },
    )?;
    Ok(true)
}

/// A service stopped renewing (cancelled now, or at the end of its period)
/// or renews at another price or cycle: its unpaid renewal invoices for
/// periods from `from` on are cancelled, their periods released, so the
/// client is not chased for time they will not have (or is billed again
/// at the new terms). An invoice that also bills another service is left
/// for staff. Answers how many.
pub(crate) fn cancel_renewals_from(
    tx: &Connection,
    service_id: i64,
    from: &str,
    reason: &str,
    now: Timestamp,
) -> Result<usize> {
    let ids = automation_store::unpaid_renewals_only_of(tx, service_id, from)?;
    for id in &ids {
        let invoice = invoices::find(tx, &id.to_string())?.ok_or(AppError::NotFound)?;
        cancel_unpaid(
            tx,
            &invoice,
            Actor::System,
            &RequestMeta::default(),
            now,
            reason,
        )?;
    }
    Ok(ids.len())
}

/// A client's invoices (needs `billing.payinvoice`).
pub fn invoices_of(
    db: &Db,
    principal: &Principal,
    ident: &str,
    status: Option<&str>,
    page: PageRequest,
) -> Result<(Page<Invoice>, Vec<Currency>)> {
    if status.is_some_and(|s| !["unpaid", "paid", "cancelled", "refunded"].contains(&s)) {
        return Err(AppError::invalid(
            "status",
            "must be unpaid, paid, cancelled or refunded",
        ));
    }
    db.read(|c| {
        let access = client_access(c, principal, ident)?;
        access.require(Privilege::BillingPayInvoice)?;
        Ok((
            invoices::of_client(c, access.client.id, status, page)?,
            currencies::list(c)?,
        ))
    })
}

/// One invoice of a client, with its lines; another client's is a 404.
pub fn invoice_of(
    db: &Db,
    principal: &Principal,
    ident: &str,
    invoice: &str,
) -> Result<(Invoice, Vec<Item>, Currency)> {
    db.read(|c| {
        let access = client_access(c, principal, ident)?;
        access.require(Privilege::BillingPayInvoice)?;
        let inv = invoices::find(c, invoice)?
            .filter(|i| i.client_id == access.client.id)
            .ok_or(AppError::NotFound)?;
        let items = invoices::items(c, inv.id)?;
        let cur = currency(c, &inv.currency)?;
        Ok((inv, items, cur))
    })
}

/// Every payment, for staff with `billing:read`.
pub fn all_payments(
    db: &Db,
    staff: &StaffPrincipal,
    client_id: Option<i64>,
    gateway: Option<&str>,
    page: PageRequest,
) -> Result<(Page<Payment>, Vec<Currency>)> {
    staff.require(Scope::BillingRead)?;
    db.read(|c| {
        Ok((
            payments::list(c, client_id, gateway, page)?,
            currencies::list(c)?,
        ))
    })
}

/// A client's payments (needs `billing.payinvoice`).
pub fn payments_of(
    db: &Db,
    principal: &Principal,
    ident: &str,
) -> Result<(Vec<Payment>, Vec<Currency>)> {
    db.read(|c| {
        let access = client_access(c, principal, ident)?;
        access.require(Privilege::BillingPayInvoice)?;
        Ok((
            payments::of_client(c, access.client.id)?,
            currencies::list(c)?,
        ))
    })
}
