//! The client area's pages before login: log in (with the 2FA step), log
//! out, sign up, confirm the email, forgot/reset password; cookies, CSRF
//! and rate limits as a browser meets them.

use jiff::SignedDuration;
use till::{auth::totp, clock::Clock};

use crate::support::{Browser, TestApp, enable_two_factor, json_with_status, sql};

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test]
async fn logging_in_sets_a_fresh_httponly_lax_session_and_opens_the_dashboard() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);

    let form = browser.get("/login").await;
    assert_eq!(form.status, 200);
    let anon = form
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("till_csrf="))
        .expect("a CSRF cookie before login");
    assert!(
        anon.contains("HttpOnly") && anon.contains("SameSite=Lax"),
        "{anon}"
    );
    assert!(!anon.contains("Secure"), "plain http: no Secure flag");

    let res = browser
        .post(
            "/login",
            &[
                ("csrf", &form.csrf()),
                ("email", &c.email),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), "/account");
    let cookie = res
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("till_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/")
    );
    let first_secret = browser.cookies["till_session"].clone();

    let dash = browser.get("/account").await;
    assert_eq!(dash.status, 200);
    assert!(dash.body.contains("Ama Mensah"), "{}", dash.body);
    assert_eq!(dash.headers["cache-control"], "no-store");

    // The browser session is listed with the API sessions.
    let tokens = json_with_status(app.get_auth("/api/v1/auth/tokens", &c.access).await, 200).await;
    let kinds: Vec<String> = tokens["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.to_string())
        .collect();
    assert!(kinds.iter().any(|t| t.contains("web")), "{tokens}");

    // Every login gets a new session id.
    let mut again = Browser::new(&app);
    again.login(&c.email, PASSWORD).await;
    assert_ne!(again.cookies["till_session"], first_secret);
}

#[tokio::test]
async fn a_wrong_password_re_renders_the_form_and_starts_no_session() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    let res = browser
        .submit(
            "/login",
            "/login",
            &[("email", &c.email), ("password", "not the password at all")],
        )
        .await;
    assert_eq!(res.status, 401);
    assert!(res.body.contains("The email or password is incorrect"));
    assert!(
        res.body.contains(&format!("value=\"{}\"", c.email)),
        "the email is kept"
    );
    assert!(!browser.cookies.contains_key("till_session"));
    assert_eq!(browser.get("/account").await.location(), "/login");
}

