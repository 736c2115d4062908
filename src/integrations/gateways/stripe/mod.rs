//! Stripe's REST API (form-encoded requests, JSON answers), the few calls
//! till needs: PaymentIntents for an embedded card form, Checkout Sessions
//! for Stripe's hosted payment page, refunds; and webhook checks
//! (`webhook.rs`).
//!
//! Amounts are integers in the currency's minor units, as till keeps them
//! and as Stripe expects them. Currencies go out lowercase (Stripe's form)
//! and come back uppercase (till's form).

mod webhook;

mod calls;
mod client;
mod gateway;
mod objects;
mod requests;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
mod wire;

pub use client::Stripe;
pub use gateway::StripeGateway;
pub use objects::{CheckoutSession, PaymentIntent, Refund};
pub use requests::{CheckoutRequest, IntentRequest};

pub use webhook::{Event, TOLERANCE_SECS, sign, verify_webhook};
