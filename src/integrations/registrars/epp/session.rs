//! One EPP session (RFC 5730 section 2, RFC 5734): connect over TLS to a
//! checked address, read the greeting, log in with the objects and
//! extensions both sides speak, send commands one at a time, log out.
//! Every read and write is bounded by the configured timeout.

use std::{future::Future, net::SocketAddr, time::Duration};

use rustls_pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::{TlsConnector, client::TlsStream};

use super::{
    Epp, commands,
    frame::{self, FrameError},
    response::{self, Greeting, Response},
};
use crate::{auth::random, integrations::registrars::RegistrarError};

/// The objects till uses, in the order it prefers them.
const OBJECTS: [&str; 3] = [commands::DOMAIN_NS, commands::CONTACT_NS, commands::HOST_NS];
/// Extensions till reads when offered: RGP tells redemption statuses.
const EXTENSIONS: [&str; 1] = ["urn:ietf:params:xml:ns:rgp-1.0"];

pub struct Session {
    stream: TlsStream<TcpStream>,
    timeout: Duration,
    trid_prefix: String,
    sent: u32,
    pub greeting: Greeting,
}

fn transient(what: &str, e: impl std::fmt::Display) -> RegistrarError {
    RegistrarError::Transient(format!("EPP {what}: {e}"))
}

impl From<FrameError> for RegistrarError {
    fn from(e: FrameError) -> Self {
        transient("connection", e)
    }
}

async fn bounded<T>(
    timeout: Duration,
    what: &str,
    f: impl Future<Output = Result<T, RegistrarError>>,
) -> Result<T, RegistrarError> {
    tokio::time::timeout(timeout, f)
        .await
        .map_err(|_| transient(what, format!("no answer in {} s", timeout.as_secs())))?
}

impl Session {
    /// Connect, read the greeting and log in.
    pub async fn open(epp: &Epp) -> Result<Session, RegistrarError> {
        let c = &epp.config;
        let timeout = Duration::from_secs(c.timeout_secs.max(1));
        let addrs = epp.addresses().await?;
        let tcp = bounded(timeout, "connect", async {
            TcpStream::connect(addrs.as_slice())
                .await
                .map_err(|e| transient("connect", e))
        })
        .await?;
        let name = ServerName::try_from(c.host.clone())
            .map_err(|e| RegistrarError::Misconfigured(format!("EPP host {:?}: {e}", c.host)))?;
        let stream = bounded(timeout, "TLS handshake", async {
            TlsConnector::from(epp.tls.clone())
                .connect(name, tcp)
                .await
                .map_err(|e| transient("TLS handshake", e))
        })
        .await?;
        let mut session = Session {
            stream,
            timeout,
            trid_prefix: format!("till-{}", hex::encode(random::bytes::<4>())),
            sent: 0,
            greeting: Greeting::default(),
        };
        let hello = session.read().await?;
        session.greeting = response::greeting(&hello)?;
        session
            .login(c.username.as_str(), c.password.expose())
            .await?;
        Ok(session)
    }

    async fn login(&mut self, user: &str, password: &str) -> Result<(), RegistrarError> {
        let offered = &self.greeting;
        let objects: Vec<&str> = OBJECTS
            .into_iter()
            .filter(|o| offered.objects.iter().any(|g| g == o))
            .collect();
        if !objects.contains(&commands::DOMAIN_NS) {
            return Err(RegistrarError::Misconfigured(format!(
                "the EPP server {:?} offers no domain objects",
                offered.server
            )));
        }
        let extensions: Vec<&str> = EXTENSIONS
            .into_iter()
            .filter(|x| offered.extensions.iter().any(|g| g == x))
            .collect();
        self.command(&commands::login(user, password, &objects, &extensions))
            .await
            .map(drop)
    }

    /// Whether the server speaks `object` (a namespace URI) in this session.
    pub fn offers(&self, object: &str) -> bool {
        self.greeting.objects.iter().any(|o| o == object)
    }

    /// Send one command and read its response; a 2xxx result is an error.
    pub async fn command(&mut self, body: &str) -> Result<Response, RegistrarError> {
        self.sent += 1;
        let trid = format!("{}-{}", self.trid_prefix, self.sent);
        let xml = commands::envelope(body, &trid);
        let timeout = self.timeout;
        let stream = &mut self.stream;
        bounded(timeout, "write", async {
            Ok(frame::write_frame(stream, xml.as_bytes()).await?)
        })
        .await?;
        let answer = response::response(&self.read().await?)?;
        // The server's id is what its support desk asks for.
        tracing::debug!(
            cl_trid = %trid,
            sv_trid = answer.sv_trid.as_deref().unwrap_or(""),
            code = answer.code,
            "EPP command answered"
        );
        // An answer to another transaction means the session is confused;
        // nothing it says about ours can be trusted.
        if answer.cl_trid.as_deref().is_some_and(|t| t != trid) {
            return Err(response::unreadable("the answer names another transaction"));
        }
        response::success(answer)
    }

    async fn read(&mut self) -> Result<String, RegistrarError> {
        let stream = &mut self.stream;
        let bytes = bounded(self.timeout, "read", async {
            Ok(frame::read_frame(stream).await?)
        })
        .await?;
        String::from_utf8(bytes).map_err(|_| response::unreadable("the answer is not UTF-8"))
    }

    /// Log out (1500) and close. The work is done by now, so a failure
    /// here changes nothing and is only logged.
    pub async fn close(mut self) {
        if let Err(e) = self.command(&commands::logout()).await {
            tracing::debug!(error = %e, "EPP logout failed");
        }
    }
}

/// The addresses to connect to, all of them allowed by the policy.
pub async fn checked_addresses(
    policy: &crate::integrations::outbound::TargetPolicy,
    host: &str,
    port: u16,
) -> Result<Vec<SocketAddr>, RegistrarError> {
    let addrs: Vec<SocketAddr> = match host.parse::<std::net::IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((host, port))
            .await
            .map_err(|e| transient("lookup", format!("{host}: {e}")))?
            .collect(),
    };
    if addrs.is_empty() {
        return Err(transient("lookup", format!("{host} has no address")));
    }
    // Every address, as `outbound` does: a name that also resolves to an
    // internal address could be steered to it.
    if let Some(bad) = addrs.iter().find(|a| !policy.permits(a.ip())) {
        return Err(RegistrarError::Misconfigured(format!(
            "refusing to call {host} at {}: a loopback, link-local or private address \
             (list it in [http] allow_private_targets to allow it)",
            bad.ip()
        )));
    }
    Ok(addrs)
}
