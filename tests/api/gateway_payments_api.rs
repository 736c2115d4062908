//! Paying invoices by card: starting a payment with Stripe or Paystack
//! (idempotent), webhooks (signature, tolerance, replay, amount), fees,
//! status and timeline, refunds. The gateways are local fakes that speak
//! their wire formats.

use serde_json::{Value, json};
use till::clock::Clock;

use crate::support::{
    TestApp,
    fakes::unix_now,
    gateways::{order, paid_by_stripe, refund, start, stripe_hook, webhook, world},
    json_with_status,
    orders::{invoice, timeline},
};

fn count(requests: &[(String, String)], method: &str, path: &str) -> usize {
    requests
        .iter()
        .filter(|(m, p)| m == method && p == path)
        .count()
}

#[tokio::test]
async fn a_stripe_start_gives_a_client_secret_and_a_retry_replays_it_byte_for_byte() {
    let w = world();
    let c = w.app.customer("card@example.com").await;
    let inv = order(&w.app, &c, "o-1").await;
    let first = start(&w.app, &c, inv, "pay-1", json!({"gateway": "stripe"})).await;
    assert_eq!(first.status(), 201);
    let first = first.text().await.unwrap();
    let body: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(body["invoice_id"], inv);
    let p = &body["payment"];
    assert_eq!(p["gateway"], "stripe");
    assert_eq!(p["mode"], "test");
    assert_eq!(p["publishable_key"], "pk_test_fake");
    assert!(p["client_secret"].as_str().unwrap().contains("_secret_"));
    assert_eq!(p["amount"]["amount_minor"], 499);
    let pi = p["payment_intent_id"].as_str().unwrap();
    assert_eq!(w.stripe.intent(pi).unwrap()["amount"], 499);

    let again = start(&w.app, &c, inv, "pay-1", json!({"gateway": "stripe"})).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.text().await.unwrap(), first);
    assert_eq!(
        count(&w.stripe.requests(), "POST", "/v1/payment_intents"),
        1
    );

    let other = start(&w.app, &c, inv, "pay-1", json!({"gateway": "paystack"})).await;
    let err = json_with_status(other, 422).await;
    assert!(err["errors"]["Idempotency-Key"].is_array());
}

#[tokio::test]
async fn concurrent_starts_with_one_key_open_one_charge() {
    let w = world();
    let c = w.app.customer("race@example.com").await;
    let inv = order(&w.app, &c, "o-1").await;
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let (http, url, token) = (
            w.app.http.clone(),
            w.app.url(&format!(
                "/api/v1/clients/{}/invoices/{inv}/payments/start",
                c.client_id
            )),
            c.access.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let res = http
                .post(url)
                .bearer_auth(token)
                .header("Idempotency-Key", "same")
                .json(&json!({"gateway": "stripe"}))
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }));
    }
    let mut bodies = Vec::new();
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert!(status == 201 || status == 409, "{status} {body}");
        if status == 201 {
            bodies.push(body);
        }
    }
    assert!(!bodies.is_empty());
    assert!(bodies.windows(2).all(|p| p[0] == p[1]));
    assert_eq!(
        count(&w.stripe.requests(), "POST", "/v1/payment_intents"),
        1
    );
}

