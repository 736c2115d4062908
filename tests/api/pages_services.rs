//! The services pages: the list, a service with its label, plan change and
//! cancellation forms, and nothing of another account's.

use serde_json::json;
use till::clock::Clock;

use crate::{helpers::TestApp, page_client::Browser};

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test]
async fn a_customer_labels_upgrades_and_cancels_a_service_in_the_browser() {
    let app = TestApp::spawn();
    till::service::sample::install(&app.state.db, 1, app.clock.now()).unwrap();
    let c = app.customer("pages-svc@example.com").await;
    let placed = app
        .place_order(&c, "o-1", json!({"items": [{"package_id": "starter", "billing_cycle": "monthly", "domain": "shop.example"}]}))
        .await;
    let staff = app.staff_key(&["billing:write"]);
    let invoice = placed["invoice"]["id"].as_i64().unwrap();
    assert_eq!(
        app.staff_pay(&staff, invoice, "4.99", "T-1").await.status(),
        200
    );

    let mut b = Browser::new(&app);
    b.login(&c.email, PASSWORD).await;
    let list = b.get("/account/services").await;
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains("href=\"/account/services/1\""),
        "{}",
        list.body
    );
    assert!(list.body.contains("shop.example"));

    let page = b.get("/account/services/1").await;
    assert!(page.body.contains("id=\"plan-business\""), "{}", page.body);
    let res = b
        .post(
            "/account/services/1/label",
            &[("csrf", &page.csrf()), ("label", "My <shop>")],
        )
        .await;
    assert_eq!(res.status, 303);
    let page = b.get(res.location()).await;
    assert!(
        page.body.contains("My &#60;shop&#62;"),
        "escaped: {}",
        page.body
    );
    assert!(!page.body.contains("My <shop>"));
    assert!(page.body.contains("The label was saved."));

    // The upgrade is invoiced: off to the invoice.
    let res = b
        .post(
            "/account/services/1/plan",
            &[("csrf", &page.csrf()), ("product", "business")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(
        res.location().starts_with("/account/invoices/"),
        "{}",
        res.location()
    );

    let page = b.get("/account/services/1").await;
    let res = b
        .post(
            "/account/services/1/cancel",
            &[
                ("csrf", &page.csrf()),
                ("cancellation_type", "end_of_billing_period"),
                ("reason", "moving"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let page = b.get(res.location()).await;
    assert!(
        page.body
            .contains("Cancellation requested: end of billing period")
    );
    assert!(!page.body.contains("id=\"cancel-service\""));

    // Without the token nothing changes; another account sees a 404.
    let res = b.post("/account/services/1/label", &[("label", "x")]).await;
    assert_eq!(res.status, 403);
    let other = app.customer("pages-other@example.com").await;
    let mut o = Browser::new(&app);
    o.login(&other.email, PASSWORD).await;
    assert_eq!(o.get("/account/services/1").await.status, 404);
    let csrf = o.get("/account/services").await.csrf();
    let res = o
        .post(
            "/account/services/1/label",
            &[("csrf", &csrf), ("label", "mine")],
        )
        .await;
    assert_eq!(res.status, 404);
}
