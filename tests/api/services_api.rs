//! A client's services through the API: hosting accounts, label, billing
//! cycle, upgrade and downgrade with proration, cancellation now or at the
//! end of the period, and the portal notifications of these events.

use jiff::SignedDuration;
use serde_json::{Value, json};
use till::clock::Clock;

use crate::support::{TestApp, call, json_with_status, live_starter};

/// The actions of the service's module tasks, oldest first, as staff see
/// the service.
async fn tasks(app: &TestApp, service: i64) -> Vec<String> {
    let mut tasks = app.service(service).await["tasks"]
        .as_array()
        .unwrap()
        .clone();
    tasks.sort_by_key(|t| t["id"].as_i64().unwrap());
    tasks
        .iter()
        .map(|t| t["action"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn hosting_accounts_are_listed_and_labelled() {
    let app = TestApp::with_catalog();
    let c = app.customer("svc@example.com").await;
    let id = live_starter(&app, &c).await;
    let list = json_with_status(call(&app, &c, "GET", "/hosting", None).await, 200).await;
    let h = &list["data"][0];
    assert_eq!(h["id"], id);
    assert_eq!(h["status"], "active");
    assert_eq!(h["domain"], "shop.example");
    assert_eq!(h["recurring_amount"]["amount_minor"], 499);
    assert_eq!(h["next_due_date"], "2026-02-15");

    let res = call(
        &app,
        &c,
        "PUT",
        &format!("/services/{id}/label"),
        Some(json!({"label": "x".repeat(101)})),
    )
    .await;
    json_with_status(res, 422).await;
    json_with_status(
        call(
            &app,
            &c,
            "PUT",
            &format!("/services/{id}/label"),
            Some(json!({"label": "Shop"})),
        )
        .await,
        200,
    )
    .await;
    let label = json_with_status(
        call(&app, &c, "GET", &format!("/services/{id}/label"), None).await,
        200,
    )
    .await;
    assert_eq!(label["data"]["label"], "Shop");
    let one = json_with_status(
        call(&app, &c, "GET", &format!("/hosting/{id}"), None).await,
        200,
    )
    .await;
    assert_eq!(one["data"]["display_name"], "Shop");

    // Another customer sees none of it.
    let other = app.customer("other@example.com").await;
    let res = app
        .get_auth(
            &format!("/api/v1/clients/{}/services/{id}", c.client_id),
            &other.access,
        )
        .await;
    assert_eq!(res.status(), 404);
    let res = call(&app, &other, "GET", &format!("/services/{id}"), None).await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn the_cycle_changes_from_the_next_renewal() {
    let app = TestApp::with_catalog();
    let c = app.customer("cycle@example.com").await;
    let id = live_starter(&app, &c).await;
    let options = json_with_status(
        call(&app, &c, "GET", &format!("/services/{id}/cycle"), None).await,
        200,
    )
    .await;
    let cycles: Vec<&str> = options["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["billing_cycle"].as_str().unwrap())
        .collect();
    assert_eq!(cycles, ["monthly", "annually"]);
    json_with_status(
        call(
            &app,
            &c,
            "POST",
            &format!("/services/{id}/cycle"),
            Some(json!({"billing_cycle": "quarterly"})),
        )
        .await,
        422,
    )
    .await;
    let changed = json_with_status(
        call(
            &app,
            &c,
            "POST",
            &format!("/services/{id}/cycle"),
            Some(json!({"billing_cycle": "annually"})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(changed["data"]["billing_cycle"], "annually");
    assert_eq!(changed["data"]["recurring_amount"]["amount_minor"], 4990);
    // The paid month stays paid.
    assert_eq!(changed["data"]["next_due_date"], "2026-02-15");
}

#[tokio::test]
async fn an_upgrade_is_invoiced_for_the_days_left_and_applied_when_paid() {
    let app = TestApp::with_catalog();
    let c = app.customer("up@example.com").await;
    let id = live_starter(&app, &c).await;
    // 21 of the 31 days of 15 Jan – 15 Feb are left.
    app.clock.advance(SignedDuration::from_hours(24 * 10));
    let c = app.login(&c.email, &c.password).await;
    let options = json_with_status(
        call(&app, &c, "GET", &format!("/services/{id}/upgrade"), None).await,
        200,
    )
    .await;
    let business = options["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "Business")
        .unwrap()
        .clone();
    assert_eq!(business["days_left"], 21);
    assert_eq!(business["days_in_period"], 31);
    // (9.99 - 4.99) × 21 / 31 = 3.387… → 3.39
    assert_eq!(business["amount_now"]["amount_minor"], 339);

    let res = call(
        &app,
        &c,
        "POST",
        &format!("/services/{id}/upgrade"),
        Some(json!({"product_id": "vps-2-gb"})),
    )
    .await;
    json_with_status(res, 422).await;
    let up = json_with_status(
        call(
            &app,
            &c,
            "POST",
            &format!("/services/{id}/upgrade"),
            Some(json!({"product_id": "business"})),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(up["applied"], false);
    assert_eq!(up["invoice"]["total"]["amount_minor"], 339);
    assert_eq!(up["data"]["product"], "Starter");
    let res = call(
        &app,
        &c,
        "POST",
        &format!("/services/{id}/upgrade"),
        Some(json!({"product_id": "business"})),
    )
    .await;
    assert_eq!(res.status(), 409);

    let staff = app.staff_key(&["billing:write"]);
    let invoice = up["invoice"]["id"].as_i64().unwrap();
    assert_eq!(
        app.staff_pay(&staff, invoice, "3.39", "T-2").await.status(),
        200
    );
    let after = json_with_status(
        call(&app, &c, "GET", &format!("/services/{id}"), None).await,
        200,
    )
    .await;
    assert_eq!(after["data"]["product"], "Business");
    assert_eq!(after["data"]["recurring_amount"]["amount_minor"], 999);
    assert!(after["data"]["pending_change_invoice"].is_null());
    assert!(
        tasks(&app, id)
            .await
            .contains(&"change_package".to_string())
    );

    // Back down: applied at once, the difference to credit.
    let down = json_with_status(
        call(
            &app,
            &c,
            "POST",
            &format!("/services/{id}/upgrade"),
            Some(json!({"product_id": "starter"})),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(down["applied"], true);
    assert_eq!(down["change"]["amount_now"]["amount_minor"], -339);
    let me = json_with_status(
        app.get_auth(&format!("/api/v1/clients/{}", c.client_id), &c.access)
            .await,
        200,
    )
    .await;
    assert_eq!(me["data"]["credit_balance"]["amount_minor"], 339);
}

#[tokio::test]
async fn a_service_is_cancelled_now_or_at_the_end_of_its_period() {
    let app = TestApp::with_catalog();
    let c = app.customer("cancel@example.com").await;
    let id = live_starter(&app, &c).await;
    json_with_status(
        call(
            &app,
            &c,
            "POST",
            &format!("/services/{id}/cancel"),
            Some(json!({"cancellation_type": "someday"})),
        )
        .await,
        422,
    )
    .await;
    let asked = json_with_status(
        call(
            &app,
            &c,
            "POST",
            &format!("/hosting/{id}/cancel"),
            Some(
                json!({"cancellation_type": "end_of_billing_period", "reason": "No longer needed"}),
            ),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(asked["data"]["status"], "active");
    let res = call(
        &app,
        &c,
        "POST",
        &format!("/services/{id}/cancel"),
        Some(json!({"cancellation_type": "immediate"})),
    )
    .await;
    assert_eq!(res.status(), 409);
    // Before the period ends nothing happens; after, the dunning job ends
    // it, once (and renewals never invoiced it).
    let brand = till::service::email::Branding::from_config(&app.state.config);
    till::service::automation::dunning::run(&app.state.db, &brand, app.clock.now()).unwrap();
    let still = json_with_status(
        call(&app, &c, "GET", &format!("/services/{id}"), None).await,
        200,
    )
    .await;
    assert_eq!(still["data"]["status"], "active");
    app.clock.set("2026-02-15T00:00:01Z".parse().unwrap());
    till::service::automation::renewals::invoice_due(&app.state.db, &brand, app.clock.now())
        .unwrap();
    till::service::automation::dunning::run(&app.state.db, &brand, app.clock.now()).unwrap();
    till::service::automation::dunning::run(&app.state.db, &brand, app.clock.now()).unwrap();
    let c = app.login(&c.email, &c.password).await;
    let after = json_with_status(
        call(&app, &c, "GET", &format!("/services/{id}"), None).await,
        200,
    )
    .await;
    assert_eq!(after["data"]["status"], "cancelled");
    assert_eq!(tasks(&app, id).await, ["terminate"]);
    let invoices = json_with_status(call(&app, &c, "GET", "/invoices", None).await, 200).await;
    assert_eq!(
        invoices["data"].as_array().unwrap().len(),
        1,
        "no renewal for a service ending"
    );

    // Immediately: ended now, its module asked to terminate it.
    let c2 = app.customer("now@example.com").await;
    let id2 = live_starter(&app, &c2).await;
    let now = json_with_status(
        call(
            &app,
            &c2,
            "POST",
            &format!("/services/{id2}/cancel"),
            Some(json!({"cancellation_type": "immediate"})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(now["data"]["status"], "cancelled");
    assert_eq!(tasks(&app, id2).await, ["terminate"]);
}

#[tokio::test]
async fn notifications_tell_of_orders_payments_and_services_and_are_acknowledged_per_user() {
    let app = TestApp::with_catalog();
    let c = app.customer("note@example.com").await;
    live_starter(&app, &c).await;
    let all = json_with_status(app.get_auth("/api/v1/notifications", &c.access).await, 200).await;
    let kinds: Vec<&str> = all["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["type"].as_str().unwrap())
        .collect();
    for k in ["order_placed", "invoice_paid", "service_activated"] {
        assert!(kinds.contains(&k), "{kinds:?}");
    }
    let first = all["notifications"][0]["id"].as_i64().unwrap();
    let res = app
        .http
        .put(app.url(&format!("/api/v1/notifications/{first}/ack")))
        .bearer_auth(&c.access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let new = json_with_status(
        app.get_auth("/api/v1/notifications/new", &c.access).await,
        200,
    )
    .await;
    assert_eq!(
        new["notifications"].as_array().unwrap().len(),
        kinds.len() - 1
    );
    let other = app.customer("stranger@example.com").await;
    let res = app
        .http
        .put(app.url(&format!("/api/v1/notifications/{first}/ack")))
        .bearer_auth(&other.access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let theirs = json_with_status(
        app.get_auth("/api/v1/notifications", &other.access).await,
        200,
    )
    .await;
    assert!(theirs["notifications"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_manual_service_has_no_panel_login_and_passwords_must_match() {
    let app = TestApp::with_catalog();
    let c = app.customer("panel@example.com").await;
    let id = live_starter(&app, &c).await;
    let res = call(&app, &c, "POST", &format!("/hosting/{id}/login-url"), None).await;
    assert_eq!(res.status(), 400, "{}", res.text().await.unwrap());
    let res = call(
        &app,
        &c,
        "POST",
        &format!("/hosting/{id}/change-password"),
        Some(json!({"password": "Str0ng-Passw0rd!", "password_confirmation": "other"})),
    )
    .await;
    json_with_status(res, 422).await;
    let other = app.customer("panel-other@example.com").await;
    let res = app
        .http
        .post(app.url(&format!(
            "/api/v1/clients/{}/hosting/{id}/login-url",
            c.client_id
        )))
        .bearer_auth(&other.access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn a_client_renews_ahead_once_per_period() {
    let app = TestApp::with_catalog();
    let c = app.customer("renew@example.com").await;
    let id = live_starter(&app, &c).await;
    let renewed = json_with_status(
        call(&app, &c, "POST", &format!("/services/{id}/renew"), None).await,
        201,
    )
    .await;
    assert_eq!(renewed["invoice"]["total"]["amount_minor"], 499);
    let shown = json_with_status(
        call(
            &app,
            &c,
            "GET",
            &format!("/invoices/{}", renewed["invoice"]["id"]),
            None,
        )
        .await,
        200,
    )
    .await;
    let line = &shown["data"]["items"][0];
    assert_eq!(line["period_start"], "2026-02-15");
    assert_eq!(line["period_end"], "2026-03-15");
    // The renewal job does not bill that period again.
    let brand = till::service::email::Branding::from_config(&app.state.config);
    app.clock.set("2026-02-10T09:00:00Z".parse().unwrap());
    till::service::automation::renewals::invoice_due(&app.state.db, &brand, app.clock.now())
        .unwrap();
    let c = app.login(&c.email, &c.password).await;
    let invoices = json_with_status(call(&app, &c, "GET", "/invoices", None).await, 200).await;
    let periods: Vec<Value> = invoices["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].clone())
        .collect();
    assert_eq!(periods.len(), 2, "{invoices}");
    // A cancelled service has nothing to renew.
    json_with_status(
        call(
            &app,
            &c,
            "POST",
            &format!("/services/{id}/cancel"),
            Some(json!({"cancellation_type": "immediate"})),
        )
        .await,
        200,
    )
    .await;
    let res = call(&app, &c, "POST", &format!("/services/{id}/renew"), None).await;
    assert_eq!(res.status(), 409);
}
