//! The record types till hosts and each one's content in canonical form:
//! addresses parsed, target names absolute, TXT quoted and split into
//! strings of at most 255 bytes, SRV `weight port target` with its
//! priority apart, CAA `flags tag "value"`.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::name::target;

/// The longest string inside a TXT record (one length byte on the wire).
pub const TXT_CHUNK: usize = 255;
/// The most text one TXT record may carry.
const TXT_MAX: usize = 4000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordType {
    A,
    Aaaa,
    Cname,
    Mx,
    Txt,
    Srv,
    Caa,
    Ns,
}

impl RecordType {
    pub const ALL: [RecordType; 8] = [
        RecordType::A,
        RecordType::Aaaa,
        RecordType::Cname,
        RecordType::Mx,
        RecordType::Txt,
        RecordType::Srv,
        RecordType::Caa,
        RecordType::Ns,
    ];

    /// From its name, in any case.
    pub fn parse(raw: &str) -> Option<RecordType> {
        let upper = raw.trim().to_ascii_uppercase();
        Self::ALL.into_iter().find(|t| t.as_str() == upper)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::A => "A",
            RecordType::Aaaa => "AAAA",
            RecordType::Cname => "CNAME",
            RecordType::Mx => "MX",
            RecordType::Txt => "TXT",
            RecordType::Srv => "SRV",
            RecordType::Caa => "CAA",
            RecordType::Ns => "NS",
        }
    }

    /// MX and SRV records carry a priority.
    pub fn has_priority(self) -> bool {
        matches!(self, RecordType::Mx | RecordType::Srv)
    }
}

/// Where a content problem lies: `value` or `priority`.
pub(super) type Problem = (&'static str, String);

/// `raw` as `kind`'s canonical data and priority. For MX and SRV the
/// priority may come apart (`priority`) or first in the content, as a
/// zone file writes it (`10 mail.example.com`).
pub(super) fn parse(
    kind: RecordType,
    raw: &str,
    priority: Option<i64>,
) -> Result<(String, Option<u16>), Problem> {
    let raw = raw.trim();
    let bad = |m: &str| ("value", m.to_string());
    if raw.is_empty() {
        return Err(bad("must not be empty"));
    }
    let data = match kind {
        RecordType::A => raw
            .parse::<Ipv4Addr>()
            .map_err(|_| bad("must be an IPv4 address such as 192.0.2.10"))?
            .to_string(),
        RecordType::Aaaa => raw
            .parse::<Ipv6Addr>()
            .map_err(|_| bad("must be an IPv6 address such as 2001:db8::1"))?
            .to_string(),
        RecordType::Cname | RecordType::Ns => target(raw).map_err(|m| ("value", m))?,
        RecordType::Txt => txt(raw).map_err(|m| ("value", m))?,
        RecordType::Caa => caa(raw).map_err(|m| ("value", m))?,
        RecordType::Mx | RecordType::Srv => return prioritized(kind, raw, priority),
    };
    Ok((data, None))
}

fn prioritized(
    kind: RecordType,
    raw: &str,
    priority: Option<i64>,
) -> Result<(String, Option<u16>), Problem> {
    let mut words: Vec<&str> = raw.split_whitespace().collect();
    let plain = if kind == RecordType::Mx { 1 } else { 3 };
    let priority = match priority {
        Some(p) => p,
        None if words.len() == plain + 1 => {
            let first = words.remove(0);
            first.parse().map_err(|_| {
                (
                    "priority",
                    format!("`{first}` is not a priority between 0 and 65535"),
                )
            })?
        }
        None => {
            return Err((
                "priority",
                format!("is required for {} records", kind.as_str()),
            ));
        }
    };
    let priority = u16::try_from(priority)
        .map_err(|_| ("priority", "must be between 0 and 65535".to_string()))?;
    if words.len() != plain {
        let shape = if kind == RecordType::Mx {
            "must be the mail server's host name"
        } else {
            "must be `weight port target`"
        };
        return Err(("value", shape.into()));
    }
    let data = if kind == RecordType::Mx {
        target(words[0]).map_err(|m| ("value", m))?
    } else {
        let number = |w: &str, what: &str| {
            w.parse::<u16>()
                .map_err(|_| ("value", format!("the {what} must be between 0 and 65535")))
        };
        let (weight, port) = (number(words[0], "weight")?, number(words[1], "port")?);
        let host = if words[2] == "." {
            ".".to_string()
        } else {
            target(words[2]).map_err(|m| ("value", m))?
        };
        format!("{weight} {port} {host}")
    };
    Ok((data, Some(priority)))
}

/// TXT content: text as typed is one string; text starting with a quote
/// is read as quoted strings (`"v=spf1 " "-all"`). Either way each string
/// is split into quoted pieces of at most 255 bytes.
fn txt(raw: &str) -> Result<String, String> {
    let strings = if raw.starts_with('"') {
        quoted_strings(raw)?
    } else {
        vec![raw.as_bytes().to_vec()]
    };
    if strings.iter().map(Vec::len).sum::<usize>() > TXT_MAX {
        return Err(format!("must be at most {TXT_MAX} bytes"));
    }
    let pieces: Vec<String> = strings
        .iter()
        .flat_map(|s| {
            if s.is_empty() {
                vec![quote(&[])]
            } else {
                s.chunks(TXT_CHUNK).map(quote).collect()
            }
        })
        .collect();
    Ok(pieces.join(" "))
}

/// `"a" "b\"c"` as its strings' bytes; an unclosed quote or text between
/// the strings is refused.
fn quoted_strings(raw: &str) -> Result<Vec<Vec<u8>>, String> {
    let bytes = raw.as_bytes();
    let (mut out, mut i) = (Vec::new(), 0);
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if bytes[i] != b'"' {
            return Err("has text outside the quotes".into());
        }
        i += 1;
        let mut s = Vec::new();
        loop {
            match bytes.get(i) {
                None => return Err("has a quote that is never closed".into()),
                Some(b'"') => break,
                Some(b'\\') => {
                    let digits = bytes
                        .get(i + 1..i + 4)
                        .filter(|d| d.iter().all(u8::is_ascii_digit));
                    if let Some(d) = digits {
                        let n: u16 = std::str::from_utf8(d)
                            .ok()
                            .and_then(|t| t.parse().ok())
                            .unwrap_or(256);
                        s.push(
                            u8::try_from(n).map_err(|_| "has an escape past \\255".to_string())?,
                        );
                        i += 4;
                    } else {
                        s.push(*bytes.get(i + 1).ok_or("ends in a backslash")?);
                        i += 2;
                    }
                }
                Some(b) => {
                    s.push(*b);
                    i += 1;
                }
            }
        }
        out.push(s);
        i += 1;
    }
    Ok(out)
}

