//! Quotes and invoice-first orders.
//!
//! Every price comes from the catalog: callers name products and cycles,
//! never amounts. An order, its unpaid invoice (with a gapless number) and
//! its pending services are written in one transaction together with the
//! idempotency key and the order it made, so a retried request replays the
//! first answer (see `service::idempotency`) and never makes a second order.

use std::collections::BTreeMap;

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{Principal, RequestMeta},
    config::Config,
    domain::{cycle::BillingCycle, privileges::Privilege, tax, time::stamp},
    error::{AppError, FieldErrors, Result},
    service::{
        access::client_access,
        audit::{self, Event},
        billing,
        billing::taxes::{self, AppliedTax},
        email::{self, Branding},
        idempotency::{self, Found, Keyed, KeyedRequest},
        notifications, numbering,
        sales::order_items::{Problems, price_item},
        sales::order_lines::{self, OrderContext},
        sales::promotions,
    },
    store::{
        carts, catalog,
        clients::Client,
        currencies::{self, Currency},
        domains::{self, Domain},
        invoices::{self, Invoice, Item},
        orders::{self, Order, Service},
        promotions::{self as promotion_store, Promotion},
    },
};

pub use crate::service::sales::order_items::{
    Charge, ChargeKind, ChosenAddon, ChosenOption, DomainOrder, ItemRequest, OptionRequest,
    QuoteLine,
};

#[derive(Debug, Clone)]
pub struct Quote {
    pub currency: Currency,
    pub lines: Vec<QuoteLine>,
    /// Without tax.
    pub subtotal: i64,
    pub tax_total: i64,
    pub total_due_today: i64,
    /// The tax applied (none for an anonymous quote or a place without a
    /// rule).
    pub tax: Option<AppliedTax>,
    /// The promotion applied, if a code was given.
    pub promotion: Option<Promotion>,
    /// What recurs, per cycle (`monthly`, ...): services with their
    /// options, and addons, on their cycles; domains' renewals under
    /// `annually`, `biennially`, `triennially` or `every_N_years` by term.
    pub recurring: BTreeMap<String, i64>,
}

pub const MAX_ITEMS: usize = 20;

