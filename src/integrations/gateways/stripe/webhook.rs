//! Stripe's signed webhooks. The `Stripe-Signature` header is
//! `t=<unix time>,v1=<hex>[,v1=<hex>…][,v0=…]`: each `v1` is the hex
//! HMAC-SHA256 of `"{t}.{raw body}"` under the endpoint's signing secret
//! (several appear while a secret is being rolled). The body must be the
//! exact bytes received: re-serialized JSON would not match.

use serde::Deserialize;

use super::{CheckoutSession, PaymentIntent};
use crate::integrations::gateways::{WebhookError, hmac_sha256, mac_matches};

/// How far the signed time may be from ours, either way, in seconds
/// (Stripe's libraries use the same default). Bounds replays of a
/// captured request.
pub const TOLERANCE_SECS: i64 = 300;

/// A verified event. `object` is the event's `data.object`, as Stripe sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// `evt_…`: Stripe may deliver an event more than once, so handlers
    /// dedupe on it.
    pub id: String,
    /// The event's `type`, e.g. `payment_intent.succeeded`.
    pub kind: String,
    pub created: i64,
    pub object: serde_json::Value,
}

impl Event {
    /// The PaymentIntent the event is about, if it is about one.
    pub fn payment_intent(&self) -> Option<PaymentIntent> {
        (self.object_kind() == Some("payment_intent"))
            .then(|| PaymentIntent::from_json(&self.object))
            .flatten()
    }

    /// The Checkout Session the event is about, if it is about one.
    pub fn checkout_session(&self) -> Option<CheckoutSession> {
        (self.object_kind() == Some("checkout.session"))
            .then(|| CheckoutSession::from_json(&self.object))
            .flatten()
    }

    fn object_kind(&self) -> Option<&str> {
        self.object.get("object").and_then(|v| v.as_str())
    }
}

/// Check a webhook and read its event. `payload` is the raw request body,
/// `signature_header` the `Stripe-Signature` header, `secret` the
/// endpoint's `whsec_…` secret, `now_unix` the current time.
///
/// The signature is checked before the time, as Stripe's own libraries do:
/// `Stale` then only ever describes a genuine event (a clock or queue
/// problem worth an operator's look), while anything forged is `Mismatch`
/// whatever its timestamp.
pub fn verify_webhook(
    payload: &[u8],
    signature_header: Option<&str>,
    secret: &str,
    now_unix: i64,
) -> Result<Event, WebhookError> {
    let header = signature_header.ok_or(WebhookError::MissingSignature)?;
    let (t, signatures) = parse_header(header)?;
    let expected = hmac_sha256(
        secret.as_bytes(),
        &[t.to_string().as_bytes(), b".", payload],
    );
    // Compare against every v1 without stopping early, so the time taken
    // does not tell which one matched.
    let matched = signatures
        .iter()
        .fold(false, |any, sig| mac_matches(&expected, sig) | any);
    if !matched {
        return Err(WebhookError::Mismatch);
    }
    if now_unix.abs_diff(t) > TOLERANCE_SECS.unsigned_abs() {
        return Err(WebhookError::Stale);
    }
    parse_event(payload)
}

/// A `Stripe-Signature` header value for `payload` signed at `t`.
pub fn sign(payload: &[u8], secret: &str, t: i64) -> String {
    let mac = hmac_sha256(
        secret.as_bytes(),
        &[t.to_string().as_bytes(), b".", payload],
    );
    format!("t={t},v1={}", hex::encode(mac))
}

/// The timestamp and every `v1` signature. Unknown schemes (`v0`, future
/// ones) are skipped; a `v1` that is not hex, a missing or repeated `t`, or
/// no `v1` at all makes the header malformed.
fn parse_header(header: &str) -> Result<(i64, Vec<Vec<u8>>), WebhookError> {
    let mut t = None;
    let mut signatures = Vec::new();
    for item in header.split(',') {
        let (key, value) = item
            .trim()
            .split_once('=')
            .ok_or(WebhookError::MalformedSignature)?;
        match key {
            "t" => {
                let parsed = value
                    .parse::<i64>()
                    .map_err(|_| WebhookError::MalformedSignature)?;
                if t.replace(parsed).is_some() {
                    return Err(WebhookError::MalformedSignature);
                }
            }
            "v1" => {
                signatures.push(hex::decode(value).map_err(|_| WebhookError::MalformedSignature)?)
            }
            _ => {}
        }
    }
    match t {
        Some(t) if !signatures.is_empty() => Ok((t, signatures)),
        _ => Err(WebhookError::MalformedSignature),
    }
}

