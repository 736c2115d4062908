//! Reference 000's `POST .../cancel` with `cancel_type: immediate`: where
//! the registrar can delete, the name is deleted at the registry once,
//! auto-renew is off and the open renewal invoice cancelled, and nothing
//! is refunded; the manual registrar's domain is a 422 that changes
//! nothing; another client's domain is a 404.

use serde_json::{Value, json};

use crate::domains_renewal_rules::{
    app_with_nameservers, call, days_before, epp_registrar, logicboxes_registrar, ok, registered,
    registrar_job, renewals_job, staff, staff_domain,
};
use crate::support::{Customer, TestApp};

fn expiry(d: &Value) -> jiff::civil::Date {
    d["data"]["expiry_date"].as_str().unwrap().parse().unwrap()
}

fn cancel_path(client: i64, id: i64) -> String {
    format!("/api/v1/clients/{client}/domains/{id}/cancel")
}

/// The customer asks for `cancel_type: immediate` (and `reason`).
async fn cancel_now(app: &TestApp, c: &Customer, id: i64) -> Value {
    let login = app.login(&c.email, &c.password).await;
    ok(
        app,
        "POST",
        &cancel_path(login.client_id, id),
        &login.access,
        json!({"cancel_type": "immediate"}),
    )
    .await
}

#[tokio::test]
async fn an_immediate_cancel_at_an_epp_registry_deletes_the_name_once_and_refunds_nothing() {
    let app = app_with_nameservers();
    let key = staff(&app);
    let fake = epp_registrar(&app, &key, "com").await;
    let c = app.customer("delete-now@example.com").await;
    let id = registered(&app, &c, &key, "delete-now.com").await;
    assert!(fake.domain("delete-now.com").is_some());
    // The renewal is already invoiced when the customer gives the name up.
    days_before(&app, expiry(&staff_domain(&app, &key, id).await), 20);
    renewals_job(&app).await;
    assert_eq!(app.invoices(Some("unpaid")).await.len(), 1);
    let paid_before = app.invoices(Some("paid")).await;

    let login = app.login(&c.email, &c.password).await;
    let body = ok(
        &app,
        "POST",
        &cancel_path(login.client_id, id),
        &login.access,
        json!({"cancel_type": "immediate", "reason": "Moving the project elsewhere"}),
    )
    .await;
    assert_eq!(body["success"], true);
    assert_eq!(body["data"]["auto_renew"], false);
    // Held until the registry took the deletion.
    assert_eq!(body["data"]["status"], "active");
    assert!(app.invoices(Some("unpaid")).await.is_empty());
    assert_eq!(app.invoices(Some("cancelled")).await.len(), 1);

    registrar_job(&app).await;
    assert_eq!(fake.requests_with("<domain:delete").len(), 1);
    assert!(fake.domain("delete-now.com").is_none());
    let d = staff_domain(&app, &key, id).await;
    assert_eq!(d["data"]["status"], "cancelled", "{d}");
    // Nothing refunded: the paid invoices are as they were.
    assert_eq!(app.invoices(Some("paid")).await, paid_before);
    assert_eq!(app.invoices(Some("refunded")).await.len(), 0);

    // Asking again changes nothing and deletes nothing more.
    let (status, again) = call(
        &app,
        "POST",
        &cancel_path(login.client_id, id),
        &login.access,
        json!({"cancel_type": "immediate"}),
    )
    .await;
    assert_eq!(status, 409, "{again}");
    registrar_job(&app).await;
    renewals_job(&app).await;
    assert_eq!(fake.requests_with("<domain:delete").len(), 1);
    assert!(app.invoices(Some("unpaid")).await.is_empty());

    let auditor = app.staff_key(&["audit:read"]);
    let rows = ok(
        &app,
        "GET",
        &format!(
            "/api/v1/audit-log?action=domain.deletion_requested&subject_type=domain&subject_id={id}"
        ),
        &auditor,
        json!({}),
    )
    .await;
    assert_eq!(
        rows["data"][0]["details"]["reason"],
        "Moving the project elsewhere"
    );
}

