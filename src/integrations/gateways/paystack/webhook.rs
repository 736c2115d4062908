//! Paystack's signed webhooks: the event and the signature check.

use serde::Deserialize;

use crate::integrations::gateways::{WebhookError, hmac_sha512, mac_matches};

/// A verified webhook event: `event` (e.g. `charge.success`) and its `data`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Event {
    pub event: String,
    pub data: serde_json::Value,
}

impl Event {
    /// The transaction reference the event is about (ours, from initialize).
    pub fn transaction_reference(&self) -> Option<&str> {
        self.data.get("reference").and_then(|v| v.as_str())
    }

    /// A stable id for deduplication, `"{event}:{data.id}"`: Paystack
    /// sends no event id and retries deliveries, but the same event about
    /// the same object repeats this. Falls back to the reference when
    /// `data.id` is missing.
    pub fn id(&self) -> String {
        let object = match self.data.get("id") {
            Some(serde_json::Value::Number(n)) => n.to_string(),
            Some(serde_json::Value::String(s)) => s.clone(),
            _ => self.transaction_reference().unwrap_or_default().to_string(),
        };
        format!("{}:{object}", self.event)
    }
}

/// Check a webhook and read its event. `signature` is the
/// `x-paystack-signature` header: the lowercase hex HMAC-SHA512 of the raw
/// body keyed with the integration's **secret key** (Paystack has no
/// separate webhook secret, and no signed timestamp, so replays are
/// bounded only by deduplicating on `Event::id`).
pub fn verify_webhook(
    payload: &[u8],
    signature: Option<&str>,
    secret: &str,
) -> Result<Event, WebhookError> {
    let signature = signature.ok_or(WebhookError::MissingSignature)?;
    let given = hex::decode(signature.trim()).map_err(|_| WebhookError::MalformedSignature)?;
    if given.len() != 64 {
        return Err(WebhookError::MalformedSignature);
    }
    if !mac_matches(&hmac_sha512(secret.as_bytes(), &[payload]), &given) {
        return Err(WebhookError::Mismatch);
    }
    serde_json::from_slice(payload).map_err(|e| WebhookError::BadPayload(e.to_string()))
}

/// The `x-paystack-signature` value for `payload`.
pub fn sign(payload: &[u8], secret: &str) -> String {
    hex::encode(hmac_sha512(secret.as_bytes(), &[payload]))
}
