//! Paystack's API (JSON both ways): start a transaction on Paystack's
//! hosted page, verify it by reference, refund it; and the check of its
//! signed webhooks.
//!
//! Every answer is `{"status": bool, "message": "…", "data": …}`; a
//! `status: false` or a non-2xx status is `GatewayError::Rejected` with
//! Paystack's message. Amounts are integers in subunits (kobo, pesewas,
//! cents), as till keeps them.

mod gateway;

pub use gateway::PaystackGateway;

use serde::{Deserialize, Serialize, de::DeserializeOwned};

use super::{
    GatewayError, WebhookError, endpoint, hmac_sha512, http_client, mac_matches, snippet,
    transport_error,
};
use crate::config::Secret;

/// A Paystack integration, reached at `base_url` with its secret key.
/// `Debug` never shows the key.
#[derive(Clone, Debug)]
pub struct Paystack {
    base_url: String,
    secret_key: Secret,
    http: reqwest::Client,
}

/// A transaction to start.
#[derive(Debug, Clone, Serialize)]
pub struct InitRequest<'a> {
    pub email: &'a str,
    pub amount: i64,
    pub currency: &'a str,
    /// Ours, unique per attempt: Paystack refuses a reference twice, which
    /// makes a retried initialize safe.
    pub reference: &'a str,
    /// Where Paystack sends the customer afterwards, with `?trxref=&reference=`.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub callback_url: &'a str,
    #[serde(skip_serializing_if = "serde_json::Value::is_null")]
    pub metadata: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Initialized {
    /// The hosted payment page to send the customer to.
    pub authorization_url: String,
    pub access_code: String,
    pub reference: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    pub id: i64,
    pub reference: String,
    /// `success`, `failed`, `abandoned`, `ongoing`, `pending`, `reversed`, …
    pub status: String,
    pub amount: i64,
    pub currency: String,
    /// The bank's or processor's words, e.g. "Approved" or "Declined".
    pub gateway_response: Option<String>,
    pub paid_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    pub id: i64,
    /// `pending`, `processing`, `processed`, `failed`, …
    pub status: String,
    pub amount: i64,
}

impl Paystack {
    pub fn new(base_url: &str, secret_key: &str) -> Paystack {
        Paystack {
            base_url: base_url.trim_end_matches('/').to_string(),
            secret_key: Secret::new(secret_key),
            http: http_client(),
        }
    }

    /// `POST /transaction/initialize`.
    pub async fn initialize(&self, req: &InitRequest<'_>) -> Result<Initialized, GatewayError> {
        let url = endpoint(&self.base_url, &["transaction", "initialize"])?;
        let mut body = serde_json::to_value(req)
            .map_err(|e| GatewayError::BadResponse(format!("cannot encode request: {e}")))?;
        if let Some(currency) = body.get_mut("currency") {
            *currency = req.currency.to_uppercase().into();
        }
        self.send(self.http.post(url).json(&body)).await
    }

    /// `GET /transaction/verify/{reference}`: the transaction as Paystack
    /// has it now. Only this (or a verified webhook) says a payment happened;
    /// the customer's return to the callback URL proves nothing.
    pub async fn verify(&self, reference: &str) -> Result<Transaction, GatewayError> {
        let url = endpoint(&self.base_url, &["transaction", "verify", reference])?;
        let wire: WireTransaction = self.send(self.http.get(url)).await?;
        Ok(wire.into())
    }

    /// `POST /refund` of `amount` subunits of a transaction (its id or
    /// reference).
    pub async fn refund(&self, transaction: &str, amount: i64) -> Result<Refund, GatewayError> {
        #[derive(Deserialize)]
        struct Wire {
            id: i64,
            #[serde(default)]
            status: String,
            amount: i64,
        }
        let url = endpoint(&self.base_url, &["refund"])?;
        let body = serde_json::json!({ "transaction": transaction, "amount": amount });
        let wire: Wire = self.send(self.http.post(url).json(&body)).await?;
        Ok(Refund {
            id: wire.id,
            status: wire.status,
            amount: wire.amount,
        })
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
        let envelope: Envelope = match serde_json::from_slice(&body) {
            Ok(envelope) => envelope,
            Err(_) if !status.is_success() => {
                return Err(GatewayError::Rejected {
                    status: status.as_u16(),
                    message: snippet(&body),
                });
            }
            Err(e) => {
                return Err(GatewayError::BadResponse(format!(
                    "{e}: {}",
                    snippet(&body)
                )));
            }
        };
        if !status.is_success() || !envelope.status {
            return Err(GatewayError::Rejected {
                status: status.as_u16(),
                message: envelope.message,
            });
        }
        serde_json::from_value(envelope.data)
            .map_err(|e| GatewayError::BadResponse(format!("{e}: {}", snippet(&body))))
    }
}

