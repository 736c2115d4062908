//! Chasing an unpaid renewal: a reminder before the due date and overdue
//! notices after it, each once; a late fee once; suspension after five days
//! and unsuspension on payment (as module tasks with their dedupe keys);
//! catch-up after the clock jumps three months; termination when it is on;
//! cancellation at period end; stale orders cancelled.

use serde_json::json;
use till::clock::Clock;

use crate::support::{
    at, json_with_status,
    renewals::{order, pay_all, run_jobs, setup},
    sql::one,
};

fn count(app: &crate::support::TestApp, sql: &str) -> i64 {
    one(app, sql)
}

async fn put_settings(
    app: &crate::support::TestApp,
    key: &str,
    body: serde_json::Value,
) -> reqwest::Response {
    app.http
        .put(app.url("/api/v1/automation-settings"))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn walk(app: &crate::support::TestApp, from: &str, to: &str) {
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
    let inv = count(&app, "SELECT MAX(id) FROM invoices");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM invoices WHERE order_id IS NULL"),
        1
    );
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM invoices WHERE id = {inv} AND issue_date = '2028-02-15' AND due_date = '2028-02-29'"
            )
        ),
        1
    );
    let template = |t: &str| format!("SELECT COUNT(*) FROM email_outbox WHERE template = '{t}'");
    assert_eq!(count(&app, &template("payment_reminder")), 1);
    assert_eq!(count(&app, &template("overdue_notice")), 3);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM late_fees"), 1);
    assert_eq!(
        count(
            &app,
            &format!("SELECT total FROM invoices WHERE id = {inv}")
        ),
        1400
    );
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM invoice_items WHERE invoice_id = {inv} AND kind = 'manual' AND amount = 200"
            )
        ),
        1
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT status = 'suspended' FROM services WHERE id = {svc}")
        ),
        1
    );
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM module_tasks WHERE action = 'suspend' AND dedupe_key = 'suspend:{svc}:{inv}'"
            )
        ),
        1
    );
    assert_eq!(count(&app, &template("service_suspended")), 1);

    // Paying lifts the suspension and moves the due date.
    pay_all(&app, &staff).await;
    assert_eq!(
        count(
            &app,
            &format!("SELECT status = 'active' FROM services WHERE id = {svc}")
        ),
        1
    );
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM module_tasks WHERE action = 'unsuspend' AND dedupe_key = 'unsuspend:{svc}:{inv}'"
            )
        ),
        1
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT next_due_date = '2028-03-31' FROM services WHERE id = {svc}")
        ),
        1
    );
    assert_eq!(count(&app, &template("service_unsuspended")), 1);

    // Three months pass unseen: one run bills every missed period, oldest
    // first, and suspends again.
    app.clock.set(at("2028-06-20"));
    run_jobs(&app).await;
    let periods: Vec<(i64, String, String)> = app
        .state
        .db
        .read(move |c| {
            let mut s = c.prepare(
                "SELECT ii.invoice_id, ii.period_start, ii.period_end FROM invoice_items ii
                 WHERE ii.service_id = ?1 AND ii.kind = 'service' AND ii.invoice_id > ?2 ORDER BY ii.invoice_id",
            )?;
            let rows = s.query_map([svc, inv], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .unwrap();
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
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM module_tasks WHERE dedupe_key = 'suspend:{svc}:{oldest}'"
            )
        ),
        1
    );
    // One notice per overdue invoice, however many steps it passed at once.
    assert_eq!(count(&app, &template("overdue_notice")), 3 + 3);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM late_fees"), 1 + 3);

    // The same moment again changes nothing.
    let snapshot = |app: &crate::support::TestApp| {
        (
            count(app, "SELECT COUNT(*) FROM invoices"),
            count(app, "SELECT COUNT(*) FROM email_outbox"),
            count(app, "SELECT COUNT(*) FROM module_tasks"),
            count(app, "SELECT COUNT(*) FROM invoice_items"),
        )
    };
    // The module worker, woken by the suspension, may still be sending its
    // email: let it finish on both sides of the second run.
    app.settle_module_tasks().await;
    let before = snapshot(&app);
    run_jobs(&app).await;
    app.settle_module_tasks().await;
    assert_eq!(snapshot(&app), before);

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
    assert_eq!(
        count(
            &app,
            &format!("SELECT status = 'terminated' FROM services WHERE id = {svc}")
        ),
        1
    );
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM module_tasks WHERE dedupe_key = 'terminate:{svc}:{oldest}'"
            )
        ),
        1
    );
    assert_eq!(count(&app, &template("service_terminated")), 1);
    let before = snapshot(&app);
    app.clock.set(at("2028-08-20"));
    run_jobs(&app).await;
    let after = snapshot(&app);
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
            till::service::renewals::cancel_at_period_end(
                tx,
                leaving,
                "moving elsewhere",
                till::service::audit::Actor::System,
                now,
            )
        })
        .unwrap();

    walk(&app, "2028-01-11", "2028-01-23").await;
    assert_eq!(
        count(
            &app,
            &format!("SELECT status = 'pending' FROM services WHERE id = {unpaid}")
        ),
        1
    );
    walk(&app, "2028-01-24", "2028-02-11").await;
    // 14 days unpaid: the order, its invoice and its service are cancelled.
    assert_eq!(
        count(
            &app,
            &format!("SELECT status = 'cancelled' FROM services WHERE id = {unpaid}")
        ),
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM orders WHERE status = 'cancelled'"
        ),
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM invoices WHERE status = 'cancelled'"
        ),
        1
    );
    // The leaving service was not renewed, and ended with its period.
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM invoices WHERE order_id IS NULL"),
        0
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT status = 'cancelled' FROM services WHERE id = {leaving}")
        ),
        1
    );
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM module_tasks WHERE action = 'terminate' AND dedupe_key = 'terminate:{leaving}:cancelled'"
            )
        ),
        1
    );
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT cancellation_reason = 'moving elsewhere' AND cancelled_at IS NOT NULL FROM services WHERE id = {leaving}"
            )
        ),
        1
    );
}