/// One quoted string, escaping quotes, backslashes and every byte that is
/// not printable ASCII (`\DDD`).
fn quote(bytes: &[u8]) -> String {
    let mut out = String::from("\"");
    for &b in bytes {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(char::from(b)),
            other => out.push_str(&format!("\\{other:03}")),
        }
    }
    out.push('"');
    out
}

/// `flags tag value`: flags 0 to 255, a known tag, the value quoted.
fn caa(raw: &str) -> Result<String, String> {
    let mut parts = raw.splitn(3, char::is_whitespace);
    let (flags, tag, value) = match (parts.next(), parts.next(), parts.next()) {
        (Some(f), Some(t), Some(v)) => (f, t.to_ascii_lowercase(), v.trim()),
        _ => return Err("must be `flags tag \"value\"`, e.g. 0 issue \"letsencrypt.org\"".into()),
    };
    let flags: u8 = flags
        .parse()
        .map_err(|_| "the flags must be a number between 0 and 255".to_string())?;
    if !["issue", "issuewild", "iodef"].contains(&tag.as_str()) {
        return Err("the tag must be issue, issuewild or iodef".into());
    }
    let inner = match value.strip_prefix('"') {
        Some(rest) => rest
            .strip_suffix('"')
            .ok_or("the value has a quote that is never closed")?,
        None => value,
    };
    if inner.contains('"') || inner.is_empty() || inner.len() > TXT_CHUNK {
        return Err("the value must be 1 to 255 characters without quotes".into());
    }
    Ok(format!("{flags} {tag} {}", quote(inner.as_bytes())))
}

#[cfg(test)]
#[path = "content_tests.rs"]
mod tests;
