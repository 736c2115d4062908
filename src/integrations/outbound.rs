//! Where till may send a request it was told to send by data (a product's
//! webhook URL, a server's address): never to this host, the link-local
//! metadata service or a private network, unless the operator listed that
//! address in `[http] allow_private_targets`. Otherwise anyone who may
//! edit a product or a server could make till probe or call the inside of
//! the network it runs in (and hand it a server's credentials).
//!
//! The host is resolved once, every address it resolves to is checked, and
//! the request is pinned to those addresses, so a DNS answer that changes
//! between the check and the connection (rebinding) cannot slip past.

use std::net::{IpAddr, SocketAddr};

use super::PanelError;
pub use crate::domain::net::{Net, is_internal, parse_net};

/// The addresses an operator allowed despite being internal.
#[derive(Debug, Clone, Default)]
pub struct TargetPolicy {
    allowed: Vec<Net>,
}

impl TargetPolicy {
    /// From `[http] allow_private_targets` (validated with the config, so
    /// an entry that does not parse was refused at start).
    pub fn from_config(entries: &[String]) -> TargetPolicy {
        TargetPolicy {
            allowed: entries.iter().filter_map(|e| parse_net(e)).collect(),
        }
    }

    /// Whether till may connect to `ip`.
    pub fn permits(&self, ip: IpAddr) -> bool {
        !is_internal(ip) || self.allowed.iter().any(|n| n.contains(ip))
    }

    /// Resolve `host` (a name or an address) and check every address, for
    /// a connection that is not HTTP (IMAP); answers the addresses to use.
    pub async fn resolve_host(&self, host: &str, port: u16) -> Result<Vec<SocketAddr>, PanelError> {
        let url = reqwest::Url::parse(&format!("imap://{host}:{port}/"))
            .map_err(|_| PanelError::TargetRefused(format!("{host} is not a host name")))?;
        Ok(self.resolve(&url).await?.addrs)
    }

    /// Resolve `url`'s host and check every address; answers the host and
    /// the addresses to pin the connection to.
    pub async fn resolve(&self, url: &reqwest::Url) -> Result<Target, PanelError> {
        let host = url
            .host_str()
            .ok_or_else(|| PanelError::TargetRefused(format!("{url} has no host")))?
            .to_string();
        let port = url.port_or_known_default().unwrap_or(443);
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let addrs: Vec<SocketAddr> = match bare.parse::<IpAddr>() {
            Ok(ip) => vec![SocketAddr::new(ip, port)],
            Err(_) => tokio::net::lookup_host((bare, port))
                .await
                .map_err(|e| PanelError::Unreachable(format!("cannot resolve {bare}: {e}")))?
                .collect(),
        };
        if addrs.is_empty() {
            return Err(PanelError::Unreachable(format!("{bare} has no address")));
        }
        // Every address, not just the first: a name that also resolves to
        // an internal address could be steered to it.
        if let Some(bad) = addrs.iter().find(|a| !self.permits(a.ip())) {
            return Err(PanelError::TargetRefused(format!(
                "refusing to call {bare} at {}: a loopback, link-local or private address \
                 (list it in [http] allow_private_targets to allow it)",
                bad.ip()
            )));
        }
        Ok(Target {
            host: bare.to_string(),
            addrs,
        })
    }
}

/// A checked destination.
#[derive(Debug, Clone)]
pub struct Target {
    host: String,
    addrs: Vec<SocketAddr>,
}

/// An HTTP client that connects only to `target`'s checked addresses and
/// follows no redirects (a redirect could point anywhere).
pub fn pinned_client(target: &Target, timeout_secs: u64) -> reqwest::Client {
    let mut builder = reqwest::Client::builder()
        .user_agent(concat!("till/", env!("CARGO_PKG_VERSION")))
        .timeout(std::time::Duration::from_secs(timeout_secs))
        .connect_timeout(std::time::Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        // A proxy from the environment would connect on our behalf to
        // wherever it likes; these calls go straight to the checked address.
        .no_proxy();
    if target.host.parse::<IpAddr>().is_err() {
        builder = builder.resolve_to_addrs(&target.host, &target.addrs);
    }
    builder.build().unwrap_or_else(|err| {
        tracing::error!(error = %err, "cannot build the panel HTTP client");
        reqwest::Client::new()
    })
}

/// At most this many bytes of what a remote system said reach an error
/// message (stored on a task, shown to staff, emailed).
pub const REMOTE_EXCERPT_BYTES: usize = 200;

/// The first `REMOTE_EXCERPT_BYTES` bytes of `text` (cut at a character
/// boundary), with an ellipsis when something was cut.
pub fn excerpt(text: &str) -> String {
    let text = text.trim();
    if text.len() <= REMOTE_EXCERPT_BYTES {
        return text.to_string();
    }
    let mut end = REMOTE_EXCERPT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// The body of `res`, read up to `limit` bytes: a remote system cannot make
/// till buffer an answer of any size.
pub async fn read_limited(mut res: reqwest::Response, limit: usize) -> Result<Vec<u8>, PanelError> {
    let mut body = Vec::new();
    while let Some(chunk) = res
        .chunk()
        .await
        .map_err(|e| PanelError::Unreachable(e.to_string()))?
    {
        let room = limit.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= limit {
            break;
        }
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn loopback_link_local_and_private_addresses_are_internal() {
        for internal in [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "fc00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(is_internal(ip(internal)), "{internal}");
        }
        for public in [
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "203.0.113.10",
            "2001:4860:4860::8888",
            "::ffff:8.8.8.8",
        ] {
            assert!(!is_internal(ip(public)), "{public}");
        }
    }

    #[test]
    fn listed_addresses_and_networks_are_permitted() {
        let policy = TargetPolicy::from_config(&["127.0.0.1".into(), "10.0.0.0/8".into()]);
        assert!(policy.permits(ip("127.0.0.1")));
        assert!(policy.permits(ip("::ffff:127.0.0.1")));
        assert!(!policy.permits(ip("127.0.0.2")));
        assert!(policy.permits(ip("10.200.3.4")));
        assert!(!policy.permits(ip("192.168.0.1")));
        assert!(policy.permits(ip("8.8.8.8")));
        assert!(!TargetPolicy::default().permits(ip("127.0.0.1")));
        assert!(parse_net("10.0.0.0/33").is_none());
        assert!(parse_net("example.com").is_none());
        assert!(parse_net("::/0").is_some());
    }

    #[test]
    fn excerpts_keep_at_most_200_bytes_on_a_character_boundary() {
        assert_eq!(excerpt("short"), "short");
        let long = "é".repeat(150); // 300 bytes
        let cut = excerpt(&long);
        assert!(cut.ends_with('…'));
        assert!(cut.trim_end_matches('…').len() <= REMOTE_EXCERPT_BYTES);
    }
}
