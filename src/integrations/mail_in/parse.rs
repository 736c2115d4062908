//! One RFC 5322 message into an `InboundMail`, with mail-parser.

use mail_parser::{Address, HeaderValue, Message, MessageParser, MimeHeaders, PartType};

use super::{InboundMail, MailFile, Sender, html, quotes};
use crate::config::SupportConfig;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the message is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("the input is not an email message")]
    Unreadable,
}

/// The largest raw message taken in: room for the most attachments at
/// their largest, base64-encoded (4/3), plus 1 MiB of text and headers;
/// never more than 128 MiB.
pub fn size_limit(config: &SupportConfig) -> usize {
    let files = config
        .max_attachment_bytes
        .saturating_mul(config.max_attachments as u64)
        .saturating_mul(4)
        / 3;
    usize::try_from(files.saturating_add(1 << 20).min(128 << 20)).unwrap_or(128 << 20)
}

/// At most this many characters of a Message-ID are kept.
const MAX_ID: usize = 250;
/// At most the newest this many References are kept.
const MAX_REFERENCES: usize = 50;

/// Parse `raw`, refusing more than `limit` bytes.
pub fn parse(raw: &[u8], limit: usize) -> Result<InboundMail, ParseError> {
    if raw.len() > limit {
        return Err(ParseError::TooLarge { limit });
    }
    let message = MessageParser::default()
        .parse(raw)
        .filter(|m| !m.headers().is_empty())
        .ok_or(ParseError::Unreadable)?;
    let from = message.from().and_then(Address::first).and_then(|a| {
        let address = clean_address(a.address()?)?;
        let name = a.name().map(|n| one_line(n, 100)).filter(|n| !n.is_empty());
        Some(Sender { name, address })
    });
    let mut delivered_to = Vec::new();
    for (name, value) in message.headers_raw() {
        if name.eq_ignore_ascii_case("Delivered-To") || name.eq_ignore_ascii_case("X-Original-To") {
            delivered_to.extend(clean_address(value));
        }
    }
    let references = ids(message.references());
    let skip = references.len().saturating_sub(MAX_REFERENCES);
    Ok(InboundMail {
        automatic: is_automatic(&message, from.as_ref()),
        to: addresses(message.to()),
        cc: addresses(message.cc()),
        delivered_to,
        subject: one_line(message.subject().unwrap_or(""), 500),
        message_id: message.message_id().and_then(bracketed),
        in_reply_to: ids(message.in_reply_to()),
        references: references.into_iter().skip(skip).collect(),
        text: quotes::strip(&body_text(&message)),
        attachments: files(&message),
        from,
        size: raw.len(),
    })
}

/// Whether a machine sent it: `Auto-Submitted` other than `no` (RFC
/// 3834), `Precedence: bulk|junk|list`, `X-Autoreply`/`X-Autorespond`,
/// a mailing list's `List-Id`, a delivery or read report
/// (`multipart/report`), the null sender (`Return-Path: <>`), or
/// MAILER-DAEMON.
fn is_automatic(message: &Message<'_>, from: Option<&Sender>) -> bool {
    let flagged = message.headers_raw().any(|(name, value)| {
        let value = value.trim().to_ascii_lowercase();
        let word = value.split(';').next().unwrap_or("").trim();
        match name.to_ascii_lowercase().as_str() {
            "auto-submitted" => word != "no",
            "precedence" => matches!(word, "bulk" | "junk" | "list"),
            "x-autoreply" | "x-autorespond" | "list-id" => true,
            "return-path" => word == "<>",
            _ => false,
        }
    });
    let report = message.content_type().is_some_and(|c| {
        c.ctype().eq_ignore_ascii_case("multipart")
            && c.subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
    });
    let daemon = from.is_some_and(|f| f.address.starts_with("mailer-daemon@"));
    flagged || report || daemon
}

/// The text parts (or, with none, the HTML parts made text), joined.
fn body_text(message: &Message<'_>) -> String {
    let mut parts: Vec<String> = message
        .text_bodies()
        .filter_map(|p| part_text(&p.body))
        .collect();
    if parts.iter().all(|p| p.trim().is_empty()) {
        parts = message
            .html_bodies()
            .filter_map(|p| part_text(&p.body))
            .collect();
    }
    parts.join("\n\n")
}

fn part_text(body: &PartType<'_>) -> Option<String> {
    match body {
        PartType::Text(text) => Some(text.replace("\r\n", "\n")),
        PartType::Html(markup) => Some(html::to_text(markup)),
        _ => None,
    }
}

fn files(message: &Message<'_>) -> Vec<MailFile> {
    message
        .attachments()
        .map(|part| MailFile {
            file_name: part
                .attachment_name()
                .map(|n| one_line(n, 255))
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "attachment".into()),
            content: part.contents().to_vec(),
        })
        .collect()
}

fn addresses(list: Option<&Address<'_>>) -> Vec<String> {
    list.map(|a| {
        a.iter()
            .filter_map(|a| clean_address(a.address()?))
            .collect()
    })
    .unwrap_or_default()
}

/// An address as compared: trimmed, brackets gone, lower-cased; `None`
/// unless it has a local part and a domain.
fn clean_address(raw: &str) -> Option<String> {
    let a = raw
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    let (local, domain) = a.rsplit_once('@')?;
    let ok = !local.is_empty()
        && !domain.is_empty()
        && a.len() <= 254
        && !a
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
    ok.then(|| a.to_ascii_lowercase())
}

/// Message-IDs of a header that holds one or a list.
fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(id) => bracketed(id).into_iter().collect(),
        HeaderValue::TextList(list) => list.iter().filter_map(|id| bracketed(id)).collect(),
        _ => Vec::new(),
    }
}

/// `<id>`, as till stores Message-IDs.
fn bracketed(id: &str) -> Option<String> {
    let id = id
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    let ok = !id.is_empty()
        && id.len() <= MAX_ID
        && id
            .chars()
            .all(|c| c.is_ascii_graphic() && c != '<' && c != '>');
    ok.then(|| format!("<{id}>"))
}

/// One line of at most `max` characters, controls and runs of spaces gone.
fn one_line(raw: &str, max: usize) -> String {
    let spaced: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let s = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    s.chars().take(max).collect()
}
