//! Two-factor authentication with TOTP: set up (secret, otpauth URL, QR
//! code), enable with a first code (answering one-time recovery codes),
//! disable with a code or the password.

use jiff::Timestamp;

use crate::{
    app::AppState,
    auth::{password, principal::RequestMeta, random, secrets, totp},
    domain::time::stamp,
    error::{AppError, Result},
    service::{
        audit::{self, Actor, Event},
        sessions::{check_second_factor, normalize_recovery_code},
    },
    store::{recovery_codes, users},
};

pub const RECOVERY_CODES: usize = 10;

pub struct Setup {
    pub secret: String,
    pub otpauth_url: String,
    pub qr_svg: String,
}

/// Start (or restart) setting up 2FA. Refused while 2FA is on.
pub fn setup(state: &AppState, user_id: i64, now: Timestamp) -> Result<Setup> {
    let secret = totp::new_secret();
    let email = state.db.write(|tx| {
        let user = users::find(tx, user_id)?.ok_or(AppError::NotFound)?;
        if user.two_factor_enabled() {
            return Err(AppError::Conflict(
                "Two-factor authentication is already on".into(),
            ));
        }
        users::set_pending_totp(tx, user.id, &secret, &stamp(now))?;
        Ok(user.email)
    })?;
    let url = totp::otpauth_url(&secret, &email, &state.config.company.name)?;
    Ok(Setup {
        qr_svg: totp::qr_svg(&url)?,
        otpauth_url: url,
        secret,
    })
}

/// The set-up still waiting for its first code, shown again when that code
/// was wrong (the app already holds this secret).
pub fn pending(state: &AppState, user_id: i64) -> Result<Setup> {
    let user = state
        .db
        .read(|c| Ok(users::find(c, user_id)?))?
        .ok_or(AppError::NotFound)?;
    let secret = user
        .totp_secret
        .clone()
        .filter(|_| !user.two_factor_enabled())
        .ok_or_else(|| AppError::Conflict("Start the set-up again.".into()))?;
    let url = totp::otpauth_url(&secret, &user.email, &state.config.company.name)?;
    Ok(Setup {
        qr_svg: totp::qr_svg(&url)?,
        otpauth_url: url,
        secret,
    })
}

/// Turn 2FA on with a code from the app; answers the recovery codes, shown
/// this once.
pub fn enable(
    state: &AppState,
    user_id: i64,
    code: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Vec<String>> {
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
    let hashes: Vec<String> = codes
        .iter()
        .map(|c| secrets::hash(&normalize_recovery_code(c)))
        .collect();
    state.db.write(|tx| {
        let user = users::find(tx, user_id)?.ok_or(AppError::NotFound)?;
        if user.two_factor_enabled() {
            return Err(AppError::Conflict(
                "Two-factor authentication is already on".into(),
            ));
        }
        let secret = user
            .totp_secret
            .as_deref()
            .ok_or_else(|| AppError::Conflict("Set up two-factor authentication first".into()))?;
        let step = totp::matching_step(secret, code, now)
            .ok_or_else(|| AppError::invalid("code", "is not the current code from your app"))?;
        users::enable_totp(
            tx,
            user.id,
            i64::try_from(step).map_err(AppError::internal)?,
            &stamp(now),
        )?;
        recovery_codes::replace_all(tx, user.id, &hashes)?;
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::User(user.id),
                action: "auth.two_factor_enabled",
                subject: Some(("user", user.id)),
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({}),
            },
        )?;
        Ok(())
    })?;
    Ok(codes)
}

/// Turn 2FA off, proving it with a current code, a recovery code, or the
/// password.
pub fn disable(
    state: &AppState,
    user_id: i64,
    code: Option<&str>,
    password_given: Option<&str>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    let user = state
        .db
        .read(|c| Ok(users::find(c, user_id)?))?
        .ok_or(AppError::NotFound)?;
    if !user.two_factor_enabled() {
        return Err(AppError::Conflict(
            "Two-factor authentication is not on".into(),
        ));
    }
    let password_ok = password_given
        .filter(|p| !p.is_empty())
        .zip(user.password_hash.as_deref())
        .is_some_and(|(p, h)| password::verify(p, h));
    state.db.write(|tx| {
        if !password_ok {
            match code.map(str::trim).filter(|c| !c.is_empty()) {
                Some(code) => check_second_factor(tx, &state.limiter, &user, code, now)
                    .map_err(|_| AppError::invalid("code", "is not a valid code"))?,
                None => {
                    return Err(AppError::invalid(
                        "password",
                        "give your password or a current code",
                    ));
                }
            }
        }
        users::disable_totp(tx, user.id, &stamp(now))?;
        recovery_codes::delete_all(tx, user.id)?;
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::User(user.id),
                action: "auth.two_factor_disabled",
                subject: Some(("user", user.id)),
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({}),
            },
        )?;
        Ok(())
    })
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
