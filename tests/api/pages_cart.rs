//! The cart in the client area: a guest adds products, sees them priced,
//! removes one, logs in on the cart page (which claims the cart), applies a
//! code and checks out once.

use serde_json::json;

use crate::support::{Browser, TestApp};

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test]
async fn a_guest_fills_a_cart_logs_in_on_it_and_checks_out_once() {
    let app = TestApp::with_catalog();
    let key = app.staff_key(&["catalog:write"]);
    let res = app
        .http
        .post(app.url("/api/v1/promotions"))
        .bearer_auth(&key)
        .json(&json!({"code": "TENOFF", "kind": "percent", "value": "10"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let c = app.customer("cart@example.com").await;

    let mut guest = Browser::new(&app);
    let empty = guest.get("/cart").await;
    assert!(empty.body.contains("Your cart is empty"));

    // A bad item comes back on its product page; nothing is added.
    let page = guest.get("/store/starter").await;
    let res = guest
        .post(
            "/store/starter/cart",
            &[
                ("csrf", &page.csrf()),
                ("billing_cycle", "monthly"),
                ("domain", ""),
            ],
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("field-error"));

    let res = guest
        .post(
            "/store/starter/cart",
            &[
                ("csrf", &page.csrf()),
                ("billing_cycle", "monthly"),
                ("domain", "example.com"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.location(), "/cart");
    let vps = guest.get("/store/vps-2-gb").await;
    let res = guest
        .post(
            "/store/vps-2-gb/cart",
            &[("csrf", &vps.csrf()), ("billing_cycle", "monthly")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let cart = guest.get("/cart").await;
    assert!(
        cart.body.contains("Starter") && cart.body.contains("VPS 2 GB"),
        "{}",
        cart.body
    );
    assert!(cart.body.contains("$21.99"), "{}", cart.body);
    assert!(cart.body.contains("id=\"checkout-login\""));
    assert!(!cart.body.contains("id=\"checkout\""));

    // Remove the VPS again.
    let remove = cart
        .body
        .split("action=\"/cart/remove/")
        .nth(2)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let res = guest
        .post(&format!("/cart/remove/{remove}"), &[("csrf", &cart.csrf())])
        .await;
    assert_eq!(res.status, 303);
    let cart = guest.get("/cart").await;
    assert!(!cart.body.contains("VPS 2 GB"));

    // A wrong code is shown on the form; a good one lowers the total.
    let res = guest
        .post(
            "/cart/promotion",
            &[("csrf", &cart.csrf()), ("promo_code", "NOPE")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("field-error"));
    guest
        .post(
            "/cart/promotion",
            &[("csrf", &cart.csrf()), ("promo_code", "tenoff")],
        )
        .await;
    let cart = guest.get("/cart").await;
    assert!(cart.body.contains("$4.49"), "{}", cart.body);

    // Logging in on the cart page claims the cart and comes back to it.
    let res = guest
        .post(
            "/login",
            &[
                ("csrf", &cart.csrf()),
                ("email", &c.email),
                ("password", PASSWORD),
                ("next", "/cart"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), "/cart");
    let cart = guest.get("/cart").await;
    assert!(cart.body.contains("id=\"checkout\""), "{}", cart.body);
    let carts = app
        .get_auth("/api/v1/cart", &c.access)
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(carts["data"].as_array().unwrap().len(), 1);

    let res = guest
        .post("/cart/checkout", &[("csrf", &cart.csrf())])
        .await;
    assert_eq!(res.status, 303);
    assert!(
        res.location().starts_with("/account/invoices/"),
        "{}",
        res.location()
    );
    let invoice = guest.get(res.location()).await;
    assert!(invoice.body.contains("$4.49"), "{}", invoice.body);
    assert_eq!(app.order_count(None).await, 1);
    // The cart cookie is gone: a resent checkout makes nothing.
    let res = guest
        .post("/cart/checkout", &[("csrf", &cart.csrf())])
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(app.order_count(None).await, 1);
    assert!(guest.get("/cart").await.body.contains("Your cart is empty"));

    // Without the CSRF token nothing is added.
    let res = guest
        .post(
            "/store/starter/cart",
            &[("billing_cycle", "monthly"), ("domain", "a.com")],
        )
        .await;
    assert_eq!(res.status, 403);
}
