//! Running registrar tasks: claim with a lease, build the registrar from
//! its sealed settings, call it outside any transaction, then record what
//! it came to. A registrar that is down is retried with the module tasks'
//! backoff and then `failed`, for staff to retry; a refusal fails at once.
//! The manual registrar's answer is a staff to-do: the domain waits,
//! `pending`, until staff mark it registered.

use jiff::{SignedDuration, Timestamp};

use crate::{
    auth::{keys::AuthKeys, sealed},
    config::Secret,
    db::Db,
    domain::time::{stamp, today},
    error::{AppError, Result},
    integrations::{
        outbound::TargetPolicy,
        registrars::{
            Contact, DomainInfo, Nameserver, Outcome, Pending, Period, Registrar, RegistrarConfig,
            RegistrarError, Registration, Transfer, registrar_for,
        },
    },
    service::services::module_tasks::{BACKOFF_MINS, MAX_ATTEMPTS},
    store::{
        clients::{self, Client},
        domains::{self, Domain},
        registrars::{self, tasks::RegistrarTask},
    },
};

use super::{registrar_outcomes, registrars::config_of, renewals::Term};

const LEASE: SignedDuration = SignedDuration::from_mins(10);
/// What a transfer's sealed auth code is bound to.
pub(crate) const EPP_CODE: &[u8] = b"domain-epp-code";

/// Why a call did not come to anything; `retry`: trying later may help.
#[derive(Debug, Clone)]
pub struct Failure {
    pub message: String,
    pub retry: bool,
}

impl From<RegistrarError> for Failure {
    fn from(e: RegistrarError) -> Self {
        Failure {
            retry: e.retryable(),
            message: e.to_string(),
        }
    }
}

fn fail(message: impl Into<String>) -> Failure {
    Failure {
        message: message.into(),
        retry: false,
    }
}

/// What a registrar answered.
#[derive(Debug, Clone)]
pub enum Answer {
    Done { expiry: Option<Timestamp> },
    Waiting(Pending),
    Info(DomainInfo),
}

/// A claimed task with everything its call needs.
pub struct Prepared {
    pub config: RegistrarConfig,
    pub targets: TargetPolicy,
    pub action: String,
    pub domain: Domain,
    pub contact: Contact,
    pub nameservers: Vec<Nameserver>,
    pub auth_code: Option<Secret>,
    /// What a `renew` task renews.
    pub term: Option<Term>,
}

pub fn claim(db: &Db, now: Timestamp, limit: i64) -> Result<Vec<RegistrarTask>> {
    let lease_until = stamp(now.checked_add(LEASE).unwrap_or(now));
    db.write(|tx| {
        Ok(registrars::tasks::claim_due(
            tx,
            &stamp(now),
            &lease_until,
            limit,
        )?)
    })
}

/// The registrant, admin and tech contact: the client's profile.
pub fn contact_of(client: &Client) -> Contact {
    let street = [&client.address1, &client.address2]
        .into_iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.trim().to_string())
        .collect();
    // Profiles keep numbers as people type them; registries want +CC.NNNN.
    let phone = crate::domain::phone::registry_form(&client.phone);
    let blank = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    Contact {
        name: format!("{} {}", client.first_name, client.last_name)
            .trim()
            .to_string(),
        org: client.company_name.as_deref().and_then(blank),
        street,
        city: client.city.clone(),
        state: blank(&client.state),
        postcode: blank(&client.postcode),
        country: client.country.clone(),
        phone,
        email: client.email.clone(),
        extra: Default::default(),
    }
}

