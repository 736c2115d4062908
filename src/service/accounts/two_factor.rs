//! Two-factor authentication with TOTP, for customers and staff alike (a
//! `Holder`): set up (secret, otpauth URL, QR code), enable with a first
//! code (answering one-time recovery codes), check a code at login, and
//! disable with a current code or a recovery code. A password alone never
//! turns it off: a stolen session or password must not strip the factor.
//!
//! Secrets are sealed at rest (`auth::sealed`, under the credentials key,
//! labelled `totp:<user|staff>:<id>` so a sealed secret copied onto
//! another row does not open). `seal_stored_secrets` seals, at start, any
//! secret an older till left in the clear.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::{
        keys::AuthKeys,
        principal::RequestMeta,
        random,
        rate_limit::{self, RateLimiter},
        sealed, secrets, totp,
    },
    db::Db,
    domain::time::stamp,
    error::{AppError, Result},
    service::Ctx,
    service::{
        accounts::security_settings,
        audit::{self, Actor, Event},
    },
    store::two_factor::{self as store, Holder},
};

pub const RECOVERY_CODES: usize = 10;

pub struct Setup {
    pub secret: String,
    pub otpauth_url: String,
    pub qr_svg: String,
}

fn label(h: Holder) -> Vec<u8> {
    let id = match h {
        Holder::User(id) | Holder::Staff(id) => id,
    };
    format!("totp:{}:{id}", h.kind()).into_bytes()
}

fn seal(keys: &AuthKeys, h: Holder, secret: &str) -> Result<String> {
    sealed::seal_text(&keys.credentials, &label(h), secret)
        .ok_or_else(|| AppError::internal("cannot seal a TOTP secret"))
}

fn open(keys: &AuthKeys, h: Holder, stored: &str) -> Result<String> {
    sealed::open_text(&keys.credentials, &label(h), stored)
        .ok_or_else(|| AppError::internal(format!("the TOTP secret of {} does not open", h.kind())))
}

fn actor(h: Holder) -> Actor {
    match h {
        Holder::User(id) => Actor::User(id),
        Holder::Staff(id) => Actor::Staff(id),
    }
}

fn audit_row(
    conn: &Connection,
    h: Holder,
    on: bool,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    let action = match (h, on) {
        (Holder::User(_), true) => "auth.two_factor_enabled",
        (Holder::User(_), false) => "auth.two_factor_disabled",
        (Holder::Staff(_), true) => "staff.two_factor_enabled",
        (Holder::Staff(_), false) => "staff.two_factor_disabled",
    };
    let id = match h {
        Holder::User(id) | Holder::Staff(id) => id,
    };
    audit::record(
        conn,
        now,
        Event {
            actor: actor(h),
            action,
            subject: Some((h.kind(), id)),
            client_id: None,
            ip: meta.ip.as_deref(),
            details: serde_json::json!({}),
        },
    )?;
    Ok(())
}

fn setup_for(ctx: &Ctx, email: &str, secret: String) -> Result<Setup> {
    let url = totp::otpauth_url(&secret, email, &ctx.config.company.name)?;
    Ok(Setup {
        qr_svg: totp::qr_svg(&url)?,
        otpauth_url: url,
        secret,
    })
}

/// Whether `h` has 2FA on.
pub fn is_enabled(db: &Db, h: Holder) -> Result<bool> {
    db.read(|c| Ok(store::find(c, h)?.is_some_and(|t| t.enabled())))
}

/// Start (or restart) setting up 2FA. Refused while 2FA is on.
pub fn setup(ctx: &Ctx, h: Holder, now: Timestamp) -> Result<Setup> {
    let secret = totp::new_secret();
    let sealed_secret = seal(&ctx.keys, h, &secret)?;
    let email = ctx.db.write(|tx| {
        let t = store::find(tx, h)?.ok_or(AppError::NotFound)?;
        if t.enabled() {
            return Err(AppError::Conflict(
                "Two-factor authentication is already on".into(),
            ));
        }
        store::set_pending(tx, h, &sealed_secret, &stamp(now))?;
        Ok(t.email)
    })?;
    setup_for(ctx, &email, secret)
}

/// The set-up still waiting for its first code, shown again when that code
/// was wrong (the app already holds this secret).
pub fn pending(ctx: &Ctx, h: Holder) -> Result<Setup> {
    let t = ctx
        .db
        .read(|c| Ok(store::find(c, h)?))?
        .ok_or(AppError::NotFound)?;
    let stored = t
        .secret
        .clone()
        .filter(|_| !t.enabled())
        .ok_or_else(|| AppError::Conflict("Start the set-up again.".into()))?;
    setup_for(ctx, &t.email, open(&ctx.keys, h, &stored)?)
}

