//! Sign-up, email verification, forgotten and reset passwords.

use serde_json::json;

use crate::support::{TestApp, json_with_status, sql};

fn signup_body(email: &str) -> serde_json::Value {
    json!({
        "type": "company", "companyname": "Mensah Hosting Ltd", "email": email,
        "password": "a long enough passphrase", "firstname": "Ama", "lastname": "Mensah",
        "country": "gh", "address1": "1 Ring Road", "city": "Accra", "postcode": "00233",
        "phonenumber": "+233550507788", "vateu": "GH123", "currency": "EUR"
    })
}

#[tokio::test]
async fn sign_up_verify_and_log_in() {
    let app = TestApp::spawn();
    let res = app
        .post_json("/api/v1/auth/signup", signup_body("ama@example.com"))
        .await;
    let body = json_with_status(res, 202).await;
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("Check your email")
    );

    let login = app
        .login("ama@example.com", "a long enough passphrase")
        .await;
    let me = json_with_status(app.get_auth("/api/v1/me", &login.access).await, 200).await;
    assert_eq!(me["user"]["email_verified"], false);
    let client = &me["clients"][0];
    assert_eq!(client["kind"], "company");
    assert_eq!(client["display_name"], "Mensah Hosting Ltd");
    assert_eq!(client["country"], "GH");
    assert_eq!(client["currency_code"], "EUR");
    assert_eq!(client["vat_id"], "GH123");

    let link = app.link_in_mail("ama@example.com", "/verify-email").await;
    assert!(link.starts_with(&app.state.config.base_url()), "{link}");
    let token = link.split("token=").nth(1).unwrap();
    json_with_status(
        app.post_json("/api/v1/auth/email/verify", json!({"token": token}))
            .await,
        200,
    )
    .await;
    let me = json_with_status(app.get_auth("/api/v1/me", &login.access).await, 200).await;
    assert_eq!(me["user"]["email_verified"], true);

    // A verification token works once.
    let again = app
        .post_json("/api/v1/auth/email/verify", json!({"token": token}))
        .await;
    assert!(json_with_status(again, 422).await["errors"]["token"].is_array());
}

#[tokio::test]
async fn signing_up_with_a_taken_email_answers_the_same_and_tells_the_owner() {
    let app = TestApp::spawn();
    let first = app
        .post_json("/api/v1/auth/signup", signup_body("ama@example.com"))
        .await;
    let mut other = signup_body("AMA@example.com");
    other["password"] = json!("an attacker's passphrase");
    let second = app.post_json("/api/v1/auth/signup", other).await;
    assert_eq!(first.status(), second.status());
    assert_eq!(first.text().await.unwrap(), second.text().await.unwrap());

    let mail = app.deliver_mail().await;
    assert!(
        mail.iter().any(|m| m.subject.contains("already have")),
        "{mail:#?}"
    );
    // The attacker's password does not log in; the owner's still does.
    let res = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": "ama@example.com", "password": "an attacker's passphrase"}),
        )
        .await;
    assert_eq!(res.status(), 401);
    app.login("ama@example.com", "a long enough passphrase")
        .await;
    let users = sql::user_count(&app);
    assert_eq!(users, 1);
}

#[tokio::test]
async fn sign_up_rejects_bad_input_and_changes_nothing() {
    let app = TestApp::spawn();
    let mut body = signup_body("not-an-email");
    body["password"] = json!("short");
    body["country"] = json!("Ghana");
    body["companyname"] = json!("");
    let res = app.post_json("/api/v1/auth/signup", body).await;
    let errors = json_with_status(res, 422).await["errors"].clone();
    for field in ["email", "password", "country", "company_name"] {
        assert!(errors[field].is_array(), "{field}: {errors}");
    }
    let clients = app.client_ids().await.len();
    assert_eq!(clients, 0);
    assert!(app.deliver_mail().await.is_empty());
}

