//! Sign-up, email verification, forgotten and changed passwords.
//!
//! Sign-up and "forgot password" answer the same whatever the email: an
//! existing address gets an email telling its owner, a new one gets the
//! normal flow, and both paths hash a password and write one transaction.

use jiff::{SignedDuration, Timestamp};
use rusqlite::Connection;

use crate::{
    auth::{principal::RequestMeta, rate_limit, secrets},
    domain::{password_policy, time::stamp},
    error::{AppError, FieldErrors, Result},
    service::Ctx,
    service::{
        audit::{self, Actor, Event},
        bootstrap::check_email_length,
        email::{self, Branding},
        sessions::later,
    },
    store::{clients, email_tokens, memberships, sessions, users},
};

const VERIFY_TTL: SignedDuration = SignedDuration::from_hours(48);
const RESET_TTL: SignedDuration = SignedDuration::from_hours(1);

/// Reference 004's sign-up fields.
#[derive(Debug, Clone, Default)]
pub struct SignupInput {
    /// `private` or `company`.
    pub kind: String,
    pub email: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    pub company_name: Option<String>,
    pub company_number: Option<String>,
    pub vat_id: Option<String>,
    pub phone: String,
    pub address1: String,
    pub address2: String,
    pub city: String,
    pub state: String,
    pub postcode: String,
    pub country: String,
    pub currency: Option<String>,
}

/// Field checks shared by sign-up and profile changes.
pub fn check_profile(p: &clients::Profile, errors: &mut FieldErrors) {
    let mut add = |f: &str, m: &str| errors.entry(f.to_string()).or_default().push(m.to_string());
    if p.first_name.trim().is_empty() {
        add("first_name", "is required");
    }
    if p.last_name.trim().is_empty() {
        add("last_name", "is required");
    }
    if p.kind == "company"
        && p.company_name
            .as_deref()
            .is_none_or(|c| c.trim().is_empty())
    {
        add("company_name", "is required for a company account");
    }
    let country_ok = p.country.is_empty()
        || (p.country.len() == 2 && p.country.bytes().all(|b| b.is_ascii_uppercase()));
    if !country_ok {
        add(
            "country",
            "must be a two-letter ISO country code such as GB",
        );
    }
    if !crate::service::bootstrap::looks_like_email(&p.email) {
        add("email", "must be an email address");
    }
    for (field, value, max) in [
        ("first_name", &p.first_name, 100),
        ("last_name", &p.last_name, 100),
        ("phone", &p.phone, 40),
        ("address1", &p.address1, 200),
        ("address2", &p.address2, 200),
        ("city", &p.city, 100),
        ("state", &p.state, 100),
        ("postcode", &p.postcode, 20),
    ] {
        if value.chars().count() > max {
            add(field, &format!("must be at most {max} characters"));
        }
    }
}

/// Normalize a profile: trim everything, upper-case the country, empty
/// optional fields become absent.
pub fn tidy_profile(p: &mut clients::Profile) {
    let opt = |o: &mut Option<String>| {
        *o = o
            .as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
    };
    for s in [
        &mut p.first_name,
        &mut p.last_name,
        &mut p.email,
        &mut p.phone,
        &mut p.address1,
        &mut p.address2,
        &mut p.city,
        &mut p.state,
        &mut p.postcode,
    ] {
        *s = s.trim().to_string();
    }
    p.country = p.country.trim().to_uppercase();
    opt(&mut p.company_name);
    opt(&mut p.company_number);
    opt(&mut p.vat_id);
    p.kind = match p.kind.trim().to_lowercase().as_str() {
        "company" => "company".into(),
        _ => "person".into(),
    };
}

