//! Issue 12, items 14 and 15: a staff key acting for a client needs the
//! scope of the data it touches, as a contact needs the privilege; and
//! portal notifications reach only the contacts whose privileges cover
//! them, in the API and in the client area.

use serde_json::{Value, json};

use crate::support::{Browser, Customer, TestApp, json_with_status, live_starter};

async fn as_key(
    app: &TestApp,
    method: &str,
    path: &str,
    key: &str,
    body: Value,
) -> reqwest::Response {
    app.http
        .request(method.parse().unwrap(), app.url(path))
        .bearer_auth(key)
        .header("Idempotency-Key", "scope-probe")
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_clients_read_key_cannot_read_invoices_without_billing_read() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    live_starter(&app, &c).await;
    let invoices = format!("/api/v1/clients/{}/invoices", c.client_id);
    let clients_only = app.staff_key(&["clients:read"]);
    assert_eq!(
        app.get_auth(&format!("/api/v1/clients/{}", c.client_id), &clients_only)
            .await
            .status(),
        200
    );
    for path in [
        invoices.clone(),
        format!("/api/v1/clients/{}/payments", c.client_id),
        format!("/api/v1/clients/{}/orders", c.client_id),
    ] {
        assert_eq!(
            app.get_auth(&path, &clients_only).await.status(),
            403,
            "{path}"
        );
    }
    let overview = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/overview", c.client_id),
            &clients_only,
        )
        .await,
        200,
    )
    .await;
    assert!(
        overview["data"]["credit_balance"].is_null(),
        "no balance without billing:read"
    );

    let billing = app.staff_key(&["clients:read", "billing:read"]);
    let list = json_with_status(app.get_auth(&invoices, &billing).await, 200).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_clients_read_key_cannot_cancel_services_without_services_write() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    let service = live_starter(&app, &c).await;
    let services = format!("/api/v1/clients/{}/services", c.client_id);
    let cancel = format!("{services}/{service}/cancel");
    let body = json!({"cancellation_type": "immediate", "reason": "probe"});

    let clients_rw = app.staff_key(&["clients:read", "clients:write"]);
    assert_eq!(
        app.get_auth(&services, &clients_rw).await.status(),
        403,
        "no services:read"
    );
    assert_eq!(
        as_key(&app, "POST", &cancel, &clients_rw, body.clone())
            .await
            .status(),
        403
    );
    let reader = app.staff_key(&["clients:read", "services:read"]);
    assert_eq!(app.get_auth(&services, &reader).await.status(), 200);
    assert_eq!(
        as_key(&app, "POST", &cancel, &reader, body.clone())
            .await
            .status(),
        403
    );
    let status = app.service(service).await["status"].clone();
    assert_eq!(status, "active", "nothing was cancelled");

    let writer = app.staff_key(&["clients:read", "services:read", "services:write"]);
    let res = as_key(&app, "POST", &cancel, &writer, body).await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
}

#[tokio::test]
async fn a_staff_key_needs_billing_write_to_order_renew_or_pay_for_a_client() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    let service = live_starter(&app, &c).await;
    let services_only = app.staff_key(&["clients:read", "clients:write", "services:write"]);
    let order = as_key(
        &app,
        "POST",
        &format!("/api/v1/clients/{}/orders", c.client_id),
        &services_only,
        json!({"items": [{"package_id": "starter", "billing_cycle": "monthly"}]}),
    )
    .await;
    assert_eq!(order.status(), 403, "an order is an invoice");
    let renew = as_key(
        &app,
        "POST",
        &format!("/api/v1/clients/{}/services/{service}/renew", c.client_id),
        &services_only,
        json!({}),
    )
    .await;
    assert_eq!(renew.status(), 403, "renewing early writes an invoice");
    let both = app.staff_key(&["clients:read", "services:write", "billing:write"]);
    let renew = as_key(
        &app,
        "POST",
        &format!("/api/v1/clients/{}/services/{service}/renew", c.client_id),
        &both,
        json!({}),
    )
    .await;
    assert_ne!(renew.status(), 403);
}

#[tokio::test]
async fn a_clients_read_key_cannot_read_a_clients_history_without_audit_read() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    let events = format!("/api/v1/clients/{}/events", c.client_id);
    assert_eq!(
        app.get_auth(&events, &app.staff_key(&["clients:read"]))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.get_auth(&events, &app.staff_key(&["clients:read", "audit:read"]))
            .await
            .status(),
        200
    );
}

