//! The outside world behind narrow interfaces: mail transports, card
//! gateways and the provisioning panels (cPanel/WHM, signed webhooks);
//! `mail_in` reads the support desk's incoming mail.

pub mod dns;
pub mod gateways;
pub mod lookup;
pub mod mail;
pub mod mail_in;
pub mod outbound;
pub mod provisioning;
pub mod registrars;
pub mod vies;

/// A call to a panel or a provisioning webhook that did not succeed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PanelError {
    /// No answer: connect failure, timeout, or the connection dropped.
    #[error("unreachable: {0}")]
    Unreachable(String),
    /// The panel answered that it did not do it; its own words.
    #[error("{0}")]
    Refused(String),
    /// An answer we could not read.
    #[error("unexpected response: {0}")]
    BadResponse(String),
    /// The address is one till may not call (see `outbound`); trying
    /// again will not help until the operator allows it.
    #[error("{0}")]
    TargetRefused(String),
}

/// A transport failure with its causes (reqwest's own message is vague).
pub(crate) fn panel_transport_error(err: reqwest::Error) -> PanelError {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    if err.is_decode() {
        PanelError::BadResponse(message)
    } else {
        PanelError::Unreachable(message)
    }
}

/// A client for one call to `url`, after checking where it goes: the
/// host's addresses must be ones `policy` permits, and the connection is
/// pinned to them.
pub(crate) async fn panel_client(
    policy: &outbound::TargetPolicy,
    url: &reqwest::Url,
    timeout_secs: u64,
) -> Result<reqwest::Client, PanelError> {
    let target = policy.resolve(url).await?;
    Ok(outbound::pinned_client(&target, timeout_secs))
}

/// What a panel or webhook answered, read up to 256 KiB.
pub(crate) const ANSWER_LIMIT: usize = 256 * 1024;
