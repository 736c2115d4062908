//! Card gateways: thin clients for Stripe and Paystack, and the checks of
//! their signed webhooks. No database and no rules here: the service layer
//! decides what a payment means, these only speak the wire formats.
//!
//! Every call is one HTTP request. `GatewayError::Unreachable` on a request
//! that creates something means the outcome is unknown: retry with the same
//! idempotency key (Stripe) or the same reference (Paystack), or ask the
//! gateway, rather than assuming it failed.

mod gateway;
pub mod paystack;
mod registry;
pub mod stripe;

pub use gateway::{
    ATTEMPT_KEY, Charge, ChargeStatus, Flow, Gateway, Notice, Notification, StartRequest, Started,
};
pub use registry::{CARD_GATEWAYS, Gateways};

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};

/// A call to a gateway that did not give us what we asked for.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// No answer: connect failure, timeout, or the connection dropped.
    #[error("gateway unreachable: {0}")]
    Unreachable(String),
    /// The gateway answered with an error; `message` is its own words.
    #[error("gateway refused ({status}): {message}")]
    Rejected { status: u16, message: String },
    /// A 2xx answer we could not read.
    #[error("unexpected gateway response: {0}")]
    BadResponse(String),
}

impl GatewayError {
    /// Whether trying again later (with the same idempotency key) may
    /// succeed: no answer, rate limits, a concurrent idempotent request, or
    /// the gateway's own trouble.
    pub fn retryable(&self) -> bool {
        match self {
            GatewayError::Unreachable(_) => true,
            GatewayError::Rejected { status, .. } => {
                *status == 409 || *status == 429 || *status >= 500
            }
            GatewayError::BadResponse(_) => false,
        }
    }
}

/// Why an incoming webhook was refused. Only `BadPayload` comes from a
/// correctly signed body.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("the signature header is missing")]
    MissingSignature,
    #[error("the signature header cannot be read")]
    MalformedSignature,
    #[error("the signed timestamp is outside the tolerance")]
    Stale,
    #[error("the signature does not match")]
    Mismatch,
    #[error("the signed payload is not a valid event: {0}")]
    BadPayload(String),
}

/// The HTTP client for gateway calls: rustls, bounded waits, no redirects
/// (an API that redirects is misconfigured, and redirects would carry our
/// request elsewhere), and a user agent naming till.
///
/// A new client per gateway value, not a process-wide one: a client's
/// pooled connections belong to the runtime that opened them.
pub fn http_client() -> reqwest::Client {
    let built = reqwest::Client::builder()
        .user_agent(concat!("till/", env!("CARGO_PKG_VERSION")))
        .timeout(Duration::from_secs(20))
        .connect_timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .build();
    match built {
        Ok(client) => client,
        Err(err) => {
            // Only a broken TLS backend gets here; the plain client has the
            // same backend and no timeouts, which beats not starting.
            tracing::error!(error = %err, "cannot build the gateway HTTP client");
            reqwest::Client::new()
        }
    }
}

/// A transport failure, with its causes (reqwest's own message is vague).
fn transport_error(err: reqwest::Error) -> GatewayError {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    if err.is_decode() {
        GatewayError::BadResponse(message)
    } else {
        GatewayError::Unreachable(message)
    }
}

/// `base` with `segments` appended, each percent-encoded, so an id or a
/// reference can never add a path segment or a query of its own.
fn endpoint(base: &str, segments: &[&str]) -> Result<reqwest::Url, GatewayError> {
    let mut url = reqwest::Url::parse(base)
        .map_err(|e| GatewayError::Unreachable(format!("bad gateway base URL {base:?}: {e}")))?;
    url.path_segments_mut()
        .map_err(|()| GatewayError::Unreachable(format!("bad gateway base URL {base:?}")))?
        .pop_if_empty()
        .extend(segments);
    Ok(url)
}

/// At most 200 characters of a body, for an error message.
fn snippet(body: &[u8]) -> String {
    String::from_utf8_lossy(body).chars().take(200).collect()
}

/// HMAC of the concatenated `parts` under `key`. HMAC takes keys of any
/// length, so the error arm cannot be reached; its empty answer would
/// match no signature.
fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    match Hmac::<sha2::Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            parts.iter().for_each(|p| mac.update(p));
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

fn hmac_sha512(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    match Hmac::<sha2::Sha512>::new_from_slice(key) {
        Ok(mut mac) => {
            parts.iter().for_each(|p| mac.update(p));
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// Constant-time equality of a computed MAC and a presented one; an empty
/// MAC never matches.
fn mac_matches(expected: &[u8], given: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    !expected.is_empty() && bool::from(expected.ct_eq(given))
}
