//! The one trait every payment gateway speaks, and what it speaks in. A
//! gateway starts a payment for an amount till decides, says what became
//! of a charge, refunds, and reads its own webhooks. The rules (which
//! invoice, what amount, recorded once) are in `service::payments::gateway_payments`;
//! each provider's wire format is in its folder.
//!
//! The other payment methods need no gateway: bank transfer shows its
//! instructions and staff record the payment (`crate::service::payments::record_payment`);
//! account credit is till's own ledger (`billing::apply_credit`).

use futures_util::future::BoxFuture;

use super::{GatewayError, WebhookError};

/// Which kind of start: a PaymentIntent for the caller's own card form
/// (mobile apps, API integrations), or the gateway's hosted page (the
/// client area).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Intent,
    Hosted,
}

impl Flow {
    pub fn as_str(self) -> &'static str {
        match self {
            Flow::Intent => "intent",
            Flow::Hosted => "hosted",
        }
    }
}

/// What to ask a gateway for.
#[derive(Debug, Clone)]
pub struct StartRequest {
    /// Our attempt's uuid: the gateway's idempotency key and reference,
    /// and metadata that brings webhooks back to the attempt.
    pub attempt: String,
    pub invoice_number: String,
    pub amount: i64,
    pub currency: String,
    pub email: String,
    pub flow: Flow,
    /// Where the hosted page sends the customer back.
    pub return_url: String,
    pub cancel_url: String,
}

/// What the gateway gave back.
#[derive(Debug, Clone, Default)]
pub struct Started {
    /// The gateway's handle for this attempt (PaymentIntent, Checkout
    /// Session, or Paystack reference).
    pub reference: String,
    pub redirect_url: Option<String>,
    pub client_secret: Option<String>,
    pub access_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChargeStatus {
    Succeeded,
    Failed(String),
    /// Not finished (the customer has not paid yet, or it is processing).
    Pending,
}

/// A charge as the gateway reports it.
#[derive(Debug, Clone)]
pub struct Charge {
    pub status: ChargeStatus,
    /// The id a payment is recorded under (one charge, one payment).
    pub transaction_id: String,
    /// Minor units actually collected (or to be collected while pending).
    pub amount: i64,
    pub currency: String,
    /// Our attempt uuid, when the gateway carried it back in metadata.
    pub attempt: Option<String>,
    /// The attempt's reference at the gateway, when known.
    pub reference: Option<String>,
}

/// A webhook that passed its signature check.
#[derive(Debug, Clone)]
pub struct Notification {
    pub event_id: String,
    pub kind: String,
    pub what: Notice,
}

#[derive(Debug, Clone)]
pub enum Notice {
    /// The event itself tells the outcome (signed by the gateway).
    Charge(Charge),
    /// The event names a charge to confirm with the gateway first.
    Confirm { reference: String },
    /// Nothing for till to do.
    Nothing,
}

/// One payment gateway.
pub trait Gateway: Send + Sync {
    fn code(&self) -> &'static str;

    /// Ask the gateway to collect `req.amount`. Safe to retry with the
    /// same request: the attempt uuid is the idempotency key.
    fn start<'a>(&'a self, req: &'a StartRequest) -> BoxFuture<'a, Result<Started, GatewayError>>;

    /// The charge behind an attempt's `reference`, as the gateway has it now.
    fn lookup<'a>(&'a self, reference: &'a str) -> BoxFuture<'a, Result<Charge, GatewayError>>;

    /// Give back `amount` of the charge `transaction_id`; answers the
    /// gateway's refund id. `key` makes a retry safe.
    fn refund<'a>(
        &'a self,
        transaction_id: &'a str,
        amount: i64,
        key: &'a str,
    ) -> BoxFuture<'a, Result<String, GatewayError>>;

    /// Check a webhook's signature (over the raw body) and read it.
    fn read_webhook(
        &self,
        signature: Option<&str>,
        body: &[u8],
        now_unix: i64,
    ) -> Result<Notification, WebhookError>;
}

/// The metadata key that carries our attempt uuid through the gateway.
pub const ATTEMPT_KEY: &str = "till_attempt";