fn parse_event(payload: &[u8]) -> Result<Event, WebhookError> {
    #[derive(Deserialize)]
    struct Wire {
        id: String,
        #[serde(rename = "type")]
        kind: String,
        created: i64,
        data: Data,
    }
    #[derive(Deserialize)]
    struct Data {
        object: serde_json::Value,
    }
    let wire: Wire =
        serde_json::from_slice(payload).map_err(|e| WebhookError::BadPayload(e.to_string()))?;
    Ok(Event {
        id: wire.id,
        kind: wire.kind,
        created: wire.created,
        object: wire.data.object,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret";
    const T: i64 = 1_700_000_000;
    const PAYLOAD: &[u8] = br#"{"id":"evt_1","type":"payment_intent.succeeded","created":1700000000,"data":{"object":{"id":"pi_1","object":"payment_intent"}}}"#;
    /// Computed independently:
    /// `hmac.new(b"whsec_test_secret", b"1700000000." + PAYLOAD, hashlib.sha256).hexdigest()`
    const KNOWN_V1: &str = "0876cee1530c1e0e8109f13e97fd9427c825f9061aded71ca7d3120edca0450b";

    fn verify(payload: &[u8], header: &str, now: i64) -> Result<Event, WebhookError> {
        verify_webhook(payload, Some(header), SECRET, now)
    }

    #[test]
    fn a_known_answer_verifies_and_sign_produces_it() {
        assert_eq!(sign(PAYLOAD, SECRET, T), format!("t={T},v1={KNOWN_V1}"));
        let event = verify(PAYLOAD, &format!("t={T},v1={KNOWN_V1}"), T).unwrap();
        assert_eq!(event.id, "evt_1");
        assert_eq!(event.kind, "payment_intent.succeeded");
        assert_eq!(event.created, T);
        assert_eq!(event.object["id"], "pi_1");
    }

    #[test]
    fn a_tampered_byte_or_another_secret_is_a_mismatch() {
        let header = sign(PAYLOAD, SECRET, T);
        let mut tampered = PAYLOAD.to_vec();
        tampered[10] ^= 1;
        assert_eq!(verify(&tampered, &header, T), Err(WebhookError::Mismatch));
        let other = sign(PAYLOAD, "whsec_other", T);
        assert_eq!(verify(PAYLOAD, &other, T), Err(WebhookError::Mismatch));
        // The signed time is part of the MAC: moving it breaks the match.
        let moved = format!("t={},v1={KNOWN_V1}", T + 1);
        assert_eq!(verify(PAYLOAD, &moved, T), Err(WebhookError::Mismatch));
    }

    #[test]
    fn the_tolerance_is_five_minutes_either_way() {
        let header = sign(PAYLOAD, SECRET, T);
        assert!(verify(PAYLOAD, &header, T + 299).is_ok());
        assert!(verify(PAYLOAD, &header, T + 300).is_ok());
        assert_eq!(verify(PAYLOAD, &header, T + 301), Err(WebhookError::Stale));
        assert!(verify(PAYLOAD, &header, T - 299).is_ok());
        assert_eq!(verify(PAYLOAD, &header, T - 301), Err(WebhookError::Stale));
    }

    #[test]
    fn a_forged_stale_event_is_a_mismatch_not_stale() {
        let header = format!("t={},v1={}", T - 1000, "00".repeat(32));
        assert_eq!(verify(PAYLOAD, &header, T), Err(WebhookError::Mismatch));
    }

    #[test]
    fn any_of_several_v1_signatures_may_match_and_v0_is_ignored() {
        let wrong = "ab".repeat(32);
        let header = format!("t={T},v1={wrong},v1={KNOWN_V1},v0={wrong}");
        assert!(verify(PAYLOAD, &header, T).is_ok());
        let header = format!("t={T}, v0={KNOWN_V1}, v1={wrong}");
        assert_eq!(verify(PAYLOAD, &header, T), Err(WebhookError::Mismatch));
    }

    #[test]
    fn malformed_and_missing_headers() {
        for header in [
            "",
            "garbage",
            &format!("v1={KNOWN_V1}"),
            &format!("t=soon,v1={KNOWN_V1}"),
            &format!("t={T}"),
            &format!("t={T},v0={KNOWN_V1}"),
            &format!("t={T},t={T},v1={KNOWN_V1}"),
            &format!("t={T},v1=not-hex"),
        ] {
            assert_eq!(
                verify(PAYLOAD, header, T),
                Err(WebhookError::MalformedSignature),
                "{header}"
            );
        }
        assert_eq!(
            verify_webhook(PAYLOAD, None, SECRET, T),
            Err(WebhookError::MissingSignature)
        );
    }

    #[test]
    fn a_signed_body_that_is_not_an_event_is_a_bad_payload() {
        let body = br#"{"hello":"world"}"#;
        let header = sign(body, SECRET, T);
        assert!(matches!(
            verify(body, &header, T),
            Err(WebhookError::BadPayload(_))
        ));
    }

    #[test]
    fn typed_objects_only_for_their_own_kind() {
        let body = br#"{"id":"evt_2","type":"payment_intent.succeeded","created":1,"data":{"object":{"id":"pi_2","object":"payment_intent","status":"succeeded","amount":500,"amount_received":500,"currency":"gbp","client_secret":null,"metadata":{"invoice":"12"},"latest_charge":"ch_1","last_payment_error":null}}}"#;
        let event = verify_webhook(body, Some(&sign(body, SECRET, 1)), SECRET, 1).unwrap();
        let pi = event.payment_intent().unwrap();
        assert_eq!((pi.amount_received, pi.currency.as_str()), (500, "GBP"));
        assert_eq!(pi.latest_charge.as_deref(), Some("ch_1"));
        assert!(event.checkout_session().is_none());
    }
}
