//! Issue 12, item 9 and the sealing of TOTP secrets: staff two-factor
//! authentication in the admin area (the customers' code, reused), a
//! setting that requires it of every staff member, staff sessions with
//! their own timeouts, and secrets that are never stored in the clear.

use jiff::SignedDuration;
use serde_json::json;
use till::{
    auth::totp, clock::Clock, domain::staff::StaffRole, integrations::mail::Mailer, state::AppState,
};

use crate::support::{
    ADMIN_EMAIL, ADMIN_PASSWORD, Browser, PageResponse, TestApp, enable_two_factor,
    json_with_status, sql,
};

async fn admin_login(app: &TestApp, email: &str, password: &str) -> (Browser, PageResponse) {
    let mut browser = Browser::new(app);
    let res = browser
        .submit(
            "/admin/login",
            "/admin/login",
            &[("email", email), ("password", password)],
        )
        .await;
    (browser, res)
}

fn secret_on(page: &PageResponse) -> String {
    let start = page.body.find("id=\"totp-secret\">").unwrap() + "id=\"totp-secret\">".len();
    page.body[start..start + page.body[start..].find('<').unwrap()].to_string()
}

/// Turn 2FA on for the logged-in staff member; answers the secret and the
/// recovery codes.
async fn enrol(app: &TestApp, browser: &mut Browser) -> (String, Vec<String>) {
    let setup = browser
        .submit("/admin/security", "/admin/security/2fa/setup", &[])
        .await;
    assert_eq!(setup.status, 200, "{}", setup.body);
    assert!(setup.body.contains("<svg"));
    let secret = secret_on(&setup);
    let code = totp::code_at(&secret, app.clock.now()).unwrap();
    let on = browser
        .post(
            "/admin/security/2fa/enable",
            &[("csrf", &setup.csrf()), ("code", &code)],
        )
        .await;
    assert_eq!(on.status, 200, "{}", on.body);
    let list = &on.body[on.body.find("id=\"recovery-codes\"").unwrap()..];
    let list = &list[..list.find("</ul>").unwrap()];
    let codes = list
        .split("<li>")
        .skip(1)
        .map(|s| s[..s.find("</li>").unwrap()].to_string())
        .collect::<Vec<_>>();
    assert_eq!(codes.len(), 10);
    assert!(on.body.contains("href=\"/admin/security\""));
    (secret, codes)
}

