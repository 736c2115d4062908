//! Money is never created: each test is an attack on the ledger that must
//! fail. Credit for a plan or cycle change derives from what was paid for
//! the period, never from a live price; a refund never returns money that
//! became account credit unless that credit is given up in the same step.

use jiff::SignedDuration;
use serde_json::{Value, json};

use crate::support::{Customer, TestApp, call, json_with_status};

fn minor(v: &Value) -> i64 {
    v["amount_minor"].as_i64().unwrap()
}

async fn credit(app: &TestApp, c: &Customer) -> i64 {
    let me = json_with_status(
        app.get_auth(&format!("/api/v1/clients/{}", c.client_id), &c.access)
            .await,
        200,
    )
    .await;
    minor(&me["data"]["credit_balance"])
}

/// The service an order placed (none for an add-funds or domain order).
fn service_of(placed: &Value) -> i64 {
    placed["services"][0]["id"]
        .as_i64()
        .or_else(|| placed["order"]["items"][0]["id"].as_i64())
        .unwrap_or(0)
}

/// Order one item and answer (invoice id, service id).
async fn order(app: &TestApp, c: &Customer, key: &str, item: Value) -> (i64, i64) {
    let placed = app.place_order(c, key, json!({"items": [item]})).await;
    (
        placed["invoice"]["id"].as_i64().unwrap(),
        service_of(&placed),
    )
}

/// Staff record a bank payment; answers the payment id.
async fn pay(app: &TestApp, staff: &str, invoice: i64, amount: &str, tx: &str) -> i64 {
    let paid = json_with_status(app.staff_pay(staff, invoice, amount, tx).await, 200).await;
    paid["payment"]["id"].as_i64().unwrap()
}

