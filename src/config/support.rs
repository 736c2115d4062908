//! `[support]`: the support desk's numbers, limits and mail handling.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SupportConfig {
    /// Letters before a ticket's random number (`TKT` gives `TKT-483920`).
    pub ticket_prefix: String,
    /// Days an answered ticket waits for the customer before it closes
    /// (a notice goes a day before); 0 never closes one.
    pub auto_close_days: u32,
    /// Largest attachment, in bytes.
    pub max_attachment_bytes: u64,
    /// Most attachments on one message.
    pub max_attachments: usize,
    /// File name extensions customers and staff may attach (lower case).
    pub allowed_extensions: Vec<String>,
    /// Tickets one client account may open an hour.
    pub tickets_per_hour: u32,
    /// Mail to a department from an address no account knows: `open` a
    /// ticket anyway (as a guest's, held for staff) or `bounce` it.
    pub unknown_sender: UnknownSender,
    /// Bounces one address may get a day (a loop's brake).
    pub bounces_per_day: u32,
    /// Emails one sender may pipe in an hour before they are dropped.
    pub inbound_per_hour: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownSender {
    Open,
    Bounce,
}

impl Default for SupportConfig {
    fn default() -> Self {
        Self {
            ticket_prefix: "TKT".into(),
            auto_close_days: 7,
            max_attachment_bytes: 10 * 1024 * 1024,
            max_attachments: 5,
            allowed_extensions: [
                "png", "jpg", "jpeg", "gif", "webp", "pdf", "txt", "log", "csv", "zip", "gz",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            tickets_per_hour: 10,
            unknown_sender: UnknownSender::Bounce,
            bounces_per_day: 3,
            inbound_per_hour: 30,
        }
    }
}

/// Extensions never allowed, whatever the list says: a browser would run them.
pub const NEVER_ALLOWED: &[&str] = &["html", "htm", "xhtml", "svg", "svgz", "js", "mjs", "xml"];

impl SupportConfig {
    /// The first setting that cannot work, as (key, reason).
    pub fn problem(&self) -> Option<(&'static str, String)> {
        if self.auto_close_days > 365 {
            return Some(("support.auto_close_days", "must be 0 to 365".into()));
        }
        if !(1..=20).contains(&self.max_attachments) {
            return Some(("support.max_attachments", "must be 1 to 20".into()));
        }
        if !(1..=100 * 1024 * 1024).contains(&self.max_attachment_bytes) {
            return Some((
                "support.max_attachment_bytes",
                "must be 1 byte to 100 MiB".into(),
            ));
        }
        if let Some(bad) = self.allowed_extensions.iter().find(|e| {
            e.is_empty()
                || !e
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                || NEVER_ALLOWED.contains(&e.as_str())
        }) {
            return Some((
                "support.allowed_extensions",
                format!(
                    "`{bad}` is not allowed (lower-case letters and digits; never a type a browser runs)"
                ),
            ));
        }
        if self.tickets_per_hour == 0 {
            return Some(("support.tickets_per_hour", "must be at least 1".into()));
        }
        None
    }
}
