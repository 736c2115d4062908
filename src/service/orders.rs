//! Quotes and invoice-first orders.
//!
//! Every price comes from the catalog: callers name products and cycles,
//! never amounts. An order, its unpaid invoice (with a gapless number) and
//! its pending services are written in one transaction together with the
//! idempotency key's stored response, so a retried request replays the
//! first answer and can never make a second order.

use std::collections::BTreeMap;

use jiff::{Timestamp, civil::Date, tz::TimeZone};
use rusqlite::Connection;

use crate::{
    auth::{
        principal::{Principal, RequestMeta},
        secrets,
    },
    config::Config,
    domain::{
        cycle::{self, BillingCycle},
        privileges::Privilege,
        tax,
        time::stamp,
    },
    error::{AppError, FieldErrors, Result},
    service::{
        access::client_access,
        audit::{self, Event},
        billing,
        email::{self, Branding},
        numbering, promotions,
        taxes::{self, AppliedTax},
    },
    store::{
        carts,
        catalog::{self, Product},
        clients::Client,
        currencies::{self, Currency},
        invoices::{self, Invoice, Item},
        orders::{self, Order, Service},
        payments,
        promotions::{self as promotion_store, Promotion},
    },
};

/// One thing asked for (reference 000's order item).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ItemRequest {
    /// `hosting` (any catalog product); domains are not sold yet.
    pub kind: String,
    pub product: String,
    pub billing_cycle: String,
    pub domain: Option<String>,
}

/// A priced line of a quote.
#[derive(Debug, Clone)]
pub struct QuoteLine {
    pub product: Product,
    pub cycle: BillingCycle,
    pub domain: Option<String>,
    pub price: i64,
    pub setup_fee: i64,
    /// What a promotion takes off: price part + setup part.
    pub discount: i64,
    pub price_discount: i64,
    pub setup_discount: i64,
    /// The promotion also lowers the renewal price.
    pub discount_recurs: bool,
    /// This line's share of the quote's tax (price part + setup part).
    pub tax: i64,
    pub price_tax: i64,
    pub setup_tax: i64,
    /// The catalog prices include the tax.
    pub tax_included: bool,
}

impl QuoteLine {
    pub fn due_today(&self) -> i64 {
        let listed = self.price + self.setup_fee - self.discount;
        if self.tax_included {
            listed
        } else {
            listed + self.tax
        }
    }

    /// The service line of the invoice. With exclusive prices it is the
    /// catalog price and the discount is a line of its own; with inclusive
    /// prices it is the net after discount and tax (the tax line holds the
    /// rest), so the lines always add up to the total.
    pub fn net_price(&self) -> i64 {
        if self.tax_included {
            self.price - self.price_discount - self.price_tax
        } else {
            self.price
        }
    }

    pub fn net_setup_fee(&self) -> i64 {
        if self.tax_included {
            self.setup_fee - self.setup_discount - self.setup_tax
        } else {
            self.setup_fee
        }
    }

    /// The discount line of the invoice (folded into the lines above with
    /// inclusive prices).
    pub fn discount_line(&self) -> i64 {
        if self.tax_included { 0 } else { self.discount }
    }

    /// What the service renews at.
    pub fn recurring_price(&self) -> i64 {
        if self.discount_recurs {
            self.price - self.price_discount
        } else {
            self.price
        }
    }
}

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
    /// What recurs, per cycle.
    pub recurring: BTreeMap<BillingCycle, i64>,
}

pub const MAX_ITEMS: usize = 20;

