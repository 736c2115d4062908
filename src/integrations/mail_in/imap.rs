//! A department's IMAP mailbox (async-imap on tokio): connect to an
//! address the target policy allows, over TLS (aws-lc-rs, the platform's
//! roots), STARTTLS, or plain TCP on loopback only; log in, select the
//! folder, list the unseen messages, fetch one without marking it
//! (`BODY.PEEK[]`), and mark it `\Seen` once its result is committed.

use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};

use async_imap::{Client, Session};
use futures_util::TryStreamExt;
use rustls_pki_types::ServerName;
use tokio::net::TcpStream;

use super::stream::Stream;
use crate::{config::Secret, integrations::outbound::TargetPolicy};

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// TLS from the first byte (port 993).
    Tls,
    /// Plain, then STARTTLS before logging in (port 143).
    Starttls,
    /// No TLS at all: only to a loopback address.
    Plain,
}

impl Security {
    pub fn as_str(self) -> &'static str {
        match self {
            Security::Tls => "tls",
            Security::Starttls => "starttls",
            Security::Plain => "plain",
        }
    }

    pub fn parse(s: &str) -> Option<Security> {
        match s {
            "tls" => Some(Security::Tls),
            "starttls" => Some(Security::Starttls),
            "plain" => Some(Security::Plain),
            _ => None,
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Security::Tls => 993,
            Security::Starttls | Security::Plain => 143,
        }
    }
}

/// Where a mailbox is and how to log in.
#[derive(Debug, Clone)]
pub struct Account {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: String,
    pub password: Secret,
    pub folder: String,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ImapError {
    /// The settings cannot work (a refused address, plain off loopback).
    #[error("{0}")]
    Refused(String),
    /// The server could not be reached or said no; the next poll retries.
    #[error("{0}")]
    Failed(String),
}

fn failed(what: &str, e: impl std::fmt::Display) -> ImapError {
    ImapError::Failed(format!("IMAP {what}: {e}"))
}

/// One fetched message.
#[derive(Debug)]
pub enum Fetched {
    Message(Vec<u8>),
    /// Larger than the limit: not fetched.
    TooLarge(u32),
    /// Gone since it was listed.
    Gone,
}

/// A logged-in session with the folder selected.
pub struct Mailbox {
    session: Session<Stream>,
    timeout: Duration,
}

async fn within<T, E: std::fmt::Display>(
    timeout: Duration,
    what: &str,
    work: impl Future<Output = Result<T, E>>,
) -> Result<T, ImapError> {
    match tokio::time::timeout(timeout, work).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(failed(what, e)),
        Err(_) => Err(failed(what, "timed out")),
    }
}

async fn connect_any(addrs: &[SocketAddr]) -> std::io::Result<TcpStream> {
    let mut last = std::io::Error::other("no address");
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(s) => return Ok(s),
            Err(e) => last = e,
        }
    }
    Err(last)
}

async fn tls(tcp: TcpStream, host: &str, timeout: Duration) -> Result<Stream, ImapError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
        .map_err(|e| failed("trusted roots", e))?;
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| failed("TLS versions", e))?
        .dangerous()
        // The platform verifier checks chains and names like any client.
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    let name = ServerName::try_from(host.to_string())
        .map_err(|_| ImapError::Refused(format!("{host} is not a TLS server name")))?;
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let stream = within(timeout, "TLS handshake", connector.connect(name, tcp)).await?;
    Ok(Stream::Tls(Box::new(stream)))
}

async fn greeting(client: &mut Client<Stream>, timeout: Duration) -> Result<(), ImapError> {
    match within(timeout, "greeting", client.read_response()).await? {
        Some(_) => Ok(()),
        None => Err(failed("greeting", "the server closed the connection")),
    }
}

