//! A generic EPP registrar (RFC 5730-5734): one TLS session per call,
//! the standard domain, contact and host objects, no registry-specific
//! extensions. Registries that need their own fields (.eu, .us nexus)
//! will want an extension on top; the plain objects work everywhere.
//!
//! - `frame`: the 4-byte length framing, bounded.
//! - `xml`, `commands`, `objects`, `response`: writing and reading EPP.
//! - `tls`, `session`: the connection, greeting, login and logout.
//! - `domains`, `register`: what each operation sends, in order.

mod commands;
mod domains;
pub mod frame;
mod objects;
mod register;
mod response;
mod session;
mod tls;
mod xml;

use std::{net::SocketAddr, sync::Arc};

use futures_util::future::{FutureExt, ready};
use serde::Deserialize;

use self::session::Session;
use super::{
    Call, Check, Contact, DomainInfo, EppCode, Nameserver, Outcome, Period, Registrar,
    RegistrarError, Registration, Transfer,
};
use crate::{config::Secret, integrations::outbound::TargetPolicy};

/// An EPP server and the registrar account on it.
#[derive(Debug, Clone, Deserialize)]
pub struct EppConfig {
    pub host: String,
    /// 700 is EPP's port (RFC 5734).
    #[serde(default = "default_port")]
    pub port: u16,
    /// The client id (`clID`) the registry gave.
    pub username: String,
    pub password: Secret,
    /// A CA to trust besides the platform's roots, PEM.
    #[serde(default)]
    pub ca_pem: Option<String>,
    /// The client certificate chain and its key, PEM, where the registry
    /// wants one.
    #[serde(default)]
    pub client_cert_pem: Option<String>,
    #[serde(default)]
    pub client_key_pem: Option<Secret>,
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
    /// The start of contact ids till creates (at most 4 characters are
    /// used; a registry's ids are 3 to 16 characters).
    #[serde(default = "default_prefix")]
    pub contact_prefix: String,
}

fn default_port() -> u16 {
    700
}

fn default_timeout() -> u64 {
    30
}

fn default_prefix() -> String {
    "till".to_string()
}

pub struct Epp {
    config: EppConfig,
    tls: Arc<rustls::ClientConfig>,
    policy: TargetPolicy,
}

impl Epp {
    /// Fails when the TLS settings cannot work (a PEM that does not parse).
    pub fn new(config: EppConfig, policy: TargetPolicy) -> Result<Epp, RegistrarError> {
        let tls = tls::client_config(&config)?;
        Ok(Epp {
            config,
            tls,
            policy,
        })
    }

    async fn addresses(&self) -> Result<Vec<SocketAddr>, RegistrarError> {
        session::checked_addresses(&self.policy, &self.config.host, self.config.port).await
    }

    async fn session(&self) -> Result<Session, RegistrarError> {
        Session::open(self).await
    }
}

/// Close the session whatever `result` is, then hand it on.
async fn closing<T>(s: Session, result: Result<T, RegistrarError>) -> Result<T, RegistrarError> {
    s.close().await;
    result
}

fn lower(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

impl Registrar for Epp {
    fn name(&self) -> &'static str {
        "epp"
    }
    fn check<'a>(&'a self, names: &'a [&'a str]) -> Call<'a, Vec<Check>> {
        async move {
            let mut s = self.session().await?;
            let r = domains::check(&mut s, names).await;
            closing(s, r).await
        }
        .boxed()
    }
    fn register<'a>(&'a self, req: &'a Registration) -> Call<'a, Outcome> {
        async move {
            let mut s = self.session().await?;
            let r = register::register(&mut s, req, &self.config).await;
            closing(s, r).await
        }
        .boxed()
    }
    fn transfer<'a>(&'a self, req: &'a Transfer) -> Call<'a, Outcome> {
        async move {
            let mut s = self.session().await?;
            let r = domains::transfer(&mut s, req).await;
            closing(s, r).await
        }
        .boxed()
    }
    fn renew<'a>(&'a self, name: &'a str, period: Period) -> Call<'a, Outcome> {
        async move {
            let mut s = self.session().await?;
            let r = domains::renew(&mut s, &lower(name), period).await;
            closing(s, r).await
        }
        .boxed()
    }
    fn delete<'a>(&'a self, name: &'a str) -> Call<'a, Outcome> {
        async move {
            let mut s = self.session().await?;
            let r = domains::delete(&mut s, &lower(name)).await;
            closing(s, r).await
        }
        .boxed()
    }
    fn info<'a>(&'a self, name: &'a str) -> Call<'a, DomainInfo> {
        async move {
            let mut s = self.session().await?;
            let r = domains::info(&mut s, &lower(name)).await.map(|d| d.info);
            closing(s, r).await
        }
        .boxed()
    }
    fn set_nameservers<'a>(
        &'a self,
        name: &'a str,
        nameservers: &'a [Nameserver],
    ) -> Call<'a, Outcome> {
        async move {
            let mut s = self.session().await?;
            let r = register::set_nameservers(&mut s, &lower(name), nameservers).await;
            closing(s, r).await
        }
        .boxed()
    }
    fn set_lock<'a>(&'a self, name: &'a str, locked: bool) -> Call<'a, Outcome> {
        async move {
            let mut s = self.session().await?;
            let r = domains::set_lock(&mut s, &lower(name), locked).await;
            closing(s, r).await
        }
        .boxed()
    }
    fn epp_code<'a>(&'a self, name: &'a str) -> Call<'a, EppCode> {
        async move {
            let mut s = self.session().await?;
            let r = domains::info(&mut s, &lower(name)).await.and_then(|d| {
                d.auth
                    .map(|code| EppCode::Code(Secret::new(code)))
                    .ok_or_else(|| {
                        RegistrarError::refused("authInfo", "the registry shows no auth code")
                    })
            });
            closing(s, r).await
        }
        .boxed()
    }
    fn update_contacts<'a>(&'a self, name: &'a str, contact: &'a Contact) -> Call<'a, Outcome> {
        async move {
            let mut s = self.session().await?;
            let r = register::update_contacts(&mut s, &lower(name), contact).await;
            closing(s, r).await
        }
        .boxed()
    }
    fn set_id_protection<'a>(&'a self, _name: &'a str, _on: bool) -> Call<'a, Outcome> {
        // Plain EPP has no privacy service: it is each registrar's own
        // offer (usually proxy contacts), so there is nothing standard to send.
        ready(Err(RegistrarError::Unsupported(
            "ID protection over plain EPP",
        )))
        .boxed()
    }
}
