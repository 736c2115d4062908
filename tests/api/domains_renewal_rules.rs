//! The rules of a domain renewal, one at a time: through LogicBoxes (the
//! order, its current expiry and the term sent), a renewal the registry
//! already made is not made again, the manual registrar's paid renewal is
//! the customer's and a staff to-do, stopping auto-renew cancels the open
//! renewal invoice, a cancelled renewal invoice is billed afresh, and the
//! settings are checked.

use jiff::{Span, civil::Date};
use serde_json::{Value, json};

use crate::support::{
    Customer, TestApp, at,
    fakes::{FakeEpp, FakeLogicBoxes},
    json_with_status, money,
};

pub(crate) const USER: &str = "till-rules";
pub(crate) const PASSWORD: &str = "s3cret-RULES";

pub(crate) fn staff(app: &TestApp) -> String {
    app.staff_key(&[
        "servers:write",
        "services:read",
        "services:write",
        "billing:write",
        "billing:read",
        "clients:read",
    ])
}

pub(crate) async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    key: &str,
    body: Value,
) -> (u16, Value) {
    let res = app
        .http
        .request(method.parse().unwrap(), app.url(path))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn ok(app: &TestApp, method: &str, path: &str, key: &str, body: Value) -> Value {
    let (status, body) = call(app, method, path, key, body).await;
    assert!(status < 300, "{method} {path}: {status} {body}");
    body
}

/// A registrar for `tld` with `settings`.
pub(crate) async fn registrar_for(
    app: &TestApp,
    key: &str,
    tld: &str,
    module: &str,
    settings: Value,
) {
    let created = ok(
        app,
        "POST",
        "/api/v1/registrars",
        key,
        json!({"name": format!("{module} for {tld}"), "module": module, "settings": settings}),
    )
    .await;
    let id = created["data"]["id"].as_i64().unwrap();
    ok(
        app,
        "PUT",
        &format!("/api/v1/tld-registrars/{tld}"),
        key,
        json!({"registrar_id": id}),
    )
    .await;
}

/// An app whose registrations go out with nameservers (LogicBoxes wants
/// them), with the sample catalog.
pub(crate) fn app_with_nameservers() -> TestApp {
    let app = TestApp::builder()
        .config(|c| {
            c.domains.default_nameservers = vec![
                "ns1.till-host.example".into(),
                "ns2.till-host.example".into(),
            ]
        })
        .spawn();
    app.install_catalog();
    app
}

/// An EPP fake registry, made the registrar of `tld`.
pub(crate) async fn epp_registrar(app: &TestApp, key: &str, tld: &str) -> FakeEpp {
    let fake = FakeEpp::start(USER, PASSWORD);
    registrar_for(
        app,
        key,
        tld,
        "epp",
        json!({"host": fake.host, "port": fake.port, "username": USER, "password": PASSWORD,
            "ca_pem": fake.ca_pem, "timeout_secs": 5}),
    )
    .await;
    fake
}

/// A LogicBoxes fake, made the registrar of `tld`.
pub(crate) async fn logicboxes_registrar(app: &TestApp, key: &str, tld: &str) -> FakeLogicBoxes {
    let fake = FakeLogicBoxes::start("4242", "lb-KEY");
    registrar_for(
        app,
        key,
        tld,
        "logicboxes",
        json!({"base_url": fake.url, "auth_userid": "4242", "api_key": "lb-KEY", "timeout_secs": 5}),
    )
    .await;
    fake
}

pub(crate) async fn pay_all(app: &TestApp, key: &str) -> usize {
    let unpaid = app.invoices(Some("unpaid")).await;
    for i in &unpaid {
        let id = i["id"].as_i64().unwrap();
        let due = i["balance_due"]["amount_minor"].as_i64().unwrap();
        let res = app
            .staff_pay(key, id, &money(due), &format!("R-{id}"))
            .await;
        assert_eq!(res.status(), 200);
    }
    unpaid.len()
}

pub(crate) async fn renewals_job(app: &TestApp) {
    till::jobs::domain_renewals::run(app.state.clone(), app.state.now())
        .await
        .unwrap();
}

pub(crate) async fn registrar_job(app: &TestApp) {
    till::jobs::registrar_tasks::run(app.state.clone(), app.state.now())
        .await
        .unwrap();
}

/// Order and pay `name` for a year, and let the registrar run; answers
/// the domain's id.
pub(crate) async fn registered(app: &TestApp, c: &Customer, key: &str, name: &str) -> i64 {
    app.place_order(
        c,
        &format!("order-{name}"),
        json!({"items": [{"type": "domain", "domain": name, "domain_option": "register", "years": 1}]}),
    )
    .await;
    pay_all(app, key).await;
    registrar_job(app).await;
    staff_domains(app, key)
        .await
        .into_iter()
        .find(|d| d["domain_name"] == name)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn staff_domains(app: &TestApp, key: &str) -> Vec<Value> {
    json_with_status(app.get_auth("/api/v1/domains", key).await, 200).await["data"]
        .as_array()
        .unwrap()
        .clone()
}

pub(crate) async fn staff_domain(app: &TestApp, key: &str, id: i64) -> Value {
    json_with_status(
        app.get_auth(&format!("/api/v1/domains/{id}"), key).await,
        200,
    )
    .await
}

fn expiry_of(d: &Value) -> Date {
    d["data"]["expiry_date"].as_str().unwrap().parse().unwrap()
}

/// Travel to `days` before the domain's expiry.
pub(crate) fn days_before(app: &TestApp, expiry: Date, days: i64) {
    let day = expiry.checked_add(Span::new().days(-days)).unwrap();
    app.clock.set(at(&day.to_string()));
}

fn one_year(d: Date) -> Date {
    d.checked_add(Span::new().years(1)).unwrap()
}

#[tokio::test]
async fn a_paid_renewal_through_logicboxes_names_the_order_its_expiry_and_the_term() {
    // A domain ordered alone is registered with the configured nameservers.
    let app = app_with_nameservers();
    let key = staff(&app);
    let fake = logicboxes_registrar(&app, &key, "net").await;
    let c = app.customer("lb-renew@example.com").await;
    let id = registered(&app, &c, &key, "renews-at-lb.net").await;
    let d = staff_domain(&app, &key, id).await;
    assert_eq!(d["data"]["status"], "active", "{d}");
    let e0 = expiry_of(&d);
    let registered_with = fake.order("renews-at-lb.net").unwrap().ns;
    assert_eq!(
        registered_with,
        ["ns1.till-host.example", "ns2.till-host.example"]
    );

    days_before(&app, e0, 30);
    renewals_job(&app).await;
    assert_eq!(pay_all(&app, &key).await, 1);
    registrar_job(&app).await;

    let renews = fake.calls_to("domains/renew.json");
    assert_eq!(renews.len(), 1);
    let order = fake.order("renews-at-lb.net").unwrap();
    assert_eq!(
        renews[0].param("order-id"),
        Some(order.id.to_string().as_str())
    );
    assert_eq!(renews[0].param("years"), Some("1"));
    let before = renews[0].param("exp-date").unwrap().parse::<i64>().unwrap();
    assert_eq!(
        jiff::Timestamp::from_second(before)
            .unwrap()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date(),
        e0
    );
    let after = staff_domain(&app, &key, id).await;
    assert_eq!(expiry_of(&after), one_year(e0));
    assert_eq!(
        after["data"]["next_due_date"],
        one_year(e0).to_string().as_str()
    );
    // The job again renews nothing more.
    registrar_job(&app).await;
    assert_eq!(fake.calls_to("domains/renew.json").len(), 1);
}

#[tokio::test]
async fn a_renewal_the_registry_already_made_is_not_made_twice() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let fake = epp_registrar(&app, &key, "com").await;
    let c = app.customer("lost-answer@example.com").await;
    let id = registered(&app, &c, &key, "lost-answer.com").await;
    let e0 = expiry_of(&staff_domain(&app, &key, id).await);
    days_before(&app, e0, 30);
    renewals_job(&app).await;
    pay_all(&app, &key).await;
    // An earlier attempt renewed it at the registry, but its answer never
    // came back: the registry already says a year later.
    let e1 = one_year(e0);
    fake.add_domain("lost-answer.com", USER, &format!("{e1}T12:00:00Z"), "code");
    registrar_job(&app).await;
    assert!(fake.requests_with("<domain:renew").is_empty());
    assert_eq!(expiry_of(&staff_domain(&app, &key, id).await), e1);
}

#[tokio::test]
async fn with_the_manual_registrar_a_paid_renewal_is_the_customers_and_a_staff_todo() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let c = app.customer("manual-renew@example.com").await;
    let id = registered(&app, &c, &key, "by-hand.org").await;
    ok(
        &app,
        "POST",
        &format!("/api/v1/domains/{id}/registered"),
        &key,
        json!({"expiry_date": "2027-03-01"}),
    )
    .await;
    let e0: Date = "2027-03-01".parse().unwrap();
    days_before(&app, e0, 30);
    renewals_job(&app).await;
    assert_eq!(pay_all(&app, &key).await, 1);
    registrar_job(&app).await;
    let d = staff_domain(&app, &key, id).await;
    assert_eq!(expiry_of(&d), one_year(e0));
    let renew = d["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["action"] == "renew")
        .cloned()
        .unwrap();
    assert_eq!(renew["status"], "done");
    let auditor = app.staff_key(&["audit:read"]);
    let todo = ok(
        &app,
        "GET",
        &format!("/api/v1/audit-log?action=domain.manual_task&subject_type=domain&subject_id={id}"),
        &auditor,
        json!({}),
    )
    .await;
    let todos = todo["data"].as_array().unwrap();
    assert!(
        todos.iter().any(|t| t["details"]["action"] == "renew"),
        "a to-do for staff: {todo}"
    );
}

#[tokio::test]
async fn stopping_auto_renew_cancels_the_open_renewal_invoice_and_bills_nothing_more() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let c = app.customer("stop-renew@example.com").await;
    let id = registered(&app, &c, &key, "stop-me.org").await;
    ok(
        &app,
        "POST",
        &format!("/api/v1/domains/{id}/registered"),
        &key,
        json!({"expiry_date": "2027-03-01"}),
    )
    .await;
    days_before(&app, "2027-03-01".parse().unwrap(), 20);
    renewals_job(&app).await;
    let open = app.invoices(Some("unpaid")).await;
    assert_eq!(open.len(), 1);
    let c = app.login(&c.email, &c.password).await;
    ok(
        &app,
        "POST",
        &format!("/api/v1/clients/{}/domains/{id}/cancel", c.client_id),
        &c.access,
        json!({"cancel_type": "end_of_term"}),
    )
    .await;
    assert!(app.invoices(Some("unpaid")).await.is_empty());
    assert_eq!(app.invoices(Some("cancelled")).await.len(), 1);
    renewals_job(&app).await;
    assert!(app.invoices(Some("unpaid")).await.is_empty());
}

