//! Facts about a request that rules care about: the client's IP (believing
//! `X-Forwarded-For` only from configured proxies), whether it came over
//! https, and its request id.

use std::net::IpAddr;

use actix_web::{HttpMessage, HttpRequest};

use crate::auth::principal::RequestMeta;

/// The id given to every request, echoed in `X-Request-Id` and the logs.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

pub fn request_id(req: &HttpRequest) -> Option<String> {
    req.extensions().get::<RequestId>().map(|r| r.0.clone())
}

/// The client's address. Behind a trusted proxy, the right-most address in
/// `X-Forwarded-For` that is not itself a trusted proxy; anything to its
/// left could have been written by the client.
pub fn client_ip(
    peer: Option<IpAddr>,
    forwarded_for: Option<&str>,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let Some(chain) = forwarded_for else {
        return Some(peer);
    };
    let mut last = peer;
    for hop in chain.rsplit(',') {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => last = ip,
            Ok(ip) => return Some(ip),
            Err(_) => return Some(last),
        }
    }
    Some(last)
}

/// Whether the client reached us over https, directly or through a trusted
/// TLS-terminating proxy (`X-Forwarded-Proto: https`). Of several values
/// the last counts: it is the one the proxy next to us wrote, while any
/// before it may have come from the client.
pub fn is_https(
    connection_scheme: &str,
    peer: Option<IpAddr>,
    forwarded_proto: Option<&str>,
    trusted: &[IpAddr],
) -> bool {
    if connection_scheme.eq_ignore_ascii_case("https") {
        return true;
    }
    match (peer, forwarded_proto) {
        (Some(p), Some(proto)) if trusted.contains(&p) => proto
            .rsplit(',')
            .next()
            .is_some_and(|s| s.trim().eq_ignore_ascii_case("https")),
        _ => false,
    }
}

/// Every line of header `name`, in the order received, joined with ", ".
/// A proxy may append a line of its own instead of extending the client's,
/// so reading only the first line would believe whatever the client wrote.
pub fn joined_header(req: &HttpRequest, name: &str) -> Option<String> {
    let lines: Vec<&str> = req
        .headers()
        .get_all(name)
        .filter_map(|v| v.to_str().ok())
        .collect();
    (!lines.is_empty()).then(|| lines.join(", "))
}

/// `client_ip` for an actix request.
pub fn client_ip_of(req: &HttpRequest, trusted: &[IpAddr]) -> Option<IpAddr> {
    let forwarded = joined_header(req, "x-forwarded-for");
    client_ip(
        req.peer_addr().map(|a| a.ip()),
        forwarded.as_deref(),
        trusted,
    )
}

/// `is_https` for an actix request. (Not `connection_info()`, which
/// believes any client's `X-Forwarded-Proto`.)
pub fn is_https_of(req: &HttpRequest, trusted: &[IpAddr]) -> bool {
    let scheme = if req.app_config().secure() {
        "https"
    } else {
        "http"
    };
    let proto = joined_header(req, "x-forwarded-proto");
    is_https(
        scheme,
        req.peer_addr().map(|a| a.ip()),
        proto.as_deref(),
        trusted,
    )
}

/// Everything the handlers want to know of where a request came from.
pub fn meta_of(req: &HttpRequest, trusted: &[IpAddr]) -> RequestMeta {
    RequestMeta {
        ip: client_ip_of(req, trusted).map(|ip| ip.to_string()),
        user_agent: req
            .headers()
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(250).collect()),
        https: is_https_of(req, trusted),
    }
}

/// Whether the request came straight from this host: a loopback peer and
/// no sign of a proxy. A reverse proxy on this host also connects from
/// loopback, but it adds `X-Forwarded-For` (or `Forwarded`) for the real
/// client, so such a request is never taken for a local one, whether the
/// proxy is listed as trusted or not.
pub fn is_direct_loopback(req: &HttpRequest) -> bool {
    let proxied = ["x-forwarded-for", "forwarded", "x-real-ip"]
        .iter()
        .any(|h| req.headers().contains_key(*h));
    !proxied && req.peer_addr().is_some_and(|a| a.ip().is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_a_trusted_proxy_the_peer_is_the_client_whatever_the_headers_say() {
        assert_eq!(
            client_ip(Some(ip("203.0.113.9")), Some("1.2.3.4"), &[]),
            Some(ip("203.0.113.9"))
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client() {
        let trusted = [ip("127.0.0.1"), ip("10.0.0.2")];
        // The client forged the first entry; the proxies appended the rest.
        let chain = "6.6.6.6, 198.51.100.7, 10.0.0.2";
        assert_eq!(
            client_ip(Some(ip("127.0.0.1")), Some(chain), &trusted),
            Some(ip("198.51.100.7"))
        );
        assert_eq!(
            client_ip(Some(ip("127.0.0.1")), None, &trusted),
            Some(ip("127.0.0.1"))
        );
        assert_eq!(
            client_ip(Some(ip("127.0.0.1")), Some("garbage"), &trusted),
            Some(ip("127.0.0.1"))
        );
    }

    #[test]
    fn forwarded_proto_counts_only_from_a_trusted_proxy() {
        let trusted = [ip("127.0.0.1")];
        assert!(is_https(
            "http",
            Some(ip("127.0.0.1")),
            Some("https"),
            &trusted
        ));
        assert!(!is_https(
            "http",
            Some(ip("192.0.2.1")),
            Some("https"),
            &trusted
        ));
        assert!(is_https("https", None, None, &[]));
        assert!(!is_https("http", Some(ip("127.0.0.1")), None, &trusted));
        // The value the proxy wrote last is the one that counts.
        let peer = Some(ip("127.0.0.1"));
        assert!(!is_https("http", peer, Some("https, http"), &trusted));
        assert!(is_https("http", peer, Some("http, https"), &trusted));
    }
}
