//! Carts (reference 003): a guest fills a cart, logs in and claims it,
//! applies a promotion, checks out once; nobody else can see it.

use serde_json::{Value, json};

use crate::support::{Customer, TestApp, json_with_status};

fn minor(v: &Value) -> i64 {
    v["value"]
        .as_str()
        .unwrap()
        .replace('.', "")
        .parse()
        .unwrap()
}

async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = app
        .http
        .request(method.parse().unwrap(), app.url(&format!("/api/v1{path}")));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

async fn new_cart(app: &TestApp, token: Option<&str>) -> String {
    let body = json_with_status(call(app, "POST", "/cart", token, None).await, 200).await;
    let id = body["data"]["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 16);
    id
}

fn starter() -> Value {
    json!({"type": "product", "product_id": "starter", "billing_cycle": "monthly", "domain": "example.com"})
}

fn vps() -> Value {
    json!({"type": "product", "product_id": "vps-2-gb", "billing_cycle": "monthly"})
}

#[tokio::test]
async fn a_guest_cart_is_priced_from_the_catalog_and_claimed_at_login() {
    let app = TestApp::with_catalog();
    let cart = new_cart(&app, None).await;
    let added = json_with_status(
        call(&app, "POST", &format!("/cart/{cart}/items"), None,
             Some(json!({"items": [starter(), {"type": "product", "product_id": "vps-2-gb", "billing_cycle": "monthly", "price": "0.01", "total": "0"}]}))).await,
        200,
    )
    .await;
    let total = &added["data"];
    // 4.99 + 12.00 + 5.00 setup; the tampered price is ignored.
    assert_eq!(minor(&total["total"]), 2199);
    assert_eq!(total["recurring"][0]["cycle"], "monthly");
    assert_eq!(minor(&total["recurring"][0]["amount"]), 1699);
    let items = total["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);

    // Remove the VPS.
    let vps_item = items[1]["item_id"].as_str().unwrap();
    let after = json_with_status(
        call(
            &app,
            "DELETE",
            &format!("/cart/{cart}/items/{vps_item}"),
            None,
            None,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(minor(&after["data"]["total"]), 499);
    assert_eq!(
        call(
            &app,
            "DELETE",
            &format!("/cart/{cart}/items/nosuchitem00"),
            None,
            None
        )
        .await
        .status(),
        404
    );

    // Checking out needs a login; logging in claims the cart.
    assert_eq!(
        call(&app, "POST", &format!("/cart/{cart}/checkout"), None, None)
            .await
            .status(),
        401
    );
    let c = app.customer("guest@example.com").await;
    json_with_status(
        call(
            &app,
            "GET",
            &format!("/cart/{cart}/totals"),
            Some(&c.access),
            None,
        )
        .await,
        200,
    )
    .await;
    let mine = json_with_status(call(&app, "GET", "/cart", Some(&c.access), None).await, 200).await;
    assert_eq!(mine["data"][0]["id"], cart.as_str());
    // Now it is theirs: a guest and another user no longer see it.
    assert_eq!(
        call(&app, "GET", &format!("/cart/{cart}/totals"), None, None)
            .await
            .status(),
        404
    );
    let other = app.customer("other@example.com").await;
    for (method, path) in [
        ("GET", format!("/cart/{cart}/totals")),
        ("GET", format!("/cart/{cart}/items")),
        ("POST", format!("/cart/{cart}/checkout")),
        ("DELETE", format!("/cart/{cart}/items")),
        ("GET", format!("/cart/{cart}/promotion")),
    ] {
        assert_eq!(
            call(&app, method, &path, Some(&other.access), None)
                .await
                .status(),
            404,
            "{method} {path}"
        );
    }

    // Checkout makes one order; doing it again answers the same order.
    let first = call(
        &app,
        "POST",
        &format!("/cart/{cart}/checkout"),
        Some(&c.access),
        None,
    )
    .await;
    assert_eq!(first.status(), 200);
    let first = first.text().await.unwrap();
    let again = call(
        &app,
        "POST",
        &format!("/cart/{cart}/checkout"),
        Some(&c.access),
        None,
    )
    .await;
    assert_eq!(again.text().await.unwrap(), first);
    let placed: Value = serde_json::from_str(&first).unwrap();
    assert!(
        placed["data"]["url"]
            .as_str()
            .unwrap()
            .contains("/account/invoices/")
    );
    assert_eq!(
        placed["data"]["order"]["invoice"]["total"]["amount_minor"],
        499
    );
    let orders = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/orders", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(orders["data"].as_array().unwrap().len(), 1);
    // An ordered cart takes no more items.
    let res = call(
        &app,
        "POST",
        &format!("/cart/{cart}/items"),
        Some(&c.access),
        Some(json!({"items": [vps()]})),
    )
    .await;
    assert_eq!(res.status(), 409);
}

#[tokio::test]
async fn bad_items_are_named_and_nothing_is_added() {
    let app = TestApp::with_catalog();
    let cart = new_cart(&app, None).await;
    let res = call(&app, "POST", &format!("/cart/{cart}/items"), None, Some(json!({"items": [
        starter(),
        {"type": "product", "product_id": "no-such-product", "billing_cycle": "monthly"},
        {"type": "product", "product_id": "starter", "billing_cycle": "fortnightly", "domain": "example.com"},
    ]}))).await;
    let err = json_with_status(res, 422).await;
    assert!(err["errors"]["items.1.package_id"].is_array(), "{err}");
    assert!(err["errors"]["items.2.billing_cycle"].is_array(), "{err}");
    let items = json_with_status(
        call(&app, "GET", &format!("/cart/{cart}/items"), None, None).await,
        200,
    )
    .await;
    assert_eq!(items["data"].as_array().unwrap().len(), 0);
    assert_eq!(
        call(&app, "GET", "/cart/AAAAAAAAAAAAAAAA/totals", None, None)
            .await
            .status(),
        404
    );
}

async fn logged_in_cart(app: &TestApp, c: &Customer) -> String {
    let cart = new_cart(app, Some(&c.access)).await;
    json_with_status(
        call(
            app,
            "POST",
            &format!("/cart/{cart}/items"),
            Some(&c.access),
            Some(json!({"items": [starter(), vps()]})),
        )
        .await,
        200,
    )
    .await;
    cart
}

#[tokio::test]
async fn a_promotion_applies_to_the_cart_and_its_order() {
    let app = TestApp::with_catalog();
    let key = app.staff_key(&["catalog:write", "catalog:read"]);
    let res = app
        .http
        .post(app.url("/api/v1/promotions"))
        .bearer_auth(&key)
        .json(&json!({"code": "TENOFF", "kind": "percent", "value": "10"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let c = app.customer("promo@example.com").await;
    let cart = logged_in_cart(&app, &c).await;
    let res = call(
        &app,
        "POST",
        &format!("/cart/{cart}/promotion"),
        Some(&c.access),
        Some(json!({"code": "NOPE"})),
    )
    .await;
    let err = json_with_status(res, 422).await;
    assert!(err["errors"]["code"].is_array(), "{err}");
    let applied = json_with_status(
        call(
            &app,
            "POST",
            &format!("/cart/{cart}/promotion"),
            Some(&c.access),
            Some(json!({"code": "tenoff"})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(applied["data"]["promo_code"], "TENOFF");
    assert_eq!(minor(&applied["data"]["discount"][0]["amount"]), 50 + 120);
    assert_eq!(minor(&applied["data"]["total"]), 2199 - 170);
    let shown = json_with_status(
        call(
            &app,
            "GET",
            &format!("/cart/{cart}/promotion"),
            Some(&c.access),
            None,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(shown["data"]["code"], "TENOFF");

    let placed = json_with_status(
        call(
            &app,
            "POST",
            &format!("/cart/{cart}/checkout"),
            Some(&c.access),
            None,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        placed["data"]["order"]["invoice"]["total"]["amount_minor"],
        2199 - 170
    );

    // Removing a promotion from another cart.
    let second = logged_in_cart(&app, &c).await;
    json_with_status(
        call(
            &app,
            "POST",
            &format!("/cart/{second}/promotion"),
            Some(&c.access),
            Some(json!({"code": "TENOFF"})),
        )
        .await,
        200,
    )
    .await;
    let removed = json_with_status(
        call(
            &app,
            "DELETE",
            &format!("/cart/{second}/promotion"),
            Some(&c.access),
            None,
        )
        .await,
        200,
    )
    .await;
    assert!(removed["data"]["promo_code"].is_null());
    assert_eq!(minor(&removed["data"]["total"]), 2199);
    let cleared = json_with_status(
        call(
            &app,
            "DELETE",
            &format!("/cart/{second}/items"),
            Some(&c.access),
            None,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(minor(&cleared["data"]["total"]), 0);
    let res = call(
        &app,
        "POST",
        &format!("/cart/{second}/checkout"),
        Some(&c.access),
        None,
    )
    .await;
    assert_eq!(res.status(), 422);
}
