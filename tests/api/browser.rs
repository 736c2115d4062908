//! The client area in a real browser: headless Chromium driven over
//! WebDriver (chromedriver + fantoccini). A customer logs in, turns on
//! two-factor authentication, logs out, logs in again with a code and edits
//! the profile, all by clicking through the server-rendered pages.
//!
//! Needs /usr/bin/chromium and /usr/bin/chromedriver (Debian's `chromium`
//! and `chromium-driver`; `.ci/install-browser.sh` installs them). Without
//! them the test is skipped, except under CI, where it fails.

use std::{
    net::TcpListener,
    panic::AssertUnwindSafe,
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use fantoccini::{Client, ClientBuilder, Locator};
use futures_util::FutureExt;
use jiff::SignedDuration;
use serde_json::json;
use till::{auth::totp, clock::Clock};

use crate::support::{Customer, TestApp, json_with_status};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long to wait for a page or for chromedriver to answer.
const WAIT: Duration = Duration::from_secs(20);

/// Whether the browser is installed. Under CI a missing browser is an
/// error: CI must run `.ci/install-browser.sh` first.
pub(crate) fn browser_installed() -> bool {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "the browser test needs {} (missing: {}); CI must run .ci/install-browser.sh first",
            [CHROMIUM, CHROMEDRIVER].join(" and "),
            missing.join(", ")
        );
    }
    eprintln!(
        "\n\
         ************************************************************\n\
         SKIPPED: browser test: {} not installed.\n\
         Run .ci/install-browser.sh (as root) to install them.\n\
         ************************************************************\n",
        missing.join(" and ")
    );
    false
}

/// A chromedriver process on a free local port, killed on drop.
struct Chromedriver {
    child: Child,
    url: String,
}

