//! RDAP (RFC 9082 queries, RFC 9083 answers) for one domain: `GET
//! {base}domain/{name}`. RFC 7480 section 5.3 says 404 means the registry
//! has no such object, so the name is free; 200 with a `domain` object
//! means it is registered. Anything else (429, 5xx, a timeout, an answer
//! that is not RDAP) says nothing about the name; why is a short code
//! (`timeout`, `rate_limited`, `registry_status_503`, `unreachable`,
//! `bad_answer`) that a public answer may carry.

use std::time::Duration;

use super::LookupAnswer;

/// An RDAP answer for one domain is a few KiB; more is not read.
const ANSWER_LIMIT: usize = 256 * 1024;

/// A client for RDAP servers. Redirects are followed (registries use them,
/// RFC 7480 section 5.2) but only to https and at most three times.
pub fn client(timeout: Duration) -> reqwest::Client {
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        if attempt.previous().len() >= 3 || attempt.url().scheme() != "https" {
            attempt.stop()
        } else {
            attempt.follow()
        }
    });
    reqwest::Client::builder()
        .user_agent(concat!("till/", env!("CARGO_PKG_VERSION")))
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(policy)
        .build()
        .unwrap_or_else(|err| {
            tracing::error!(error = %err, "cannot build the RDAP client");
            reqwest::Client::new()
        })
}

/// Ask the RDAP server at `base` (ending in `/`) about `ascii_name`.
pub async fn query(http: &reqwest::Client, base: &str, ascii_name: &str) -> LookupAnswer {
    // The name is checked LDH ASCII (`DomainName`), so it cannot leave
    // the path it is put in.
    let url = format!("{base}domain/{ascii_name}");
    let res = match http
        .get(&url)
        .header("accept", "application/rdap+json, application/json")
        .send()
        .await
    {
        Ok(res) => res,
        Err(e) if e.is_timeout() => return LookupAnswer::Unknown("timeout".into()),
        Err(e) => {
            // The detail names the server; the answer (public) does not.
            tracing::info!(url = %url, error = %e, "RDAP server unreachable");
            return LookupAnswer::Unknown("unreachable".into());
        }
    };
    match res.status().as_u16() {
        404 => LookupAnswer::Available,
        200 => match crate::integrations::outbound::read_limited(res, ANSWER_LIMIT).await {
            Ok(body) if is_domain_object(&body) => LookupAnswer::Taken,
            Ok(_) => LookupAnswer::Unknown("bad_answer".into()),
            Err(_) => LookupAnswer::Unknown("unreachable".into()),
        },
        429 => LookupAnswer::Unknown("rate_limited".into()),
        other => LookupAnswer::Unknown(format!("registry_status_{other}")),
    }
}

fn is_domain_object(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .is_ok_and(|v| v["objectClassName"].as_str() == Some("domain"))
}
