//! First run: an empty database gets its first staff admin.

use jiff::Timestamp;

use crate::{
    auth::{password, random},
    db::Db,
    domain::{staff::StaffRole, time::stamp},
    error::{AppError, Result},
    service::audit::{self, Actor, Event},
    store::staff,
};

pub const DEFAULT_ADMIN_EMAIL: &str = "admin@localhost";
const MIN_PASSWORD_CHARS: usize = 10;

/// What the operator supplied for the first admin (`TILL_ADMIN_EMAIL`,
/// `TILL_ADMIN_PASSWORD`).
#[derive(Default, Clone)]
pub struct FirstAdminInput {
    pub email: Option<String>,
    pub password: Option<String>,
}

/// The admin created on first run.
#[derive(Debug, Clone)]
pub struct FirstAdmin {
    pub email: String,
    /// Set when till chose the password; shown to the operator once.
    pub generated_password: Option<String>,
}

/// Create the first staff admin if there is no staff at all. Answers `None`
/// when staff already exists (every later start).
pub fn ensure_first_admin(
    db: &Db,
    now: Timestamp,
    input: FirstAdminInput,
) -> Result<Option<FirstAdmin>> {
    if db.read(|c| Ok(staff::count(c)?))? > 0 {
        return Ok(None);
    }
    let email = input
        .email
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| DEFAULT_ADMIN_EMAIL.to_string());
    if !looks_like_email(&email) {
        return Err(AppError::invalid(
            "TILL_ADMIN_EMAIL",
            "is not an email address",
        ));
    }
    let (password, generated) = match input.password.filter(|p| !p.is_empty()) {
        Some(p) if p.chars().count() < MIN_PASSWORD_CHARS => {
            return Err(AppError::invalid(
                "TILL_ADMIN_PASSWORD",
                format!("must be at least {MIN_PASSWORD_CHARS} characters"),
            ));
        }
        Some(p) => (p, false),
        None => (random::password(), true),
    };
    // Hash before taking the writer: it is the slow part.
    let hash = password::hash(&password)?;
    let uuid = uuid::Uuid::now_v7().to_string();
    let created = db.write(|tx| {
        // Another process may have won the race since the read above.
        if staff::count(tx)? > 0 {
            return Ok(false);
        }
        let id = staff::insert(
            tx,
            &staff::NewStaff {
                uuid: &uuid,
                email: &email,
                name: "Administrator",
                password_hash: &hash,
                role: StaffRole::Admin,
                now: &stamp(now),
            },
        )?;
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::System,
                action: "staff.created",
                subject: Some(("staff", id)),
                client_id: None,
                ip: None,
                details: serde_json::json!({ "email": email, "role": "admin", "reason": "first run" }),
            },
        )?;
        Ok(true)
    })?;
    Ok(created.then(|| FirstAdmin {
        email,
        generated_password: generated.then_some(password),
    }))
}

/// A deliberately loose check: one `@`, something on both sides, no spaces.
pub fn looks_like_email(s: &str) -> bool {
    if too_long_for_an_email(s) {
        return false;
    }
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// The longest address SMTP carries (RFC 5321's 256-octet path less its
/// angle brackets).
pub const MAX_EMAIL_CHARS: usize = 254;

fn too_long_for_an_email(s: &str) -> bool {
    // Counting stops early: a megabyte of text costs no more than 255 chars.
    s.chars().nth(MAX_EMAIL_CHARS).is_some()
}

/// Refuse an email too long to be anyone's, before it keys a rate limit
/// (each key is memory) or reaches the database or the password hasher.
pub fn check_email_length(email: &str) -> Result<()> {
    if too_long_for_an_email(email.trim()) {
        return Err(AppError::invalid(
            "email",
            format!("must be at most {MAX_EMAIL_CHARS} characters"),
        ));
    }
    Ok(())
}
