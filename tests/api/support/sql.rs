//! The raw reads that have no API or service equivalent: internal tables
//! (the email outbox's queue and bodies, module task queues, audit rows,
//! idempotency keys, job runs) and states that only the schema shows. Each
//! helper answers one question and says why it reads SQL; everything a
//! customer or staff member can ask the API, tests ask the API.

use rusqlite::{ToSql, types::FromSql};
use till::clock::Clock;

use super::{TestApp, mail::Queued};

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

/// Module tasks running or queued and due now. (The worker's queue, read
/// while waiting on it; tests wait without making a staff key.)
pub fn busy_module_tasks(app: &TestApp) -> i64 {
    let now = till::domain::time::stamp(app.clock.now());
    value(
        app,
        "SELECT COUNT(*) FROM module_tasks WHERE status = 'running'
            OR (status = 'queued' AND run_after <= ?1)",
        vec![Box::new(now)],
    )
}

/// Module tasks done, in all. (Read while waiting on the worker, like
/// `busy_module_tasks`: asking the staff task list would make an audited
/// staff key in every test that waits.)
pub fn done_module_tasks(app: &TestApp) -> i64 {
    value(
        app,
        "SELECT COUNT(*) FROM module_tasks WHERE status = 'done'",
        vec![],
    )
}

/// The sum of the client's credit ledger. (The API shows the balance the
/// ledger should add up to, never the ledger itself.)
pub fn ledger_sum(app: &TestApp, client: i64) -> i64 {
    value(
        app,
        "SELECT COALESCE(SUM(amount), 0) FROM credit_ledger WHERE client_id = ?1",
        vec![Box::new(client)],
    )
}

/// The last invoice number handed out. (Numbering is internal: the API
/// shows the numbers invoices got, not the counter a refused order might
/// have moved.)
pub fn last_invoice_number(app: &TestApp) -> i64 {
    value(app, "SELECT last_number FROM invoice_counters", vec![])
}

/// How many logins (users) exist. (No API lists users: staff list clients.)
pub fn user_count(app: &TestApp) -> i64 {
    value(app, "SELECT COUNT(*) FROM users", vec![])
}

/// Refresh tokens made by rotating another. (The rotation chain is
/// internal; the API shows only the live session.)
pub fn rotated_refresh_tokens(app: &TestApp) -> i64 {
    value(
        app,
        "SELECT COUNT(*) FROM refresh_tokens WHERE parent_id IS NOT NULL",
        vec![],
    )
}

/// Session rows, ended or not. (Ended sessions stay as rows until the
/// cleanup job; the API shows only live ones.)
pub fn session_rows(app: &TestApp) -> i64 {
    value(app, "SELECT COUNT(*) FROM sessions", vec![])
}

/// The products in the database of a data dir the CLI set up. (No app
/// runs there to ask.)
pub fn products_in(data_dir: &std::path::Path) -> i64 {
    rusqlite::Connection::open(data_dir.join("till.db"))
        .unwrap()
        .query_row("SELECT COUNT(*) FROM products", [], |r| r.get(0))
        .unwrap()
}

/// The job runs recorded for the instant `run_for` in the database of a
/// data dir the CLI ran the jobs in. (No app runs there to ask.)
pub fn job_runs_in(data_dir: &std::path::Path, run_for: &str) -> i64 {
    rusqlite::Connection::open(data_dir.join("till.db"))
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM job_runs WHERE run_for = ?1",
            [run_for],
            |r| r.get(0),
        )
        .unwrap()
}

/// The uuid of the (one) card payment attempt. (No API shows it: only the
/// staff audit row of the attempt carries it.)
pub fn payment_attempt_uuid(app: &TestApp) -> String {
    value(app, "SELECT uuid FROM payment_attempts", vec![])
}

