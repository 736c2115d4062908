//! Issue 12, item 11: promotion codes cannot be enumerated. The public
//! quote is limited per client address, refused codes count against the
//! address wherever they are tried, and every refusal says the same.

use serde_json::{Value, json};

use crate::support::{TestApp, json_with_status};

fn setup() -> TestApp {
    let app = TestApp::builder()
        .config(|c| c.http.trusted_proxies = vec!["127.0.0.1".parse().unwrap()])
        .spawn();
    app.install_catalog();
    app
}

async fn promo(app: &TestApp, body: Value) {
    let key = app.staff_key(&["catalog:read", "catalog:write"]);
    let res = app
        .http
        .post(app.url("/api/v1/promotions"))
        .bearer_auth(&key)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
}

async fn quote_from(app: &TestApp, ip: &str, code: Option<&str>) -> reqwest::Response {
    let mut body = json!({"items": [{"package_id": "vps-2-gb", "billing_cycle": "monthly"}]});
    if let Some(code) = code {
        body["promo_code"] = code.into();
    }
    app.http
        .post(app.url("/api/v1/orders/quote"))
        .header("x-forwarded-for", ip)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_missing_code_and_a_code_that_does_not_apply_get_the_same_answer() {
    let app = setup();
    promo(
        &app,
        json!({"code": "VPSONLY", "kind": "percent", "value": "10", "products": ["business"]}),
    )
    .await;
    promo(&app, json!({"code": "OVER", "kind": "percent", "value": "10", "ends_at": "2026-01-01T00:00:00Z"})).await;
    let missing = quote_from(&app, "198.51.100.7", Some("NOSUCHCODE")).await;
    let (status, missing) = (missing.status(), missing.text().await.unwrap());
    assert_eq!(status, 422);
    for code in ["VPSONLY", "OVER"] {
        let res = quote_from(&app, "198.51.100.7", Some(code)).await;
        assert_eq!(res.status(), 422);
        assert_eq!(
            res.text().await.unwrap(),
            missing,
            "{code} looks like a missing code"
        );
    }
}

#[tokio::test]
async fn guessing_promotion_codes_on_the_quote_is_rate_limited_per_address() {
    let app = setup();
    promo(
        &app,
        json!({"code": "REAL", "kind": "percent", "value": "10"}),
    )
    .await;
    for i in 0..20 {
        let res = quote_from(&app, "198.51.100.7", Some(&format!("GUESS{i}"))).await;
        assert_eq!(res.status(), 422, "guess {i}");
    }
    let res = quote_from(&app, "198.51.100.7", Some("GUESS20")).await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    // Not even a real code gets through now: a hit would tell.
    assert_eq!(
        quote_from(&app, "198.51.100.7", Some("REAL"))
            .await
            .status(),
        429
    );
    // A good code does not count, and another address is not affected.
    for _ in 0..25 {
        json_with_status(quote_from(&app, "203.0.113.5", Some("REAL")).await, 200).await;
    }
    // Guesses through a cart count against the same address.
    let cart = json_with_status(
        app.http
            .post(app.url("/api/v1/cart"))
            .header("x-forwarded-for", "198.51.100.7")
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let id = cart["data"]["id"].as_str().unwrap().to_string();
    let res = app
        .http
        .post(app.url(&format!("/api/v1/cart/{id}/promotion")))
        .header("x-forwarded-for", "198.51.100.7")
        .json(&json!({"code": "GUESS21"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
}

#[tokio::test]
async fn quotes_are_rate_limited_per_address() {
    let app = setup();
    for i in 0..60 {
        assert_eq!(
            quote_from(&app, "198.51.100.7", None).await.status(),
            200,
            "quote {i}"
        );
    }
    let res = quote_from(&app, "198.51.100.7", None).await;
    assert_eq!(res.status(), 429);
    assert_eq!(quote_from(&app, "203.0.113.5", None).await.status(), 200);
    app.clock.advance(jiff::SignedDuration::from_mins(1));
    assert_eq!(quote_from(&app, "198.51.100.7", None).await.status(), 200);
}
