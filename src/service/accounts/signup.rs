//! Signing up: the same answer whether or not the email has an account.

use jiff::Timestamp;

use crate::{
    auth::{principal::RequestMeta, rate_limit, secrets},
    domain::{password_policy, time::stamp},
    error::{AppError, FieldErrors, Result},
    service::Ctx,
    service::{
        accounts::sessions::later,
        audit::{self, Actor, Event},
        bootstrap::check_email_length,
        email::{self, Branding},
    },
    store::{clients, currencies, email_tokens, memberships, users},
};

use super::VERIFY_TTL;
use super::signup_input::{SignupInput, check_profile, tidy_profile};

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
    crate::service::accounts::clients::check_vat_id(&mut profile, &mut errors);
    let policy = password_policy::problems(&input.password, &profile.email);
    if !policy.is_empty() {
        errors.insert("password".into(), policy);
    }
    let currency = input
        .currency
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty());
    if currency
        .as_ref()
        .is_some_and(|c| c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()))
    {
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
        // Without a choice, the shop's default currency (USD before any).
        let currency = match &currency {
            Some(c) => c.clone(),
            None => currencies::default(tx)?.map_or_else(|| "USD".to_string(), |c| c.code),
        };
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
