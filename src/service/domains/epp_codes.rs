//! A domain's auth code (EPP code), asked of its registrar when its
//! owner (or staff) wants it. It is a read, not a change: the registrar is
//! asked with no transaction open, the code goes back to the caller as a
//! `Secret` and nowhere else (never stored, never logged), and an audit
//! row records that it was revealed, not what it is.

use std::sync::Arc;

use jiff::Timestamp;

use crate::{
    auth::{
        keys::AuthKeys,
        principal::{Principal, RequestMeta, StaffPrincipal},
    },
    config::Secret,
    db::Db,
    error::{AppError, Result},
    integrations::{
        outbound::TargetPolicy,
        registrars::{EppCode, Pending, RegistrarConfig, RegistrarError, registrar_for},
    },
    service::audit::{self, Actor, Event},
    store::{domains, registrars},
};

use super::{domain_actions::Who, registrars::config_of};

/// What asking a registrar needs: the database, the keys its settings are
/// sealed with, and the addresses module calls may reach.
#[derive(Clone)]
pub struct Registry {
    pub db: Db,
    pub keys: Arc<AuthKeys>,
    pub targets: Arc<TargetPolicy>,
}

const FIELD: &str = "epp_code";

/// The auth code of the client's domain `id` (the account's owner only).
pub async fn reveal(
    reg: &Registry,
    principal: &Principal,
    client: &str,
    id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Secret> {
    let (p, c) = (principal.clone(), client.to_string());
    let actor = Actor::from(principal);
    let (domain, config) = reg
        .db
        .run({
            let keys = reg.keys.clone();
            move |db| prepare(db, &keys, Who::Client(&p, &c), id)
        })
        .await?;
    ask(reg, domain, config, actor, meta, now).await
}

/// The same for staff (`services:write`).
pub async fn staff_reveal(
    reg: &Registry,
    staff: &StaffPrincipal,
    id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Secret> {
    let s = staff.clone();
    let actor = Actor::from(staff);
    let (domain, config) = reg
        .db
        .run({
            let keys = reg.keys.clone();
            move |db| prepare(db, &keys, Who::Staff(&s), id)
        })
        .await?;
    ask(reg, domain, config, actor, meta, now).await
}

/// The domain and its registrar's settings, once the caller may have the
/// code and there is a registrar to ask.
fn prepare(
    db: &Db,
    keys: &AuthKeys,
    who: Who<'_>,
    id: i64,
) -> Result<(domains::Domain, RegistrarConfig)> {
    db.read(|c| {
        let (domain, reached) = who.reach(c, id)?;
        if !reached.may_move_away {
            return Err(AppError::Forbidden);
        }
        if domain.status != "active" {
            return Err(AppError::invalid(
                FIELD,
                format!(
                    "a {} domain has no auth code to give; it is registered first",
                    domain.status
                ),
            ));
        }
        let config = match domain.registrar_id {
            None => RegistrarConfig::Manual,
            Some(rid) => match registrars::find(c, rid)? {
                Some(r) if r.enabled => config_of(keys, &r)?,
                _ => {
                    return Err(AppError::Unavailable(
                        "The registrar cannot be reached just now; please try again later.".into(),
                    ));
                }
            },
        };
        Ok((domain, config))
    })
}

async fn ask(
    reg: &Registry,
    domain: domains::Domain,
    config: RegistrarConfig,
    actor: Actor,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Secret> {
    let registrar = registrar_for(&config, &reg.targets).map_err(unavailable)?;
    let code = match registrar.epp_code(&domain.name).await {
        Ok(EppCode::Code(code)) => code,
        Ok(EppCode::Pending(Pending::Manual(_))) => {
            return Err(AppError::invalid(
                FIELD,
                format!(
                    "The auth code of {} is sent by our support team: please open a support ticket to ask for it.",
                    domain.name
                ),
            ));
        }
        Ok(EppCode::Pending(why)) => {
            let reason = match why {
                Pending::Registry(r) => r,
                _ => "the registry has not issued it yet".into(),
            };
            return Err(AppError::invalid(
                FIELD,
                format!("The auth code is not ready yet ({reason}); please try again later."),
            ));
        }
        Err(RegistrarError::Refused { message, .. }) => {
            let hint = if domain.locked {
                " The domain is locked against transfers: unlock it first."
            } else {
                ""
            };
            return Err(AppError::invalid(
                FIELD,
                format!("The registrar would not give the auth code: {message}.{hint}"),
            ));
        }
        Err(RegistrarError::Unsupported(_)) => {
            return Err(AppError::invalid(
                FIELD,
                "This domain's registrar does not give out auth codes here: please open a support ticket.",
            ));
        }
        Err(e) => return Err(unavailable(e)),
    };
    let (ip, did) = (meta.ip.clone(), domain.clone());
    reg.db
        .run(move |db| {
            db.write(|tx| {
                audit::record(
                    tx,
                    now,
                    Event {
                        actor,
                        action: "domain.epp_code_revealed",
                        subject: Some(("domain", did.id)),
                        client_id: Some(did.client_id),
                        ip: ip.as_deref(),
                        details: serde_json::json!({ "domain": did.name }),
                    },
                )
            })
        })
        .await?;
    Ok(code)
}

/// A registrar that did not answer: nothing changed, try again later.
/// (Its words go to the log for staff; the customer gets a plain message.)
fn unavailable(e: RegistrarError) -> AppError {
    tracing::warn!(error = %e, "the registrar did not give an auth code");
    AppError::Unavailable(
        "The registrar cannot be reached just now; nothing was changed. Please try again in a few minutes."
            .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_auth_code_prints_redacted() {
        let code = EppCode::Code(Secret::new("2fooBAR&<x>"));
        let shown = format!("{code:?}");
        assert!(!shown.contains("2fooBAR"), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
    }

    #[test]
    fn a_registrar_that_is_down_is_a_503_without_its_words() {
        let e = unavailable(RegistrarError::Transient("tcp reset by 10.0.0.7".into()));
        assert_eq!(e.status().as_u16(), 503);
        assert!(!e.public_message().contains("10.0.0.7"));
    }
}
