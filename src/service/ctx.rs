//! What the use-cases that need more than the database are given: the
//! database, the configuration, the keys, the rate limiter and the
//! password gate. Cheap to clone (all shared), so a function can move it
//! into `Db::run`.

use std::sync::Arc;

use crate::{
    auth::{keys::AuthKeys, password::PasswordGate, rate_limit::RateLimiter},
    config::Config,
    db::Db,
};

#[derive(Clone)]
pub struct Ctx {
    pub db: Db,
    pub config: Arc<Config>,
    pub keys: Arc<AuthKeys>,
    pub limiter: Arc<RateLimiter>,
    /// Every password hashed or checked for a request goes through here.
    pub passwords: Arc<PasswordGate>,
}
