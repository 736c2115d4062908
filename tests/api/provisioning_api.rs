//! Provisioning: servers with sealed credentials, placement on the
//! least-full server, the module task worker (retries, backoff, a failed
//! state that never unpays an invoice), the cPanel/WHM module against a
//! local fake WHM, and the webhook module's signature checked by an
//! independent HMAC.

use jiff::SignedDuration;
use serde_json::{Value, json};

use crate::support::{
    TestApp,
    fakes::{self, FakeWhm, hmac_sha256_hex, receiver},
    ok,
    provisioning::{TOKEN, buy, group, product, service, setup, whm_server, work},
    sql, staff_send,
};

/// Wait (on the app's own worker, without running it here) until `check`
/// holds for the service.
async fn until_service(app: &TestApp, key: &str, id: i64, check: impl Fn(&Value) -> bool) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let s = service(app, key, id).await;
        if check(&s) {
            return s;
        }
        assert!(std::time::Instant::now() < deadline, "never happened: {s}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_paid_cpanel_order_creates_the_account_and_staff_run_its_lifecycle() {
    let (app, key) = setup();
    let whm = FakeWhm::start("root", TOKEN);
    let g = group(&app, &key, "cPanel EU").await;
    let server = whm_server(&app, &key, g, "web1", &whm.url, 10).await;
    let slug = product(
        &app,
        &key,
        "cPanel Gold",
        "cpanel",
        json!({"package": "gold"}),
        json!({"server_group_id": g}),
    )
    .await;
    let c = app.customer("ama@example.com").await;
    let (invoice, id) = buy(&app, &c, &key, &slug, "example.com").await;

    // Paid, and live once the module has created it.
    assert_eq!(work(&app).await, 1);
    let s = service(&app, &key, id).await;
    assert_eq!(s["status"], "active", "{s}");
    assert_eq!(s["username"], "examplec");
    assert_eq!(s["server_id"], server);
    assert!(s["next_due_date"].is_string());
    assert_eq!(s["tasks"][0]["status"], "done");
    let call = &whm.calls()[0];
    assert_eq!(call.function, "createacct");
    assert_eq!(call.params["plan"], "gold");
    assert_eq!(call.params["domain"], "example.com");
    assert_eq!(call.params["username"], "examplec");
    assert!(call.params["password"].len() >= 16);
    assert_eq!(whm.refused_auth(), 0);
    let inv = ok(
        &app,
        "GET",
        &format!("/api/v1/clients/{}/invoices/{invoice}", c.client_id),
        &c.access,
        None,
        200,
    )
    .await;
    assert_eq!(inv["data"]["status"], "paid");
    // The welcome email went out once the service was live.
    let mails = app.deliver_mail().await;
    assert!(mails.iter().any(|m| m.subject.contains("is active")));

    // Suspend, unsuspend, change package, terminate through the staff API.
    let t = ok(
        &app,
        "POST",
        &format!("/api/v1/services/{id}/suspend"),
        &key,
        Some(json!({"reason": "Overdue"})),
        202,
    )
    .await;
    assert_eq!(t["data"]["action"], "suspend");
    work(&app).await;
    assert_eq!(service(&app, &key, id).await["status"], "suspended");
    assert_eq!(
        whm.account("examplec").unwrap().suspended.as_deref(),
        Some("Overdue")
    );
    // A suspended service cannot be suspended again.
    ok(
        &app,
        "POST",
        &format!("/api/v1/services/{id}/suspend"),
        &key,
        None,
        409,
    )
    .await;
    ok(
        &app,
        "POST",
        &format!("/api/v1/services/{id}/unsuspend"),
        &key,
        None,
        202,
    )
    .await;
    work(&app).await;
    assert_eq!(service(&app, &key, id).await["status"], "active");
    assert_eq!(whm.account("examplec").unwrap().suspended, None);
    ok(
        &app,
        "POST",
        &format!("/api/v1/services/{id}/change-package"),
        &key,
        Some(json!({"package": "platinum"})),
        202,
    )
    .await;
    work(&app).await;
    assert_eq!(whm.account("examplec").unwrap().plan, "platinum");

    // Password and single sign-on happen now, not as tasks.
    let res = staff_send(
        &app,
        "POST",
        &format!("/api/v1/services/{id}/password"),
        &key,
        Some(json!({"password": "Another horse battery 42"})),
    )
    .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(
        whm.account("examplec").unwrap().password,
        "Another horse battery 42"
    );
    let login = ok(
        &app,
        "POST",
        &format!("/api/v1/services/{id}/login-url"),
        &key,
        None,
        200,
    )
    .await;
    assert!(
        login["url"].as_str().unwrap().contains("/cpsess"),
        "{login}"
    );
    let sso = whm
        .calls()
        .into_iter()
        .find(|c| c.function == "create_user_session")
        .unwrap();
    assert_eq!(sso.params["user"], "examplec");
    assert_eq!(sso.params["service"], "cpaneld");
    // The customer who owns it may ask too; another customer may not see it.
    let own = ok(
        &app,
        "POST",
        &format!("/api/v1/services/{id}/login-url"),
        &c.access,
        None,
        200,
    )
    .await;
    assert!(own["url"].is_string());
    let other = app.customer("kofi@example.com").await;
    ok(
        &app,
        "POST",
        &format!("/api/v1/services/{id}/login-url"),
        &other.access,
        None,
        404,
    )
    .await;

    ok(
        &app,
        "POST",
        &format!("/api/v1/services/{id}/terminate"),
        &key,
        None,
        202,
    )
    .await;
    work(&app).await;
    assert_eq!(service(&app, &key, id).await["status"], "terminated");
    assert!(whm.account("examplec").is_none());
    assert_eq!(
        whm.functions(),
        [
            "createacct",
            "suspendacct",
            "unsuspendacct",
            "changepackage",
            "passwd",
            "create_user_session",
            "create_user_session",
            "removeacct"
        ]
    );
    // Filtered list.
    let list = ok(
        &app,
        "GET",
        &format!(
            "/api/v1/services?client_id={}&status=terminated",
            c.client_id
        ),
        &key,
        None,
        200,
    )
    .await;
    assert_eq!(list["meta"]["total"], 1);
}

