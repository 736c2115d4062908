//! The `invoices`, `invoice_items` and `invoice_counters` tables.

mod invoice;
mod items;
mod lookup;
mod new_invoice;
mod numbers;
mod settlement;
mod status;

pub use invoice::Invoice;
pub use items::{Item, insert_item, items};
pub use lookup::{billing_domain_period, find, of_client, of_order};
pub use new_invoice::{NewInvoice, insert};
pub use numbers::{next_number, set_number};
pub use settlement::{add_payment, apply_credit, give_back, reopen, undo_give_back};
pub use status::{cancel, mark_paid, mark_refunded, set_fee_line};
