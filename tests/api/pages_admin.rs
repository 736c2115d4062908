//! The admin area: staff log in with their own session, separate from the
//! client area's.

use crate::{
    helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp},
    page_client::Browser,
};

#[tokio::test]
async fn staff_log_in_to_the_admin_home_and_out_again() {
    let app = TestApp::spawn();
    let mut browser = Browser::new(&app);
    let res = browser.get("/admin").await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), "/admin/login");

    let wrong = browser
        .submit(
            "/admin/login",
            "/admin/login",
            &[
                ("email", ADMIN_EMAIL),
                ("password", "not the admin password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 401);

    let res = browser
        .submit(
            "/admin/login",
            "/admin/login",
            &[("email", ADMIN_EMAIL), ("password", ADMIN_PASSWORD)],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), "/admin");
    assert!(browser.cookies.contains_key("till_admin"));
    let home = browser.get("/admin").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("admin area as <strong>admin</strong>"));
    assert!(
        home.body.contains("staff.login"),
        "the latest activity is listed"
    );

    // A staff session is not a customer session.
    assert_eq!(browser.get("/account").await.location(), "/login");

    let res = browser
        .post("/admin/logout", &[("csrf", &home.csrf())])
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(browser.get("/admin").await.status, 303);
}

#[tokio::test]
async fn a_customer_session_does_not_open_the_admin_area() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    browser
        .login(&c.email, "correct horse battery staple")
        .await;
    // Even with the customer's secret in the admin cookie.
    let secret = browser.cookies["till_session"].clone();
    browser.cookies.insert("till_admin".into(), secret);
    let res = browser.get("/admin").await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), "/admin/login");
}

#[tokio::test]
async fn the_admin_login_form_needs_its_csrf_token() {
    let app = TestApp::spawn();
    let mut browser = Browser::new(&app);
    browser.get("/admin/login").await;
    let res = browser
        .post(
            "/admin/login",
            &[("email", ADMIN_EMAIL), ("password", ADMIN_PASSWORD)],
        )
        .await;
    assert_eq!(res.status, 403);
    assert!(!browser.cookies.contains_key("till_admin"));
}