#[tokio::test]
async fn forgot_password_answers_the_same_for_known_and_unknown_emails() {
    let app = TestApp::spawn();
    app.customer("ama@example.com").await;
    let known = app
        .post_json(
            "/api/v1/auth/password/forgot",
            json!({"email": "ama@example.com"}),
        )
        .await;
    let unknown = app
        .post_json(
            "/api/v1/auth/password/forgot",
            json!({"email": "ghost@example.com"}),
        )
        .await;
    assert_eq!(known.status(), 202);
    assert_eq!(unknown.status(), 202);
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
    let mail = app.deliver_mail().await;
    assert!(
        mail.iter()
            .any(|m| m.to == ["ama@example.com"] && m.subject.contains("Reset"))
    );
    assert!(!mail.iter().any(|m| m.to == ["ghost@example.com"]));
}

#[tokio::test]
async fn a_reset_sets_the_password_ends_every_session_and_works_once() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    app.post_json("/api/v1/auth/password/forgot", json!({"email": c.email}))
        .await;
    let token = app.token_in_mail(&c.email, "/reset-password").await;

    let weak = app
        .post_json(
            "/api/v1/auth/password/reset",
            json!({"token": token, "password": "short"}),
        )
        .await;
    assert!(json_with_status(weak, 422).await["errors"]["password"].is_array());

    let ok = app
        .post_json(
            "/api/v1/auth/password/reset",
            json!({"token": token, "password": "a brand new passphrase"}),
        )
        .await;
    json_with_status(ok, 200).await;
    assert_eq!(app.get_auth("/api/v1/me", &c.access).await.status(), 401);
    assert_eq!(
        app.post_json("/api/v1/auth/refresh", json!({"refresh_token": c.refresh}))
            .await
            .status(),
        401
    );
    app.login(&c.email, "a brand new passphrase").await;
    let reuse = app
        .post_json(
            "/api/v1/auth/password/reset",
            json!({"token": token, "password": "yet another passphrase"}),
        )
        .await;
    assert_eq!(reuse.status(), 422);
    assert!(
        app.deliver_mail()
            .await
            .iter()
            .any(|m| m.subject.contains("was changed"))
    );
}

#[tokio::test]
async fn changing_the_password_keeps_this_session_and_ends_the_others() {
    let app = TestApp::spawn();
    let here = app.customer("ama@example.com").await;
    let there = app.login(&here.email, &here.password).await;
    let wrong = app
        .http
        .post(app.url("/api/v1/auth/password/change"))
        .bearer_auth(&here.access)
        .json(
            &json!({"current_password": "wrong wrong wrong", "password": "a brand new passphrase"}),
        )
        .send()
        .await
        .unwrap();
    assert!(json_with_status(wrong, 422).await["errors"]["current_password"].is_array());
    let ok = app
        .http
        .post(app.url("/api/v1/auth/password/change"))
        .bearer_auth(&here.access)
        .json(&json!({"current_password": here.password, "password": "a brand new passphrase"}))
        .send()
        .await
        .unwrap();
    json_with_status(ok, 200).await;
    assert_eq!(app.get_auth("/api/v1/me", &here.access).await.status(), 200);
    assert_eq!(
        app.get_auth("/api/v1/me", &there.access).await.status(),
        401
    );
}

#[tokio::test]
async fn signup_and_forgot_are_rate_limited() {
    let app = TestApp::spawn();
    for i in 0..3 {
        let res = app
            .post_json(
                "/api/v1/auth/password/forgot",
                json!({"email": "ama@example.com"}),
            )
            .await;
        assert_eq!(res.status(), 202, "attempt {i}");
    }
    let res = app
        .post_json(
            "/api/v1/auth/password/forgot",
            json!({"email": "ama@example.com"}),
        )
        .await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));

    let mut last = 0;
    for i in 0..11 {
        last = app
            .post_json(
                "/api/v1/auth/signup",
                signup_body(&format!("user{i}@example.com")),
            )
            .await
            .status()
            .as_u16();
    }
    assert_eq!(last, 429);
}
