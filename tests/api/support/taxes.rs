//! Taxes: the shop's tax settings, where a customer lives (and their VAT
//! id), and a Starter-plus-VPS cart quoted and ordered, with the rule every
//! invoice keeps.

use serde_json::{Value, json};

use super::{Customer, TestApp, json_with_status};

/// Staff set whether prices include tax, and the seller's country.
pub async fn settings(app: &TestApp, key: &str, inclusive: bool, seller: &str) {
    let res = app
        .http
        .put(app.url("/api/v1/tax-settings"))
        .bearer_auth(key)
        .json(&json!({"prices_include_tax": inclusive, "seller_country": seller}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

/// Move the customer to a place (and give a VAT id).
pub async fn locate(app: &TestApp, c: &Customer, country: &str, state: &str, vat_id: Option<&str>) {
    let res = app
        .http
        .patch(app.url(&format!("/api/v1/clients/{}/profile", c.client_id)))
        .bearer_auth(&c.access)
        .json(&json!({"country": country, "state": state, "vat_id": vat_id.unwrap_or("")}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

/// A Starter (with a domain) and a VPS, both monthly.
pub fn starter() -> Value {
    json!({"items": [{"package_id": "starter", "billing_cycle": "monthly", "domain": "example.com"},
                     {"package_id": "vps-2-gb", "billing_cycle": "monthly"}]})
}

/// The customer's quote for `starter()`.
pub async fn quote(app: &TestApp, c: &Customer) -> Value {
    let res = app
        .http
        .post(app.url("/api/v1/orders/quote"))
        .bearer_auth(&c.access)
        .header("X-Client-Id", c.client_id.to_string())
        .json(&starter())
        .send()
        .await
        .unwrap();
    json_with_status(res, 200).await
}

/// Order `starter()`; answers the customer's view of its invoice.
pub async fn order(app: &TestApp, c: &Customer, key: &str) -> Value {
    let res = app
        .http
        .post(app.url(&format!("/api/v1/clients/{}/orders", c.client_id)))
        .bearer_auth(&c.access)
        .header("Idempotency-Key", key)
        .json(&starter())
        .send()
        .await
        .unwrap();
    let placed = json_with_status(res, 201).await;
    let id = placed["invoice"]["id"].as_i64().unwrap();
    json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/invoices/{id}", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await["data"]
        .clone()
}

/// The minor units of a money value.
pub fn minor(v: &Value) -> i64 {
    v["amount_minor"].as_i64().unwrap()
}

/// The rule every invoice keeps: total = sum of lines = subtotal + tax.
pub fn assert_adds_up(invoice: &Value) {
    let lines: i64 = invoice["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| minor(&i["amount"]))
        .sum();
    assert_eq!(lines, minor(&invoice["total"]), "{invoice}");
    assert_eq!(
        minor(&invoice["subtotal"]) + minor(&invoice["tax_total"]),
        minor(&invoice["total"])
    );
}
