//! The `service_periods`, `service_period_funds` and
//! `service_change_periods` tables: what each paid period of a service was
//! paid, and what a plan change does to each period.

use rusqlite::{Connection, OptionalExtension, Row, params};

/// A paid (or waived) period of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub id: i64,
    pub service_id: i64,
    pub period_start: String,
    pub period_end: String,
    pub billing_cycle: String,
    /// What the plan it is on sells for in its cycle.
    pub plan_price: i64,
}

const COLUMNS: &str = "id, service_id, period_start, period_end, billing_cycle, plan_price";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Period> {
    Ok(Period {
        id: r.get(0)?,
        service_id: r.get(1)?,
        period_start: r.get(2)?,
        period_end: r.get(3)?,
        billing_cycle: r.get(4)?,
        plan_price: r.get(5)?,
    })
}

pub struct NewPeriod<'a> {
    pub service_id: i64,
    pub period_start: &'a str,
    pub period_end: &'a str,
    pub billing_cycle: &'a str,
    pub plan_price: i64,
    pub now: &'a str,
}

/// Record a period; answers its id and whether it is new (a period is
/// recorded once, however often its payment is seen).
pub fn insert(conn: &Connection, p: &NewPeriod<'_>) -> rusqlite::Result<(i64, bool)> {
    let new: Option<i64> = conn
        .prepare_cached(
            "INSERT INTO service_periods (service_id, period_start, period_end, billing_cycle,
                 plan_price, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
             ON CONFLICT (service_id, period_start, period_end) WHERE period_end > period_start
             DO NOTHING RETURNING id",
        )?
        .query_row(
            params![
                p.service_id,
                p.period_start,
                p.period_end,
                p.billing_cycle,
                p.plan_price,
                p.now
            ],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = new {
        return Ok((id, true));
    }
    let id = conn
        .prepare_cached(
            "SELECT id FROM service_periods
             WHERE service_id = ?1 AND period_start = ?2 AND period_end = ?3
               AND period_end > period_start",
        )?
        .query_row(params![p.service_id, p.period_start, p.period_end], |r| {
            r.get(0)
        })?;
    Ok((id, false))
}

pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Period>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM service_periods WHERE id = ?1"
    ))?
    .query_row([id], from_row)
    .optional()
}

/// The period of a service that `today` falls in (the latest, if a cut
/// left two).
pub fn covering(
    conn: &Connection,
    service_id: i64,
    today: &str,
) -> rusqlite::Result<Option<Period>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM service_periods
         WHERE service_id = ?1 AND period_start <= ?2 AND period_end > ?2
         ORDER BY period_start DESC LIMIT 1"
    ))?
    .query_row(params![service_id, today], from_row)
    .optional()
}

/// The paid periods of a service starting on or after `from`, oldest first.
pub fn from(conn: &Connection, service_id: i64, from: &str) -> rusqlite::Result<Vec<Period>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM service_periods
         WHERE service_id = ?1 AND period_start >= ?2 AND period_end > period_start
         ORDER BY period_start"
    ))?;
    let rows = stmt.query_map(params![service_id, from], from_row)?;
    rows.collect()
}

pub fn set_plan_price(
    conn: &Connection,
    id: i64,
    plan_price: i64,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE service_periods SET plan_price = ?2, updated_at = ?3 WHERE id = ?1",
    )?
    .execute(params![id, plan_price, now])?;
    Ok(())
}

/// End a period early (a cycle change that starts now).
pub fn cut(conn: &Connection, id: i64, end: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE service_periods SET period_end = MAX(period_start, ?2), updated_at = ?3 WHERE id = ?1",
    )?
    .execute(params![id, end, now])?;
    Ok(())
}

/// Money that paid for a period, with what its invoice still holds.
#[derive(Debug, Clone)]
pub struct Fund {
    pub id: i64,
    pub invoice_id: i64,
    pub amount: i64,
    pub returned: i64,
    /// What the fund's invoice still holds of the money it received
    /// (`amount_paid + credit_applied - given_back`).
    pub invoice_holds: i64,
}

impl Fund {
    /// What can still be given back of it: never more than it has left,
    /// nor than its invoice still holds (a refund may have emptied it).
    pub fn left(&self) -> i64 {
        (self.amount - self.returned).min(self.invoice_holds).max(0)
    }
}

