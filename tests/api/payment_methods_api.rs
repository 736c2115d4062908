//! Payment methods: the public list with fees (reference 001
//! `/payment/fees`), staff changes, and bank details on unpaid invoices.

use serde_json::json;

use crate::support::{Browser, TestApp, json_with_status};

async fn patch(app: &TestApp, key: &str, code: &str, body: serde_json::Value) -> reqwest::Response {
    app.http
        .patch(app.url(&format!("/api/v1/payment-methods/{code}")))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_methods_are_listed_with_fees_and_staff_change_them() {
    let app = TestApp::spawn();
    let list = json_with_status(app.get("/api/v1/payment-methods").await, 200).await;
    let codes: Vec<&str> = list["payments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["bank_transfer", "credit"]);
    assert_eq!(list["payments"][0]["percent_fee"], "0");

    let staff = app.staff_key(&["billing:read", "billing:write"]);
    let res = patch(&app, &staff, "bank_transfer", json!({"percent_fee": "2.9", "fixed_fee": "0.30", "instructions": "IBAN DE00 1234\nBIC ABCDEFXX"})).await;
    let body = json_with_status(res, 200).await;
    assert_eq!(body["data"]["percent_fee"], "2.9");
    assert_eq!(body["data"]["fixed_fee"], "0.3");

    let res = patch(&app, &staff, "credit", json!({"enabled": false})).await;
    assert_eq!(res.status(), 200);
    let list = json_with_status(app.get("/api/v1/payment-methods").await, 200).await;
    assert_eq!(
        list["payments"].as_array().unwrap().len(),
        1,
        "disabled methods are not offered"
    );

    for (body, field) in [
        (json!({"percent_fee": "101"}), "percent_fee"),
        (json!({"fixed_fee": "-1"}), "fixed_fee"),
        (json!({"fixed_fee": "0.0001"}), "fixed_fee"),
        (json!({"name": ""}), "name"),
    ] {
        let res = patch(&app, &staff, "bank_transfer", body).await;
        assert!(json_with_status(res, 422).await["errors"][field].is_array());
    }
    assert_eq!(
        patch(&app, &staff, "paypal", json!({"enabled": true}))
            .await
            .status(),
        404
    );
    let reader = app.staff_key(&["billing:read"]);
    assert_eq!(
        patch(&app, &reader, "bank_transfer", json!({"enabled": false}))
            .await
            .status(),
        403
    );
    let list = json_with_status(app.get("/api/v1/payment-methods").await, 200).await;
    assert_eq!(
        list["payments"][0]["percent_fee"], "2.9",
        "refused changes changed nothing"
    );
}

#[tokio::test]
async fn an_unpaid_invoice_shows_the_bank_details_and_a_paid_one_does_not() {
    let app = TestApp::with_catalog();
    let staff = app.staff_key(&["billing:read", "billing:write"]);
    let res = patch(
        &app,
        &staff,
        "bank_transfer",
        json!({"instructions": "Acme Bank\nIBAN GB00 ACME 1234 5678"}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let c = app.customer("ama@example.com").await;
    let invoice = app
        .place_order(
            &c,
            "bank",
            json!({"items": [{"package_id": "vps-2-gb", "billing_cycle": "monthly"}]}),
        )
        .await["invoice"]["id"]
        .as_i64()
        .unwrap();

    let mut browser = Browser::new(&app);
    browser
        .login(&c.email, "correct horse battery staple")
        .await;
    let page = browser.get(&format!("/account/invoices/{invoice}")).await;
    assert!(page.body.contains("IBAN GB00 ACME 1234 5678"));
    assert!(page.body.contains("Quote <strong>2026-00001</strong>"));

    let res = app.staff_pay(&staff, invoice, "17.00", "B1").await;
    assert_eq!(res.status(), 200);
    let page = browser.get(&format!("/account/invoices/{invoice}")).await;
    assert!(!page.body.contains("IBAN GB00"));
}
