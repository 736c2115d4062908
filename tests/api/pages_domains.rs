//! The domain pages: a customer's list and domain page (nameservers,
//! auto-renew, cancelling at expiry), nothing of another account's, every
//! form with its token; and the admin list and domain page, where staff
//! mark a pending domain registered and retry a failed registrar task.

use serde_json::{Value, json};

use crate::support::{
    Browser, CONTACT_PASSWORD, Customer, TestApp, fakes::FakeEpp, fakes::epp::Mode,
    json_with_status, staff::admin, staff_post,
};

const PASSWORD: &str = "correct horse battery staple";

fn staff(app: &TestApp) -> String {
    app.staff_key(&[
        "servers:write",
        "services:read",
        "services:write",
        "billing:write",
    ])
}

/// Order `name` for one year and pay for it; answers the domain's id.
async fn paid_domain(app: &TestApp, c: &Customer, key: &str, name: &str) -> i64 {
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
    let listed = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/domains", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["domain_name"] == name)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// A paid domain made active by staff, expiring on 2099-05-01.
async fn active_domain(app: &TestApp, c: &Customer, key: &str, name: &str) -> i64 {
    let id = paid_domain(app, c, key, name).await;
    let marked = staff_post(
        app,
        key,
        &format!("/api/v1/domains/{id}/registered"),
        json!({"expiry_date": "2099-05-01"}),
    )
    .await;
    assert_eq!(marked.status(), 200);
    id
}

async fn run_registrar_tasks(app: &TestApp) {
    till::jobs::registrar_tasks::run(app.state.clone(), app.state.now())
        .await
        .unwrap();
}

async fn staff_domain(app: &TestApp, key: &str, id: i64) -> Value {
    json_with_status(
        app.get_auth(&format!("/api/v1/domains/{id}"), key).await,
        200,
    )
    .await
}

/// The nameservers textarea's text.
fn nameservers_shown(body: &str) -> String {
    let at = body
        .find("id=\"nameservers-input\"")
        .expect("the nameservers form");
    let start = at + body[at..].find('>').unwrap() + 1;
    let end = start + body[start..].find("</textarea>").unwrap();
    body[start..end].to_string()
}

async fn logged_in(app: &TestApp, c: &Customer) -> Browser {
    let mut b = Browser::new(app);
    b.login(&c.email, PASSWORD).await;
    b
}

#[tokio::test]
async fn a_customer_manages_their_own_domain_in_the_browser() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let c = app.customer("dom-pages@example.com").await;
    let other = app.customer("dom-other@example.com").await;
    let id = active_domain(&app, &c, &key, "mine-pages.com").await;
    let theirs = active_domain(&app, &other, &key, "theirs-pages.com").await;

    let mut b = logged_in(&app, &c).await;
    let list = b.get("/account/domains").await;
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains("href=\"/account/domains\""),
        "the nav links it"
    );
    assert!(
        list.body
            .contains(&format!("href=\"/account/domains/{id}\"")),
        "{}",
        list.body
    );
    assert!(list.body.contains("mine-pages.com") && list.body.contains("2099-05-01"));
    assert!(!list.body.contains("theirs-pages.com"), "{}", list.body);

    let path = format!("/account/domains/{id}");
    let page = b.get(&path).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("2099-05-01"), "{}", page.body);
    assert!(page.body.contains("id=\"save-nameservers\""));
    assert!(page.body.contains("id=\"auto-renew-off\""));
    let before = nameservers_shown(&page.body);

    // Bad nameservers re-render the form with the typed lines and change nothing.
    let ns = format!("{path}/nameservers");
    let bad = b
        .post(
            &ns,
            &[
                ("csrf", &page.csrf()),
                ("nameservers", "ns1.example.net\nnot a host"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.body.contains("Line 2: is not a host name"),
        "{}",
        bad.body
    );
    assert_eq!(nameservers_shown(&bad.body), "ns1.example.net\nnot a host");
    let one = b
        .post(
            &ns,
            &[("csrf", &page.csrf()), ("nameservers", "ns1.example.net")],
        )
        .await;
    assert_eq!(one.status, 422);
    assert!(
        one.body.contains("Give 2 to 13 nameservers"),
        "{}",
        one.body
    );
    assert_eq!(nameservers_shown(&b.get(&path).await.body), before);

    let good = b
        .post(
            &ns,
            &[
                ("csrf", &page.csrf()),
                ("nameservers", "NS1.Example.net\r\n\r\nns2.example.net.\r\n"),
            ],
        )
        .await;
    assert_eq!(good.status, 303, "{}", good.body);
    let after = b.get(good.location()).await;
    assert!(after.body.contains("The nameservers were saved"));
    assert_eq!(
        nameservers_shown(&after.body),
        "ns1.example.net\nns2.example.net"
    );

    // Auto-renew off, then on again.
    let renew = format!("{path}/auto-renew");
    let off = b
        .post(&renew, &[("csrf", &page.csrf()), ("auto_renew", "off")])
        .await;
    assert_eq!(off.status, 303);
    let shown = b.get(off.location()).await;
    assert!(shown.body.contains("Auto-renew is off"));
    assert!(shown.body.contains("id=\"auto-renew-on\""));
    let on = b
        .post(&renew, &[("csrf", &page.csrf()), ("auto_renew", "on")])
        .await;
    assert_eq!(on.status, 303);
    assert!(
        b.get(on.location())
            .await
            .body
            .contains("id=\"auto-renew-off\"")
    );

    // Cancelling asks for the confirmation, then turns auto-renew off.
    let cancel = format!("{path}/cancel");
    let unconfirmed = b.post(&cancel, &[("csrf", &page.csrf())]).await;
    assert_eq!(unconfirmed.status, 422);
    assert!(unconfirmed.body.contains("tick the box to confirm"));
    let done = b
        .post(&cancel, &[("csrf", &page.csrf()), ("confirm", "yes")])
        .await;
    assert_eq!(done.status, 303);
    let cancelled = b.get(done.location()).await;
    assert!(cancelled.body.contains("lapses at its expiry"));
    assert!(cancelled.body.contains("id=\"auto-renew-on\""));
    assert!(!cancelled.body.contains("id=\"cancel-domain\""));
    let seen = staff_domain(&app, &key, id).await;
    assert_eq!(seen["data"]["auto_renew"], false, "{seen}");
    assert_eq!(seen["data"]["nameservers"][1], "ns2.example.net", "{seen}");

    // A form without its token is refused and changes nothing.
    let res = b.post(&renew, &[("auto_renew", "on")]).await;
    assert_eq!(res.status, 403);
    assert_eq!(
        staff_domain(&app, &key, id).await["data"]["auto_renew"],
        false
    );

    // Another account's domain is a 404, to read and to change.
    assert_eq!(
        b.get(&format!("/account/domains/{theirs}")).await.status,
        404
    );
    let res = b
        .post(
            &format!("/account/domains/{theirs}/auto-renew"),
            &[("csrf", &page.csrf()), ("auto_renew", "off")],
        )
        .await;
    assert_eq!(res.status, 404);
    assert_eq!(
        staff_domain(&app, &key, theirs).await["data"]["auto_renew"],
        true
    );
    assert_eq!(b.get("/account/domains/nope").await.status, 404);
}

#[tokio::test]
async fn a_pending_domain_says_why_it_cannot_be_changed_yet() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let c = app.customer("dom-pending@example.com").await;
    let id = paid_domain(&app, &c, &key, "waiting-pages.com").await;
    let mut b = logged_in(&app, &c).await;
    let path = format!("/account/domains/{id}");
    let page = b.get(&path).await;
    assert!(page.body.contains("not registered yet"), "{}", page.body);
    let res = b
        .post(
            &format!("{path}/nameservers"),
            &[
                ("csrf", &page.csrf()),
                ("nameservers", "ns1.example.net\nns2.example.net"),
            ],
        )
        .await;
    assert_eq!(res.status, 409);
    assert!(
        res.body.contains("nameservers cannot be changed"),
        "{}",
        res.body
    );
    assert!(res.body.contains("role=\"alert\""));
}

