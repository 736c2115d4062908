//! Invoicing what is due: the renewal job, and one service renewed ahead.

use crate::domain::time::today;
use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    db::Db,
    error::Result,
    service::{automation, email::Branding},
    store::{automation as store, invoices::Invoice},
};

use super::due::{addons_by_service, due_batch};
use super::issue::issue;
use super::lines::group;
use super::periods::periods_due;

/// Issue every renewal invoice due at `now`: one per period, or one per
/// client and currency when the settings say so; a batch of clients per
/// transaction, so a crash loses nothing committed and a re-run finds the
/// rest. Answers how many invoices were issued.
pub fn invoice_due(db: &Db, brand: &Branding, now: Timestamp) -> Result<u64> {
    let today = today(now);
    let s = db.read(automation::load)?;
    let mut issued = 0;
    let mut after = 0;
    loop {
        let (n, last) = db.write(|tx| {
            let (periods, last) = due_batch(tx, today, &s, after)?;
            let mut n = 0;
            for group in group(periods, s.one_invoice_per_client) {
                issue(tx, brand, &group, &s, now)?;
                n += 1;
            }
            Ok((n, last))
        })?;
        issued += n;
        match last {
            Some(last) => after = last,
            None => break,
        }
    }
    Ok(issued)
}

/// Invoice the next unbilled period of one service now, whatever the
/// invoice date (the client area's "renew now"). Answers the invoice, or
/// `None` when the service has no period to bill (not active or suspended,
/// one-time, or cancelling at period end). The caller checks access.
pub fn renew_now(
    tx: &Connection,
    brand: &Branding,
    service_id: i64,
    now: Timestamp,
) -> Result<Option<Invoice>> {
    let s = automation::load(tx)?;
    let Some(c) = store::candidate_service(tx, service_id)? else {
        return Ok(None);
    };
    let addons = addons_by_service(store::renewing_addons_of_clients(
        tx,
        c.client_id,
        c.client_id,
    )?);
    let of = addons.get(&c.service_id).map_or(&[][..], Vec::as_slice);
    let periods = periods_due(&c, of, today(now), &s, true)?;
    if periods.is_empty() {
        return Ok(None);
    }
    issue(tx, brand, &periods, &s, now).map(Some)
}
