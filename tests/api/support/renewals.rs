//! Renewals: the sample catalog with a yearly VPS, VPS services ordered
//! per cycle, paying every unpaid invoice, and the billing jobs (renewals,
//! then dunning) run at the clock's now.

use serde_json::json;
use till::clock::Clock;

use super::{Customer, TestApp, money};

/// The app with the sample catalog, whose VPS (monthly and quarterly)
/// also sells yearly at 120.00.
pub fn setup() -> TestApp {
    let app = TestApp::with_catalog();
    // The VPS sells monthly and quarterly; add a yearly price.
    app.state
        .db
        .write(|tx| {
            Ok(tx.execute(
                "INSERT INTO product_prices (product_id, currency, cycle, price, setup_fee)
                 SELECT id, 'USD', 'annually', 12000, 0 FROM products WHERE slug = 'vps-2-gb'",
                [],
            )?)
        })
        .unwrap();
    app
}

/// Run the renewal and dunning jobs at the app's clock.
pub async fn run_jobs(app: &TestApp) {
    let now = app.clock.now();
    till::jobs::renewals::run(app.state.clone(), now)
        .await
        .unwrap();
    till::jobs::dunning::run(app.state.clone(), now)
        .await
        .unwrap();
}

/// Pay every unpaid invoice in full; answers how many.
pub async fn pay_all(app: &TestApp, staff: &str) -> usize {
    let unpaid: Vec<(i64, i64)> = app
        .invoices(Some("unpaid"))
        .await
        .iter()
        .map(|i| {
            (
                i["id"].as_i64().unwrap(),
                i["balance_due"]["amount_minor"].as_i64().unwrap(),
            )
        })
        .collect();
    for (id, due) in &unpaid {
        let res = app
            .staff_pay(staff, *id, &money(*due), &format!("TX-{id}"))
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    unpaid.len()
}

/// Order a `vps-2-gb` on `cycle`; answers the service id.
pub async fn order(app: &TestApp, c: &Customer, cycle: &str, key: &str) -> i64 {
    let body = app
        .place_order(
            c,
            key,
            json!({"items": [{"package_id": "vps-2-gb", "billing_cycle": cycle}]}),
        )
        .await;
    body["order"]["items"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no service id in {body}"))
}
