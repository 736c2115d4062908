//! What a registrar call that did not succeed says, in the words a task
//! runner needs: whether trying again later may help.

/// A registrar call that did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistrarError {
    /// No usable answer: connect failure, timeout, a dropped connection,
    /// an HTTP 5xx, an EPP 2400/2500-range server error, or an answer we
    /// could not read. Retry later; for a call that creates something the
    /// outcome may be unknown, so ask `info` before creating again.
    #[error("registrar unavailable: {0}")]
    Transient(String),
    /// The registrar answered that it will not do it (the name is taken, a
    /// wrong auth code, bad credentials, a policy). Retrying the same call
    /// gives the same answer. `code` is the registrar's own (EPP result
    /// code, LogicBoxes status), `message` at most 200 bytes of its words.
    #[error("registrar refused ({code}): {message}")]
    Refused { code: String, message: String },
    /// This registrar has no such operation.
    #[error("the registrar does not support {0}")]
    Unsupported(&'static str),
    /// Not set up well enough to try (a bad certificate, an address till
    /// may not call, an unusable input); fix it, then retry.
    #[error("{0}")]
    Misconfigured(String),
}

impl RegistrarError {
    /// Whether the same call may succeed later without anyone changing
    /// anything.
    pub fn retryable(&self) -> bool {
        matches!(self, RegistrarError::Transient(_))
    }

    pub(crate) fn refused(code: impl Into<String>, message: &str) -> RegistrarError {
        RegistrarError::Refused {
            code: code.into(),
            message: crate::integrations::outbound::excerpt(message),
        }
    }
}

impl From<crate::integrations::PanelError> for RegistrarError {
    fn from(e: crate::integrations::PanelError) -> Self {
        use crate::integrations::PanelError;
        match e {
            PanelError::TargetRefused(m) => RegistrarError::Misconfigured(m),
            PanelError::Refused(m) => RegistrarError::refused("refused", &m),
            PanelError::Unreachable(m) | PanelError::BadResponse(m) => RegistrarError::Transient(m),
        }
    }
}