#[tokio::test]
async fn the_worker_is_woken_by_the_payment_that_queues_the_task() {
    // The test clock stands still, so no scheduler tick falls due: only
    // the wake-up of the committed write can run the task.
    let (app, key) = setup();
    let whm = FakeWhm::start("root", TOKEN);
    let g = group(&app, &key, "cPanel EU").await;
    whm_server(&app, &key, g, "web1", &whm.url, 10).await;
    let slug = product(
        &app,
        &key,
        "cPanel Gold",
        "cpanel",
        json!({"package": "gold"}),
        json!({"server_group_id": g}),
    )
    .await;
    let c = app.customer("ama@example.com").await;
    let (_, id) = buy(&app, &c, &key, &slug, "woken.example").await;
    let s = until_service(&app, &key, id, |s| s["status"] == "active").await;
    assert_eq!(s["tasks"][0]["status"], "done");
    assert_eq!(whm.functions(), ["createacct"]);
}

#[tokio::test]
async fn an_unreachable_panel_is_retried_with_backoff_then_failed_and_retried_by_staff() {
    let (app, key) = setup();
    let (listener, url) = fakes::listener();
    drop(listener); // nothing listens there yet
    let g = group(&app, &key, "Down").await;
    let server = whm_server(&app, &key, g, "web9", &url, 5).await;
    let slug = product(
        &app,
        &key,
        "cPanel Down",
        "cpanel",
        json!({"package": "gold"}),
        json!({"server_group_id": g}),
    )
    .await;
    let c = app.customer("ama@example.com").await;
    let (invoice, id) = buy(&app, &c, &key, &slug, "down.example").await;

    let waits = [1, 5, 30, 120, 360];
    for (i, mins) in waits.iter().enumerate() {
        assert_eq!(work(&app).await, 0);
        let t = &service(&app, &key, id).await["tasks"][0];
        assert_eq!(t["status"], "queued", "{t}");
        assert_eq!(t["attempts"], i as i64 + 1);
        assert!(
            t["last_error"].as_str().unwrap().contains("unreachable"),
            "{t}"
        );
        // Not due before its backoff.
        app.clock
            .advance(SignedDuration::from_mins(mins - 1) + SignedDuration::from_secs(59));
        assert_eq!(work(&app).await, 0);
        assert_eq!(
            service(&app, &key, id).await["tasks"][0]["attempts"],
            i as i64 + 1
        );
        app.clock.advance(SignedDuration::from_secs(1));
    }
    work(&app).await;
    let s = service(&app, &key, id).await;
    assert_eq!(s["tasks"][0]["status"], "failed");
    assert_eq!(s["tasks"][0]["attempts"], 6);
    assert_eq!(s["status"], "pending");
    let failed = ok(
        &app,
        "GET",
        "/api/v1/module-tasks?status=failed",
        &key,
        None,
        200,
    )
    .await;
    assert_eq!(failed["data"].as_array().unwrap().len(), 1);
    let staff_email = app.state.config.company.email.clone();
    let queued = app
        .emails()
        .await
        .iter()
        .filter(|e| e["template"] == "module_task_failed" && e["to"] == staff_email.as_str())
        .count();
    assert_eq!(queued, 1);
    assert_eq!(app.invoice(invoice).await["status"], "paid");

    // The panel comes up where staff point the server; a retry succeeds.
    let whm = FakeWhm::start("root", TOKEN);
    let port: i64 = whm.url.rsplit(':').next().unwrap().parse().unwrap();
    ok(
        &app,
        "PUT",
        &format!("/api/v1/servers/{server}"),
        &key,
        Some(json!({
            "group_id": g, "name": "web9", "hostname": "web9.example.net", "address": "127.0.0.1",
            "module": "cpanel", "scheme": "http", "port": port, "username": "root", "capacity": 5,
            // Pointing the server elsewhere takes its secret again.
            "secret": TOKEN
        })),
        200,
    )
    .await;
    let test = ok(
        &app,
        "POST",
        &format!("/api/v1/servers/{server}/test"),
        &key,
        None,
        200,
    )
    .await;
    assert_eq!(test["success"], true, "{test}");
    let task = s["tasks"][0]["id"].as_i64().unwrap();
    let retried = ok(
        &app,
        "POST",
        &format!("/api/v1/module-tasks/{task}/retry"),
        &key,
        None,
        202,
    )
    .await;
    assert_eq!(retried["data"]["status"], "queued");
    ok(
        &app,
        "POST",
        &format!("/api/v1/module-tasks/{task}/retry"),
        &key,
        None,
        409,
    )
    .await;
    assert_eq!(work(&app).await, 1);
    let s = service(&app, &key, id).await;
    assert_eq!(s["status"], "active");
    assert_eq!(whm.functions(), ["version", "createacct"]);
}

