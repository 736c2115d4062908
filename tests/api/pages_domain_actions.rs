//! The registrar actions on the domain pages: a customer locks and
//! unlocks their domain, asks for its auth code (shown on the page that
//! answers the POST, never in a URL) and switches ID protection; staff do
//! the same on the admin page. Every form needs its CSRF token, another
//! account's domain is a 404, a registrar that is down re-renders the page
//! with a friendly message, and the manual registrar's domains say to ask
//! support.

use crate::domains_lifecycle::{
    PASSWORD, USER, epp_for_com, paid_registration, run_registrar_tasks, send, staff, staff_domain,
};
use crate::support::{
    Browser, Customer, TestApp,
    fakes::{FakeEpp, epp::Mode},
    json_with_status,
    staff::admin,
};

async fn logged_in(app: &TestApp, c: &Customer) -> Browser {
    let mut b = Browser::new(app);
    b.login(&c.email, &c.password).await;
    b
}

/// As askama writes text into a page.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

#[tokio::test]
async fn a_customer_locks_their_domain_and_sees_its_auth_code_on_the_page() {
    let app = TestApp::with_catalog();
    let fake = FakeEpp::start(USER, PASSWORD);
    let key = staff(&app);
    epp_for_com(&app, &key, &fake).await;
    let c = app.customer("page-actions@example.com").await;
    let other = app.customer("page-actions-other@example.com").await;
    let id = paid_registration(&app, &c, &key, "page-actions.com").await;
    let theirs = paid_registration(&app, &other, &key, "page-theirs.com").await;
    assert_eq!(run_registrar_tasks(&app).await, 2);
    let code = fake.domain("page-actions.com").unwrap().auth;

    let mut b = logged_in(&app, &c).await;
    let path = format!("/account/domains/{id}");
    let page = b.get(&path).await;
    assert_eq!(page.status, 200);
    for shown in [
        "id=\"lock-domain\"",
        "id=\"show-epp-code\"",
        "id=\"id-protection-on\"",
    ] {
        assert!(page.body.contains(shown), "{shown}");
    }
    assert!(!page.body.contains(&escaped(&code)), "not shown unasked");

    // Every form needs its token.
    let lock = format!("{path}/lock");
    let code_path = format!("{path}/epp-code");
    assert_eq!(b.post(&lock, &[("locked", "on")]).await.status, 403);
    let refused = b.post(&code_path, &[]).await;
    assert_eq!(refused.status, 403);
    assert!(!refused.body.contains(&escaped(&code)));
    let privacy = format!("{path}/id-protection");
    assert_eq!(b.post(&privacy, &[("enabled", "on")]).await.status, 403);
    assert!(fake.requests_with("<domain:update").is_empty());

    let locked = b
        .post(&lock, &[("csrf", &page.csrf()), ("locked", "on")])
        .await;
    assert_eq!(locked.status, 303, "{}", locked.body);
    let queued = b.get(locked.location()).await;
    assert!(
        queued.body.contains("asked to lock the domain"),
        "{}",
        queued.body
    );
    run_registrar_tasks(&app).await;
    let after = b.get(&path).await;
    assert!(
        after.body.contains("id=\"unlock-domain\""),
        "{}",
        after.body
    );
    assert!(after.body.contains("The domain is locked"));

    // The code comes on the answer to the POST itself.
    let shown = b.post(&code_path, &[("csrf", &page.csrf())]).await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert!(
        shown
            .body
            .contains(&format!("id=\"epp-code-value\">{}</code>", escaped(&code))),
        "{}",
        shown.body
    );
    assert!(shown.location().is_empty(), "no redirect carries it");
    assert!(!b.get(&path).await.body.contains(&escaped(&code)));

    // Another account's domain is a 404 on every form.
    for action in ["lock", "epp-code", "id-protection"] {
        let res = b
            .post(
                &format!("/account/domains/{theirs}/{action}"),
                &[("csrf", &page.csrf()), ("locked", "on"), ("enabled", "on")],
            )
            .await;
        assert_eq!(res.status, 404, "{action}");
    }
    let seen = staff_domain(&app, &key, theirs).await;
    assert_eq!(seen["tasks"].as_array().unwrap().len(), 1, "{seen}");
}

