//! The client area's invoice pages: the list, one invoice with its lines
//! and totals, and nothing of another account's.

use serde_json::json;

use crate::support::{Browser, TestApp, json_with_status};

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test]
async fn a_customer_sees_their_invoices_and_each_one_with_its_lines() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    let placed = app.place_order(&c, "page-order", json!({"items": [{"type": "hosting", "package_id": "starter", "billing_cycle": "annually", "domain": "example.com"}]})).await;
    let invoice_id = placed["invoice"]["id"].as_i64().unwrap();
    let total = placed["invoice"]["total"]["formatted"]
        .as_str()
        .unwrap()
        .to_string();

    let mut browser = Browser::new(&app);
    browser.login(&c.email, PASSWORD).await;
    let list = browser.get("/account/invoices").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("2026-00001"), "{}", list.body);
    assert!(list.body.contains(&total));

    let detail = browser
        .get(&format!("/account/invoices/{invoice_id}"))
        .await;
    assert_eq!(detail.status, 200);
    assert!(detail.body.contains("Invoice 2026-00001"));
    assert!(detail.body.contains("Starter"), "the line is shown");
    assert!(
        detail.body.contains("1 Ring Road"),
        "the buyer's address as issued"
    );
    assert!(
        detail
            .body
            .contains(&format!("id=\"balance-due\">{total}<"))
    );
    // By number works too, as in the API.
    assert_eq!(
        browser.get("/account/invoices/2026-00001").await.status,
        200
    );

    // Another account's invoice is a 404, by id and by number.
    let other = app.customer("other@example.com").await;
    let mut stranger = Browser::new(&app);
    stranger.login(&other.email, PASSWORD).await;
    assert_eq!(
        stranger
            .get(&format!("/account/invoices/{invoice_id}"))
            .await
            .status,
        404
    );
    assert_eq!(
        stranger.get("/account/invoices/2026-00001").await.status,
        404
    );
    let theirs = stranger.get("/account/invoices").await;
    assert!(theirs.body.contains("No invoices yet."));
}

#[tokio::test]
async fn a_contact_without_billing_privileges_cannot_open_invoices() {
    let app = TestApp::spawn();
    let owner = app.customer("owner@example.com").await;
    let res = app
        .http
        .post(app.url(&format!("/api/v1/clients/{}/contacts", owner.client_id)))
        .bearer_auth(&owner.access)
        .json(&json!({"email": "kofi@example.com", "first_name": "Kofi", "last_name": "B", "privileges": {"support": ["tickets"]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    app.accept_invitation("kofi@example.com", "contact passphrase 1")
        .await;
    let mut kofi = Browser::new(&app);
    kofi.login("kofi@example.com", "contact passphrase 1").await;
    assert_eq!(kofi.get("/account/invoices").await.status, 403);
}

#[tokio::test]
async fn an_invoice_is_paid_from_account_credit_with_one_button() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    let place = |key: &'static str| {
        let (http, url, token) = (
            app.http.clone(),
            app.url(&format!("/api/v1/clients/{}/orders", c.client_id)),
            c.access.clone(),
        );
        async move {
            let res = http
                .post(url)
                .bearer_auth(token)
                .header("Idempotency-Key", key)
                .json(&json!({"items": [{"package_id": "starter", "billing_cycle": "monthly", "domain": "example.com"}]}))
                .send()
                .await
                .unwrap();
            json_with_status(res, 201).await["invoice"]["id"]
                .as_i64()
                .unwrap()
        }
    };
    let first = place("one").await;
    let staff = app.staff_key(&["billing:write"]);
    let res = app.staff_pay(&staff, first, "20.00", "T1").await;
    assert_eq!(res.status(), 200);
    let second = place("two").await;

    let mut browser = Browser::new(&app);
    browser.login(&c.email, PASSWORD).await;
    let page = browser.get(&format!("/account/invoices/{second}")).await;
    assert!(page.body.contains("Pay from my credit"), "{}", page.body);
    assert!(page.body.contains("15.01"), "the credit is shown");
    let res = browser
        .post(
            &format!("/account/invoices/{second}/apply-credit"),
            &[("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(res.status, 303);
    let after = browser.get(res.location()).await;
    assert!(after.body.contains("id=\"invoice-status\">paid<"));
    assert!(after.body.contains("credit was applied"));
    assert!(!after.body.contains("Pay from my credit"));

    // Without the token nothing is applied.
    let third = place("three").await;
    let res = browser
        .post(&format!("/account/invoices/{third}/apply-credit"), &[])
        .await;
    assert_eq!(res.status, 403);
    let status = app.invoice(third).await["status"].clone();
    assert_eq!(status, "unpaid");
}

#[tokio::test]
async fn the_orders_and_payments_pages_list_the_accounts_history() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    browser.login(&c.email, PASSWORD).await;
    assert!(
        browser
            .get("/account/orders")
            .await
            .body
            .contains("No orders yet")
    );
    assert!(
        browser
            .get("/account/payments")
            .await
            .body
            .contains("No payments yet")
    );

    let invoice = app
        .place_order(
            &c,
            "history",
            json!({"items": [{"package_id": "vps-2-gb", "billing_cycle": "monthly"}]}),
        )
        .await["invoice"]["id"]
        .as_i64()
        .unwrap();
    let staff = app.staff_key(&["billing:write"]);
    let res = app.staff_pay(&staff, invoice, "17.00", "BANK-REF-77").await;
    assert_eq!(res.status(), 200);

    let orders = browser.get("/account/orders").await;
    assert_eq!(orders.status, 200);
    assert!(orders.body.contains("2026-00001"), "{}", orders.body);
    assert!(orders.body.contains("(monthly, active)"));
    let payments = browser.get("/account/payments").await;
    assert!(payments.body.contains("BANK-REF-77"));
    assert!(payments.body.contains("bank transfer"));
    assert!(payments.body.contains("17.00"));
}

#[tokio::test]
async fn funds_are_added_from_the_invoices_page_and_bad_amounts_stay_on_the_form() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    browser.login(&c.email, PASSWORD).await;
    let page = browser.get("/account/invoices").await;
    assert!(page.body.contains("id=\"add-funds\""));

    let bad = browser
        .post(
            "/account/credit/add",
            &[("csrf", &page.csrf()), ("amount", "-3")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("amount-error"));
    assert!(bad.body.contains("value=\"-3\""));

    let res = browser
        .post(
            "/account/credit/add",
            &[("csrf", &page.csrf()), ("amount", "25.00")],
        )
        .await;
    assert_eq!(res.status, 303);
    let invoice = browser.get(res.location()).await;
    assert!(invoice.body.contains("Add funds to account credit"));
    assert!(invoice.body.contains("25.00"));
    let count = app.invoice_count(None).await;
    assert_eq!(count, 1, "the refused amount made nothing");
}