#[tokio::test]
async fn a_contact_without_the_domains_privilege_is_refused() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let owner = app.customer("dom-owner@example.com").await;
    let id = active_domain(&app, &owner, &key, "owned-pages.com").await;
    let (_, contact) = app
        .add_contact(
            &owner,
            "dom-kofi@example.com",
            json!({"billing": ["payinvoice"]}),
        )
        .await;
    let mut b = Browser::new(&app);
    b.login(&contact.email, CONTACT_PASSWORD).await;
    assert_eq!(b.get("/account/domains").await.status, 403);
    let path = format!("/account/domains/{id}");
    assert_eq!(b.get(&path).await.status, 403);
    let csrf = b.get("/account").await.csrf();
    let res = b
        .post(
            &format!("{path}/auto-renew"),
            &[("csrf", &csrf), ("auto_renew", "off")],
        )
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(
        staff_domain(&app, &key, id).await["data"]["auto_renew"],
        true
    );
}

#[tokio::test]
async fn staff_list_domains_and_mark_a_pending_one_registered() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let c = app.customer("dom-admin@example.com").await;
    let id = paid_domain(&app, &c, &key, "by-hand-pages.com").await;
    let live = active_domain(&app, &c, &key, "live-pages.com").await;
    run_registrar_tasks(&app).await;

    let mut browser = admin(&app).await;
    let list = browser.get("/admin/domains").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("href=\"/admin/domains\""), "in the nav");
    assert!(list.body.contains(&format!("href=\"/admin/domains/{id}\"")));
    assert!(
        list.body
            .contains(&format!("href=\"/admin/domains/{live}\""))
    );
    let pending = browser.get("/admin/domains?status=pending").await;
    assert!(pending.body.contains("by-hand-pages.com"));
    assert!(!pending.body.contains("live-pages.com"), "{}", pending.body);

    let path = format!("/admin/domains/{id}");
    let page = browser.get(&path).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("by-hand-pages.com"));
    let row = &page.body[page.body.find("id=\"task-").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    for shown in ["register", "done", "staff to-do"] {
        assert!(row.contains(shown), "{shown} in {row}");
    }
    assert!(page.body.contains("id=\"mark-registered-button\""));

    let mark = format!("{path}/registered");
    assert_eq!(browser.post(&mark, &[]).await.status, 403);
    let bad = browser
        .post(
            &mark,
            &[("csrf", &page.csrf()), ("expiry_date", "2001-01-01")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("must be in the future"), "{}", bad.body);
    assert_eq!(
        staff_domain(&app, &key, id).await["data"]["status"],
        "pending"
    );

    let res = browser
        .post(
            &mark,
            &[("csrf", &page.csrf()), ("expiry_date", "2099-05-01")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let after = browser.get(res.location()).await;
    assert!(after.body.contains("The domain was marked registered."));
    assert!(after.body.contains("2099-05-01"));
    assert!(!after.body.contains("id=\"mark-registered-button\""));
    let seen = staff_domain(&app, &key, id).await;
    assert_eq!(seen["data"]["status"], "active");
    assert_eq!(seen["data"]["expiry_date"], "2099-05-01");

    // Twice is a conflict, said on the page.
    let twice = browser.post(&mark, &[("csrf", &page.csrf())]).await;
    assert_eq!(twice.status, 409);
    assert!(twice.body.contains("not pending"), "{}", twice.body);
}

#[tokio::test]
async fn staff_retry_a_failed_registrar_task_from_the_domain_page() {
    let app = TestApp::with_catalog();
    let fake = FakeEpp::start("till-reg", "s3cret-EPP");
    let key = staff(&app);
    let created = json_with_status(
        staff_post(
            &app,
            &key,
            "/api/v1/registrars",
            json!({
                "name": "Test registry", "module": "epp",
                "settings": {"host": fake.host, "port": fake.port, "username": "till-reg",
                    "password": "s3cret-EPP", "ca_pem": fake.ca_pem, "timeout_secs": 5}
            }),
        )
        .await,
        201,
    )
    .await;
    let registrar = created["data"]["id"].as_i64().unwrap();
    let mapped = crate::support::staff_send(
        &app,
        "PUT",
        "/api/v1/tld-registrars/com",
        &key,
        Some(json!({"registrar_id": registrar})),
    )
    .await;
    assert_eq!(mapped.status(), 200);
    let c = app.customer("dom-retry@example.com").await;
    let id = paid_domain(&app, &c, &key, "retry-pages.com").await;
    fake.set_mode(Mode::DropConnections);
    for _ in 0..6 {
        run_registrar_tasks(&app).await;
        app.clock.advance(jiff::SignedDuration::from_hours(7));
    }
    let seen = staff_domain(&app, &key, id).await;
    assert_eq!(seen["tasks"][0]["status"], "failed", "{seen}");
    let task = seen["tasks"][0]["id"].as_i64().unwrap();

    let mut browser = admin(&app).await;
    let page = browser.get(&format!("/admin/domains/{id}")).await;
    let row = &page.body[page.body.find(&format!("id=\"task-{task}\"")).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    for shown in ["<strong>failed</strong>", "<td>6</td>", "Retry"] {
        assert!(row.contains(shown), "{shown} in {row}");
    }
    let retry = format!("/admin/domains/{id}/tasks/{task}/retry");
    assert_eq!(browser.post(&retry, &[]).await.status, 403);
    fake.set_mode(Mode::Normal);
    let res = browser.post(&retry, &[("csrf", &page.csrf())]).await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(
        res.location(),
        format!("/admin/domains/{id}?retried={task}")
    );
    let after = browser.get(res.location()).await;
    assert!(
        after
            .body
            .contains(&format!("Task #{task} was queued again"))
    );
    assert_eq!(
        staff_domain(&app, &key, id).await["tasks"][0]["status"],
        "queued"
    );
    run_registrar_tasks(&app).await;
    assert_eq!(
        staff_domain(&app, &key, id).await["data"]["status"],
        "active"
    );

    // A task that is not failed any more: the page says why.
    let again = browser.post(&retry, &[("csrf", &page.csrf())]).await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("not failed"), "{}", again.body);
}
