//! Issue 12, items 10 and 12: login limits that slow guessers without
//! locking anyone out, rate-limited password checks behind a session,
//! two-factor that only a code turns off, and limits that cannot be
//! dodged or abused (long emails, IPv6 addresses, the password hasher,
//! guest carts).

use serde_json::json;
use till::{auth::totp, clock::Clock};

use crate::support::{
    ADMIN_EMAIL, ADMIN_PASSWORD, Browser, TestApp, enable_two_factor, json_with_status, sql,
};

/// An app behind a proxy on loopback, so tests choose the client address
/// with `X-Forwarded-For`.
fn behind_proxy() -> TestApp {
    TestApp::builder()
        .config(|c| c.http.trusted_proxies = vec!["127.0.0.1".parse().unwrap()])
        .spawn()
}

async fn login_from(app: &TestApp, ip: &str, email: &str, password: &str) -> reqwest::Response {
    app.http
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", ip)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn guessing_a_password_slows_the_guesser_but_never_locks_the_owner_out() {
    let app = behind_proxy();
    let c = app.customer("ama@example.com").await;
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(
            login_from(&app, "198.51.100.7", &c.email, "a wrong guess")
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(statuses[..10], [401; 10]);
    assert_eq!(statuses[10..], [429, 429], "the guesser waits");
    // The owner, from their own address, is let in at once.
    let res = login_from(&app, "203.0.113.5", &c.email, &c.password).await;
    json_with_status(res, 200).await;
}

#[tokio::test]
async fn the_wait_after_failed_logins_grows_and_then_passes() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let guess = || {
        app.post_json(
            "/api/v1/auth/login",
            json!({"email": c.email, "password": "wrong guess"}),
        )
    };
    for _ in 0..10 {
        assert_eq!(guess().await.status(), 401);
    }
    let first = guess().await;
    assert_eq!(first.status(), 429);
    assert_eq!(first.headers()["retry-after"], "30");
    app.clock.advance(jiff::SignedDuration::from_secs(30));
    assert_eq!(guess().await.status(), 401, "after the wait, one more try");
    let second = guess().await;
    assert_eq!(second.headers()["retry-after"], "60", "each wait doubles");
    // Even during the wait the right password from here is only delayed.
    app.clock.advance(jiff::SignedDuration::from_secs(60));
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
async fn successful_logins_are_not_counted_against_the_account() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    for i in 0..15 {
        let res = app
            .post_json(
                "/api/v1/auth/login",
                json!({"email": c.email, "password": c.password}),
            )
            .await;
        assert_eq!(res.status(), 200, "login {i}");
    }
}

#[tokio::test]
async fn an_admin_cannot_be_locked_out_by_guessing_their_password() {
    let app = behind_proxy();
    let mut guesser = Browser::new(&app);
    guesser
        .headers
        .insert("x-forwarded-for", "198.51.100.7".parse().unwrap());
    let mut last = 0;
    for _ in 0..12 {
        let res = guesser
            .submit(
                "/admin/login",
                "/admin/login",
                &[("email", ADMIN_EMAIL), ("password", "wrong guess")],
            )
            .await;
        last = res.status.as_u16();
    }
    assert_eq!(last, 429);
    let mut admin = Browser::new(&app);
    admin
        .headers
        .insert("x-forwarded-for", "203.0.113.5".parse().unwrap());
    let res = admin
        .submit(
            "/admin/login",
            "/admin/login",
            &[("email", ADMIN_EMAIL), ("password", ADMIN_PASSWORD)],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.location(), "/admin");
}