fn valid_domain(d: &str) -> bool {
    let labels: Vec<&str> = d.split('.').collect();
    d.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.bytes().any(|b| b.is_ascii_lowercase()))
}

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
    let mut add = |f: String, m: &str| errors.entry(f).or_default().push(m.to_string());
    if items.is_empty() || items.len() > MAX_ITEMS {
        add("items".into(), "give between 1 and 20 items");
    }
    let mut lines = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = |f: &str| format!("items.{i}.{f}");
        if !matches!(item.kind.as_str(), "hosting" | "product" | "") {
            add(
                field("type"),
                "only hosting and other catalog products can be ordered; domain registration is not available",
            );
            continue;
        }
        let Some(product) =
            catalog::find_product(conn, item.product.trim())?.filter(|p| p.status != "retired")
        else {
            add(field("package_id"), "no such product");
            continue;
        };
        let Ok(cycle) = item.billing_cycle.parse::<BillingCycle>() else {
            add(field("billing_cycle"), "is not a billing cycle");
            continue;
        };
        let prices = catalog::prices(conn, product.id)?;
        let Some(price) = prices
            .iter()
            .find(|p| p.currency == currency.code && p.cycle == cycle.as_str())
        else {
            add(
                field("billing_cycle"),
                "this product is not sold for this cycle in this currency",
            );
            continue;
        };
        let domain = item
            .domain
            .as_deref()
            .map(|d| d.trim().trim_end_matches('.').to_lowercase())
            .filter(|d| !d.is_empty());
        match &domain {
            None if product.requires_domain => add(field("domain"), "this product needs a domain"),
            Some(d) if !valid_domain(d) => {
                add(field("domain"), "is not a domain name such as example.com")
            }
            _ => {}
        }
        lines.push(QuoteLine {
            product,
            cycle,
            domain,
            price: price.price,
            setup_fee: price.setup_fee,
            discount: 0,
            price_discount: 0,
            setup_discount: 0,
            discount_recurs: false,
            tax: 0,
            price_tax: 0,
            setup_tax: 0,
            tax_included: false,
        });
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
            if promotions::covers(p, line.product.id, line.cycle) {
                covered = true;
                let (off_price, off_setup) =
                    promotions::discount_for(p, line.price, line.setup_fee);
                line.price_discount = off_price;
                line.setup_discount = off_setup;
                line.discount = off_price + off_setup;
                line.discount_recurs = p.recurring;
            }
        }
        if !covered {
            return Err(AppError::invalid(
                "promo_code",
                "does not apply to anything in this order",
            ));
        }
    }
    let applied = taxes::applied_for(conn, buyer)?;
    // Each line charges its price and its setup fee; tax is computed once
    // on their sum, then shared out over them for display.
    let charges: Vec<i64> = lines
        .iter()
        .flat_map(|l| [l.price - l.price_discount, l.setup_fee - l.setup_discount])
        .collect();
    let listed: i64 = charges.iter().sum();
    let (subtotal, tax_total) = match &applied {
        Some(t) if t.inclusive => tax::inclusive_split(listed, t.rate_milli),
        Some(t) => (listed, tax::exclusive_tax(listed, t.rate_milli)),
        None => (listed, 0),
    };
    let shares = tax::allocate(tax_total, &charges);
    let inclusive = applied.as_ref().is_some_and(|t| t.inclusive);
    for (i, line) in lines.iter_mut().enumerate() {
        line.price_tax = shares[2 * i];
        line.setup_tax = shares[2 * i + 1];
        line.tax = line.price_tax + line.setup_tax;
        line.tax_included = inclusive;
    }
    let mut recurring = BTreeMap::new();
    for l in lines.iter().filter(|l| l.cycle != BillingCycle::Onetime) {
        *recurring.entry(l.cycle).or_insert(0) += l.recurring_price();
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
    pub currency: Currency,
}

pub struct PlaceOrder {
    pub items: Vec<ItemRequest>,
    pub promo_code: Option<String>,
    pub idempotency_key: String,
    /// A digest of the request body: the same key with another body is refused.
    pub request_hash: String,
    /// The cart this order checks out (marked ordered in the same transaction).
    pub cart_id: Option<i64>,
}

/// Renders the response to store with the idempotency key: `(status, body)`.
pub type Render<'a> = &'a dyn Fn(&PlacedOrder) -> Result<(u16, String)>;

/// Place an order for a client (needs `billing.orders`). Answers the
/// response to send: the fresh one, or the stored one for a repeated key.
#[allow(clippy::too_many_arguments)]
pub fn place(
    db: &crate::db::Db,
    config: &Config,
    principal: &Principal,
    ident: &str,
    input: PlaceOrder,
    meta: &RequestMeta,
    now: Timestamp,
    render: Render<'_>,
) -> Result<(u16, String)> {
    let key = input.idempotency_key.trim().to_string();
    if key.is_empty() || key.len() > 160 {
        return Err(AppError::invalid(
            "Idempotency-Key",
            "send a header of 1 to 160 characters",
        ));
    }
    let brand = Branding::from_config(config);
    db.write(|tx| {
        let access = client_access(tx, principal, ident)?;
        access.require_change(Privilege::BillingOrders)?;
        let scope = format!("order:{}", access.client.id);
        if let Some(stored) = payments::find_key(tx, &scope, &key)? {
            if !secrets::equal(&stored.request_hash, &input.request_hash) {
                return Err(AppError::invalid(
                    "Idempotency-Key",
                    "was already used for a different request; use a new key",
                ));
            }
            return Ok((stored.status, stored.response));
        }
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
        let (status, body) = render(&placed)?;
        payments::store_key(
            tx,
            &scope,
            &key,
            &input.request_hash,
            status,
            &body,
            &stamp(now),
        )?;
        Ok((status, body))
    })
}

