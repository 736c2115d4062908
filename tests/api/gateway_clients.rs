//! till's gateway clients against the local fakes: the wire formats, the
//! error mapping, idempotency, and webhooks delivered by a fake and checked
//! by till's verification.

use serde_json::json;
use till::integrations::gateways::{
    GatewayError,
    paystack::{self, InitRequest, Paystack},
    stripe::{self, CheckoutRequest, IntentRequest, Stripe},
};

use crate::support::fakes::{FakePaystack, FakeStripe, WebhookReceiver, closed_port_url, unix_now};

const SK: &str = "sk_test_fake_stripe";
const WHSEC: &str = "whsec_fake";
const PSK: &str = "sk_test_fake_paystack";

fn intent_request<'a>(amount: i64, key: &'a str) -> IntentRequest<'a> {
    IntentRequest {
        amount,
        currency: "EUR",
        idempotency_key: key,
        description: "Invoice 2026-00001",
        metadata: &[("invoice_id", "1"), ("client_id", "7")],
        receipt_email: Some("buyer@example.com"),
    }
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn fake_stripe_creates_intents_idempotently() {
    let fake = FakeStripe::start(SK, WHSEC);
    let client = Stripe::new(&fake.url, SK);

    let pi = client
        .create_payment_intent(&intent_request(1999, "key-1"))
        .await
        .unwrap();
    assert!(pi.id.starts_with("pi_"));
    assert!(
        pi.client_secret
            .as_deref()
            .unwrap()
            .starts_with(&format!("{}_secret_", pi.id))
    );
    assert_eq!((pi.amount, pi.currency.as_str()), (1999, "EUR"));
    assert_eq!(pi.status, "requires_payment_method");
    assert_eq!(pi.metadata.get("invoice_id").map(String::as_str), Some("1"));
    let stored = fake.intent(&pi.id).unwrap();
    assert_eq!(stored["currency"], "eur");
    assert_eq!(stored["automatic_payment_methods"]["enabled"], true);
    assert_eq!(stored["receipt_email"], "buyer@example.com");

    let again = client
        .create_payment_intent(&intent_request(1999, "key-1"))
        .await
        .unwrap();
    assert_eq!(again, pi);

    let err = client
        .create_payment_intent(&intent_request(2500, "key-1"))
        .await
        .unwrap_err();
    match err {
        GatewayError::Rejected { status, message } => {
            assert_eq!(status, 400);
            assert!(message.contains("same parameters"), "{message}");
        }
        other => panic!("{other:?}"),
    }

    let fetched = client.retrieve_payment_intent(&pi.id).await.unwrap();
    assert_eq!(fetched.id, pi.id);
    let missing = client.retrieve_payment_intent("pi_nope").await.unwrap_err();
    assert!(
        matches!(missing, GatewayError::Rejected { status: 404, .. }),
        "{missing:?}"
    );

    let bad = client
        .create_payment_intent(&intent_request(0, "key-2"))
        .await
        .unwrap_err();
    assert!(
        matches!(bad, GatewayError::Rejected { status: 400, .. }),
        "{bad:?}"
    );

    let creates = fake
        .requests()
        .into_iter()
        .filter(|r| r == &("POST".into(), "/v1/payment_intents".into()))
        .count();
    assert_eq!(creates, 4);
}