/// `POST /auth/signup`. Answers nothing that depends on whether the email
/// already has an account.
pub fn signup(ctx: &Ctx, input: SignupInput, meta: &RequestMeta, now: Timestamp) -> Result<()> {
    check_email_length(&input.email)?;
    ctx.limiter.hit(
        rate_limit::SIGNUP_PER_IP,
        &rate_limit::client_key(meta.ip.as_deref()),
        now,
    )?;
    ctx.limiter
        .hit(rate_limit::SIGNUP_PER_ACCOUNT, input.email.trim(), now)?;
    let mut profile = clients::Profile {
        kind: input.kind.clone(),
        first_name: input.first_name,
        last_name: input.last_name,
        company_name: input.company_name,
        company_number: input.company_number,
        email: input.email.trim().to_string(),
        phone: input.phone,
        address1: input.address1,
        address2: input.address2,
        city: input.city,
        state: input.state,
        postcode: input.postcode,
        country: input.country,
        vat_id: input.vat_id,
    };
    tidy_profile(&mut profile);
    let mut errors = FieldErrors::new();
    check_profile(&profile, &mut errors);
    crate::service::clients::check_vat_id(&mut profile, &mut errors);
    let policy = password_policy::problems(&input.password, &profile.email);
    if !policy.is_empty() {
        errors.insert("password".into(), policy);
    }
    let currency = input
        .currency
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "USD".to_string());
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        errors.insert(
            "currency".into(),
            vec!["must be a three-letter currency code".into()],
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }

    // Hash first, whatever happens next: the same cost on both paths.
    let hash = ctx.passwords.hash(&input.password)?;
    let brand = Branding::from_config(&ctx.config);
    let verify_secret = secrets::new_secret("vt_");
    ctx.db.write(|tx| {
        if let Some(existing) = users::find_by_email(tx, &profile.email)? {
            email::queue(
                tx,
                now,
                &existing.email,
                &email::SignupExisting {
                    name: existing.name(),
                    login_link: brand.link("/login"),
                    reset_link: brand.link("/forgot-password"),
                    brand: brand.clone(),
                },
            )?;
            audit::record(
                tx,
                now,
                Event {
                    actor: Actor::System,
                    action: "auth.signup_existing_email",
                    subject: Some(("user", existing.id)),
                    client_id: None,
                    ip: meta.ip.as_deref(),
                    details: serde_json::json!({}),
                },
            )?;
            return Ok(());
        }
        let now_s = stamp(now);
        let user_id = users::insert(
            tx,
            &users::NewUser {
                uuid: &uuid::Uuid::new_v4().to_string(),
                email: &profile.email,
                first_name: &profile.first_name,
                last_name: &profile.last_name,
                password_hash: Some(&hash),
                now: &now_s,
            },
        )?;
        let client_id = clients::insert(
            tx,
            &uuid::Uuid::new_v4().to_string(),
            &profile,
            &currency,
            &now_s,
        )?;
        memberships::insert(tx, user_id, client_id, "owner", "[]", &now_s)?;
        email_tokens::insert(
            tx,
            user_id,
            "verify_email",
            &secrets::hash(&verify_secret),
            &now_s,
            &stamp(later(now, VERIFY_TTL)),
        )?;
        // The welcome, once: only a new client gets here (an address with
        // an account got `SignupExisting` above).
        email::queue(
            tx,
            now,
            &profile.email,
            &email::Welcome {
                name: format!("{} {}", profile.first_name, profile.last_name),
                email: profile.email.clone(),
                login_link: brand.link("/login"),
                account_link: brand.link("/account"),
                reset_link: brand.link("/forgot-password"),
                brand: brand.clone(),
            },
        )?;
        email::queue(
            tx,
            now,
            &profile.email,
            &email::VerifyEmail {
                name: format!("{} {}", profile.first_name, profile.last_name),
                link: brand.link(&format!("/verify-email?token={verify_secret}")),
                brand: brand.clone(),
            },
        )?;
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::User(user_id),
                action: "client.signed_up",
                subject: Some(("client", client_id)),
                client_id: Some(client_id),
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "email": profile.email, "kind": profile.kind }),
            },
        )?;
        Ok(())
    })
}

/// `POST /auth/email/verify`.
pub fn verify_email(ctx: &Ctx, token: &str, meta: &RequestMeta, now: Timestamp) -> Result<()> {
    ctx.db.write(|tx| {
        let user_id = use_email_token(tx, "verify_email", token, now)?;
        users::mark_verified(tx, user_id, &stamp(now))?;
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::User(user_id),
                action: "user.email_verified",
                subject: Some(("user", user_id)),
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({}),
            },
        )?;
        Ok(())
    })
}

/// Spend a single-use email token; answers its user. Unknown, used and
/// expired tokens all get the same 422.
fn use_email_token(conn: &Connection, purpose: &str, token: &str, now: Timestamp) -> Result<i64> {
    let invalid = || AppError::invalid("token", "is invalid or has expired");
    let row =
        email_tokens::find(conn, purpose, &secrets::hash(token.trim()))?.ok_or_else(invalid)?;
    if row.used_at.is_some() || stamp(now) >= row.expires_at {
        return Err(invalid());
    }
    if !email_tokens::mark_used(conn, row.id, &stamp(now))? {
        return Err(invalid());
    }
    Ok(row.user_id)
}

