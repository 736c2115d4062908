//! The catalog: sample data, the public catalog, staff management, and
//! exact amounts in currencies with 0, 2 and 3 decimals.

use serde_json::json;

use crate::support::{TestApp, json_with_status, sql, till_bin};

fn install_sample(app: &TestApp) {
    app.install_catalog();
}

async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    key: &str,
    body: serde_json::Value,
) -> reqwest::Response {
    app.http
        .request(method.parse().unwrap(), app.url(path))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_sample_catalog_is_sold_in_the_default_currency_and_others_on_request() {
    let app = TestApp::spawn();
    install_sample(&app);
    let usd = json_with_status(app.get("/api/v1/catalog/hosting-packages").await, 200).await;
    let packages = usd["data"].as_array().unwrap();
    assert_eq!(packages.len(), 3);
    assert_eq!(packages[0]["name"], "Starter");
    assert_eq!(packages[0]["service_kind"], "hosting");
    assert_eq!(packages[0]["requires_domain"], true);
    let monthly = &packages[0]["pricing"][0];
    assert_eq!(monthly["billing_cycle"], "monthly");
    assert_eq!(monthly["price"]["amount_minor"], 499);
    assert_eq!(monthly["price"]["amount"], 4.99);
    assert_eq!(monthly["price"]["formatted"], "$4.99 USD");
    assert_eq!(monthly["setup_fee"]["amount_minor"], 0);

    let eur = json_with_status(
        app.get("/api/v1/catalog/hosting-packages?currency=eur")
            .await,
        200,
    )
    .await;
    assert_eq!(
        eur["data"][0]["pricing"][0]["price"]["formatted"],
        "€4.49 EUR"
    );
    assert_eq!(
        app.get("/api/v1/catalog/hosting-packages?currency=XYZ")
            .await
            .status(),
        422
    );

    let currencies = json_with_status(app.get("/api/v1/currencies").await, 200).await;
    assert_eq!(currencies["data"][0]["code"], "USD");
    assert_eq!(currencies["data"][0]["default"], true);
    let cycles = json_with_status(app.get("/api/v1/cycles").await, 200).await;
    assert_eq!(cycles["data"].as_array().unwrap().len(), 7);
    assert_eq!(cycles["data"][4]["name"], "annually");
    assert_eq!(cycles["data"][4]["months"], 12);

    let groups = json_with_status(app.get("/api/v1/catalog/groups").await, 200).await;
    assert_eq!(groups["data"].as_array().unwrap().len(), 2);
    let vps = json_with_status(app.get("/api/v1/catalog/groups/vps").await, 200).await;
    assert_eq!(vps["data"]["products"][0]["name"], "VPS 2 GB");
    assert_eq!(
        vps["data"]["products"][0]["pricing"][0]["setup_fee"]["amount_minor"],
        500
    );
}

#[tokio::test]
async fn staff_manage_products_and_visibility_rules_apply() {
    let app = TestApp::spawn();
    install_sample(&app);
    let key = app.staff_key(&["catalog:read", "catalog:write"]);
    let created = send(
        &app,
        "POST",
        "/api/v1/products",
        &key,
        json!({
            "group": "vps", "kind": "vps", "name": "VPS 8 GB", "description": "Big.",
            "prices": [
                {"currency": "USD", "billing_cycle": "monthly", "price": "48", "setup_fee": "0.5"},
                {"currency": "USD", "billing_cycle": "annually", "price_minor": 48000}
            ]
        }),
    )
    .await;
    let body = json_with_status(created, 201).await;
    assert_eq!(body["success"], true);
    let id = body["data"]["id"].as_i64().unwrap();
    assert_eq!(body["data"]["slug"], "vps-8-gb");
    assert_eq!(body["data"]["pricing"][0]["price"]["amount_minor"], 4800);
    assert_eq!(body["data"]["pricing"][0]["setup_fee"]["amount_minor"], 50);

    let public = json_with_status(
        app.get(&format!("/api/v1/catalog/products/{id}")).await,
        200,
    )
    .await;
    assert_eq!(public["data"]["name"], "VPS 8 GB");

    // Hidden: not listed, but orderable by link.
    let mut change = json!({"group": "vps", "kind": "vps", "name": "VPS 8 GB", "status": "hidden",
        "prices": [{"currency": "USD", "billing_cycle": "monthly", "price": "50.00"}]});
    json_with_status(
        send(
            &app,
            "PUT",
            &format!("/api/v1/products/{id}"),
            &key,
            change.clone(),
        )
        .await,
        200,
    )
    .await;
    let listed = json_with_status(app.get("/api/v1/catalog/groups/vps").await, 200).await;
    assert!(
        listed["data"]["products"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["id"] != id)
    );
    assert_eq!(
        app.get("/api/v1/catalog/products/vps-8-gb").await.status(),
        200
    );

    // Retired: gone from the store, still visible to staff.
    change["status"] = json!("visible");
    json_with_status(
        send(
            &app,
            "DELETE",
            &format!("/api/v1/products/{id}"),
            &key,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        app.get(&format!("/api/v1/catalog/products/{id}"))
            .await
            .status(),
        404
    );
    let staff_view = json_with_status(
        app.get_auth(&format!("/api/v1/products/{id}"), &key).await,
        200,
    )
    .await;
    assert_eq!(staff_view["data"]["status"], "retired");
    let retired = json_with_status(
        app.get_auth("/api/v1/products?status=retired", &key).await,
        200,
    )
    .await;
    assert_eq!(retired["data"].as_array().unwrap().len(), 1);

    let matrix = json_with_status(app.get_auth("/api/v1/products/pricing", &key).await, 200).await;
    assert_eq!(matrix["data"].as_array().unwrap().len(), 4);

    // Hidden groups disappear from the store.
    json_with_status(
        send(
            &app,
            "PUT",
            "/api/v1/product-groups/vps",
            &key,
            json!({"name": "Virtual Servers", "visible": false}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(app.get("/api/v1/catalog/groups/vps").await.status(), 404);
    let packages = json_with_status(app.get("/api/v1/catalog/hosting-packages").await, 200).await;
    assert_eq!(packages["data"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn bad_prices_are_refused_and_change_nothing() {
    let app = TestApp::spawn();
    install_sample(&app);
    let key = app.staff_key(&["catalog:write"]);
    let cases = [
        json!({"currency": "USD", "billing_cycle": "monthly", "price": "4.999"}),
        json!({"currency": "USD", "billing_cycle": "monthly", "price": 4.999}),
        json!({"currency": "USD", "billing_cycle": "monthly", "price": "-1"}),
        json!({"currency": "USD", "billing_cycle": "monthly", "price_minor": -100}),
        json!({"currency": "GBP", "billing_cycle": "monthly", "price": "1"}),
        json!({"currency": "USD", "billing_cycle": "weekly", "price": "1"}),
        json!({"currency": "USD", "billing_cycle": "monthly"}),
        json!({"currency": "USD", "billing_cycle": "monthly", "price": "1", "price_minor": 100}),
        json!({"currency": "USD", "billing_cycle": "monthly", "price": "1e-3"}),
    ];
    for price in cases {
        let res = send(
            &app,
            "POST",
            "/api/v1/products",
            &key,
            json!({
                "group": "vps", "kind": "vps", "name": "Odd", "prices": [price.clone()]
            }),
        )
        .await;
        assert_eq!(res.status(), 422, "{price}");
    }
    let dup = send(
        &app,
        "POST",
        "/api/v1/products",
        &key,
        json!({"group": "vps", "kind": "vps", "name": "Odd", "prices": [
        {"currency": "USD", "billing_cycle": "monthly", "price": "1"},
        {"currency": "USD", "billing_cycle": "monthly", "price": "2"}]}),
    )
    .await;
    assert_eq!(dup.status(), 422);
    let bad = send(
        &app,
        "POST",
        "/api/v1/products",
        &key,
        json!({"group": "nope", "kind": "spaceship", "name": "", "slug": "Bad Slug"}),
    )
    .await;
    let errors = json_with_status(bad, 422).await["errors"].clone();
    for field in ["group", "kind", "name", "slug"] {
        assert!(errors[field].is_array(), "{field}: {errors}");
    }
    let taken = send(
        &app,
        "POST",
        "/api/v1/products",
        &key,
        json!({"group": "vps", "kind": "vps", "name": "Starter"}),
    )
    .await;
    assert!(json_with_status(taken, 422).await["errors"]["slug"].is_array());
    let count = app.products().await.len();
    assert_eq!(count, 3);
}

#[tokio::test]
async fn currencies_with_zero_and_three_decimals_keep_exact_amounts() {
    let app = TestApp::spawn();
    install_sample(&app);
    let key = app.staff_key(&["catalog:write"]);
    for (code, decimals, prefix) in [("JPY", 0, "¥"), ("KWD", 3, "KD ")] {
        let res = send(
            &app,
            "POST",
            "/api/v1/currencies",
            &key,
            json!({"code": code, "decimals": decimals, "prefix": prefix}),
        )
        .await;
        json_with_status(res, 200).await;
    }
    let res = send(
        &app,
        "POST",
        "/api/v1/products",
        &key,
        json!({"group": "vps", "kind": "vps", "name": "Tokyo VPS", "prices": [
        {"currency": "JPY", "billing_cycle": "monthly", "price": "1500"},
        {"currency": "KWD", "billing_cycle": "monthly", "price": "3.125"}]}),
    )
    .await;
    let body = json_with_status(res, 201).await;
    let pricing = &body["data"]["pricing"];
    assert_eq!(pricing[0]["price"]["amount_minor"], 1500);
    assert_eq!(pricing[0]["price"]["formatted"], "¥1500");
    assert_eq!(pricing[1]["price"]["amount_minor"], 3125);
    assert_eq!(pricing[1]["price"]["formatted"], "KD 3.125");
    let half_yen = send(
        &app,
        "POST",
        "/api/v1/products",
        &key,
        json!({"group": "vps", "kind": "vps", "name": "Half", "prices": [
        {"currency": "JPY", "billing_cycle": "monthly", "price": "0.5"}]}),
    )
    .await;
    assert_eq!(half_yen.status(), 422);
    // Decimals are fixed once prices use the currency.
    let res = send(
        &app,
        "POST",
        "/api/v1/currencies",
        &key,
        json!({"code": "JPY", "decimals": 2}),
    )
    .await;
    assert!(json_with_status(res, 422).await["errors"]["decimals"].is_array());
}

#[tokio::test]
async fn only_staff_with_catalog_write_change_the_catalog() {
    let app = TestApp::spawn();
    install_sample(&app);
    let reader = app.staff_key(&["catalog:read"]);
    let c = app.customer("ama@example.com").await;
    let body = json!({"group": "vps", "kind": "vps", "name": "Sneaky"});
    assert_eq!(
        send(&app, "POST", "/api/v1/products", &reader, body.clone())
            .await
            .status(),
        403
    );
    assert_eq!(
        send(&app, "POST", "/api/v1/products", &c.access, body.clone())
            .await
            .status(),
        403
    );
    assert_eq!(
        app.http
            .post(app.url("/api/v1/products"))
            .json(&body)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        send(
            &app,
            "POST",
            "/api/v1/currencies",
            &reader,
            json!({"code": "GBP", "decimals": 2})
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        app.get_auth("/api/v1/products", &reader).await.status(),
        200
    );
}

#[test]
fn a_new_installation_gets_the_sample_catalog_unless_told_not_to() {
    let count = sql::products_in;
    let with = tempfile::tempdir().unwrap();
    let out = till_bin()
        .arg("migrate")
        .arg("--data-dir")
        .arg(with.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count(with.path()), 3);
    // A second run adds nothing.
    till_bin()
        .arg("migrate")
        .arg("--data-dir")
        .arg(with.path())
        .output()
        .unwrap();
    assert_eq!(count(with.path()), 3);

    let without = tempfile::tempdir().unwrap();
    let out = till_bin()
        .arg("migrate")
        .arg("--data-dir")
        .arg(without.path())
        .env("TILL_SAMPLE_DATA", "false")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(count(without.path()), 0);
}