/// Connect, log in and select the account's folder.
pub async fn open(
    account: &Account,
    policy: &TargetPolicy,
    timeout: Duration,
) -> Result<Mailbox, ImapError> {
    let host = account.host.as_str();
    let addrs = policy
        .resolve_host(host, account.port)
        .await
        .map_err(|e| ImapError::Refused(e.to_string()))?;
    if account.security == Security::Plain && !addrs.iter().all(|a| a.ip().is_loopback()) {
        return Err(ImapError::Refused(format!(
            "plain IMAP (no TLS) is only allowed to a loopback address, and {host} is not one"
        )));
    }
    let tcp = within(timeout, "connect", connect_any(&addrs)).await?;
    let mut client = match account.security {
        Security::Plain => Client::new(Stream::Plain(tcp)),
        Security::Tls => Client::new(tls(tcp, host, timeout).await?),
        Security::Starttls => {
            let mut plain = Client::new(Stream::Plain(tcp));
            greeting(&mut plain, timeout).await?;
            within(
                timeout,
                "STARTTLS",
                plain.run_command_and_check_ok("STARTTLS", None),
            )
            .await?;
            let Stream::Plain(tcp) = plain.into_inner() else {
                return Err(failed("STARTTLS", "unexpected stream"));
            };
            // No greeting follows STARTTLS.
            Client::new(tls(tcp, host, timeout).await?)
        }
    };
    if account.security != Security::Starttls {
        greeting(&mut client, timeout).await?;
    }
    let login = client.login(&account.username, account.password.expose());
    let mut session = match tokio::time::timeout(timeout, login).await {
        Ok(Ok(s)) => s,
        Ok(Err((e, _))) => return Err(failed("login", e)),
        Err(_) => return Err(failed("login", "timed out")),
    };
    within(timeout, "select", session.select(&account.folder)).await?;
    Ok(Mailbox { session, timeout })
}

impl Mailbox {
    /// The UIDs of unseen messages, oldest first, at most `limit`.
    pub async fn unseen(&mut self, limit: usize) -> Result<Vec<u32>, ImapError> {
        let found = within(self.timeout, "search", self.session.uid_search("UNSEEN")).await?;
        let mut uids: Vec<u32> = found.into_iter().collect();
        uids.sort_unstable();
        uids.truncate(limit);
        Ok(uids)
    }

    /// The message `uid` without marking it seen, unless it is larger
    /// than `max_bytes`.
    pub async fn fetch(&mut self, uid: u32, max_bytes: usize) -> Result<Fetched, ImapError> {
        let timeout = self.timeout;
        let sizes = within(timeout, "fetch size", async {
            self.session
                .uid_fetch(uid.to_string(), "(UID RFC822.SIZE)")
                .await?
                .try_collect::<Vec<_>>()
                .await
        })
        .await?;
        let Some(size) = sizes
            .iter()
            .find(|f| f.uid == Some(uid))
            .and_then(|f| f.size)
        else {
            return Ok(Fetched::Gone);
        };
        if size as usize > max_bytes {
            return Ok(Fetched::TooLarge(size));
        }
        let bodies = within(timeout, "fetch", async {
            self.session
                .uid_fetch(uid.to_string(), "(UID BODY.PEEK[])")
                .await?
                .try_collect::<Vec<_>>()
                .await
        })
        .await?;
        Ok(bodies
            .iter()
            .find(|f| f.uid == Some(uid))
            .and_then(|f| f.body())
            .map_or(Fetched::Gone, |b| Fetched::Message(b.to_vec())))
    }

    /// Mark `uid` seen (done with).
    pub async fn mark_seen(&mut self, uid: u32) -> Result<(), ImapError> {
        let timeout = self.timeout;
        within(timeout, "store", async {
            self.session
                .uid_store(uid.to_string(), "+FLAGS (\\Seen)")
                .await?
                .try_collect::<Vec<_>>()
                .await
        })
        .await?;
        Ok(())
    }

    /// Log out; the work is done, so a failure is only logged.
    pub async fn close(mut self) {
        let timeout = self.timeout;
        if let Err(e) = within(timeout, "logout", self.session.logout()).await {
            tracing::debug!(error = %e, "IMAP logout failed");
        }
    }
}
