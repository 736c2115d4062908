//! Support mail in, as it arrives on the wire: one RFC 5322 message
//! parsed into an `InboundMail` (`parse.rs`, with mail-parser), its HTML
//! part made plain text (`html.rs`, with ammonia), quoted history cut
//! away (`quotes.rs`), and a department's IMAP mailbox read over TLS,
//! STARTTLS or (on loopback only) plain TCP (`imap.rs`, with async-imap).
//! What a message means for a ticket is `service::support::inbound`'s.

pub mod html;
pub mod imap;
mod parse;
pub mod quotes;
mod stream;
#[cfg(test)]
mod tests;

pub use parse::{ParseError, parse, size_limit};

/// A name and address, as in From.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    /// The display name, if one was given.
    pub name: Option<String>,
    /// The address, lower-cased.
    pub address: String,
}

/// A file attached to the message (later checked like an upload).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFile {
    pub file_name: String,
    pub content: Vec<u8>,
}

/// One parsed message.
#[derive(Debug, Clone, Default)]
pub struct InboundMail {
    pub from: Option<Sender>,
    /// To, Cc and Delivered-To (and X-Original-To) addresses, lower-cased.
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub delivered_to: Vec<String>,
    /// Decoded, one line; empty when there was none.
    pub subject: String,
    /// Message-IDs in angle brackets, as till stores them.
    pub message_id: Option<String>,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    /// Sent by a machine (an auto-responder, a list, a bounce): never
    /// posted, never answered.
    pub automatic: bool,
    /// The plain part, or the HTML part made text; quoted history gone.
    pub text: String,
    pub attachments: Vec<MailFile>,
    /// The raw message's size in bytes.
    pub size: usize,
}

impl InboundMail {
    /// Every address the message was sent to: Delivered-To first (the
    /// envelope's, most exact), then To and Cc.
    pub fn recipients(&self) -> impl Iterator<Item = &str> {
        self.delivered_to
            .iter()
            .chain(&self.to)
            .chain(&self.cc)
            .map(String::as_str)
    }

    /// The Message-IDs this one answers: In-Reply-To, then References
    /// from the newest.
    pub fn answers(&self) -> impl Iterator<Item = &str> {
        self.in_reply_to
            .iter()
            .chain(self.references.iter().rev())
            .map(String::as_str)
    }
}
