//! Time travel: two years of renewals for monthly, quarterly and annual
//! services ordered on the 31st, 30th, 29th, 28th and on 29 February,
//! paying each invoice the day it appears. Every renewal invoice's dates,
//! amount and period are checked against an oracle written here with plain
//! calendar arithmetic (not `domain::cycle`), and the billed periods of
//! each service follow one another with no gap and no overlap.

use crate::support::{
    at,
    renewals::{order, pay_all, run_jobs, setup},
    sql,
};

// ---- the oracle: plain calendar arithmetic ----

fn leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn month_len(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if leap(y) => 29,
        _ => 28,
    }
}

type Ymd = (i64, i64, i64);

fn parse(d: &str) -> Ymd {
    let p: Vec<i64> = d.split('-').map(|x| x.parse().unwrap()).collect();
    (p[0], p[1], p[2])
}

fn show(d: Ymd) -> String {
    format!("{:04}-{:02}-{:02}", d.0, d.1, d.2)
}

/// Start of period `k` of a service anchored on `a`: the anchor's day in
/// the month `k × months` later, or that month's last day.
fn oracle_start(a: Ymd, months: i64, k: i64) -> Ymd {
    let total = a.0 * 12 + (a.1 - 1) + k * months;
    let (y, m) = (total / 12, total % 12 + 1);
    (y, m, a.2.min(month_len(y, m)))
}

fn minus_days(d: Ymd, n: i64) -> Ymd {
    let (mut y, mut m, mut day) = d;
    for _ in 0..n {
        day -= 1;
        if day == 0 {
            m -= 1;
            if m == 0 {
                m = 12;
                y -= 1;
            }
            day = month_len(y, m);
        }
    }
    (y, m, day)
}

fn plus_one(d: Ymd) -> Ymd {
    let (mut y, mut m, mut day) = d;
    day += 1;
    if day > month_len(y, m) {
        day = 1;
        m += 1;
        if m == 13 {
            m = 1;
            y += 1;
        }
    }
    (y, m, day)
}

#[tokio::test]
async fn two_years_of_renewals_match_the_oracle_with_no_gap_and_no_overlap() {
    let app = setup();
    let staff = app.staff_key(&["billing:write", "billing:read"]);
    app.clock.set(at("2028-01-20"));
    let c = app.customer("renew@example.com").await;
    let starts = [
        "2028-01-28",
        "2028-01-29",
        "2028-01-30",
        "2028-01-31",
        "2028-02-29",
    ];
    let cycles = [
        ("monthly", 1_i64, 1200_i64),
        ("quarterly", 3, 3400),
        ("annually", 12, 12000),
    ];
    let end = (2030, 3, 1);
    // (service, anchor, months, price)
    let mut services: Vec<(i64, Ymd, i64, i64)> = Vec::new();
    let mut day = parse(starts[0]);
    while day <= end {
        app.clock.set(at(&show(day)));
        for s in starts.iter().filter(|s| **s == show(day)) {
            // Access tokens live 15 minutes of the clock's time.
            let c = app.login(&c.email, &c.password).await;
            for (cycle, months, price) in cycles {
                let id = order(&app, &c, cycle, &format!("{s}-{cycle}")).await;
                services.push((id, day, months, price));
            }
        }
        pay_all(&app, &staff).await;
        run_jobs(&app).await;
        let invoices = app.invoice_count(None).await;
        // The same day twice creates nothing.
        run_jobs(&app).await;
        assert_eq!(app.invoice_count(None).await, invoices, "{}", show(day));
        pay_all(&app, &staff).await;
        day = plus_one(day);
    }
    assert_eq!(services.len(), 15);

    // Every service line billed, with its invoice's dates and order.
    let order_of: Vec<(i64, i64)> = app
        .orders()
        .await
        .iter()
        .filter_map(|o| Some((o["invoice_id"].as_i64()?, o["id"].as_i64().unwrap())))
        .collect();
    let mut billed = Vec::new();
    for i in app.invoices(None).await {
        let invoice = app.invoice(i["id"].as_i64().unwrap()).await;
        let order = order_of
            .iter()
            .find(|(inv, _)| invoice["id"] == *inv)
            .map(|(_, o)| *o);
        for l in invoice["items"].as_array().unwrap() {
            if l["kind"] == "service" {
                billed.push((l.clone(), invoice.clone(), order));
            }
        }
    }
    for (id, anchor, months, price) in services {
        let text = |v: &serde_json::Value| v.as_str().unwrap().to_string();
        let mut lines: Vec<(String, String, i64, String, String, Option<i64>)> = billed
            .iter()
            .filter(|(l, _, _)| l["service_id"] == id)
            .map(|(l, i, order)| {
                (
                    text(&l["period_start"]),
                    text(&l["period_end"]),
                    l["amount"]["amount_minor"].as_i64().unwrap(),
                    text(&i["issue_date"]),
                    text(&i["due_date"]),
                    *order,
                )
            })
            .collect();
        lines.sort_by(|a, b| a.0.cmp(&b.0));
        // Every period whose invoice date (14 days ahead) came by the end.
        let mut expected = Vec::new();
        for k in 0.. {
            let start = oracle_start(anchor, months, k);
            if k > 0 && minus_days(start, 14) > end {
                break;
            }
            expected.push((start, oracle_start(anchor, months, k + 1)));
        }
        assert_eq!(
            lines.len(),
            expected.len(),
            "service {id} from {}",
            show(anchor)
        );
        for (k, (line, (start, stop))) in lines.iter().zip(&expected).enumerate() {
            let what = format!(
                "service {id} ({months} months from {}) period {k}",
                show(anchor)
            );
            assert_eq!(line.0, show(*start), "{what}");
            assert_eq!(line.1, show(*stop), "{what}");
            assert_eq!(line.2, price, "{what}");
            if k == 0 {
                assert!(line.5.is_some(), "{what}: the first period is the order's");
                continue;
            }
            assert_eq!(line.5, None, "{what}");
            assert_eq!(line.3, show(minus_days(*start, 14)), "{what}: issue date");
            assert_eq!(line.4, show(*start), "{what}: due date");
        }
        for pair in lines.windows(2) {
            assert_eq!(pair[0].1, pair[1].0, "service {id}: gap or overlap");
        }
        let next = app.service(id).await["next_due_date"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(
            next,
            lines.last().unwrap().1,
            "service {id}: paid through its last period"
        );
    }
    // Nothing went overdue, so nothing was chased.
    assert_eq!(sql::reminders_sent(&app, None), 0);
    assert_eq!(
        app.module_tasks(None)
            .await
            .iter()
            .filter(|t| t["action"] != "create")
            .count(),
        0
    );
}
