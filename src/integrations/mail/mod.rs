//! Mail transports: SMTP (lettre, STARTTLS / TLS / plain, with auth), a
//! directory of `.eml` files (the default when no SMTP server is
//! configured), and a recorder for tests.
//!
//! An enum rather than a trait object: the set is closed and known, and
//! lettre's async transports are not object-safe.

use std::{
    path::PathBuf,
    sync::{Arc, Mutex},
};

use lettre::{
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    transport::smtp::authentication::Credentials,
};

use crate::config::{MailConfig, SmtpSecurity};

#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>, PathBuf),
    Recording(Recorder),
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("SMTP: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("outbox: {0}")]
    File(#[from] lettre::transport::file::Error),
    #[error("outbox directory {path}: {source}")]
    Outbox {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Mailer {
    /// SMTP when `mail.smtp_host` is set, otherwise `.eml` files in `outbox`.
    pub fn from_config(config: &MailConfig, outbox: PathBuf) -> Result<Mailer, MailError> {
        if config.smtp_host.trim().is_empty() {
            std::fs::create_dir_all(&outbox).map_err(|source| MailError::Outbox {
                path: outbox.clone(),
                source,
            })?;
            return Ok(Mailer::File(AsyncFileTransport::new(&outbox), outbox));
        }
        let host = config.smtp_host.trim();
        let mut builder = match config.smtp_security {
            SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
            SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
        }
        .port(config.smtp_port);
        if !config.smtp_username.is_empty() {
            builder = builder.credentials(Credentials::new(
                config.smtp_username.clone(),
                config.smtp_password.expose().to_string(),
            ));
        }
        Ok(Mailer::Smtp(builder.build()))
    }

    /// A mailer that keeps every message in memory.
    pub fn recording() -> (Mailer, Recorder) {
        let recorder = Recorder::default();
        (Mailer::Recording(recorder.clone()), recorder)
    }

    pub async fn send(&self, message: Message) -> Result<(), MailError> {
        match self {
            Mailer::Smtp(t) => {
                t.send(message).await?;
            }
            Mailer::File(t, _) => {
                t.send(message).await?;
            }
            Mailer::Recording(r) => r.push(&message),
        }
        Ok(())
    }

    /// A short description for the start-up log.
    pub fn describe(&self) -> String {
        match self {
            Mailer::Smtp(_) => "SMTP".to_string(),
            Mailer::File(_, dir) => format!(".eml files in {}", dir.display()),
            Mailer::Recording(_) => "in-memory recorder".to_string(),
        }
    }
}

/// One message as the recorder saw it.
#[derive(Debug, Clone)]
pub struct RecordedEmail {
    pub to: Vec<String>,
    pub subject: String,
    /// The full RFC 5322 message as it would go on the wire.
    pub raw: String,
}

#[derive(Clone, Default)]
pub struct Recorder {
    sent: Arc<Mutex<Vec<RecordedEmail>>>,
}

impl Recorder {
    fn push(&self, message: &Message) {
        let email = RecordedEmail {
            to: message
                .envelope()
                .to()
                .iter()
                .map(ToString::to_string)
                .collect(),
            subject: message
                .headers()
                .get_raw("Subject")
                .unwrap_or_default()
                .to_string(),
            raw: String::from_utf8_lossy(&message.formatted()).into_owned(),
        };
        self.sent
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(email);
    }

    pub fn sent(&self) -> Vec<RecordedEmail> {
        self.sent.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(to: &str) -> Message {
        Message::builder()
            .from("till <billing@example.com>".parse().unwrap())
            .to(to.parse().unwrap())
            .subject("Hello")
            .body("Body text".to_string())
            .unwrap()
    }

    #[tokio::test]
    async fn without_smtp_messages_become_eml_files_in_the_outbox() {
        let dir = tempfile::tempdir().unwrap();
        let outbox = dir.path().join("outbox");
        let mailer = Mailer::from_config(&MailConfig::default(), outbox.clone()).unwrap();
        mailer.send(message("a@example.com")).await.unwrap();
        let files: Vec<_> = std::fs::read_dir(&outbox).unwrap().collect();
        assert_eq!(files.len(), 1);
        let path = files[0].as_ref().unwrap().path();
        assert_eq!(path.extension().unwrap(), "eml");
        let text = std::fs::read_to_string(path).unwrap();
        assert!(text.contains("Subject: Hello"));
    }

    #[tokio::test]
    async fn the_recorder_keeps_what_was_sent() {
        let (mailer, recorder) = Mailer::recording();
        mailer.send(message("b@example.com")).await.unwrap();
        let sent = recorder.sent();
        assert_eq!(sent[0].to, vec!["b@example.com".to_string()]);
        assert_eq!(sent[0].subject, "Hello");
    }
}
