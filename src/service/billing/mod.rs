//! The billing wing: invoices and money. What a client owes and has paid,
//! currencies and amounts as shown, money arriving for an invoice, what an
//! invoice becoming paid or cancelled means to billing itself, add-funds
//! invoices, taxes, numbering, manual invoices and their notices, and the
//! paid-line seam (`owner`) through which every other wing learns that
//! what it sold was paid for. Billing never calls those wings: the seam
//! runs the other way (see `service::settlement`).

pub mod invoice_notices;
pub mod manual_invoices;
pub mod paid_periods;
pub mod payment_methods;
pub mod taxes;
pub mod vat_ids;

mod add_funds;
mod cancel;
mod incoming;
mod money;
pub mod owner;
mod reads;
mod settle;

pub use add_funds::{AddedFunds, MAX_ADD_FUNDS, add_funds_invoice};
pub(crate) use cancel::{cancel_core, cancel_renewals_from};
pub(crate) use incoming::{Incoming, record_incoming};
pub use money::{buyer_snapshot, currency, currency_in, format_money, money, seller_snapshot};
pub use reads::{all_payments, invoice_of, invoices_of, payments_of};
pub(crate) use settle::settle_invoice;
