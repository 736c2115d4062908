//! Paystack's API (JSON both ways): start a transaction on Paystack's
//! hosted page, verify it by reference, refund it; and the check of its
//! signed webhooks.
//!
//! Every answer is `{"status": bool, "message": "…", "data": …}`; a
//! `status: false` or a non-2xx status is `GatewayError::Rejected` with
//! Paystack's message. Amounts are integers in subunits (kobo, pesewas,
//! cents), as till keeps them.

mod client;
mod gateway;
mod objects;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
mod webhook;
mod wire;

pub use client::Paystack;
pub use gateway::PaystackGateway;
pub use objects::{InitRequest, Initialized, Refund, Transaction};
pub use webhook::{Event, sign, verify_webhook};
