//! Stripe's JSON as it arrives, and how it becomes till's objects.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

use super::objects::{CheckoutSession, PaymentIntent};

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
pub(super) struct WireIntent {
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
pub(super) struct WireSession {
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
pub(super) struct WireRefund {
    pub(super) id: String,
    pub(super) status: Option<String>,
    pub(super) amount: i64,
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