#[tokio::test]
async fn stripe_webhooks_pay_the_invoice_once_and_refuse_anything_not_genuine() {
    let w = world();
    let c = w.app.customer("hook@example.com").await;
    let inv = order(&w.app, &c, "o-1").await;
    let started = json_with_status(
        start(&w.app, &c, inv, "k", json!({"gateway": "stripe"})).await,
        201,
    )
    .await;
    let pi = started["payment"]["payment_intent_id"]
        .as_str()
        .unwrap()
        .to_string();
    let paid = w.stripe.succeed(&pi);

    // A tampered byte, a wrong secret, a stale timestamp, no signature.
    let (body, sig) = w.stripe.event("payment_intent.succeeded", &paid);
    let mut tampered = body.clone();
    let i = tampered.iter().position(|b| *b == b'4').unwrap();
    tampered[i] = b'5';
    assert_eq!(stripe_hook(&w.app, tampered, &sig).await.status(), 400);
    let forged = till::integrations::gateways::stripe::sign(&body, "whsec_wrong", unix_now());
    assert_eq!(
        stripe_hook(&w.app, body.clone(), &forged).await.status(),
        400
    );
    let (old_body, old_sig) = w
        .stripe
        // Stale by the app's clock (frozen at setup while real time
        // moves on), which is the clock the tolerance is checked with.
        .event_at(
            "payment_intent.succeeded",
            &paid,
            w.app.clock.now().as_second() - 301,
        );
    assert_eq!(stripe_hook(&w.app, old_body, &old_sig).await.status(), 400);
    let res = w
        .app
        .http
        .post(w.app.url("/api/v1/webhooks/stripe"))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);

    // Correctly signed, but for another amount: recorded as rejected.
    let mut wrong = paid.clone();
    wrong["amount_received"] = json!(1);
    wrong["amount"] = json!(1);
    let (wb, ws) = w.stripe.event("payment_intent.succeeded", &wrong);
    let r = json_with_status(stripe_hook(&w.app, wb, &ws).await, 200).await;
    assert_eq!(r["outcome"], "rejected");
    assert_eq!(invoice(&w.app, &c, inv).await["data"]["status"], "unpaid");

    // The genuine event pays it; a replay changes nothing.
    let r = json_with_status(stripe_hook(&w.app, body.clone(), &sig).await, 200).await;
    assert_eq!(r["outcome"], "processed");
    let r = json_with_status(stripe_hook(&w.app, body, &sig).await, 200).await;
    assert_eq!(r["outcome"], "duplicate");
    // Another delivery of the same charge under a new event id: still one payment.
    let (again, again_sig) = w.stripe.event("payment_intent.succeeded", &paid);
    json_with_status(stripe_hook(&w.app, again, &again_sig).await, 200).await;

    let shown = invoice(&w.app, &c, inv).await;
    assert_eq!(shown["data"]["status"], "paid");
    let payments = json_with_status(
        w.app
            .get_auth(
                &format!("/api/v1/clients/{}/payments", c.client_id),
                &c.access,
            )
            .await,
        200,
    )
    .await;
    let list = payments["data"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["transaction_id"], pi.as_str());
    assert_eq!(list[0]["gateway"], "stripe");

    // The order went live and the receipt was queued.
    let orders = json_with_status(
        w.app
            .get_auth(
                &format!("/api/v1/clients/{}/orders", c.client_id),
                &c.access,
            )
            .await,
        200,
    )
    .await;
    assert_eq!(orders["data"][0]["status"], "active");
    let mail = w.app.deliver_mail().await;
    assert!(mail.iter().any(|m| m.subject.contains("Payment received")));
    assert!(mail.iter().any(|m| m.subject.contains("is active")));

    // Paid: a new start is refused.
    let res = start(&w.app, &c, inv, "k2", json!({"gateway": "stripe"})).await;
    assert_eq!(res.status(), 409);
}

