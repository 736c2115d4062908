//! The payments wing: money taken for invoices. Staff recording payments,
//! paying from account credit, card gateways (start, webhooks, return),
//! refunds, and staff cancelling an unpaid invoice. Each settles through
//! `service::settlement`, so a paid invoice's lines reach their owners
//! however the money came.

pub mod gateway_payments;
pub mod refunds;

mod cancel;
mod credit;
mod record;

pub use cancel::{Periods, cancel_invoice};
pub use credit::apply_credit;
pub use record::{RecordPayment, record_payment};