#[derive(Deserialize)]
struct Envelope {
    status: bool,
    #[serde(default)]
    message: String,
    #[serde(default)]
    data: serde_json::Value,
}

#[derive(Deserialize)]
struct WireTransaction {
    id: i64,
    reference: String,
    status: String,
    amount: i64,
    currency: String,
    gateway_response: Option<String>,
    paid_at: Option<String>,
}

impl From<WireTransaction> for Transaction {
    fn from(w: WireTransaction) -> Self {
        Transaction {
            id: w.id,
            reference: w.reference,
            status: w.status,
            amount: w.amount,
            currency: w.currency.to_uppercase(),
            gateway_response: w.gateway_response,
            paid_at: w.paid_at,
        }
    }
}

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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const SECRET: &str = "sk_test_paystack";
    const PAYLOAD: &[u8] =
        br#"{"event":"charge.success","data":{"id":302961,"reference":"inv-7-a1","status":"success"}}"#;
    /// Computed independently:
    /// `hmac.new(b"sk_test_paystack", PAYLOAD, hashlib.sha512).hexdigest()`
    const KNOWN: &str = "fd10f40f4a539ca273caf86cd6fe790e3fc637baaf364ef4f34cac4651f10d1811dc0cd97d47dfe9150797a175124a44e2c0a0aeea0da5e4c667be33d64a068b";

    #[test]
    fn a_known_answer_verifies_and_sign_produces_it() {
        assert_eq!(sign(PAYLOAD, SECRET), KNOWN);
        let event = verify_webhook(PAYLOAD, Some(KNOWN), SECRET).unwrap();
        assert_eq!(event.event, "charge.success");
        assert_eq!(event.transaction_reference(), Some("inv-7-a1"));
        assert_eq!(event.id(), "charge.success:302961");
    }

    #[test]
    fn a_tampered_byte_or_another_secret_is_a_mismatch() {
        let mut tampered = PAYLOAD.to_vec();
        tampered[5] ^= 1;
        assert_eq!(
            verify_webhook(&tampered, Some(KNOWN), SECRET),
            Err(WebhookError::Mismatch)
        );
        assert_eq!(
            verify_webhook(PAYLOAD, Some(KNOWN), "sk_test_other"),
            Err(WebhookError::Mismatch)
        );
        let mut flipped = KNOWN.to_string();
        flipped.replace_range(0..1, "e");
        assert_eq!(
            verify_webhook(PAYLOAD, Some(&flipped), SECRET),
            Err(WebhookError::Mismatch)
        );
    }

    #[test]
    fn uppercase_hex_is_accepted_malformed_and_missing_are_refused() {
        assert!(verify_webhook(PAYLOAD, Some(&KNOWN.to_uppercase()), SECRET).is_ok());
        for bad in ["", "zz", &KNOWN[..64], &format!("{KNOWN}00"), "sha512=abc"] {
            assert_eq!(
                verify_webhook(PAYLOAD, Some(bad), SECRET),
                Err(WebhookError::MalformedSignature),
                "{bad}"
            );
        }
        assert_eq!(
            verify_webhook(PAYLOAD, None, SECRET),
            Err(WebhookError::MissingSignature)
        );
    }

    #[test]
    fn a_signed_body_that_is_not_an_event_is_a_bad_payload() {
        let body = b"[1,2,3]";
        assert!(matches!(
            verify_webhook(body, Some(&sign(body, SECRET)), SECRET),
            Err(WebhookError::BadPayload(_))
        ));
    }

    #[test]
    fn the_event_id_falls_back_to_the_reference() {
        let event = Event {
            event: "refund.processed".into(),
            data: serde_json::json!({"reference": "r1"}),
        };
        assert_eq!(event.id(), "refund.processed:r1");
    }

    #[test]
    fn the_initialize_body_skips_empty_optionals() {
        let req = InitRequest {
            email: "a@b.c",
            amount: 5000,
            currency: "ngn",
            reference: "r1",
            callback_url: "",
            metadata: serde_json::Value::Null,
        };
        let body = serde_json::to_value(&req).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"email": "a@b.c", "amount": 5000, "currency": "ngn", "reference": "r1"})
        );
    }

    #[test]
    fn debug_never_shows_the_secret_key() {
        let p = Paystack::new("https://api.paystack.co", "sk_test_hunter2");
        assert!(!format!("{p:?}").contains("hunter2"));
    }
}
