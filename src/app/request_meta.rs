//! Facts about a request that rules care about: the client's IP (believing
//! `X-Forwarded-For` only from configured proxies), whether it came over
//! https, and its request id.

use std::net::IpAddr;

use actix_web::{HttpMessage, HttpRequest};

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
/// TLS-terminating proxy (`X-Forwarded-Proto: https`).
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
            .split(',')
            .next()
            .is_some_and(|s| s.trim().eq_ignore_ascii_case("https")),
        _ => false,
    }
}

/// `client_ip` for an actix request.
pub fn client_ip_of(req: &HttpRequest, trusted: &[IpAddr]) -> Option<IpAddr> {
    let forwarded = req
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok());
    client_ip(req.peer_addr().map(|a| a.ip()), forwarded, trusted)
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
    }
}