#[tokio::test]
async fn a_renewal_invoice_cancelled_by_staff_is_billed_afresh_and_once() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let c = app.customer("afresh@example.com").await;
    let id = registered(&app, &c, &key, "afresh.org").await;
    ok(
        &app,
        "POST",
        &format!("/api/v1/domains/{id}/registered"),
        &key,
        json!({"expiry_date": "2027-03-01"}),
    )
    .await;
    days_before(&app, "2027-03-01".parse().unwrap(), 25);
    renewals_job(&app).await;
    let first = app.invoices(Some("unpaid")).await[0]["id"]
        .as_i64()
        .unwrap();
    ok(
        &app,
        "POST",
        &format!("/api/v1/invoices/{first}/cancel"),
        &key,
        json!({}),
    )
    .await;
    renewals_job(&app).await;
    renewals_job(&app).await;
    let again = app.invoices(Some("unpaid")).await;
    assert_eq!(again.len(), 1);
    assert_ne!(again[0]["id"].as_i64().unwrap(), first);
}

#[tokio::test]
async fn domain_renewal_settings_are_checked() {
    let app = TestApp::spawn();
    let key = staff(&app);
    let current = ok(&app, "GET", "/api/v1/automation-settings", &key, json!({})).await;
    let mut s = current["data"].clone();
    assert_eq!(s["domain_invoice_days_before"], 30);
    assert_eq!(s["domain_reminder_days"], json!([30, 7, 1]));
    s["domain_reminder_days"] = json!([0, 7]);
    s["domain_invoice_days_before"] = json!(400);
    let (status, body) = call(&app, "PUT", "/api/v1/automation-settings", &key, s.clone()).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["errors"]["domain_reminder_days"].is_array(), "{body}");
    assert!(
        body["errors"]["domain_invoice_days_before"].is_array(),
        "{body}"
    );
    s["domain_reminder_days"] = json!([1, 14, 60]);
    s["domain_invoice_days_before"] = json!(45);
    let saved = ok(&app, "PUT", "/api/v1/automation-settings", &key, s).await;
    assert_eq!(saved["data"]["domain_reminder_days"], json!([60, 14, 1]));
}
