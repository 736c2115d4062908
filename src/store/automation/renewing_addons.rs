//! The addons that renew with their services.

use rusqlite::{Connection, params};

/// An active addon renewing with its service, priced for the service's
/// cycle now (`None`: the addon has no price in that cycle).
#[derive(Debug, Clone)]
pub struct RenewingAddon {
    pub service_id: i64,
    pub name: String,
    pub amount: Option<i64>,
}

/// The renewing addons of the services of clients `first` to `last`.
pub fn renewing_addons_of_clients(
    conn: &Connection,
    first: i64,
    last: i64,
) -> rusqlite::Result<Vec<RenewingAddon>> {
    let mut stmt = conn.prepare_cached(
        "SELECT sa.service_id, a.name,
            CASE WHEN sa.billing_cycle = s.billing_cycle THEN sa.recurring_amount ELSE ap.price END
         FROM service_addons sa
         JOIN services s ON s.id = sa.service_id
         JOIN addons a ON a.id = sa.addon_id
         LEFT JOIN addon_prices ap ON ap.addon_id = sa.addon_id AND ap.currency = s.currency
                                  AND ap.cycle = s.billing_cycle
         WHERE sa.status = 'active' AND sa.billing_cycle <> 'onetime'
           AND s.client_id BETWEEN ?1 AND ?2
         ORDER BY sa.service_id, sa.id",
    )?;
    let rows = stmt.query_map(params![first, last], |r| {
        Ok(RenewingAddon {
            service_id: r.get(0)?,
            name: r.get(1)?,
            amount: r.get(2)?,
        })
    })?;
    rows.collect()
}
