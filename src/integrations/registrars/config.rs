//! A registrar's settings, as the service keeps them (sealed at rest, as
//! JSON) and hands them back to build a client. Secrets are `Secret`s, so
//! a config printed with `{:?}` shows none of them; the types read JSON
//! but never write it, because writing would put the redacted
//! placeholders where the secrets were.

use serde::Deserialize;

use super::{
    Registrar, RegistrarError,
    epp::{Epp, EppConfig},
    logicboxes::{LogicBoxes, LogicBoxesConfig},
    manual::Manual,
};
use crate::integrations::outbound::TargetPolicy;

/// One registrar's settings, tagged by its module:
/// `{"module": "epp", "host": "epp.example.net", ...}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "module", rename_all = "lowercase")]
pub enum RegistrarConfig {
    Manual,
    Epp(EppConfig),
    #[serde(rename = "logicboxes")]
    LogicBoxes(LogicBoxesConfig),
}

impl RegistrarConfig {
    pub fn module(&self) -> &'static str {
        match self {
            RegistrarConfig::Manual => "manual",
            RegistrarConfig::Epp(_) => "epp",
            RegistrarConfig::LogicBoxes(_) => "logicboxes",
        }
    }

    /// Whether this registrar can delete a name before its expiry (reference
    /// 000's `cancel_type: immediate`). The manual registrar cannot: a
    /// person would, so the customer asks support instead.
    pub fn deletes(&self) -> bool {
        !matches!(self, RegistrarConfig::Manual)
    }

    /// Whether the DNS of this registrar's domains is kept at the
    /// registrar (reference 000's `/dns` of a domain goes there).
    pub fn hosts_dns(&self) -> bool {
        match self {
            RegistrarConfig::LogicBoxes(c) => c.dns_hosting,
            RegistrarConfig::Manual | RegistrarConfig::Epp(_) => false,
        }
    }
}

/// The client for `config`. `policy` says which addresses it may call
/// (`[http] allow_private_targets`): a registrar's address is data staff
/// enter, so it is checked like a server's. Fails only on settings that
/// cannot work (a CA or client certificate that does not parse).
pub fn registrar_for(
    config: &RegistrarConfig,
    policy: &TargetPolicy,
) -> Result<Box<dyn Registrar>, RegistrarError> {
    Ok(match config {
        RegistrarConfig::Manual => Box::new(Manual),
        RegistrarConfig::Epp(c) => Box::new(Epp::new(c.clone(), policy.clone())?),
        RegistrarConfig::LogicBoxes(c) => Box::new(LogicBoxes::new(c.clone(), policy.clone())),
    })
}