#[tokio::test]
async fn services_go_to_the_least_full_server_and_none_with_room_fails_visibly() {
    let (app, key) = setup();
    let whm = FakeWhm::start("root", TOKEN);
    let g = group(&app, &key, "Small").await;
    let a = whm_server(&app, &key, g, "a", &whm.url, 1).await;
    let b = whm_server(&app, &key, g, "b", &whm.url, 1).await;
    let slug = product(
        &app,
        &key,
        "cPanel Small",
        "cpanel",
        json!({"package": "p"}),
        json!({"server_group_id": g}),
    )
    .await;
    let c = app.customer("ama@example.com").await;
    // One at a time: the woken worker and this test's run would otherwise
    // race to place them, and the last one bought must be the one left out.
    let (_, one) = buy(&app, &c, &key, &slug, "one.example").await;
    work(&app).await;
    let (_, two) = buy(&app, &c, &key, &slug, "two.example").await;
    work(&app).await;
    let (_, three) = buy(&app, &c, &key, &slug, "three.example").await;
    work(&app).await;
    let mut placed = vec![
        service(&app, &key, one).await["server_id"]
            .as_i64()
            .unwrap(),
        service(&app, &key, two).await["server_id"]
            .as_i64()
            .unwrap(),
    ];
    placed.sort();
    assert_eq!(placed, [a, b]);
    let s3 = service(&app, &key, three).await;
    assert_eq!(s3["status"], "pending");
    assert_eq!(s3["server_id"], Value::Null);
    assert_eq!(s3["tasks"][0]["status"], "failed");
    assert_eq!(s3["tasks"][0]["last_error"], "no server with room");
    let servers = ok(&app, "GET", "/api/v1/servers", &key, None, 200).await;
    assert!(
        servers["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["accounts"] == 1)
    );
}

#[tokio::test]
async fn server_secrets_are_sealed_at_rest_and_never_returned() {
    let (app, key) = setup();
    let g = group(&app, &key, "G").await;
    let id = whm_server(&app, &key, g, "web1", "http://127.0.0.1:1", 3).await;
    let raw = sql::server_secret(&app, id);
    assert!(raw.len() > TOKEN.len());
    assert!(!raw.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()));
    let dump = sql::server_row_text(&app, id);
    assert!(!dump.contains(TOKEN));
    for path in ["/api/v1/servers", &format!("/api/v1/servers/{id}")] {
        let body = ok(&app, "GET", path, &key, None, 200).await.to_string();
        assert!(!body.contains(TOKEN));
        assert!(body.contains("\"has_secret\":true"));
    }
    // Changing other fields keeps the stored secret.
    let body = ok(
        &app,
        "PUT",
        &format!("/api/v1/servers/{id}"),
        &key,
        Some(json!({
            "group_id": g, "name": "renamed", "hostname": "web1.example.net", "module": "cpanel",
            "address": "127.0.0.1", "scheme": "http", "port": 1, "username": "root", "capacity": 3
        })),
        200,
    )
    .await;
    assert_eq!(body["data"]["has_secret"], true);
    assert_eq!(body["data"]["name"], "renamed");
}

