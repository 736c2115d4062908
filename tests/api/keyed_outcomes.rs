//! Typed outcomes of keyed writes: the key and its effect commit together,
//! the surface stores its answer after commit, a lost answer is given again
//! from the entity, and keys are scoped to the surface that took them.

use jiff::SignedDuration;
use serde_json::{Value, json};

use crate::support::{
    Browser, Customer, TestApp,
    gateways::{World, order, start, world},
    json_with_status,
    sql::{lose_stored_answers, stall_payment_starts},
};

const PASSWORD: &str = "correct horse battery staple";

fn setup() -> TestApp {
    TestApp::with_catalog()
}

/// The attempts on an invoice, as its payment timeline counts them.
async fn attempts(app: &TestApp, c: &Customer, invoice: i64) -> i64 {
    let res = app
        .get_auth(
            &format!(
                "/api/v1/clients/{}/invoices/{invoice}/payment-timeline",
                c.client_id
            ),
            &c.access,
        )
        .await;
    json_with_status(res, 200).await["summary"]["attempts"]
        .as_i64()
        .unwrap()
}

fn starter() -> Value {
    json!({"items": [{"type": "hosting", "package_id": "starter", "billing_cycle": "monthly",
                      "domain": "example.com", "domain_option": "existing"}]})
}

