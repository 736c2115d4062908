//! `AppState`: everything a request, a job or a command needs, built once
//! at start-up and cheap to clone. Service functions never take it: they
//! take the `service::Ctx` it hands out (or just what they use).

use std::sync::Arc;

use crate::{
    auth::{keys::AuthKeys, password::PasswordGate, rate_limit::RateLimiter},
    clock::SharedClock,
    config::Config,
    db::Db,
    error::{AppError, Result},
    integrations::{mail::Mailer, outbound::TargetPolicy},
    service,
};

/// Everything a request, a job or a command needs. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: SharedClock,
    pub config: Arc<Config>,
    pub mailer: Mailer,
    pub keys: Arc<AuthKeys>,
    pub limiter: Arc<RateLimiter>,
    /// Every password hashed or checked for a request goes through here.
    pub passwords: Arc<PasswordGate>,
    /// The card gateways with keys in the config.
    pub gateways: crate::integrations::gateways::Gateways,
    /// The internal addresses module calls may reach (`[http] allow_private_targets`).
    pub targets: Arc<TargetPolicy>,
    /// Domain availability: the lookup sources and their answer cache.
    pub domains: Arc<service::domains::DomainChecker>,
}

impl AppState {
    /// Assemble the state over an opened database: loads (or, on first
    /// start, creates) the master key file and the keys derived from it.
    pub fn build(config: Config, db: Db, clock: SharedClock, mailer: Mailer) -> Result<AppState> {
        let keys = service::accounts::master_key::load(&db, &config.master_key_path(), clock.now())
            .map_err(|e| match e {
                service::accounts::master_key::MasterKeyError::Failed(e) => e,
                other => AppError::internal(other.to_string()),
            })?;
        Ok(Self::with_keys(config, db, clock, mailer, keys))
    }

    /// Assemble the state with keys already loaded (the commands load them
    /// first, to tell a key problem from other failures).
    pub fn with_keys(
        config: Config,
        db: Db,
        clock: SharedClock,
        mailer: Mailer,
        keys: AuthKeys,
    ) -> AppState {
        let gateways = crate::integrations::gateways::Gateways::from_config(&config);
        let targets = Arc::new(TargetPolicy::from_config(
            &config.http.allow_private_targets,
        ));
        let domains = Arc::new(service::domains::DomainChecker::from_config(&config));
        AppState {
            domains,
            db,
            clock,
            config: Arc::new(config),
            mailer,
            keys: Arc::new(keys),
            limiter: Arc::new(RateLimiter::default()),
            passwords: Arc::new(PasswordGate::for_this_machine()),
            gateways,
            targets,
        }
    }

    /// What service functions that need more than the database get.
    pub fn ctx(&self) -> service::Ctx {
        service::Ctx {
            db: self.db.clone(),
            config: self.config.clone(),
            keys: self.keys.clone(),
            limiter: self.limiter.clone(),
            passwords: self.passwords.clone(),
        }
    }

    /// What asking a registrar there and then needs (a domain's auth code).
    pub fn registry(&self) -> service::domains::epp_codes::Registry {
        service::domains::epp_codes::Registry {
            db: self.db.clone(),
            keys: self.keys.clone(),
            targets: self.targets.clone(),
        }
    }

    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    /// Ask the mail worker to look at the outbox now. (A committed write
    /// that queued mail already does; see `db::queued`.)
    pub fn wake_mailer(&self) {
        self.db.wakeups().mail.notify_one();
    }
}