/// Price `items` in `currency` from the catalog alone, with the tax that
/// applies to `buyer` (see `domain::tax` for the rounding rule).
pub fn quote(
    conn: &Connection,
    currency_code: &str,
    items: &[ItemRequest],
    buyer: Option<&Client>,
    promo_code: Option<&str>,
    now: Timestamp,
) -> Result<Quote> {
    let currency = currencies::find(conn, currency_code)?
        .ok_or_else(|| AppError::invalid("currency", "no such currency"))?;
    let mut errors = FieldErrors::new();
    if items.is_empty() || items.len() > MAX_ITEMS {
        errors
            .entry("items".into())
            .or_default()
            .push("give between 1 and 20 items".into());
    }
    let mut lines = Vec::new();
    let mut domains_asked = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let mut problems = Problems {
            errors: &mut errors,
            item: i,
        };
        let line = price_item(
            conn,
            &mut problems,
            &currency,
            item,
            |ident| Ok(catalog::find_product(conn, ident)?.filter(|p| p.status != "retired")),
            |product, cycle| {
                Ok(catalog::prices(conn, product.id)?
                    .iter()
                    .find(|p| p.currency == currency.code && p.cycle == cycle.as_str())
                    .map(|p| (p.price, p.setup_fee)))
            },
        )?;
        if let Some(d) = line.as_ref().and_then(|l| l.domain_order.as_ref()) {
            if domains_asked.contains(&d.name) {
                problems.add("domain", "is in this order twice");
            }
            domains_asked.push(d.name.clone());
        }
        lines.extend(line);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let promotion = match promo_code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => Some(promotions::usable(conn, code, &currency.code, buyer, now)?),
        None => None,
    };
    if let Some(p) = &promotion {
        let mut covered = false;
        for line in lines.iter_mut() {
            // Only the product's own price and setup fee are discounted.
            let (Some(product), Some(cycle)) = (&line.product, line.cycle) else {
                continue;
            };
            if promotions::covers(p, product.id, cycle) {
                covered = true;
                let (off_price, off_setup) =
                    promotions::discount_for(p, line.price(), line.setup_fee());
                line.charges[0].discount = off_price;
                line.charges[1].discount = off_setup;
                line.discount_recurs = p.recurring;
            }
        }
        if !covered {
            return Err(AppError::invalid("promo_code", promotions::NOT_VALID));
        }
    }
    let applied = taxes::applied_for(conn, buyer)?;
    // Tax is computed once on the sum of every charge, then shared out
    // over them for display.
    let charges: Vec<i64> = lines
        .iter()
        .flat_map(|l| l.charges.iter().map(Charge::taxable))
        .collect();
    let listed: i64 = charges.iter().sum();
    let (subtotal, tax_total) = match &applied {
        Some(t) if t.inclusive => tax::inclusive_split(listed, t.rate_milli),
        Some(t) => (listed, tax::exclusive_tax(listed, t.rate_milli)),
        None => (listed, 0),
    };
    let mut shares = tax::allocate(tax_total, &charges).into_iter();
    let inclusive = applied.as_ref().is_some_and(|t| t.inclusive);
    for charge in lines.iter_mut().flat_map(|l| l.charges.iter_mut()) {
        charge.tax = shares.next().unwrap_or(0);
        charge.tax_included = inclusive;
    }
    let mut recurring = BTreeMap::new();
    for l in &lines {
        if let Some(cycle) = l.cycle.filter(|c| *c != BillingCycle::Onetime) {
            *recurring.entry(cycle.as_str().to_string()).or_insert(0) += l.service_recurring();
        }
        for a in l.addons.iter().filter(|a| a.cycle != BillingCycle::Onetime) {
            *recurring.entry(a.cycle.as_str().to_string()).or_insert(0) += a.recurring;
        }
        if let Some((d, renew)) = l
            .domain_order
            .as_ref()
            .and_then(|d| d.renew.map(|r| (d, r)))
        {
            *recurring.entry(d.renewal_key()).or_insert(0) += renew;
        }
    }
    Ok(Quote {
        currency,
        total_due_today: subtotal + tax_total,
        lines,
        subtotal,
        tax_total,
        tax: applied,
        promotion,
        recurring,
    })
}

/// A quote for whoever asks: in the named client's currency and with the
/// tax of the client's place when the principal may see that client;
/// otherwise in the default currency without tax.
pub fn quote_for(
    conn: &Connection,
    principal: Option<&Principal>,
    client: Option<&str>,
    items: &[ItemRequest],
    promo_code: Option<&str>,
    now: Timestamp,
) -> Result<Quote> {
    let currency = quote_currency(conn, principal, client)?;
    let buyer = match (principal, client) {
        (Some(p), Some(ident)) => Some(client_access(conn, p, ident)?.client),
        _ => None,
    };
    quote(conn, &currency, items, buyer.as_ref(), promo_code, now)
}

/// The currency a quote is in: the client's (when one is named and may be
/// seen), else the default.
pub fn quote_currency(
    conn: &Connection,
    principal: Option<&Principal>,
    client: Option<&str>,
) -> Result<String> {
    if let (Some(p), Some(ident)) = (principal, client) {
        return Ok(client_access(conn, p, ident)?.client.currency_code);
    }
    if client.is_some() {
        return Err(AppError::Unauthenticated);
    }
    Ok(currencies::default(conn)?
        .ok_or_else(|| AppError::Unavailable("no currency is set up yet".into()))?
        .code)
}

/// What placing an order made.
#[derive(Debug, Clone)]
pub struct PlacedOrder {
    pub order: Order,
    pub invoice: Invoice,
    pub items: Vec<Item>,
    pub services: Vec<Service>,
    pub domains: Vec<Domain>,
    pub currency: Currency,
}

