//! Quotes, invoice-first orders with idempotency keys, gapless invoice
//! numbers, stock under concurrency, and staff-recorded payments that
//! activate services.

use serde_json::{Value, json};

use crate::support::{Customer, TestApp, json_with_status, sql};

fn starter_monthly() -> Value {
    json!({"items": [{"type": "hosting", "package_id": "starter", "billing_cycle": "monthly", "domain": "example.com", "domain_option": "existing"}]})
}

async fn order(app: &TestApp, c: &Customer, key: &str, body: &Value) -> reqwest::Response {
    app.http
        .post(app.url(&format!("/api/v1/clients/{}/orders", c.client_id)))
        .bearer_auth(&c.access)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn pay(app: &TestApp, key: &str, invoice: i64, body: Value) -> reqwest::Response {
    app.http
        .post(app.url(&format!("/api/v1/invoices/{invoice}/pay")))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_quote_prices_from_the_catalog_and_ignores_what_the_caller_says() {
    let app = TestApp::with_catalog();
    let honest = json_with_status(
        app.post_json(
            "/api/v1/orders/quote",
            json!({"items": [
        {"type": "hosting", "package_id": "vps-2-gb", "billing_cycle": "monthly"}]}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(honest["currency"], "USD");
    assert_eq!(honest["items"][0]["price"]["amount_minor"], 1200);
    assert_eq!(honest["items"][0]["setup_fee"]["amount_minor"], 500);
    assert_eq!(honest["totals"]["due_today"]["amount_minor"], 1700);
    assert_eq!(
        honest["totals"]["recurring"]["monthly"]["amount_minor"],
        1200
    );

    let tampered = json_with_status(app.post_json("/api/v1/orders/quote", json!({"currency": "EUR", "total": 1, "items": [
        {"type": "hosting", "package_id": "vps-2-gb", "billing_cycle": "monthly", "price": 0.01, "setup_fee": 0, "amount_minor": 1}]})).await, 200).await;
    assert_eq!(tampered, honest);

    let bad = app
        .post_json(
            "/api/v1/orders/quote",
            json!({"items": [
        {"package_id": "nope", "billing_cycle": "monthly"},
        {"package_id": "starter", "billing_cycle": "monthly"},
        {"package_id": "starter", "billing_cycle": "triennially", "domain": "x.com"},
        {"type": "ssl-certificate", "package_id": "x", "billing_cycle": "annually"}]}),
        )
        .await;
    let errors = json_with_status(bad, 422).await["errors"].clone();
    for f in [
        "items.0.package_id",
        "items.1.domain",
        "items.2.billing_cycle",
        "items.3.type",
    ] {
        assert!(errors[f].is_array(), "{f}: {errors}");
    }
}

#[tokio::test]
async fn a_quote_for_a_client_is_in_the_clients_currency() {
    let app = TestApp::with_catalog();
    let res = app
        .post_json(
            "/api/v1/auth/signup",
            json!({"email": "eu@example.com", "password": "correct horse battery staple",
        "first_name": "Eva", "last_name": "Muller", "currency": "EUR"}),
        )
        .await;
    assert_eq!(res.status(), 202);
    let c = app
        .login("eu@example.com", "correct horse battery staple")
        .await;
    let q = app
        .http
        .post(app.url("/api/v1/orders/quote"))
        .bearer_auth(&c.access)
        .header("X-Client-Id", c.client_id.to_string())
        .json(&starter_monthly())
        .send()
        .await
        .unwrap();
    let q = json_with_status(q, 200).await;
    assert_eq!(q["currency"], "EUR");
    assert_eq!(q["items"][0]["price"]["formatted"], "€4.49 EUR");
    let other = app.customer("us@example.com").await;
    let foreign = app
        .http
        .post(app.url("/api/v1/orders/quote"))
        .bearer_auth(&c.access)
        .header("X-Client-Id", other.client_id.to_string())
        .json(&starter_monthly())
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 404);
}

#[tokio::test]
async fn an_order_makes_an_unpaid_invoice_and_pending_services_at_once() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    let body = json!({"items": [
        {"type": "hosting", "package_id": "starter", "billing_cycle": "annually", "domain": "example.com"},
        {"type": "hosting", "package_id": "vps-2-gb", "billing_cycle": "monthly"}]});
    let res = json_with_status(order(&app, &c, "order-1", &body).await, 201).await;
    assert_eq!(res["invoice"]["invoice_number"], "2026-00001");
    assert_eq!(res["invoice"]["status"], "unpaid");
    assert_eq!(res["invoice"]["total"]["amount_minor"], 4990 + 1200 + 500);
    assert_eq!(res["invoice"]["balance_due"]["amount_minor"], 6690);
    assert_eq!(res["order"]["status"], "pending");
    assert_eq!(res["order"]["items"].as_array().unwrap().len(), 2);
    assert_eq!(res["pending_services"].as_object().unwrap().len(), 2);

    let invoice_id = res["invoice"]["id"].as_i64().unwrap();
    let detail = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/invoices/{invoice_id}", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    let lines = detail["data"]["items"].as_array().unwrap();
    let kinds: Vec<&str> = lines.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["service", "service", "setup"]);
    assert_eq!(lines[0]["period_start"], "2026-01-15");
    assert_eq!(lines[0]["period_end"], "2027-01-15");
    assert!(
        lines[0]["description"]
            .as_str()
            .unwrap()
            .contains("example.com")
    );
    let sum: i64 = lines
        .iter()
        .map(|l| l["amount"]["amount_minor"].as_i64().unwrap())
        .sum();
    assert_eq!(
        sum,
        detail["data"]["total"]["amount_minor"].as_i64().unwrap()
    );
    assert_eq!(detail["data"]["buyer"]["email"], "ama@example.com");

    let list = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/invoices?status=unpaid", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(list["meta"]["total"], 1);
    let orders = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/orders", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(orders["data"][0]["invoice_id"], invoice_id);
    assert!(
        app.deliver_mail()
            .await
            .iter()
            .any(|m| m.subject.contains("Order confirmation"))
    );
}

#[tokio::test]
async fn the_same_key_replays_the_first_answer_and_another_body_is_refused() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    let first = order(&app, &c, "retry-me", &starter_monthly()).await;
    assert_eq!(first.status(), 201);
    let first = first.text().await.unwrap();
    let again = order(&app, &c, "retry-me", &starter_monthly()).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.text().await.unwrap(), first, "byte for byte");

    let mut other = starter_monthly();
    other["items"][0]["billing_cycle"] = json!("annually");
    let res = order(&app, &c, "retry-me", &other).await;
    assert!(json_with_status(res, 422).await["errors"]["Idempotency-Key"].is_array());
    let no_key = app
        .http
        .post(app.url(&format!("/api/v1/clients/{}/orders", c.client_id)))
        .bearer_auth(&c.access)
        .json(&starter_monthly())
        .send()
        .await
        .unwrap();
    assert_eq!(no_key.status(), 422);
    assert_eq!(app.order_count(None).await, 1);
    assert_eq!(app.invoice_count(None).await, 1);
}

