//! The emails of a client's life, read from the durable outbox they are
//! queued in: the welcome at sign-up, the activation with the service's
//! access details, and the confirmation of a cancellation, each once for
//! its event and never with a password.

use serde_json::json;
use till::clock::Clock;

use crate::support::{
    Browser, Customer, TestApp,
    hosting::{Hosting, SERVER_HOSTNAME},
    json_with_status,
    mail::Queued,
    people::notification_kinds,
    sql,
};

const PASSWORD: &str = "correct horse battery staple";

/// The emails of `template` queued for `to`, oldest first.
fn outbox(app: &TestApp, template: &str, to: &str) -> Vec<Queued> {
    sql::outbox(app, template, to)
}

/// How many cancellation notifications the customer's portal shows.
fn cancellation_notifications(app: &TestApp, c: &Customer) -> usize {
    notification_kinds(app, c)
        .iter()
        .filter(|k| *k == "cancellation")
        .count()
}

async fn cancel(app: &TestApp, c: &Customer, service: i64, when: &str) -> reqwest::Response {
    app.http
        .post(app.url(&format!(
            "/api/v1/clients/{}/hosting/{service}/cancel",
            c.client_id
        )))
        .bearer_auth(&c.access)
        .json(&json!({"cancellation_type": when, "reason": "moving"}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_new_client_is_welcomed_once_with_the_way_in_and_no_password() {
    let app = TestApp::spawn();
    let c = app.customer("welcome@example.com").await;
    let base = app.state.config.base_url();

    let welcome = outbox(&app, "welcome", &c.email);
    assert_eq!(welcome.len(), 1);
    let w = &welcome[0];
    assert_eq!(w.subject, "Welcome to Test Hosting Ltd");
    assert!(w.text.contains("Hello Ama Mensah"), "{}", w.text);
    assert!(w.mentions(&format!("{base}/account")));
    assert!(w.mentions(&format!("{base}/login")));
    assert!(
        w.mentions("welcome@example.com"),
        "logs in with this address"
    );
    assert!(!w.mentions(PASSWORD));

    // Signing up again with the address is not a new client: no welcome.
    let res = app
        .post_json(
            "/api/v1/auth/signup",
            json!({"email": c.email, "password": "another long passphrase", "first_name": "Ama",
                   "last_name": "Mensah", "country": "GH"}),
        )
        .await;
    assert_eq!(res.status(), 202);
    assert_eq!(outbox(&app, "welcome", &c.email).len(), 1);
    assert_eq!(outbox(&app, "signup_existing", &c.email).len(), 1);
}

#[tokio::test]
async fn the_activation_email_gives_the_access_details_and_never_a_password() {
    let h = Hosting::start().await;
    let c = h.app.customer("live@example.com").await;
    let id = h.buy(&c, &h.cpanel, "example.com").await;
    assert_eq!(h.status(id).await, "active");
    let base = h.app.state.config.base_url();

    let activated = outbox(&h.app, "service_activated", &c.email);
    assert_eq!(activated.len(), 1);
    let m = &activated[0];
    assert_eq!(m.subject, "Your cPanel Gold is active");
    for part in [&m.text, &m.html] {
        assert!(part.contains("examplec"), "the user name: {part}");
        assert!(part.contains(SERVER_HOSTNAME), "the server: {part}");
        assert!(part.contains("example.com"), "the domain: {part}");
        assert!(
            part.contains(&format!("{base}/account/services/{id}")),
            "the service page: {part}"
        );
    }
    let created = h.whm.calls()[0].clone();
    assert_eq!(created.function, "createacct");
    assert!(!m.mentions(&created.params["password"]), "no password");

    // A manual service has no account on a server: no access details.
    let manual = h.buy(&c, "starter", "manual.example").await;
    let activated = outbox(&h.app, "service_activated", &c.email);
    assert_eq!(activated.len(), 2);
    let m = &activated[1];
    assert!(m.mentions(&format!("{base}/account/services/{manual}")));
    assert!(!m.mentions("Username") && !m.mentions(SERVER_HOSTNAME));
}

#[tokio::test]
async fn a_cancellation_is_confirmed_once_saying_what_happens_and_when() {
    let h = Hosting::start().await;
    let app = &h.app;
    let c = app.customer("leaving@example.com").await;
    let later = h.buy(&c, "starter", "later.example").await;
    let now = h.buy(&c, "starter", "now.example").await;
    let base = app.state.config.base_url();

    // At the end of the period: the day it ends.
    assert_eq!(
        cancel(app, &c, later, "end_of_billing_period")
            .await
            .status(),
        200
    );
    let confirmed = outbox(app, "cancellation_confirmed", &c.email);
    assert_eq!(confirmed.len(), 1);
    let m = &confirmed[0];
    assert_eq!(m.subject, "Cancellation confirmed: Starter");
    assert!(m.text.contains("later.example"), "{}", m.text);
    assert!(m.text.contains("ends on 2026-02-15"), "{}", m.text);
    assert!(m.mentions(&format!("{base}/account/services/{later}")));
    assert_eq!(cancellation_notifications(app, &c), 1);

    // Asking again changes nothing and sends nothing.
    assert_eq!(cancel(app, &c, later, "immediate").await.status(), 409);
    assert_eq!(
        cancel(app, &c, later, "end_of_billing_period")
            .await
            .status(),
        409
    );
    assert_eq!(outbox(app, "cancellation_confirmed", &c.email).len(), 1);

    // Immediately, from the service page: cancelled now.
    let mut b = Browser::new(app);
    b.login(&c.email, PASSWORD).await;
    let page = b.get(&format!("/account/services/{now}")).await;
    let res = b
        .post(
            &format!("/account/services/{now}/cancel"),
            &[("csrf", &page.csrf()), ("cancellation_type", "immediate")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let confirmed = outbox(app, "cancellation_confirmed", &c.email);
    assert_eq!(confirmed.len(), 2);
    let m = &confirmed[1];
    assert!(m.text.contains("now.example"));
    assert!(m.text.contains("It is cancelled now"), "{}", m.text);
    assert!(!m.text.contains("ends on"));
    assert_eq!(cancellation_notifications(app, &c), 2);

    // When the dunning job ends the first with its period, nothing more
    // is confirmed.
    app.clock.set("2026-02-15T00:00:01Z".parse().unwrap());
    let brand = till::service::email::Branding::from_config(&app.state.config);
    till::service::automation::dunning::run(&app.state.db, &brand, app.clock.now()).unwrap();
    till::service::automation::dunning::run(&app.state.db, &brand, app.clock.now()).unwrap();
    assert_eq!(h.status(later).await, "cancelled");
    assert_eq!(outbox(app, "cancellation_confirmed", &c.email).len(), 2);
    assert_eq!(cancellation_notifications(app, &c), 2);
}

#[tokio::test]
async fn staff_cancelling_a_service_confirms_it_to_the_client_once() {
    let h = Hosting::start().await;
    let app = &h.app;
    let c = app.customer("staff-cancel@example.com").await;
    let id = h.buy(&c, "starter", "staff.example").await;
    let key = app.staff_key(&["clients:read", "services:read", "services:write"]);
    let url = app.url(&format!(
        "/api/v1/clients/{}/hosting/{id}/cancel",
        c.client_id
    ));
    let ask = || {
        app.http
            .post(&url)
            .bearer_auth(&key)
            .json(&json!({"cancellation_type": "immediate"}))
            .send()
    };

    json_with_status(ask().await.unwrap(), 200).await;
    assert_eq!(ask().await.unwrap().status(), 409);
    let confirmed = outbox(app, "cancellation_confirmed", &c.email);
    assert_eq!(confirmed.len(), 1);
    assert!(confirmed[0].text.contains("It is cancelled now"));
    assert_eq!(cancellation_notifications(app, &c), 1);
}

#[tokio::test]
async fn a_renewal_and_its_reminders_reach_the_portal_as_well_as_the_inbox() {
    use crate::support::{at, renewals::run_jobs};
    let app = TestApp::with_catalog();
    let c = app.customer("portal@example.com").await;
    let placed = app
        .place_order(&c, "o-1", json!({"items": [{"package_id": "starter", "billing_cycle": "monthly", "domain": "shop.example"}]}))
        .await;
    let staff = app.staff_key(&["billing:write"]);
    let invoice = placed["invoice"]["id"].as_i64().unwrap();
    assert_eq!(
        app.staff_pay(&staff, invoice, "4.99", "T-1").await.status(),
        200
    );
    let before = notification_kinds(&app, &c).len();
    // Invoiced 14 days ahead, reminded 7 days ahead, overdue a day after.
    for (day, kind, template) in [
        ("2026-02-01", "invoice_created", "invoice_created"),
        ("2026-02-08", "payment_reminder", "payment_reminder"),
        ("2026-02-16", "overdue_notice", "overdue_notice"),
    ] {
        app.clock.set(at(day));
        run_jobs(&app).await;
        run_jobs(&app).await;
        let kinds = notification_kinds(&app, &c);
        assert_eq!(
            kinds[before..].iter().filter(|k| *k == kind).count(),
            1,
            "{day}: {kinds:?}"
        );
        assert_eq!(outbox(&app, template, &c.email).len(), 1, "{day}");
    }
}
