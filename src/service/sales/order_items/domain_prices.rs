//! The domain of an order item: its shape, and a registration or
//! transfer priced from the TLD's prices, with its auth code and
//! registrant fields.

use rusqlite::Connection;

use super::domain_details::{auth_code, registrant_fields};
use super::*;
use crate::{
    error::Result,
    service::catalog::tlds,
    store::{currencies::Currency, domains},
};

pub(crate) fn valid_domain(d: &str) -> bool {
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

/// The domain to register or transfer, priced from its TLD.
pub(super) fn price_domain(
    conn: &Connection,
    p: &mut Problems<'_>,
    currency: &Currency,
    name: &str,
    action: &'static str,
    item: &ItemRequest,
) -> Result<Option<DomainOrder>> {
    let years = i64::from(item.years.unwrap_or(1));
    if !(1..=10).contains(&years) {
        p.add("years", "must be between 1 and 10");
        return Ok(None);
    }
    let Some(tld) = tlds::for_domain(conn, name)? else {
        p.add("domain", "we do not sell domains with this ending");
        return Ok(None);
    };
    let Some(price) = tld.price_for(&currency.code, years) else {
        p.add(
            "years",
            format!(
                "{} is not sold for {years} year(s) in {}",
                tld.tld.tld, currency.code
            ),
        );
        return Ok(None);
    };
    let amount = match action {
        "transfer" => match price.transfer {
            Some(t) => t,
            None => {
                p.add(
                    "domain_option",
                    format!(
                        "transfers of {} are not offered for {years} year(s)",
                        tld.tld.tld
                    ),
                );
                return Ok(None);
            }
        },
        _ => price.register,
    };
    if domains::is_live(conn, name)? {
        p.add("domain", "is already registered or on order here");
        return Ok(None);
    }
    let (Ok(auth_code), Ok(fields)) = (
        auth_code(p, action, item),
        registrant_fields(p, &tld.tld.registrant_fields, item),
    ) else {
        return Ok(None);
    };
    Ok(Some(DomainOrder {
        name: name.to_string(),
        tld: tld.tld.tld.clone(),
        action,
        years,
        price: amount,
        renew: price.renew,
        auth_code,
        fields,
        renewal: None,
    }))
}

pub(super) fn domain_charge(d: &DomainOrder) -> Charge {
    let what = match d.action {
        "transfer" => "Domain transfer",
        "renew" => "Domain renewal",
        _ => "Domain registration",
    };
    let term = if d.years == 1 {
        "1 year".to_string()
    } else {
        format!("{} years", d.years)
    };
    let mut description = format!("{what} {} ({term})", d.name);
    if let Some(r) = &d.renewal {
        let last = r.period_end.yesterday().unwrap_or(r.period_end);
        description = format!("{description} {} to {last}", r.period_start);
    }
    // A renewal's line carries its term (`periodic`); new domains' terms
    // start when the registry says so.
    Charge::new(
        ChargeKind::Domain,
        description,
        1,
        d.price,
        d.renewal.is_some(),
    )
}

pub(super) fn clean_domain(item: &ItemRequest) -> Option<String> {
    item.domain
        .as_deref()
        .map(|d| d.trim().trim_end_matches('.').to_lowercase())
        .filter(|d| !d.is_empty())
}
