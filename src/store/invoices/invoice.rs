//! An invoice row and reading it.

use rusqlite::Row;

use crate::domain::status::InvoiceStatus;

#[derive(Debug, Clone)]
pub struct Invoice {
    pub id: i64,
    pub uuid: String,
    pub client_id: i64,
    pub order_id: Option<i64>,
    pub number: Option<String>,
    pub status: InvoiceStatus,
    pub currency: String,
    pub subtotal: i64,
    pub tax_total: i64,
    pub total: i64,
    pub credit_applied: i64,
    pub amount_paid: i64,
    pub issue_date: String,
    pub due_date: String,
    pub paid_at: Option<String>,
    pub seller: String,
    pub buyer: String,
    pub notes: String,
    pub created_at: String,
    /// Money taken back out of it after it arrived (refunds drawn from it,
    /// credit for unused time, a cancellation, add-funds turning into
    /// credit).
    pub given_back: i64,
}

impl Invoice {
    /// What it still holds of the money it received.
    pub fn holds(&self) -> i64 {
        (self.amount_paid + self.credit_applied - self.given_back).max(0)
    }

    /// What is still owed.
    pub fn balance_due(&self) -> i64 {
        (self.total - self.credit_applied - self.amount_paid).max(0)
    }

    /// The number to show: the tax invoice number, or for a proforma
    /// (numbered when paid) its id.
    pub fn display_number(&self) -> String {
        match &self.number {
            Some(n) => n.clone(),
            None => format!("Proforma {}", self.id),
        }
    }
}

pub(super) const COLUMNS: &str = "id, uuid, client_id, order_id, number, status, currency, subtotal, tax_total, \
     total, credit_applied, amount_paid, issue_date, due_date, paid_at, seller, buyer, notes, created_at, \
     given_back";

pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<Invoice> {
    Ok(Invoice {
        id: r.get(0)?,
        uuid: r.get(1)?,
        client_id: r.get(2)?,
        order_id: r.get(3)?,
        number: r.get(4)?,
        status: r.get(5)?,
        currency: r.get(6)?,
        subtotal: r.get(7)?,
        tax_total: r.get(8)?,
        total: r.get(9)?,
        credit_applied: r.get(10)?,
        amount_paid: r.get(11)?,
        issue_date: r.get(12)?,
        due_date: r.get(13)?,
        paid_at: r.get(14)?,
        seller: r.get(15)?,
        buyer: r.get(16)?,
        notes: r.get(17)?,
        created_at: r.get(18)?,
        given_back: r.get(19)?,
    })
}
