//! A paid term reaching the registry: the term a paid line buys (the
//! `renew` task's payload), and what the registrar's answer does.

use jiff::{Span, Timestamp, civil::Date};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::{
    domain::time::stamp,
    error::Result,
    service::{
        audit::{self, Actor, Event},
        domains::notices,
        email::Branding,
    },
    store::{domain_renewals as store, domains::Domain, invoices::Item},
};

/// A paid term: from the expiry it renews, for whole years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub from: Date,
    pub to: Date,
    pub years: i64,
}

/// The term a `domain` line with a period buys (a renewal, or a renewal
/// ahead); `None` for a registration or transfer line, which has none.
pub(crate) fn term_of(line: &Item) -> Option<Term> {
    let from: Date = line.period_start.as_deref()?.parse().ok()?;
    let to: Date = line.period_end.as_deref()?.parse().ok()?;
    let years = (1..=10).find(|y| from.checked_add(Span::new().years(*y)).ok() == Some(to))?;
    Some(Term { from, to, years })
}

/// The registry renewed `domain` for `term`: it expires when the registry
/// says (else at the term's end), is due then, and is active again if it
/// had expired; the client is told. Answers false when the domain is no
/// longer active or expired (transferred away, cancelled by staff).
pub(crate) fn renewed(
    tx: &Connection,
    brand: &Branding,
    domain: &Domain,
    expiry: Option<Timestamp>,
    term: &Term,
    now: Timestamp,
) -> Result<bool> {
    let expiry = match expiry {
        Some(t) => crate::domain::time::today(t),
        None => term.to,
    }
    .to_string();
    if !store::set_renewed(tx, domain.id, &expiry, &stamp(now))? {
        return Ok(false);
    }
    audit::record(
        tx,
        now,
        Event {
            actor: Actor::System,
            action: "domain.renewed",
            subject: Some(("domain", domain.id)),
            client_id: Some(domain.client_id),
            ip: None,
            details: serde_json::json!({
                "from": term.from, "years": term.years, "expiry_date": expiry,
            }),
        },
    )?;
    notices::renewed(tx, brand, domain, &expiry, now)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(start: &str, end: &str) -> Item {
        let mut item = Item::plain(1, "domain", "renewal", 1, 1000);
        item.period_start = Some(start.into());
        item.period_end = Some(end.into());
        item
    }

    #[test]
    fn a_line_s_period_is_a_term_of_whole_years() {
        let t = term_of(&line("2027-03-10", "2029-03-10")).unwrap();
        assert_eq!(t.years, 2);
        // A leap day renews to the 28th, as the calendar adds years.
        assert_eq!(term_of(&line("2028-02-29", "2029-02-28")).unwrap().years, 1);
        assert_eq!(term_of(&line("2027-03-10", "2027-09-10")), None);
        let mut reg = Item::plain(1, "domain", "registration", 1, 1000);
        reg.period_start = None;
        assert_eq!(term_of(&reg), None);
    }
}