#[tokio::test]
async fn staff_set_up_two_factor_in_the_admin_area_and_are_asked_for_a_code_at_login() {
    let app = TestApp::spawn();
    let (mut browser, _) = admin_login(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (secret, _) = enrol(&app, &mut browser).await;
    app.clock.advance(SignedDuration::from_secs(30));

    let (mut next, step) = admin_login(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(step.status, 200, "the password alone does not log in");
    assert!(step.body.contains("action=\"/admin/login/2fa\""));
    assert!(!next.cookies.contains_key("till_admin"));
    let challenge = step.input_value("challenge");
    let wrong = next
        .post(
            "/admin/login/2fa",
            &[
                ("csrf", &step.csrf()),
                ("challenge", &challenge),
                ("code", "000000"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 401);
    let code = totp::code_at(&secret, app.clock.now()).unwrap();
    let ok = next
        .post(
            "/admin/login/2fa",
            &[
                ("csrf", &step.csrf()),
                ("challenge", &challenge),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(ok.location(), "/admin");
    assert_eq!(next.get("/admin").await.status, 200);
    // The code works once.
    let (mut again, step) = admin_login(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let replay = again
        .post(
            "/admin/login/2fa",
            &[
                ("csrf", &step.csrf()),
                ("challenge", &step.input_value("challenge")),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(replay.status, 401);
}

#[tokio::test]
async fn a_staff_recovery_code_logs_in_once() {
    let app = TestApp::spawn();
    let (mut browser, _) = admin_login(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (_, codes) = enrol(&app, &mut browser).await;
    for expected in [303, 401] {
        let (mut b, step) = admin_login(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
        let res = b
            .post(
                "/admin/login/2fa",
                &[
                    ("csrf", &step.csrf()),
                    ("challenge", &step.input_value("challenge")),
                    ("code", &codes[0].to_uppercase()),
                ],
            )
            .await;
        assert_eq!(res.status.as_u16(), expected);
    }
}

#[tokio::test]
async fn turning_staff_two_factor_off_needs_a_current_code() {
    let app = TestApp::spawn();
    let (mut browser, _) = admin_login(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (secret, _) = enrol(&app, &mut browser).await;
    app.clock.advance(SignedDuration::from_secs(30));
    let page = browser.get("/admin/security").await;
    assert!(page.body.contains("Turn off two-factor authentication"));
    let res = browser
        .post(
            "/admin/security/2fa/disable",
            &[("csrf", &page.csrf()), ("password", ADMIN_PASSWORD)],
        )
        .await;
    assert_eq!(res.status, 422, "a password does not turn it off");
    let code = totp::code_at(&secret, app.clock.now()).unwrap();
    let res = browser
        .post(
            "/admin/security/2fa/disable",
            &[("csrf", &page.csrf()), ("code", &code)],
        )
        .await;
    assert_eq!(res.status, 303);
    let (_, res) = admin_login(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(res.status, 303, "no code asked any more");
}

#[tokio::test]
async fn when_staff_must_use_two_factor_a_member_without_it_is_sent_to_set_it_up() {
    let app = TestApp::spawn();
    till::service::accounts::staff::create(
        &app.state.db,
        "sam@till.test",
        "Sam",
        StaffRole::Billing,
        "sam's password 123",
        app.clock.now(),
    )
    .unwrap();
    // Only an admin's key with security:write may require it.
    let reader = app.staff_key(&["system:read"]);
    let res = app
        .http
        .put(app.url("/api/v1/security-settings"))
        .bearer_auth(&reader)
        .json(&json!({"require_staff_two_factor": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let key = app.staff_key(&["system:read", "security:write"]);
    let res = app
        .http
        .put(app.url("/api/v1/security-settings"))
        .bearer_auth(&key)
        .json(&json!({"require_staff_two_factor": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        json_with_status(res, 200).await["data"]["require_staff_two_factor"],
        true
    );
    let got = json_with_status(
        app.get_auth("/api/v1/security-settings", &reader).await,
        200,
    )
    .await;
    assert_eq!(got["data"]["require_staff_two_factor"], true);

    let (mut sam, res) = admin_login(&app, "sam@till.test", "sam's password 123").await;
    assert_eq!(res.status, 303);
    for path in ["/admin", "/admin/tasks", "/admin/emails"] {
        let res = sam.get(path).await;
        assert_eq!(res.status, 303, "{path}");
        assert_eq!(res.location(), "/admin/security", "{path}");
    }
    let page = sam.get("/admin/security").await;
    assert!(page.body.contains("id=\"two-factor-required\""));
    assert!(
        !page.body.contains("id=\"security-settings\""),
        "only admins change the setting"
    );
    let (secret, _) = enrol(&app, &mut sam).await;
    assert_eq!(
        sam.get("/admin").await.status,
        200,
        "set up: the admin area opens"
    );

    // And nobody may turn it off while it is required.
    app.clock.advance(SignedDuration::from_secs(30));
    let page = sam.get("/admin/security").await;
    let code = totp::code_at(&secret, app.clock.now()).unwrap();
    let res = sam
        .post(
            "/admin/security/2fa/disable",
            &[("csrf", &page.csrf()), ("code", &code)],
        )
        .await;
    assert_eq!(res.status, 409);
}

#[tokio::test]
async fn an_admin_requires_staff_two_factor_from_the_admin_area() {
    let app = TestApp::spawn();
    let (mut admin, _) = admin_login(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let page = admin.get("/admin/security").await;
    assert!(page.body.contains("id=\"security-settings\""));
    let res = admin
        .post(
            "/admin/security/settings",
            &[("csrf", &page.csrf()), ("require_staff_two_factor", "on")],
        )
        .await;
    assert_eq!(res.status, 303);
    // The admin has no 2FA yet, so is sent to set it up too.
    assert_eq!(admin.get("/admin").await.location(), "/admin/security");
    enrol(&app, &mut admin).await;
    assert_eq!(admin.get("/admin").await.status, 200);
}

#[tokio::test]
async fn an_idle_staff_session_ends_after_two_hours_even_after_being_used() {
    let app = TestApp::spawn();
    let (mut browser, _) = admin_login(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    app.clock.advance(SignedDuration::from_mins(90));
    assert_eq!(
        browser.get("/admin").await.status,
        200,
        "used within two hours"
    );
    app.clock.advance(SignedDuration::from_mins(119));
    assert_eq!(
        browser.get("/admin").await.status,
        200,
        "still within two hours of its use"
    );
    app.clock.advance(SignedDuration::from_mins(121));
    let res = browser.get("/admin").await;
    assert_eq!(res.status, 303, "idle for over two hours");
    assert_eq!(res.location(), "/admin/login");
}

#[tokio::test]
async fn a_staff_session_ends_after_twelve_hours_however_active() {
    let app = TestApp::spawn();
    let (mut browser, _) = admin_login(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    for _ in 0..11 {
        app.clock.advance(SignedDuration::from_hours(1));
        assert_eq!(browser.get("/admin").await.status, 200);
    }
    app.clock.advance(SignedDuration::from_hours(1));
    assert_eq!(browser.get("/admin").await.location(), "/admin/login");
}

#[tokio::test]
async fn a_customer_browser_session_keeps_its_own_longer_idle_timeout() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    browser.login(&c.email, &c.password).await;
    app.clock.advance(SignedDuration::from_hours(3));
    assert_eq!(browser.get("/account").await.status, 200);
    app.clock.advance(SignedDuration::from_hours(6 * 24));
    assert_eq!(
        browser.get("/account").await.status,
        200,
        "a customer may stay idle for days"
    );
}

#[tokio::test]
async fn totp_secrets_are_sealed_at_rest_for_customers_and_staff() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let customer_secret = enable_two_factor(&app, &c.access).await;
    let stored = sql::user_totp_secret(&app, "ama@example.com");
    assert!(stored.starts_with("sealed1:"), "{stored}");
    assert!(!stored.contains(&customer_secret));

    let (mut browser, _) = admin_login(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (staff_secret, _) = enrol(&app, &mut browser).await;
    let stored = sql::staff_totp_secret(&app, 1);
    assert!(stored.starts_with("sealed1:") && !stored.contains(&staff_secret));

    // And they still work.
    app.clock.advance(SignedDuration::from_secs(30));
    let code = totp::code_at(&customer_secret, app.clock.now()).unwrap();
    let res = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": c.email, "password": c.password, "totp_code": code}),
        )
        .await;
    json_with_status(res, 200).await;
}

#[tokio::test]
async fn a_plaintext_totp_secret_left_by_an_older_till_is_sealed_at_start() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let secret = totp::new_secret();
    let (plain, now) = (secret.clone(), till::domain::time::stamp(app.clock.now()));
    app.state
        .db
        .write(move |tx| {
            tx.execute(
                "UPDATE users SET totp_secret = ?1, totp_enabled_at = ?2 WHERE email = 'ama@example.com'",
                rusqlite::params![plain, now],
            )?;
            Ok(())
        })
        .unwrap();
    let start = || {
        AppState::build(
            (*app.state.config).clone(),
            app.state.db.clone(),
            std::sync::Arc::new(app.clock.clone()),
            Mailer::recording().0,
        )
        .unwrap()
    };
    start();
    let sealed = sql::user_totp_secret(&app, "ama@example.com");
    assert!(
        sealed.starts_with("sealed1:") && !sealed.contains(&secret),
        "{sealed}"
    );
    start();
    assert_eq!(
        sql::user_totp_secret(&app, "ama@example.com"),
        sealed,
        "a second start changes nothing"
    );
    let code = totp::code_at(&secret, app.clock.now()).unwrap();
    let res = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": c.email, "password": c.password, "totp_code": code}),
        )
        .await;
    json_with_status(res, 200).await;
}
