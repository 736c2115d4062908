//! Mail in from outside the app: the real `till tickets pipe` fed an
//! email on stdin (with the exit codes an MTA reads), and a department's
//! IMAP mailbox on a real dovecot, polled by the job, which marks a
//! message seen once its result has committed.

use std::{io::Write, process::Stdio};

use serde_json::{Value, json};
use till::clock::Clock;

use crate::support::{Mail, TestApp, dovecot, ok, till_bin};
use crate::support_tickets::open;

const DESK: &str = "help@desk.test";

fn desk_key(app: &TestApp) -> String {
    app.staff_key(&["support:read", "support:write", "clients:read"])
}

/// Run `till tickets pipe` on `app`'s data directory with `input` on stdin.
fn pipe(app: &TestApp, input: &[u8], env: &[(&str, &str)]) -> std::process::Output {
    let mut child = till_bin()
        .args(["tickets", "pipe", "--data-dir"])
        .arg(app.data_dir())
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

async fn thread(app: &TestApp, id: i64) -> Value {
    ok(
        app,
        "GET",
        &format!("/api/v1/tickets/{id}"),
        &desk_key(app),
        None,
        200,
    )
    .await["data"]
        .clone()
}

#[actix_web::test]
async fn the_pipe_command_posts_a_reply_and_answers_in_exit_codes() {
    let app = TestApp::with_catalog();
    app.desk("Support", DESK).await;
    let c = app.customer("piped@example.com").await;
    let t = open(&app, &c, "Mail broken", "No mail since noon").await;
    let id = t["id"].as_i64().unwrap();
    let subject = format!("Re: [{}] Mail broken", t["ticket_number"].as_str().unwrap());
    let mail = Mail::new(&c.email, DESK, &subject, "Still nothing.");
    let out = pipe(&app, &mail.raw(), &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("posted on TKT-"));
    let view = thread(&app, id).await;
    assert_eq!(view["status"], "customer_reply");
    assert_eq!(
        view["messages"].as_array().unwrap().last().unwrap()["body"],
        "Still nothing."
    );
    // Delivered again: handled (0), and posted once.
    assert_eq!(pipe(&app, &mail.raw(), &[]).status.code(), Some(0));
    assert_eq!(
        thread(&app, id).await["messages"].as_array().unwrap().len(),
        2
    );
    // Not an email: 65, so the MTA returns it.
    let junk = pipe(&app, b"", &[]);
    assert_eq!(
        junk.status.code(),
        Some(65),
        "{}",
        String::from_utf8_lossy(&junk.stderr)
    );
    // The database busy: 75, so the MTA keeps it and tries again.
    let db = rusqlite::Connection::open(app.data_dir().join("till.db")).unwrap();
    db.execute_batch("BEGIN IMMEDIATE").unwrap();
    let later = Mail::new(&c.email, DESK, &subject, "Retry me");
    let busy = pipe(
        &app,
        &later.raw(),
        &[("TILL_DATABASE__BUSY_TIMEOUT_MS", "200")],
    );
    db.execute_batch("ROLLBACK").unwrap();
    assert_eq!(
        busy.status.code(),
        Some(75),
        "{}",
        String::from_utf8_lossy(&busy.stderr)
    );
    assert_eq!(
        pipe(&app, &later.raw(), &[]).status.code(),
        Some(0),
        "the retry goes through"
    );
    let log = app.inbound_log().await;
    let outcomes: Vec<(&str, &str)> = log
        .iter()
        .map(|r| {
            (
                r["outcome"].as_str().unwrap(),
                r["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("posted", "reply"),
            ("dropped", "unreadable"),
            ("dropped", "duplicate"),
            ("posted", "reply")
        ]
    );
}

#[actix_web::test]
async fn a_mailbox_is_set_by_staff_and_its_password_never_comes_back() {
    let app = TestApp::with_catalog();
    let dept = app.desk("Support", DESK).await;
    let key = desk_key(&app);
    let path = format!("/api/v1/support-departments/{dept}/mailbox");
    let none = ok(&app, "GET", &path, &key, None, 200).await;
    assert_eq!(none["data"], Value::Null);
    let off_loopback =
        json!({"host": "imap.example.com", "tls": "plain", "username": "u", "password": "p"});
    let refused = ok(&app, "PUT", &path, &key, Some(off_loopback), 422).await;
    assert!(refused["errors"]["tls"].is_array(), "{refused}");
    let inside = json!({"host": "10.0.0.5", "username": "u", "password": "p"});
    let refused = ok(&app, "PUT", &path, &key, Some(inside), 422).await;
    assert!(refused["errors"]["host"].is_array(), "{refused}");
    let set = json!({"host": "imap.example.com", "username": "help", "password": "s3cret-imap"});
    let saved = ok(&app, "PUT", &path, &key, Some(set), 200).await;
    assert_eq!(saved["data"]["port"], 993);
    assert_eq!(saved["data"]["tls"], "tls");
    assert_eq!(saved["data"]["folder"], "INBOX");
    assert_eq!(saved["data"]["password_set"], true);
    assert!(!saved.to_string().contains("s3cret-imap"));
    // A change without the password keeps it.
    let keep =
        json!({"host": "imap.example.com", "port": 143, "tls": "starttls", "username": "help"});
    ok(&app, "PUT", &path, &key, Some(keep), 200).await;
    let stored = crate::support::sql::mailbox_password_sealed(&app);
    assert!(
        stored.starts_with("sealed1:") && !stored.contains("s3cret"),
        "sealed at rest"
    );
    let reader = app.staff_key(&["support:read"]);
    let denied = ok(
        &app,
        "PUT",
        &path,
        &reader,
        Some(json!({"host": "x", "username": "u"})),
        403,
    )
    .await;
    assert!(denied.get("data").is_none());
    let gone = crate::support::staff_send(&app, "DELETE", &path, &key, None).await;
    assert_eq!(gone.status(), 204);
    assert_eq!(
        ok(&app, "GET", &path, &key, None, 200).await["data"],
        Value::Null
    );
}

#[actix_web::test]
async fn the_imap_job_posts_a_reply_from_the_mailbox_and_marks_it_seen() {
    let Some(imap) = dovecot::dovecot() else {
        return;
    };
    let app = TestApp::with_catalog();
    let dept = app.desk("Support", DESK).await;
    let key = desk_key(&app);
    let user = "help-imap-1@desk.test";
    let mailbox = json!({"host": "127.0.0.1", "port": imap.port, "tls": "plain",
                         "username": user, "password": dovecot::PASSWORD});
    ok(
        &app,
        "PUT",
        &format!("/api/v1/support-departments/{dept}/mailbox"),
        &key,
        Some(mailbox),
        200,
    )
    .await;
    let c = app.customer("imap@example.com").await;
    let t = open(&app, &c, "DNS", "Zone not updating").await;
    let id = t["id"].as_i64().unwrap();
    let subject = format!("Re: [{}] DNS", t["ticket_number"].as_str().unwrap());
    imap.append(
        user,
        &Mail::new(&c.email, DESK, &subject, "Updated now, thanks!").raw(),
    )
    .await;
    assert_eq!(imap.seen(user).await, [false]);
    let handled = till::jobs::imap_poll::run(app.state.clone(), app.clock.now())
        .await
        .unwrap();
    assert_eq!(handled, 1);
    let view = thread(&app, id).await;
    assert_eq!(view["status"], "customer_reply");
    assert_eq!(
        view["messages"].as_array().unwrap().last().unwrap()["body"],
        "Updated now, thanks!"
    );
    assert_eq!(
        imap.seen(user).await,
        [true],
        "marked seen after it committed"
    );
    assert_eq!(
        till::jobs::imap_poll::run(app.state.clone(), app.clock.now())
            .await
            .unwrap(),
        0
    );
    let status = ok(
        &app,
        "GET",
        &format!("/api/v1/support-departments/{dept}/mailbox"),
        &key,
        None,
        200,
    )
    .await;
    assert!(status["data"]["polled_at"].is_string(), "{status}");
    assert_eq!(status["data"]["error"], Value::Null);
    assert_eq!(app.inbound_log().await[0]["via"], "imap");
}

#[actix_web::test]
async fn a_mailbox_that_refuses_the_login_is_recorded_for_staff() {
    let Some(imap) = dovecot::dovecot() else {
        return;
    };
    let app = TestApp::with_catalog();
    let dept = app.desk("Support", DESK).await;
    let key = desk_key(&app);
    let mailbox = json!({"host": "127.0.0.1", "port": imap.port, "tls": "plain",
                         "username": "help-imap-2@desk.test", "password": "wrong"});
    let path = format!("/api/v1/support-departments/{dept}/mailbox");
    ok(&app, "PUT", &path, &key, Some(mailbox), 200).await;
    assert_eq!(
        till::jobs::imap_poll::run(app.state.clone(), app.clock.now())
            .await
            .unwrap(),
        0
    );
    let status = ok(&app, "GET", &path, &key, None, 200).await;
    assert!(
        status["data"]["error"].as_str().unwrap().contains("login"),
        "{status}"
    );
}
