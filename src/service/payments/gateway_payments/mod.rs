//! Paying an invoice through a card gateway: start (reference 000
//! `payments/start`, with an Idempotency-Key), confirm (webhook or the
//! customer's return), and what a client may see (payment status and
//! timeline).
//!
//! A transaction never spans a network call. Starting writes the attempt
//! and its key together, calls the gateway, then records the gateway's
//! answer on the attempt (see `service::idempotency` for replays). A
//! charge is recorded only when it matches its attempt (same currency,
//! same amount) and at most once: `payments` is unique per
//! (gateway, transaction id), webhook events are unique per event id, and
//! an attempt succeeds once.

mod charges;
mod fees;
mod reads;
mod start;
mod webhooks;

pub use charges::{Outcome, confirm_attempt};
pub use fees::method_fee;
pub use reads::{PaymentHistory, attempt_of, history, require_payer};
pub use start::{StartInput, StartOutcome, start};
pub use webhooks::{WebhookResult, webhook};
