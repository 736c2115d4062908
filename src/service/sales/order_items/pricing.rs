//! Pricing one order item from the catalog.

use super::addon_prices::price_addons;
use super::domain_prices::valid_domain;
use super::domain_prices::{clean_domain, domain_charge, price_domain};
use super::domain_renewals::{Renewer, price_renewal};
use super::options::price_options;

use rusqlite::Connection;

use crate::{
    domain::cycle::BillingCycle,
    error::Result,
    store::{catalog::Product, currencies::Currency},
};

use super::charge::{Charge, ChargeKind};
use super::problems::Problems;
use super::quote_line::QuoteLine;
use super::requests::ItemRequest;

/// Price one item; `None` (with its problems recorded) when it cannot be.
/// `renewer` is whom a renewal is for (none: no renewals).
pub(crate) fn price_item(
    conn: &Connection,
    p: &mut Problems<'_>,
    currency: &Currency,
    renewer: Renewer,
    item: &ItemRequest,
    find_product: impl Fn(&str) -> Result<Option<Product>>,
    product_price: impl Fn(&Product, BillingCycle) -> Result<Option<(i64, i64)>>,
) -> Result<Option<QuoteLine>> {
    let domain = clean_domain(item);
    let option = item
        .domain_option
        .as_deref()
        .map(|o| o.trim().to_lowercase())
        .filter(|o| !o.is_empty());
    let bad_domain = |p: &mut Problems<'_>, d: &str| {
        let bad = !valid_domain(d);
        if bad {
            p.add("domain", "is not a domain name such as example.com");
        }
        bad
    };
    match item.kind.as_str() {
        "domain" => {
            let action = match option.as_deref() {
                None | Some("register") => "register",
                Some("transfer") => "transfer",
                Some("renew") => "renew",
                Some(_) => {
                    p.add("domain_option", "must be register, transfer or renew");
                    return Ok(None);
                }
            };
            let Some(name) = domain else {
                p.add("domain", "is required");
                return Ok(None);
            };
            if bad_domain(p, &name) {
                return Ok(None);
            }
            let priced = if action == "renew" {
                price_renewal(conn, p, currency, renewer, &name, item)?
            } else {
                price_domain(conn, p, currency, &name, action, item)?
            };
            let Some(d) = priced else {
                return Ok(None);
            };
            Ok(Some(QuoteLine {
                product: None,
                cycle: None,
                domain: Some(name),
                charges: vec![domain_charge(&d)],
                domain_order: Some(d),
                options: Vec::new(),
                addons: Vec::new(),
                discount_recurs: false,
            }))
        }
        "hosting" | "product" | "" => {
            let Some(product) = find_product(item.product.trim())? else {
                p.add("package_id", "no such product");
                return Ok(None);
            };
            let Ok(cycle) = item.billing_cycle.parse::<BillingCycle>() else {
                p.add("billing_cycle", "is not a billing cycle");
                return Ok(None);
            };
            let Some((price, setup)) = product_price(&product, cycle)? else {
                p.add(
                    "billing_cycle",
                    "this product is not sold for this cycle in this currency",
                );
                return Ok(None);
            };
            let action = match option.as_deref() {
                None | Some("existing") | Some("owndomain") => None,
                Some("register") => Some("register"),
                Some("transfer") => Some("transfer"),
                Some(_) => {
                    p.add("domain_option", "must be existing, register or transfer");
                    return Ok(None);
                }
            };
            if action.is_none() && (item.epp_code.is_some() || item.epp_code_sealed.is_some()) {
                p.add("epp_code", "is only for transfers");
            }
            if action.is_none() && !item.domain_fields.is_empty() {
                p.add(
                    "domain_fields",
                    "are only for a domain registered or transferred here",
                );
            }
            match &domain {
                None if product.requires_domain || action.is_some() => {
                    p.add("domain", "this product needs a domain")
                }
                Some(d) => {
                    bad_domain(p, d);
                }
                None => {}
            }
            let periodic = cycle != BillingCycle::Onetime;
            let mut line = QuoteLine {
                charges: vec![
                    Charge::new(
                        ChargeKind::Service,
                        product.name.clone(),
                        1,
                        price,
                        periodic,
                    ),
                    Charge::new(
                        ChargeKind::Setup,
                        format!("Setup fee: {}", product.name),
                        1,
                        setup,
                        false,
                    ),
                ],
                cycle: Some(cycle),
                domain: domain.clone(),
                domain_order: None,
                options: Vec::new(),
                addons: Vec::new(),
                discount_recurs: false,
                product: None,
            };
            price_options(conn, p, currency, item, &product, cycle, &mut line)?;
            price_addons(conn, p, currency, item, &product, cycle, &mut line)?;
            if let (Some(action), Some(name)) =
                (action, domain.as_deref().filter(|d| valid_domain(d)))
                && let Some(d) = price_domain(conn, p, currency, name, action, item)?
            {
                line.charges.push(domain_charge(&d));
                line.domain_order = Some(d);
            }
            line.product = Some(product);
            Ok(Some(line))
        }
        _ => {
            p.add("type", "must be hosting (a catalog product) or domain");
            Ok(None)
        }
    }
}
