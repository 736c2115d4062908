//! PowerDNS's JSON: the zone and record-set shapes, and its errors
//! (`{"error": "..."}`), read from a bounded body and cut short.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::integrations::dns::{Change, DnsError, DnsResult, RecordSet};

/// The most of an answer read (a zone of 500 records is far below it).
const ANSWER_LIMIT: usize = 1024 * 1024;
/// The most of PowerDNS's own words kept in an error.
const ERROR_TEXT: usize = 300;

fn set_json(set: &RecordSet, changetype: Option<&str>) -> Value {
    let records: Vec<Value> = set
        .contents
        .iter()
        .map(|c| json!({ "content": c, "disabled": false }))
        .collect();
    let mut v = json!({ "name": set.name, "type": set.kind, "ttl": set.ttl, "records": records });
    if let Some(c) = changetype {
        v["changetype"] = json!(c);
    }
    v
}

/// A Native zone; its NS come among the sets, so `nameservers` is empty.
pub(super) fn new_zone(zone: &str, sets: &[RecordSet]) -> Value {
    let rrsets: Vec<Value> = sets.iter().map(|s| set_json(s, None)).collect();
    json!({ "name": zone, "kind": "Native", "nameservers": [], "rrsets": rrsets })
}

pub(super) fn patch(changes: &[Change]) -> Value {
    let rrsets: Vec<Value> = changes
        .iter()
        .map(|c| match c {
            Change::Replace(set) => set_json(set, Some("REPLACE")),
            Change::Delete { name, kind } => {
                json!({ "name": name, "type": kind, "changetype": "DELETE" })
            }
        })
        .collect();
    json!({ "rrsets": rrsets })
}

#[derive(Deserialize)]
struct Zone {
    #[serde(default)]
    rrsets: Vec<Set>,
}

#[derive(Deserialize)]
struct Set {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    ttl: u32,
    #[serde(default)]
    records: Vec<Rec>,
}

#[derive(Deserialize)]
struct Rec {
    content: String,
    #[serde(default)]
    disabled: bool,
}

pub(super) fn zone_sets(body: &[u8]) -> DnsResult<Vec<RecordSet>> {
    let zone: Zone = serde_json::from_slice(body)
        .map_err(|e| DnsError::BadResponse(format!("a zone that does not parse: {e}")))?;
    Ok(zone
        .rrsets
        .into_iter()
        .map(|s| RecordSet {
            name: s.name,
            kind: s.kind,
            ttl: s.ttl,
            contents: s
                .records
                .into_iter()
                .filter(|r| !r.disabled)
                .map(|r| r.content)
                .collect(),
        })
        .collect())
}

/// PowerDNS's `error` text, else the start of the body.
pub(super) fn error_text(body: &[u8]) -> String {
    let text = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v["error"].as_str().map(str::to_string))
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned());
    text.chars().take(ERROR_TEXT).collect()
}

pub(super) async fn read_bounded(mut res: reqwest::Response) -> DnsResult<Vec<u8>> {
    let mut body = Vec::new();
    while let Some(chunk) = res
        .chunk()
        .await
        .map_err(|e| DnsError::Unreachable(cause(&e)))?
    {
        if body.len() + chunk.len() > ANSWER_LIMIT {
            return Err(DnsError::BadResponse("the answer is too large".into()));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A transport failure with its causes (reqwest's own message is vague).
pub(super) fn cause(err: &reqwest::Error) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(c) = source {
        message.push_str(": ");
        message.push_str(&c.to_string());
        source = c.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_powerdns_words_cut_short() {
        assert_eq!(
            error_text(br#"{"error": "Record x./A 'y': bad"}"#),
            "Record x./A 'y': bad"
        );
        assert_eq!(error_text(&[b'z'; 1000]).len(), ERROR_TEXT);
    }

    #[test]
    fn a_patch_replaces_and_deletes_sets() {
        let set = RecordSet {
            name: "www.x.com.".into(),
            kind: "A".into(),
            ttl: 60,
            contents: vec!["192.0.2.1".into()],
        };
        let body = patch(&[
            Change::Replace(set),
            Change::Delete {
                name: "old.x.com.".into(),
                kind: "TXT".into(),
            },
        ]);
        assert_eq!(body["rrsets"][0]["changetype"], "REPLACE");
        assert_eq!(body["rrsets"][0]["records"][0]["content"], "192.0.2.1");
        assert_eq!(body["rrsets"][1]["changetype"], "DELETE");
    }
}
