//! The admin area: staff log in with their own session, separate from the
//! client area's, and see and act on what the automation does.

use serde_json::json;
use till::clock::Clock;

use crate::support::{
    ADMIN_EMAIL, ADMIN_PASSWORD, Browser, TestApp, json_with_status,
    provisioning::server_fields,
    sql,
    staff::{admin, support},
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

// ---------------------------------------------------------------------------
// Provisioning and automation: module tasks, to-dos, servers, the email log
// and job runs, each behind the same scope as its API endpoint.

const TOKEN: &str = "WHMTOKEN0123456789SECRET";

/// The task's status and attempts, as the staff task list shows them.
async fn task_status(app: &TestApp, task: i64) -> (String, i64) {
    let t = app.module_task(task).await;
    (
        t["status"].as_str().unwrap().to_string(),
        t["attempts"].as_i64().unwrap(),
    )
}

/// Order `product` for `domain` as a new customer and pay it; answers the
/// service id.
async fn bought(app: &TestApp, key: &str, product: &str, domain: &str) -> i64 {
    let c = app.customer(&format!("owner@{domain}")).await;
    let placed = app
        .place_order(
            &c,
            &format!("buy-{domain}"),
            json!({"items": [{"type": "hosting", "package_id": product, "billing_cycle": "monthly",
                "domain": domain, "domain_option": "existing"}]}),
        )
        .await;
    let invoice = placed["invoice"]["id"].as_i64().unwrap();
    let minor = placed["invoice"]["total"]["amount_minor"].as_i64().unwrap();
    let amount = format!("{}.{:02}", minor / 100, minor % 100);
    let res = app
        .staff_pay(key, invoice, &amount, &format!("BANK-{domain}"))
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    placed["pending_services"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// A paid cPanel service whose product has no server group: its create
/// task fails at once ("the product has no server group"). Answers the
/// task id.
async fn failed_task(app: &TestApp) -> i64 {
    app.install_catalog();
    let key = app.staff_key(&["catalog:write", "billing:write", "billing:read"]);
    let res = app
        .http
        .post(app.url("/api/v1/products"))
        .bearer_auth(&key)
        .json(&json!({
            "group": "shared-hosting", "kind": "hosting", "name": "cPanel Gold",
            "requires_domain": true, "module": "cpanel", "module_settings": {"package": "gold"},
            "prices": [{"currency": "USD", "billing_cycle": "monthly", "price": "10"}]
        }))
        .send()
        .await
        .unwrap();
    let slug = json_with_status(res, 201).await["data"]["slug"]
        .as_str()
        .unwrap()
        .to_string();
    bought(app, &key, &slug, "gold.example").await;
    // The payment wakes the worker; run it here too, and wait for the
    // task to have failed either way.
    till::jobs::module_tasks::run(app.state.clone(), app.clock.now())
        .await
        .unwrap();
    until_failed(app).await
}

/// The failed task's id, once there is one (the worker runs on its own).
async fn until_failed(app: &TestApp) -> i64 {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let failed = app.module_tasks(Some("failed")).await;
        if let Some(t) = failed.first() {
            return t["id"].as_i64().unwrap();
        }
        assert!(std::time::Instant::now() < deadline, "no task failed");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_failed_task_is_shown_first_and_retry_queues_it_again() {
    let app = TestApp::spawn();
    let task = failed_task(&app).await;
    let mut browser = admin(&app).await;

    let home = browser.get("/admin").await;
    assert!(
        home.body.contains("1 failed provisioning task"),
        "{}",
        home.body
    );
    assert!(home.body.contains("href=\"/admin/tasks?status=failed\""));

    let page = browser.get("/admin/tasks").await;
    assert_eq!(page.status, 200);
    let row = &page.body[page.body.find(&format!("id=\"task-{task}\"")).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    for shown in [
        "create",
        "<strong>failed</strong>",
        "the product has no server group",
        "Retry",
    ] {
        assert!(row.contains(shown), "{shown} in {row}");
    }
    let only_failed = browser.get("/admin/tasks?status=failed").await;
    assert!(only_failed.body.contains(&format!("id=\"task-{task}\"")));
    let done = browser.get("/admin/tasks?status=done").await;
    assert!(!done.body.contains(&format!("id=\"task-{task}\"")));
    assert_eq!(browser.get("/admin/tasks?status=lost").await.status, 422);
    let retry = format!("/admin/tasks/{task}/retry");

    // A post without the page's token changes nothing.
    let res = browser.post(&retry, &[]).await;
    assert_eq!(res.status, 403);
    assert_eq!(task_status(&app, task).await.0, "failed");

    let res = browser.post(&retry, &[("csrf", &page.csrf())]).await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.location(), format!("/admin/tasks?retried={task}"));
    // Queued again with a fresh count, and the worker woken at once: this
    // product still has no server group, so it fails after one attempt.
    assert_eq!(until_failed(&app).await, task);
    assert_eq!(task_status(&app, task).await, ("failed".into(), 1));
    assert_eq!(app.audit_count("module.task_retried").await, 1);
    let after = browser.get(res.location()).await;
    assert!(
        after
            .body
            .contains(&format!("Task #{task} was queued again"))
    );

    // A task that is not failed cannot be retried: the page says why.
    app.state
        .db
        .write(move |tx| {
            tx.execute(
                "UPDATE module_tasks SET status = 'done' WHERE id = ?1",
                [task],
            )?;
            Ok(())
        })
        .unwrap();
    let again = browser.post(&retry, &[("csrf", &page.csrf())]).await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("the task is done, not failed"));
}

#[tokio::test]
async fn staff_without_the_scope_can_neither_see_nor_act() {
    let app = TestApp::spawn();
    let task = failed_task(&app).await;
    let mut browser = support(&app).await;

    // services:read: the tasks are there, without a Retry button.
    let page = browser.get("/admin/tasks").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!("id=\"task-{task}\"")));
    assert!(!page.body.contains("Retry"));
    // No services:write: retrying is refused as the API refuses it.
    let res = browser
        .post(
            &format!("/admin/tasks/{task}/retry"),
            &[("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(task_status(&app, task).await.0, "failed");

    // No system:read: no email log, no job runs.
    assert_eq!(browser.get("/admin/emails").await.status, 403);
    assert_eq!(browser.get("/admin/jobs").await.status, 403);

    // No servers:write: the list but no forms, and a posted form does nothing.
    let servers = browser.get("/admin/servers").await;
    assert_eq!(servers.status, 200);
    assert!(!servers.body.contains("Add a server"));
    assert_eq!(browser.get("/admin/servers/new").await.status, 403);
    let res = browser
        .post(
            "/admin/servers/new",
            &[
                ("csrf", &page.csrf()),
                ("name", "web1"),
                ("hostname", "web1.example.net"),
                ("module", "cpanel"),
                ("scheme", "https"),
            ],
        )
        .await;
    assert_eq!(res.status, 403);
    let res = browser
        .post(
            "/admin/server-groups",
            &[("csrf", &page.csrf()), ("name", "EU")],
        )
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(app.servers().await.len(), 0);
    assert_eq!(app.server_groups().await.len(), 0);
}

#[tokio::test]
async fn manual_products_leave_to_dos_linked_to_their_service() {
    let app = TestApp::with_catalog();
    let key = app.staff_key(&["billing:write", "billing:read"]);
    let service = bought(&app, &key, "starter", "manual.example").await;
    let mut browser = admin(&app).await;

    let page = browser.get("/admin/tasks").await;
    let todos = &page.body[page.body.find("id=\"manual-todos\"").unwrap()..];
    assert!(
        todos.contains(&format!("Set up service #{service}")),
        "{todos}"
    );
    assert!(todos.contains("manual.example"));
    assert!(todos.contains(&format!("href=\"/admin/services/{service}\"")));

    let page = browser.get(&format!("/admin/services/{service}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("manual.example"));
    assert!(page.body.contains(&format!("Set up service #{service}")));
    assert_eq!(browser.get("/admin/services/999999").await.status, 404);
}

#[tokio::test]
async fn servers_are_added_through_the_form_and_a_bad_form_changes_nothing() {
    let app = TestApp::spawn();
    let mut browser = admin(&app).await;
    let res = browser
        .submit(
            "/admin/servers",
            "/admin/server-groups",
            &[("name", "cPanel EU")],
        )
        .await;
    assert_eq!(res.status, 303);
    let group = app.server_groups().await[0]["id"].to_string();

    let form = browser.get("/admin/servers/new").await;
    assert_eq!(form.status, 200);
    let csrf = form.csrf();
    let bad = browser
        .post(
            "/admin/servers/new",
            &server_fields(&csrf, &[("name", ""), ("hostname", " "), ("module", "ftp")]),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Please correct the fields marked below."));
    assert!(bad.body.contains("must not be empty"));
    assert!(bad.body.contains("must be one of manual, webhook, cpanel"));
    assert!(
        bad.body.contains("value=\"192.0.2.10\""),
        "typed values stay"
    );
    let bad = browser
        .post(
            "/admin/servers/new",
            &server_fields(&csrf, &[("port", "eighty")]),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("must be a whole number"));
    assert_eq!(app.servers().await.len(), 0);

    let res = browser
        .post(
            "/admin/servers/new",
            &server_fields(&csrf, &[("group_id", group.as_str())]),
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.location(), "/admin/servers?done=added");
    let list = browser.get("/admin/servers?done=added").await;
    assert!(list.body.contains("The server was added."));
    let row = &list.body[list.body.find("web1.example.net").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    for shown in ["192.0.2.10", "cpanel", "cPanel EU", "0 / 10", "yes"] {
        assert!(row.contains(shown), "{shown} in {row}");
    }
    assert_eq!(app.audit_count("server.created").await, 1);
}

#[tokio::test]
async fn a_stored_server_secret_never_appears_on_its_page() {
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
    let id = app.servers().await[0]["id"].as_i64().unwrap();
    let sealed = || sql::server_secret(&app, id);
    let stored = sealed();

    let edit = browser.get(&format!("/admin/servers/{id}")).await;
    assert_eq!(edit.status, 200);
    assert!(!edit.body.contains(TOKEN));
    assert_eq!(edit.input_value("secret"), "");
    assert!(edit.body.contains("A secret is stored"));

    // A mistake re-renders the form without echoing a newly typed secret.
    let path = format!("/admin/servers/{id}");
    let bad = browser
        .post(
            &path,
            &server_fields(&csrf, &[("hostname", ""), ("secret", "NEWSECRET42")]),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(!bad.body.contains("NEWSECRET42") && !bad.body.contains(TOKEN));
    assert_eq!(sealed(), stored);

    // Saving with the field left blank keeps the stored secret.
    let res = browser
        .post(
            &path,
            &server_fields(&csrf, &[("name", "renamed"), ("secret", "")]),
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(sealed(), stored);
    let edit = browser.get(&path).await;
    assert!(edit.body.contains("value=\"renamed\""));
    assert!(edit.body.contains("A secret is stored") && !edit.body.contains(TOKEN));
}

#[tokio::test]
async fn the_email_log_shows_queued_and_sent_email() {
    let app = TestApp::spawn();
    let mut browser = admin(&app).await;
    // Due an hour from now, so no mail run sends it before the page is read.
    let later = app.clock.now() + jiff::SignedDuration::from_hours(1);
    let brand = till::service::email::Branding::from_config(&app.state.config);
    app.state
        .db
        .write(|tx| {
            till::service::email::queue(
                tx,
                later,
                "ops@example.com",
                &till::service::email::PasswordChanged {
                    brand,
                    name: "Ops <team>".into(),
                },
            )
        })
        .unwrap();
    let subject = app.emails().await[0]["subject"]
        .as_str()
        .unwrap()
        .to_string();

    let page = browser.get("/admin/emails").await;
    assert_eq!(page.status, 200);
    let row = &page.body[page.body.find("ops@example.com").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains(&subject) && row.contains("queued"), "{row}");
    let queued = browser.get("/admin/emails?status=pending").await;
    assert!(queued.body.contains("ops@example.com"));

    app.clock.set(later);
    app.deliver_mail().await;
    let sent = browser.get("/admin/emails?status=sent").await;
    assert!(sent.body.contains("ops@example.com"));
    let queued = browser.get("/admin/emails?status=pending").await;
    assert!(!queued.body.contains("ops@example.com"));
    assert_eq!(browser.get("/admin/emails?status=lost").await.status, 422);
}

#[tokio::test]
async fn the_jobs_page_shows_the_runs_after_the_jobs_ran() {
    let app = TestApp::spawn();
    let mut browser = admin(&app).await;
    let tomorrow = app.clock.now() + jiff::SignedDuration::from_hours(24);
    till::jobs::run_all_once(&app.state, tomorrow)
        .await
        .unwrap();

    let page = browser.get("/admin/jobs").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("2026-01-16T10:00:00Z"), "{}", page.body);
    for job in [
        "renewals",
        "dunning",
        "mail_outbox",
        "module_tasks",
        "cleanup",
    ] {
        assert!(page.body.contains(&format!("?job={job}\"")), "{job}");
    }
    let cleanup = browser.get("/admin/jobs?job=cleanup").await;
    assert!(cleanup.body.contains("Job runs: cleanup"));
    assert!(!cleanup.body.contains("?job=renewals\""));
}

#[tokio::test]
async fn logged_out_browsers_are_sent_to_the_admin_login() {
    let app = TestApp::spawn();
    let mut browser = Browser::new(&app);
    for path in [
        "/admin/tasks",
        "/admin/services/1",
        "/admin/servers",
        "/admin/servers/new",
        "/admin/servers/1",
        "/admin/emails",
        "/admin/jobs",
    ] {
        let res = browser.get(path).await;
        assert_eq!(res.status, 303, "{path}");
        assert_eq!(res.location(), "/admin/login", "{path}");
    }
    let csrf = browser.get("/admin/login").await.csrf();
    let res = browser
        .post("/admin/tasks/1/retry", &[("csrf", &csrf)])
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), "/admin/login");
}

#[tokio::test]
async fn the_admin_pages_share_a_navigation() {
    let app = TestApp::spawn();
    let mut browser = admin(&app).await;
    let home = browser.get("/admin").await;
    for link in [
        "/admin/tasks",
        "/admin/servers",
        "/admin/emails",
        "/admin/jobs",
    ] {
        assert!(
            home.body.contains(&format!("<a href=\"{link}\">")),
            "{link}"
        );
    }
}