/// A period's funds, newest first (the last money in goes back first).
pub fn funds(conn: &Connection, period_id: i64) -> rusqlite::Result<Vec<Fund>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.id, f.invoice_id, f.amount, f.returned,
                i.amount_paid + i.credit_applied - i.given_back
         FROM service_period_funds f JOIN invoices i ON i.id = f.invoice_id
         WHERE f.period_id = ?1 ORDER BY f.id DESC",
    )?;
    let rows = stmt.query_map([period_id], |r| {
        Ok(Fund {
            id: r.get(0)?,
            invoice_id: r.get(1)?,
            amount: r.get(2)?,
            returned: r.get(3)?,
            invoice_holds: r.get(4)?,
        })
    })?;
    rows.collect()
}

pub fn add_fund(
    conn: &Connection,
    period_id: i64,
    invoice_id: i64,
    amount: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO service_period_funds (period_id, invoice_id, amount) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![period_id, invoice_id, amount])?;
    Ok(())
}

/// Give back `amount` of a fund; false (changing nothing) if it has less
/// left.
pub fn return_from_fund(conn: &Connection, fund_id: i64, amount: i64) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE service_period_funds SET returned = returned + ?2
             WHERE id = ?1 AND returned + ?2 <= amount",
        )?
        .execute(params![fund_id, amount])?
        == 1)
}

/// What a plan change does to one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangePart {
    pub period_id: i64,
    /// Charged (> 0) or credited (< 0) for it.
    pub amount: i64,
    /// The plan price the period moves to.
    pub plan_price: i64,
}

pub fn insert_change_part(
    conn: &Connection,
    change_id: i64,
    part: &ChangePart,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO service_change_periods (change_id, period_id, amount, plan_price)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        change_id,
        part.period_id,
        part.amount,
        part.plan_price
    ])?;
    Ok(())
}

pub fn change_parts(conn: &Connection, change_id: i64) -> rusqlite::Result<Vec<ChangePart>> {
    let mut stmt = conn.prepare_cached(
        "SELECT period_id, amount, plan_price FROM service_change_periods
         WHERE change_id = ?1 ORDER BY period_id",
    )?;
    let rows = stmt.query_map([change_id], |r| {
        Ok(ChangePart {
            period_id: r.get(0)?,
            amount: r.get(1)?,
            plan_price: r.get(2)?,
        })
    })?;
    rows.collect()
}

/// A renewal line of an invoice: one period of a service.
#[derive(Debug, Clone)]
pub struct RenewalLine {
    pub service_id: i64,
    pub period_start: String,
    pub period_end: String,
    /// The line's net amount.
    pub amount: i64,
    /// Waived by staff when its invoice was cancelled.
    pub waived: bool,
    /// The service's cycle and renewal price now.
    pub service_cycle: String,
    pub service_recurring: i64,
}

/// The periods an invoice bills (not released).
pub fn renewal_lines(conn: &Connection, invoice_id: i64) -> rusqlite::Result<Vec<RenewalLine>> {
    let mut stmt = conn.prepare_cached(
        "SELECT ii.service_id, ii.period_start, ii.period_end, ii.amount,
                ii.period_outcome IS 'waived', s.billing_cycle, s.recurring_amount
         FROM invoice_items ii JOIN services s ON s.id = ii.service_id
         WHERE ii.invoice_id = ?1 AND ii.kind = 'service' AND ii.period_start IS NOT NULL
           AND ii.period_end IS NOT NULL AND ii.period_outcome IS NOT 'released'
         ORDER BY ii.position",
    )?;
    let rows = stmt.query_map([invoice_id], |r| {
        Ok(RenewalLine {
            service_id: r.get(0)?,
            period_start: r.get(1)?,
            period_end: r.get(2)?,
            amount: r.get(3)?,
            waived: r.get(4)?,
            service_cycle: r.get(5)?,
            service_recurring: r.get(6)?,
        })
    })?;
    rows.collect()
}

