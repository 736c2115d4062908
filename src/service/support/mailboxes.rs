//! A department's IMAP mailbox, polled every minute by `jobs::imap_poll`:
//! staff set it (`support:write`) with the password sealed at rest, bound
//! to the department, and never shown back; the job opens it, and records
//! how each poll went for staff to see. The host is checked against the
//! target policy (a literal address now, a name when it is resolved at
//! each poll); plain IMAP is for a loopback address only.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::{
        keys::AuthKeys,
        principal::{RequestMeta, StaffPrincipal},
        sealed,
    },
    config::Secret,
    db::Db,
    domain::{scopes::Scope, time::stamp},
    error::{AppError, FieldErrors, Result},
    integrations::{
        mail_in::imap::{Account, Security},
        outbound::TargetPolicy,
    },
    service::audit::{self, Event},
    store::support::{
        departments,
        mailboxes::{self, MailboxFields, MailboxRow},
    },
};

/// What a department's sealed password is bound to.
fn purpose(department_id: i64) -> Vec<u8> {
    format!("support_imap:{department_id}").into_bytes()
}

/// A mailbox as staff send it; leaving the password out on a change
/// keeps the stored one.
#[derive(Debug, Clone)]
pub struct MailboxInput {
    pub host: String,
    pub port: Option<u16>,
    /// tls (the default), starttls, or plain (loopback only).
    pub tls: Option<String>,
    pub username: String,
    pub password: Option<String>,
    /// INBOX unless given.
    pub folder: Option<String>,
}

/// A mailbox as staff see it: never the password.
#[derive(Debug, Clone)]
pub struct MailboxView {
    pub department_id: i64,
    pub host: String,
    pub port: i64,
    pub tls: String,
    pub username: String,
    pub folder: String,
    pub password_set: bool,
    pub polled_at: Option<String>,
    pub error: Option<String>,
}

fn view(m: MailboxRow) -> MailboxView {
    MailboxView {
        password_set: m.password_sealed.is_some(),
        department_id: m.department_id,
        host: m.host,
        port: m.port,
        tls: m.tls,
        username: m.username,
        folder: m.folder,
        polled_at: m.polled_at,
        error: m.error.filter(|e| !e.is_empty()),
    }
}

/// The department's mailbox (`support:read`); 404 for no department,
/// `None` when it has no mailbox.
pub fn get(db: &Db, staff: &StaffPrincipal, department_id: i64) -> Result<Option<MailboxView>> {
    staff.require(Scope::SupportRead)?;
    db.read(|c| {
        departments::find(c, department_id)?.ok_or(AppError::NotFound)?;
        Ok(mailboxes::find(c, department_id)?.map(view))
    })
}

fn host_ok(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
}

/// Check `input`; answers the security, port and folder to store.
fn check(
    input: &MailboxInput,
    targets: &TargetPolicy,
    has_password: bool,
) -> Result<(Security, u16, String)> {
    let mut errors = FieldErrors::new();
    let mut add = |f: &str, m: &str| errors.entry(f.into()).or_default().push(m.into());
    let host = input.host.trim();
    let security = Security::parse(input.tls.as_deref().unwrap_or("tls"));
    if security.is_none() {
        add("tls", "choose tls, starttls or plain");
    }
    if !host_ok(host) {
        add("host", "give a host name or address");
    } else if let Ok(ip) = host.trim_matches(['[', ']']).parse::<std::net::IpAddr>() {
        if !targets.permits(ip) {
            add(
                "host",
                "a loopback, link-local or private address (list it in [http] allow_private_targets to allow it)",
            );
        }
        if security == Some(Security::Plain) && !ip.is_loopback() {
            add(
                "tls",
                "plain IMAP (no TLS) is only allowed to a loopback address",
            );
        }
    } else if security == Some(Security::Plain) && host != "localhost" {
        add(
            "tls",
            "plain IMAP (no TLS) is only allowed to a loopback address",
        );
    }
    if input.username.trim().is_empty() || input.username.len() > 200 {
        add("username", "give the mailbox's user name");
    }
    match &input.password {
        Some(p) if p.is_empty() || p.len() > 500 => add("password", "give the mailbox's password"),
        None if !has_password => add("password", "give the mailbox's password"),
        _ => {}
    }
    let folder = input
        .folder
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .unwrap_or("INBOX");
    if folder.len() > 200
        || folder
            .chars()
            .any(|c| c.is_control() || c == '"' || c == '\\')
    {
        add(
            "folder",
            "give a folder name without quotes or control characters",
        );
    }
    if input.port == Some(0) {
        add("port", "must be 1 to 65535");
    }
    match security {
        Some(s) if errors.is_empty() => Ok((
            s,
            input.port.unwrap_or(s.default_port()),
            folder.to_string(),
        )),
        _ => Err(AppError::Validation(errors)),
    }
}

