//! What must hold after every step, read straight from the tables: the
//! ledger sums up, money is conserved, nothing is paid twice.

use rusqlite::Connection;
use till::db::Db;

fn one(c: &Connection, sql: &str) -> i64 {
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn rows(c: &Connection, sql: &str) -> Vec<(i64, String)> {
    let mut stmt = c.prepare(sql).unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Every invariant; answers the first that fails, in words.
pub fn check(db: &Db) -> Result<(), String> {
    db.read(|c| Ok(check_on(c)))
        .map_err(|e| format!("reading the ledger: {e}"))?
}

fn check_on(c: &Connection) -> Result<(), String> {
    // The balance is the sum of its ledger and never below zero.
    let balance = one(c, "SELECT credit_balance FROM clients WHERE id = 1");
    let ledger = one(
        c,
        "SELECT COALESCE(SUM(amount), 0) FROM credit_ledger WHERE client_id = 1",
    );
    if balance != ledger || balance < 0 {
        return Err(format!("credit balance {balance}, ledger sum {ledger}"));
    }
    // Every unit that came in is somewhere: as credit, paid back out, or
    // still held by an invoice.
    let paid_in = one(c, "SELECT COALESCE(SUM(amount), 0) FROM payments");
    let cash_out = one(
        c,
        "SELECT COALESCE(SUM(amount), 0) FROM refunds
         WHERE status <> 'failed' AND destination <> 'credit'",
    );
    let held = one(
        c,
        "SELECT COALESCE(SUM(amount_paid + credit_applied - given_back), 0) FROM invoices",
    );
    if paid_in != balance + cash_out + held {
        return Err(format!(
            "money not conserved: paid in {paid_in} <> credit {balance} + refunded {cash_out} + held by invoices {held}"
        ));
    }
    if balance + cash_out > paid_in {
        return Err(format!(
            "credit {balance} + refunded {cash_out} exceed paid in {paid_in}"
        ));
    }
    // An invoice never gives back more than it got, nor takes more than
    // it asks; its payments' applied parts are what it was paid.
    let bad = rows(
        c,
        "SELECT i.id, i.status || ' paid ' || i.amount_paid || ' credit ' || i.credit_applied
                || ' given back ' || i.given_back || ' total ' || i.total
                || ' payments applied ' || COALESCE((SELECT SUM(applied) FROM payments p
                                                     WHERE p.invoice_id = i.id), 0)
         FROM invoices i
         WHERE i.given_back < 0 OR i.given_back > i.amount_paid + i.credit_applied
            OR i.amount_paid + i.credit_applied > i.total
            OR (i.status = 'paid' AND i.amount_paid + i.credit_applied <> i.total)
            OR i.amount_paid <> COALESCE((SELECT SUM(applied) FROM payments p WHERE p.invoice_id = i.id), 0)",
    );
    if let Some((id, what)) = bad.first() {
        return Err(format!("invoice {id}: {what}"));
    }
    // A payment is refunded at most once over, and its refunds add up.
    let bad = rows(
        c,
        "SELECT p.id, 'amount ' || p.amount || ' refunded ' || p.refunded || ' refunds '
                || COALESCE((SELECT SUM(amount) FROM refunds r WHERE r.payment_id = p.id
                               AND r.status <> 'failed'), 0)
         FROM payments p
         WHERE p.refunded > p.amount OR p.applied > p.amount
            OR p.refunded <> COALESCE((SELECT SUM(amount) FROM refunds r WHERE r.payment_id = p.id
                                         AND r.status <> 'failed'), 0)",
    );
    if let Some((id, what)) = bad.first() {
        return Err(format!("payment {id}: {what}"));
    }
    // A period is billed once: no two live lines claim the same start.
    let bad = rows(
        c,
        "SELECT ii.service_id, ii.period_start FROM invoice_items ii
         JOIN invoices i ON i.id = ii.invoice_id
         WHERE ii.kind = 'service' AND ii.period_start IS NOT NULL
           AND i.status IN ('unpaid', 'paid', 'refunded') AND ii.period_outcome IS NOT 'released'
         GROUP BY ii.service_id, ii.period_start HAVING COUNT(*) > 1",
    );
    if let Some((id, start)) = bad.first() {
        return Err(format!(
            "service {id}: the period from {start} is billed twice"
        ));
    }
    // Paid periods do not overlap, and none gives back more than paid it.
    let bad = rows(
        c,
        "SELECT a.service_id, a.period_start || '..' || a.period_end || ' overlaps '
                || b.period_start || '..' || b.period_end
         FROM service_periods a JOIN service_periods b
           ON a.service_id = b.service_id AND a.id < b.id
          AND a.period_start < b.period_end AND b.period_start < a.period_end
          AND a.period_end > a.period_start AND b.period_end > b.period_start",
    );
    if let Some((id, what)) = bad.first() {
        return Err(format!("service {id}: paid period {what}"));
    }
    let bad = rows(
        c,
        "SELECT id, 'fund returned ' || returned || ' of ' || amount FROM service_period_funds
         WHERE returned > amount OR returned < 0",
    );
    if let Some((id, what)) = bad.first() {
        return Err(format!("fund {id}: {what}"));
    }
    Ok(())
}