#[tokio::test]
async fn keys_without_the_scopes_are_refused() {
    let (app, key) = setup();
    let reader = app.staff_key(&["services:read"]);
    let billing = app.staff_key(&["billing:read", "clients:read"]);
    ok(&app, "GET", "/api/v1/servers", &reader, None, 200).await;
    ok(&app, "GET", "/api/v1/services", &reader, None, 200).await;
    ok(&app, "GET", "/api/v1/servers", &billing, None, 403).await;
    ok(&app, "GET", "/api/v1/services", &billing, None, 403).await;
    ok(&app, "GET", "/api/v1/module-tasks", &billing, None, 403).await;
    ok(
        &app,
        "POST",
        "/api/v1/server-groups",
        &reader,
        Some(json!({"name": "x"})),
        403,
    )
    .await;
    ok(
        &app,
        "POST",
        "/api/v1/servers",
        &reader,
        Some(json!({
        "name": "x", "hostname": "x", "module": "cpanel"})),
        403,
    )
    .await;
    let c = app.customer("ama@example.com").await;
    let s = ok(
        &app,
        "POST",
        "/api/v1/services",
        &key,
        Some(json!({
            "client_id": c.client_id, "product": "starter", "billing_cycle": "monthly",
            "recurring_amount_minor": 499, "status": "active", "domain": "manual.example",
            "registration_date": "2026-01-01", "next_due_date": "2026-02-01"
        })),
        201,
    )
    .await;
    let id = s["data"]["id"].as_i64().unwrap();
    assert_eq!(s["data"]["currency"], "USD");
    ok(
        &app,
        "POST",
        &format!("/api/v1/services/{id}/suspend"),
        &reader,
        None,
        403,
    )
    .await;
    ok(
        &app,
        "POST",
        &format!("/api/v1/services/{id}/terminate"),
        &c.access,
        None,
        403,
    )
    .await;
    let updated = ok(
        &app,
        "PUT",
        &format!("/api/v1/services/{id}"),
        &key,
        Some(json!({
            "client_id": c.client_id, "product": "starter", "billing_cycle": "monthly",
            "recurring_amount_minor": 599, "status": "suspended", "username": "manual1"
        })),
        200,
    )
    .await;
    assert_eq!(updated["data"]["status"], "suspended");
    assert_eq!(updated["data"]["username"], "manual1");
    // The manual module has no single sign-on.
    ok(
        &app,
        "POST",
        &format!("/api/v1/services/{id}/unsuspend"),
        &key,
        None,
        202,
    )
    .await;
    work(&app).await;
    ok(
        &app,
        "POST",
        &format!("/api/v1/services/{id}/login-url"),
        &key,
        None,
        400,
    )
    .await;
}