/// Turn 2FA on with a code from the app; answers the recovery codes, shown
/// this once.
pub fn enable(
    ctx: &Ctx,
    h: Holder,
    code: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Vec<String>> {
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
    let hashes: Vec<String> = codes
        .iter()
        .map(|c| secrets::hash(&normalize_recovery_code(c)))
        .collect();
    ctx.db.write(|tx| {
        let t = store::find(tx, h)?.ok_or(AppError::NotFound)?;
        if t.enabled() {
            return Err(AppError::Conflict(
                "Two-factor authentication is already on".into(),
            ));
        }
        let stored = t
            .secret
            .as_deref()
            .ok_or_else(|| AppError::Conflict("Set up two-factor authentication first".into()))?;
        let secret = open(&ctx.keys, h, stored)?;
        let step = totp::matching_step(&secret, code, now)
            .ok_or_else(|| AppError::invalid("code", "is not the current code from your app"))?;
        store::enable(
            tx,
            h,
            i64::try_from(step).map_err(AppError::internal)?,
            &stamp(now),
        )?;
        store::replace_recovery_codes(tx, h, &hashes)?;
        audit_row(tx, h, true, meta, now)
    })?;
    Ok(codes)
}

/// Turn 2FA off, proving it with a current code or a recovery code.
pub fn disable(ctx: &Ctx, h: Holder, code: &str, meta: &RequestMeta, now: Timestamp) -> Result<()> {
    let code = code.trim();
    if code.is_empty() {
        return Err(AppError::invalid(
            "code",
            "give a current code from your app or a recovery code",
        ));
    }
    ctx.db.write(|tx| {
        let t = store::find(tx, h)?.ok_or(AppError::NotFound)?;
        if !t.enabled() {
            return Err(AppError::Conflict(
                "Two-factor authentication is not on".into(),
            ));
        }
        if matches!(h, Holder::Staff(_)) && security_settings::load(tx)?.require_staff_two_factor {
            return Err(AppError::Conflict(
                "Every staff member must use two-factor authentication; it cannot be turned off"
                    .into(),
            ));
        }
        verify_code(tx, &ctx.limiter, &ctx.keys, h, code, now).map_err(|e| match e {
            AppError::InvalidSecondFactor => AppError::invalid("code", "is not a valid code"),
            other => other,
        })?;
        store::disable(tx, h, &stamp(now))?;
        store::delete_recovery_codes(tx, h)?;
        audit_row(tx, h, false, meta, now)
    })
}

/// Check a second factor (a TOTP code or a recovery code) for `h`, inside
/// the caller's transaction, rate limited per holder. A code is accepted
/// once.
pub fn verify_code(
    conn: &Connection,
    limiter: &RateLimiter,
    keys: &AuthKeys,
    h: Holder,
    code: &str,
    now: Timestamp,
) -> Result<()> {
    let key = match h {
        Holder::User(id) => id.to_string(),
        Holder::Staff(id) => format!("staff:{id}"),
    };
    limiter.hit(rate_limit::TWO_FACTOR_PER_ACCOUNT, &key, now)?;
    let t = store::find(conn, h)?.ok_or(AppError::InvalidSecondFactor)?;
    let stored = t
        .secret
        .as_deref()
        .filter(|_| t.enabled())
        .ok_or(AppError::InvalidSecondFactor)?;
    let secret = open(keys, h, stored)?;
    let code = code.trim();
    if let Some(step) = totp::matching_step(&secret, code, now) {
        let step = i64::try_from(step).map_err(AppError::internal)?;
        return if store::claim_step(conn, h, step)? {
            Ok(())
        } else {
            Err(AppError::InvalidSecondFactor)
        };
    }
    let normalized = normalize_recovery_code(code);
    if !normalized.is_empty()
        && store::use_recovery_code(conn, h, &secrets::hash(&normalized), &stamp(now))?
    {
        return Ok(());
    }
    Err(AppError::InvalidSecondFactor)
}

/// Seal every TOTP secret still stored in the clear (written by a till
/// before secrets were sealed). Run at start; a second run finds nothing.
pub fn seal_stored_secrets(db: &Db, keys: &AuthKeys) -> Result<usize> {
    db.write(|tx| {
        let mut sealed_now = 0;
        for (h, stored) in store::all_secrets(tx)? {
            if sealed::is_sealed_text(&stored) {
                continue;
            }
            store::replace_secret(tx, h, &seal(keys, h, &stored)?)?;
            sealed_now += 1;
        }
        Ok(sealed_now)
    })
}

/// Recovery codes are compared without dashes, spaces or case.
pub fn normalize_recovery_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `abcd-efgh-jkmn`: 12 characters without look-alikes (about 60 bits).
fn recovery_code() -> String {
    let p = random::password().to_lowercase();
    let chars: Vec<char> = p
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(12)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_grouped_and_normalize_without_dashes() {
        let code = recovery_code();
        assert_eq!(code.len(), 14);
        assert_eq!(code.matches('-').count(), 2);
        assert_eq!(normalize_recovery_code(&code.to_uppercase()).len(), 12);
    }
}
