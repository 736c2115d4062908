//! Staff's domain tools: the list filtered by how soon domains expire
//! (soonest first, a bad filter a 422), and "sync now" (a sync task due at
//! once, through the API and the admin page with its CSRF token; nothing
//! to ask of the manual registrar).

use serde_json::{Value, json};

use crate::support::{
    Customer, TestApp, fakes::FakeEpp, json_with_status, money, staff::admin, staff_post,
    staff_send,
};

fn staff(app: &TestApp) -> String {
    app.staff_key(&[
        "servers:write",
        "services:read",
        "services:write",
        "billing:write",
    ])
}

async fn registered(
    app: &TestApp,
    c: &Customer,
    key: &str,
    name: &str,
    expiry: Option<&str>,
) -> i64 {
    let placed = app
        .place_order(
            c,
            &format!("order-{name}"),
            json!({"items": [{"type": "domain", "domain": name, "domain_option": "register", "years": 1}]}),
        )
        .await;
    let invoice = placed["invoice"]["id"].as_i64().unwrap();
    let total = placed["invoice"]["total"]["amount_minor"].as_i64().unwrap();
    assert_eq!(
        app.staff_pay(key, invoice, &money(total), &format!("T-{name}"))
            .await
            .status(),
        200
    );
    till::jobs::registrar_tasks::run(app.state.clone(), app.state.now())
        .await
        .unwrap();
    let all = list(app, key, "").await;
    let id = all.iter().find(|d| d["domain_name"] == name).unwrap()["id"]
        .as_i64()
        .unwrap();
    if let Some(e) = expiry {
        let res = staff_post(
            app,
            key,
            &format!("/api/v1/domains/{id}/registered"),
            json!({"expiry_date": e}),
        )
        .await;
        assert_eq!(res.status(), 200);
    }
    id
}

async fn list(app: &TestApp, key: &str, query: &str) -> Vec<Value> {
    json_with_status(
        app.get_auth(&format!("/api/v1/domains{query}"), key).await,
        200,
    )
    .await["data"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn staff_list_the_domains_expiring_by_a_day_soonest_first() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let c = app.customer("expiring@example.com").await;
    let late = registered(&app, &c, &key, "late.org", Some("2027-09-01")).await;
    let soon = registered(&app, &c, &key, "soon.org", Some("2026-03-01")).await;
    let sooner = registered(&app, &c, &key, "sooner.org", Some("2026-02-20")).await;
    registered(&app, &c, &key, "pending.org", None).await;

    let by = list(&app, &key, "?expires_before=2026-06-30").await;
    let ids: Vec<i64> = by.iter().map(|d| d["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![sooner, soon]);
    let active = list(&app, &key, "?status=active&expires_before=2027-12-31").await;
    assert_eq!(active.len(), 3);
    assert_eq!(active[2]["id"].as_i64().unwrap(), late);

    for bad in ["?expires_before=soon", "?status=gone"] {
        let res = app.get_auth(&format!("/api/v1/domains{bad}"), &key).await;
        let body = json_with_status(res, 422).await;
        assert!(body["errors"].is_object(), "{bad}: {body}");
    }

    // The admin list filters the same way.
    let mut browser = admin(&app).await;
    let page = browser.get("/admin/domains?within=60").await;
    assert!(
        page.body
            .contains(&format!("href=\"/admin/domains/{sooner}\""))
    );
    assert!(
        page.body
            .contains(&format!("href=\"/admin/domains/{soon}\""))
    );
    assert!(
        !page
            .body
            .contains(&format!("href=\"/admin/domains/{late}\""))
    );
}

#[tokio::test]
async fn sync_now_asks_the_registrar_at_once_through_the_api_and_the_admin_page() {
    let app = TestApp::with_catalog();
    let fake = FakeEpp::start("till-sync", "s3cret-SYNC");
    let key = staff(&app);
    let created = json_with_status(
        staff_post(
            &app,
            &key,
            "/api/v1/registrars",
            json!({"name": "Sync registry", "module": "epp",
                "settings": {"host": fake.host, "port": fake.port, "username": "till-sync",
                    "password": "s3cret-SYNC", "ca_pem": fake.ca_pem, "timeout_secs": 5}}),
        )
        .await,
        201,
    )
    .await;
    let registrar = created["data"]["id"].as_i64().unwrap();
    let mapped = staff_send(
        &app,
        "PUT",
        "/api/v1/tld-registrars/com",
        &key,
        Some(json!({"registrar_id": registrar})),
    )
    .await;
    assert_eq!(mapped.status(), 200);
    let c = app.customer("sync-now@example.com").await;
    let id = registered(&app, &c, &key, "sync-me.com", None).await;
    let manual = registered(&app, &c, &key, "by-hand.org", Some("2027-01-01")).await;
    let infos = fake.requests_with("<domain:info").len();

    let res = staff_post(&app, &key, &format!("/api/v1/domains/{id}/sync"), json!({})).await;
    let task = json_with_status(res, 202).await;
    assert_eq!(task["data"]["action"], "sync");
    assert_eq!(task["data"]["status"], "queued");
    till::jobs::registrar_tasks::run(app.state.clone(), app.state.now())
        .await
        .unwrap();
    assert_eq!(fake.requests_with("<domain:info").len(), infos + 1);

    let res = staff_post(
        &app,
        &key,
        &format!("/api/v1/domains/{manual}/sync"),
        json!({}),
    )
    .await;
    assert_eq!(res.status(), 422);
    let res = staff_post(&app, &key, "/api/v1/domains/9999/sync", json!({})).await;
    assert_eq!(res.status(), 404);
    let reader = app.staff_key(&["services:read"]);
    let res = staff_post(
        &app,
        &reader,
        &format!("/api/v1/domains/{id}/sync"),
        json!({}),
    )
    .await;
    assert_eq!(res.status(), 403);

    let mut browser = admin(&app).await;
    let page = browser.get(&format!("/admin/domains/{id}")).await;
    assert!(page.body.contains("id=\"sync-now\""));
    let path = format!("/admin/domains/{id}/sync");
    assert_eq!(browser.post(&path, &[]).await.status, 403, "no CSRF token");
    let res = browser.post(&path, &[("csrf", &page.csrf())]).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let after = browser.get(res.location()).await;
    assert!(
        after
            .body
            .contains("will be asked about the domain shortly")
    );
    let manual_page = browser.get(&format!("/admin/domains/{manual}")).await;
    assert!(!manual_page.body.contains("id=\"sync-now\""));
}