#[tokio::test]
async fn a_deletion_whose_answer_was_lost_is_done_when_tried_again() {
    let app = app_with_nameservers();
    let key = staff(&app);
    let fake = epp_registrar(&app, &key, "com").await;
    let c = app.customer("lost-delete@example.com").await;
    let id = registered(&app, &c, &key, "lost-delete.com").await;
    cancel_now(&app, &c, id).await;
    // The registry deleted it, but the answer never came back to till.
    fake.add_status("lost-delete.com", "pendingDelete");
    registrar_job(&app).await;
    assert!(fake.requests_with("<domain:delete").is_empty());
    assert_eq!(
        staff_domain(&app, &key, id).await["data"]["status"],
        "cancelled"
    );
}

#[tokio::test]
async fn an_immediate_cancel_at_logicboxes_deletes_the_order() {
    let app = app_with_nameservers();
    let key = staff(&app);
    let fake = logicboxes_registrar(&app, &key, "net").await;
    let c = app.customer("lb-delete@example.com").await;
    let id = registered(&app, &c, &key, "lb-delete.net").await;
    let d = staff_domain(&app, &key, id).await;
    assert_eq!(d["data"]["status"], "active", "{d}");
    cancel_now(&app, &c, id).await;
    registrar_job(&app).await;
    let deletes = fake.calls_to("domains/delete.json");
    assert_eq!(deletes.len(), 1);
    let order = fake.order("lb-delete.net").unwrap();
    assert_eq!(
        deletes[0].param("order-id"),
        Some(order.id.to_string().as_str())
    );
    assert_eq!(order.status, "Deleted");
    assert_eq!(
        staff_domain(&app, &key, id).await["data"]["status"],
        "cancelled"
    );
}

#[tokio::test]
async fn the_manual_registrars_domain_cannot_be_deleted_at_once_and_nothing_changes() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let c = app.customer("manual-delete@example.com").await;
    let id = registered(&app, &c, &key, "by-hand-delete.org").await;
    ok(
        &app,
        "POST",
        &format!("/api/v1/domains/{id}/registered"),
        &key,
        json!({"expiry_date": "2027-03-01"}),
    )
    .await;
    let login = app.login(&c.email, &c.password).await;
    let (status, body) = call(
        &app,
        "POST",
        &cancel_path(login.client_id, id),
        &login.access,
        json!({"cancel_type": "immediate"}),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["errors"]["cancel_type"][0].is_string(), "{body}");
    let d = staff_domain(&app, &key, id).await;
    assert_eq!(d["data"]["auto_renew"], true);
    assert!(
        d["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["action"] != "delete"),
        "{d}"
    );

    // Another kind of cancel is a 422 naming the field.
    let (status, body) = call(
        &app,
        "POST",
        &cancel_path(login.client_id, id),
        &login.access,
        json!({"cancel_type": "refund"}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(body["errors"]["cancel_type"][0].is_string(), "{body}");
}

#[tokio::test]
async fn another_clients_domain_is_not_found_for_an_immediate_cancel() {
    let app = app_with_nameservers();
    let key = staff(&app);
    let fake = epp_registrar(&app, &key, "com").await;
    let owner = app.customer("owner-delete@example.com").await;
    let id = registered(&app, &owner, &key, "not-yours.com").await;
    let other = app.customer("other-delete@example.com").await;
    let other = app.login(&other.email, &other.password).await;
    let (status, _) = call(
        &app,
        "POST",
        &cancel_path(other.client_id, id),
        &other.access,
        json!({"cancel_type": "immediate"}),
    )
    .await;
    assert_eq!(status, 404);
    registrar_job(&app).await;
    assert!(fake.requests_with("<domain:delete").is_empty());
    assert_eq!(
        staff_domain(&app, &key, id).await["data"]["status"],
        "active"
    );
}