#[tokio::test]
async fn a_form_post_without_its_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    browser.get("/login").await;

    // No token, a wrong token, and a token without its cookie.
    let none = browser
        .post("/login", &[("email", &c.email), ("password", PASSWORD)])
        .await;
    assert_eq!(none.status, 403);
    assert!(none.body.contains("did not come from this site"));
    let wrong = browser
        .post(
            "/login",
            &[
                ("csrf", "forged"),
                ("email", &c.email),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(wrong.status, 403);
    let token = browser.get("/login").await.csrf();
    let mut stranger = Browser::new(&app);
    let res = stranger
        .post(
            "/login",
            &[
                ("csrf", &token),
                ("email", &c.email),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, 403);
    assert!(!browser.cookies.contains_key("till_session"));

    // Logged in, a state-changing form without the session's token fails.
    browser.login(&c.email, PASSWORD).await;
    let res = browser
        .post(
            "/account/profile",
            &[("first_name", "Mallory"), ("last_name", "X")],
        )
        .await;
    assert_eq!(res.status, 403);
    let res = browser.post("/logout", &[("csrf", "nope")]).await;
    assert_eq!(res.status, 403);
    let me = json_with_status(
        app.get_auth(&format!("/api/v1/clients/{}", c.client_id), &c.access)
            .await,
        200,
    )
    .await;
    assert_eq!(me["data"]["first_name"], "Ama");
    assert_eq!(browser.get("/account").await.status, 200, "still logged in");
}

#[tokio::test]
async fn a_cross_site_post_is_refused_even_with_a_token() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    let csrf = browser.get("/login").await.csrf();
    browser
        .headers
        .insert("sec-fetch-site", "cross-site".parse().unwrap());
    let res = browser
        .post(
            "/login",
            &[("csrf", &csrf), ("email", &c.email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status, 403);
}

#[tokio::test]
async fn over_https_behind_a_trusted_proxy_cookies_are_secure_and_host_prefixed() {
    let app = TestApp::builder()
        .config(|c| c.http.trusted_proxies = vec!["127.0.0.1".parse().unwrap()])
        .spawn();
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    browser
        .headers
        .insert("x-forwarded-proto", "https".parse().unwrap());
    browser.login(&c.email, PASSWORD).await;
    assert!(browser.cookies.contains_key("__Host-till_session"));
    assert!(!browser.cookies.contains_key("till_session"));
    let res = browser.get("/account").await;
    assert_eq!(res.status, 200);

    // The plain cookie name is not honoured over https.
    let secret = browser.cookies["__Host-till_session"].clone();
    let mut plain = Browser::new(&app);
    plain
        .headers
        .insert("x-forwarded-proto", "https".parse().unwrap());
    plain.cookies.insert("till_session".into(), secret);
    assert_eq!(plain.get("/account").await.status, 303);
}

#[tokio::test]
async fn an_untrusted_peer_cannot_claim_https() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    browser
        .headers
        .insert("x-forwarded-proto", "https".parse().unwrap());
    let csrf = browser.get("/login").await.csrf();
    let res = browser
        .post(
            "/login",
            &[("csrf", &csrf), ("email", &c.email), ("password", PASSWORD)],
        )
        .await;
    let cookie = res
        .set_cookies()
        .into_iter()
        .find(|c| c.contains("till_session="))
        .unwrap();
    assert!(
        cookie.starts_with("till_session=") && !cookie.contains("Secure"),
        "{cookie}"
    );
}

#[tokio::test]
async fn with_two_factor_on_the_login_asks_for_a_code_that_works_once() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let secret = enable_two_factor(&app, &c.access).await;
    app.clock.advance(SignedDuration::from_secs(31));

    let mut browser = Browser::new(&app);
    let step = browser
        .submit(
            "/login",
            "/login",
            &[("email", &c.email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(step.status, 200);
    assert!(step.body.contains("action=\"/login/2fa\""));
    assert!(
        !browser.cookies.contains_key("till_session"),
        "no session before the code"
    );
    let challenge = step.input_value("challenge");

    let wrong = browser
        .post(
            "/login/2fa",
            &[
                ("csrf", &step.csrf()),
                ("challenge", &challenge),
                ("code", "000000"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("invalid or was already used"));

    let code = totp::code_at(&secret, app.clock.now()).unwrap();
    let ok = browser
        .post(
            "/login/2fa",
            &[
                ("csrf", &step.csrf()),
                ("challenge", &challenge),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    assert_eq!(ok.location(), "/account");
    assert_eq!(browser.get("/account").await.status, 200);

    // The same code, again, in another browser: refused.
    let mut other = Browser::new(&app);
    let step = other
        .submit(
            "/login",
            "/login",
            &[("email", &c.email), ("password", PASSWORD)],
        )
        .await;
    let again = other
        .post(
            "/login/2fa",
            &[
                ("csrf", &step.csrf()),
                ("challenge", &step.input_value("challenge")),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(again.status, 401);
}

#[tokio::test]
async fn logging_out_ends_the_session_on_the_server() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    browser.login(&c.email, PASSWORD).await;
    let secret = browser.cookies["till_session"].clone();
    let csrf = browser.get("/account").await.csrf();
    let res = browser.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(res.status, 303);
    assert!(res.location().starts_with("/login"));
    assert!(!browser.cookies.contains_key("till_session"));

    // Replaying the old cookie does not work: the row is revoked.
    let mut replay = Browser::new(&app);
    replay.cookies.insert("till_session".into(), secret);
    let res = replay.get("/account").await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), "/login");
}

#[tokio::test]
async fn signing_up_shows_errors_in_the_form_then_confirms_by_a_post_not_a_get() {
    let app = TestApp::spawn();
    let mut browser = Browser::new(&app);
    let bad = browser
        .submit(
            "/signup",
            "/signup",
            &[
                ("kind", "private"),
                ("email", "not-an-email"),
                ("password", "short"),
                ("first_name", "Esi"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("aria-invalid=\"true\""));
    assert!(bad.body.contains("value=\"Esi\""), "typed values are kept");
    let users = sql::user_count(&app);
    assert_eq!(users, 0, "nothing was created");

    let ok = browser
        .submit(
            "/signup",
            "/signup",
            &[
                ("kind", "private"),
                ("email", "esi@example.com"),
                ("password", PASSWORD),
                ("first_name", "Esi"),
                ("last_name", "Owusu"),
                ("phone", "+233201234567"),
                ("address1", "2 Oxford Street"),
                ("city", "Accra"),
                ("postcode", "00233"),
                ("country", "GH"),
            ],
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(ok.body.contains("Check your email"));

    let link = app.link_in_mail("esi@example.com", "/verify-email").await;
    let path = &link[link.find("/verify-email").unwrap()..];
    let page = browser.get(path).await;
    assert_eq!(page.status, 200);
    let verified = || sql::email_verified(&app, "esi@example.com");
    assert!(!verified(), "opening the link (a GET) changes nothing");
    let token = page.input_value("token");
    let res = browser
        .post(
            "/verify-email",
            &[("csrf", &page.csrf()), ("token", &token)],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), "/login?notice=verified");
    assert!(verified());
    assert!(
        browser
            .get("/login?notice=verified")
            .await
            .body
            .contains("is confirmed")
    );
    browser.login("esi@example.com", PASSWORD).await;

    // A used token is refused, on the form.
    let csrf = browser.get("/account").await.csrf();
    let res = browser
        .post("/verify-email", &[("csrf", &csrf), ("token", &token)])
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("invalid or has expired"));
}

#[tokio::test]
async fn a_forgotten_password_is_reset_from_the_emailed_link_and_sessions_end() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let mut logged_in = Browser::new(&app);
    logged_in.login(&c.email, PASSWORD).await;

    let mut browser = Browser::new(&app);
    let res = browser
        .submit(
            "/forgot-password",
            "/forgot-password",
            &[("email", &c.email)],
        )
        .await;
    assert_eq!(res.status, 200);
    let unknown = browser
        .submit(
            "/forgot-password",
            "/forgot-password",
            &[("email", "nobody@example.com")],
        )
        .await;
    assert_eq!(unknown.status, 200);
    assert_eq!(
        unknown.body.replace("nobody@example.com", ""),
        res.body.replace(&c.email, ""),
        "the same page whether or not the email has an account"
    );

    let link = app.link_in_mail(&c.email, "/reset-password").await;
    let path = &link[link.find("/reset-password").unwrap()..];
    let form = browser.get(path).await;
    let token = form.input_value("token");
    let weak = browser
        .post(
            "/reset-password",
            &[
                ("csrf", &form.csrf()),
                ("token", &token),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(weak.status, 422);
    let done = browser
        .post(
            "/reset-password",
            &[
                ("csrf", &form.csrf()),
                ("token", &token),
                ("password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(done.location(), "/login?notice=reset");

    assert_eq!(
        logged_in.get("/account").await.status,
        303,
        "old sessions ended"
    );
    browser.login(&c.email, "a brand new passphrase").await;
    let old = Browser::new(&app)
        .submit(
            "/login",
            "/login",
            &[("email", &c.email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(old.status, 401);
}

#[tokio::test]
async fn too_many_login_attempts_answer_429_with_retry_after_on_the_form() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    let mut last = None;
    for _ in 0..12 {
        let res = browser
            .submit(
                "/login",
                "/login",
                &[("email", &c.email), ("password", "wrong password here")],
            )
            .await;
        last = Some(res);
        if last.as_ref().unwrap().status == 429 {
            break;
        }
    }
    let res = last.unwrap();
    assert_eq!(res.status, 429);
    assert!(res.headers.contains_key("retry-after"));
    assert!(res.body.contains("Too many attempts"));
}
