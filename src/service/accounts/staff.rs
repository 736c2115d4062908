//! Staff members: created and reset from the CLI; logging in to /admin.

use jiff::Timestamp;

use crate::{
    auth::{password, principal::RequestMeta},
    db::Db,
    domain::{password_policy, staff::StaffRole, time::stamp},
    error::{AppError, FieldErrors, Result},
    service::Ctx,
    service::{
        accounts::login_guard::LoginGuard,
        accounts::sessions::{STAFF_SESSION_ABSOLUTE, STAFF_SESSION_IDLE, later},
        audit::{self, Actor, Event},
        bootstrap::{check_email_length, looks_like_email},
    },
    store::{sessions, staff},
};

fn policy(password_given: &str, email: &str) -> Result<()> {
    let problems = password_policy::problems(password_given, email);
    if problems.is_empty() {
        return Ok(());
    }
    let mut errors = FieldErrors::new();
    errors.insert("password".into(), problems);
    Err(AppError::Validation(errors))
}

/// `till admin create`.
pub fn create(
    db: &Db,
    email: &str,
    name: &str,
    role: StaffRole,
    password_given: &str,
    now: Timestamp,
) -> Result<staff::Staff> {
    let email = email.trim();
    if !looks_like_email(email) {
        return Err(AppError::invalid("email", "must be an email address"));
    }
    policy(password_given, email)?;
    let hash = password::hash(password_given)?;
    db.write(|tx| {
        if staff::find_by_email(tx, email)?.is_some() {
            return Err(AppError::Conflict(format!("staff {email} already exists")));
        }
        let id = staff::insert(
            tx,
            &staff::NewStaff {
                uuid: &uuid::Uuid::new_v4().to_string(),
                email,
                name: if name.trim().is_empty() {
                    email
                } else {
                    name.trim()
                },
                password_hash: &hash,
                role,
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
                details: serde_json::json!({ "email": email, "role": role.as_str() }),
            },
        )?;
        staff::find(tx, id)?.ok_or(AppError::NotFound)
    })
}

/// `till admin reset-password`: a new password; the member's sessions end.
pub fn reset_password(db: &Db, email: &str, password_given: &str, now: Timestamp) -> Result<()> {
    let member = db
        .read(|c| Ok(staff::find_by_email(c, email.trim())?))?
        .ok_or(AppError::NotFound)?;
    policy(password_given, &member.email)?;
    let hash = password::hash(password_given)?;
    db.write(|tx| {
        staff::set_password(tx, member.id, &hash, &stamp(now))?;
        crate::store::sessions::revoke_all_for_staff(
            tx,
            member.id,
            &stamp(now),
            "password_changed",
        )?;
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::System,
                action: "staff.password_reset",
                subject: Some(("staff", member.id)),
                client_id: None,
                ip: None,
                details: serde_json::json!({}),
            },
        )?;
        Ok(())
    })
}

/// Check staff credentials for the admin area, rate limited like customer
/// logins (failures slow the account down, never lock it) and costing the
/// same for unknown emails.
pub fn check_credentials(
    ctx: &Ctx,
    email: &str,
    password_given: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<staff::Staff> {
    let email = email.trim();
    check_email_length(email)?;
    let guard = LoginGuard::new(ctx, &format!("staff:{email}"), meta);
    guard.check(now)?;
    let member = ctx.db.read(|c| Ok(staff::find_by_email(c, email)?))?;
    let stored = member
        .as_ref()
        .map(|m| m.password_hash.as_str())
        .unwrap_or(&ctx.keys.dummy_password_hash);
    let ok = ctx.passwords.verify(password_given, stored)?;
    match member {
        Some(m) if ok && m.disabled_at.is_none() => {
            guard.succeeded();
            Ok(m)
        }
        m => {
            guard.failed(now);
            ctx.db.write(|tx| {
                audit::record(
                    tx,
                    now,
                    Event {
                        actor: Actor::System,
                        action: "staff.login_failed",
                        subject: m.as_ref().map(|m| ("staff", m.id)),
                        client_id: None,
                        ip: meta.ip.as_deref(),
                        details: serde_json::json!({}),
                    },
                )
            })?;
            Err(AppError::InvalidCredentials)
        }
    }
}

/// A staff member's browser session (cookie secret hash, CSRF token),
/// inside the caller's transaction.
pub fn start_web_session(
    tx: &rusqlite::Connection,
    member: &staff::Staff,
    secret_hash: &str,
    csrf: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<i64> {
    let id = sessions::insert(
        tx,
        &sessions::NewSession {
            uuid: &uuid::Uuid::new_v4().to_string(),
            user_id: None,
            staff_id: Some(member.id),
            kind: "web",
            name: meta.user_agent.as_deref().unwrap_or("browser"),
            secret_hash: Some(secret_hash),
            csrf_token: Some(csrf),
            active_client_id: None,
            now: &stamp(now),
            expires_at: &stamp(later(now, STAFF_SESSION_ABSOLUTE)),
            idle_expires_at: &stamp(later(now, STAFF_SESSION_IDLE)),
            ip: meta.ip.as_deref(),
            user_agent: meta.user_agent.as_deref(),
        },
    )?;
    audit::record(
        tx,
        now,
        Event {
            actor: Actor::Staff(member.id),
            action: "staff.login",
            subject: Some(("session", id)),
            client_id: None,
            ip: meta.ip.as_deref(),
            details: serde_json::json!({}),
        },
    )?;
    Ok(id)
}
