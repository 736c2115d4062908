//! Provisioning's edges (issue 12): a server cannot be pointed elsewhere
//! without its secret, module calls never reach loopback, link-local or
//! private addresses unless the operator listed them, a remote reply
//! reaches task errors cut to 200 bytes and never reaches support-only
//! staff or customers, and WHM passwords never travel in URLs.

use serde_json::{Value, json};
use till::{clock::Clock, domain::staff::StaffRole};

use crate::support::{
    TestApp,
    fakes::{FakeWhm, receiver},
    hosting::Hosting,
    json_with_status, ok,
    provisioning::{
        ALL, TOKEN, buy, group, product, server_fields, service, setup, whm_server, work,
    },
    staff::admin,
};

const GENERIC: &str = "The provisioning call failed; an administrator can see why.";

fn server_body(group: i64, port: u16) -> Value {
    json!({
        "group_id": group, "name": "web1", "hostname": "web1.example.net",
        "address": "127.0.0.1", "module": "cpanel", "scheme": "http", "port": port,
        "username": "root", "capacity": 10
    })
}

#[tokio::test]
async fn pointing_a_server_at_another_host_without_its_secret_is_refused() {
    let (app, key) = setup();
    let whm = FakeWhm::start("root", TOKEN);
    let g = group(&app, &key, "cPanel").await;
    let id = whm_server(&app, &key, g, "web1", &whm.url, 10).await;
    let path = format!("/api/v1/servers/{id}");
    let mut same = server_body(g, whm.port);
    same["nameservers"] = json!(["ns1.example.net", "ns2.example.net"]);

    // Each way of sending the stored token somewhere else needs it again.
    for (field, value) in [
        ("hostname", json!("collector.example.com")),
        ("address", json!("203.0.113.66")),
        ("scheme", json!("https")),
        ("port", json!(2087)),
    ] {
        let mut moved = same.clone();
        moved[field] = value;
        let body = ok(&app, "PUT", &path, &key, Some(moved), 422).await;
        assert!(body["errors"]["secret"].is_array(), "{field}: {body}");
    }
    // Nothing moved: the stored token still opens the real server.
    let tested = ok(&app, "POST", &format!("{path}/test"), &key, None, 200).await;
    assert_eq!(tested["success"], true, "{tested}");
    assert_eq!(whm.refused_auth(), 0);

    // A change that leaves the token where it is needs no secret.
    let mut renamed = same.clone();
    renamed["name"] = json!("web1-renamed");
    renamed["capacity"] = json!(20);
    ok(&app, "PUT", &path, &key, Some(renamed), 200).await;
    // Whoever gives the secret may move the server.
    let mut moved = same.clone();
    moved["hostname"] = json!("web2.example.net");
    moved["secret"] = json!(TOKEN);
    let body = ok(&app, "PUT", &path, &key, Some(moved), 200).await;
    assert_eq!(body["data"]["hostname"], "web2.example.net");
}