impl Chromedriver {
    async fn start() -> Chromedriver {
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let mut driver = Chromedriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let http = reqwest::Client::new();
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(res) = http.get(format!("{}/status", driver.url)).send().await
                && let Ok(body) = res.json::<serde_json::Value>().await
                && body["value"]["ready"] == true
            {
                return driver;
            }
            if let Some(status) = driver.child.try_wait().unwrap() {
                panic!("chromedriver exited before answering on port {port}: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not answer on port {port} within {WAIT:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// A new headless Chromium session.
    async fn browser(&self) -> Client {
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--window-size=1280,900",
                ],
            },
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        ClientBuilder::rustls()
            .unwrap()
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .expect("start a Chromium session")
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Wait until the browser shows a page at `path` (ignoring the query).
pub(crate) async fn wait_for_path(browser: &Client, path: &str) {
    let deadline = Instant::now() + WAIT;
    loop {
        let url = browser.current_url().await.unwrap();
        if url.path() == path {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the browser stayed at {url}, expected {path}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Wait for an element of the next page.
pub(crate) async fn wait_for(browser: &Client, css: &str) -> fantoccini::elements::Element {
    browser
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
}

/// Replace the text in the input with this id.
pub(crate) async fn fill(browser: &Client, id: &str, value: &str) {
    let input = browser.find(Locator::Id(id)).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(value).await.unwrap();
}

/// The current value of the input with this id.
async fn value_of(browser: &Client, id: &str) -> String {
    browser
        .find(Locator::Id(id))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

pub(crate) async fn text_of(browser: &Client, css: &str) -> String {
    wait_for(browser, css).await.text().await.unwrap()
}

/// Click the submit button of the form posting to `action`.
pub(crate) async fn submit(browser: &Client, action: &str) {
    browser
        .find(Locator::Css(&format!(
            "form[action='{action}'] button[type=submit]"
        )))
        .await
        .unwrap_or_else(|e| panic!("no form posting to {action}: {e}"))
        .click()
        .await
        .unwrap();
}

/// Log in with email and password on the login page.
pub(crate) async fn enter_password(app: &TestApp, browser: &Client, c: &Customer) {
    browser.goto(&app.url("/login")).await.unwrap();
    wait_for(browser, "form[action='/login'] #email").await;
    fill(browser, "email", &c.email).await;
    fill(browser, "password", &c.password).await;
    submit(browser, "/login").await;
}

async fn client_json(app: &TestApp, c: &Customer) -> serde_json::Value {
    let path = format!("/api/v1/clients/{}", c.client_id);
    json_with_status(app.get_auth(&path, &c.access).await, 200).await["data"].clone()
}

/// What the customer does in the browser.
async fn walk_through(app: &TestApp, browser: &Client, c: &Customer) {
    let display_name = client_json(app, c).await["display_name"]
        .as_str()
        .unwrap()
        .to_string();

    // Log in without 2FA: straight to the dashboard.
    enter_password(app, browser, c).await;
    wait_for_path(browser, "/account").await;
    assert_eq!(text_of(browser, "h1").await, display_name);

    // Turn on two-factor authentication on the security page.
    browser.goto(&app.url("/account/security")).await.unwrap();
    wait_for(browser, "#two-factor").await;
    submit(browser, "/account/security/2fa/setup").await;
    let secret = text_of(browser, "#totp-secret").await;
    assert!(!secret.is_empty());
    fill(
        browser,
        "code",
        &totp::code_at(&secret, app.clock.now()).unwrap(),
    )
    .await;
    submit(browser, "/account/security/2fa/enable").await;
    let recovery = wait_for(browser, "#recovery-codes").await;
    let codes = recovery.find_all(Locator::Css("li")).await.unwrap();
    assert!(!codes.is_empty(), "no recovery codes shown");

    // Log out.
    submit(browser, "/logout").await;
    wait_for_path(browser, "/login").await;
    assert_eq!(text_of(browser, "p.notice").await, "You are logged out.");
    browser.goto(&app.url("/account")).await.unwrap();
    wait_for_path(browser, "/login").await;

    // A code works once per 30-second step: log in in the next one.
    app.clock.advance(SignedDuration::from_secs(30));

    // The password alone is not enough now: the second step asks for a code.
    enter_password(app, browser, c).await;
    wait_for(browser, "form[action='/login/2fa'] input[name=challenge]").await;
    assert_eq!(text_of(browser, "h1").await, "Two-factor authentication");
    fill(
        browser,
        "code",
        &totp::code_at(&secret, app.clock.now()).unwrap(),
    )
    .await;
    submit(browser, "/login/2fa").await;
    wait_for_path(browser, "/account").await;
    assert_eq!(text_of(browser, "h1").await, display_name);

    // Edit the profile.
    browser.goto(&app.url("/account/profile")).await.unwrap();
    wait_for(browser, "form[action='/account/profile'] #city").await;
    assert_eq!(value_of(browser, "city").await, "Accra");
    fill(browser, "first_name", "Akosua").await;
    fill(browser, "city", "Kumasi").await;
    fill(browser, "phone", "+233241234567").await;
    submit(browser, "/account/profile").await;
    let saved = text_of(browser, "#saved").await;
    assert_eq!(saved, "Your profile was saved.");
    let url = browser.current_url().await.unwrap();
    assert_eq!(
        (url.path(), url.query()),
        ("/account/profile", Some("saved=1"))
    );
    assert_eq!(value_of(browser, "first_name").await, "Akosua");
    assert_eq!(value_of(browser, "last_name").await, "Mensah");
    assert_eq!(value_of(browser, "city").await, "Kumasi");
    assert_eq!(value_of(browser, "phone").await, "+233241234567");
    assert_eq!(value_of(browser, "address1").await, "1 Ring Road");
    assert_eq!(value_of(browser, "country").await, "GH");

    // The dashboard greets the account by its new name.
    let renamed = client_json(app, c).await["display_name"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(renamed, display_name);
    browser.goto(&app.url("/account")).await.unwrap();
    wait_for(browser, "hgroup h1").await;
    assert_eq!(text_of(browser, "hgroup h1").await, renamed);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_logs_in_in_a_real_browser_passes_two_factor_and_edits_the_profile() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let driver = Chromedriver::start().await;
    let browser = driver.browser().await;

    let outcome = AssertUnwindSafe(walk_through(&app, &browser, &c))
        .catch_unwind()
        .await;
    if outcome.is_err() {
        // Show where the browser was, to make the failure readable.
        if let Ok(url) = browser.current_url().await {
            eprintln!("browser was at {url}");
        }
        if let Ok(source) = browser.source().await {
            eprintln!("page source:\n{source}");
        }
    }
    let closed = browser.close().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
    closed.expect("close the browser session");

    // The change is stored: the API sees it.
    let client = client_json(&app, &c).await;
    assert_eq!(client["first_name"], "Akosua");
    assert_eq!(client["last_name"], "Mensah");
    assert_eq!(client["city"], "Kumasi");
    assert_eq!(client["phone"], "+233241234567");
    assert_eq!(client["address1"], "1 Ring Road");
    assert_eq!(client["kind"], "person");
}

/// Run `walk` in a fresh Chromium; on failure print where the browser was.
pub(crate) async fn in_browser<F>(walk: impl FnOnce(Client) -> F)
where
    F: std::future::Future<Output = ()>,
{
    let driver = Chromedriver::start().await;
    let browser = driver.browser().await;
    let outcome = AssertUnwindSafe(walk(browser.clone())).catch_unwind().await;
    if outcome.is_err() {
        if let Ok(url) = browser.current_url().await {
            eprintln!("browser was at {url}");
        }
        if let Ok(source) = browser.source().await {
            eprintln!("page source:\n{source}");
        }
    }
    let closed = browser.close().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
    closed.expect("close the browser session");
}

/// The whole purchase: browse the store, put a plan in the cart as a
/// guest, log in on the cart page, check out, pay on Stripe's hosted page
/// (the fake), and come back to a paid invoice.
async fn buy_and_pay(app: &TestApp, stripe_url: &str, browser: &Client, c: &Customer) {
    browser.goto(&app.url("/store")).await.unwrap();
    wait_for(browser, "a[href='/store/starter']")
        .await
        .click()
        .await
        .unwrap();
    wait_for_path(browser, "/store/starter").await;
    wait_for(browser, "#add-to-cart").await;
    browser
        .find(Locator::Css("input[name=billing_cycle][value=annually]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    fill(browser, "domain", "my-shop.example").await;
    browser
        .find(Locator::Id("add-to-cart"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(browser, "/cart").await;
    let total = text_of(browser, "#cart-total").await;
    assert!(total.contains("49.90"), "{total}");

    // Log in right on the cart page; the cart comes along.
    fill(browser, "email", &c.email).await;
    fill(browser, "password", &c.password).await;
    browser
        .find(Locator::Id("login-checkout"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(browser, "#checkout").await.click().await.unwrap();
    wait_for(browser, "#pay-stripe").await;
    assert!(
        browser
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/account/invoices/")
    );
    assert_eq!(text_of(browser, "#invoice-status").await, "unpaid");

    // Off to the gateway's page, pay, and back.
    browser
        .find(Locator::Id("pay-stripe"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(browser, "#pay").await;
    assert!(
        browser
            .current_url()
            .await
            .unwrap()
            .as_str()
            .starts_with(stripe_url)
    );
    browser
        .find(Locator::Id("pay"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(browser, "p.notice").await;
    assert_eq!(text_of(browser, "#invoice-status").await, "paid");
    assert!(
        text_of(browser, "p.notice")
            .await
            .contains("payment was received")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_buys_through_the_cart_and_pays_with_stripe_in_a_real_browser() {
    if !browser_installed() {
        return;
    }
    let w = crate::support::gateways::world();
    w.stripe
        .set_webhook_target(&w.app.url("/api/v1/webhooks/stripe"));
    let c = w.app.customer("buyer@example.com").await;
    let (app, stripe_url) = (&w.app, w.stripe.url.clone());
    in_browser(|browser| async move { buy_and_pay(app, &stripe_url, &browser, &c).await }).await;

    let c = w
        .app
        .login("buyer@example.com", "correct horse battery staple")
        .await;
    // One payment (the webhook and the return both saw it), the service is
    // live with its next due date, and the emails are queued.
    let payments = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/payments", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(payments["data"].as_array().unwrap().len(), 1);
    assert_eq!(payments["data"][0]["gateway"], "stripe");
    let orders = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/orders", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(orders["data"][0]["status"], "active");
    assert_eq!(orders["data"][0]["items"][0]["status"], "active");
    let deliveries = w.stripe.deliveries();
    assert!(
        deliveries.iter().all(|d| d.status == Some(200)),
        "{deliveries:?}"
    );
    let subjects: Vec<String> = app
        .deliver_mail()
        .await
        .into_iter()
        .map(|m| m.subject)
        .collect();
    for wanted in ["Order confirmation", "Payment received", "is active"] {
        assert!(
            subjects.iter().any(|s| s.contains(wanted)),
            "{wanted}: {subjects:?}"
        );
    }
}
