//! Quotes: pricing items from the catalog alone, with the tax and the
//! promotion that apply.

pub use crate::service::sales::order_items::{Charge, ItemRequest, QuoteLine};
use crate::{
    auth::principal::Principal,
    domain::{cycle::BillingCycle, tax},
    error::{AppError, FieldErrors, Result},
    service::{
        access::client_access,
        billing::taxes::{self, AppliedTax},
        sales::order_items::{Problems, Renewer, price_item},
        sales::promotions,
    },
    store::{
        catalog,
        clients::Client,
        currencies::{self, Currency},
        promotions::Promotion,
    },
};
use jiff::Timestamp;
use rusqlite::Connection;
use std::collections::BTreeMap;

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
    let renewer = Renewer {
        client_id: buyer.map(|b| b.id),
        today: crate::domain::time::today(now),
    };
    for (i, item) in items.iter().enumerate() {
        let mut problems = Problems {
            errors: &mut errors,
            item: i,
        };
        let line = price_item(
            conn,
            &mut problems,
            &currency,
            renewer,
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