#[tokio::test]
async fn guessing_the_current_password_behind_a_session_is_rate_limited() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let change = |current: &str| {
        app.http
            .post(app.url("/api/v1/auth/password/change"))
            .bearer_auth(&c.access)
            .json(&json!({"current_password": current, "password": "a brand new passphrase"}))
            .send()
    };
    for _ in 0..5 {
        assert_eq!(change("a wrong guess").await.unwrap().status(), 422);
    }
    let res = change("a wrong guess").await.unwrap();
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    assert_eq!(
        change(&c.password).await.unwrap().status(),
        429,
        "not even the right one for now"
    );
    app.clock.advance(jiff::SignedDuration::from_mins(15));
    let again = app.login(&c.email, &c.password).await;
    let res = app
        .http
        .post(app.url("/api/v1/auth/password/change"))
        .bearer_auth(&again.access)
        .json(&json!({"current_password": c.password, "password": "a brand new passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "the window passed");
}

#[tokio::test]
async fn turning_two_factor_off_needs_a_current_code_not_the_password() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let secret = enable_two_factor(&app, &c.access).await;
    app.clock.advance(jiff::SignedDuration::from_secs(30));
    let off = |body: serde_json::Value| {
        app.http
            .post(app.url("/api/v1/auth/2fa/disable"))
            .bearer_auth(&c.access)
            .json(&body)
            .send()
    };
    let with_password = off(json!({"password": c.password})).await.unwrap();
    assert_eq!(with_password.status(), 422);
    let wrong = off(json!({"code": "000000"})).await.unwrap();
    assert_eq!(wrong.status(), 422);
    let me = json_with_status(app.get_auth("/api/v1/me", &c.access).await, 200).await;
    assert_eq!(me["user"]["two_factor_enabled"], true, "still on");
    let code = totp::code_at(&secret, app.clock.now()).unwrap();
    json_with_status(off(json!({"code": code})).await.unwrap(), 200).await;
}

#[tokio::test]
async fn an_email_over_254_characters_is_refused_before_any_limiter_or_database_work() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let long = format!("{}@example.com", "a".repeat(250));
    let audit_before = app.staff_total("/api/v1/audit-log").await;
    // More than the per-address login limit (30): none of them counts.
    for _ in 0..35 {
        let res = app
            .post_json(
                "/api/v1/auth/login",
                json!({"email": long, "password": "whatever it is"}),
            )
            .await;
        assert_eq!(res.status(), 422);
    }
    for path in ["/api/v1/auth/password/forgot", "/api/v1/auth/signup"] {
        let res = app
            .post_json(path, json!({"email": long, "password": "long enough passphrase", "first_name": "A", "last_name": "B"}))
            .await;
        assert_eq!(res.status(), 422, "{path}");
    }
    assert_eq!(
        app.staff_total("/api/v1/audit-log").await,
        audit_before,
        "nothing was written"
    );
    let res = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": c.email, "password": c.password}),
        )
        .await;
    assert_eq!(res.status(), 200, "the address's allowance is untouched");
}

#[tokio::test]
async fn ipv6_clients_are_limited_by_their_slash_64() {
    let app = behind_proxy();
    for i in 0..30 {
        let ip = format!("2001:db8:1:2::{:x}", i + 1);
        let res = login_from(&app, &ip, &format!("u{i}@example.com"), "a wrong guess").await;
        assert_eq!(res.status(), 401, "{ip}");
    }
    // A fresh address in the same /64 is the same client.
    let res = login_from(
        &app,
        "2001:db8:1:2:ffff::1",
        "new@example.com",
        "a wrong guess",
    )
    .await;
    assert_eq!(res.status(), 429);
    // Another /64 is another client.
    let res = login_from(&app, "2001:db8:1:3::1", "new@example.com", "a wrong guess").await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn a_full_password_queue_answers_503_with_retry_after() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let gate = app.state.passwords.clone();
    // Every permit busy and every waiting place taken.
    let held: Vec<_> = (0..gate.permits())
        .map(|_| gate.acquire().unwrap())
        .collect();
    let waiters: Vec<_> = (0..gate.max_waiting())
        .map(|_| {
            let gate = gate.clone();
            std::thread::spawn(move || drop(gate.acquire().unwrap()))
        })
        .collect();
    while gate.waiting() < gate.max_waiting() {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let res = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": c.email, "password": c.password}),
        )
        .await;
    assert_eq!(res.status(), 503);
    assert_eq!(res.headers()["retry-after"], "1");
    assert_eq!(json_with_status(res, 503).await["code"], "busy");

    drop(held);
    for w in waiters {
        w.join().unwrap();
    }
    let res = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": c.email, "password": c.password}),
        )
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn guest_carts_are_limited_per_address() {
    let app = behind_proxy();
    app.install_catalog();
    let make = |ip: &'static str| {
        app.http
            .post(app.url("/api/v1/cart"))
            .header("x-forwarded-for", ip)
            .send()
    };
    for i in 0..20 {
        let res = make("198.51.100.7").await.unwrap();
        assert_eq!(res.status(), 200, "cart {i}: {}", res.text().await.unwrap());
    }
    let res = make("198.51.100.7").await.unwrap();
    assert_eq!(res.status(), 429);
    assert_eq!(
        make("203.0.113.5").await.unwrap().status(),
        200,
        "another address"
    );
    assert_eq!(sql::cart_count(&app), 21);
}
