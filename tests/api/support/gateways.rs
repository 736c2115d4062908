//! Card gateways: an app whose Stripe and Paystack point at local fakes,
//! starting a payment, gateway webhooks, paying by Stripe, and refunds.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::{
    Customer, TestApp,
    fakes::{paystack::FakePaystack, stripe::FakeStripe},
    json_with_status,
    orders::timeline,
};

pub const STRIPE_KEY: &str = "sk_test_fake_key";
pub const STRIPE_WEBHOOK: &str = "whsec_fake_secret";
pub const PAYSTACK_KEY: &str = "sk_test_paystack_fake";

/// An app wired to both fake gateways, and the fakes.
pub struct World {
    pub app: TestApp,
    pub stripe: FakeStripe,
    pub paystack: FakePaystack,
}

/// The app with the sample catalog, both gateways pointed at fakes, and a
/// clock at the real time (webhooks are signed with it).
pub fn world() -> World {
    let stripe = FakeStripe::start(STRIPE_KEY, STRIPE_WEBHOOK);
    let paystack = FakePaystack::start(PAYSTACK_KEY);
    let (s, p) = (stripe.url.clone(), paystack.url.clone());
    let app = TestApp::builder()
        .config(move |c| {
            c.gateways.stripe.secret_key = till::config::Secret::new(STRIPE_KEY);
            c.gateways.stripe.webhook_secret = till::config::Secret::new(STRIPE_WEBHOOK);
            c.gateways.stripe.publishable_key = "pk_test_fake".into();
            c.gateways.stripe.base_url = s;
            c.gateways.paystack.secret_key = till::config::Secret::new(PAYSTACK_KEY);
            c.gateways.paystack.base_url = p;
        })
        .spawn();
    app.clock.set(Timestamp::now());
    app.install_catalog();
    World {
        app,
        stripe,
        paystack,
    }
}

/// A Starter monthly order (4.99 USD); answers the invoice id.
pub async fn order(app: &TestApp, c: &Customer, key: &str) -> i64 {
    app.place_order(
        c,
        key,
        json!({"items": [{"package_id": "starter", "billing_cycle": "monthly", "domain": "example.com"}]}),
    )
    .await["invoice"]["id"]
        .as_i64()
        .unwrap()
}

/// Start paying `invoice` (`POST .../payments/start` with an
/// Idempotency-Key).
pub async fn start(
    app: &TestApp,
    c: &Customer,
    invoice: i64,
    key: &str,
    body: Value,
) -> reqwest::Response {
    app.http
        .post(app.url(&format!(
            "/api/v1/clients/{}/invoices/{invoice}/payments/start",
            c.client_id
        )))
        .bearer_auth(&c.access)
        .header("Idempotency-Key", key)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Post a gateway webhook as the gateway would.
pub async fn webhook(
    app: &TestApp,
    gateway: &str,
    header: &str,
    body: Vec<u8>,
    sig: &str,
) -> reqwest::Response {
    app.http
        .post(app.url(&format!("/api/v1/webhooks/{gateway}")))
        .header(header, sig)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

/// Post a Stripe webhook with its signature header.
pub async fn stripe_hook(app: &TestApp, body: Vec<u8>, sig: &str) -> reqwest::Response {
    webhook(app, "stripe", "Stripe-Signature", body, sig).await
}

/// Staff refund a payment (`POST /payments/{id}/refund`).
pub async fn refund(app: &TestApp, staff: &str, payment: i64, body: Value) -> reqwest::Response {
    app.http
        .post(app.url(&format!("/api/v1/payments/{payment}/refund")))
        .bearer_auth(staff)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Order a Starter and pay it by Stripe; answers (invoice, payment).
pub async fn paid_by_stripe(w: &World, c: &Customer, key: &str) -> (i64, i64) {
    let inv = order(&w.app, c, key).await;
    let (payment, _) = pay_by_stripe(w, c, inv, key).await;
    (inv, payment)
}

/// Pay an invoice through the fake Stripe (its webhook tells till);
/// answers the payment id and the PaymentIntent.
pub async fn pay_by_stripe(w: &World, c: &Customer, inv: i64, key: &str) -> (i64, String) {
    let started = json_with_status(
        start(&w.app, c, inv, key, json!({"gateway": "stripe"})).await,
        201,
    )
    .await;
    let pi = started["payment"]["payment_intent_id"].as_str().unwrap();
    let paid = w.stripe.succeed(pi);
    let (b, s) = w.stripe.event("payment_intent.succeeded", &paid);
    json_with_status(stripe_hook(&w.app, b, &s).await, 200).await;
    let t = timeline(&w.app, c, inv).await;
    let payment = t["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "payment")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .trim_start_matches("payment-")
        .parse()
        .unwrap();
    (payment, pi.to_string())
}