#[tokio::test]
async fn fifty_concurrent_identical_orders_with_one_key_make_one_order() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (http, url, token) = (
            app.http.clone(),
            app.url(&format!("/api/v1/clients/{}/orders", c.client_id)),
            c.access.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let res = http
                .post(url)
                .bearer_auth(token)
                .header("Idempotency-Key", "burst")
                .json(&starter_monthly())
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }));
    }
    let mut bodies = Vec::new();
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert_eq!(status, 201);
        bodies.push(body);
    }
    bodies.dedup();
    assert_eq!(bodies.len(), 1);
    assert_eq!(app.order_count(None).await, 1);
    assert_eq!(app.service_count(None).await, 1);
}

#[tokio::test]
async fn invoice_numbers_from_concurrent_orders_have_no_gap_and_no_duplicate() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (http, url, token) = (
            app.http.clone(),
            app.url(&format!("/api/v1/clients/{}/orders", c.client_id)),
            c.access.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let res = http
                .post(url)
                .bearer_auth(token)
                .header("Idempotency-Key", format!("k{i}"))
                .json(&starter_monthly())
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 201);
            res.json::<Value>().await.unwrap()["invoice"]["invoice_number"]
                .as_str()
                .unwrap()
                .to_string()
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap());
    }
    numbers.sort();
    let expected: Vec<String> = (1..=8).map(|n| format!("2026-{n:05}")).collect();
    assert_eq!(numbers, expected);
}

