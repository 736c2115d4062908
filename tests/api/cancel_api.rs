//! Staff cancel an unpaid invoice: its order and unstarted services are
//! cancelled, stock comes back, and anything paid towards it becomes
//! account credit: nothing is lost.

use serde_json::json;

use crate::support::{TestApp, json_with_status, sql};

async fn post(app: &TestApp, key: &str, path: &str, body: serde_json::Value) -> reqwest::Response {
    app.http
        .post(app.url(path))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn cancelling_returns_payments_to_credit_and_stock_to_the_shelf() {
    let app = TestApp::with_catalog();
    app.state
        .db
        .write(|tx| Ok(tx.execute("UPDATE products SET stock = 1 WHERE slug = 'vps-2-gb'", [])?))
        .unwrap();
    let c = app.customer("ama@example.com").await;
    let invoice = app
        .place_order(
            &c,
            "to-cancel",
            json!({"items": [{"package_id": "vps-2-gb", "billing_cycle": "monthly"}]}),
        )
        .await["invoice"]["id"]
        .as_i64()
        .unwrap();
    assert_eq!(app.product("vps-2-gb").await["stock"], 0);

    let staff = app.staff_key(&["billing:write"]);
    let res = post(
        &app,
        &staff,
        &format!("/api/v1/invoices/{invoice}/pay"),
        json!({"amount": "5.00", "gateway": "bank_transfer", "transaction_id": "PART-1"}),
    )
    .await;
    assert_eq!(res.status(), 200);

    let res = post(
        &app,
        &staff,
        &format!("/api/v1/invoices/{invoice}/cancel"),
        json!({}),
    )
    .await;
    let body = json_with_status(res, 200).await;
    assert_eq!(body["data"]["status"], "cancelled");
    assert_eq!(
        app.client(c.client_id).await["credit_balance"]["amount_minor"],
        500,
        "the 5.00 paid is credit now"
    );
    assert_eq!(sql::ledger_sum(&app, c.client_id), 500);
    assert_eq!(app.order_count(Some("cancelled")).await, 1);
    assert_eq!(app.service_count(Some("cancelled")).await, 1);
    assert_eq!(app.product("vps-2-gb").await["stock"], 1);

    // Only once; and a cancelled invoice takes no payment.
    let again = post(
        &app,
        &staff,
        &format!("/api/v1/invoices/{invoice}/cancel"),
        json!({}),
    )
    .await;
    assert_eq!(again.status(), 409);
    let pay = post(
        &app,
        &staff,
        &format!("/api/v1/invoices/{invoice}/pay"),
        json!({"amount": "1.00", "gateway": "bank_transfer", "transaction_id": "LATE"}),
    )
    .await;
    assert_eq!(pay.status(), 409);
    assert_eq!(
        app.client(c.client_id).await["credit_balance"]["amount_minor"],
        500
    );
}

#[tokio::test]
async fn a_paid_invoice_cannot_be_cancelled_and_only_billing_staff_may_cancel() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    let invoice = app
        .place_order(
            &c,
            "paid",
            json!({"items": [{"package_id": "vps-2-gb", "billing_cycle": "monthly"}]}),
        )
        .await["invoice"]["id"]
        .as_i64()
        .unwrap();

    let reader = app.staff_key(&["billing:read"]);
    let res = post(
        &app,
        &reader,
        &format!("/api/v1/invoices/{invoice}/cancel"),
        json!({}),
    )
    .await;
    assert_eq!(res.status(), 403);
    let res = post(
        &app,
        &c.access,
        &format!("/api/v1/invoices/{invoice}/cancel"),
        json!({}),
    )
    .await;
    assert_eq!(res.status(), 403);
    assert_eq!(app.invoice_count(Some("unpaid")).await, 1);

    let staff = app.staff_key(&["billing:write"]);
    let res = post(
        &app,
        &staff,
        &format!("/api/v1/invoices/{invoice}/pay"),
        json!({"amount": "17.00", "gateway": "bank_transfer", "transaction_id": "FULL"}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let res = post(
        &app,
        &staff,
        &format!("/api/v1/invoices/{invoice}/cancel"),
        json!({}),
    )
    .await;
    assert_eq!(json_with_status(res, 409).await["code"], "conflict");
    assert_eq!(app.service_count(Some("active")).await, 1);
    let res = post(&app, &staff, "/api/v1/invoices/999999/cancel", json!({})).await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn staff_list_every_payment_filtered_by_client_and_gateway() {
    let app = TestApp::with_catalog();
    let staff = app.staff_key(&["billing:read", "billing:write"]);
    let mut invoices = Vec::new();
    for email in ["a@example.com", "b@example.com"] {
        let c = app.customer(email).await;
        let invoice = app
            .place_order(
                &c,
                "k",
                json!({"items": [{"package_id": "vps-2-gb", "billing_cycle": "monthly"}]}),
            )
            .await["invoice"]["id"]
            .as_i64()
            .unwrap();
        invoices.push((c, invoice));
    }
    for (i, (_, invoice)) in invoices.iter().enumerate() {
        let gateway = if i == 0 { "bank_transfer" } else { "manual" };
        let res = post(
            &app,
            &staff,
            &format!("/api/v1/invoices/{invoice}/pay"),
            json!({"amount": "17.00", "gateway": gateway, "transaction_id": format!("T{i}")}),
        )
        .await;
        assert_eq!(res.status(), 200);
    }
    let all = json_with_status(app.get_auth("/api/v1/payments", &staff).await, 200).await;
    assert_eq!(all["data"].as_array().unwrap().len(), 2);
    assert_eq!(all["data"][0]["transaction_id"], "T1", "newest first");
    assert_eq!(all["data"][0]["amount"]["amount_minor"], 1700);
    let first_client = invoices[0].0.client_id;
    let one_client = json_with_status(
        app.get_auth(
            &format!("/api/v1/payments?client_id={first_client}"),
            &staff,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(one_client["data"].as_array().unwrap().len(), 1);
    let manual = json_with_status(
        app.get_auth("/api/v1/payments?gateway=manual&per_page=1", &staff)
            .await,
        200,
    )
    .await;
    assert_eq!(manual["data"][0]["gateway"], "manual");
    assert_eq!(manual["data"].as_array().unwrap().len(), 1);

    let reader = app.staff_key(&["clients:read"]);
    assert_eq!(
        app.get_auth("/api/v1/payments", &reader).await.status(),
        403
    );
    assert_eq!(
        app.get_auth("/api/v1/payments", &invoices[0].0.access)
            .await
            .status(),
        403
    );
}
