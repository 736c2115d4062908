//! The paid-line seam: billing settles an invoice, and every owner of a
//! kind of line (an order's services, a plan or cycle change, an addon, a
//! renewal period, added funds) is handed the paid invoice with its lines
//! through this one trait. Billing knows the trait, never the owners;
//! `service::settlement` lists them, so a new kind of line adds a file and
//! a line there.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    error::Result,
    service::email::Branding,
    store::invoices::{Invoice, Item},
};

/// An invoice that has just become paid, with its lines.
pub struct PaidInvoice<'a> {
    pub invoice: &'a Invoice,
    pub lines: &'a [Item],
    pub brand: &'a Branding,
    pub now: Timestamp,
}

/// What an owner does with the lines it owns, in the transaction that
/// settled or cancelled the invoice.
pub trait LineOwner: Sync {
    /// A name for logs and tests.
    fn name(&self) -> &'static str;

    /// The invoice was paid: deliver what this owner's lines bought (and
    /// ignore the rest).
    fn paid(&self, tx: &Connection, paid: &PaidInvoice<'_>) -> Result<()>;

    /// The invoice was cancelled unpaid: drop what waited for it.
    fn cancelled(&self, _tx: &Connection, _invoice: &Invoice, _now: Timestamp) -> Result<()> {
        Ok(())
    }
}