fn audit(
    tx: &Connection,
    staff: &StaffPrincipal,
    action: &str,
    id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    audit::record(
        tx,
        now,
        Event {
            actor: staff.into(),
            action,
            subject: Some(("support_department", id)),
            client_id: None,
            ip: meta.ip.as_deref(),
            details: serde_json::json!({}),
        },
    )?;
    Ok(())
}

/// Set the department's mailbox (`support:write`).
#[allow(clippy::too_many_arguments)]
pub fn save(
    db: &Db,
    keys: &AuthKeys,
    targets: &TargetPolicy,
    staff: &StaffPrincipal,
    department_id: i64,
    input: &MailboxInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<MailboxView> {
    staff.require(Scope::SupportWrite)?;
    db.write(|tx| {
        departments::find(tx, department_id)?.ok_or(AppError::NotFound)?;
        let kept = mailboxes::find(tx, department_id)?.and_then(|m| m.password_sealed);
        let (security, port, folder) = check(input, targets, kept.is_some())?;
        let sealed_password = match &input.password {
            Some(p) => sealed::seal_text(&keys.credentials, &purpose(department_id), p)
                .ok_or_else(|| AppError::internal("cannot seal the IMAP password"))?,
            None => {
                kept.ok_or_else(|| AppError::invalid("password", "give the mailbox's password"))?
            }
        };
        let at = stamp(now);
        mailboxes::set(
            tx,
            department_id,
            &MailboxFields {
                host: input.host.trim(),
                port: i64::from(port),
                tls: security.as_str(),
                username: input.username.trim(),
                password_sealed: &sealed_password,
                folder: &folder,
            },
            &at,
        )?;
        audit(tx, staff, "support_mailbox.saved", department_id, meta, now)?;
        let saved = mailboxes::find(tx, department_id)?.ok_or(AppError::NotFound)?;
        Ok(view(saved))
    })
}

/// Remove the department's mailbox (`support:write`).
pub fn remove(
    db: &Db,
    staff: &StaffPrincipal,
    department_id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    staff.require(Scope::SupportWrite)?;
    db.write(|tx| {
        mailboxes::find(tx, department_id)?.ok_or(AppError::NotFound)?;
        mailboxes::clear(tx, department_id, &stamp(now))?;
        audit(
            tx,
            staff,
            "support_mailbox.removed",
            department_id,
            meta,
            now,
        )
    })
}

/// Every mailbox to poll, opened: a department and its account, or why
/// it cannot be used (a password that no longer opens).
pub fn to_poll(
    db: &Db,
    keys: &AuthKeys,
) -> Result<Vec<(i64, std::result::Result<Account, String>)>> {
    let rows = db.read(|c| Ok(mailboxes::all(c)?))?;
    Ok(rows
        .into_iter()
        .map(|m| {
            let id = m.department_id;
            let password = m
                .password_sealed
                .as_deref()
                .and_then(|s| sealed::open_text(&keys.credentials, &purpose(id), s));
            let security = Security::parse(&m.tls);
            let account = match (password, security, u16::try_from(m.port)) {
                (Some(p), Some(security), Ok(port)) => Ok(Account {
                    host: m.host,
                    port,
                    security,
                    username: m.username,
                    password: Secret::new(p),
                    folder: m.folder,
                }),
                (None, _, _) => Err("the password cannot be opened (set it again)".to_string()),
                _ => Err("the settings are not valid (set them again)".to_string()),
            };
            (id, account)
        })
        .collect())
}

/// How the department's last poll went (`error` empty when well).
pub fn record_poll(db: &Db, department_id: i64, error: &str, now: Timestamp) -> Result<()> {
    let error: String = error.chars().take(500).collect();
    db.write(|tx| {
        Ok(mailboxes::record_poll(
            tx,
            department_id,
            &stamp(now),
            &error,
        )?)
    })
}
