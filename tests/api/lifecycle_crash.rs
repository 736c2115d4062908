//! A billing run killed with SIGKILL halfway, then run again, ends exactly
//! where an uninterrupted run ends: no invoice, email or module task twice.
//! Runs the real binary (`till jobs run --at`) on copies of one database
//! with 2,000 due services; `till jobs preview` is checked on the way.

use std::{path::Path, process::Stdio, time::Duration};

use crate::support::{
    at,
    renewals::{order, pay_all, setup},
    sql, till_bin,
};

const RUN_AT: &str = "2028-02-01T09:00:00Z";

fn jobs_run(dir: &Path) -> std::process::Command {
    let mut cmd = till_bin();
    cmd.args(["jobs", "run", "--at", RUN_AT, "--data-dir"])
        .arg(dir);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd
}

#[tokio::test]
async fn a_run_killed_halfway_and_run_again_creates_nothing_twice() {
    let app = setup();
    let staff = app.staff_key(&["billing:write"]);
    app.clock.set(at("2028-01-10"));
    let c = app.customer("bulk@example.com").await;
    order(&app, &c, "monthly", "bulk").await;
    pay_all(&app, &staff).await;
    // 1,999 more clients with a service each; 500 are already 12 days
    // overdue at the run, so the run also suspends and emails.
    sql::add_bulk_due_services(&app);
    let copies = tempfile::tempdir().unwrap();
    let (killed, reference) = (
        copies.path().join("killed"),
        copies.path().join("reference"),
    );
    for dir in [&killed, &reference] {
        std::fs::create_dir_all(dir).unwrap();
        let target = dir.join("till.db").to_string_lossy().to_string();
        app.state
            .db
            .with_writer(move |c| Ok(c.execute("VACUUM INTO ?1", [target])?))
            .unwrap();
        // A copy of the database runs only with its master key beside it.
        std::fs::copy(app.data_dir().join("master.key"), dir.join("master.key")).unwrap();
    }

    // The preview says what the run will invoice, and changes nothing.
    let out = till_bin()
        .args(["jobs", "preview", "--at", RUN_AT, "--data-dir"])
        .arg(&reference)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("invoices to issue: 2000"), "{text}");
    assert!(text.contains("$12.00 USD"), "{text}");
    assert_eq!(sql::billing_counts_in(&reference)[0].1, 0);

    // The reference: one uninterrupted run.
    let out = jobs_run(&reference).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = sql::billing_counts_in(&reference);
    assert_eq!(expected[0].1, 2000, "{expected:?}");
    assert_eq!(expected[5].1, 500, "{expected:?}");

    // Killed as soon as some invoices are committed.
    let mut child = jobs_run(&killed).spawn().unwrap();
    let watch = rusqlite::Connection::open(killed.join("till.db")).unwrap();
    let mut seen = 0;
    for _ in 0..20_000 {
        seen = sql::invoices_without_order_on(&watch);
        if seen > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    drop(watch);
    let partial = sql::billing_counts_in(&killed);
    assert!(
        seen > 0 && partial[0].1 < expected[0].1,
        "the kill came too late to test anything: {partial:?}"
    );

    let out = jobs_run(&killed).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(sql::billing_counts_in(&killed), expected);
    // And once more: nothing new.
    let out = jobs_run(&killed).output().unwrap();
    assert!(out.status.success());
    assert_eq!(sql::billing_counts_in(&killed), expected);
    assert_eq!(expected[8].1, 0);
    assert_eq!(expected[9].1, 0);
}
