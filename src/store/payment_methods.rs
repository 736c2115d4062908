//! Payment methods (`payment_methods`).

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentMethod {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub enabled: bool,
    pub instructions: String,
    pub fee_percent_milli: i64,
    pub fee_fixed: String,
    pub sort_order: i64,
}

const COLUMNS: &str =
    "id, code, name, enabled, instructions, fee_percent_milli, fee_fixed, sort_order";

fn from_row(r: &Row<'_>) -> rusqlite::Result<PaymentMethod> {
    Ok(PaymentMethod {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        enabled: r.get(3)?,
        instructions: r.get(4)?,
        fee_percent_milli: r.get(5)?,
        fee_fixed: r.get(6)?,
        sort_order: r.get(7)?,
    })
}

/// Every method (or only the enabled ones), in display order.
pub fn list(conn: &Connection, only_enabled: bool) -> rusqlite::Result<Vec<PaymentMethod>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM payment_methods WHERE enabled = 1 OR ?1 = 0
         ORDER BY sort_order, id"
    ))?
    .query_map([only_enabled], from_row)?
    .collect()
}

pub fn find(conn: &Connection, code: &str) -> rusqlite::Result<Option<PaymentMethod>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM payment_methods WHERE code = ?1"
    ))?
    .query_row([code], from_row)
    .optional()
}

pub fn update(conn: &Connection, m: &PaymentMethod, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE payment_methods SET name = ?2, enabled = ?3, instructions = ?4,
            fee_percent_milli = ?5, fee_fixed = ?6, sort_order = ?7, updated_at = ?8
         WHERE code = ?1",
    )?
    .execute(params![
        m.code,
        m.name,
        m.enabled,
        m.instructions,
        m.fee_percent_milli,
        m.fee_fixed,
        m.sort_order,
        now
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bank_transfer_credit_and_the_card_gateways_come_with_the_schema() {
        let conn = crate::db::test_connection();
        let all = list(&conn, false).unwrap();
        let codes: Vec<&str> = all.iter().map(|m| m.code.as_str()).collect();
        assert_eq!(codes, ["bank_transfer", "credit", "stripe", "paystack"]);
        let mut bank = find(&conn, "bank_transfer").unwrap().unwrap();
        bank.enabled = false;
        update(&conn, &bank, "t").unwrap();
        assert_eq!(list(&conn, true).unwrap().len(), 3);
    }
}
