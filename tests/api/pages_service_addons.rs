//! The addons page of a service: what it holds, what it could add with
//! today's price, ordering one (to its invoice), bad input re-rendered, and
//! nothing of another account's.

use serde_json::json;

use crate::support::{Browser, TestApp, at};

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test]
async fn a_customer_adds_an_addon_to_a_live_service_in_the_browser() {
    let app = TestApp::with_catalog();
    let c = app.customer("pages-addons@example.com").await;
    let placed = app
        .place_order(&c, "o-1", json!({"items": [{"package_id": "starter", "billing_cycle": "monthly", "domain": "shop.example"}]}))
        .await;
    let staff = app.staff_key(&["billing:write"]);
    let invoice = placed["invoice"]["id"].as_i64().unwrap();
    assert_eq!(
        app.staff_pay(&staff, invoice, "4.99", "T-1").await.status(),
        200
    );
    app.clock.set(at("2026-01-25"));

    let mut b = Browser::new(&app);
    b.login(&c.email, PASSWORD).await;
    let service = b.get("/account/services/1").await;
    assert!(
        service.body.contains("href=\"/account/services/1/addons\""),
        "{}",
        service.body
    );
    let page = b.get("/account/services/1/addons").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("No addons yet."));
    // Daily backups: 1.50 × 21/31 days today, then 1.50 monthly.
    assert!(page.body.contains("Daily backups"), "{}", page.body);
    assert!(page.body.contains("$1.02"), "{}", page.body);
    assert!(page.body.contains("$1.50 USD monthly"), "{}", page.body);

    // A tampered addon id re-renders the page with the problem.
    let res = b
        .post(
            "/account/services/1/addons/order",
            &[("csrf", &page.csrf()), ("addon_id", "9999")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("no such addon"), "{}", res.body);

    let backups = page
        .body
        .split("id=\"add-")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let res = b
        .post(
            "/account/services/1/addons/order",
            &[("csrf", &page.csrf()), ("addon_id", &backups)],
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(
        res.location().starts_with("/account/invoices/"),
        "{}",
        res.location()
    );
    let page = b.get("/account/services/1/addons").await;
    assert!(page.body.contains("pending"), "{}", page.body);
    assert!(
        !page.body.contains(&format!("id=\"add-{backups}\"")),
        "not offered twice"
    );

    // Without the token nothing is ordered; another account gets a 404.
    let res = b
        .post("/account/services/1/addons/order", &[("addon_id", "2")])
        .await;
    assert_eq!(res.status, 403);
    let other = app.customer("other-addons@example.com").await;
    let mut ob = Browser::new(&app);
    ob.login(&other.email, PASSWORD).await;
    assert_eq!(ob.get("/account/services/1/addons").await.status, 404);
    let page = ob.get("/account/services").await;
    let res = ob
        .post(
            "/account/services/1/addons/order",
            &[("csrf", &page.csrf()), ("addon_id", "2")],
        )
        .await;
    assert_eq!(res.status, 404);
    let count = app.service_addons().await.len();
    assert_eq!(count, 1);
}
