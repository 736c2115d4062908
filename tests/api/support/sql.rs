//! The raw reads that have no API or service equivalent: internal tables
//! (the email outbox's queue and bodies, module task queues, audit rows,
//! idempotency keys, job runs) and states that only the schema shows. Each
//! helper answers one question and says why it reads SQL; everything a
//! customer or staff member can ask the API, tests ask the API.

use rusqlite::{ToSql, types::FromSql};
use till::clock::Clock;

use super::TestApp;

/// One value from a query with parameters.
fn value<T: FromSql + Send + 'static>(
    app: &TestApp,
    sql: &'static str,
    params: Vec<Box<dyn ToSql + Send>>,
) -> T {
    app.state
        .db
        .read(move |c| {
            let refs: Vec<&dyn ToSql> = params.iter().map(|p| p.as_ref() as &dyn ToSql).collect();
            Ok(c.query_row(sql, refs.as_slice(), |r| r.get(0))?)
        })
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Emails still waiting in the outbox. (The outbox queue is internal; the
/// staff email log would need a staff key, whose creation tests count.)
pub fn pending_mail(app: &TestApp) -> i64 {
    value(
        app,
        "SELECT COUNT(*) FROM email_outbox WHERE status = 'pending'",
        vec![],
    )
}

/// The text part of the latest email to `to` that contains `needle`. (No
/// API shows an email's body: the staff email log has subjects only.)
pub fn latest_mail_text_with(app: &TestApp, to: &str, needle: &str) -> Option<String> {
    let (to, needle) = (to.to_string(), needle.to_string());
    app.state
        .db
        .read(move |c| {
            Ok(c.query_row(
                "SELECT text_body FROM email_outbox
                 WHERE to_address = ?1 AND instr(text_body, ?2) > 0 ORDER BY id DESC LIMIT 1",
                rusqlite::params![to, needle],
                |r| r.get(0),
            )?)
        })
        .ok()
}

/// Module tasks running or queued and due now. (The worker's queue is
/// internal; tests wait on it without a staff key.)
pub fn busy_module_tasks(app: &TestApp) -> i64 {
    let now = till::domain::time::stamp(app.clock.now());
    value(
        app,
        "SELECT COUNT(*) FROM module_tasks WHERE status = 'running'
            OR (status = 'queued' AND run_after <= ?1)",
        vec![Box::new(now)],
    )
}

/// Module tasks done, in all. (The staff task list pages and needs a key.)
pub fn done_module_tasks(app: &TestApp) -> i64 {
    value(
        app,
        "SELECT COUNT(*) FROM module_tasks WHERE status = 'done'",
        vec![],
    )
}

/// One number from any query. (Kept while the area files' reads move to
/// named helpers.)
pub fn one(app: &TestApp, sql: &str) -> i64 {
    let sql = sql.to_string();
    app.state
        .db
        .read(move |c| Ok(c.query_row(&sql, [], |r| r.get(0))?))
        .unwrap()
}
