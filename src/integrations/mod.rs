//! The outside world behind narrow interfaces: mail transports, card
//! gateways and the provisioning panels (cPanel/WHM, signed webhooks).

pub mod gateways;
pub mod mail;
pub mod webhook_module;
pub mod whm;

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

/// An HTTP client for panel calls with its own overall timeout.
pub(crate) fn panel_client(timeout_secs: u64) -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(concat!("till/", env!("CARGO_PKG_VERSION")))
        .timeout(std::time::Duration::from_secs(timeout_secs))
        .connect_timeout(std::time::Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|err| {
            tracing::error!(error = %err, "cannot build the panel HTTP client");
            reqwest::Client::new()
        })
}
