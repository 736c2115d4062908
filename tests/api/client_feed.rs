//! The client event feed (issue 12): what a customer sees of the audit
//! rows about their account is a whitelisted set of fields per kind of
//! event, so gateway attempt ids, staff IP addresses, refund reasons and
//! module errors never reach it (API and the dashboard page).

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::support::{
    Browser, TestApp,
    fakes::{FakePaystack, FakeStripe},
    gateways::{PAYSTACK_KEY, STRIPE_KEY, STRIPE_WEBHOOK, order, start},
    json_with_status, sql,
};

const STAFF_IP: &str = "203.0.113.77";
const REASON: &str = "chargeback risk: card flagged by our fraud desk";

#[tokio::test]
async fn the_client_event_feed_never_shows_gateway_attempt_ids_staff_ips_or_refund_reasons() {
    let stripe = FakeStripe::start(STRIPE_KEY, STRIPE_WEBHOOK);
    let paystack = FakePaystack::start(PAYSTACK_KEY);
    let (s, p) = (stripe.url.clone(), paystack.url.clone());
    let app = TestApp::builder()
        .config(move |c| {
            c.gateways.stripe.secret_key = till::config::Secret::new(STRIPE_KEY);
            c.gateways.stripe.webhook_secret = till::config::Secret::new(STRIPE_WEBHOOK);
            c.gateways.stripe.base_url = s;
            c.gateways.paystack.secret_key = till::config::Secret::new(PAYSTACK_KEY);
            c.gateways.paystack.base_url = p;
            // Staff reach till through a proxy, which reports their address.
            c.http.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
        })
        .spawn();
    app.clock.set(Timestamp::now());
    app.install_catalog();
    let staff = app.staff_key(&["billing:read", "billing:write"]);
    let c = app.customer("ama@example.com").await;

    // A card payment is started (its attempt id is in the audit row) ...
    let invoice = order(&app, &c, "feed-1").await;
    json_with_status(
        start(&app, &c, invoice, "feed-1", json!({"gateway": "stripe"})).await,
        201,
    )
    .await;
    let attempt = sql::payment_attempt_uuid(&app);
    // ... then staff record a bank payment and refund it to credit, with a
    // reason meant for staff, from their own address.
    let paid = app
        .http
        .post(app.url(&format!("/api/v1/invoices/{invoice}/pay")))
        .bearer_auth(&staff)
        .header("X-Forwarded-For", STAFF_IP)
        .json(&json!({"amount": "4.99", "gateway": "bank_transfer", "transaction_id": "BANK-77"}))
        .send()
        .await
        .unwrap();
    let paid = json_with_status(paid, 200).await;
    let payment = paid["payment"]["id"]
        .as_i64()
        .or_else(|| paid["data"]["id"].as_i64())
        .unwrap_or_else(|| panic!("{paid}"));
    let refunded = app
        .http
        .post(app.url(&format!("/api/v1/payments/{payment}/refund")))
        .bearer_auth(&staff)
        .header("X-Forwarded-For", STAFF_IP)
        .json(&json!({"destination": "credit", "reason": REASON}))
        .send()
        .await
        .unwrap();
    assert!(
        refunded.status().is_success(),
        "{}",
        refunded.text().await.unwrap()
    );

    // Staff's own audit trail keeps all of it.
    let audit = app.staff_key(&["audit:read"]);
    let trail = json_with_status(
        app.get_auth("/api/v1/audit-log?per_page=100", &audit).await,
        200,
    )
    .await
    .to_string();
    for kept in [attempt.as_str(), STAFF_IP, REASON] {
        assert!(trail.contains(kept), "{kept} in the staff audit log");
    }

    // The customer's feed shows what happened, without any of it.
    let feed = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/events?per_page=100", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    let events = feed["data"].as_array().unwrap();
    let action = |a: &str| -> Value {
        events
            .iter()
            .find(|e| e["action"] == a)
            .unwrap_or_else(|| panic!("no {a} in {feed}"))
            .clone()
    };
    assert_eq!(action("payment.started")["details"]["gateway"], "stripe");
    assert_eq!(action("refund.issued")["details"]["destination"], "credit");
    assert_eq!(action("payment.recorded")["actor"], "staff");
    assert!(action("payment.recorded")["ip"].is_null());
    let text = feed.to_string();
    for hidden in [attempt.as_str(), STAFF_IP, REASON, "fraud"] {
        assert!(!text.contains(hidden), "{hidden} leaked into {text}");
    }
    let dash = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/dashboard", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await
    .to_string();
    for hidden in [attempt.as_str(), STAFF_IP, REASON] {
        assert!(!dash.contains(hidden), "{hidden} leaked into the dashboard");
    }

    // Nor does the invoice's payment timeline, which shows the refund.
    let timeline = json_with_status(
        app.get_auth(
            &format!(
                "/api/v1/clients/{}/invoices/{invoice}/payment-timeline",
                c.client_id
            ),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    assert!(
        timeline["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["type"] == "refund"),
        "{timeline}"
    );
    for hidden in [STAFF_IP, REASON, "fraud"] {
        assert!(
            !timeline.to_string().contains(hidden),
            "{hidden} leaked into the payment timeline"
        );
    }

    // Nor does the dashboard page.
    let mut browser = Browser::new(&app);
    let res = browser
        .submit(
            "/login",
            "/login",
            &[
                ("email", c.email.as_str()),
                ("password", c.password.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let page = browser.get("/account").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Recent activity"));
    assert!(page.body.contains("refund.issued") || page.body.contains("Refund"));
    for hidden in [attempt.as_str(), STAFF_IP, REASON] {
        assert!(
            !page.body.contains(hidden),
            "{hidden} on the dashboard page"
        );
    }
}