/// What an order's invoice charged for a service's first period, from its
/// lines (for services ordered before the amount was kept on the service):
/// the service and option lines less its promotion, never below zero.
pub fn first_charge_on(
    conn: &Connection,
    invoice_id: i64,
    service_id: i64,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "SELECT MAX(0, COALESCE(SUM(amount), 0)) FROM invoice_items
         WHERE invoice_id = ?1 AND service_id = ?2 AND kind IN ('service', 'option', 'discount')",
    )?
    .query_row(params![invoice_id, service_id], |r| r.get(0))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use rusqlite::Connection;

    use crate::db::migrations::{self, MIGRATIONS};

    const T: &str = "2026-01-01T00:00:00Z";

    fn one(c: &Connection, sql: &str) -> i64 {
        c.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    /// An install from before 0017: a paid renewal with a promotion, an
    /// overpaid invoice paid in two payments, a cancelled part-paid one,
    /// a paid add-funds invoice; then the migration.
    #[test]
    fn existing_installs_get_their_paid_periods_and_payment_parts() {
        let mut c = Connection::open_in_memory().unwrap();
        migrations::apply(&mut c, &MIGRATIONS[..16]).unwrap();
        c.execute_batch(&format!(
            "INSERT INTO clients (id, uuid, first_name, last_name, email, currency_code, created_at, updated_at)
                 VALUES (1, 'c', 'A', 'B', 'a@b.c', 'USD', '{T}', '{T}');
             INSERT INTO product_groups (id, uuid, name, slug, created_at, updated_at)
                 VALUES (1, 'g', 'G', 'g', '{T}', '{T}');
             INSERT INTO products (id, uuid, group_id, kind, name, slug, created_at, updated_at)
                 VALUES (1, 'p', 1, 'hosting', 'P', 'p', '{T}', '{T}');
             INSERT INTO services (id, uuid, client_id, product_id, status, billing_cycle, currency,
                     recurring_amount, registration_date, next_due_date, created_at, updated_at)
                 VALUES (1, 's', 1, 1, 'active', 'monthly', 'USD', 1000, '2026-01-01', '2026-03-01', '{T}', '{T}');
             INSERT INTO invoices (id, uuid, client_id, status, currency, subtotal, total, amount_paid,
                     issue_date, due_date, seller, buyer, created_at, updated_at)
                 VALUES (1, 'i1', 1, 'paid', 'USD', 800, 800, 800, '2026-02-01', '2026-02-01', '{{}}', '{{}}', '{T}', '{T}'),
                        (2, 'i2', 1, 'cancelled', 'USD', 500, 500, 300, '2026-02-01', '2026-02-01', '{{}}', '{{}}', '{T}', '{T}'),
                        (3, 'i3', 1, 'paid', 'USD', 2000, 2000, 2000, '2026-02-01', '2026-02-01', '{{}}', '{{}}', '{T}', '{T}');
             INSERT INTO invoice_items (invoice_id, position, kind, description, service_id, period_start,
                     period_end, quantity, unit_amount, amount)
                 VALUES (1, 1, 'service', 'P', 1, '2026-02-01', '2026-03-01', 1, 1000, 1000),
                        (1, 2, 'discount', 'Promo', 1, NULL, NULL, 1, -200, -200),
                        (2, 1, 'manual', 'X', NULL, NULL, NULL, 1, 500, 500),
                        (3, 1, 'credit', 'Add funds', NULL, NULL, NULL, 1, 2000, 2000);
             INSERT INTO payments (id, uuid, client_id, invoice_id, gateway, amount, currency, transaction_id,
                     recorded_by, created_at)
                 VALUES (1, 'p1', 1, 1, 'bank', 500, 'USD', 't1', 'staff:1', '{T}'),
                        (2, 'p2', 1, 1, 'bank', 900, 'USD', 't2', 'staff:1', '{T}'),
                        (3, 'p3', 1, 2, 'bank', 300, 'USD', 't3', 'staff:1', '{T}'),
                        (4, 'p4', 1, 3, 'bank', 2000, 'USD', 't4', 'staff:1', '{T}');"
        ))
        .unwrap();
        migrations::apply(&mut c, MIGRATIONS).unwrap();

        // 500 then 300 of the second payment went on the 800 invoice.
        assert_eq!(one(&c, "SELECT applied FROM payments WHERE id = 1"), 500);
        assert_eq!(one(&c, "SELECT applied FROM payments WHERE id = 2"), 300);
        assert_eq!(one(&c, "SELECT applied FROM payments WHERE id = 3"), 300);
        // The cancelled and the add-funds invoices hold nothing any more.
        assert_eq!(one(&c, "SELECT given_back FROM invoices WHERE id = 1"), 0);
        assert_eq!(one(&c, "SELECT given_back FROM invoices WHERE id = 2"), 300);
        assert_eq!(
            one(&c, "SELECT given_back FROM invoices WHERE id = 3"),
            2000
        );
        // The paid period, funded by its line less the promotion.
        assert_eq!(
            one(
                &c,
                "SELECT COUNT(*) FROM service_periods WHERE service_id = 1 AND period_start = '2026-02-01' AND period_end = '2026-03-01' AND billing_cycle = 'monthly'"
            ),
            1
        );
        assert_eq!(
            one(
                &c,
                "SELECT amount FROM service_period_funds WHERE invoice_id = 1"
            ),
            800
        );
    }
}
