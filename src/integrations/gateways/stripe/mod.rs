//! Stripe's REST API (form-encoded requests, JSON answers), the few calls
//! till needs: PaymentIntents for an embedded card form, Checkout Sessions
//! for Stripe's hosted payment page, refunds; and webhook checks
//! (`webhook.rs`).
//!
//! Amounts are integers in the currency's minor units, as till keeps them
//! and as Stripe expects them. Currencies go out lowercase (Stripe's form)
//! and come back uppercase (till's form).

mod webhook;

mod gateway;

pub use gateway::StripeGateway;

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, de::DeserializeOwned};

pub use webhook::{Event, TOLERANCE_SECS, sign, verify_webhook};

use super::{GatewayError, endpoint, http_client, snippet, transport_error};
use crate::config::Secret;

/// A Stripe account, reached at `base_url` with its secret key. Cheap to
/// clone; `Debug` never shows the key.
#[derive(Clone, Debug)]
pub struct Stripe {
    base_url: String,
    secret_key: Secret,
    http: reqwest::Client,
}

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

impl Stripe {
    pub fn new(base_url: &str, secret_key: &str) -> Stripe {
        Stripe {
            base_url: base_url.trim_end_matches('/').to_string(),
            secret_key: Secret::new(secret_key),
            http: http_client(),
        }
    }

    pub async fn create_payment_intent(
        &self,
        req: &IntentRequest<'_>,
    ) -> Result<PaymentIntent, GatewayError> {
        let mut form = vec![
            ("amount".to_string(), req.amount.to_string()),
            ("currency".to_string(), req.currency.to_lowercase()),
            (
                "automatic_payment_methods[enabled]".to_string(),
                "true".to_string(),
            ),
        ];
        if !req.description.is_empty() {
            form.push(("description".into(), req.description.into()));
        }
        if let Some(email) = req.receipt_email {
            form.push(("receipt_email".into(), email.into()));
        }
        push_metadata(&mut form, "metadata", req.metadata);
        let wire: WireIntent = self
            .post(&["v1", "payment_intents"], &form, req.idempotency_key)
            .await?;
        Ok(wire.into())
    }

    pub async fn create_checkout_session(
        &self,
        req: &CheckoutRequest<'_>,
    ) -> Result<CheckoutSession, GatewayError> {
        let item = "line_items[0]";
        let mut form = vec![
            ("mode".to_string(), "payment".to_string()),
            (
                format!("{item}[price_data][currency]"),
                req.currency.to_lowercase(),
            ),
            (
                format!("{item}[price_data][unit_amount]"),
                req.amount.to_string(),
            ),
            (
                format!("{item}[price_data][product_data][name]"),
                req.product_name.to_string(),
            ),
            (format!("{item}[quantity]"), "1".to_string()),
            ("success_url".to_string(), req.success_url.to_string()),
            ("cancel_url".to_string(), req.cancel_url.to_string()),
        ];
        if let Some(reference) = req.client_reference_id {
            form.push(("client_reference_id".into(), reference.into()));
        }
        if let Some(email) = req.customer_email {
            form.push(("customer_email".into(), email.into()));
        }
        push_metadata(&mut form, "payment_intent_data[metadata]", req.metadata);
        push_metadata(&mut form, "metadata", req.metadata);
        let wire: WireSession = self
            .post(&["v1", "checkout", "sessions"], &form, req.idempotency_key)
            .await?;
        Ok(wire.into())
    }

    pub async fn retrieve_payment_intent(&self, id: &str) -> Result<PaymentIntent, GatewayError> {
        let wire: WireIntent = self.get(&["v1", "payment_intents", id]).await?;
        Ok(wire.into())
    }

    pub async fn retrieve_checkout_session(
        &self,
        id: &str,
    ) -> Result<CheckoutSession, GatewayError> {
        let wire: WireSession = self.get(&["v1", "checkout", "sessions", id]).await?;
        Ok(wire.into())
    }

    /// Refund `amount` (minor units) of a succeeded PaymentIntent.
    pub async fn create_refund(
        &self,
        payment_intent: &str,
        amount: i64,
        idempotency_key: &str,
    ) -> Result<Refund, GatewayError> {
        let form = vec![
            ("payment_intent".to_string(), payment_intent.to_string()),
            ("amount".to_string(), amount.to_string()),
        ];
        let wire: WireRefund = self
            .post(&["v1", "refunds"], &form, idempotency_key)
            .await?;
        Ok(Refund {
            id: wire.id,
            status: wire.status.unwrap_or_default(),
            amount: wire.amount,
        })
    }

    async fn post<T: DeserializeOwned>(
        &self,
        path: &[&str],
        form: &[(String, String)],
        idempotency_key: &str,
    ) -> Result<T, GatewayError> {
        let mut request = self.http.post(endpoint(&self.base_url, path)?).form(form);
        if !idempotency_key.is_empty() {
            request = request.header("Idempotency-Key", idempotency_key);
        }
        self.send(request).await
    }

    async fn get<T: DeserializeOwned>(&self, path: &[&str]) -> Result<T, GatewayError> {
        self.send(self.http.get(endpoint(&self.base_url, path)?))
            .await
    }

    async fn send<T: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, GatewayError> {
        let response = request
            .bearer_auth(self.secret_key.expose())
            .send()
            .await
            .map_err(transport_error)?;
        let status = response.status();
        let body = response.bytes().await.map_err(transport_error)?;
        if !status.is_success() {
            return Err(GatewayError::Rejected {
                status: status.as_u16(),
                message: error_message(&body),
            });
        }
        serde_json::from_slice(&body)
            .map_err(|e| GatewayError::BadResponse(format!("{e}: {}", snippet(&body))))
    }
}

