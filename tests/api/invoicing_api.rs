//! Invoice numbering (format setting, gapless under concurrency, proforma
//! mode) and invoices staff write by hand.

use serde_json::{Value, json};

use crate::support::{Customer, TestApp, json_with_status};

async fn settings(app: &TestApp, staff: &str, body: Value) -> reqwest::Response {
    app.http
        .put(app.url("/api/v1/billing-settings"))
        .bearer_auth(staff)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn manual(app: &TestApp, staff: &str, body: Value) -> reqwest::Response {
    app.http
        .post(app.url("/api/v1/invoices"))
        .bearer_auth(staff)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn starter(app: &TestApp, c: &Customer, key: &str) -> Value {
    app.place_order(
        c,
        key,
        json!({"items": [{"package_id": "starter", "billing_cycle": "monthly", "domain": "example.com"}]}),
    )
    .await
}

#[tokio::test]
async fn the_number_format_is_a_setting_and_bad_formats_are_refused() {
    let app = TestApp::with_catalog();
    let staff = app.staff_key(&["billing:write", "billing:read"]);
    let shown = json_with_status(
        app.http
            .get(app.url("/api/v1/billing-settings"))
            .bearer_auth(&staff)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(shown["data"]["invoice_number_format"], "{YYYY}-{SEQ:5}");
    let c = app.customer("num@example.com").await;
    assert_eq!(
        starter(&app, &c, "a").await["invoice"]["invoice_number"],
        "2026-00001"
    );

    for bad in ["{YYYY}", "{SEQ}{SEQ}", "INV {SEQ}", "{DAY}{SEQ}"] {
        let res = settings(&app, &staff, json!({"invoice_number_format": bad})).await;
        let err = json_with_status(res, 422).await;
        assert!(err["errors"]["invoice_number_format"].is_array(), "{bad}");
    }
    json_with_status(
        settings(
            &app,
            &staff,
            json!({"invoice_number_format": "INV/{YY}{MM}/{SEQ:3}"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        starter(&app, &c, "b").await["invoice"]["invoice_number"],
        "INV/2601/001"
    );
    assert_eq!(
        starter(&app, &c, "c").await["invoice"]["invoice_number"],
        "INV/2601/002"
    );
    // A customer's token is not a staff key.
    let res = settings(&app, &c.access, json!({"invoice_number_format": "{SEQ}"})).await;
    assert!(res.status() == 401 || res.status() == 403);
}

#[tokio::test]
async fn numbers_from_concurrent_orders_have_no_gap_and_no_duplicate() {
    let app = TestApp::with_catalog();
    let c = app.customer("many@example.com").await;
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
                .header("Idempotency-Key", format!("k-{i}"))
                .json(&json!({"items": [{"package_id": "starter", "billing_cycle": "monthly", "domain": "example.com"}]}))
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
async fn proforma_invoices_get_their_number_when_paid_and_cancelled_ones_leave_no_gap() {
    let app = TestApp::with_catalog();
    let staff = app.staff_key(&["billing:write", "billing:read"]);
    json_with_status(
        settings(
            &app,
            &staff,
            json!({"invoice_number_format": "{YYYY}-{SEQ:5}", "proforma_invoices": true}),
        )
        .await,
        200,
    )
    .await;
    let c = app.customer("pf@example.com").await;
    let first = starter(&app, &c, "a").await;
    let second = starter(&app, &c, "b").await;
    assert!(first["invoice"]["invoice_number"].is_null());
    let (one, two) = (
        first["invoice"]["id"].as_i64().unwrap(),
        second["invoice"]["id"].as_i64().unwrap(),
    );
    // The first proforma is cancelled: it never takes a number.
    let res = app
        .http
        .post(app.url(&format!("/api/v1/invoices/{one}/cancel")))
        .bearer_auth(&staff)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // Partly paid: still a proforma.
    assert_eq!(app.staff_pay(&staff, two, "1.00", "T1").await.status(), 200);
    let shown = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/invoices/{two}", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    assert!(shown["data"]["invoice_number"].is_null());
    assert_eq!(app.staff_pay(&staff, two, "3.99", "T2").await.status(), 200);
    let shown = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/invoices/{two}", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(shown["data"]["status"], "paid");
    assert_eq!(shown["data"]["invoice_number"], "2026-00001");
    let mail = app.deliver_mail().await;
    assert!(
        mail.iter()
            .any(|m| m.subject == "Payment received for invoice 2026-00001")
    );
}

#[tokio::test]
async fn staff_write_invoices_by_hand_with_tax_and_the_client_can_pay_them() {
    let app = TestApp::with_catalog();
    let staff = app.staff_key(&["billing:write", "billing:read", "catalog:write"]);
    let res = app
        .http
        .post(app.url("/api/v1/tax-rules"))
        .bearer_auth(&staff)
        .json(&json!({"country": "GH", "name": "VAT", "rate": "15"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let c = app.customer("manual@example.com").await;
    let created = json_with_status(
        manual(
            &app,
            &staff,
            json!({"client_id": c.client_id, "due_date": "2026-02-01", "notes": "Thanks!", "items": [
                {"description": "Migration work", "amount": "40.00", "quantity": 2},
                {"description": "Domain transfer fee (no tax)", "amount": "9.99", "taxed": false}
            ]}),
        )
        .await,
        201,
    )
    .await;
    let id = created["data"]["id"].as_i64().unwrap();
    assert_eq!(created["data"]["subtotal"]["amount_minor"], 8999);
    assert_eq!(created["data"]["tax_total"]["amount_minor"], 1200);
    assert_eq!(created["data"]["total"]["amount_minor"], 10199);
    assert_eq!(created["data"]["due_date"], "2026-02-01");
    let shown = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/invoices/{id}", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    let lines = shown["data"]["items"].as_array().unwrap();
    let kinds: Vec<&str> = lines.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["manual", "manual", "tax"]);
    assert_eq!(lines[0]["quantity"], 2);
    let sum: i64 = lines
        .iter()
        .map(|l| l["amount"]["amount_minor"].as_i64().unwrap())
        .sum();
    assert_eq!(sum, 10199);
    let mail = app.deliver_mail().await;
    assert!(
        mail.iter()
            .any(|m| m.to.contains(&c.email) && m.subject.starts_with("New invoice"))
    );
    assert_eq!(
        app.staff_pay(&staff, id, "101.99", "W-1").await.status(),
        200
    );

    // Bad lines change nothing.
    for bad in [
        json!({"client_id": c.client_id, "items": []}),
        json!({"client_id": c.client_id, "items": [{"description": "", "amount": "1"}]}),
        json!({"client_id": c.client_id, "items": [{"description": "x", "amount": "-1"}]}),
        json!({"client_id": c.client_id, "items": [{"description": "x", "amount": "1.001"}]}),
        json!({"client_id": c.client_id, "items": [{"description": "x", "amount": "1", "quantity": 0}]}),
        json!({"client_id": c.client_id, "due_date": "2025-01-01", "items": [{"description": "x", "amount": "1"}]}),
        json!({"client_id": 999, "items": [{"description": "x", "amount": "1"}]}),
    ] {
        json_with_status(manual(&app, &staff, bad.clone()).await, 422).await;
    }
    let list = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/invoices", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    // Reading staff cannot write.
    let reader = app.staff_key(&["billing:read"]);
    let res = manual(
        &app,
        &reader,
        json!({"client_id": c.client_id, "items": [{"description": "x", "amount": "1"}]}),
    )
    .await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn staff_record_a_payment_with_the_invoice_in_the_body() {
    let app = TestApp::with_catalog();
    let staff = app.staff_key(&["billing:write", "billing:read"]);
    let c = app.customer("rec@example.com").await;
    let invoice = starter(&app, &c, "a").await["invoice"]["id"]
        .as_i64()
        .unwrap();
    let post = |body: Value| {
        app.http
            .post(app.url("/api/v1/payments"))
            .bearer_auth(&staff)
            .json(&body)
            .send()
    };
    let res = post(json!({"invoice_id": 999, "amount": "1.00", "gateway": "bank_transfer", "transaction_id": "X"})).await.unwrap();
    json_with_status(res, 422).await;
    let res = post(json!({"invoice_id": invoice, "amount": "6.00", "gateway": "bank_transfer", "transaction_id": "B-1"})).await.unwrap();
    let paid = json_with_status(res, 201).await;
    assert_eq!(paid["data"]["status"], "paid");
    assert_eq!(paid["payment"]["amount"]["amount_minor"], 600);
    // The 1.01 over became credit; the same transaction again is refused.
    let me = json_with_status(
        app.get_auth(&format!("/api/v1/clients/{}", c.client_id), &c.access)
            .await,
        200,
    )
    .await;
    assert_eq!(me["data"]["credit_balance"]["amount_minor"], 101);
    let res = post(json!({"invoice_id": invoice, "amount": "1.00", "gateway": "bank_transfer", "transaction_id": "B-1"})).await.unwrap();
    assert_eq!(res.status(), 409);
    let listed = json_with_status(
        app.http
            .get(app.url("/api/v1/payments"))
            .bearer_auth(&staff)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
}
