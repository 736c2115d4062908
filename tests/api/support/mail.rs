//! Mail: running the outbox job and reading what it sent, and the links
//! (with their tokens) in the latest email to an address.

use till::clock::Clock;

use super::{TestApp, sql};

/// One email as the outbox queued it.
#[derive(Debug)]
pub struct Queued {
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Queued {
    /// Whether either part mentions `needle`.
    pub fn mentions(&self, needle: &str) -> bool {
        self.text.contains(needle) || self.html.contains(needle)
    }
}

#[allow(dead_code)]
impl TestApp {
    /// Run the mail job now and answer everything sent so far.
    /// (The background worker may be sending some right now: wait until
    /// nothing is pending.)
    pub async fn deliver_mail(&self) -> Vec<till::integrations::mail::RecordedEmail> {
        for _ in 0..250 {
            till::jobs::mail_outbox::run(self.state.clone(), self.clock.now())
                .await
                .unwrap();
            let pending = sql::pending_mail(self);
            if pending == 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        self.mail.sent()
    }

    /// The first link in the latest email to `to` whose URL contains `path`
    /// (read from the outbox's text part; the email is also delivered).
    pub async fn link_in_mail(&self, to: &str, path: &str) -> String {
        self.deliver_mail().await;
        let text = sql::latest_mail_text_with(self, to, path)
            .unwrap_or_else(|| panic!("no email to {to} with {path}"));
        let start = text
            .find(&format!("{}{path}", self.state.config.base_url()))
            .unwrap();
        text[start..].split_whitespace().next().unwrap().to_string()
    }

    /// The token query parameter of the link in the latest email to `to`.
    pub async fn token_in_mail(&self, to: &str, path: &str) -> String {
        let link = self.link_in_mail(to, path).await;
        link.split("token=").nth(1).unwrap().to_string()
    }
}
