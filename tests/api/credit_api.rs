//! Paying invoices from account credit (reference 001 apply credit): the
//! most that helps by default, exact amounts when given, never more than
//! the credit or the balance due, and never spent twice.

use serde_json::{Value, json};

use crate::support::{Customer, TestApp, json_with_status, sql};

/// Place a Starter monthly order (4.99 USD); answers the invoice id.
async fn order(app: &TestApp, c: &Customer, key: &str) -> i64 {
    let res = app
        .http
        .post(app.url(&format!("/api/v1/clients/{}/orders", c.client_id)))
        .bearer_auth(&c.access)
        .header("Idempotency-Key", key)
        .json(&json!({"items": [{"package_id": "starter", "billing_cycle": "monthly", "domain": "example.com"}]}))
        .send()
        .await
        .unwrap();
    json_with_status(res, 201).await["invoice"]["id"]
        .as_i64()
        .unwrap()
}

/// Give the client `amount` of credit by overpaying a fresh invoice.
async fn give_credit(app: &TestApp, c: &Customer, amount: &str) {
    let invoice = order(app, c, &format!("credit-{amount}")).await;
    let staff = app.staff_key(&["billing:write"]);
    let res = app
        .http
        .post(app.url(&format!("/api/v1/invoices/{invoice}/pay")))
        .bearer_auth(&staff)
        .json(&json!({"amount": amount, "gateway": "bank_transfer", "transaction_id": format!("T-{amount}")}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

async fn apply(app: &TestApp, c: &Customer, invoice: i64, body: Value) -> reqwest::Response {
    app.http
        .post(app.url(&format!(
            "/api/v1/clients/{}/invoices/{invoice}/apply-credit",
            c.client_id
        )))
        .bearer_auth(&c.access)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn credit_of(app: &TestApp, c: &Customer) -> i64 {
    json_with_status(
        app.get_auth(&format!("/api/v1/clients/{}", c.client_id), &c.access)
            .await,
        200,
    )
    .await["data"]["credit_balance"]["amount_minor"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn without_an_amount_credit_pays_the_invoice_and_activates_the_order() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    give_credit(&app, &c, "20.00").await; // 4.99 owed, 15.01 credit
    assert_eq!(credit_of(&app, &c).await, 1501);
    let invoice = order(&app, &c, "second").await;

    let body = json_with_status(apply(&app, &c, invoice, json!({})).await, 200).await;
    assert_eq!(body["data"]["status"], "paid");
    assert_eq!(body["data"]["credit_applied"]["amount_minor"], 499);
    assert_eq!(body["data"]["balance_due"]["amount_minor"], 0);
    assert_eq!(credit_of(&app, &c).await, 1501 - 499);
    assert_eq!(sql::ledger_sum(&app, c.client_id), 1501 - 499);

    let services = app.service_count(Some("active")).await;
    assert_eq!(services, 2, "both orders' services are active");
    let mail = app.deliver_mail().await;
    let receipts = mail
        .iter()
        .filter(|m| m.subject.starts_with("Payment received for invoice"))
        .count();
    assert_eq!(receipts, 2, "one receipt per paid invoice");

    // Paid already: nothing more to apply.
    let again = apply(&app, &c, invoice, json!({})).await;
    assert_eq!(json_with_status(again, 409).await["code"], "conflict");
}

#[tokio::test]
async fn an_exact_amount_pays_part_and_limits_are_checked_to_the_cent() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    give_credit(&app, &c, "6.00").await; // 1.01 credit
    let invoice = order(&app, &c, "second").await;

    for (amount, why) in [
        ("0", "zero"),
        ("-1.00", "negative"),
        ("1.02", "more than the credit"),
        ("1.001", "more decimals than the currency"),
        ("abc", "not a number"),
    ] {
        let res = apply(&app, &c, invoice, json!({ "amount": amount })).await;
        let body = json_with_status(res, 422).await;
        assert!(body["errors"]["amount"].is_array(), "{why}: {body}");
    }
    assert_eq!(credit_of(&app, &c).await, 101, "nothing changed");

    let body = json_with_status(
        apply(&app, &c, invoice, json!({"amount": "1.00"})).await,
        200,
    )
    .await;
    assert_eq!(body["data"]["status"], "unpaid");
    assert_eq!(body["data"]["credit_applied"]["amount_minor"], 100);
    assert_eq!(body["data"]["balance_due"]["amount_minor"], 399);
    assert_eq!(credit_of(&app, &c).await, 1);

    // More than the balance due is refused even with enough credit.
    give_credit(&app, &c, "30.00").await;
    let res = apply(&app, &c, invoice, json!({"amount": "3.99"})).await;
    assert_eq!(res.status(), 200);
    let other = order(&app, &c, "third").await;
    let res = apply(&app, &c, other, json!({"amount": "5.00"})).await;
    let body = json_with_status(res, 422).await;
    assert!(
        body["errors"]["amount"][0]
            .as_str()
            .unwrap()
            .contains("balance due")
    );
}

#[tokio::test]
async fn with_no_credit_there_is_nothing_to_apply() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    let invoice = order(&app, &c, "only").await;
    let res = apply(&app, &c, invoice, json!({})).await;
    assert!(json_with_status(res, 422).await["errors"]["amount"].is_array());
}

#[tokio::test]
async fn concurrent_payments_cannot_spend_the_same_credit_twice() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    give_credit(&app, &c, "10.00").await; // 5.01 credit: one invoice of 4.99
    let mut invoices = Vec::new();
    for i in 0..4 {
        invoices.push(order(&app, &c, &format!("race-{i}")).await);
    }
    let mut tasks = Vec::new();
    for round in 0..3 {
        for &invoice in &invoices {
            let (http, url, token) = (
                app.http.clone(),
                app.url(&format!(
                    "/api/v1/clients/{}/invoices/{invoice}/apply-credit",
                    c.client_id
                )),
                c.access.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let _ = round;
                http.post(url)
                    .bearer_auth(token)
                    .json(&json!({}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }));
        }
    }
    let mut ok = 0;
    for t in tasks {
        if t.await.unwrap() == 200 {
            ok += 1;
        }
    }
    // 5.01 pays one invoice (4.99) and 0.02 of another; nothing more.
    assert_eq!(ok, 2);
    assert_eq!(credit_of(&app, &c).await, 0);
    assert_eq!(sql::ledger_sum(&app, c.client_id), 0);
    let applied: i64 = app
        .invoices(None)
        .await
        .iter()
        .map(|i| i["credit_applied"]["amount_minor"].as_i64().unwrap())
        .sum();
    assert_eq!(applied, 501);
}

#[tokio::test]
async fn a_contact_without_the_pay_privilege_cannot_apply_credit() {
    let app = TestApp::with_catalog();
    let owner = app.customer("owner@example.com").await;
    give_credit(&app, &owner, "10.00").await;
    let invoice = order(&app, &owner, "x").await;
    let res = app
        .http
        .post(app.url(&format!("/api/v1/clients/{}/contacts", owner.client_id)))
        .bearer_auth(&owner.access)
        .json(&json!({"email": "kofi@example.com", "first_name": "K", "last_name": "B", "privileges": {"billing": ["balance"]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    app.accept_invitation("kofi@example.com", "contact passphrase 1")
        .await;
    let mut kofi = app.login("kofi@example.com", "contact passphrase 1").await;
    kofi.client_id = owner.client_id;
    let res = apply(&app, &kofi, invoice, json!({})).await;
    assert_eq!(res.status(), 403);
    assert_eq!(credit_of(&app, &owner).await, 501);
}

async fn add_funds(app: &TestApp, c: &Customer, amount: &str) -> reqwest::Response {
    app.http
        .post(app.url(&format!("/api/v1/clients/{}/credit/invoices", c.client_id)))
        .bearer_auth(&c.access)
        .json(&json!({ "amount": amount }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_add_funds_invoice_becomes_credit_only_once_it_is_paid() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    let body = json_with_status(add_funds(&app, &c, "50.00").await, 201).await;
    let invoice = body["data"]["id"].as_i64().unwrap();
    assert_eq!(body["data"]["items"][0]["kind"], "credit");
    assert_eq!(body["data"]["total"]["amount_minor"], 5000);
    assert_eq!(body["data"]["tax_total"]["amount_minor"], 0);
    assert_eq!(credit_of(&app, &c).await, 0, "nothing until it is paid");

    // Credit cannot pay for credit.
    give_credit(&app, &c, "10.00").await;
    let res = apply(&app, &c, invoice, json!({})).await;
    assert_eq!(res.status(), 409);

    let staff = app.staff_key(&["billing:write"]);
    for (amount, tx) in [("20.00", "F1"), ("30.00", "F2")] {
        let res = app
            .http
            .post(app.url(&format!("/api/v1/invoices/{invoice}/pay")))
            .bearer_auth(&staff)
            .json(&json!({"amount": amount, "gateway": "bank_transfer", "transaction_id": tx}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        if tx == "F1" {
            assert_eq!(
                credit_of(&app, &c).await,
                501,
                "a part payment adds nothing yet"
            );
        }
    }
    assert_eq!(credit_of(&app, &c).await, 501 + 5000);
    assert_eq!(sql::ledger_sum(&app, c.client_id), 501 + 5000);
}

#[tokio::test]
async fn add_funds_amounts_are_checked_and_need_the_privilege() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    for amount in ["0", "-5", "1.001", "abc", "100000.01"] {
        let res = add_funds(&app, &c, amount).await;
        assert!(
            json_with_status(res, 422).await["errors"]["amount"].is_array(),
            "{amount}"
        );
    }
    assert_eq!(
        add_funds(&app, &c, "100000").await.status(),
        201,
        "the most allowed"
    );

    let res = app
        .http
        .post(app.url(&format!("/api/v1/clients/{}/contacts", c.client_id)))
        .bearer_auth(&c.access)
        .json(&json!({"email": "kofi@example.com", "first_name": "K", "last_name": "B", "privileges": {"billing": ["payinvoice"]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    app.accept_invitation("kofi@example.com", "contact passphrase 1")
        .await;
    let mut kofi = app.login("kofi@example.com", "contact passphrase 1").await;
    kofi.client_id = c.client_id;
    assert_eq!(add_funds(&app, &kofi, "10.00").await.status(), 403);
}
