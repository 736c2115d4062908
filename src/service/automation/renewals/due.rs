//! Which renewals are due: one batch of clients, or everything.

use crate::domain::time::today;
use std::collections::HashMap;

use jiff::{Timestamp, civil::Date};
use rusqlite::Connection;
use serde::Serialize;

use crate::{
    domain::cycle::BillingCycle, error::Result, service::automation::AutomationSettings,
    store::automation as store,
};

use super::periods::{horizon, periods_due};

/// Clients per write transaction.
const CLIENTS_PER_BATCH: i64 = 200;

/// One period of a service to invoice.
#[derive(Debug, Clone, Serialize)]
pub struct DueRenewal {
    pub service_id: i64,
    pub client_id: i64,
    pub product: String,
    pub domain: Option<String>,
    pub billing_cycle: BillingCycle,
    pub currency: String,
    /// Minor units.
    pub amount: i64,
    pub period_start: Date,
    pub period_end: Date,
    /// The service's active addons renewing with it: (name, minor units).
    pub addons: Vec<(String, i64)>,
}

impl DueRenewal {
    /// The service and its addons together.
    pub fn total(&self) -> i64 {
        self.amount + self.addons.iter().map(|(_, a)| a).sum::<i64>()
    }
}

/// The addons renewing with each service, by service id. An addon with no
/// price in its service's current cycle (the cycle changed to one the
/// addon is not sold in) cannot be priced, so it is left out and logged.
pub(super) fn addons_by_service(
    addons: Vec<store::RenewingAddon>,
) -> HashMap<i64, Vec<(String, i64)>> {
    let mut by: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
    for a in addons {
        match a.amount {
            Some(amount) => by.entry(a.service_id).or_default().push((a.name, amount)),
            None => tracing::warn!(
                service = a.service_id,
                addon = %a.name,
                "addon has no price in its service's cycle; not renewed"
            ),
        }
    }
    by
}

/// What the next run would invoice, for clients after `after_client`, in
/// batches; answers the periods and the last client looked at.
pub(super) fn due_batch(
    conn: &Connection,
    today: Date,
    s: &AutomationSettings,
    after_client: i64,
) -> Result<(Vec<DueRenewal>, Option<i64>)> {
    let h = horizon(today, s)?;
    let clients = store::candidate_clients(conn, &h, after_client, CLIENTS_PER_BATCH)?;
    let (Some(first), Some(last)) = (clients.first(), clients.last()) else {
        return Ok((Vec::new(), None));
    };
    let addons = addons_by_service(store::renewing_addons_of_clients(conn, *first, *last)?);
    let mut out = Vec::new();
    for c in store::candidates_of_clients(conn, &h, *first, *last)? {
        let of = addons.get(&c.service_id).map_or(&[][..], Vec::as_slice);
        out.extend(periods_due(&c, of, today, s, false)?);
    }
    Ok((out, Some(*last)))
}

/// Every period the renewal run would invoice at `now` (oldest first per
/// service), without writing anything.
pub fn due(conn: &Connection, now: Timestamp, s: &AutomationSettings) -> Result<Vec<DueRenewal>> {
    let today = today(now);
    let mut out = Vec::new();
    let mut after = 0;
    while let (batch, Some(last)) = due_batch(conn, today, s, after)? {
        out.extend(batch);
        after = last;
    }
    Ok(out)
}
