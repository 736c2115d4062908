//! Invoicing a domain's next term, and cancelling it when the customer
//! stops the renewal.

use jiff::{Span, Timestamp, civil::Date};
use rusqlite::Connection;

use crate::{
    auth::principal::RequestMeta,
    db::Db,
    domain::time::today,
    error::{AppError, Result},
    service::{
        audit::Actor,
        automation::{self, AutomationSettings, renewals::RenewalLine},
        billing::cancel_core,
        email::Branding,
    },
    store::{
        domain_renewals::{self as store, RenewingDomain},
        invoices,
    },
};

use super::PER_BATCH;

fn parse_day(text: &str) -> Result<Date> {
    text.parse()
        .map_err(|_| AppError::internal(format!("a stored date is not a date: {text}")))
}

/// The line billing `d`'s next term: from its expiry, for its term.
fn line(d: &RenewingDomain) -> Result<RenewalLine> {
    let start = parse_day(&d.expiry_date)?;
    let end = start
        .checked_add(Span::new().years(d.years))
        .map_err(|_| AppError::internal("a domain term runs past the calendar"))?;
    let term = if d.years == 1 {
        "1 year".to_string()
    } else {
        format!("{} years", d.years)
    };
    let last = end.yesterday().unwrap_or(end);
    Ok(RenewalLine {
        kind: "domain",
        description: format!("Domain renewal {} ({term}) {start} to {last}", d.name),
        service_id: None,
        domain_id: Some(d.id),
        period_start: start,
        period_end: end,
        amount: d.amount,
    })
}

/// Group `domains` into invoices: one each, or one per client and currency
/// when the settings say so.
fn invoices_of(domains: Vec<RenewingDomain>, per_client: bool) -> Vec<Vec<RenewingDomain>> {
    if !per_client {
        return domains.into_iter().map(|d| vec![d]).collect();
    }
    let mut by: std::collections::BTreeMap<(i64, String), Vec<RenewingDomain>> = Default::default();
    for d in domains {
        by.entry((d.client_id, d.currency.clone()))
            .or_default()
            .push(d);
    }
    by.into_values().collect()
}

fn issue_batch(
    tx: &Connection,
    brand: &Branding,
    batch: Vec<RenewingDomain>,
    s: &AutomationSettings,
    now: Timestamp,
) -> Result<u64> {
    let mut issued = 0;
    for group in invoices_of(batch, s.one_invoice_per_client) {
        let lines = group.iter().map(line).collect::<Result<Vec<_>>>()?;
        let Some(first) = group.first() else { continue };
        automation::renewals::issue_lines(
            tx,
            brand,
            first.client_id,
            &first.currency,
            &lines,
            s,
            now,
        )?;
        issued += 1;
    }
    Ok(issued)
}

/// The day window a run at `now` invoices: expiries from today to
/// `domain_invoice_days_before` days on.
fn window(now: Timestamp, s: &AutomationSettings) -> (String, String) {
    let day = today(now);
    let until = day
        .checked_add(Span::new().days(i64::from(s.domain_invoice_days_before)))
        .unwrap_or(day);
    (day.to_string(), until.to_string())
}

/// Every domain term a run at `now` would invoice, writing nothing (`till
/// jobs preview`).
pub fn due(db: &Db, now: Timestamp) -> Result<Vec<RenewingDomain>> {
    db.read(|c| {
        let s = automation::load(c)?;
        let (from, until) = window(now, &s);
        let mut out = Vec::new();
        let mut after = 0;
        loop {
            let batch = store::due_for_invoice(c, &from, &until, after, PER_BATCH)?;
            let Some(last) = batch.last().map(|d| d.id) else {
                return Ok(out);
            };
            out.extend(batch);
            after = last;
        }
    })
}

/// Invoice every domain term due at `now`, a batch of domains per
/// transaction (a crash loses nothing committed; a re-run finds the rest,
/// and a term is billed once). Answers how many invoices were issued.
pub fn invoice_due(db: &Db, brand: &Branding, now: Timestamp) -> Result<u64> {
    let s = db.read(automation::load)?;
    let (from, until) = window(now, &s);
    let mut issued = 0;
    let mut after = 0;
    loop {
        let (n, last) = db.write(|tx| {
            let batch = store::due_for_invoice(tx, &from, &until, after, PER_BATCH)?;
            let last = batch.last().map(|d| d.id);
            Ok((issue_batch(tx, brand, batch, &s, now)?, last))
        })?;
        issued += n;
        match last {
            Some(last) => after = last,
            None => return Ok(issued),
        }
    }
}

/// The customer stopped renewing `domain_id`: its unpaid renewal invoices
/// that bill nothing else are cancelled (their terms released), so nobody
/// is chased for a term they will not have. Answers how many.
pub(crate) fn cancel_open_renewals(
    tx: &Connection,
    domain_id: i64,
    actor: Actor,
    now: Timestamp,
) -> Result<usize> {
    let ids = store::unpaid_renewals_only_of(tx, domain_id)?;
    for id in &ids {
        let invoice = invoices::find(tx, &id.to_string())?.ok_or(AppError::NotFound)?;
        cancel_core(
            tx,
            &invoice,
            actor,
            &RequestMeta::default(),
            now,
            "the domain's renewal was stopped",
        )?;
    }
    Ok(ids.len())
}
