//! Unit tests for `integrations::gateways::paystack`.

use super::*;

use crate::integrations::gateways::WebhookError;

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
