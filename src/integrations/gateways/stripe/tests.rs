//! Unit tests for `integrations::gateways::stripe`.

use super::*;

use super::client::error_message;
use crate::integrations::gateways::endpoint;

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
