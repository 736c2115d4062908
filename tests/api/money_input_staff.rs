//! Staff send amounts the same way customers do: a product's price and
//! setup fee, a TLD's prices, a promotion's value, a payment method's fees
//! and the late fee accept `4.99`, `"4.99"` (and, where a currency is
//! known, `{"amount_minor": 499}`), read from the number's text, never a
//! float; more decimals than the currency has is a 422 naming the field.

use serde_json::{Value, json};

use crate::support::{TestApp, json_with_status};

async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    key: &str,
    body: Value,
) -> reqwest::Response {
    app.http
        .request(method.parse().unwrap(), app.url(path))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn error_fields(body: &Value) -> Vec<String> {
    body["errors"]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_products_prices_are_taken_as_numbers_strings_exponents_or_minor_units() {
    let app = TestApp::with_catalog();
    let key = app.staff_key(&["catalog:read", "catalog:write"]);
    let body = json_with_status(
        send(&app, "POST", "/api/v1/products", &key, json!({
            "group": "vps", "kind": "vps", "name": "Exact", "prices": [
                {"currency": "USD", "billing_cycle": "monthly", "price": 4.99, "setup_fee": 0.1},
                {"currency": "USD", "billing_cycle": "quarterly", "price": "1e1"},
                {"currency": "USD", "billing_cycle": "annually", "price": {"amount_minor": 4999}},
                {"currency": "EUR", "billing_cycle": "monthly", "price": 1.15}
            ]
        }))
        .await,
        201,
    )
    .await;
    let pricing = &body["data"]["pricing"];
    let minor = |i: usize, field: &str| pricing[i][field]["amount_minor"].as_i64().unwrap();
    let by_cycle = |cycle: &str, currency: &str| {
        (0..4)
            .find(|&i| {
                pricing[i]["billing_cycle"] == cycle && pricing[i]["price"]["currency"] == currency
            })
            .unwrap()
    };
    // 4.99 and 1.15 are not exact in binary; read from the text they are.
    assert_eq!(minor(by_cycle("monthly", "USD"), "price"), 499);
    assert_eq!(minor(by_cycle("monthly", "USD"), "setup_fee"), 10);
    assert_eq!(minor(by_cycle("quarterly", "USD"), "price"), 1000);
    assert_eq!(minor(by_cycle("annually", "USD"), "price"), 4999);
    assert_eq!(minor(by_cycle("monthly", "EUR"), "price"), 115);
}

#[tokio::test]
async fn a_price_with_more_decimals_than_its_currency_is_refused_naming_the_field() {
    let app = TestApp::with_catalog();
    let key = app.staff_key(&["catalog:read", "catalog:write"]);
    let before = json_with_status(app.get_auth("/api/v1/products", &key).await, 200).await;
    for (price, field) in [
        (json!({"price": 4.999}), "prices.0.price"),
        (json!({"price": "1e-3"}), "prices.0.price"),
        (
            json!({"price": 1, "setup_fee": 0.005}),
            "prices.0.setup_fee",
        ),
        (json!({"price": 9.1e20}), "prices.0.price"),
        (json!({"price": {"amount_minor": 1.5}}), ""),
    ] {
        let mut p = json!({"currency": "USD", "billing_cycle": "monthly"});
        p.as_object_mut()
            .unwrap()
            .extend(price.as_object().unwrap().clone());
        let res = send(
            &app,
            "POST",
            "/api/v1/products",
            &key,
            json!({
                "group": "vps", "kind": "vps", "name": "Odd", "prices": [p.clone()]
            }),
        )
        .await;
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap();
        assert!(
            status == 422 || (field.is_empty() && status == 400),
            "{p}: {status} {body}"
        );
        if !field.is_empty() {
            assert!(
                error_fields(&body).contains(&field.to_string()),
                "{p}: {body}"
            );
        }
    }
    let after = json_with_status(app.get_auth("/api/v1/products", &key).await, 200).await;
    assert_eq!(before["data"], after["data"], "nothing was made");
}

#[tokio::test]
async fn tld_prices_take_json_numbers_in_currencies_with_zero_and_two_decimals() {
    let app = TestApp::with_catalog();
    let key = app.staff_key(&["catalog:read", "catalog:write"]);
    let io = json_with_status(
        send(&app, "POST", "/api/v1/tlds", &key, json!({"tld": ".io", "prices": [
            {"currency": "USD", "years": 1, "register": 39.99, "renew": "45.10", "transfer": {"amount_minor": 3999}}
        ]}))
        .await,
        201,
    )
    .await;
    let price = &io["data"]["pricing"][0];
    assert_eq!(price["register"]["amount_minor"], 3999);
    assert_eq!(price["renew"]["amount_minor"], 4510);
    assert_eq!(price["transfer"]["amount_minor"], 3999);

    let bad = send(
        &app,
        "POST",
        "/api/v1/tlds",
        &key,
        json!({"tld": ".dev", "prices": [
            {"currency": "USD", "years": 1, "register": 12.345}
        ]}),
    )
    .await;
    let body = json_with_status(bad, 422).await;
    assert!(
        error_fields(&body).contains(&"prices.0.register".to_string()),
        "{body}"
    );
    let all = json_with_status(app.get_auth("/api/v1/tlds", &key).await, 200).await;
    assert!(
        all["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["tld"] != ".dev")
    );
}

#[tokio::test]
async fn a_promotions_value_is_a_json_number_read_exactly() {
    let app = TestApp::with_catalog();
    let key = app.staff_key(&["catalog:read", "catalog:write"]);
    let percent = json_with_status(
        send(
            &app,
            "POST",
            "/api/v1/promotions",
            &key,
            json!({"code": "SEVEN", "kind": "percent", "value": 7.375}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(percent["data"]["value"], "7.375");
    let fixed = json_with_status(
        send(
            &app,
            "POST",
            "/api/v1/promotions",
            &key,
            json!({"code": "OFF", "kind": "fixed", "value": 2.3, "currency": "USD"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(fixed["data"]["value"], "2.30");
    let bad = send(
        &app,
        "POST",
        "/api/v1/promotions",
        &key,
        json!({"code": "ODD", "kind": "fixed", "value": 2.345, "currency": "USD"}),
    )
    .await;
    let body = json_with_status(bad, 422).await;
    assert!(error_fields(&body).contains(&"value".to_string()), "{body}");
    let minor = send(
        &app,
        "POST",
        "/api/v1/promotions",
        &key,
        json!({"code": "MIN", "kind": "percent", "value": {"amount_minor": 5}}),
    )
    .await;
    assert!(minor.status().is_client_error());
}

#[tokio::test]
async fn payment_method_fees_take_json_numbers_read_exactly() {
    let app = TestApp::spawn();
    let staff = app.staff_key(&["billing:read", "billing:write"]);
    let body = json_with_status(
        send(
            &app,
            "PATCH",
            "/api/v1/payment-methods/bank_transfer",
            &staff,
            json!({"percent_fee": 2.9, "fixed_fee": 0.3}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(body["data"]["percent_fee"], "2.9");
    assert_eq!(body["data"]["fixed_fee"], "0.3");
    let bad = send(
        &app,
        "PATCH",
        "/api/v1/payment-methods/bank_transfer",
        &staff,
        json!({"fixed_fee": 0.0001}),
    )
    .await;
    let err = json_with_status(bad, 422).await;
    assert!(
        error_fields(&err).contains(&"fixed_fee".to_string()),
        "{err}"
    );
}

#[tokio::test]
async fn the_late_fee_takes_a_json_number_read_exactly() {
    let app = TestApp::spawn();
    let staff = app.staff_key(&["billing:read", "billing:write"]);
    let mut settings = json_with_status(
        app.get_auth("/api/v1/automation-settings", &staff).await,
        200,
    )
    .await["data"]
        .clone();
    settings["late_fee"] =
        json!({"enabled": true, "kind": "fixed", "amount": 5.1, "after_days": 3});
    let saved = json_with_status(
        send(
            &app,
            "PUT",
            "/api/v1/automation-settings",
            &staff,
            settings.clone(),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(saved["data"]["late_fee"]["amount"], "5.1");
    // An exponent as the client wrote it (serde_json would print 25.0).
    settings["late_fee"]["amount"] = json!("AMOUNT");
    settings["late_fee"]["kind"] = json!("percent");
    let text = settings.to_string().replace("\"AMOUNT\"", "2.5e1");
    let res = app
        .http
        .put(app.url("/api/v1/automation-settings"))
        .bearer_auth(&staff)
        .header("content-type", "application/json")
        .body(text)
        .send()
        .await
        .unwrap();
    let saved = json_with_status(res, 200).await;
    assert_eq!(saved["data"]["late_fee"]["amount"], "25");
}
