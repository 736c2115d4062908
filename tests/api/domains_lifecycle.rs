//! A domain from order to registry: staff set up a registrar (its settings
//! sealed, never shown back) and map a TLD to it; a paid registration
//! becomes one durable registrar task that registers the name once at the
//! registry (a real EPP conversation with the local fake), and the domain
//! turns active with the registry's expiry. A registrar outage is retried,
//! then failed for staff to retry; the manual registrar leaves staff a
//! to-do. Every client domain route is the client's own.

use serde_json::{Value, json};

use crate::support::{Customer, TestApp, fakes::FakeEpp, fakes::epp::Mode, json_with_status};

pub(crate) const USER: &str = "till-reg";
pub(crate) const PASSWORD: &str = "s3cret-EPP";

pub(crate) async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    key: &str,
    body: Value,
) -> reqwest::Response {
    app.http
        .request(method.parse().unwrap(), app.url(path))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap()
}

pub(crate) fn staff(app: &TestApp) -> String {
    app.staff_key(&[
        "servers:write",
        "services:read",
        "services:write",
        "billing:write",
        "clients:read",
    ])
}

/// An EPP registrar for `.com`; answers its id.
pub(crate) async fn epp_for_com(app: &TestApp, key: &str, fake: &FakeEpp) -> i64 {
    let created = json_with_status(
        send(
            app,
            "POST",
            "/api/v1/registrars",
            key,
            json!({
                "name": "Test registry", "module": "epp",
                "settings": {"host": fake.host, "port": fake.port, "username": USER,
                    "password": PASSWORD, "ca_pem": fake.ca_pem, "timeout_secs": 5}
            }),
        )
        .await,
        201,
    )
    .await;
    let id = created["data"]["id"].as_i64().unwrap();
    json_with_status(
        send(
            app,
            "PUT",
            "/api/v1/tld-registrars/com",
            key,
            json!({"registrar_id": id}),
        )
        .await,
        200,
    )
    .await;
    id
}

/// Order `name` for one year and pay for it; answers the domain's id.
pub(crate) async fn paid_registration(app: &TestApp, c: &Customer, key: &str, name: &str) -> i64 {
    let placed = app
        .place_order(
            c,
            &format!("order-{name}"),
            json!({"items": [
            {"type": "domain", "domain": name, "domain_option": "register", "years": 1}]}),
        )
        .await;
    let invoice = placed["invoice"]["id"].as_i64().unwrap();
    let total = placed["invoice"]["total"]["amount_minor"].as_i64().unwrap();
    let paid = app
        .staff_pay(
            key,
            invoice,
            &crate::support::money(total),
            &format!("T-{name}"),
        )
        .await;
    assert_eq!(paid.status(), 200);
    let domains = client_domains(app, c).await;
    domains["data"][0]["id"].as_i64().unwrap()
}

async fn client_domains(app: &TestApp, c: &Customer) -> Value {
    json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/domains", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await
}

pub(crate) async fn run_registrar_tasks(app: &TestApp) -> u64 {
    till::jobs::registrar_tasks::run(app.state.clone(), app.state.now())
        .await
        .unwrap()
}

pub(crate) async fn staff_domain(app: &TestApp, key: &str, id: i64) -> Value {
    json_with_status(
        app.get_auth(&format!("/api/v1/domains/{id}"), key).await,
        200,
    )
    .await
}

#[tokio::test]
async fn a_paid_registration_is_registered_at_the_registry_once_and_turns_active() {
    let app = TestApp::with_catalog();
    let fake = FakeEpp::start(USER, PASSWORD);
    let key = staff(&app);
    epp_for_com(&app, &key, &fake).await;
    let c = app.customer("domains@example.com").await;
    let id = paid_registration(&app, &c, &key, "till-example.com").await;

    let before = client_domains(&app, &c).await;
    assert_eq!(before["data"][0]["status"], "pending");
    assert_eq!(before["data"][0]["domain_name"], "till-example.com");

    assert_eq!(run_registrar_tasks(&app).await, 1);
    assert!(
        fake.domain("till-example.com").is_some(),
        "registered at the registry"
    );
    let creates = fake.requests_with("<domain:create");
    assert_eq!(creates.len(), 1);
    assert!(
        creates[0].contains("<domain:period unit=\"y\">1</domain:period>"),
        "{}",
        creates[0]
    );

    let d = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/domains/{id}", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(d["data"]["status"], "active");
    let expiry = d["data"]["expiry_date"].as_str().unwrap().to_string();
    let today = app.state.now().to_zoned(jiff::tz::TimeZone::UTC).date();
    assert_eq!(
        expiry[..4].parse::<i16>().unwrap(),
        today.year() + 1,
        "{expiry}"
    );
    assert_eq!(d["data"]["next_due_date"], expiry.as_str());
    assert_eq!(d["data"]["auto_renew"], true);

    // Running again, or paying again, asks nothing more of the registry.
    assert_eq!(run_registrar_tasks(&app).await, 0);
    assert_eq!(fake.requests_with("<domain:create").len(), 1);
    let tasks = staff_domain(&app, &key, id).await["tasks"].clone();
    assert_eq!(tasks.as_array().unwrap().len(), 1);
    assert_eq!(tasks[0]["status"], "done");
}

