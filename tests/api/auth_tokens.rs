//! Access tokens, rotating refresh tokens, sessions and revocation.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jiff::SignedDuration;
use serde_json::json;

use crate::support::{TestApp, json_with_status, sql};

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    app.post_json("/api/v1/auth/refresh", json!({"refresh_token": token}))
        .await
}

#[tokio::test]
async fn a_refresh_token_rotates_on_every_use() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let first = json_with_status(refresh(&app, &c.refresh).await, 200).await;
    let next = first["refresh_token"].as_str().unwrap();
    assert_ne!(next, c.refresh);
    let second = json_with_status(refresh(&app, next).await, 200).await;
    assert_ne!(second["refresh_token"], first["refresh_token"]);
    let me = app
        .get_auth("/api/v1/me", second["access_token"].as_str().unwrap())
        .await;
    assert_eq!(me.status(), 200);
}

#[tokio::test]
async fn a_retry_within_the_grace_gets_the_same_successor() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let a = json_with_status(refresh(&app, &c.refresh).await, 200).await;
    app.clock.advance(SignedDuration::from_secs(5));
    let b = json_with_status(refresh(&app, &c.refresh).await, 200).await;
    assert_eq!(a["refresh_token"], b["refresh_token"]);
    // ...and that successor still works once.
    json_with_status(
        refresh(&app, a["refresh_token"].as_str().unwrap()).await,
        200,
    )
    .await;
}

#[tokio::test]
async fn reuse_after_the_grace_revokes_the_family_and_its_access_tokens() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let a = json_with_status(refresh(&app, &c.refresh).await, 200).await;
    let access = a["access_token"].as_str().unwrap().to_string();
    assert_eq!(app.get_auth("/api/v1/me", &access).await.status(), 200);

    app.clock.advance(SignedDuration::from_secs(11));
    assert_eq!(refresh(&app, &c.refresh).await.status(), 401);
    // The whole family is gone: the successor and the access tokens.
    assert_eq!(
        refresh(&app, a["refresh_token"].as_str().unwrap())
            .await
            .status(),
        401
    );
    assert_eq!(app.get_auth("/api/v1/me", &access).await.status(), 401);
    assert_eq!(app.get_auth("/api/v1/me", &c.access).await.status(), 401);
}

#[tokio::test]
async fn concurrent_refreshes_of_one_token_yield_one_successor() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (http, url, token) = (
            app.http.clone(),
            app.url("/api/v1/auth/refresh"),
            c.refresh.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let res = http
                .post(url)
                .json(&json!({"refresh_token": token}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
            res.json::<serde_json::Value>().await.unwrap()["refresh_token"]
                .as_str()
                .unwrap()
                .to_string()
        }));
    }
    let mut successors = Vec::new();
    for t in tasks {
        successors.push(t.await.unwrap());
    }
    successors.dedup();
    assert_eq!(successors.len(), 1, "{successors:?}");
    let rows = sql::rotated_refresh_tokens(&app);
    assert_eq!(rows, 1);
}

#[tokio::test]
async fn refresh_tokens_end_after_seven_idle_days_and_sessions_after_thirty() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    app.clock.advance(SignedDuration::from_hours(7 * 24));
    assert_eq!(refresh(&app, &c.refresh).await.status(), 401);

    let c = app.login(&c.email, &c.password).await;
    let mut token = c.refresh.clone();
    // Used every six days the session lives, but not past thirty days.
    for _ in 0..4 {
        app.clock.advance(SignedDuration::from_hours(6 * 24));
        let r = json_with_status(refresh(&app, &token).await, 200).await;
        token = r["refresh_token"].as_str().unwrap().to_string();
    }
    app.clock.advance(SignedDuration::from_hours(6 * 24 + 1));
    assert_eq!(refresh(&app, &token).await.status(), 401);
}

#[tokio::test]
async fn an_access_token_expires_after_fifteen_minutes() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    app.clock.advance(SignedDuration::from_mins(14));
    assert_eq!(app.get_auth("/api/v1/me", &c.access).await.status(), 200);
    app.clock.advance(SignedDuration::from_mins(1));
    let res = app.get_auth("/api/v1/me", &c.access).await;
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    assert_eq!(json_with_status(res, 401).await["code"], "unauthenticated");
}

fn forge(header: serde_json::Value, claims: serde_json::Value, key: &[u8]) -> String {
    let h = URL_SAFE_NO_PAD.encode(header.to_string());
    let c = URL_SAFE_NO_PAD.encode(claims.to_string());
    let sig = till::auth::secrets::hmac(key, format!("{h}.{c}").as_bytes());
    format!("{h}.{c}.{}", URL_SAFE_NO_PAD.encode(sig))
}

