//! The scheduler's record of its runs, `till jobs run --at`, the email log,
//! and the cleanup job.

use jiff::SignedDuration;
use till::clock::Clock;

use crate::support::{TestApp, json_with_status, sql, till_bin};

#[tokio::test]
async fn the_scheduler_records_its_runs_for_staff_to_see() {
    let app = TestApp::builder().config(|c| c.jobs.billing = true).spawn();
    let key = app.staff_key(&["system:read"]);
    let mut jobs = Vec::new();
    for _ in 0..100 {
        let body = json_with_status(app.get_auth("/api/v1/admin/jobs", &key).await, 200).await;
        jobs = body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["job"].as_str().unwrap().to_string())
            .collect();
        if jobs.len() >= till::jobs::all().len() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    for job in [
        "renewals",
        "dunning",
        "mail_outbox",
        "module_tasks",
        "cleanup",
        "db_maintenance",
    ] {
        assert!(jobs.iter().any(|j| j == job), "{job} in {jobs:?}");
    }
    let only = json_with_status(
        app.get_auth("/api/v1/admin/jobs?job=cleanup&limit=1", &key)
            .await,
        200,
    )
    .await;
    assert_eq!(only["data"][0]["job"], "cleanup");
    assert_eq!(only["data"][0]["status"], "ok");
    assert_eq!(only["data"][0]["run_for"], "2026-01-15T10:00:00Z");
    assert_eq!(
        app.get_auth("/api/v1/admin/jobs?limit=0", &key)
            .await
            .status(),
        422
    );
    let other = app.staff_key(&["clients:read"]);
    assert_eq!(
        app.get_auth("/api/v1/admin/jobs", &other).await.status(),
        403
    );
}

#[tokio::test]
async fn the_email_log_shows_what_was_sent_and_what_waits() {
    let app = TestApp::spawn();
    app.customer("ama@example.com").await;
    let key = app.staff_key(&["system:read"]);
    let sent = json_with_status(
        app.get_auth("/api/v1/admin/emails?status=sent", &key).await,
        200,
    )
    .await;
    let first = &sent["data"][0];
    assert_eq!(first["template"], "verify_email");
    assert_eq!(first["to"], "ama@example.com");
    assert_eq!(first["attempts"], 1);
    let pending = json_with_status(
        app.get_auth("/api/v1/admin/emails?status=pending", &key)
            .await,
        200,
    )
    .await;
    assert!(pending["data"].as_array().unwrap().is_empty());
    assert_eq!(
        app.get_auth("/api/v1/admin/emails?status=lost", &key)
            .await
            .status(),
        422
    );
}

#[tokio::test]
async fn cleanup_removes_sessions_a_month_after_they_end() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let sessions = || sql::session_rows(&app);
    assert_eq!(sessions(), 1);
    app.clock.advance(SignedDuration::from_hours(24 * 20));
    till::jobs::run_all_once(&app.state, app.clock.now())
        .await
        .unwrap();
    assert_eq!(sessions(), 1, "ended 13 days ago: kept");
    app.clock.advance(SignedDuration::from_hours(24 * 20));
    till::jobs::run_all_once(&app.state, app.clock.now())
        .await
        .unwrap();
    assert_eq!(sessions(), 0);
    let _ = c;
}

#[test]
fn jobs_run_at_a_given_instant_and_exit() {
    let dir = tempfile::tempdir().unwrap();
    let out = till_bin()
        .arg("migrate")
        .arg("--data-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = till_bin()
        .args(["jobs", "run", "--at", "2027-03-01T09:00:00Z", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("ran every job for 2027-03-01T09:00:00Z"),
        "{stdout}"
    );
    assert!(
        stdout.contains("mail_outbox") && stdout.contains("cleanup"),
        "{stdout}"
    );
    let runs = sql::job_runs_in(dir.path(), "2027-03-01T09:00:00Z");
    assert_eq!(runs, till::jobs::all().len() as i64);
    let bad = till_bin()
        .args(["jobs", "run", "--at", "tomorrow", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[tokio::test]
async fn a_long_outbox_drains_batch_after_batch_without_waiting_for_ticks() {
    // The clock stands still, so no tick falls due: only the doorbells
    // (the write that queued the mail, then each full batch) send it.
    let app = TestApp::spawn();
    let brand = till::service::email::Branding::from_config(&app.state.config);
    let now = app.clock.now();
    app.state
        .db
        .write(|tx| {
            for i in 0..120 {
                till::service::email::queue(
                    tx,
                    now,
                    &format!("client{i}@example.com"),
                    &till::service::email::Welcome {
                        brand: brand.clone(),
                        name: format!("Client {i}"),
                        email: format!("client{i}@example.com"),
                        login_link: brand.link("/login"),
                        account_link: brand.link("/account"),
                        reset_link: brand.link("/forgot-password"),
                    },
                )?;
            }
            Ok(())
        })
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while app.mail.sent().len() < 120 {
        assert!(
            std::time::Instant::now() < deadline,
            "only {} of 120 sent",
            app.mail.sent().len()
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(app.mail.sent().len(), 120, "each once");
}

#[tokio::test]
async fn paused_billing_runs_no_renewals_or_dunning_but_the_workers_run() {
    // `[jobs] billing = false` (the test apps' default).
    let app = TestApp::spawn();
    let key = app.staff_key(&["system:read"]);
    let mut jobs: Vec<String> = Vec::new();
    for _ in 0..100 {
        let body = json_with_status(app.get_auth("/api/v1/admin/jobs", &key).await, 200).await;
        jobs = body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["job"].as_str().unwrap().to_string())
            .collect();
        if jobs.iter().any(|j| j == "cleanup") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(jobs.iter().any(|j| j == "mail_outbox"), "{jobs:?}");
    assert!(
        !jobs.iter().any(|j| j == "renewals" || j == "dunning"),
        "{jobs:?}"
    );
}