#[tokio::test]
async fn stock_holds_under_concurrency() {
    let app = TestApp::with_catalog();
    app.state
        .db
        .write(|tx| Ok(tx.execute("UPDATE products SET stock = 3 WHERE slug = 'vps-2-gb'", [])?))
        .unwrap();
    let c = app.customer("ama@example.com").await;
    let body = json!({"items": [{"package_id": "vps-2-gb", "billing_cycle": "monthly"}]});
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (http, url, token, body) = (
            app.http.clone(),
            app.url(&format!("/api/v1/clients/{}/orders", c.client_id)),
            c.access.clone(),
            body.clone(),
        );
        tasks.push(tokio::spawn(async move {
            http.post(url)
                .bearer_auth(token)
                .header("Idempotency-Key", format!("s{i}"))
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        3,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(app.product("vps-2-gb").await["stock"], 0);
    // Refused orders left nothing behind, not even an invoice number.
    assert_eq!(app.invoice_count(None).await, 3);
    assert_eq!(sql::last_invoice_number(&app), 3);
}

#[tokio::test]
async fn paying_in_full_activates_the_services_and_sends_the_receipt() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    let res = json_with_status(
        order(
            &app,
            &c,
            "o",
            &json!({"items": [{"package_id": "vps-2-gb", "billing_cycle": "monthly"}]}),
        )
        .await,
        201,
    )
    .await;
    let invoice = res["invoice"]["id"].as_i64().unwrap();
    let staff = app.staff_key(&["billing:write"]);

    let part = json_with_status(
        pay(
            &app,
            &staff,
            invoice,
            json!({"amount": "10.00", "gateway": "bank_transfer", "transaction_id": "BANK-1"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(part["data"]["status"], "unpaid");
    assert_eq!(part["data"]["amount_paid"]["amount_minor"], 1000);
    assert_eq!(part["data"]["balance_due"]["amount_minor"], 700);

    let dup = pay(
        &app,
        &staff,
        invoice,
        json!({"amount": "7.00", "gateway": "bank_transfer", "transaction_id": "BANK-1"}),
    )
    .await;
    assert_eq!(dup.status(), 409);
    for bad in [
        json!({"amount": "0", "gateway": "x", "transaction_id": "t"}),
        json!({"amount": "7.001", "gateway": "x", "transaction_id": "t"}),
        json!({"amount": "7", "gateway": "", "transaction_id": "t"}),
        // A JSON number is an exact amount (issue 13), but not with more
        // decimals than the currency has; other types are refused.
        json!({"amount": 7.001, "gateway": "x", "transaction_id": "t"}),
        json!({"amount": true, "gateway": "x", "transaction_id": "t"}),
    ] {
        assert_eq!(
            pay(&app, &staff, invoice, bad.clone()).await.status(),
            422,
            "{bad}"
        );
    }

    let rest = json_with_status(
        pay(
            &app,
            &staff,
            invoice,
            json!({"amount_minor": 700, "gateway": "bank_transfer", "transaction_id": "BANK-2"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(rest["data"]["status"], "paid");
    assert_eq!(rest["message"], "Invoice paid");
    let orders = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/orders", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(orders["data"][0]["status"], "active");
    assert_eq!(orders["data"][0]["items"][0]["status"], "active");
    let due = app.services(None).await[0]["next_due_date"].clone();
    assert_eq!(due, "2026-02-15");
    let mail = app.deliver_mail().await;
    assert!(mail.iter().any(|m| m.subject.contains("Payment received")));
    assert!(mail.iter().any(|m| m.subject.contains("is active")));
    assert_eq!(
        pay(
            &app,
            &staff,
            invoice,
            json!({"amount": "1", "gateway": "x", "transaction_id": "late"})
        )
        .await
        .status(),
        409
    );

    let payments = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/payments", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(payments["data"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn an_overpayment_becomes_account_credit() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    let res = json_with_status(order(&app, &c, "o", &starter_monthly()).await, 201).await;
    let invoice = res["invoice"]["id"].as_i64().unwrap();
    let staff = app.staff_key(&["billing:write"]);
    json_with_status(
        pay(
            &app,
            &staff,
            invoice,
            json!({"amount": "10.00", "gateway": "bank_transfer", "transaction_id": "T"}),
        )
        .await,
        200,
    )
    .await;
    let client = json_with_status(
        app.get_auth(&format!("/api/v1/clients/{}", c.client_id), &c.access)
            .await,
        200,
    )
    .await;
    assert_eq!(client["data"]["credit_balance"]["amount_minor"], 1000 - 499);
    let ledger: i64 = sql::ledger_sum(&app, c.client_id);
    assert_eq!(ledger, 501);
}

#[tokio::test]
async fn a_free_order_is_paid_and_active_at_once() {
    let app = TestApp::with_catalog();
    let key = app.staff_key(&["catalog:write"]);
    let res = app
        .http
        .post(app.url("/api/v1/products"))
        .bearer_auth(&key)
        .json(
            &json!({"group": "vps", "kind": "other", "name": "Free trial",
        "prices": [{"currency": "USD", "billing_cycle": "onetime", "price": "0"}]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let c = app.customer("ama@example.com").await;
    let res = json_with_status(
        order(
            &app,
            &c,
            "free",
            &json!({"items": [{"package_id": "free-trial", "billing_cycle": "onetime"}]}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(res["invoice"]["status"], "paid");
    assert_eq!(res["invoice"]["total"]["amount_minor"], 0);
    let status = app.services(None).await[0]["status"].clone();
    assert_eq!(status, "active");
}

#[tokio::test]
async fn contacts_need_billing_privileges_to_order_and_see_invoices() {
    let app = TestApp::with_catalog();
    let owner = app.customer("owner@example.com").await;
    let res = app.http.post(app.url(&format!("/api/v1/clients/{}/contacts", owner.client_id))).bearer_auth(&owner.access)
        .json(&json!({"email": "tech@example.com", "first_name": "T", "last_name": "C", "privileges": {"support": ["tickets"]}}))
        .send().await.unwrap();
    assert_eq!(res.status(), 201);
    app.accept_invitation("tech@example.com", "contact passphrase 1")
        .await;
    let tech = app.login("tech@example.com", "contact passphrase 1").await;
    let as_tech = Customer {
        client_id: owner.client_id,
        ..tech
    };
    assert_eq!(
        order(&app, &as_tech, "k", &starter_monthly())
            .await
            .status(),
        403
    );
    assert_eq!(
        app.get_auth(
            &format!("/api/v1/clients/{}/invoices", owner.client_id),
            &as_tech.access
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        app.get_auth(
            &format!("/api/v1/clients/{}/orders", owner.client_id),
            &as_tech.access
        )
        .await
        .status(),
        403
    );
    assert_eq!(app.order_count(None).await, 0);
}
