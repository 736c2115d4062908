//! An addon's prices.

use rusqlite::{Connection, params};

use crate::store::catalog::Price;

pub fn prices(conn: &Connection, addon_id: i64) -> rusqlite::Result<Vec<Price>> {
    let mut stmt = conn.prepare_cached(
        "SELECT currency, cycle, price, setup_fee FROM addon_prices WHERE addon_id = ?1
         ORDER BY currency,
           CASE cycle WHEN 'onetime' THEN 0 WHEN 'monthly' THEN 1 WHEN 'quarterly' THEN 2
                      WHEN 'semiannually' THEN 3 WHEN 'annually' THEN 4 WHEN 'biennially' THEN 5 ELSE 6 END",
    )?;
    let rows = stmt.query_map([addon_id], |r| {
        Ok(Price {
            currency: r.get(0)?,
            cycle: r.get(1)?,
            price: r.get(2)?,
            setup_fee: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// Replace every price of an addon.
pub fn set_prices(conn: &Connection, addon_id: i64, prices: &[Price]) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM addon_prices WHERE addon_id = ?1")?
        .execute([addon_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO addon_prices (addon_id, currency, cycle, price, setup_fee) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for p in prices {
        insert.execute(params![addon_id, p.currency, p.cycle, p.price, p.setup_fee])?;
    }
    Ok(())
}