#[tokio::test]
async fn the_admin_server_form_asks_for_the_secret_again_when_the_host_changes() {
    let app = TestApp::spawn();
    let mut browser = admin(&app).await;
    let csrf = browser.get("/admin/servers/new").await.csrf();
    let res = browser
        .post(
            "/admin/servers/new",
            &server_fields(&csrf, &[("secret", TOKEN)]),
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let server = || async { app.servers().await[0].clone() };
    let id = server().await["id"].to_string();
    let path = format!("/admin/servers/{id}");

    let bad = browser
        .post(
            &path,
            &server_fields(
                &csrf,
                &[("hostname", "collector.example.com"), ("secret", "")],
            ),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("must be given again"), "{}", bad.body);
    assert_eq!(server().await["hostname"], "web1.example.net");
    let bad = browser
        .post(
            &path,
            &server_fields(&csrf, &[("address", "203.0.113.66"), ("secret", "")]),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(server().await["address"], "192.0.2.10");

    let res = browser
        .post(
            &path,
            &server_fields(
                &csrf,
                &[("hostname", "web2.example.net"), ("secret", TOKEN)],
            ),
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(server().await["hostname"], "web2.example.net");
}

#[tokio::test]
async fn module_calls_to_loopback_link_local_or_private_addresses_are_refused_unless_allowed() {
    let app = TestApp::builder()
        .config(|c| c.http.allow_private_targets.clear())
        .spawn();
    app.install_catalog();
    let key = app.staff_key(ALL);

    // A product whose webhook is on this host: the call never leaves till.
    let hook = receiver::start("whsec_edges");
    let slug = product(
        &app,
        &key,
        "Hooked",
        "webhook",
        json!({"url": hook.url}),
        json!({"module_secret": "whsec_edges"}),
    )
    .await;
    let c = app.customer("ama@example.com").await;
    let (_, id) = buy(&app, &c, &key, &slug, "hook.example").await;
    work(&app).await;
    let s = service(&app, &key, id).await;
    let task = &s["tasks"][0];
    assert_eq!(task["status"], "failed", "not worth retrying: {task}");
    assert_eq!(task["attempts"], 1);
    assert!(
        task["last_error"]
            .as_str()
            .unwrap()
            .contains("allow_private_targets"),
        "{task}"
    );
    assert!(hook.state.lock().unwrap().received.is_empty());

    // Servers at loopback (by address or by a name resolving to it), the
    // cloud metadata address, or a private network are never called.
    let whm = FakeWhm::start("root", TOKEN);
    let g = group(&app, &key, "cPanel").await;
    for (hostname, address) in [
        ("web1.example.net", "127.0.0.1"),
        ("localhost", ""),
        ("metadata.example.net", "169.254.169.254"),
        ("lan.example.net", "10.20.30.40"),
        ("v6.example.net", "::1"),
    ] {
        let server = ok(
            &app,
            "POST",
            "/api/v1/servers",
            &key,
            Some(json!({
                "group_id": g, "name": hostname, "hostname": hostname, "address": address,
                "module": "cpanel", "scheme": "http", "port": whm.port,
                "username": "root", "secret": TOKEN, "capacity": 10
            })),
            201,
        )
        .await["data"]["id"]
            .as_i64()
            .unwrap();
        let tested = ok(
            &app,
            "POST",
            &format!("/api/v1/servers/{server}/test"),
            &key,
            None,
            200,
        )
        .await;
        assert_eq!(tested["success"], false, "{hostname}: {tested}");
        assert!(
            tested["message"].as_str().unwrap().contains("refusing"),
            "{hostname}: {tested}"
        );
    }
    assert!(whm.calls().is_empty(), "WHM was never reached");
}

#[tokio::test]
async fn a_remote_reply_reaches_task_errors_cut_to_200_bytes() {
    let (app, key) = setup();
    let hook = receiver::start("whsec_edges");
    let slug = product(
        &app,
        &key,
        "Hooked",
        "webhook",
        json!({"url": hook.url}),
        json!({"module_secret": "whsec_edges"}),
    )
    .await;
    let c = app.customer("ama@example.com").await;
    let long = "Y".repeat(5000);
    hook.state.lock().unwrap().answer = (500, json!({ "message": long }).to_string());
    let (_, id) = buy(&app, &c, &key, &slug, "hook.example").await;
    work(&app).await;
    let error = service(&app, &key, id).await["tasks"][0]["last_error"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(error.matches('Y').count(), 200, "{error}");
    assert!(error.len() <= 210, "{} bytes", error.len());

    // A reply that is not JSON is cut the same way.
    hook.state.lock().unwrap().answer = (502, "Z".repeat(100_000));
    app.clock.advance(jiff::SignedDuration::from_mins(1));
    work(&app).await;
    let task = &service(&app, &key, id).await["tasks"][0];
    let error = task["last_error"].as_str().unwrap();
    assert_eq!(task["attempts"], 2);
    assert!(
        error.starts_with("the webhook answered HTTP 502"),
        "{error}"
    );
    assert_eq!(error.matches('Z').count(), 200, "{error}");
}

/// A staff API key for a new staff member with `role`.
fn key_for(app: &TestApp, role: StaffRole, email: &str, scopes: &[&str]) -> String {
    let staff = till::service::accounts::staff::create(
        &app.state.db,
        email,
        "Someone",
        role,
        "a long staff password 42",
        app.clock.now(),
    )
    .unwrap();
    let scopes = till::service::accounts::api_keys::parse_scopes(
        &scopes.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
    )
    .unwrap();
    till::service::accounts::api_keys::create(
        &app.state.db,
        till::service::audit::Actor::System,
        staff.id,
        till::service::accounts::api_keys::NewKey {
            name: "edges".into(),
            scopes,
            expires_in_days: None,
        },
        &Default::default(),
        app.clock.now(),
    )
    .unwrap()
    .key
}

#[tokio::test]
async fn support_staff_and_customers_never_see_what_a_panel_replied() {
    let (app, key) = setup();
    let hook = receiver::start("whsec_edges");
    let slug = product(
        &app,
        &key,
        "Hooked",
        "webhook",
        json!({"url": hook.url}),
        json!({"module_secret": "whsec_edges"}),
    )
    .await;
    let c = app.customer("ama@example.com").await;
    let (_, id) = buy(&app, &c, &key, &slug, "hook.example").await;
    work(&app).await;
    assert_eq!(service(&app, &key, id).await["status"], "active");

    let secret_reply = "db7.corp.internal refused: disk /srv/accounts/ama full";
    hook.state.lock().unwrap().answer = (500, json!({ "message": secret_reply }).to_string());
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

    // Staff who run the servers read the reply.
    let admin_view = service(&app, &key, id).await;
    assert!(admin_view.to_string().contains(secret_reply));

    // Support-only staff see that it failed, not what the panel said.
    let support = key_for(
        &app,
        StaffRole::Support,
        "sam@till.test",
        &["services:read"],
    );
    let seen = service(&app, &support, id).await;
    assert_eq!(seen["tasks"][0]["last_error"], GENERIC, "{seen}");
    let board = ok(&app, "GET", "/api/v1/module-tasks", &support, None, 200).await;
    assert!(!board.to_string().contains("db7"), "{board}");
    assert!(board.to_string().contains(GENERIC));

    // A customer whose panel login fails gets a message of no use to an attacker.
    hook.state.lock().unwrap().answer = (500, json!({ "message": secret_reply }).to_string());
    let res = app
        .http
        .post(app.url(&format!(
            "/api/v1/clients/{}/hosting/{id}/login-url",
            c.client_id
        )))
        .bearer_auth(&c.access)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    assert!(status >= 500, "{status} {text}");
    assert!(!text.contains("db7") && !text.contains("/srv"), "{text}");
}

#[tokio::test]
async fn whm_passwords_travel_in_post_bodies_never_in_urls() {
    let hosting = Hosting::start().await;
    let app = &hosting.app;
    let c = app.customer("ama@example.com").await;
    let id = hosting.buy(&c, &hosting.cpanel, "example.com").await;
    assert_eq!(hosting.status(id).await, "active");
    let res = app
        .http
        .post(app.url(&format!(
            "/api/v1/clients/{}/hosting/{id}/change-password",
            c.client_id
        )))
        .bearer_auth(&c.access)
        .json(&json!({"password": "Brand-new panel pass 42", "password_confirmation": "Brand-new panel pass 42"}))
        .send()
        .await
        .unwrap();
    json_with_status(res, 200).await;

    let calls = hosting.whm.calls();
    let functions: Vec<&str> = calls.iter().map(|c| c.function.as_str()).collect();
    assert!(functions.contains(&"createacct") && functions.contains(&"passwd"));
    for call in &calls {
        assert_eq!(call.method, "POST", "{call:?}");
        assert_eq!(call.query, "", "nothing in the URL: {call:?}");
    }
    let passwd = calls.iter().find(|c| c.function == "passwd").unwrap();
    assert_eq!(passwd.params["password"], "Brand-new panel pass 42");
    assert!(passwd.body.contains("password="));
    let created = calls.iter().find(|c| c.function == "createacct").unwrap();
    assert!(created.body.contains("password=") && created.params["password"].len() >= 16);
}