/// `prefix[key]=value` for each pair, Stripe's form for a map.
fn push_metadata(form: &mut Vec<(String, String)>, prefix: &str, pairs: &[(&str, &str)]) {
    for (key, value) in pairs {
        form.push((format!("{prefix}[{key}]"), (*value).to_string()));
    }
}

/// Stripe's `{"error": {"message": …}}`, or the start of whatever came.
fn error_message(body: &[u8]) -> String {
    #[derive(Deserialize)]
    struct Envelope {
        error: Inner,
    }
    #[derive(Deserialize)]
    struct Inner {
        message: Option<String>,
        #[serde(rename = "type")]
        kind: Option<String>,
    }
    match serde_json::from_slice::<Envelope>(body) {
        Ok(Envelope { error }) => error
            .message
            .or(error.kind)
            .unwrap_or_else(|| "unknown error".into()),
        Err(_) => snippet(body),
    }
}

/// `null` (which Stripe sends for empty optional objects) as the default.
fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// An id field that may come expanded into its object.
fn id_or_object<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        Some(serde_json::Value::String(id)) => Some(id),
        Some(serde_json::Value::Object(map)) => {
            map.get("id").and_then(|v| v.as_str()).map(str::to_string)
        }
        _ => None,
    })
}

#[derive(Deserialize)]
struct WireIntent {
    id: String,
    client_secret: Option<String>,
    status: String,
    amount: i64,
    #[serde(default)]
    amount_received: i64,
    currency: String,
    #[serde(default, deserialize_with = "id_or_object")]
    latest_charge: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    metadata: BTreeMap<String, String>,
    last_payment_error: Option<WirePaymentError>,
}

#[derive(Deserialize)]
struct WirePaymentError {
    message: Option<String>,
}

impl From<WireIntent> for PaymentIntent {
    fn from(w: WireIntent) -> Self {
        PaymentIntent {
            id: w.id,
            client_secret: w.client_secret,
            status: w.status,
            amount: w.amount,
            amount_received: w.amount_received,
            currency: w.currency.to_uppercase(),
            latest_charge: w.latest_charge,
            metadata: w.metadata,
            last_payment_error: w.last_payment_error.and_then(|e| e.message),
        }
    }
}

#[derive(Deserialize)]
struct WireSession {
    id: String,
    url: Option<String>,
    #[serde(default, deserialize_with = "id_or_object")]
    payment_intent: Option<String>,
    payment_status: String,
    status: Option<String>,
    amount_total: Option<i64>,
    currency: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    metadata: BTreeMap<String, String>,
}

impl From<WireSession> for CheckoutSession {
    fn from(w: WireSession) -> Self {
        CheckoutSession {
            id: w.id,
            url: w.url,
            payment_intent: w.payment_intent,
            payment_status: w.payment_status,
            status: w.status,
            amount_total: w.amount_total,
            currency: w.currency.map(|c| c.to_uppercase()),
            metadata: w.metadata,
        }
    }
}

#[derive(Deserialize)]
struct WireRefund {
    id: String,
    status: Option<String>,
    amount: i64,
}

impl PaymentIntent {
    /// A PaymentIntent from Stripe's JSON (as in a webhook's `data.object`).
    pub fn from_json(value: &serde_json::Value) -> Option<PaymentIntent> {
        WireIntent::deserialize(value).ok().map(Into::into)
    }
}

impl CheckoutSession {
    /// A Checkout Session from Stripe's JSON.
    pub fn from_json(value: &serde_json::Value) -> Option<CheckoutSession> {
        WireSession::deserialize(value).ok().map(Into::into)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_intent_reads_stripe_json_with_currency_uppercased_and_error_message() {
        let pi = PaymentIntent::from_json(&json!({
            "id": "pi_1", "object": "payment_intent", "client_secret": "pi_1_secret_x",
            "status": "requires_payment_method", "amount": 1999, "amount_received": 0,
            "currency": "eur", "latest_charge": null, "metadata": {"invoice": "7"},
            "last_payment_error": {"message": "Your card was declined.", "code": "card_declined"}
        }))
        .unwrap();
        assert_eq!(pi.currency, "EUR");
        assert_eq!(pi.metadata.get("invoice").map(String::as_str), Some("7"));
        assert_eq!(
            pi.last_payment_error.as_deref(),
            Some("Your card was declined.")
        );
    }

    #[test]
    fn a_session_accepts_an_expanded_payment_intent_and_null_metadata() {
        let s = CheckoutSession::from_json(&json!({
            "id": "cs_1", "url": null, "payment_intent": {"id": "pi_9"},
            "payment_status": "paid", "status": "complete", "amount_total": 500,
            "currency": "usd", "metadata": null
        }))
        .unwrap();
        assert_eq!(s.payment_intent.as_deref(), Some("pi_9"));
        assert_eq!(s.currency.as_deref(), Some("USD"));
        assert!(s.metadata.is_empty());
    }

    #[test]
    fn errors_use_stripes_message() {
        let body = br#"{"error":{"type":"card_error","message":"Amount too small"}}"#;
        assert_eq!(error_message(body), "Amount too small");
        assert_eq!(
            error_message(b"<html>bad gateway</html>"),
            "<html>bad gateway</html>"
        );
    }

    #[test]
    fn debug_never_shows_the_secret_key() {
        let s = Stripe::new("https://api.stripe.com", "sk_test_hunter2");
        assert!(!format!("{s:?}").contains("hunter2"));
    }

    #[test]
    fn ids_cannot_escape_their_path_segment() {
        let url = endpoint(
            "https://api.stripe.com/",
            &["v1", "payment_intents", "pi_1/../x?y"],
        )
        .unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.stripe.com/v1/payment_intents/pi_1%2F..%2Fx%3Fy"
        );
    }
}
