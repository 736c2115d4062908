//! Amounts in API bodies are exact: `29.99`, `"29.99"` and
//! `{"amount_minor": 2999}` are the same amount, a JSON number is read from
//! its text (never a float), and more decimals than the currency has, or
//! an amount out of range, is a 422 naming the field that changes nothing.

use serde_json::{Value, json};

use crate::support::{Customer, TestApp, json_with_status};

fn setup() -> TestApp {
    TestApp::with_catalog()
}

async fn add_funds(app: &TestApp, c: &Customer, body: Value) -> reqwest::Response {
    app.http
        .post(app.url(&format!("/api/v1/clients/{}/credit/invoices", c.client_id)))
        .bearer_auth(&c.access)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn staff_pay(app: &TestApp, key: &str, invoice: i64, body: Value) -> reqwest::Response {
    app.http
        .post(app.url(&format!("/api/v1/invoices/{invoice}/pay")))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn invoices_of(app: &TestApp, c: &Customer) -> usize {
    let res = app
        .get_auth(
            &format!("/api/v1/clients/{}/invoices", c.client_id),
            &c.access,
        )
        .await;
    json_with_status(res, 200).await["data"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn reference_000s_add_funds_example_with_a_json_number_is_accepted() {
    let app = setup();
    let c = app.customer("funds@example.com").await;
    // Reference 000's own example body.
    let body = json_with_status(add_funds(&app, &c, json!({"amount": 50})).await, 201).await;
    assert_eq!(body["data"]["total"]["amount_minor"], 5000);
    for same in [
        json!("50.00"),
        json!(50.0),
        json!({"amount_minor": 5000}),
        json!(5e1),
    ] {
        let body =
            json_with_status(add_funds(&app, &c, json!({ "amount": same })).await, 201).await;
        assert_eq!(body["data"]["total"]["amount_minor"], 5000, "{same}");
    }
}

#[tokio::test]
async fn a_number_is_read_from_its_text_never_through_a_float() {
    let app = setup();
    let c = app.customer("float@example.com").await;
    // 0.1 + 0.2 style values that a float would turn into 1.0999999...
    let body = json_with_status(add_funds(&app, &c, json!({"amount": 1.10})).await, 201).await;
    assert_eq!(body["data"]["total"]["amount_minor"], 110);
    let raw = app
        .http
        .post(app.url(&format!("/api/v1/clients/{}/credit/invoices", c.client_id)))
        .bearer_auth(&c.access)
        .header("content-type", "application/json")
        .body(r#"{"amount": 29.99}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(
        json_with_status(raw, 201).await["data"]["total"]["amount_minor"],
        2999
    );
}

#[tokio::test]
async fn too_many_decimals_negatives_and_huge_amounts_are_refused_naming_the_field() {
    let app = setup();
    let c = app.customer("refused@example.com").await;
    for (raw, why) in [
        (r#"{"amount": 29.999}"#, "three decimals in USD"),
        (r#"{"amount": "29.999"}"#, "three decimals as a string"),
        (
            r#"{"amount": 2.9999e1}"#,
            "three decimals through an exponent",
        ),
        (r#"{"amount": -5}"#, "negative"),
        (r#"{"amount": 0}"#, "zero"),
        (r#"{"amount": 1e30}"#, "huge"),
        (
            r#"{"amount": 123456789012345678901234567890}"#,
            "huge without exponent",
        ),
        (
            r#"{"amount": {"amount_minor": 9007199254740992}}"#,
            "past 2^53",
        ),
        (r#"{"amount": "twelve"}"#, "not a number"),
        (r#"{"amount": ""}"#, "empty"),
        (r#"{}"#, "missing"),
    ] {
        let res = app
            .http
            .post(app.url(&format!("/api/v1/clients/{}/credit/invoices", c.client_id)))
            .bearer_auth(&c.access)
            .header("content-type", "application/json")
            .body(raw)
            .send()
            .await
            .unwrap();
        let body = json_with_status(res, 422).await;
        assert!(body["errors"]["amount"].is_array(), "{why}: {body}");
    }
    assert_eq!(invoices_of(&app, &c).await, 0, "nothing was made");
}

#[tokio::test]
async fn reference_002s_pay_example_with_a_json_number_records_the_exact_amount() {
    let app = setup();
    let c = app.customer("pay@example.com").await;
    let order = app
        .place_order(
            &c,
            "o-1",
            json!({"items": [{"package_id": "starter", "billing_cycle": "monthly", "domain": "example.com"}]}),
        )
        .await;
    let invoice = order["invoice"]["id"].as_i64().unwrap();
    let key = app.staff_key(&["billing:write"]);

    let refused = staff_pay(
        &app,
        &key,
        invoice,
        json!({"amount": 1.005, "gateway": "bank_transfer", "transaction_id": "T-0"}),
    )
    .await;
    assert!(json_with_status(refused, 422).await["errors"]["amount"].is_array());
    let both = staff_pay(
        &app,
        &key,
        invoice,
        json!({"amount": 1, "amount_minor": 100, "gateway": "bank_transfer", "transaction_id": "T-0"}),
    )
    .await;
    assert!(json_with_status(both, 422).await["errors"]["amount"].is_array());

    // Part as a number, part as minor units, the rest as a string.
    let part = staff_pay(
        &app,
        &key,
        invoice,
        json!({"amount": 1.99, "gateway": "bank_transfer", "transaction_id": "T-1"}),
    )
    .await;
    let part = json_with_status(part, 200).await;
    assert_eq!(part["data"]["amount_paid"]["amount_minor"], 199);
    let more = staff_pay(
        &app,
        &key,
        invoice,
        json!({"amount": {"amount_minor": 100}, "gateway": "bank_transfer", "transaction_id": "T-2"}),
    )
    .await;
    assert_eq!(
        json_with_status(more, 200).await["data"]["amount_paid"]["amount_minor"],
        299
    );
    let rest = staff_pay(
        &app,
        &key,
        invoice,
        json!({"amount": "2.00", "gateway": "bank_transfer", "transaction_id": "T-3"}),
    )
    .await;
    let rest = json_with_status(rest, 200).await;
    assert_eq!(rest["data"]["status"], "paid");
    assert_eq!(rest["data"]["amount_paid"]["amount_minor"], 499);
}

/// A shop whose default currency has `decimals` digits, and a customer in it.
async fn shop_in(code: &str, decimals: u32) -> (TestApp, Customer) {
    let app = TestApp::spawn();
    let key = app.staff_key(&["catalog:write"]);
    let res = app
        .http
        .post(app.url("/api/v1/currencies"))
        .bearer_auth(&key)
        .json(&json!({"code": code, "decimals": decimals, "default": true}))
        .send()
        .await
        .unwrap();
    json_with_status(res, 200).await;
    let email = format!("{}@example.com", code.to_lowercase());
    let password = "correct horse battery staple";
    let res = app
        .post_json(
            "/api/v1/auth/signup",
            json!({"email": email, "password": password, "first_name": "Ama", "last_name": "Mensah",
                   "country": "GH", "city": "Accra", "address1": "1 Ring Road", "postcode": "00233",
                   "phone": "+233550507788", "currency": code}),
        )
        .await;
    assert_eq!(res.status(), 202);
    let token = app.token_in_mail(&email, "/verify-email").await;
    let res = app
        .post_json("/api/v1/auth/email/verify", json!({ "token": token }))
        .await;
    assert_eq!(res.status(), 200);
    let c = app.login(&email, password).await;
    (app, c)
}

#[tokio::test]
async fn a_currency_without_decimals_takes_whole_amounts_only() {
    let (app, c) = shop_in("JPY", 0).await;
    let body = json_with_status(add_funds(&app, &c, json!({"amount": 1500})).await, 201).await;
    assert_eq!(body["data"]["total"]["currency"], "JPY", "{body}");
    assert_eq!(body["data"]["total"]["amount_minor"], 1500);
    let body = json_with_status(add_funds(&app, &c, json!({"amount": "1500.0"})).await, 201).await;
    assert_eq!(
        body["data"]["total"]["amount_minor"], 1500,
        "a zero decimal is fine"
    );
    let res = add_funds(&app, &c, json!({"amount": 1500.5})).await;
    let body = json_with_status(res, 422).await;
    assert!(
        body["errors"]["amount"][0]
            .as_str()
            .unwrap()
            .contains("0 decimal places"),
        "{body}"
    );
}

#[tokio::test]
async fn a_currency_with_three_decimals_takes_the_third() {
    let (app, c) = shop_in("KWD", 3).await;
    let body = json_with_status(add_funds(&app, &c, json!({"amount": 3.125})).await, 201).await;
    assert_eq!(body["data"]["total"]["amount_minor"], 3125);
    let body = json_with_status(
        add_funds(&app, &c, json!({"amount": {"amount_minor": 3125}})).await,
        201,
    )
    .await;
    assert_eq!(body["data"]["total"]["amount_minor"], 3125);
    let res = add_funds(&app, &c, json!({"amount": "3.1255"})).await;
    assert!(json_with_status(res, 422).await["errors"]["amount"].is_array());
}

#[tokio::test]
async fn a_refund_takes_its_amount_as_a_json_number_exactly() {
    let app = setup();
    let c = app.customer("refund@example.com").await;
    let order = app
        .place_order(
            &c,
            "o-1",
            json!({"items": [{"package_id": "starter", "billing_cycle": "monthly", "domain": "example.com"}]}),
        )
        .await;
    let invoice = order["invoice"]["id"].as_i64().unwrap();
    let staff = app.staff_key(&["billing:write", "billing:read"]);
    let paid = app.staff_pay(&staff, invoice, "4.99", "BANK-1").await;
    let payment = json_with_status(paid, 200).await["payment"]["id"]
        .as_i64()
        .unwrap();
    let refund = |body: Value| {
        let (app, staff) = (&app, &staff);
        async move {
            app.http
                .post(app.url(&format!("/api/v1/payments/{payment}/refund")))
                .bearer_auth(staff)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let refused = refund(json!({"amount": 1.001, "destination": "external"})).await;
    assert!(json_with_status(refused, 422).await["errors"]["amount"].is_array());
    let part = json_with_status(
        refund(json!({"amount": 1.5, "destination": "external"})).await,
        201,
    )
    .await;
    assert_eq!(part["data"]["amount"]["amount_minor"], 150);
    let minor = json_with_status(
        refund(json!({"amount": {"amount_minor": 49}, "destination": "external"})).await,
        201,
    )
    .await;
    assert_eq!(minor["data"]["amount"]["amount_minor"], 49);
}

#[tokio::test]
async fn sign_up_without_a_currency_opens_the_account_in_the_shops_default() {
    let app = TestApp::spawn();
    let key = app.staff_key(&["catalog:write"]);
    let res = app
        .http
        .post(app.url("/api/v1/currencies"))
        .bearer_auth(&key)
        .json(&json!({"code": "JPY", "decimals": 0, "default": true}))
        .send()
        .await
        .unwrap();
    json_with_status(res, 200).await;
    let c = app.customer("yen@example.com").await;
    let body = json_with_status(add_funds(&app, &c, json!({"amount": 1500})).await, 201).await;
    assert_eq!(body["data"]["total"]["currency"], "JPY");
    assert_eq!(body["data"]["total"]["amount_minor"], 1500);
}