async fn place(app: &TestApp, token: &str, client: i64, key: &str) -> reqwest::Response {
    app.http
        .post(app.url(&format!("/api/v1/clients/{client}/orders")))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(&starter())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_order_whose_answer_was_lost_is_answered_again_from_the_order() {
    let app = setup();
    let c = app.customer("lost@example.com").await;
    let first = json_with_status(place(&app, &c.access, c.client_id, "o-1").await, 201).await;

    lose_stored_answers(&app);
    let again = place(&app, &c.access, c.client_id, "o-1").await;
    assert_eq!(again.status(), 201);
    let again_text = again.text().await.unwrap();
    let again: Value = serde_json::from_str(&again_text).unwrap();
    assert_eq!(again["order"]["id"], first["order"]["id"]);
    assert_eq!(again["invoice"]["id"], first["invoice"]["id"]);
    assert_eq!(again, first, "rendered from the order as placed");
    assert_eq!(app.order_count(None).await, 1);
    assert_eq!(app.invoice_count(None).await, 1);

    // The answer given again is stored: from now on it replays exactly.
    let third = place(&app, &c.access, c.client_id, "o-1").await;
    assert_eq!(third.text().await.unwrap(), again_text);
}

#[tokio::test]
async fn a_key_is_the_surfaces_own_the_api_and_the_client_area_never_share_answers() {
    let app = setup();
    let c = app.customer("surfaces@example.com").await;
    let mut browser = Browser::new(&app);
    browser.login(&c.email, PASSWORD).await;

    let api = json_with_status(place(&app, &c.access, c.client_id, "same-key").await, 201).await;
    let page = browser.get("/store/starter").await;
    let res = browser
        .post(
            "/store/starter/order",
            &[
                ("csrf", &page.csrf()),
                ("order_key", "same-key"),
                ("billing_cycle", "monthly"),
                ("domain", "example.com"),
            ],
        )
        .await;
    // The client area's answer is its own: a redirect to its own order's
    // invoice, never the API's JSON.
    assert_eq!(res.status, 303, "{}", res.body);
    let invoice = res.location().to_string();
    assert!(invoice.starts_with("/account/invoices/"));
    assert_ne!(
        invoice,
        format!("/account/invoices/{}", api["invoice"]["id"])
    );
    assert_eq!(app.order_count(None).await, 2);

    // Each surface replays its own answer.
    let again = browser
        .post(
            "/store/starter/order",
            &[
                ("csrf", &page.csrf()),
                ("order_key", "same-key"),
                ("billing_cycle", "monthly"),
                ("domain", "example.com"),
            ],
        )
        .await;
    assert_eq!(again.location(), invoice);
    let replay = json_with_status(place(&app, &c.access, c.client_id, "same-key").await, 201).await;
    assert_eq!(replay["order"]["id"], api["order"]["id"]);
    assert_eq!(app.order_count(None).await, 2);

    // A lost client-area answer is given again as the client area's own.
    lose_stored_answers(&app);
    let recovered = browser
        .post(
            "/store/starter/order",
            &[
                ("csrf", &page.csrf()),
                ("order_key", "same-key"),
                ("billing_cycle", "monthly"),
                ("domain", "example.com"),
            ],
        )
        .await;
    assert_eq!(recovered.status, 303);
    assert_eq!(recovered.location(), invoice);
    assert_eq!(app.order_count(None).await, 2);
}

#[tokio::test]
async fn a_cart_checked_out_through_the_api_is_the_same_order_in_the_client_area() {
    let app = setup();
    let c = app.customer("cartboth@example.com").await;
    let mut browser = Browser::new(&app);
    browser.login(&c.email, PASSWORD).await;
    let page = browser.get("/store/starter").await;
    let res = browser
        .post(
            "/store/starter/cart",
            &[
                ("csrf", &page.csrf()),
                ("billing_cycle", "monthly"),
                ("domain", "example.com"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let carts = json_with_status(app.get_auth("/api/v1/cart", &c.access).await, 200).await;
    let cart = carts["data"][0]["id"].as_str().unwrap().to_string();

    let api = app
        .http
        .post(app.url(&format!("/api/v1/cart/{cart}/checkout")))
        .bearer_auth(&c.access)
        .send()
        .await
        .unwrap();
    let api = json_with_status(api, 200).await;
    let invoice = api["data"]["order"]["invoice"]["id"].as_i64().unwrap();

    let cart_page = browser.get("/cart").await;
    let res = browser
        .post("/cart/checkout", &[("csrf", &cart_page.csrf())])
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), format!("/account/invoices/{invoice}"));
    assert_eq!(app.order_count(None).await, 1);
    assert_eq!(app.invoice_count(None).await, 1);
}

fn intents(w: &World) -> usize {
    w.stripe
        .requests()
        .iter()
        .filter(|(m, p)| m == "POST" && p == "/v1/payment_intents")
        .count()
}

#[tokio::test]
async fn a_payment_start_whose_answer_was_lost_gives_the_same_client_secret_without_a_second_call()
{
    let w = world();
    let c = w.app.customer("lostpay@example.com").await;
    let inv = order(&w.app, &c, "o-1").await;
    let first = start(&w.app, &c, inv, "pay-1", json!({"gateway": "stripe"})).await;
    let first = json_with_status(first, 201).await;
    assert_eq!(intents(&w), 1);

    lose_stored_answers(&w.app);
    let again = start(&w.app, &c, inv, "pay-1", json!({"gateway": "stripe"})).await;
    let again = json_with_status(again, 201).await;
    assert_eq!(again, first);
    assert!(again["payment"]["client_secret"].as_str().is_some());
    assert_eq!(
        intents(&w),
        1,
        "the attempt answered; the gateway is not asked"
    );
    assert_eq!(attempts(&w.app, &c, inv).await, 1);
}

#[tokio::test]
async fn a_start_that_stalled_on_its_gateway_is_resumed_by_its_key_once_the_wait_is_over() {
    let w = world();
    let c = w.app.customer("stalled@example.com").await;
    let inv = order(&w.app, &c, "o-1").await;
    let first = json_with_status(
        start(&w.app, &c, inv, "pay-1", json!({"gateway": "stripe"})).await,
        201,
    )
    .await;
    // The process died while the gateway was being asked: the attempt is
    // still starting and no answer was stored.
    stall_payment_starts(&w.app);

    let busy = start(&w.app, &c, inv, "pay-1", json!({"gateway": "stripe"})).await;
    let busy_status = busy.status();
    assert_eq!(
        busy_status,
        409,
        "still in progress: {}",
        busy.text().await.unwrap()
    );

    w.app.clock.advance(SignedDuration::from_secs(61));
    let resumed = start(&w.app, &c, inv, "pay-1", json!({"gateway": "stripe"})).await;
    let resumed = json_with_status(resumed, 201).await;
    // Asked again with the attempt's own key, the gateway answers the same
    // PaymentIntent.
    assert_eq!(
        resumed["payment"]["payment_intent_id"],
        first["payment"]["payment_intent_id"]
    );
    assert_eq!(resumed["attempt_id"], first["attempt_id"]);
    assert_eq!(attempts(&w.app, &c, inv).await, 1);
}

#[tokio::test]
async fn one_payment_key_on_two_invoices_is_refused() {
    let w = world();
    let c = w.app.customer("twoinv@example.com").await;
    let a = order(&w.app, &c, "o-1").await;
    let b = order(&w.app, &c, "o-2").await;
    json_with_status(
        start(&w.app, &c, a, "pay-1", json!({"gateway": "stripe"})).await,
        201,
    )
    .await;
    let other = start(&w.app, &c, b, "pay-1", json!({"gateway": "stripe"})).await;
    let err = json_with_status(other, 422).await;
    assert!(err["errors"]["Idempotency-Key"].is_array());
}