/// `POST /auth/password/forgot`: the same answer and the same work whether
/// or not the email has an account.
pub fn forgot_password(
    ctx: &Ctx,
    email_given: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    let email_given = email_given.trim();
    check_email_length(email_given)?;
    ctx.limiter.hit(
        rate_limit::FORGOT_PER_IP,
        &rate_limit::client_key(meta.ip.as_deref()),
        now,
    )?;
    ctx.limiter
        .hit(rate_limit::FORGOT_PER_ACCOUNT, email_given, now)?;
    if !crate::service::bootstrap::looks_like_email(email_given) {
        return Err(AppError::invalid("email", "must be an email address"));
    }
    let brand = Branding::from_config(&ctx.config);
    let secret = secrets::new_secret("pr_");
    ctx.db.write(|tx| {
        let user = users::find_by_email(tx, email_given)?.filter(|u| u.status == "active");
        if let Some(user) = &user {
            let now_s = stamp(now);
            email_tokens::retire_all(tx, user.id, "reset_password", &now_s)?;
            email_tokens::insert(
                tx,
                user.id,
                "reset_password",
                &secrets::hash(&secret),
                &now_s,
                &stamp(later(now, RESET_TTL)),
            )?;
            email::queue(
                tx,
                now,
                &user.email,
                &email::PasswordReset {
                    name: user.name(),
                    link: brand.link(&format!("/reset-password?token={secret}")),
                    brand: brand.clone(),
                },
            )?;
        }
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::System,
                action: "auth.password_reset_requested",
                subject: user.as_ref().map(|u| ("user", u.id)),
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({}),
            },
        )?;
        Ok(())
    })
}

/// `POST /auth/password/reset`: a new password, and every session ends.
pub fn reset_password(
    ctx: &Ctx,
    token: &str,
    new_password: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    ctx.limiter.hit(
        rate_limit::RESET_PER_IP,
        &rate_limit::client_key(meta.ip.as_deref()),
        now,
    )?;
    // Validate the token first (read only), to check the policy against
    // the right email.
    let owner = ctx.db.read(|c| {
        let row = email_tokens::find(c, "reset_password", &secrets::hash(token.trim()))?;
        Ok(match row {
            Some(r) => users::find(c, r.user_id)?,
            None => None,
        })
    })?;
    let policy = password_policy::problems(
        new_password,
        owner.as_ref().map_or("", |u| u.email.as_str()),
    );
    if !policy.is_empty() {
        let mut errors = FieldErrors::new();
        errors.insert("password".into(), policy);
        return Err(AppError::Validation(errors));
    }
    let hash = ctx.passwords.hash(new_password)?;
    let brand = Branding::from_config(&ctx.config);
    ctx.db.write(|tx| {
        let user_id = use_email_token(tx, "reset_password", token, now)?;
        let user = users::find(tx, user_id)?.ok_or(AppError::NotFound)?;
        set_password_and_end_sessions(tx, &user, &hash, None, now)?;
        // Whoever could reset the password owned the mailbox.
        users::mark_verified(tx, user.id, &stamp(now))?;
        email::queue(
            tx,
            now,
            &user.email,
            &email::PasswordChanged {
                brand,
                name: user.name(),
            },
        )?;
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::User(user.id),
                action: "auth.password_reset",
                subject: Some(("user", user.id)),
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({}),
            },
        )?;
        Ok(())
    })
}

fn set_password_and_end_sessions(
    conn: &Connection,
    user: &users::User,
    hash: &str,
    keep_session: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    let now_s = stamp(now);
    users::set_password(conn, user.id, hash, &now_s)?;
    sessions::revoke_all_for_user(conn, user.id, keep_session, &now_s, "password_changed")?;
    email_tokens::retire_all(conn, user.id, "reset_password", &now_s)?;
    Ok(())
}

/// Change the password knowing the current one; other sessions end.
pub fn change_password(
    ctx: &Ctx,
    user_id: i64,
    current_session: i64,
    current: &str,
    new_password: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    let user = ctx
        .db
        .read(|c| Ok(users::find(c, user_id)?))?
        .ok_or(AppError::NotFound)?;
    // A session is not proof of knowing the password: wrong guesses here
    // are limited like logins.
    let key = user.id.to_string();
    ctx.limiter
        .check(rate_limit::SESSION_PASSWORD_FAILURES, &key, now)?;
    let ok = match user.password_hash.as_deref() {
        Some(h) => ctx.passwords.verify(current, h)?,
        None => false,
    };
    if !ok {
        ctx.limiter
            .fail(rate_limit::SESSION_PASSWORD_FAILURES, &key, now);
        return Err(AppError::invalid(
            "current_password",
            "is not your current password",
        ));
    }
    let policy = password_policy::problems(new_password, &user.email);
    if !policy.is_empty() {
        let mut errors = FieldErrors::new();
        errors.insert("password".into(), policy);
        return Err(AppError::Validation(errors));
    }
    let hash = ctx.passwords.hash(new_password)?;
    let brand = Branding::from_config(&ctx.config);
    ctx.db.write(|tx| {
        set_password_and_end_sessions(tx, &user, &hash, Some(current_session), now)?;
        email::queue(
            tx,
            now,
            &user.email,
            &email::PasswordChanged {
                brand,
                name: user.name(),
            },
        )?;
        audit::record(
            tx,
            now,
            Event {
                actor: Actor::User(user.id),
                action: "auth.password_changed",
                subject: Some(("user", user.id)),
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({}),
            },
        )?;
        Ok(())
    })
}
