//! What till asks Stripe to create: a PaymentIntent or a Checkout Session.

/// A PaymentIntent to create: the browser confirms it with Stripe.js.
#[derive(Debug, Clone, Copy)]
pub struct IntentRequest<'a> {
    pub amount: i64,
    pub currency: &'a str,
    /// The same key with the same parameters returns the first answer.
    pub idempotency_key: &'a str,
    pub description: &'a str,
    pub metadata: &'a [(&'a str, &'a str)],
    pub receipt_email: Option<&'a str>,
}

/// A hosted payment page for one amount.
#[derive(Debug, Clone, Copy)]
pub struct CheckoutRequest<'a> {
    pub amount: i64,
    pub currency: &'a str,
    /// The line the customer sees, e.g. "Invoice 2026-00012".
    pub product_name: &'a str,
    /// Where Stripe sends the customer after paying; Stripe replaces
    /// `{CHECKOUT_SESSION_ID}` in it.
    pub success_url: &'a str,
    pub cancel_url: &'a str,
    pub client_reference_id: Option<&'a str>,
    pub customer_email: Option<&'a str>,
    /// Set on both the session and its PaymentIntent, so either kind of
    /// webhook carries it.
    pub metadata: &'a [(&'a str, &'a str)],
    pub idempotency_key: &'a str,
}
