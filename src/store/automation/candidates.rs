//! Services that may need a renewal invoice.

use rusqlite::{Connection, OptionalExtension, Row, params};

/// A service that may need a renewal invoice.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub service_id: i64,
    pub client_id: i64,
    pub product: String,
    pub domain: Option<String>,
    pub billing_cycle: String,
    pub currency: String,
    pub recurring_amount: i64,
    /// Where its periods are counted from (its registration date, or
    /// where its cycle last changed).
    pub registration_date: Option<String>,
    pub next_due_date: String,
    /// The end of the latest period billed from the next due date on.
    pub billed_until: Option<String>,
}

fn candidate(r: &Row<'_>) -> rusqlite::Result<Candidate> {
    Ok(Candidate {
        service_id: r.get(0)?,
        client_id: r.get(1)?,
        product: r.get(2)?,
        domain: r.get(3)?,
        billing_cycle: r.get(4)?,
        currency: r.get(5)?,
        recurring_amount: r.get(6)?,
        registration_date: r.get(7)?,
        next_due_date: r.get(8)?,
        billed_until: r.get(9)?,
    })
}

const CANDIDATE: &str = "SELECT s.id, s.client_id, p.name, s.domain, s.billing_cycle, s.currency,
        s.recurring_amount, COALESCE(s.period_anchor, s.registration_date), s.next_due_date,
        (SELECT MAX(ii.period_end) FROM invoice_items ii
          WHERE ii.service_id = s.id AND ii.kind = 'service' AND ii.period_start IS NOT NULL
            AND ii.period_start >= s.next_due_date AND ii.period_outcome IS NOT 'released')
     FROM services s JOIN products p ON p.id = s.product_id
     WHERE s.status IN ('active', 'suspended') AND s.next_due_date IS NOT NULL
       AND s.next_due_date <= ?1 AND s.billing_cycle <> 'onetime' AND s.cancel_at_period_end = 0";

/// The next clients (after `after_client`) with a service due by `horizon`.
pub fn candidate_clients(
    conn: &Connection,
    horizon: &str,
    after_client: i64,
    limit: i64,
) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT client_id FROM services
         WHERE status IN ('active', 'suspended') AND next_due_date IS NOT NULL AND next_due_date <= ?1
           AND billing_cycle <> 'onetime' AND cancel_at_period_end = 0 AND client_id > ?2
         ORDER BY client_id LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![horizon, after_client, limit], |r| r.get(0))?;
    rows.collect()
}

/// The candidate services of the clients from `first` to `last`.
pub fn candidates_of_clients(
    conn: &Connection,
    horizon: &str,
    first: i64,
    last: i64,
) -> rusqlite::Result<Vec<Candidate>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{CANDIDATE} AND s.client_id BETWEEN ?2 AND ?3 ORDER BY s.client_id, s.id"
    ))?;
    let rows = stmt.query_map(params![horizon, first, last], candidate)?;
    rows.collect()
}

/// One service as a candidate, whatever its due date.
pub fn candidate_service(
    conn: &Connection,
    service_id: i64,
) -> rusqlite::Result<Option<Candidate>> {
    conn.prepare_cached(&format!("{CANDIDATE} AND s.id = ?2"))?
        .query_row(params!["9999-12-31", service_id], candidate)
        .optional()
}
