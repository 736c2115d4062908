//! Money on an invoice: payments, credit applied, and amounts given back
//! or reopened by refunds.

use rusqlite::{Connection, params};

/// Add a payment to an invoice; marks it paid when nothing is left.
pub fn add_payment(conn: &Connection, id: i64, amount: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE invoices SET amount_paid = amount_paid + ?2,
            status = CASE WHEN credit_applied + amount_paid + ?2 >= total THEN 'paid' ELSE status END,
            paid_at = CASE WHEN credit_applied + amount_paid + ?2 >= total THEN ?3 ELSE paid_at END,
            updated_at = ?3
         WHERE id = ?1",
    )?
    .execute(params![id, amount, now])?;
    Ok(())
}

/// Pay part or all of an invoice from account credit; marks it paid when
/// nothing is left.
pub fn apply_credit(conn: &Connection, id: i64, amount: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE invoices SET credit_applied = credit_applied + ?2,
            status = CASE WHEN credit_applied + amount_paid + ?2 >= total THEN 'paid' ELSE status END,
            paid_at = CASE WHEN credit_applied + amount_paid + ?2 >= total THEN ?3 ELSE paid_at END,
            updated_at = ?3
         WHERE id = ?1",
    )?
    .execute(params![id, amount, now])?;
    Ok(())
}

/// Take `amount` back out of the money an invoice received; false
/// (changing nothing) if it holds less.
pub fn give_back(conn: &Connection, id: i64, amount: i64, now: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE invoices SET given_back = given_back + ?2, updated_at = ?3
             WHERE id = ?1 AND given_back + ?2 <= amount_paid + credit_applied",
        )?
        .execute(params![id, amount, now])?
        == 1)
}

/// Take `amount` off what an unpaid invoice was paid (a refund of part
/// of its payments): its balance due goes up again. False (changing
/// nothing) if it is not unpaid or was paid less.
pub fn reopen(conn: &Connection, id: i64, amount: i64, now: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE invoices SET amount_paid = amount_paid - ?2, updated_at = ?3
             WHERE id = ?1 AND status = 'unpaid' AND amount_paid >= ?2",
        )?
        .execute(params![id, amount, now])?
        == 1)
}

/// Undo `give_back` (a refund the gateway refused).
pub fn undo_give_back(conn: &Connection, id: i64, amount: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE invoices SET given_back = MAX(0, given_back - ?2), updated_at = ?3 WHERE id = ?1",
    )?
    .execute(params![id, amount, now])?;
    Ok(())
}
