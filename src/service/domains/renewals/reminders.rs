//! Reminders before a domain expires: at each of `domain_reminder_days`
//! (30, 7, 1 by default), once per expiry date and threshold. A renewing
//! domain's reminder points at its renewal invoice; one with auto-renew
//! off is told it will lapse. A term already paid (the renewal is on its
//! way to the registrar) needs no reminder. A run that missed a day sends
//! only the nearest threshold, never a burst of stale ones.

use jiff::{Span, Timestamp, civil::Date};
use rusqlite::Connection;

use crate::{
    db::Db,
    domain::time::{stamp, today},
    error::{AppError, Result},
    service::{automation, email::Branding},
    store::{domain_renewals as store, domains, invoices},
};

use super::PER_BATCH;
use crate::service::domains::notices;

/// The threshold due for a domain `days_left` from expiry: the smallest
/// of `thresholds` at or above it.
fn threshold(thresholds: &[u32], days_left: i64) -> Option<u32> {
    thresholds
        .iter()
        .copied()
        .filter(|t| i64::from(*t) >= days_left)
        .min()
}

fn remind_one(
    tx: &Connection,
    brand: &Branding,
    (id, expiry): (i64, String),
    day: Date,
    thresholds: &[u32],
    now: Timestamp,
) -> Result<bool> {
    let expires: Date = expiry
        .parse()
        .map_err(|_| AppError::internal("a stored expiry is not a date"))?;
    let days_left = (expires - day).get_days().into();
    let Some(t) = threshold(thresholds, days_left) else {
        return Ok(false);
    };
    let Some(domain) = domains::find_by_id(tx, id)? else {
        return Ok(false);
    };
    let invoice = match store::term_invoice(tx, id, &expiry)? {
        Some((true, _)) => return Ok(false),
        Some((false, invoice_id)) => invoices::find(tx, &invoice_id.to_string())?,
        None => None,
    };
    if !store::record_reminder(tx, id, &expiry, t, &stamp(now))? {
        return Ok(false);
    }
    notices::expiry_reminder(tx, brand, &domain, days_left, invoice.as_ref(), now)?;
    Ok(true)
}

/// Send the reminders due at `now`; answers how many.
pub fn remind(db: &Db, brand: &Branding, now: Timestamp) -> Result<u64> {
    let s = db.read(automation::load)?;
    let Some(furthest) = s.domain_reminder_days.iter().copied().max() else {
        return Ok(0);
    };
    let day = today(now);
    let until = day
        .checked_add(Span::new().days(i64::from(furthest)))
        .unwrap_or(day)
        .to_string();
    let from = day.to_string();
    let mut sent = 0;
    let mut after = 0;
    loop {
        let (n, last) = db.write(|tx| {
            let batch = store::expiring(tx, &from, &until, after, PER_BATCH)?;
            let last = batch.last().map(|(id, _)| *id);
            let mut n = 0;
            for d in batch {
                n += u64::from(remind_one(tx, brand, d, day, &s.domain_reminder_days, now)?);
            }
            Ok((n, last))
        })?;
        sent += n;
        match last {
            Some(last) => after = last,
            None => return Ok(sent),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::threshold;

    #[test]
    fn the_nearest_threshold_at_or_above_the_days_left_is_due() {
        let t = [30, 7, 1];
        assert_eq!(threshold(&t, 30), Some(30));
        assert_eq!(threshold(&t, 29), Some(30));
        assert_eq!(threshold(&t, 7), Some(7));
        assert_eq!(threshold(&t, 5), Some(7));
        assert_eq!(threshold(&t, 1), Some(1));
        assert_eq!(threshold(&t, 0), Some(1));
        assert_eq!(threshold(&t, 31), None);
    }
}