#[tokio::test]
async fn fake_stripe_refuses_a_wrong_key_and_over_refunds() {
    let fake = FakeStripe::start(SK, WHSEC);
    let wrong = Stripe::new(&fake.url, "sk_test_wrong1234");
    match wrong.retrieve_payment_intent("pi_x").await.unwrap_err() {
        GatewayError::Rejected { status, message } => {
            assert_eq!(status, 401);
            assert!(message.starts_with("Invalid API Key provided"), "{message}");
            assert!(!message.contains("wrong"), "the key is masked: {message}");
        }
        other => panic!("{other:?}"),
    }

    let client = Stripe::new(&fake.url, SK);
    let pi = client
        .create_payment_intent(&intent_request(1000, "refund-test"))
        .await
        .unwrap();
    let unpaid = client.create_refund(&pi.id, 100, "r0").await.unwrap_err();
    assert!(
        matches!(unpaid, GatewayError::Rejected { status: 400, .. }),
        "{unpaid:?}"
    );

    let after = fake.succeed(&pi.id);
    assert_eq!(after["amount_received"], 1000);
    let refund = client.create_refund(&pi.id, 600, "r1").await.unwrap();
    assert!(refund.id.starts_with("re_"));
    assert_eq!((refund.status.as_str(), refund.amount), ("succeeded", 600));
    // A retry with the same key is the same refund, not a second one.
    assert_eq!(
        client.create_refund(&pi.id, 600, "r1").await.unwrap(),
        refund
    );

    match client.create_refund(&pi.id, 500, "r2").await.unwrap_err() {
        GatewayError::Rejected { status, message } => {
            assert_eq!(status, 400);
            assert!(message.contains("greater than unrefunded"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(fake.refunds().len(), 1);

    let declined = fake.fail(
        &client
            .create_payment_intent(&intent_request(5, "d"))
            .await
            .unwrap()
            .id,
        "Your card was declined.",
    );
    let pi = client
        .retrieve_payment_intent(declined["id"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(
        pi.last_payment_error.as_deref(),
        Some("Your card was declined.")
    );
}

#[tokio::test]
async fn fake_gateways_behind_a_closed_port_are_unreachable() {
    let url = closed_port_url();
    let err = Stripe::new(&url, SK)
        .retrieve_payment_intent("pi_1")
        .await
        .unwrap_err();
    assert!(matches!(err, GatewayError::Unreachable(_)), "{err:?}");
    assert!(err.retryable());
    let err = Paystack::new(&url, PSK).verify("ref").await.unwrap_err();
    assert!(matches!(err, GatewayError::Unreachable(_)), "{err:?}");
}

#[tokio::test]
async fn fake_stripe_checkout_pays_and_delivers_verifiable_webhooks() {
    let fake = FakeStripe::start(SK, WHSEC);
    let receiver = WebhookReceiver::start();
    fake.set_webhook_target(&format!("{}/webhooks/stripe", receiver.url));
    let client = Stripe::new(&fake.url, SK);

    let session = client
        .create_checkout_session(&CheckoutRequest {
            amount: 4200,
            currency: "usd",
            product_name: "Invoice 2026-00042",
            success_url: "https://till.test/paid?session={CHECKOUT_SESSION_ID}",
            cancel_url: "https://till.test/invoices/42",
            client_reference_id: Some("invoice-42"),
            customer_email: Some("buyer@example.com"),
            metadata: &[("invoice_id", "42")],
            idempotency_key: "checkout-42",
        })
        .await
        .unwrap();
    assert_eq!(session.payment_status, "unpaid");
    assert_eq!(
        (session.amount_total, session.currency.as_deref()),
        (Some(4200), Some("USD"))
    );
    let pi_id = session.payment_intent.clone().unwrap();
    assert_eq!(
        fake.intent(&pi_id).unwrap()["metadata"],
        json!({"invoice_id": "42"})
    );

    let page_url = session.url.clone().unwrap();
    let page = browser()
        .get(&page_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"pay\""), "{page}");
    let paid = browser().post(&page_url).send().await.unwrap();
    assert_eq!(paid.status(), 303);
    assert_eq!(
        paid.headers()["location"],
        format!("https://till.test/paid?session={}", session.id).as_str()
    );

    let got = receiver.received();
    assert_eq!(got.len(), 2);
    assert!(fake.deliveries().iter().all(|d| d.status == Some(200)));
    let events: Vec<stripe::Event> = got
        .iter()
        .map(|r| {
            assert_eq!(r.path, "/webhooks/stripe");
            stripe::verify_webhook(&r.body, r.header("stripe-signature"), WHSEC, unix_now())
                .unwrap()
        })
        .collect();
    assert_eq!(events[0].kind, "payment_intent.succeeded");
    let pi = events[0].payment_intent().unwrap();
    assert_eq!(
        (pi.id.as_str(), pi.status.as_str(), pi.amount_received),
        (pi_id.as_str(), "succeeded", 4200)
    );
    assert!(pi.latest_charge.unwrap().starts_with("ch_"));
    assert_eq!(events[1].kind, "checkout.session.completed");
    assert_eq!(events[1].checkout_session().unwrap().payment_status, "paid");

    let now = client.retrieve_checkout_session(&session.id).await.unwrap();
    assert_eq!(
        (now.payment_status.as_str(), now.status.as_deref()),
        ("paid", Some("complete"))
    );

    // Test-built events verify too; an old one is stale, another secret a mismatch.
    let (body, header) = fake.event("payment_intent.succeeded", &fake.intent(&pi_id).unwrap());
    assert!(stripe::verify_webhook(&body, Some(&header), WHSEC, unix_now()).is_ok());
    let (body, header) = fake.event_at("payment_intent.succeeded", &json!({}), unix_now() - 301);
    assert_eq!(
        stripe::verify_webhook(&body, Some(&header), WHSEC, unix_now()),
        Err(till::integrations::gateways::WebhookError::Stale)
    );
    assert_eq!(
        stripe::verify_webhook(&body, Some(&header), "whsec_other", unix_now()),
        Err(till::integrations::gateways::WebhookError::Mismatch)
    );
}

fn init<'a>(reference: &'a str, amount: i64) -> InitRequest<'a> {
    InitRequest {
        email: "buyer@example.com",
        amount,
        currency: "NGN",
        reference,
        callback_url: "https://till.test/paystack/return",
        metadata: json!({"invoice_id": 9}),
    }
}

#[tokio::test]
async fn fake_paystack_initializes_verifies_and_refunds() {
    let fake = FakePaystack::start(PSK);
    let client = Paystack::new(&fake.url, PSK);

    let started = client.initialize(&init("inv-9-a", 500_000)).await.unwrap();
    assert_eq!(started.reference, "inv-9-a");
    assert_eq!(
        started.authorization_url,
        format!("{}/checkout/{}", fake.url, started.access_code)
    );
    match client
        .initialize(&init("inv-9-a", 500_000))
        .await
        .unwrap_err()
    {
        GatewayError::Rejected { status, message } => {
            assert_eq!(
                (status, message.as_str()),
                (400, "Duplicate Transaction Reference")
            );
        }
        other => panic!("{other:?}"),
    }

    let tx = client.verify("inv-9-a").await.unwrap();
    assert_eq!(
        (tx.status.as_str(), tx.amount, tx.currency.as_str()),
        ("abandoned", 500_000, "NGN")
    );
    assert!(tx.paid_at.is_none());
    match client.verify("nope/../x").await.unwrap_err() {
        GatewayError::Rejected { status, message } => {
            assert_eq!(
                (status, message.as_str()),
                (400, "Transaction reference not found")
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        fake.requests()
            .contains(&("GET".into(), "/transaction/verify/nope%2F..%2Fx".into()))
    );

    let wrong = Paystack::new(&fake.url, "sk_test_wrong");
    assert!(matches!(
        wrong.verify("inv-9-a").await.unwrap_err(),
        GatewayError::Rejected { status: 401, ref message } if message == "Invalid key"
    ));

    assert!(client.refund("inv-9-a", 100).await.is_err(), "unpaid");
    fake.complete("inv-9-a", true);
    let tx = client.verify("inv-9-a").await.unwrap();
    assert_eq!(tx.status, "success");
    assert!(tx.paid_at.is_some());
    let refund = client.refund("inv-9-a", 200_000).await.unwrap();
    assert_eq!(
        (refund.status.as_str(), refund.amount),
        ("pending", 200_000)
    );
    let over = client
        .refund(&tx.id.to_string(), 300_001)
        .await
        .unwrap_err();
    assert!(
        matches!(over, GatewayError::Rejected { status: 400, .. }),
        "{over:?}"
    );
    assert_eq!(fake.refunds().len(), 1);

    // Paystack also takes the amount as a numeric string, and makes up a
    // reference when none is given.
    let raw: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/transaction/initialize", fake.url))
        .bearer_auth(PSK)
        .json(&json!({"email": "a@b.c", "amount": "1500"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let reference = raw["data"]["reference"].as_str().unwrap();
    assert_eq!(client.verify(reference).await.unwrap().amount, 1500);
}

#[tokio::test]
async fn fake_paystack_checkout_pays_and_delivers_a_verifiable_webhook() {
    let fake = FakePaystack::start(PSK);
    let receiver = WebhookReceiver::start();
    fake.set_webhook_target(&receiver.url);
    let client = Paystack::new(&fake.url, PSK);
    let started = client.initialize(&init("inv 10/b", 7_500)).await.unwrap();

    let page = browser()
        .get(&started.authorization_url)
        .send()
        .await
        .unwrap();
    assert!(page.text().await.unwrap().contains("id=\"pay\""));
    let paid = browser()
        .post(&started.authorization_url)
        .send()
        .await
        .unwrap();
    assert_eq!(paid.status(), 302);
    assert_eq!(
        paid.headers()["location"],
        "https://till.test/paystack/return?trxref=inv+10%2Fb&reference=inv+10%2Fb"
    );

    let got = receiver.received();
    assert_eq!(got.len(), 1);
    assert_eq!(fake.deliveries()[0].status, Some(200));
    let event =
        paystack::verify_webhook(&got[0].body, got[0].header("x-paystack-signature"), PSK).unwrap();
    assert_eq!(event.event, "charge.success");
    assert_eq!(event.transaction_reference(), Some("inv 10/b"));
    assert_eq!(event.data["status"], "success");
    assert_eq!(event.id(), format!("charge.success:{}", event.data["id"]));
    assert_eq!(client.verify("inv 10/b").await.unwrap().status, "success");

    let (body, signature) = fake.event("charge.success", "inv 10/b");
    assert!(paystack::verify_webhook(&body, Some(&signature), PSK).is_ok());
    assert!(paystack::verify_webhook(&body, Some(&signature), "sk_other").is_err());
}
