//! Addons of a live service (reference 004 `/service/@id/addon`) and what a
//! cancelled invoice does to the periods and changes it billed.
//!
//! The sample Starter plan is 4.99 monthly, ordered on 2026-01-15 (due
//! again 2026-02-15); its addons are Daily backups (1.50 monthly) and a
//! Dedicated IP (3.00 monthly + 2.00 setup). No tax applies.

use serde_json::{Value, json};

use crate::support::{
    Customer, TestApp, at, call, json_with_status, live_starter, renewals::run_jobs, sql,
};

/// Move the clock to `day` (09:00 UTC) and log in again (access tokens
/// expire).
async fn travel(app: &TestApp, c: &Customer, day: &str) -> Customer {
    app.clock.set(at(day));
    app.login(&c.email, &c.password).await
}

async fn order_addon(app: &TestApp, c: &Customer, service: i64, addon: i64, status: u16) -> Value {
    json_with_status(
        call(
            app,
            c,
            "POST",
            &format!("/services/{service}/addons"),
            Some(json!({"addon_id": addon})),
        )
        .await,
        status,
    )
    .await
}

async fn pay(app: &TestApp, invoice: i64, amount: &str) {
    let staff = app.staff_key(&["billing:write"]);
    let res = app
        .staff_pay(&staff, invoice, amount, &format!("T-{invoice}"))
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

/// The lines (description, minor units) of an invoice, as staff see it.
async fn lines(app: &TestApp, invoice: i64) -> Vec<(String, i64)> {
    app.invoice(invoice).await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["description"].as_str().unwrap().to_string(),
                l["amount"]["amount_minor"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// The renewal invoices (no order made them) that bill a service period,
/// oldest first.
async fn renewal_invoices(app: &TestApp) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in app.invoices_without_order().await {
        let id = i["id"].as_i64().unwrap();
        let items = app.invoice(id).await["items"].clone();
        if items
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["kind"] == "service")
        {
            ids.push(id);
        }
    }
    ids
}

#[tokio::test]
async fn an_addon_is_charged_for_the_days_left_starts_when_paid_and_renews_with_its_service() {
    let app = TestApp::with_catalog();
    let c = app.customer("addons@example.com").await;
    let id = live_starter(&app, &c).await;
    let c = travel(&app, &c, "2026-01-25").await;
    let backups = app.addon_id("daily-backups").await;
    let ip = app.addon_id("dedicated-ip").await;

    // 21 of the 31 days of 2026-01-15..02-15 are left.
    let offers = json_with_status(
        call(
            &app,
            &c,
            "GET",
            &format!("/services/{id}/addons/available"),
            None,
        )
        .await,
        200,
    )
    .await;
    let offers = offers["data"].as_array().unwrap();
    assert_eq!(offers.len(), 2);
    let b = offers.iter().find(|o| o["addon_id"] == backups).unwrap();
    assert_eq!(b["recurring_amount"]["amount_minor"], 150);
    assert_eq!(b["due_now"]["amount_minor"], 102, "1.50 × 21/31 = 1.016…");
    assert_eq!(b["billing_cycle"], "monthly");
    let i = offers.iter().find(|o| o["addon_id"] == ip).unwrap();
    assert_eq!(
        i["due_now"]["amount_minor"],
        203 + 200,
        "prorated price and the setup fee"
    );

    let ordered = order_addon(&app, &c, id, backups, 201).await;
    assert_eq!(ordered["data"]["status"], "pending");
    assert_eq!(ordered["data"]["name"], "Daily backups");
    let invoice = ordered["invoice"]["id"].as_i64().unwrap();
    assert_eq!(ordered["invoice"]["total"]["amount_minor"], 102);
    assert_eq!(
        lines(&app, invoice).await,
        [(
            "Addon: Daily backups 2026-01-25 to 2026-02-14 (21 of 31 days)".to_string(),
            102
        )]
    );
    // Asked twice while the first waits for payment: refused.
    order_addon(&app, &c, id, backups, 409).await;

    pay(&app, invoice, "1.02").await;
    let list = json_with_status(
        call(&app, &c, "GET", &format!("/services/{id}/addons"), None).await,
        200,
    )
    .await;
    assert_eq!(list["data"][0]["status"], "active");
    assert_eq!(list["data"][0]["next_due_date"], "2026-02-15");
    // Only the IP is left to add.
    let offers = json_with_status(
        call(
            &app,
            &c,
            "GET",
            &format!("/services/{id}/addons/available"),
            None,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(offers["data"].as_array().unwrap().len(), 1);

    // The renewal invoice (14 days ahead) bills the addon with the service.
    let c = travel(&app, &c, "2026-02-01").await;
    run_jobs(&app).await;
    let renewal = *renewal_invoices(&app).await.last().unwrap();
    assert_eq!(
        lines(&app, renewal).await,
        [
            (
                "Starter (shop.example) 2026-02-15 to 2026-03-14".to_string(),
                499
            ),
            (
                "Addon: Daily backups 2026-02-15 to 2026-03-14".to_string(),
                150
            ),
        ]
    );
    // Paid, the service and its addon move on together.
    pay(&app, renewal, "6.49").await;
    let list = json_with_status(
        call(&app, &c, "GET", &format!("/services/{id}/addons"), None).await,
        200,
    )
    .await;
    assert_eq!(list["data"][0]["next_due_date"], "2026-03-15");
}

#[tokio::test]
async fn an_addon_ordered_after_the_renewal_was_invoiced_pays_for_that_period_too() {
    let app = TestApp::with_catalog();
    let c = app.customer("late@example.com").await;
    let id = live_starter(&app, &c).await;
    let c = travel(&app, &c, "2026-02-05").await;
    run_jobs(&app).await;
    assert_eq!(
        renewal_invoices(&app).await.len(),
        1,
        "02-15..03-15 is invoiced"
    );

    let backups = app.addon_id("daily-backups").await;
    let ordered = order_addon(&app, &c, id, backups, 201).await;
    let invoice = ordered["invoice"]["id"].as_i64().unwrap();
    // 10 of 31 days now, and the invoiced period in full.
    assert_eq!(
        lines(&app, invoice).await,
        [
            (
                "Addon: Daily backups 2026-02-05 to 2026-02-14 (10 of 31 days)".to_string(),
                48
            ),
            (
                "Addon: Daily backups 2026-02-15 to 2026-03-14".to_string(),
                150
            ),
        ]
    );
    pay(&app, invoice, "1.98").await;
    // The next renewal carries it.
    travel(&app, &c, "2026-03-01").await;
    run_jobs(&app).await;
    let renewal = *renewal_invoices(&app).await.last().unwrap();
    assert_eq!(lines(&app, renewal).await[1].1, 150);
    assert_eq!(renewal_invoices(&app).await.len(), 2);
}

#[tokio::test]
async fn addon_orders_are_checked_and_a_cancelled_invoice_drops_the_addon() {
    let app = TestApp::with_catalog();
    let c = app.customer("rules@example.com").await;
    let id = live_starter(&app, &c).await;
    let backups = app.addon_id("daily-backups").await;

    // Unknown or missing addon: 422 with the field, nothing written.
    let bad = order_addon(&app, &c, id, 9999, 422).await;
    assert!(bad["errors"]["addon_id"].is_array(), "{bad}");
    let missing = json_with_status(
        call(
            &app,
            &c,
            "POST",
            &format!("/services/{id}/addons"),
            Some(json!({})),
        )
        .await,
        422,
    )
    .await;
    assert!(missing["errors"]["addon_id"].is_array(), "{missing}");
    // An addon not sold with this product.
    let staff = app.staff_key(&["catalog:write"]);
    let res = app
        .http
        .post(app.url("/api/v1/addons"))
        .bearer_auth(&staff)
        .json(&json!({"name": "VPS snapshots", "prices": [
            {"currency": "USD", "billing_cycle": "monthly", "price": "2"}], "products": ["vps-2-gb"]}))
        .send()
        .await
        .unwrap();
    let other = json_with_status(res, 201).await["data"]["id"]
        .as_i64()
        .unwrap();
    order_addon(&app, &c, id, other, 422).await;
    // Another client's service is not found.
    let stranger = app.customer("stranger@example.com").await;
    let res = call(
        &app,
        &stranger,
        "POST",
        &format!("/services/{id}/addons"),
        Some(json!({"addon_id": backups})),
    )
    .await;
    assert_eq!(res.status(), 404);
    let res = call(
        &app,
        &stranger,
        "GET",
        &format!("/services/{id}/addons"),
        None,
    )
    .await;
    assert_eq!(res.status(), 404);
    assert_eq!(app.service_addons().await.len(), 0);

    // Ordered, then staff cancel its invoice: the addon is dropped and can
    // be ordered again.
    let ordered = order_addon(&app, &c, id, backups, 201).await;
    let invoice = ordered["invoice"]["id"].as_i64().unwrap();
    let billing = app.staff_key(&["billing:write"]);
    let res = app
        .http
        .post(app.url(&format!("/api/v1/invoices/{invoice}/cancel")))
        .bearer_auth(&billing)
        .send()
        .await
        .unwrap();
    json_with_status(res, 200).await;
    let list = json_with_status(
        call(&app, &c, "GET", &format!("/services/{id}/addons"), None).await,
        200,
    )
    .await;
    assert_eq!(list["data"][0]["status"], "cancelled");
    order_addon(&app, &c, id, backups, 201).await;

    // A cancelled service takes no addon.
    json_with_status(
        call(
            &app,
            &c,
            "POST",
            &format!("/services/{id}/cancel"),
            Some(json!({"cancellation_type": "immediate", "reason": "moving"})),
        )
        .await,
        200,
    )
    .await;
    let ip = app.addon_id("dedicated-ip").await;
    order_addon(&app, &c, id, ip, 409).await;
}

#[tokio::test]
async fn free_and_one_time_addons() {
    let app = TestApp::with_catalog();
    let c = app.customer("free@example.com").await;
    let id = live_starter(&app, &c).await;
    let staff = app.staff_key(&["catalog:write"]);
    let mut ids = Vec::new();
    for body in [
        json!({"name": "Free SSL", "prices": [
            {"currency": "USD", "billing_cycle": "monthly", "price": "0"}], "products": ["starter"]}),
        json!({"name": "Migration", "prices": [
            {"currency": "USD", "billing_cycle": "onetime", "price": "25"}], "products": ["starter"]}),
    ] {
        let res = app
            .http
            .post(app.url("/api/v1/addons"))
            .bearer_auth(&staff)
            .json(&body)
            .send()
            .await
            .unwrap();
        ids.push(
            json_with_status(res, 201).await["data"]["id"]
                .as_i64()
                .unwrap(),
        );
    }
    // Free: active at once, no invoice.
    let free = order_addon(&app, &c, id, ids[0], 201).await;
    assert_eq!(free["data"]["status"], "active");
    assert!(free["invoice"].is_null());
    // One-time: its price once, and it never renews.
    let once = order_addon(&app, &c, id, ids[1], 201).await;
    assert_eq!(once["data"]["billing_cycle"], "onetime");
    let invoice = once["invoice"]["id"].as_i64().unwrap();
    assert_eq!(
        lines(&app, invoice).await,
        [("Addon: Migration".to_string(), 2500)]
    );
    pay(&app, invoice, "25.00").await;
    travel(&app, &c, "2026-02-01").await;
    run_jobs(&app).await;
    let renewal = *renewal_invoices(&app).await.last().unwrap();
    assert_eq!(
        lines(&app, renewal).await,
        [
            (
                "Starter (shop.example) 2026-02-15 to 2026-03-14".to_string(),
                499
            ),
            ("Addon: Free SSL 2026-02-15 to 2026-03-14".to_string(), 0),
        ]
    );
}

async fn cancel_invoice(app: &TestApp, invoice: i64, query: &str) {
    let billing = app.staff_key(&["billing:write"]);
    let res = app
        .http
        .post(app.url(&format!("/api/v1/invoices/{invoice}/cancel{query}")))
        .bearer_auth(&billing)
        .send()
        .await
        .unwrap();
    json_with_status(res, 200).await;
}

async fn next_due(app: &TestApp, service: i64) -> String {
    app.service(service).await["next_due_date"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_cancelled_renewal_invoice_releases_its_period_to_be_billed_again() {
    let app = TestApp::with_catalog();
    let c = app.customer("released@example.com").await;
    let id = live_starter(&app, &c).await;
    travel(&app, &c, "2026-02-01").await;
    run_jobs(&app).await;
    let first = renewal_invoices(&app).await[0];
    cancel_invoice(&app, first, "").await;
    // The next run bills the same period again, once.
    run_jobs(&app).await;
    run_jobs(&app).await;
    let all = renewal_invoices(&app).await;
    assert_eq!(all.len(), 2);
    assert_eq!(
        lines(&app, all[1]).await,
        [(
            "Starter (shop.example) 2026-02-15 to 2026-03-14".to_string(),
            499
        )]
    );
    // Paying the new one moves the service on.
    pay(&app, all[1], "4.99").await;
    assert_eq!(next_due(&app, id).await, "2026-03-15");
}

#[tokio::test]
async fn a_waived_renewal_counts_as_paid_and_is_not_billed_again() {
    let app = TestApp::with_catalog();
    let c = app.customer("waived@example.com").await;
    let id = live_starter(&app, &c).await;
    let c = travel(&app, &c, "2026-02-01").await;
    run_jobs(&app).await;
    let first = renewal_invoices(&app).await[0];
    cancel_invoice(&app, first, "?waive_periods=true").await;
    assert_eq!(
        next_due(&app, id).await,
        "2026-03-15",
        "the period was given free"
    );
    run_jobs(&app).await;
    assert_eq!(
        renewal_invoices(&app).await.len(),
        1,
        "nothing billed again"
    );
    // The period after it is billed as usual.
    travel(&app, &c, "2026-03-01").await;
    run_jobs(&app).await;
    let all = renewal_invoices(&app).await;
    assert_eq!(all.len(), 2);
    assert_eq!(
        lines(&app, all[1]).await[0].0,
        "Starter (shop.example) 2026-03-15 to 2026-04-14"
    );
    // Waiving is for unpaid invoices only.
    pay(&app, all[1], "4.99").await;
    let billing = app.staff_key(&["billing:write"]);
    let res = app
        .http
        .post(app.url(&format!(
            "/api/v1/invoices/{}/cancel?waive_periods=true",
            all[1]
        )))
        .bearer_auth(&billing)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let res = app
        .http
        .post(app.url(&format!(
            "/api/v1/invoices/{}/cancel?waive_periods=perhaps",
            all[1]
        )))
        .bearer_auth(&billing)
        .send()
        .await
        .unwrap();
    json_with_status(res, 422).await;
}

#[tokio::test]
async fn cancelling_a_service_cancels_the_renewals_it_will_not_use() {
    let app = TestApp::with_catalog();
    let c = app.customer("leaving@example.com").await;
    let id = live_starter(&app, &c).await;
    let c = travel(&app, &c, "2026-02-01").await;
    run_jobs(&app).await;
    let renewal = renewal_invoices(&app).await[0];
    json_with_status(
        call(
            &app,
            &c,
            "POST",
            &format!("/services/{id}/cancel"),
            Some(json!({"cancellation_type": "end_of_billing_period", "reason": "moving"})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        app.invoice(renewal).await["status"],
        "cancelled",
        "02-15..03-15 will not be used, so it is not owed"
    );
    // No reminder chases it and the service ends with its paid period.
    travel(&app, &c, "2026-02-20").await;
    run_jobs(&app).await;
    assert_eq!(sql::reminders_sent(&app, Some(renewal)), 0);
    assert_eq!(app.service(id).await["status"], "cancelled");
}

#[tokio::test]
async fn a_cancelled_upgrade_invoice_lets_the_client_ask_again() {
    let app = TestApp::with_catalog();
    let c = app.customer("upgrade@example.com").await;
    let id = live_starter(&app, &c).await;
    let c = travel(&app, &c, "2026-01-25").await;
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
    let invoice = up["invoice"]["id"].as_i64().unwrap();
    cancel_invoice(&app, invoice, "").await;
    let again = call(
        &app,
        &c,
        "POST",
        &format!("/services/{id}/upgrade"),
        Some(json!({"product_id": "business"})),
    )
    .await;
    assert_eq!(again.status(), 201, "{}", again.text().await.unwrap());
}

#[tokio::test]
async fn addons_ordered_with_the_service_renew_with_it() {
    let app = TestApp::with_catalog();
    let c = app.customer("bundle@example.com").await;
    let placed = app
        .place_order(
            &c,
            "o-1",
            json!({"items": [{"package_id": "starter", "billing_cycle": "monthly",
                "domain": "shop.example", "addons": ["daily-backups", "dedicated-ip"]}]}),
        )
        .await;
    let invoice = placed["invoice"]["id"].as_i64().unwrap();
    // 4.99 + 1.50 + 3.00 + 2.00 setup.
    assert_eq!(placed["invoice"]["total"]["amount_minor"], 1149);
    pay(&app, invoice, "11.49").await;
    let c = travel(&app, &c, "2026-02-01").await;
    run_jobs(&app).await;
    let renewal = *renewal_invoices(&app).await.last().unwrap();
    assert_eq!(
        lines(&app, renewal).await,
        [
            (
                "Starter (shop.example) 2026-02-15 to 2026-03-14".to_string(),
                499
            ),
            (
                "Addon: Daily backups 2026-02-15 to 2026-03-14".to_string(),
                150
            ),
            (
                "Addon: Dedicated IP 2026-02-15 to 2026-03-14".to_string(),
                300
            ),
        ]
    );
    let list = json_with_status(call(&app, &c, "GET", "/services/1/addons", None).await, 200).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 2);
    assert_eq!(list["data"][0]["next_due_date"], "2026-02-15");
    pay(&app, renewal, "9.49").await;
    let list = json_with_status(call(&app, &c, "GET", "/services/1/addons", None).await, 200).await;
    assert_eq!(list["data"][1]["next_due_date"], "2026-03-15");
}

fn cycles_of(options: &Value) -> Vec<String> {
    options["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["billing_cycle"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_new_cycle_takes_the_addons_along_and_one_they_are_not_sold_in_is_refused() {
    let app = TestApp::with_catalog();
    let c = app.customer("cycles@example.com").await;
    let placed = app
        .place_order(
            &c,
            "o-1",
            json!({"items": [{"package_id": "starter", "billing_cycle": "monthly",
                "domain": "shop.example", "addons": ["daily-backups"]}]}),
        )
        .await;
    pay(&app, placed["invoice"]["id"].as_i64().unwrap(), "6.49").await;

    // Backups are sold yearly too: the service and its addon move together.
    let options =
        json_with_status(call(&app, &c, "GET", "/services/1/cycle", None).await, 200).await;
    assert_eq!(cycles_of(&options), ["monthly", "annually"]);
    json_with_status(
        call(
            &app,
            &c,
            "POST",
            "/services/1/cycle",
            Some(json!({"billing_cycle": "annually"})),
        )
        .await,
        200,
    )
    .await;
    let list = json_with_status(call(&app, &c, "GET", "/services/1/addons", None).await, 200).await;
    assert_eq!(list["data"][0]["billing_cycle"], "annually");
    assert_eq!(list["data"][0]["recurring_amount"]["amount_minor"], 1500);
    travel(&app, &c, "2026-02-01").await;
    run_jobs(&app).await;
    let renewal = *renewal_invoices(&app).await.last().unwrap();
    assert_eq!(
        lines(&app, renewal).await,
        [
            (
                "Starter (shop.example) 2026-02-15 to 2027-02-14".to_string(),
                4990
            ),
            (
                "Addon: Daily backups 2026-02-15 to 2027-02-14".to_string(),
                1500
            ),
        ]
    );

    // An addon sold only monthly holds a second service to its month.
    let other = app.customer("monthly-only@example.com").await;
    let placed = app
        .place_order(
            &other,
            "o-2",
            json!({"items": [{"package_id": "starter", "billing_cycle": "monthly", "domain": "two.example"}]}),
        )
        .await;
    pay(&app, placed["invoice"]["id"].as_i64().unwrap(), "4.99").await;
    let service = placed["services"][0]["id"]
        .as_i64()
        .or_else(|| placed["order"]["items"][0]["id"].as_i64())
        .unwrap();
    let staff = app.staff_key(&["catalog:write"]);
    let res = app
        .http
        .post(app.url("/api/v1/addons"))
        .bearer_auth(&staff)
        .json(&json!({"name": "Monthly support", "prices": [
            {"currency": "USD", "billing_cycle": "monthly", "price": "0"}], "products": ["starter"]}))
        .send()
        .await
        .unwrap();
    let support = json_with_status(res, 201).await["data"]["id"]
        .as_i64()
        .unwrap();
    order_addon(&app, &other, service, support, 201).await;
    let options = json_with_status(
        call(
            &app,
            &other,
            "GET",
            &format!("/services/{service}/cycle"),
            None,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(cycles_of(&options), ["monthly"]);
    let refused = json_with_status(
        call(
            &app,
            &other,
            "POST",
            &format!("/services/{service}/cycle"),
            Some(json!({"billing_cycle": "annually"})),
        )
        .await,
        422,
    )
    .await;
    assert!(refused["errors"]["billing_cycle"].is_array(), "{refused}");
    assert_eq!(app.service(service).await["billing_cycle"], "monthly");
}
