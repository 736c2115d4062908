//! Paid services: a customer's service whose first invoice staff have
//! paid, so it is live.

use serde_json::json;

use super::{Customer, TestApp};

/// A paid Starter monthly (4.99); answers the service id.
pub async fn live_starter(app: &TestApp, c: &Customer) -> i64 {
    let placed = app
        .place_order(
            c,
            "o-1",
            json!({"items": [{"package_id": "starter", "billing_cycle": "monthly", "domain": "shop.example"}]}),
        )
        .await;
    let staff = app.staff_key(&["billing:write"]);
    let invoice = placed["invoice"]["id"].as_i64().unwrap();
    assert_eq!(
        app.staff_pay(&staff, invoice, "4.99", &format!("T-{}", c.client_id))
            .await
            .status(),
        200
    );
    placed["services"][0]["id"]
        .as_i64()
        .or_else(|| placed["order"]["items"][0]["id"].as_i64())
        .unwrap()
}
