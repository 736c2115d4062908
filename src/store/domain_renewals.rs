//! What domain renewals read and write: the terms due for an invoice, the
//! terms billed and paid, expiry, and the reminders sent.

use rusqlite::{Connection, OptionalExtension, params};

/// An active, auto-renewing domain whose next term is not billed yet.
#[derive(Debug, Clone)]
pub struct RenewingDomain {
    pub id: i64,
    pub client_id: i64,
    pub name: String,
    pub years: i64,
    pub currency: String,
    /// The renewal price of `years`, minor units.
    pub amount: i64,
    pub expiry_date: String,
}

/// Domains (id after `after`, at most `limit`) expiring from `from` to
/// `until` whose term from that expiry has no live invoice line: what the
/// renewal run invoices. An expired domain is not invoiced afresh (the
/// customer renews it with an order, if the registry still allows).
pub fn due_for_invoice(
    conn: &Connection,
    from: &str,
    until: &str,
    after: i64,
    limit: i64,
) -> rusqlite::Result<Vec<RenewingDomain>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.client_id, d.name, d.years, d.currency, d.recurring_amount, d.expiry_date
         FROM domains d
         WHERE d.status = 'active' AND d.auto_renew = 1 AND d.recurring_amount IS NOT NULL
           AND d.expiry_date >= ?1 AND d.expiry_date <= ?2 AND d.id > ?3
           AND NOT EXISTS (SELECT 1 FROM invoice_items ii
                           WHERE ii.domain_id = d.id AND ii.kind = 'domain'
                             AND ii.period_start = d.expiry_date
                             AND ii.period_outcome IS NOT 'released')
         ORDER BY d.id LIMIT ?4",
    )?;
    let rows = stmt.query_map(params![from, until, after, limit], |r| {
        Ok(RenewingDomain {
            id: r.get(0)?,
            client_id: r.get(1)?,
            name: r.get(2)?,
            years: r.get(3)?,
            currency: r.get(4)?,
            amount: r.get(5)?,
            expiry_date: r.get(6)?,
        })
    })?;
    rows.collect()
}

/// Where the term of `domain_id` from `start` stands: `None` when not
/// billed, else whether its invoice is paid and the invoice's number or id.
pub fn term_invoice(
    conn: &Connection,
    domain_id: i64,
    start: &str,
) -> rusqlite::Result<Option<(bool, i64)>> {
    conn.prepare_cached(
        "SELECT i.status = 'paid', i.id FROM invoice_items ii JOIN invoices i ON i.id = ii.invoice_id
         WHERE ii.domain_id = ?1 AND ii.kind = 'domain' AND ii.period_start = ?2
           AND ii.period_outcome IS NOT 'released'",
    )?
    .query_row(params![domain_id, start], |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()
}

/// A cancelled invoice's domain terms count as unbilled again.
pub fn release_terms(conn: &Connection, invoice_id: i64) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "UPDATE invoice_items SET period_outcome = 'released'
         WHERE invoice_id = ?1 AND kind = 'domain' AND domain_id IS NOT NULL
           AND period_start IS NOT NULL",
    )?
    .execute([invoice_id])
}

/// Unpaid renewal invoices (no order) billing a term of `domain_id` and
/// nothing of another domain or any service.
pub fn unpaid_renewals_only_of(conn: &Connection, domain_id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT i.id FROM invoices i JOIN invoice_items ii ON ii.invoice_id = i.id
         WHERE i.status = 'unpaid' AND i.order_id IS NULL AND ii.kind = 'domain'
           AND ii.domain_id = ?1 AND ii.period_start IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM invoice_items o WHERE o.invoice_id = i.id
                           AND (o.service_id IS NOT NULL
                                OR (o.domain_id IS NOT NULL AND o.domain_id <> ?1)))",
    )?;
    let rows = stmt.query_map([domain_id], |r| r.get(0))?;
    rows.collect()
}

/// A renewed term: the new expiry, due again then; active again if it had
/// expired.
pub fn set_renewed(conn: &Connection, id: i64, expiry: &str, now: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE domains SET status = 'active', expiry_date = ?2, next_due_date = ?2,
                updated_at = ?3
             WHERE id = ?1 AND status IN ('active', 'expired')",
        )?
        .execute(params![id, expiry, now])?
        == 1)
}

/// Active domains whose expiry is before `today` (at most `limit`).
pub fn lapsed(conn: &Connection, today: &str, limit: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM domains WHERE status = 'active' AND expiry_date < ?1 ORDER BY id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![today, limit], |r| r.get(0))?;
    rows.collect()
}

pub fn set_expired(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE domains SET status = 'expired', updated_at = ?2
             WHERE id = ?1 AND status = 'active'",
        )?
        .execute(params![id, now])?
        == 1)
}

/// Active domains expiring from `from` to `until` (id after `after`, at
/// most `limit`): whom a reminder may be due.
pub fn expiring(
    conn: &Connection,
    from: &str,
    until: &str,
    after: i64,
    limit: i64,
) -> rusqlite::Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, expiry_date FROM domains
         WHERE status = 'active' AND expiry_date >= ?1 AND expiry_date <= ?2 AND id > ?3
         ORDER BY id LIMIT ?4",
    )?;
    let rows = stmt.query_map(params![from, until, after, limit], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    rows.collect()
}

/// Note a reminder; false when it was sent already.
pub fn record_reminder(
    conn: &Connection,
    domain_id: i64,
    expiry: &str,
    days_before: u32,
    now: &str,
) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "INSERT OR IGNORE INTO domain_reminders (domain_id, expiry_date, days_before, sent_at)
             VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![domain_id, expiry, days_before, now])?
        == 1)
}