#[tokio::test]
async fn a_registrar_that_is_down_or_refuses_says_so_on_the_page() {
    let app = TestApp::with_catalog();
    let fake = FakeEpp::start(USER, PASSWORD);
    let key = staff(&app);
    epp_for_com(&app, &key, &fake).await;
    let c = app.customer("page-down@example.com").await;
    let id = paid_registration(&app, &c, &key, "page-down.com").await;
    run_registrar_tasks(&app).await;
    let mut b = logged_in(&app, &c).await;
    let path = format!("/account/domains/{id}");
    let page = b.get(&path).await;

    fake.set_mode(Mode::DropConnections);
    let down = b
        .post(&format!("{path}/epp-code"), &[("csrf", &page.csrf())])
        .await;
    assert_eq!(down.status, 503);
    assert!(down.body.contains("role=\"alert\""), "{}", down.body);
    assert!(
        down.body.contains("cannot be reached just now"),
        "{}",
        down.body
    );
    assert!(
        down.body.contains("id=\"show-epp-code\""),
        "the page itself"
    );

    fake.set_mode(Mode::Normal);
    fake.hide_codes_while_locked();
    b.post(
        &format!("{path}/lock"),
        &[("csrf", &page.csrf()), ("locked", "on")],
    )
    .await;
    run_registrar_tasks(&app).await;
    let refused = b
        .post(&format!("{path}/epp-code"), &[("csrf", &page.csrf())])
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("id=\"epp-code-error\""),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("unlock it first"), "{}", refused.body);
}

#[tokio::test]
async fn a_domain_at_the_manual_registrar_says_to_ask_support() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let c = app.customer("page-manual@example.com").await;
    let id = paid_registration(&app, &c, &key, "page-manual.com").await;
    let marked = send(
        &app,
        "POST",
        &format!("/api/v1/domains/{id}/registered"),
        &key,
        serde_json::json!({}),
    )
    .await;
    json_with_status(marked, 200).await;
    let mut b = logged_in(&app, &c).await;
    let path = format!("/account/domains/{id}");
    let page = b.get(&path).await;
    assert!(
        page.body.contains("please open a support ticket"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("id=\"show-epp-code\""));
    assert!(!page.body.contains("id=\"lock-domain\""));
    let res = b
        .post(
            &format!("{path}/lock"),
            &[("csrf", &page.csrf()), ("locked", "on")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("changed by our staff"), "{}", res.body);
}

#[tokio::test]
async fn staff_lock_a_domain_and_see_its_auth_code_on_the_admin_page() {
    let app = TestApp::with_catalog();
    let fake = FakeEpp::start(USER, PASSWORD);
    let key = staff(&app);
    epp_for_com(&app, &key, &fake).await;
    let c = app.customer("admin-actions@example.com").await;
    let id = paid_registration(&app, &c, &key, "admin-actions.com").await;
    run_registrar_tasks(&app).await;
    let code = fake.domain("admin-actions.com").unwrap().auth;

    let mut browser = admin(&app).await;
    let path = format!("/admin/domains/{id}");
    let page = browser.get(&path).await;
    assert!(page.body.contains("id=\"lock-domain\""), "{}", page.body);
    let lock = format!("{path}/lock");
    assert_eq!(browser.post(&lock, &[("value", "on")]).await.status, 403);
    let res = browser
        .post(&lock, &[("csrf", &page.csrf()), ("value", "on")])
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(
        browser
            .get(res.location())
            .await
            .body
            .contains("queued for the registrar")
    );
    run_registrar_tasks(&app).await;
    let after = browser.get(&path).await;
    assert!(after.body.contains("id=\"unlock-domain\""));
    assert_eq!(staff_domain(&app, &key, id).await["data"]["locked"], true);

    let code_path = format!("{path}/epp-code");
    assert_eq!(browser.post(&code_path, &[]).await.status, 403);
    let shown = browser.post(&code_path, &[("csrf", &page.csrf())]).await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert!(shown.body.contains(&escaped(&code)), "{}", shown.body);
    let missing = browser
        .post(
            "/admin/domains/99999/lock",
            &[("csrf", &page.csrf()), ("value", "on")],
        )
        .await;
    assert_eq!(missing.status, 404);
}