#[tokio::test]
async fn a_registrar_outage_is_retried_then_failed_and_a_staff_retry_registers_once() {
    let app = TestApp::with_catalog();
    let fake = FakeEpp::start(USER, PASSWORD);
    let key = staff(&app);
    epp_for_com(&app, &key, &fake).await;
    let c = app.customer("outage@example.com").await;
    let id = paid_registration(&app, &c, &key, "outage-example.com").await;

    fake.set_mode(Mode::DropConnections);
    // Six attempts, each after its backoff (1, 5, 30, 120, 360 minutes).
    for _ in 0..6 {
        run_registrar_tasks(&app).await;
        app.clock.advance(jiff::SignedDuration::from_hours(7));
    }
    let seen = staff_domain(&app, &key, id).await;
    let task = &seen["tasks"][0];
    assert_eq!(task["status"], "failed", "{seen}");
    assert_eq!(task["attempts"], 6);
    assert!(
        task["last_error"].as_str().unwrap().contains("unavailable"),
        "{task}"
    );
    assert_eq!(seen["data"]["status"], "pending");
    assert!(fake.domain("outage-example.com").is_none());

    fake.set_mode(Mode::Normal);
    let task_id = task["id"].as_i64().unwrap();
    let retried = json_with_status(
        send(
            &app,
            "POST",
            &format!("/api/v1/registrar-tasks/{task_id}/retry"),
            &key,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(retried["data"]["status"], "queued");
    assert_eq!(run_registrar_tasks(&app).await, 1);
    assert_eq!(
        fake.requests_with("<domain:create").len(),
        1,
        "one registration in the end"
    );
    assert_eq!(
        staff_domain(&app, &key, id).await["data"]["status"],
        "active"
    );
    // Retrying a task that is not failed is a conflict.
    let again = send(
        &app,
        "POST",
        &format!("/api/v1/registrar-tasks/{task_id}/retry"),
        &key,
        json!({}),
    )
    .await;
    assert_eq!(again.status(), 409);
}

#[tokio::test]
async fn without_a_registrar_a_paid_domain_is_a_staff_todo_until_marked_registered() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let c = app.customer("manual@example.com").await;
    let id = paid_registration(&app, &c, &key, "by-hand.com").await;
    run_registrar_tasks(&app).await;
    let seen = staff_domain(&app, &key, id).await;
    assert_eq!(seen["data"]["status"], "pending");
    assert_eq!(seen["tasks"][0]["status"], "done");
    assert!(
        seen["tasks"][0]["last_error"]
            .as_str()
            .unwrap()
            .contains("staff to-do"),
        "{seen}"
    );

    let bad = send(
        &app,
        "POST",
        &format!("/api/v1/domains/{id}/registered"),
        &key,
        json!({"expiry_date": "2001-01-01"}),
    )
    .await;
    assert_eq!(bad.status(), 422);
    let marked = json_with_status(
        send(
            &app,
            "POST",
            &format!("/api/v1/domains/{id}/registered"),
            &key,
            json!({"expiry_date": "2099-05-01"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(marked["data"]["status"], "active");
    assert_eq!(marked["data"]["expiry_date"], "2099-05-01");
    let twice = send(
        &app,
        "POST",
        &format!("/api/v1/domains/{id}/registered"),
        &key,
        json!({}),
    )
    .await;
    assert_eq!(twice.status(), 409);
}

#[tokio::test]
async fn registrar_settings_are_checked_and_never_shown_back() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let bad = send(
        &app,
        "POST",
        "/api/v1/registrars",
        &key,
        json!({
            "name": "Broken", "module": "epp", "settings": {"host": "epp.example.net"}
        }),
    )
    .await;
    let body = json_with_status(bad, 422).await;
    assert!(body["errors"]["settings"].is_array(), "{body}");
    let unknown = send(
        &app,
        "POST",
        "/api/v1/registrars",
        &key,
        json!({"name": "X", "module": "ftp"}),
    )
    .await;
    assert_eq!(unknown.status(), 422);

    let fake = FakeEpp::start(USER, PASSWORD);
    epp_for_com(&app, &key, &fake).await;
    let list = app
        .get_auth("/api/v1/registrars", &key)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !list.contains(PASSWORD) && !list.contains("ca_pem"),
        "{list}"
    );
    let reader = app.staff_key(&["services:read"]);
    let denied = send(
        &app,
        "POST",
        "/api/v1/registrars",
        &reader,
        json!({"name": "Y", "module": "manual"}),
    )
    .await;
    assert_eq!(denied.status(), 403);
}

#[tokio::test]
async fn another_clients_domain_is_a_404_on_every_route() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let owner = app.customer("owner@example.com").await;
    let id = paid_registration(&app, &owner, &key, "mine-only.com").await;
    json_with_status(
        send(
            &app,
            "POST",
            &format!("/api/v1/domains/{id}/registered"),
            &key,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    let stranger = app.customer("stranger@example.com").await;
    let theirs = format!("/api/v1/clients/{}/domains/{id}", stranger.client_id);
    let owners = format!("/api/v1/clients/{}/domains/{id}", owner.client_id);
    for path in [&theirs, &owners] {
        assert_eq!(
            app.get_auth(path, &stranger.access).await.status(),
            404,
            "{path}"
        );
        let ns = send(
            &app,
            "PUT",
            &format!("{path}/nameservers"),
            &stranger.access,
            json!({"nameservers": ["ns1.evil.test", "ns2.evil.test"]}),
        )
        .await;
        assert_eq!(ns.status(), 404, "{path}");
    }
    assert_eq!(
        app.get_auth(
            &format!("/api/v1/clients/{}/domains", owner.client_id),
            &stranger.access
        )
        .await
        .status(),
        404
    );
    assert!(
        client_domains(&app, &stranger).await["data"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn new_nameservers_are_checked_kept_and_sent_to_the_registrar() {
    let app = TestApp::with_catalog();
    let fake = FakeEpp::start(USER, PASSWORD);
    let key = staff(&app);
    epp_for_com(&app, &key, &fake).await;
    let c = app.customer("ns@example.com").await;
    let id = paid_registration(&app, &c, &key, "ns-example.com").await;
    run_registrar_tasks(&app).await;
    let path = format!("/api/v1/clients/{}/domains/{id}/nameservers", c.client_id);
    for bad in [
        json!(["ns1.only.test"]),
        json!(["ns1.a.test", "not a host"]),
        json!(["ns1.a.test", "ns1.a.test"]),
    ] {
        let res = send(&app, "PUT", &path, &c.access, json!({"nameservers": bad})).await;
        assert_eq!(res.status(), 422, "{bad}");
    }
    fake.add_host("ns1.host.test");
    fake.add_host("ns2.host.test");
    let ok = json_with_status(
        send(
            &app,
            "PUT",
            &path,
            &c.access,
            json!({"nameservers": ["NS1.host.test", "ns2.host.test."]}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        ok["data"]["nameservers"],
        json!(["ns1.host.test", "ns2.host.test"])
    );
    assert_eq!(run_registrar_tasks(&app).await, 1);
    let updates = fake.requests_with("<domain:update");
    assert!(
        updates.iter().any(|u| u.contains("ns1.host.test")),
        "{updates:?}"
    );
}

#[tokio::test]
async fn a_cancelled_domain_keeps_its_term_and_is_not_renewed() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let c = app.customer("cancel@example.com").await;
    let id = paid_registration(&app, &c, &key, "short-lived.com").await;
    let path = format!("/api/v1/clients/{}/domains/{id}/cancel", c.client_id);
    // Not registered yet: nothing to stop.
    assert_eq!(
        send(&app, "POST", &path, &c.access, json!({}))
            .await
            .status(),
        409
    );
    json_with_status(
        send(
            &app,
            "POST",
            &format!("/api/v1/domains/{id}/registered"),
            &key,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    let before = client_domains(&app, &c).await["data"][0].clone();
    let body = json_with_status(send(&app, "POST", &path, &c.access, json!({})).await, 200).await;
    assert_eq!(body["success"], true);
    assert_eq!(body["data"]["auto_renew"], false);
    assert_eq!(body["data"]["status"], "active");
    assert_eq!(body["data"]["expiry_date"], before["expiry_date"]);
    let stranger = app.customer("not-yours@example.com").await;
    let theirs = format!("/api/v1/clients/{}/domains/{id}/cancel", stranger.client_id);
    assert_eq!(
        send(&app, "POST", &theirs, &stranger.access, json!({}))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn the_sync_takes_the_registrys_expiry_and_nameservers_and_survives_an_outage() {
    let app = TestApp::with_catalog();
    let fake = FakeEpp::start(USER, PASSWORD);
    let key = staff(&app);
    epp_for_com(&app, &key, &fake).await;
    let c = app.customer("sync@example.com").await;
    let id = paid_registration(&app, &c, &key, "synced-example.com").await;
    run_registrar_tasks(&app).await;
    let sync = |app: &TestApp| {
        let (state, now) = (app.state.clone(), app.state.now());
        async move { till::jobs::domain_sync::run(state, now).await.unwrap() }
    };
    // Just registered: not due for a day.
    assert_eq!(sync(&app).await, 0);

    // The registry now says otherwise (renewed there, say).
    fake.add_domain("synced-example.com", USER, "2031-06-01T00:00:00Z", "code-1");
    app.clock.advance(jiff::SignedDuration::from_hours(25));
    assert_eq!(sync(&app).await, 1);
    let d = staff_domain(&app, &key, id).await;
    assert_eq!(d["data"]["expiry_date"], "2031-06-01", "{d}");
    assert_eq!(sync(&app).await, 0, "asked once a day");

    // A registrar that is down is asked again the next day; nothing breaks.
    fake.set_mode(Mode::DropConnections);
    app.clock.advance(jiff::SignedDuration::from_hours(25));
    assert_eq!(sync(&app).await, 1);
    assert_eq!(
        staff_domain(&app, &key, id).await["data"]["expiry_date"],
        "2031-06-01"
    );
    assert_eq!(sync(&app).await, 0);
}

#[tokio::test]
async fn after_a_master_key_reset_a_registrar_waits_disabled_for_its_settings_again() {
    let app = TestApp::with_catalog();
    let fake = FakeEpp::start(USER, PASSWORD);
    let key = staff(&app);
    let id = epp_for_com(&app, &key, &fake).await;
    let config = &app.state.config;
    let reset = till::service::accounts::master_key::reset(
        &app.state.db,
        &config.master_key_path(),
        &config.data_dir.join("old-master.key"),
        app.state.now(),
    )
    .unwrap();
    assert_eq!(reset.registrar_settings, 1);
    let list = json_with_status(app.get_auth("/api/v1/registrars", &key).await, 200).await;
    assert_eq!(list["data"][0]["enabled"], false);
    // Its settings cannot be kept: they open no more.
    let path = format!("/api/v1/registrars/{id}");
    let kept = send(
        &app,
        "PUT",
        &path,
        &key,
        json!({"name": "Test registry", "module": "epp"}),
    )
    .await;
    let body = json_with_status(kept, 422).await;
    assert!(body["errors"]["settings"].is_array(), "{body}");
}

#[tokio::test]
async fn reference_000s_own_example_bodies_for_nameservers_and_cancel_are_accepted() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let c = app.customer("reference@example.com").await;
    let id = paid_registration(&app, &c, &key, "reference-example.com").await;
    json_with_status(
        send(
            &app,
            "POST",
            &format!("/api/v1/domains/{id}/registered"),
            &key,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    let base = format!("/api/v1/clients/{}/domains/{id}", c.client_id);
    let ns = send(
        &app,
        "PUT",
        &format!("{base}/nameservers"),
        &c.access,
        json!({"nameserver_type": "custom", "nameservers": ["ns1.example.com", "ns2.example.com"]}),
    )
    .await;
    let ns = json_with_status(ns, 200).await;
    assert_eq!(
        ns["data"]["nameservers"],
        json!(["ns1.example.com", "ns2.example.com"])
    );
    let odd = send(
        &app,
        "PUT",
        &format!("{base}/nameservers"),
        &c.access,
        json!({"nameserver_type": "parked", "nameservers": ["ns1.example.com", "ns2.example.com"]}),
    )
    .await;
    assert_eq!(odd.status(), 422);
    let now = send(
        &app,
        "POST",
        &format!("{base}/cancel"),
        &c.access,
        json!({"cancel_type": "immediate"}),
    )
    .await;
    assert_eq!(now.status(), 422);
    let cancelled = send(
        &app,
        "POST",
        &format!("{base}/cancel"),
        &c.access,
        json!({"cancel_type": "end_of_term", "reason": "No longer needed"}),
    )
    .await;
    assert_eq!(
        json_with_status(cancelled, 200).await["data"]["auto_renew"],
        false
    );
}