async fn refund(app: &TestApp, staff: &str, payment: i64, body: Value) -> reqwest::Response {
    app.http
        .post(app.url(&format!("/api/v1/payments/{payment}/refund")))
        .bearer_auth(staff)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn change_plan(app: &TestApp, c: &Customer, service: i64, product: &str) -> Value {
    json_with_status(
        call(
            app,
            c,
            "POST",
            &format!("/services/{service}/upgrade"),
            Some(json!({ "product_id": product })),
        )
        .await,
        201,
    )
    .await
}

async fn change_cycle(app: &TestApp, c: &Customer, service: i64, body: Value) -> reqwest::Response {
    call(
        app,
        c,
        "POST",
        &format!("/services/{service}/cycle"),
        Some(body),
    )
    .await
}

async fn apply_credit(app: &TestApp, c: &Customer, invoice: i64) -> reqwest::Response {
    call(
        app,
        c,
        "POST",
        &format!("/invoices/{invoice}/apply-credit"),
        Some(json!({})),
    )
    .await
}

/// A paid Business monthly (9.99) bought on 15 January; answers the
/// service id.
async fn paid_business(app: &TestApp, c: &Customer, staff: &str) -> i64 {
    let (invoice, service) = order(
        app,
        c,
        "business",
        json!({"package_id": "business", "billing_cycle": "monthly", "domain": "shop.example"}),
    )
    .await;
    pay(app, staff, invoice, "9.99", &format!("T-{}", c.client_id)).await;
    service
}

#[tokio::test]
async fn a_cycle_switch_then_downgrade_mints_no_credit() {
    let app = TestApp::with_catalog();
    let staff = app.staff_key(&["billing:write"]);
    let c = app.customer("loop@example.com").await;
    let service = paid_business(&app, &c, &staff).await;

    // Annually from the next due date: the paid month keeps its end.
    let switched = json_with_status(
        change_cycle(&app, &c, service, json!({"billing_cycle": "annually"})).await,
        200,
    )
    .await;
    assert_eq!(switched["data"]["next_due_date"], "2026-02-15");
    // Down to Starter on the day of purchase: the whole paid month is
    // unused, worth 9.99 - 4.99 = 5.00 (the monthly prices the period was
    // paid in), not the annual prices' 50.00.
    let down = change_plan(&app, &c, service, "starter").await;
    assert_eq!(minor(&down["change"]["amount_now"]), -500);
    assert_eq!(credit(&app, &c).await, 500);

    // Round and round: back up (paid from that credit), down again. The
    // credit never grows past what the unused month was paid.
    for round in 0..3 {
        let up = change_plan(&app, &c, service, "business").await;
        let invoice = up["invoice"]["id"].as_i64().unwrap();
        assert_eq!(minor(&up["invoice"]["total"]), 500, "round {round}");
        json_with_status(apply_credit(&app, &c, invoice).await, 200).await;
        assert_eq!(credit(&app, &c).await, 0, "round {round}");
        json_with_status(
            change_cycle(&app, &c, service, json!({"billing_cycle": "monthly"})).await,
            200,
        )
        .await;
        json_with_status(
            change_cycle(&app, &c, service, json!({"billing_cycle": "annually"})).await,
            200,
        )
        .await;
        let down = change_plan(&app, &c, service, "starter").await;
        assert_eq!(minor(&down["change"]["amount_now"]), -500, "round {round}");
        assert_eq!(credit(&app, &c).await, 500, "round {round}");
    }
    // The next renewal is Starter, annually.
    let s = json_with_status(
        call(&app, &c, "GET", &format!("/services/{service}"), None).await,
        200,
    )
    .await;
    assert_eq!(s["data"]["product"], "Starter");
    assert_eq!(s["data"]["billing_cycle"], "annually");
    assert_eq!(minor(&s["data"]["recurring_amount"]), 4990);
}

#[tokio::test]
async fn a_free_first_month_gives_back_nothing_on_downgrade() {
    let app = TestApp::with_catalog();
    let catalog = app.staff_key(&["catalog:write"]);
    let res = app
        .http
        .post(app.url("/api/v1/promotions"))
        .bearer_auth(&catalog)
        .json(&json!({"code": "FREEMONTH", "kind": "percent", "value": "100"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let c = app.customer("free@example.com").await;
    let placed = app
        .place_order(
            &c,
            "free",
            json!({"promo_code": "FREEMONTH", "items": [
                {"package_id": "business", "billing_cycle": "monthly", "domain": "free.example"}]}),
        )
        .await;
    assert_eq!(minor(&placed["invoice"]["total"]), 0);
    let service = service_of(&placed);
    app.clock.advance(SignedDuration::from_hours(24 * 3));
    let c = app.login(&c.email, &c.password).await;
    let down = change_plan(&app, &c, service, "starter").await;
    assert_eq!(minor(&down["change"]["amount_now"]), 0);
    assert_eq!(credit(&app, &c).await, 0);
    // Back up costs the difference of the plans for the 28 of 31 days
    // left: (9.99 - 4.99) × 28 / 31 = 4.516.
    let up = change_plan(&app, &c, service, "business").await;
    assert_eq!(minor(&up["invoice"]["total"]), 452);
}

#[tokio::test]
async fn a_refund_cannot_return_overpaid_money_that_is_kept_as_credit() {
    let app = TestApp::with_catalog();
    let staff = app.staff_key(&["billing:write", "billing:read"]);
    let c = app.customer("over@example.com").await;
    let (invoice, _) = order(
        &app,
        &c,
        "a",
        json!({"package_id": "business", "billing_cycle": "monthly", "domain": "a.example"}),
    )
    .await;
    // 20.00 for a 9.99 invoice: 10.01 becomes credit.
    let payment = pay(&app, &staff, invoice, "20.00", "OVER-1").await;
    assert_eq!(credit(&app, &c).await, 1001);
    // Refunding all 20.00 gives up the 10.01 of credit with it.
    let r = json_with_status(
        refund(&app, &staff, payment, json!({"destination": "external"})).await,
        201,
    )
    .await;
    assert_eq!(minor(&r["data"]["amount"]), 2000);
    assert_eq!(credit(&app, &c).await, 0);
}

#[tokio::test]
async fn spent_overpayment_credit_is_not_refundable_as_cash() {
    let app = TestApp::with_catalog();
    let staff = app.staff_key(&["billing:write", "billing:read"]);
    let c = app.customer("spent@example.com").await;
    let (first, _) = order(
        &app,
        &c,
        "a",
        json!({"package_id": "business", "billing_cycle": "monthly", "domain": "a.example"}),
    )
    .await;
    let payment = pay(&app, &staff, first, "20.00", "OVER-2").await;
    // The 10.01 of credit pays a second order.
    let (second, _) = order(
        &app,
        &c,
        "b",
        json!({"package_id": "business", "billing_cycle": "monthly", "domain": "b.example"}),
    )
    .await;
    json_with_status(apply_credit(&app, &c, second).await, 200).await;
    assert_eq!(credit(&app, &c).await, 2);
    // Only what is still on the first invoice (9.99) and the credit left
    // (0.02) can go back as cash.
    let res = refund(
        &app,
        &staff,
        payment,
        json!({"amount": "20.00", "destination": "external"}),
    )
    .await;
    let body = json_with_status(res, 422).await;
    assert!(body["errors"]["amount"].is_array(), "{body}");
    let r = json_with_status(
        refund(
            &app,
            &staff,
            payment,
            json!({"amount": "10.01", "destination": "external"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(minor(&r["data"]["amount"]), 1001);
    assert_eq!(credit(&app, &c).await, 0);
    let res = refund(
        &app,
        &staff,
        payment,
        json!({"amount": "0.01", "destination": "external"}),
    )
    .await;
    json_with_status(res, 422).await;
}

#[tokio::test]
async fn an_add_funds_payment_cannot_be_refunded_and_kept_as_credit() {
    let app = TestApp::with_catalog();
    let staff = app.staff_key(&["billing:write", "billing:read"]);
    let c = app.customer("funds@example.com").await;
    let inv = json_with_status(
        app.http
            .post(app.url(&format!("/api/v1/clients/{}/credit/invoices", c.client_id)))
            .bearer_auth(&c.access)
            .json(&json!({"amount": "50.00"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let invoice = inv["invoice"]["id"]
        .as_i64()
        .or_else(|| inv["data"]["id"].as_i64())
        .unwrap();
    let payment = pay(&app, &staff, invoice, "50.00", "FUNDS-1").await;
    assert_eq!(credit(&app, &c).await, 5000);
    // To credit: it already is credit.
    let res = refund(&app, &staff, payment, json!({"destination": "credit"})).await;
    json_with_status(res, 422).await;
    assert_eq!(credit(&app, &c).await, 5000);
    // Spend 9.99 of it; only the 40.01 left can go back.
    let (order_invoice, _) = order(
        &app,
        &c,
        "a",
        json!({"package_id": "business", "billing_cycle": "monthly", "domain": "a.example"}),
    )
    .await;
    json_with_status(apply_credit(&app, &c, order_invoice).await, 200).await;
    let res = refund(&app, &staff, payment, json!({"destination": "external"})).await;
    json_with_status(res, 422).await;
    let r = json_with_status(
        refund(
            &app,
            &staff,
            payment,
            json!({"amount": "40.01", "destination": "external"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(minor(&r["data"]["amount"]), 4001);
    assert_eq!(credit(&app, &c).await, 0);
}

#[tokio::test]
async fn a_cancelled_invoices_payment_is_not_refunded_twice() {
    let app = TestApp::with_catalog();
    let staff = app.staff_key(&["billing:write", "billing:read"]);
    let c = app.customer("cancel@example.com").await;
    let (invoice, _) = order(
        &app,
        &c,
        "a",
        json!({"package_id": "business", "billing_cycle": "monthly", "domain": "a.example"}),
    )
    .await;
    let payment = pay(&app, &staff, invoice, "5.00", "PART-1").await;
    // Cancelling returns the 5.00 to credit.
    let res = app
        .http
        .post(app.url(&format!("/api/v1/invoices/{invoice}/cancel")))
        .bearer_auth(&staff)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(credit(&app, &c).await, 500);
    // A cash refund of the payment takes that credit back with it.
    json_with_status(
        refund(&app, &staff, payment, json!({"destination": "external"})).await,
        201,
    )
    .await;
    assert_eq!(credit(&app, &c).await, 0);
}

#[tokio::test]
async fn a_downgrade_after_a_refund_credits_nothing_more() {
    let app = TestApp::with_catalog();
    let staff = app.staff_key(&["billing:write", "billing:read"]);
    let c = app.customer("twice@example.com").await;
    let (invoice, service) = order(
        &app,
        &c,
        "a",
        json!({"package_id": "business", "billing_cycle": "monthly", "domain": "a.example"}),
    )
    .await;
    let payment = pay(&app, &staff, invoice, "9.99", "R-1").await;
    json_with_status(
        refund(&app, &staff, payment, json!({"destination": "external"})).await,
        201,
    )
    .await;
    // The month was given back: a downgrade has nothing left to credit.
    let down = change_plan(&app, &c, service, "starter").await;
    assert_eq!(minor(&down["change"]["amount_now"]), 0);
    assert_eq!(credit(&app, &c).await, 0);
}

#[tokio::test]
async fn a_refund_after_a_downgrade_does_not_return_the_credited_part_again() {
    let app = TestApp::with_catalog();
    let staff = app.staff_key(&["billing:write", "billing:read"]);
    let c = app.customer("after@example.com").await;
    let (invoice, service) = order(
        &app,
        &c,
        "a",
        json!({"package_id": "business", "billing_cycle": "monthly", "domain": "a.example"}),
    )
    .await;
    let payment = pay(&app, &staff, invoice, "9.99", "R-2").await;
    let down = change_plan(&app, &c, service, "starter").await;
    assert_eq!(minor(&down["change"]["amount_now"]), -500);
    // Spend the 5.00 of credit.
    let (other, _) = order(
        &app,
        &c,
        "b",
        json!({"package_id": "starter", "billing_cycle": "monthly", "domain": "b.example"}),
    )
    .await;
    json_with_status(apply_credit(&app, &c, other).await, 200).await;
    assert_eq!(credit(&app, &c).await, 1);
    // Of the 9.99 paid, 5.00 went back as credit (and was spent): 4.99
    // is still on the invoice, plus the 0.01 of credit left.
    let res = refund(&app, &staff, payment, json!({"destination": "external"})).await;
    json_with_status(res, 422).await;
    let r = json_with_status(
        refund(
            &app,
            &staff,
            payment,
            json!({"amount": "5.00", "destination": "external"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(minor(&r["data"]["amount"]), 500);
    assert_eq!(credit(&app, &c).await, 0);
}

#[tokio::test]
async fn a_cycle_change_now_credits_only_the_unused_part_of_what_was_paid() {
    let app = TestApp::with_catalog();
    let staff = app.staff_key(&["billing:write"]);
    let c = app.customer("now@example.com").await;
    let service = paid_business(&app, &c, &staff).await;
    // Ten days in: 21 of the 31 days are left.
    app.clock.advance(SignedDuration::from_hours(24 * 10));
    let c = app.login(&c.email, &c.password).await;
    let res = change_cycle(
        &app,
        &c,
        service,
        json!({"billing_cycle": "annually", "effective": "now"}),
    )
    .await;
    let changed = json_with_status(res, 201).await;
    let invoice = changed["invoice"]["id"].as_i64().unwrap();
    assert_eq!(minor(&changed["invoice"]["total"]), 9990);
    // Unused: 9.99 × 21 / 31 = 6.767 -> 6.77, credited once it is paid.
    assert_eq!(minor(&changed["unused_credit"]), 677);
    // Nothing changes until the invoice is paid.
    let s = json_with_status(
        call(&app, &c, "GET", &format!("/services/{service}"), None).await,
        200,
    )
    .await;
    assert_eq!(s["data"]["billing_cycle"], "monthly");
    assert_eq!(s["data"]["next_due_date"], "2026-02-15");
    assert_eq!(credit(&app, &c).await, 0);

    pay(&app, &staff, invoice, "99.90", "NOW-1").await;
    let s = json_with_status(
        call(&app, &c, "GET", &format!("/services/{service}"), None).await,
        200,
    )
    .await;
    assert_eq!(s["data"]["billing_cycle"], "annually");
    assert_eq!(s["data"]["next_due_date"], "2027-01-25");
    assert_eq!(credit(&app, &c).await, 677);
    // The month was cut at the change: a downgrade now prorates the new
    // year, paid at 99.90, against Starter's 49.90 a year.
    let down = change_plan(&app, &c, service, "starter").await;
    assert_eq!(minor(&down["change"]["amount_now"]), -5000);
    assert_eq!(credit(&app, &c).await, 677 + 5000);
}

#[tokio::test]
async fn the_service_page_changes_the_cycle_from_the_due_date_or_now_through_an_invoice() {
    let app = TestApp::with_catalog();
    let staff = app.staff_key(&["billing:write"]);
    let c = app.customer("cycle-page@example.com").await;
    let service = paid_business(&app, &c, &staff).await;
    let mut b = crate::support::Browser::new(&app);
    b.login(&c.email, "correct horse battery staple").await;
    let path = format!("/account/services/{service}");
    let page = b.get(&path).await;
    assert!(page.body.contains("id=\"cycle-now\""), "{}", page.body);

    // A choice the form does not offer is re-rendered with its message.
    let res = b
        .post(
            &format!("{path}/cycle"),
            &[
                ("csrf", &page.csrf()),
                ("billing_cycle", "annually"),
                ("effective", "someday"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(
        res.body.contains("choose when the new cycle starts"),
        "{}",
        res.body
    );

    // Now: off to the invoice for the new year; nothing changes yet.
    let res = b
        .post(
            &format!("{path}/cycle"),
            &[
                ("csrf", &page.csrf()),
                ("billing_cycle", "annually"),
                ("effective", "now"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(
        res.location().starts_with("/account/invoices/"),
        "{}",
        res.location()
    );
    let invoice = b.get(res.location()).await;
    assert!(invoice.body.contains("$99.90"), "{}", invoice.body);
    let page = b.get(&path).await;
    assert!(page.body.contains("A change waits for"), "{}", page.body);
    let s = json_with_status(
        call(&app, &c, "GET", &format!("/services/{service}"), None).await,
        200,
    )
    .await;
    assert_eq!(s["data"]["billing_cycle"], "monthly");
}

#[tokio::test]
async fn a_refused_gateway_refund_gives_back_the_credit_it_took() {
    use crate::support::gateways::{STRIPE_KEY, pay_by_stripe, world};
    let w = world();
    let staff = w.app.staff_key(&["billing:write", "billing:read"]);
    let c = w.app.customer("refused@example.com").await;
    // 10.00 of credit, bought by card.
    let inv = json_with_status(
        w.app
            .http
            .post(
                w.app
                    .url(&format!("/api/v1/clients/{}/credit/invoices", c.client_id)),
            )
            .bearer_auth(&c.access)
            .json(&json!({"amount": "10.00"}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let invoice = inv["invoice"]["id"]
        .as_i64()
        .or_else(|| inv["data"]["id"].as_i64())
        .unwrap();
    let (payment, pi) = pay_by_stripe(&w, &c, invoice, "funds").await;
    assert_eq!(credit(&w.app, &c).await, 1000);
    // 1.00 was refunded at Stripe behind till's back: Stripe will refuse
    // to give back all 10.00.
    till::integrations::gateways::stripe::Stripe::new(&w.stripe.url, STRIPE_KEY)
        .create_refund(&pi, 100, "outside-till")
        .await
        .unwrap();
    let r = json_with_status(
        refund(&w.app, &staff, payment, json!({"destination": "gateway"})).await,
        502,
    )
    .await;
    assert_eq!(r["data"]["status"], "failed", "{r}");
    // The credit it took comes back, and what Stripe still holds can go.
    assert_eq!(credit(&w.app, &c).await, 1000);
    let r = json_with_status(
        refund(
            &w.app,
            &staff,
            payment,
            json!({"amount": "9.00", "destination": "gateway"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(r["data"]["status"], "succeeded", "{r}");
    assert_eq!(credit(&w.app, &c).await, 100);
}