#[tokio::test]
async fn forged_and_misused_tokens_are_refused_on_protected_routes() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let key = app.state.keys.jwt;
    let parts: Vec<&str> = c.access.split('.').collect();
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let with = |k: &str, v: serde_json::Value| {
        let mut c = claims.clone();
        c[k] = v;
        c
    };
    let hs256 = json!({"alg": "HS256", "typ": "at+jwt"});
    let t = claims["iat"].as_i64().unwrap();
    let bad_tokens = vec![
        (
            "alg none",
            format!(
                "{}.{}.",
                URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"at+jwt"}"#),
                parts[1]
            ),
        ),
        (
            "wrong key",
            forge(hs256.clone(), claims.clone(), &[9u8; 32]),
        ),
        (
            "wrong typ",
            forge(json!({"alg": "HS256", "typ": "JWT"}), claims.clone(), &key),
        ),
        (
            "expired",
            forge(hs256.clone(), with("exp", json!(t - 1)), &key),
        ),
        (
            "not yet valid",
            forge(hs256.clone(), with("nbf", json!(t + 3600)), &key),
        ),
        (
            "wrong audience",
            forge(hs256.clone(), with("aud", json!("someone-else")), &key),
        ),
        (
            "wrong issuer",
            forge(hs256.clone(), with("iss", json!("evil")), &key),
        ),
        (
            "unknown session",
            forge(
                hs256.clone(),
                with("sid", json!("00000000-0000-0000-0000-000000000000")),
                &key,
            ),
        ),
        (
            "another user",
            forge(hs256.clone(), with("sub", json!("someone")), &key),
        ),
        (
            "tampered payload",
            format!(
                "{}.{}.{}",
                parts[0],
                URL_SAFE_NO_PAD.encode(with("sub", json!("x")).to_string()),
                parts[2]
            ),
        ),
        ("refresh token as access", c.refresh.clone()),
        ("garbage", "not-a-token".to_string()),
    ];
    // The genuine token and a re-signed copy of it work.
    assert_eq!(app.get_auth("/api/v1/me", &c.access).await.status(), 200);
    assert_eq!(
        app.get_auth("/api/v1/me", &forge(hs256, claims.clone(), &key))
            .await
            .status(),
        200
    );
    for route in [
        "/api/v1/me",
        "/api/v1/clients",
        &format!("/api/v1/clients/{}", c.client_id),
        "/api/v1/auth/tokens",
    ] {
        for (what, token) in &bad_tokens {
            let res = app.get_auth(route, token).await;
            assert_eq!(res.status(), 401, "{what} on {route}");
        }
        assert_eq!(app.get(route).await.status(), 401, "no token on {route}");
    }
}

#[tokio::test]
async fn logout_and_revocation_take_effect_on_the_next_request() {
    let app = TestApp::spawn();
    let phone = app.customer("ama@example.com").await;
    let laptop = app.login(&phone.email, &phone.password).await;

    let list = json_with_status(
        app.get_auth("/api/v1/auth/tokens", &laptop.access).await,
        200,
    )
    .await;
    let sessions = list["data"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    let phone_session = sessions.iter().find(|s| s["current"] == false).unwrap()["id"]
        .as_i64()
        .unwrap();

    let res = app
        .http
        .delete(app.url(&format!("/api/v1/auth/tokens/{phone_session}")))
        .bearer_auth(&laptop.access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.get_auth("/api/v1/me", &phone.access).await.status(),
        401
    );
    assert_eq!(refresh(&app, &phone.refresh).await.status(), 401);

    let res = app
        .http
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&laptop.access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.get_auth("/api/v1/me", &laptop.access).await.status(),
        401
    );
}

#[tokio::test]
async fn another_users_session_cannot_be_revoked() {
    let app = TestApp::spawn();
    let a = app.customer("a@example.com").await;
    let b = app.customer("b@example.com").await;
    let b_list = json_with_status(app.get_auth("/api/v1/auth/tokens", &b.access).await, 200).await;
    let b_session = b_list["data"][0]["id"].as_i64().unwrap();
    let res = app
        .http
        .delete(app.url(&format!("/api/v1/auth/tokens/{b_session}")))
        .bearer_auth(&a.access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(app.get_auth("/api/v1/me", &b.access).await.status(), 200);
}