async fn kinds(app: &TestApp, who: &Customer) -> Vec<String> {
    let list = json_with_status(
        app.get_auth("/api/v1/notifications", &who.access).await,
        200,
    )
    .await;
    list["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["type"].as_str().unwrap().to_string())
        .collect()
}

fn is_billing(kind: &str) -> bool {
    kind.starts_with("invoice")
        || kind == "order_placed"
        || kind.contains("payment")
        || kind.contains("overdue")
}

#[tokio::test]
async fn a_contact_without_billing_privileges_sees_no_invoice_notices() {
    let app = TestApp::with_catalog();
    let owner = app.customer("owner@example.com").await;
    let (_, tech) = app
        .add_contact(&owner, "tech@example.com", json!({"services": ["full"]}))
        .await;
    let (_, books) = app
        .add_contact(
            &owner,
            "books@example.com",
            json!({"billing": ["payinvoice"]}),
        )
        .await;
    live_starter(&app, &owner).await;

    let owner_sees = kinds(&app, &owner).await;
    assert!(owner_sees.iter().any(|k| is_billing(k)), "{owner_sees:?}");
    assert!(owner_sees.iter().any(|k| !is_billing(k)), "{owner_sees:?}");
    let tech_sees = kinds(&app, &tech).await;
    assert!(
        !tech_sees.is_empty() && !tech_sees.iter().any(|k| is_billing(k)),
        "{tech_sees:?}"
    );
    let books_sees = kinds(&app, &books).await;
    assert!(
        !books_sees.is_empty() && books_sees.iter().all(|k| is_billing(k)),
        "{books_sees:?}"
    );
}

#[tokio::test]
async fn a_contact_without_services_privileges_sees_no_service_notices() {
    let app = TestApp::with_catalog();
    let owner = app.customer("owner@example.com").await;
    let (_, support) = app
        .add_contact(
            &owner,
            "support@example.com",
            json!({"support": ["tickets"]}),
        )
        .await;
    live_starter(&app, &owner).await;
    assert_eq!(kinds(&app, &support).await, Vec::<String>::new());
    let new = json_with_status(
        app.get_auth("/api/v1/notifications/new", &support.access)
            .await,
        200,
    )
    .await;
    assert_eq!(new["notifications"], json!([]));

    // Nor can it acknowledge one it does not see.
    // The latest notification: the owner sees them all, newest first.
    let hidden = json_with_status(
        app.get_auth("/api/v1/notifications", &owner.access).await,
        200,
    )
    .await["notifications"][0]["id"]
        .as_i64()
        .unwrap();
    let res = app
        .http
        .put(app.url(&format!("/api/v1/notifications/{hidden}/ack")))
        .bearer_auth(&support.access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn the_client_area_shows_a_contact_only_the_notices_its_privileges_cover() {
    let app = TestApp::with_catalog();
    let owner = app.customer("owner@example.com").await;
    app.add_contact(&owner, "tech@example.com", json!({"services": ["full"]}))
        .await;
    live_starter(&app, &owner).await;

    let mut owner_browser = Browser::new(&app);
    owner_browser.login(&owner.email, &owner.password).await;
    let dash = owner_browser.get("/account").await;
    assert!(dash.body.contains("notice-invoice_paid"), "{}", dash.body);
    assert!(dash.body.contains("notice-service_activated"));

    let mut tech = Browser::new(&app);
    tech.login("tech@example.com", crate::support::CONTACT_PASSWORD)
        .await;
    let dash = tech.get("/account").await;
    assert!(
        dash.body.contains("notice-service_activated"),
        "{}",
        dash.body
    );
    assert!(!dash.body.contains("notice-invoice"), "no invoice notices");
    assert!(!dash.body.contains("notice-order_placed"));

    // Marking one read takes it off the dashboard.
    let start =
        dash.body.find("/account/notifications/").unwrap() + "/account/notifications/".len();
    let id = &dash.body[start..start + dash.body[start..].find('/').unwrap()];
    let res = tech
        .post(
            &format!("/account/notifications/{id}/ack"),
            &[("csrf", &dash.csrf())],
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(
        !tech
            .get("/account")
            .await
            .body
            .contains(&format!("/account/notifications/{id}/ack"))
    );
}
