//! Renewing ahead: one of the client's own domains (active or expired)
//! for 1 to 10 more years, priced from its TLD's renew price, never past
//! ten years from today (the registries' limit). The line bills the term
//! from the domain's current expiry; nothing new is registered here (the
//! paid side asks the registrar).

use jiff::{ToSpan, civil::Date};
use rusqlite::Connection;

use super::domain_details::auth_code;
use super::*;
use crate::{
    domain::status::InvoiceStatus,
    error::Result,
    service::catalog::tlds,
    store::{currencies::Currency, domains, invoices},
};

/// Who a renewal is for and when: only a client may renew, and only its
/// own domains.
#[derive(Debug, Clone, Copy)]
pub struct Renewer {
    pub client_id: Option<i64>,
    pub today: Date,
}

/// Most years a domain may be paid ahead of today.
const MAX_YEARS_AHEAD: i16 = 10;

/// The most years (0 to 10) a domain expiring on `expiry` may be renewed
/// for today without expiring more than ten years from today.
pub fn max_renewal_years(expiry: Date, today: Date) -> u32 {
    let limit = today
        .checked_add(MAX_YEARS_AHEAD.years())
        .unwrap_or(Date::MAX);
    (1..=10u32)
        .rev()
        .find(|n| {
            let n = i16::try_from(*n).unwrap_or(i16::MAX);
            expiry.checked_add(n.years()).is_ok_and(|end| end <= limit)
        })
        .unwrap_or(0)
}

/// The renewal of `name` for `item.years`, or `None` with its problems.
pub(super) fn price_renewal(
    conn: &Connection,
    p: &mut Problems<'_>,
    currency: &Currency,
    renewer: Renewer,
    name: &str,
    item: &ItemRequest,
) -> Result<Option<DomainOrder>> {
    let years = item.years.unwrap_or(1);
    if !(1..=10).contains(&years) {
        p.add("years", "must be between 1 and 10");
        return Ok(None);
    }
    if auth_code(p, "renew", item).is_err() {
        return Ok(None);
    }
    if !item.domain_fields.is_empty() {
        p.add("domain_fields", "are not taken for a renewal");
        return Ok(None);
    }
    // Another client's domain and an unknown one read the same: nothing
    // here says whose a name is.
    let domain = match renewer.client_id {
        Some(client) => domains::renewable_of_client(conn, client, name)?,
        None => None,
    };
    let Some(domain) = domain else {
        p.add("domain", "is not one of your domains that can be renewed");
        return Ok(None);
    };
    let Some(start) = domain
        .expiry_date
        .as_deref()
        .and_then(|d| d.get(..10)?.parse::<Date>().ok())
    else {
        p.add(
            "domain",
            "has no expiry date yet; it can be renewed once registered",
        );
        return Ok(None);
    };
    let years_i16 = i16::try_from(years).unwrap_or(i16::MAX);
    let end = start.checked_add(years_i16.years()).unwrap_or(Date::MAX);
    if years > max_renewal_years(start, renewer.today) {
        p.add(
            "years",
            format!(
                "{name} would then expire on {end}, more than {MAX_YEARS_AHEAD} years from today"
            ),
        );
        return Ok(None);
    }
    let priced = tlds::priced_by_name(conn, &domain.tld)?;
    let years = i64::from(years);
    let Some(price) = priced
        .as_ref()
        .and_then(|t| t.price_for(&currency.code, years))
        .and_then(|pr| pr.renew)
    else {
        p.add(
            "years",
            format!(
                "renewals of {} are not sold for {years} year(s) in {}",
                domain.tld, currency.code
            ),
        );
        return Ok(None);
    };
    // A term is billed once (the renewal run's invoice, or an earlier
    // renewal ahead): while unpaid it is paid there; once paid the
    // registrar renews it, and the next term starts from the new expiry.
    if let Some(billed) = invoices::billing_domain_period(conn, domain.id, &start.to_string())? {
        let number = billed.display_number();
        p.add(
            "domain",
            if billed.status == InvoiceStatus::Unpaid {
                format!("already invoiced: pay invoice {number}")
            } else {
                format!(
                    "the term from {start} is already billed on invoice {number}; \
                     renew further once its renewal is done"
                )
            },
        );
        return Ok(None);
    }
    Ok(Some(DomainOrder {
        name: domain.name.clone(),
        tld: domain.tld.clone(),
        action: "renew",
        years,
        price,
        renew: None,
        auth_code: None,
        fields: Default::default(),
        renewal: Some(Renewal {
            domain_id: domain.id,
            period_start: start,
            period_end: end,
        }),
    }))
}