/// Get a claimed task ready to call.
pub fn prepare(
    db: &Db,
    keys: &AuthKeys,
    targets: &TargetPolicy,
    default_nameservers: &[String],
    task: &RegistrarTask,
) -> Result<std::result::Result<Prepared, Failure>> {
    db.read(|c| {
        let domain = domains::find_by_id(c, task.domain_id)?.ok_or(AppError::NotFound)?;
        let client = clients::find(c, domain.client_id)?.ok_or(AppError::NotFound)?;
        let config = match domain.registrar_id {
            None => RegistrarConfig::Manual,
            Some(id) => match registrars::find(c, id)? {
                Some(r) if r.enabled => config_of(keys, &r)?,
                Some(r) => return Ok(Err(fail(format!("registrar {} is disabled", r.name)))),
                None => return Ok(Err(fail("the domain's registrar is gone"))),
            },
        };
        let auth_code = match (&domain.epp_code_sealed, task.action.as_str()) {
            (Some(s), _) => Some(Secret::new(
                sealed::open(&keys.credentials, EPP_CODE, s)
                    .ok_or_else(|| AppError::internal("the auth code cannot be opened"))?,
            )),
            (None, "transfer") if !matches!(config, RegistrarConfig::Manual) => {
                return Ok(Err(fail("no auth code was given for the transfer")));
            }
            (None, _) => None,
        };
        let nameservers = registrar_outcomes::nameservers_for(c, &domain, default_nameservers)?
            .iter()
            .map(|n| Nameserver::named(n))
            .collect();
        let term = match task.action.as_str() {
            "renew" => match serde_json::from_str::<Term>(&task.payload) {
                Ok(t) => Some(t),
                Err(_) => return Ok(Err(fail("the renewal task has no term"))),
            },
            _ => None,
        };
        Ok(Ok(Prepared {
            term,
            config,
            targets: targets.clone(),
            action: task.action.clone(),
            contact: contact_of(&client).with_extra(&domain.registrant_fields),
            domain,
            nameservers,
            auth_code,
        }))
    })
}

fn period(years: i64) -> std::result::Result<Period, Failure> {
    u8::try_from(years)
        .map_err(|_| fail("a term is 1 to 10 years"))
        .and_then(|y| Period::years(y).map_err(Failure::from))
}

/// Call the registrar (no transaction is open here).
pub async fn call(p: &Prepared) -> std::result::Result<Answer, Failure> {
    let registrar = registrar_for(&p.config, &p.targets)?;
    let name = p.domain.name.as_str();
    let outcome = match p.action.as_str() {
        "register" => {
            registrar
                .register(&Registration {
                    name: name.to_string(),
                    period: period(p.domain.years)?,
                    nameservers: p.nameservers.clone(),
                    contact: p.contact.clone(),
                    id_protection: p.domain.id_protection,
                })
                .await?
        }
        "transfer" => {
            registrar
                .transfer(&Transfer {
                    name: name.to_string(),
                    auth_code: p
                        .auth_code
                        .clone()
                        .unwrap_or_else(|| Secret::new(String::new())),
                    period: period(1)?,
                    contact: p.contact.clone(),
                    nameservers: p.nameservers.clone(),
                })
                .await?
        }
        "renew" => {
            let term = p.term.ok_or_else(|| fail("the renewal task has no term"))?;
            if let Some(expiry) = renewed_already(registrar.as_ref(), name, &term).await? {
                return Ok(Answer::Done {
                    expiry: Some(expiry),
                });
            }
            registrar.renew(name, period(term.years)?).await?
        }
        "nameservers" => registrar.set_nameservers(name, &p.nameservers).await?,
        "delete" => registrar.delete(name).await?,
        "sync" => return Ok(Answer::Info(registrar.info(name).await?)),
        other => return Err(fail(format!("unknown registrar action {other}"))),
    };
    Ok(match outcome {
        Outcome::Done { expiry } => Answer::Done { expiry },
        Outcome::Pending(p) => Answer::Waiting(p),
    })
}

/// The registry's expiry when it already covers `term`: an earlier attempt
/// renewed it but its answer was lost, so renewing again would sell the
/// year twice. A registrar that cannot say (the manual one) is asked to
/// renew.
async fn renewed_already(
    registrar: &dyn Registrar,
    name: &str,
    term: &Term,
) -> std::result::Result<Option<Timestamp>, Failure> {
    match registrar.info(name).await {
        Ok(info) => Ok(info.expiry.filter(|e| today(*e) >= term.to)),
        Err(RegistrarError::Unsupported(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// When a failed attempt is tried again, or `None` once attempts are spent.
pub fn retry_at(task: &RegistrarTask, failure: &Failure, now: Timestamp) -> Option<String> {
    let attempt = task.attempts + 1;
    if !failure.retry || attempt >= MAX_ATTEMPTS {
        return None;
    }
    let wait = BACKOFF_MINS[usize::try_from(task.attempts)
        .unwrap_or(0)
        .min(BACKOFF_MINS.len() - 1)];
    Some(stamp(
        now.checked_add(SignedDuration::from_mins(wait))
            .unwrap_or(now),
    ))
}

/// The day a registration for `years` from `now` ends, when the registrar
/// did not say.
pub fn expiry_after(now: Timestamp, years: i64) -> String {
    let day = today(now);
    day.checked_add(jiff::Span::new().years(years))
        .unwrap_or(day)
        .to_string()
}