/// Today in UTC; dates on invoices and services are UTC dates.
pub fn today(now: Timestamp) -> Date {
    now.to_zoned(TimeZone::UTC).date()
}

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
    for line in &quote.lines {
        if !orders::take_stock(conn, line.product.id)? {
            return Err(AppError::Conflict(format!(
                "{} is out of stock",
                line.product.name
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
            notes: if quote.tax.as_ref().is_some_and(|t| t.reverse_charge) {
                taxes::REVERSE_CHARGE_NOTE
            } else {
                ""
            },
            now: &now_s,
        },
    )?;
    let mut position = 0;
    for line in &quote.lines {
        let service_id = orders::insert_service(
            conn,
            &orders::NewService {
                uuid: &uuid::Uuid::new_v4().to_string(),
                client_id: client.id,
                order_id,
                product_id: line.product.id,
                billing_cycle: line.cycle.as_str(),
                currency: &quote.currency.code,
                recurring_amount: if line.cycle == BillingCycle::Onetime {
                    0
                } else {
                    line.recurring_price()
                },
                domain: line.domain.as_deref(),
                now: &now_s,
            },
        )?;
        let period = cycle::period(today, line.cycle, 0);
        let describe = |what: &str| match (&line.domain, period) {
            (Some(d), Some((s, e))) => {
                format!("{what} ({d}) {s} to {}", e.yesterday().unwrap_or(e))
            }
            (None, Some((s, e))) => format!("{what} {s} to {}", e.yesterday().unwrap_or(e)),
            (Some(d), None) => format!("{what} ({d})"),
            (None, None) => what.to_string(),
        };
        position += 1;
        invoices::insert_item(
            conn,
            invoice_id,
            &Item {
                position,
                kind: "service".into(),
                description: describe(&format!("{} - {}", line.product.name, line.cycle.label())),
                service_id: Some(service_id),
                period_start: period.map(|p| p.0.to_string()),
                period_end: period.map(|p| p.1.to_string()),
                quantity: 1,
                unit_amount: line.net_price(),
                amount: line.net_price(),
            },
        )?;
        if line.setup_fee > 0 {
            position += 1;
            invoices::insert_item(
                conn,
                invoice_id,
                &Item {
                    position,
                    kind: "setup".into(),
                    description: format!("Setup fee: {}", line.product.name),
                    service_id: Some(service_id),
                    period_start: None,
                    period_end: None,
                    quantity: 1,
                    unit_amount: line.net_setup_fee(),
                    amount: line.net_setup_fee(),
                },
            )?;
        }
        if let Some(p) = quote
            .promotion
            .as_ref()
            .filter(|_| line.discount_line() > 0)
        {
            position += 1;
            invoices::insert_item(
                conn,
                invoice_id,
                &Item {
                    position,
                    kind: "discount".into(),
                    description: format!("Promotion {}: {}", p.code, line.product.name),
                    service_id: Some(service_id),
                    period_start: None,
                    period_end: None,
                    quantity: 1,
                    unit_amount: -line.discount_line(),
                    amount: -line.discount_line(),
                },
            )?;
        }
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
        billing::activate_order(conn, order_id, now, brand)?;
    }
    Ok(PlacedOrder {
        order: orders::find_order(conn, order_id)?.ok_or(AppError::NotFound)?,
        invoice: invoices::find(conn, &invoice_id.to_string())?.ok_or(AppError::NotFound)?,
        items: invoices::items(conn, invoice_id)?,
        services: orders::services_of_order(conn, order_id)?,
        currency: quote.currency.clone(),
    })
}

/// An order with its invoice, services and currency.
pub struct OrderRecord {
    pub order: Order,
    pub invoice: Option<Invoice>,
    pub services: Vec<Service>,
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
                let currency = billing::currency(c, &o.currency)?;
                Ok(OrderRecord {
                    order: o,
                    invoice,
                    services,
                    currency,
                })
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_checked_for_shape() {
        for good in ["example.com", "a-b.co.uk", "xn--bcher-kva.example"] {
            assert!(valid_domain(good), "{good}");
        }
        for bad in [
            "example",
            "-a.com",
            "a..com",
            "exa mple.com",
            "a.123",
            "Example.com",
        ] {
            assert!(!valid_domain(bad), "{bad}");
        }
    }
}