#[tokio::test]
async fn manual_products_still_activate_at_payment_and_leave_a_staff_todo() {
    let (app, key) = setup();
    let c = app.customer("ama@example.com").await;
    let (_, id) = buy(&app, &c, &key, "starter", "manual.example").await;
    let s = service(&app, &key, id).await;
    assert_eq!(s["status"], "active");
    assert_eq!(s["tasks"].as_array().unwrap().len(), 0);
    let todo = app
        .staff_total(&format!(
            "/api/v1/audit-log?action=module.manual_task&subject_id={id}"
        ))
        .await;
    assert_eq!(todo, 1);
}

#[tokio::test]
async fn the_webhook_module_signs_each_action_and_maps_the_answer() {
    let (app, key) = setup();
    let hook = receiver::start("whsec_test_123");
    let slug = product(
        &app,
        &key,
        "Hooked",
        "webhook",
        json!({"url": hook.url, "custom_actions": ["reboot"]}),
        json!({"module_secret": "whsec_test_123"}),
    )
    .await;
    // The module secret is sealed like server secrets.
    let sealed = sql::product_module_secret(&app, "Hooked");
    assert!(!sealed.windows(14).any(|w| w == b"whsec_test_123"));
    let c = app.customer("ama@example.com").await;
    let (_, id) = buy(&app, &c, &key, &slug, "hook.example").await;
    assert_eq!(work(&app).await, 1);
    let s = service(&app, &key, id).await;
    assert_eq!(s["status"], "active");
    assert_eq!(s["username"], "hooky");
    {
        let st = hook.state.lock().unwrap();
        let (body, valid) = &st.received[0];
        assert!(valid, "the signature checks out with an independent HMAC");
        assert_eq!(body["action"], "create");
        assert_eq!(body["service"]["id"], id);
        assert_eq!(body["service"]["domain"], "hook.example");
        assert_eq!(body["client"]["email"], "ama@example.com");
    }

    // A refusal in the body is a failure with the receiver's message.
    hook.state.lock().unwrap().answer = (
        200,
        r#"{"success":false,"message":"quota exceeded"}"#.into(),
    );
    ok(
        &app,
        "POST",
        &format!("/api/v1/services/{id}/suspend"),
        &key,
        None,
        202,
    )
    .await;
    work(&app).await;
    let t = &service(&app, &key, id).await["tasks"][0];
    assert_eq!(t["status"], "queued");
    assert_eq!(t["last_error"], "quota exceeded");
    // So is a non-2xx answer.
    hook.state.lock().unwrap().answer = (500, r#"{"message":"panel on fire"}"#.into());
    app.clock.advance(SignedDuration::from_mins(1));
    work(&app).await;
    let t = &service(&app, &key, id).await["tasks"][0];
    assert_eq!(t["attempts"], 2);
    assert_eq!(t["last_error"], "panel on fire");
    assert_eq!(service(&app, &key, id).await["status"], "active");
    // Then it works.
    hook.state.lock().unwrap().answer = (200, r#"{"success":true}"#.into());
    app.clock.advance(SignedDuration::from_mins(5));
    work(&app).await;
    assert_eq!(service(&app, &key, id).await["status"], "suspended");

    // A wrong secret is refused by the receiver (and so fails here).
    let sig = till::integrations::provisioning::webhook::client::signature("wrong", 1, b"{}");
    let expected = hmac_sha256_hex("whsec_test_123", &[b"1", b".", b"{}"]);
    assert!(!sig.ends_with(&expected));
    assert!(
        till::integrations::provisioning::webhook::client::signature("whsec_test_123", 1, b"{}")
            .ends_with(&expected)
    );
}