pub struct PlaceOrder {
    pub items: Vec<ItemRequest>,
    pub promo_code: Option<String>,
    /// The surface's key: the same key replays this order.
    pub key: KeyedRequest,
    /// The cart this order checks out (marked ordered in the same
    /// transaction). A cart already ordered answers its order.
    pub cart_id: Option<i64>,
}

/// The scope of order keys (`<surface>:order:<client>`) and the effect
/// they record.
const EFFECT: &str = "order";

/// Place an order for a client (needs `billing.orders`): the order, its
/// invoice and pending services, and the key, in one transaction. A
/// repeated key answers what was stored for it, or the order it made.
pub fn place(
    db: &crate::db::Db,
    config: &Config,
    principal: &Principal,
    ident: &str,
    input: PlaceOrder,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Keyed<PlacedOrder>> {
    let brand = Branding::from_config(config);
    db.write(|tx| {
        let access = client_access(tx, principal, ident)?;
        access.require_change(Privilege::BillingOrders)?;
        let claim = match idempotency::look_up(tx, &input.key, EFFECT, access.client.id)? {
            Found::Answered { status, body } => return Ok(Keyed::Stored { status, body }),
            Found::Effect { claim, id } => {
                return Ok(Keyed::Done {
                    value: placed(tx, id)?,
                    claim,
                });
            }
            Found::New(claim) => claim,
        };
        let ordered = match input.cart_id {
            Some(cart) => carts::order_of(tx, cart)?,
            None => None,
        };
        let value = match ordered {
            // Checked out before, on another surface or under another key.
            Some(order) => placed(tx, order)?,
            None => {
                let quote = quote(
                    tx,
                    &access.client.currency_code,
                    &input.items,
                    Some(&access.client),
                    input.promo_code.as_deref(),
                    now,
                )?;
                let placed = create(tx, &access.client, principal, &quote, meta, now, &brand)?;
                if let Some(cart) = input.cart_id {
                    carts::mark_ordered(tx, cart, placed.order.id, &stamp(now))?;
                }
                placed
            }
        };
        idempotency::record(tx, &claim, &input.key, EFFECT, value.order.id, now)?;
        Ok(Keyed::Done { value, claim })
    })
}

/// An order as it stands now, with its invoice, lines, services and
/// domains.
pub fn placed(conn: &Connection, order_id: i64) -> Result<PlacedOrder> {
    let order = orders::find_order(conn, order_id)?.ok_or(AppError::NotFound)?;
    let invoice = invoices::of_order(conn, order_id)?.ok_or(AppError::NotFound)?;
    Ok(PlacedOrder {
        items: invoices::items(conn, invoice.id)?,
        services: orders::services_of_order(conn, order_id)?,
        domains: domains::of_order(conn, order_id)?,
        currency: billing::currency(conn, &order.currency)?,
        order,
        invoice,
    })
}

pub use crate::domain::time::today;

fn create(
    conn: &Connection,
    client: &Client,
    principal: &Principal,
    quote: &Quote,
    meta: &RequestMeta,
    now: Timestamp,
    brand: &Branding,
) -> Result<PlacedOrder> {
    let now_s = stamp(now);
    let today = today(now);
    for product in quote.lines.iter().filter_map(|l| l.product.as_ref()) {
        if !orders::take_stock(conn, product.id)? {
            return Err(AppError::Conflict(format!(
                "{} is out of stock",
                product.name
            )));
        }
    }
    let placed_by = match principal {
        Principal::User(u) => format!("user:{}", u.user_id),
        Principal::Staff(s) => format!("staff:{}", s.staff_id),
    };
    let order_id = orders::insert_order(
        conn,
        &uuid::Uuid::new_v4().to_string(),
        client.id,
        &quote.currency.code,
        &placed_by,
        meta.ip.as_deref(),
        &now_s,
    )?;
    let number = numbering::number_at_issue(conn, today)?;
    let invoice_id = invoices::insert(
        conn,
        &invoices::NewInvoice {
            uuid: &uuid::Uuid::new_v4().to_string(),
            client_id: client.id,
            order_id: Some(order_id),
            number: number.as_deref(),
            currency: &quote.currency.code,
            subtotal: quote.subtotal,
            tax_total: quote.tax_total,
            issue_date: &today.to_string(),
            due_date: &today.to_string(),
            seller: &billing::seller_snapshot(brand),
            buyer: &billing::buyer_snapshot(client),
            notes: taxes::invoice_note(quote.tax.as_ref()).unwrap_or(""),
            now: &now_s,
        },
    )?;
    let mut position = 0;
    let order = OrderContext {
        client,
        order_id,
        invoice_id,
        currency: &quote.currency.code,
        promotion: quote.promotion.as_ref(),
        today,
        now: &now_s,
    };
    for line in &quote.lines {
        order_lines::write(conn, &order, line, &mut position)?;
    }
    if let Some(p) = &quote.promotion {
        // Taken in this transaction: two orders cannot both take the last use.
        if !promotion_store::take_use(conn, p.id)? {
            return Err(AppError::invalid("promo_code", "has been used up"));
        }
        promotion_store::record_use(conn, p.id, client.id, order_id, &now_s)?;
    }
    if let Some(t) = quote.tax.as_ref().filter(|_| quote.tax_total > 0) {
        position += 1;
        invoices::insert_item(
            conn,
            invoice_id,
            &Item {
                position,
                kind: "tax".into(),
                description: t.label.clone(),
                service_id: None,
                domain_id: None,
                period_start: None,
                period_end: None,
                quantity: 1,
                unit_amount: quote.tax_total,
                amount: quote.tax_total,
            },
        )?;
    }
    audit::record(
        conn,
        now,
        Event {
            actor: principal.into(),
            action: "order.placed",
            subject: Some(("order", order_id)),
            client_id: Some(client.id),
            ip: meta.ip.as_deref(),
            details: serde_json::json!({ "invoice": number, "total": quote.total_due_today, "currency": quote.currency.code }),
        },
    )?;
    let invoice = invoices::find(conn, &invoice_id.to_string())?.ok_or(AppError::NotFound)?;
    notifications::notify(
        conn,
        client.id,
        "order_placed",
        &format!("Order placed: invoice {}", invoice.display_number()),
        &format!(
            "{} is due. Services start when it is paid.",
            billing::format_money(invoice.total, &quote.currency)
        ),
        &format!("/account/invoices/{}", invoice.id),
        now,
    )?;
    email::queue(
        conn,
        now,
        &client.email,
        &email::OrderConfirmation {
            brand: brand.clone(),
            name: client.display_name(),
            invoice_number: invoice.display_number(),
            total: billing::format_money(invoice.total, &quote.currency),
            link: brand.link("/account/invoices"),
        },
    )?;
    if invoice.total == 0 {
        // Nothing to pay: the invoice is settled and the order goes live.
        invoices::mark_paid(conn, invoice_id, &now_s)?;
        crate::service::services::activation::activate_order(conn, order_id, now, brand)?;
    }
    placed(conn, order_id)
}

/// An order with its invoice, services and currency.
pub struct OrderRecord {
    pub order: Order,
    pub invoice: Option<Invoice>,
    pub services: Vec<Service>,
    pub domains: Vec<Domain>,
    pub currency: Currency,
}

/// The client's orders with their invoices (needs `billing.orders`).
pub fn list(db: &crate::db::Db, principal: &Principal, ident: &str) -> Result<Vec<OrderRecord>> {
    db.read(|c| {
        let access = client_access(c, principal, ident)?;
        access.require(Privilege::BillingOrders)?;
        orders::orders_of(c, access.client.id)?
            .into_iter()
            .map(|o| {
                let invoice = invoices::of_order(c, o.id)?;
                let services = orders::services_of_order(c, o.id)?;
                let domains = domains::of_order(c, o.id)?;
                let currency = billing::currency(c, &o.currency)?;
                Ok(OrderRecord {
                    order: o,
                    invoice,
                    services,
                    domains,
                    currency,
                })
            })
            .collect()
    })
}
