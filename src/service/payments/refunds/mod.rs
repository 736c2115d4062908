//! Refunds (staff, `billing:write`): give back part or all of a payment,
//! to the client's account credit, through the gateway that took it, or as
//! a record of money paid back outside till (a bank transfer back).
//!
//! The amount is set aside on the payment (`payments.refunded`) in the same
//! transaction that writes the refund, so two refunds can never return
//! more than was paid. A gateway refund is written as pending, the gateway
//! is called outside any transaction, and the answer is recorded after;
//! a refused refund gives its amount back to the payment.

mod destination;
mod refund;
mod refused;
mod split;
mod succeeded;

pub use destination::Destination;
pub use refund::{RefundRequest, refund};