#[tokio::test]
async fn a_declined_card_shows_in_the_timeline_and_a_later_success_still_pays() {
    let w = world();
    let c = w.app.customer("decline@example.com").await;
    let inv = order(&w.app, &c, "o-1").await;
    let started = json_with_status(
        start(&w.app, &c, inv, "k", json!({"gateway": "stripe"})).await,
        201,
    )
    .await;
    let pi = started["payment"]["payment_intent_id"]
        .as_str()
        .unwrap()
        .to_string();
    let failed = w.stripe.fail(&pi, "Your card was declined.");
    let (b, s) = w.stripe.event("payment_intent.payment_failed", &failed);
    json_with_status(stripe_hook(&w.app, b, &s).await, 200).await;

    let status = json_with_status(
        w.app
            .get_auth(
                &format!(
                    "/api/v1/clients/{}/invoices/{inv}/payment-status",
                    c.client_id
                ),
                &c.access,
            )
            .await,
        200,
    )
    .await;
    assert_eq!(status["paid"], false);
    assert_eq!(status["payment_status"], "failed");
    assert_eq!(status["decline"], "Your card was declined.");

    let paid = w.stripe.succeed(&pi);
    let (b, s) = w.stripe.event("payment_intent.succeeded", &paid);
    json_with_status(stripe_hook(&w.app, b, &s).await, 200).await;
    let t = timeline(&w.app, &c, inv).await;
    assert_eq!(t["invoice"]["status"], "paid");
    assert_eq!(t["summary"]["balance_due"]["amount_minor"], 0);
    let kinds: Vec<&str> = t["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["attempt", "payment"]);
    assert_eq!(t["timeline"][0]["status"], "succeeded");
}

#[tokio::test]
async fn paystack_webhooks_are_confirmed_through_verify() {
    let w = world();
    let c = w.app.customer("ps@example.com").await;
    let inv = order(&w.app, &c, "o-1").await;
    let started = json_with_status(
        start(&w.app, &c, inv, "k", json!({"gateway": "paystack"})).await,
        201,
    )
    .await;
    let p = &started["payment"];
    assert!(
        p["authorization_url"]
            .as_str()
            .unwrap()
            .starts_with(&w.paystack.url)
    );
    let reference = p["reference"].as_str().unwrap().to_string();

    // Signed, but Paystack's verify says the charge has not succeeded:
    // nothing is paid, and the event is not marked seen, so the genuine
    // delivery later still counts.
    let (b, s) = w.paystack.event("charge.success", &reference);
    let r = json_with_status(
        webhook(&w.app, "paystack", "x-paystack-signature", b, &s).await,
        200,
    )
    .await;
    assert_eq!(r["outcome"], "ignored");
    assert_eq!(invoice(&w.app, &c, inv).await["data"]["status"], "unpaid");

    w.paystack.complete(&reference, true);
    let (b, s) = w.paystack.event("charge.success", &reference);
    let mut tampered = b.clone();
    tampered.push(b' ');
    assert_eq!(
        webhook(&w.app, "paystack", "x-paystack-signature", tampered, &s)
            .await
            .status(),
        400
    );
    let forged = till::integrations::gateways::paystack::sign(&b, "sk_wrong");
    assert_eq!(
        webhook(
            &w.app,
            "paystack",
            "x-paystack-signature",
            b.clone(),
            &forged
        )
        .await
        .status(),
        400
    );
    let r = json_with_status(
        webhook(&w.app, "paystack", "x-paystack-signature", b.clone(), &s).await,
        200,
    )
    .await;
    assert_eq!(r["outcome"], "processed");
    let r = json_with_status(
        webhook(&w.app, "paystack", "x-paystack-signature", b, &s).await,
        200,
    )
    .await;
    assert_eq!(r["outcome"], "duplicate");
    assert_eq!(invoice(&w.app, &c, inv).await["data"]["status"], "paid");
    assert!(
        count(
            &w.paystack.requests(),
            "GET",
            &format!("/transaction/verify/{reference}")
        ) >= 2
    );
}

#[tokio::test]
async fn a_method_fee_is_an_invoice_line_and_the_gateway_collects_it() {
    let w = world();
    let staff = w.app.staff_key(&["billing:write", "billing:read"]);
    let res = w
        .app
        .http
        .patch(w.app.url("/api/v1/payment-methods/stripe"))
        .bearer_auth(&staff)
        .json(&json!({"percent_fee": "2.9", "fixed_fee": "0.30"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let c = w.app.customer("fee@example.com").await;
    let inv = order(&w.app, &c, "o-1").await;
    let started = json_with_status(
        start(&w.app, &c, inv, "k", json!({"gateway": "stripe"})).await,
        201,
    )
    .await;
    // 4.99 × 2.9% = 0.14471 → 0.14, plus 0.30.
    assert_eq!(started["payment"]["fee"]["amount_minor"], 44);
    assert_eq!(started["payment"]["amount"]["amount_minor"], 543);
    let shown = invoice(&w.app, &c, inv).await;
    let lines = shown["data"]["items"].as_array().unwrap();
    let fee: Vec<&Value> = lines
        .iter()
        .filter(|l| l["kind"] == "gateway_fee")
        .collect();
    assert_eq!(fee.len(), 1);
    let sum: i64 = lines
        .iter()
        .map(|l| l["amount"]["amount_minor"].as_i64().unwrap())
        .sum();
    assert_eq!(
        sum,
        shown["data"]["total"]["amount_minor"].as_i64().unwrap()
    );
    assert_eq!(sum, 543);

    // Paystack has no fee: starting with it takes the fee line away.
    json_with_status(
        start(&w.app, &c, inv, "k2", json!({"gateway": "paystack"})).await,
        201,
    )
    .await;
    let shown = invoice(&w.app, &c, inv).await;
    assert_eq!(shown["data"]["total"]["amount_minor"], 499);

    // Paying the Stripe attempt puts its fee back: the invoice is paid exactly.
    let pi = started["payment"]["payment_intent_id"].as_str().unwrap();
    let paid = w.stripe.succeed(pi);
    let (b, s) = w.stripe.event("payment_intent.succeeded", &paid);
    json_with_status(stripe_hook(&w.app, b, &s).await, 200).await;
    let shown = invoice(&w.app, &c, inv).await;
    assert_eq!(shown["data"]["status"], "paid");
    assert_eq!(shown["data"]["total"]["amount_minor"], 543);
    assert_eq!(shown["data"]["amount_paid"]["amount_minor"], 543);
}

#[tokio::test]
async fn starting_needs_a_configured_gateway_and_a_key() {
    let w = world();
    let c = w.app.customer("bad@example.com").await;
    let inv = order(&w.app, &c, "o-1").await;
    let res = start(&w.app, &c, inv, "k", json!({"gateway": "bank_transfer"})).await;
    assert_eq!(res.status(), 422);
    let res = w
        .app
        .http
        .post(w.app.url(&format!(
            "/api/v1/clients/{}/invoices/{inv}/payments/start",
            c.client_id
        )))
        .bearer_auth(&c.access)
        .json(&json!({"gateway": "stripe"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    // Another client's invoice is not found.
    let other = w.app.customer("other@example.com").await;
    let res = start(&w.app, &other, inv, "k", json!({"gateway": "stripe"})).await;
    assert_eq!(res.status(), 404);
    assert_eq!(
        count(&w.stripe.requests(), "POST", "/v1/payment_intents"),
        0
    );

    // Without keys the card gateways are not offered at all.
    let plain = TestApp::spawn();
    plain.install_catalog();
    let methods = json_with_status(plain.get("/api/v1/payment-methods").await, 200).await;
    let codes: Vec<&str> = methods["payments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["code"].as_str().unwrap())
        .collect();
    assert!(
        !codes.contains(&"stripe") && !codes.contains(&"paystack"),
        "{codes:?}"
    );
    let methods = json_with_status(w.app.get("/api/v1/payment-methods").await, 200).await;
    let codes: Vec<&str> = methods["payments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"stripe") && codes.contains(&"paystack"),
        "{codes:?}"
    );
}

#[tokio::test]
async fn refunds_go_to_credit_or_back_through_the_gateway_and_never_exceed_the_payment() {
    let w = world();
    let staff = w.app.staff_key(&["billing:write", "billing:read"]);
    let c = w.app.customer("refund@example.com").await;
    let (inv, payment) = paid_by_stripe(&w, &c, "a").await;

    let res = refund(
        &w.app,
        &staff,
        payment,
        json!({"amount": "5.00", "destination": "credit"}),
    )
    .await;
    assert_eq!(res.status(), 422);
    let r = json_with_status(
        refund(
            &w.app,
            &staff,
            payment,
            json!({"amount": "1.99", "destination": "credit", "reason": "goodwill"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(r["data"]["status"], "succeeded");
    let me = json_with_status(
        w.app
            .get_auth(&format!("/api/v1/clients/{}", c.client_id), &c.access)
            .await,
        200,
    )
    .await;
    assert_eq!(me["data"]["credit_balance"]["amount_minor"], 199, "{me}");

    let r = json_with_status(
        refund(&w.app, &staff, payment, json!({"destination": "gateway"})).await,
        201,
    )
    .await;
    assert_eq!(r["data"]["amount"]["amount_minor"], 300);
    assert!(
        r["data"]["gateway_reference"]
            .as_str()
            .unwrap()
            .starts_with("re_")
    );
    assert_eq!(w.stripe.refunds().len(), 1);
    assert_eq!(w.stripe.refunds()[0]["amount"], 300);
    let res = refund(&w.app, &staff, payment, json!({"destination": "external"})).await;
    assert_eq!(res.status(), 422);

    let t = timeline(&w.app, &c, inv).await;
    assert_eq!(t["invoice"]["status"], "refunded");
    assert_eq!(t["summary"]["refunded"]["amount_minor"], 499);

    // A bank transfer cannot be refunded through a gateway.
    let inv2 = order(&w.app, &c, "b").await;
    let res = w.app.staff_pay(&staff, inv2, "4.99", "BANK-1").await;
    assert_eq!(res.status(), 200);
    let pay: Value = res.json().await.unwrap();
    let bank_payment = pay["payment"]["id"].as_i64().unwrap();
    let res = refund(
        &w.app,
        &staff,
        bank_payment,
        json!({"destination": "gateway"}),
    )
    .await;
    assert_eq!(res.status(), 422);
    let r = json_with_status(
        refund(
            &w.app,
            &staff,
            bank_payment,
            json!({"destination": "external"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(r["data"]["destination"], "external");
}

#[tokio::test]
async fn concurrent_refunds_cannot_return_more_than_was_paid() {
    let w = world();
    let staff = w.app.staff_key(&["billing:write", "billing:read"]);
    let c = w.app.customer("twice@example.com").await;
    let (_, payment) = paid_by_stripe(&w, &c, "a").await;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (http, url, key) = (
            w.app.http.clone(),
            w.app.url(&format!("/api/v1/payments/{payment}/refund")),
            staff.clone(),
        );
        tasks.push(tokio::spawn(async move {
            http.post(url)
                .bearer_auth(key)
                .json(&json!({"amount": "3.00", "destination": "credit"}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            201 => ok += 1,
            422 | 409 => {}
            other => panic!("{other}"),
        }
    }
    assert_eq!(ok, 1);
    let me = json_with_status(
        w.app
            .get_auth(&format!("/api/v1/clients/{}", c.client_id), &c.access)
            .await,
        200,
    )
    .await;
    assert_eq!(me["data"]["credit_balance"]["amount_minor"], 300);
}
