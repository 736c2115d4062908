//! Chasing an unpaid renewal: a reminder before the due date and overdue
//! notices after it, each once; a late fee once; suspension after five days
//! and unsuspension on payment (as module tasks with their dedupe keys);
//! catch-up after the clock jumps three months; termination when it is on;
//! cancellation at period end; stale orders cancelled.

use serde_json::json;
use till::clock::Clock;

use crate::support::{
    TestApp, at, json_with_status,
    renewals::{order, pay_all, run_jobs, setup},
    sql,
};

/// What the jobs have made so far: invoices, emails, module tasks and
/// invoice lines.
async fn snapshot(app: &TestApp) -> (usize, usize, usize, usize) {
    (
        app.invoice_count(None).await,
        app.emails().await.len(),
        app.module_tasks(None).await.len(),
        app.invoice_lines().await.len(),
    )
}

async fn put_settings(app: &TestApp, key: &str, body: serde_json::Value) -> reqwest::Response {
    app.http
        .put(app.url("/api/v1/automation-settings"))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn walk(app: &TestApp, from: &str, to: &str) {
    let mut day: jiff::civil::Date = from.parse().unwrap();
    let last: jiff::civil::Date = to.parse().unwrap();
    while day <= last {
        app.clock.set(at(&day.to_string()));
        run_jobs(app).await;
        run_jobs(app).await;
        day = day.tomorrow().unwrap();
    }
}

#[tokio::test]
async fn an_unpaid_renewal_is_reminded_fined_suspended_resumed_caught_up_and_terminated() {
    let app = setup();
    let staff = app.staff_key(&["billing:write", "billing:read"]);

    // Settings: defaults, validation, and a late fee.
    let body = json_with_status(
        app.get_auth("/api/v1/automation-settings", &staff).await,
        200,
    )
    .await;
    assert_eq!(body["data"]["invoice_days_before"], 14);
    assert_eq!(body["data"]["overdue_reminder_days"], json!([1, 3, 7]));
    assert_eq!(body["data"]["suspend_after_days"], 5);
    assert_eq!(body["data"]["terminate_after_days"], json!(null));
    let res = put_settings(
        &app,
        &staff,
        json!({"invoice_days_before": 400, "overdue_reminder_days": [0],
               "late_fee": {"enabled": true, "kind": "weekly", "amount": "x", "after_days": 3}}),
    )
    .await;
    let body = json_with_status(res, 422).await;
    for f in [
        "invoice_days_before",
        "overdue_reminder_days",
        "late_fee.kind",
    ] {
        assert!(body["errors"][f].is_array(), "{f}: {body}");
    }
    let reader = app.staff_key(&["billing:read"]);
    assert_eq!(put_settings(&app, &reader, json!({})).await.status(), 403);
    let res = put_settings(
        &app,
        &staff,
        json!({"late_fee": {"enabled": true, "kind": "fixed", "amount": "2.00", "after_days": 3}}),
    )
    .await;
    let body = json_with_status(res, 200).await;
    assert_eq!(body["data"]["late_fee"]["amount"], "2.00");
    assert_eq!(body["data"]["invoice_days_before"], 14);

    app.clock.set(at("2028-01-31"));
    let c = app.customer("late@example.com").await;
    let svc = order(&app, &c, "monthly", "late-1").await;
    pay_all(&app, &staff).await;

    // Due 29 February 2028; invoiced on the 15th, reminded on the 22nd,
    // overdue from 1 March; fee on the 3rd; suspended on the 5th.
    walk(&app, "2028-02-01", "2028-03-07").await;
    let inv = app.invoices(None).await.last().unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(app.invoices_without_order().await.len(), 1);
    let renewal = app.invoice(inv).await;
    assert_eq!(
        (&renewal["issue_date"], &renewal["due_date"]),
        (&json!("2028-02-15"), &json!("2028-02-29"))
    );
    assert_eq!(app.email_count("payment_reminder").await, 1);
    assert_eq!(app.email_count("overdue_notice").await, 3);
    assert_eq!(sql::late_fee_rows(&app), 1);
    assert_eq!(renewal["total"]["amount_minor"], 1400);
    assert_eq!(
        renewal["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["kind"] == "manual" && l["amount"]["amount_minor"] == 200)
            .count(),
        1
    );
    assert_eq!(app.service(svc).await["status"], "suspended");
    assert_eq!(
        sql::module_tasks_keyed(&app, Some("suspend"), &format!("suspend:{svc}:{inv}")),
        1
    );
    assert_eq!(app.email_count("service_suspended").await, 1);

    // Paying lifts the suspension and moves the due date.
    pay_all(&app, &staff).await;
    let service = app.service(svc).await;
    assert_eq!(service["status"], "active");
    assert_eq!(
        sql::module_tasks_keyed(&app, Some("unsuspend"), &format!("unsuspend:{svc}:{inv}")),
        1
    );
    assert_eq!(service["next_due_date"], "2028-03-31");
    assert_eq!(app.email_count("service_unsuspended").await, 1);

    // Three months pass unseen: one run bills every missed period, oldest
    // first, and suspends again.
    app.clock.set(at("2028-06-20"));
    run_jobs(&app).await;
    // The service's periods billed after `inv`, by invoice.
    let mut periods: Vec<(i64, String, String)> = Vec::new();
    for i in app.invoices(None).await {
        let id = i["id"].as_i64().unwrap();
        if id <= inv {
            continue;
        }
        for l in app.invoice(id).await["items"].as_array().unwrap() {
            if l["service_id"] == svc && l["kind"] == "service" {
                periods.push((
                    id,
                    l["period_start"].as_str().unwrap().to_string(),
                    l["period_end"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    let spans: Vec<(&str, &str)> = periods
        .iter()
        .map(|p| (p.1.as_str(), p.2.as_str()))
        .collect();
    assert_eq!(
        spans,
        [
            ("2028-03-31", "2028-04-30"),
            ("2028-04-30", "2028-05-31"),
            ("2028-05-31", "2028-06-30"),
            ("2028-06-30", "2028-07-31")
        ]
    );
    let oldest = periods[0].0;
    assert_eq!(
        sql::module_tasks_keyed(&app, None, &format!("suspend:{svc}:{oldest}")),
        1
    );
    // One notice per overdue invoice, however many steps it passed at once.
    assert_eq!(app.email_count("overdue_notice").await, 3 + 3);
    assert_eq!(sql::late_fee_rows(&app), 1 + 3);

    // The same moment again changes nothing.
    // The module worker, woken by the suspension, may still be sending its
    // email: let it finish on both sides of the second run.
    app.settle_module_tasks().await;
    let before = snapshot(&app).await;
    run_jobs(&app).await;
    app.settle_module_tasks().await;
    assert_eq!(snapshot(&app).await, before);

    // Termination, when turned on, 30 days overdue.
    let res = put_settings(
        &app,
        &staff,
        json!({"late_fee": {"enabled": true, "kind": "fixed", "amount": "2.00", "after_days": 3},
               "terminate_after_days": 30}),
    )
    .await;
    assert_eq!(res.status(), 200);
    run_jobs(&app).await;
    assert_eq!(app.service(svc).await["status"], "terminated");
    assert_eq!(
        sql::module_tasks_keyed(&app, None, &format!("terminate:{svc}:{oldest}")),
        1
    );
    assert_eq!(app.email_count("service_terminated").await, 1);
    let before = snapshot(&app).await;
    app.clock.set(at("2028-08-20"));
    run_jobs(&app).await;
    let after = snapshot(&app).await;
    assert_eq!(after.0, before.0, "a terminated service is not billed");
    assert_eq!(after.2, before.2);
}

#[tokio::test]
async fn cancellation_at_period_end_and_stale_orders() {
    let app = setup();
    let staff = app.staff_key(&["billing:write", "billing:read"]);
    app.clock.set(at("2028-01-10"));
    let c = app.customer("leaving@example.com").await;
    let leaving = order(&app, &c, "monthly", "leaving").await;
    pay_all(&app, &staff).await;
    let unpaid = order(&app, &c, "monthly", "never-paid").await;
    let now = app.clock.now();
    app.state
        .db
        .write(|tx| {
            till::service::automation::renewals::cancel_at_period_end(
                tx,
                leaving,
                "moving elsewhere",
                till::service::audit::Actor::System,
                now,
            )
        })
        .unwrap();

    walk(&app, "2028-01-11", "2028-01-23").await;
    assert_eq!(app.service(unpaid).await["status"], "pending");
    walk(&app, "2028-01-24", "2028-02-11").await;
    // 14 days unpaid: the order, its invoice and its service are cancelled.
    assert_eq!(app.service(unpaid).await["status"], "cancelled");
    assert_eq!(app.order_count(Some("cancelled")).await, 1);
    assert_eq!(app.invoice_count(Some("cancelled")).await, 1);
    // The leaving service was not renewed, and ended with its period.
    assert_eq!(app.invoices_without_order().await.len(), 0);
    assert_eq!(app.service(leaving).await["status"], "cancelled");
    assert_eq!(
        sql::module_tasks_keyed(
            &app,
            Some("terminate"),
            &format!("terminate:{leaving}:cancelled")
        ),
        1
    );
    assert!(sql::cancelled_because(&app, leaving, "moving elsewhere"));
}
