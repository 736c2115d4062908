//! What Stripe answers, as till reads it: a PaymentIntent, a Checkout
//! Session, a refund.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentIntent {
    pub id: String,
    /// For Stripe.js in the customer's browser only.
    pub client_secret: Option<String>,
    /// `requires_payment_method`, `requires_action`, `processing`,
    /// `succeeded`, `canceled`, …
    pub status: String,
    pub amount: i64,
    pub amount_received: i64,
    pub currency: String,
    pub latest_charge: Option<String>,
    pub metadata: BTreeMap<String, String>,
    /// The message of the last failed attempt, for the customer.
    pub last_payment_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutSession {
    pub id: String,
    /// The hosted page; absent once the session is complete or expired.
    pub url: Option<String>,
    pub payment_intent: Option<String>,
    /// `paid`, `unpaid` or `no_payment_required`.
    pub payment_status: String,
    /// `open`, `complete` or `expired`.
    pub status: Option<String>,
    pub amount_total: Option<i64>,
    pub currency: Option<String>,
    pub metadata: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    pub id: String,
    /// `pending`, `succeeded`, `failed`, `requires_action` or `canceled`.
    pub status: String,
    pub amount: i64,
}