/// The emails of `template` queued for `to`, oldest first, with their
/// bodies. (No API shows an email's body.)
pub fn outbox(app: &TestApp, template: &str, to: &str) -> Vec<Queued> {
    let (template, to) = (template.to_string(), to.to_string());
    app.state
        .db
        .read(move |c| {
            let mut stmt = c.prepare(
                "SELECT subject, text_body, COALESCE(html_body, '') FROM email_outbox
                 WHERE template = ?1 AND to_address = ?2 ORDER BY id",
            )?;
            let rows = stmt
                .query_map([template, to], |r| {
                    Ok(Queued {
                        subject: r.get(0)?,
                        text: r.get(1)?,
                        html: r.get(2)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .unwrap()
}

/// The Message-IDs the emails of `template` to `to` went out with,
/// oldest first. (Mail threading headers are in no API.)
pub fn outbox_message_ids(app: &TestApp, template: &str, to: &str) -> Vec<String> {
    let (template, to) = (template.to_string(), to.to_string());
    app.state
        .db
        .read(move |c| {
            let mut stmt = c.prepare(
                "SELECT message_id FROM email_outbox
                 WHERE template = ?1 AND to_address = ?2 AND message_id IS NOT NULL ORDER BY id",
            )?;
            let rows = stmt
                .query_map([template, to], |r| r.get(0))?
                .collect::<Result<Vec<String>, _>>()?;
            Ok(rows)
        })
        .unwrap()
}

/// The IMAP password of the one department with a mailbox, as stored.
/// (The API only says whether one is set; tests check it is sealed.)
pub fn mailbox_password_sealed(app: &TestApp) -> String {
    value(
        app,
        "SELECT imap_password_sealed FROM support_departments WHERE imap_host IS NOT NULL",
        vec![],
    )
}

/// A server's sealed secret as stored. (The API only says whether one is
/// stored; tests check the stored bytes never hold the plain token.)
pub fn server_secret(app: &TestApp, server: i64) -> Vec<u8> {
    value(
        app,
        "SELECT secret FROM servers WHERE id = ?1",
        vec![Box::new(server)],
    )
}

/// A server's stored secret (quoted), hostname and username as one text,
/// to search for a plain token. (The stored form has no API.)
pub fn server_row_text(app: &TestApp, server: i64) -> String {
    value(
        app,
        "SELECT quote(secret) || hostname || username FROM servers WHERE id = ?1",
        vec![Box::new(server)],
    )
}

/// The sealed module secret of the product named `name`, as stored. (The
/// API never returns it.)
pub fn product_module_secret(app: &TestApp, name: &str) -> Vec<u8> {
    value(
        app,
        "SELECT module_secret FROM products WHERE name = ?1",
        vec![Box::new(name.to_string())],
    )
}

/// A setting in a database file (a data dir the CLI or a restore
/// wrote; no app runs on it).
pub fn setting_in(db: &std::path::Path, key: &str) -> Option<String> {
    use rusqlite::OptionalExtension;
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()
        .unwrap()
}

/// Whether `table` has `column` in a database file (a migration that
/// failed must leave none behind).
pub fn has_column_in(db: &std::path::Path, table: &str, column: &str) -> bool {
    rusqlite::Connection::open(db)
        .unwrap()
        .prepare(&format!("SELECT {column} FROM {table}"))
        .is_ok()
}

/// The (only) server's stored secret in a database file the CLI worked
/// on (after a master key reset no app has run there).
pub fn server_secret_in(db: &std::path::Path) -> Option<Vec<u8>> {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT secret FROM servers", [], |r| r.get(0))
        .unwrap()
}

/// The ids of the audit rows with `action` in a database file (a backup
/// or its restore), in order.
pub fn audit_ids_in(db: &std::path::Path, action: &str) -> Vec<i64> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT id FROM audit_log WHERE action = ?1 ORDER BY id")
        .unwrap();
    stmt.query_map([action], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// Whether the login with `email` has verified its address. (Before it
/// has, the login cannot sign in to ask `/me`.)
pub fn email_verified(app: &TestApp, email: &str) -> bool {
    value(
        app,
        "SELECT email_verified_at IS NOT NULL FROM users WHERE email = ?1",
        vec![Box::new(email.to_string())],
    )
}

/// The rows recording each use of a promotion. (Staff see each code's
/// `uses` counter; the rows behind it have no API.)
pub fn promotion_use_rows(app: &TestApp) -> i64 {
    value(app, "SELECT COUNT(*) FROM promotion_uses", vec![])
}

/// The id of the owner's membership of `client`. (The owner is not a
/// contact: no API names their membership.)
pub fn owner_membership(app: &TestApp, client: i64) -> i64 {
    value(
        app,
        "SELECT id FROM memberships WHERE client_id = ?1 AND role = 'owner'",
        vec![Box::new(client)],
    )
}

/// How many carts exist, guests' included. (A cart is reachable only by
/// its own id; no API lists them.)
pub fn cart_count(app: &TestApp) -> i64 {
    value(app, "SELECT COUNT(*) FROM carts", vec![])
}

/// The login's TOTP secret as stored (sealed). (The API never returns a
/// secret after setup.)
pub fn user_totp_secret(app: &TestApp, email: &str) -> String {
    value(
        app,
        "SELECT totp_secret FROM users WHERE email = ?1",
        vec![Box::new(email.to_string())],
    )
}

/// The staff member's TOTP secret as stored (sealed).
pub fn staff_totp_secret(app: &TestApp, staff: i64) -> String {
    value(
        app,
        "SELECT totp_secret FROM staff WHERE id = ?1",
        vec![Box::new(staff)],
    )
}

/// The stored hash of an API key's secret. (The API shows a key's secret
/// once, at creation, and never what is stored.)
pub fn api_key_secret_hash(app: &TestApp, key: i64) -> String {
    value(
        app,
        "SELECT secret_hash FROM api_keys WHERE id = ?1",
        vec![Box::new(key)],
    )
}

/// How many option choices services hold. (A service's chosen options
/// show on its invoice lines, never as rows of their own.)
pub fn service_option_rows(app: &TestApp) -> i64 {
    value(app, "SELECT COUNT(*) FROM service_options", vec![])
}

/// What the domain named `name` renews at. (Orders show a domain's name
/// and status, not its renewal amount.)
pub fn domain_recurring_amount(app: &TestApp, name: &str) -> i64 {
    value(
        app,
        "SELECT recurring_amount FROM domains WHERE name = ?1",
        vec![Box::new(name.to_string())],
    )
}

/// The reminders recorded as sent (for `invoice`, or for any). (Reminders
/// show as emails and notifications; the record that stops a second one
/// has no API.)
pub fn reminders_sent(app: &TestApp, invoice: Option<i64>) -> i64 {
    value(
        app,
        "SELECT COUNT(*) FROM reminders_sent WHERE ?1 IS NULL OR invoice_id = ?1",
        vec![Box::new(invoice)],
    )
}

/// How many late fees were charged. (A fee shows as an invoice line; the
/// record that charges it once has no API.)
pub fn late_fee_rows(app: &TestApp) -> i64 {
    value(app, "SELECT COUNT(*) FROM late_fees", vec![])
}

/// Module tasks with the dedupe key `key` (and `action`, when given).
/// (Dedupe keys say which invoice or event a task answers; the task list
/// does not show them.)
pub fn module_tasks_keyed(app: &TestApp, action: Option<&str>, key: &str) -> i64 {
    value(
        app,
        "SELECT COUNT(*) FROM module_tasks WHERE dedupe_key = ?1 AND (?2 IS NULL OR action = ?2)",
        vec![
            Box::new(key.to_string()),
            Box::new(action.map(str::to_string)),
        ],
    )
}

/// Whether the service was cancelled (`cancelled_at` set) for `reason`.
/// (The API shows that a cancellation was asked, not its reason.)
pub fn cancelled_because(app: &TestApp, service: i64, reason: &str) -> bool {
    value(
        app,
        "SELECT cancellation_reason = ?2 AND cancelled_at IS NOT NULL FROM services WHERE id = ?1",
        vec![Box::new(service), Box::new(reason.to_string())],
    )
}

/// What a billing run made, by name, in the database of a data dir the
/// CLI ran the jobs in (the crash test compares a killed run with an
/// uninterrupted one; no app runs there to ask).
pub fn billing_counts_in(dir: &std::path::Path) -> Vec<(String, i64)> {
    let conn = rusqlite::Connection::open(dir.join("till.db")).unwrap();
    [
        (
            "renewal invoices",
            "SELECT COUNT(*) FROM invoices WHERE order_id IS NULL",
        ),
        (
            "service lines",
            "SELECT COUNT(*) FROM invoice_items WHERE kind = 'service'",
        ),
        (
            "invoice emails",
            "SELECT COUNT(*) FROM email_outbox WHERE template = 'invoice_created'",
        ),
        (
            "overdue emails",
            "SELECT COUNT(*) FROM email_outbox WHERE template = 'overdue_notice'",
        ),
        (
            "suspension emails",
            "SELECT COUNT(*) FROM email_outbox WHERE template = 'service_suspended'",
        ),
        (
            "suspend tasks",
            "SELECT COUNT(*) FROM module_tasks WHERE action = 'suspend'",
        ),
        (
            "suspended",
            "SELECT COUNT(*) FROM services WHERE status = 'suspended'",
        ),
        (
            "audit rows",
            "SELECT COUNT(*) FROM audit_log WHERE action = 'invoice.renewal_created'",
        ),
        (
            "periods billed twice",
            "SELECT COUNT(*) FROM (SELECT 1 FROM invoice_items WHERE kind = 'service'
               GROUP BY service_id, period_start HAVING COUNT(*) > 1)",
        ),
        (
            "invoices without one email",
            "SELECT COUNT(*) FROM invoices i WHERE order_id IS NULL AND
               (SELECT COUNT(*) FROM email_outbox e WHERE e.template = 'invoice_created'
                AND instr(e.text_body, '/account/invoices/' || i.id || char(10)) > 0) <> 1",
        ),
    ]
    .into_iter()
    .map(|(name, sql)| {
        (
            name.to_string(),
            conn.query_row(sql, [], |r| r.get(0)).unwrap(),
        )
    })
    .collect()
}

/// Invoices no order made, on an open connection to a database the CLI
/// is writing (the crash test watches for the first; 0 while it is busy).
pub fn invoices_without_order_on(conn: &rusqlite::Connection) -> i64 {
    conn.query_row(
        "SELECT COUNT(*) FROM invoices WHERE order_id IS NULL",
        [],
        |r| r.get::<_, i64>(0),
    )
    .unwrap_or(0)
}

/// 1,999 more clients with an active monthly service each (of the first
/// service's product), a quarter of them already overdue on 2028-02-01:
/// too many to sign up through the API for a crash test.
pub fn add_bulk_due_services(app: &TestApp) {
    app.state
    .db
    .write(|tx| {
        tx.execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1999)
             INSERT INTO clients (uuid, first_name, last_name, email, country, currency_code, created_at, updated_at)
             SELECT 'bulk-' || i, 'Bulk', 'Client ' || i, 'bulk' || i || '@example.com', 'GH', 'USD',
                    '2028-01-10T09:00:00Z', '2028-01-10T09:00:00Z' FROM n;
             INSERT INTO services (uuid, client_id, product_id, status, billing_cycle, currency,
                    recurring_amount, registration_date, next_due_date, activated_at, created_at, updated_at)
             SELECT 'svc-' || c.id, c.id, s.product_id, 'active', 'monthly', 'USD', 1200, '2028-01-10',
                    CASE WHEN c.id % 4 = 0 THEN '2028-01-20' ELSE '2028-02-10' END,
                    '2028-01-10T09:00:00Z', '2028-01-10T09:00:00Z', '2028-01-10T09:00:00Z'
             FROM clients c, (SELECT product_id FROM services ORDER BY id LIMIT 1) s
             WHERE c.uuid LIKE 'bulk-%';",
        )?;
        Ok(())
    })
    .unwrap();
}

/// What a crash between an idempotent write's commit and its stored answer
/// leaves: every key with its effect and no answer. (Keys are internal:
/// no API shows them.)
pub fn lose_stored_answers(app: &TestApp) {
    app.state
        .db
        .write(|tx| Ok(tx.execute("UPDATE idempotency_keys SET status = 0, response = ''", [])?))
        .unwrap();
}

/// What a crash while the gateway was being asked leaves: the attempts
/// back at `starting` (as of now) and the payment keys unanswered.
pub fn stall_payment_starts(app: &TestApp) {
    let now = till::domain::time::stamp(app.clock.now());
    app.state
        .db
        .write(move |tx| {
            tx.execute(
                "UPDATE payment_attempts SET status = 'starting', reference = NULL,
                    client_secret = NULL, updated_at = ?1",
                [&now],
            )?;
            Ok(tx.execute(
                "UPDATE idempotency_keys SET status = 0, response = ''
                 WHERE scope LIKE 'v1:payment:%'",
                [],
            )?)
        })
        .unwrap();
}
