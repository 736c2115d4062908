//! `POST /auth/login`, two-factor authentication, and what login reveals.

use serde_json::json;
use till::{auth::totp, clock::Clock};

use crate::support::{TestApp, enable_two_factor, json_with_status};

#[tokio::test]
async fn login_returns_reference_login_response_with_a_refresh_token() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let res = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "AMA@example.com", "password": c.password, "device_name": "Phone"}),
        )
        .await;
    let body = json_with_status(res, 200).await;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert!(body["refresh_token"].as_str().unwrap().starts_with("rt_"));
    assert_eq!(body["user"]["email"], "ama@example.com");
    assert_eq!(body["user"]["email_verified"], true);
    assert_eq!(body["clients"][0]["role"], "owner");
    assert_eq!(body["clients"][0]["display_name"], "Ama Mensah");
    assert_eq!(body["clients"][0]["credit_balance"]["amount_minor"], 0);

    let me = json_with_status(
        app.get_auth("/api/v1/me", body["access_token"].as_str().unwrap())
            .await,
        200,
    )
    .await;
    assert_eq!(me["user"]["email"], "ama@example.com");
    assert_eq!(me["token"]["kind"], "api");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_look_the_same() {
    let app = TestApp::spawn();
    app.customer("ama@example.com").await;
    let wrong = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "ama@example.com", "password": "not the password"}),
        )
        .await;
    let unknown = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "nobody@example.com", "password": "not the password"}),
        )
        .await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    let (a, b) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    assert_eq!(a, b);
    assert!(a.contains("invalid_credentials"));
}

#[tokio::test]
async fn login_bodies_are_checked_as_json() {
    let app = TestApp::spawn();
    let malformed = app
        .http
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(
        json_with_status(malformed, 400).await["code"],
        "bad_request"
    );

    let form = app
        .http
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=a&password=b")
        .send()
        .await
        .unwrap();
    assert_eq!(
        json_with_status(form, 415).await["code"],
        "unsupported_media_type"
    );

    let missing = app
        .post_json("/api/v1/auth/login", json!({"email": "a@b.c"}))
        .await;
    let body = json_with_status(missing, 422).await;
    assert!(body["errors"]["password"].is_array(), "{body}");
}

#[tokio::test]
async fn with_two_factor_on_login_needs_the_code_and_a_code_works_once() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let secret = enable_two_factor(&app, &c.access).await;
    // The step used to enable is spent; move to the next window.
    app.clock.advance(jiff::SignedDuration::from_secs(30));

    let first = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": c.email, "password": c.password}),
        )
        .await;
    let body = json_with_status(first, 401).await;
    assert_eq!(body["code"], "second_factor_required");
    assert_eq!(body["condition"], "twofa");
    assert_eq!(body["fields"][0]["name"], "totp_code");

    let code = totp::code_at(&secret, app.clock.now()).unwrap();
    let ok = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": c.email, "password": c.password, "totp_code": code}),
        )
        .await;
    json_with_status(ok, 200).await;

    let again = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": c.email, "password": c.password, "totp_code": code}),
        )
        .await;
    assert_eq!(
        json_with_status(again, 401).await["code"],
        "invalid_second_factor"
    );
}

#[tokio::test]
async fn a_recovery_code_logs_in_once_and_2fa_can_be_turned_off() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let setup = app
        .http
        .post(app.url("/api/v1/auth/2fa/setup"))
        .bearer_auth(&c.access)
        .send()
        .await
        .unwrap();
    let secret = json_with_status(setup, 200).await["data"]["secret"]
        .as_str()
        .unwrap()
        .to_string();
    let code = totp::code_at(&secret, app.clock.now()).unwrap();
    let enabled = app
        .http
        .post(app.url("/api/v1/auth/2fa/enable"))
        .bearer_auth(&c.access)
        .json(&json!({"code": code}))
        .send()
        .await
        .unwrap();
    let codes = json_with_status(enabled, 200).await["data"]["recovery_codes"].clone();
    let recovery = codes[0].as_str().unwrap().to_uppercase();

    let login = |code: String| {
        app.post_json(
            "/api/v1/auth/login",
            json!({"email": c.email, "password": c.password, "totp_code": code}),
        )
    };
    json_with_status(login(recovery.clone()).await, 200).await;
    assert_eq!(login(recovery).await.status(), 401);

    let off = app
        .http
        .post(app.url("/api/v1/auth/2fa/disable"))
        .bearer_auth(&c.access)
        .json(&json!({"code": codes[1].as_str().unwrap()}))
        .send()
        .await
        .unwrap();
    json_with_status(off, 200).await;
    json_with_status(
        app.post_json(
            "/api/v1/auth/login",
            json!({"email": c.email, "password": c.password}),
        )
        .await,
        200,
    )
    .await;
}

#[tokio::test]
async fn too_many_logins_for_one_account_answer_429_with_retry_after() {
    let app = TestApp::spawn();
    for _ in 0..10 {
        let res = app
            .post_json(
                "/api/v1/auth/login",
                json!({"email": "victim@example.com", "password": "guess guess guess"}),
            )
            .await;
        assert_eq!(res.status(), 401);
    }
    let res = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "victim@example.com", "password": "guess guess guess"}),
        )
        .await;
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 900);
    assert_eq!(json_with_status(res, 429).await["code"], "rate_limited");

    // The window passes.
    app.clock.advance(jiff::SignedDuration::from_mins(15));
    let res = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "victim@example.com", "password": "guess guess guess"}),
        )
        .await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn two_factor_guessing_is_rate_limited() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    enable_two_factor(&app, &c.access).await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let res = app
            .post_json(
                "/api/v1/auth/login",
                json!({"email": c.email, "password": c.password, "totp_code": "000000"}),
            )
            .await;
        statuses.push(res.status().as_u16());
    }
    assert_eq!(statuses[..5], [401; 5]);
    assert_eq!(statuses[5], 429);
}
