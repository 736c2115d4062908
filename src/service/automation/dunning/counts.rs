//! What a dunning run did, or in a preview would do.

use serde::Serialize;

/// What one dunning run did (or, in a preview, would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct DunningCounts {
    pub reminders: u64,
    pub overdue_notices: u64,
    pub late_fees: u64,
    pub suspended: u64,
    pub terminated: u64,
    pub cancelled: u64,
    pub orders_cancelled: u64,
}

impl DunningCounts {
    pub fn total(&self) -> u64 {
        self.reminders
            + self.overdue_notices
            + self.late_fees
            + self.suspended
            + self.terminated
            + self.cancelled
            + self.orders_cancelled
    }
}

/// What the next run would do, for `till jobs preview`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DunningPreview {
    /// (invoice id, due date)
    pub reminders: Vec<(i64, String)>,
    /// (invoice id, due date, step in days)
    pub overdue_notices: Vec<(i64, String, u32)>,
    /// (invoice id, fee in minor units)
    pub late_fees: Vec<(i64, i64)>,
    /// (service id, invoice id)
    pub suspensions: Vec<(i64, i64)>,
    pub terminations: Vec<(i64, i64)>,
    /// Services cancelled at period end.
    pub cancellations: Vec<i64>,
    /// Invoices of stale orders.
    pub stale_orders: Vec<i64>,
}
