//! The DNS LogicBoxes hosts for a domain (`dns/manage/...`): records are
//! listed per type, and added or deleted through one call per type.

use serde_json::Value;

use super::client::{Client, Params};
use crate::integrations::registrars::{DnsRecord, RegistrarError};

/// The record types till manages here and the name of each in the calls
/// (`add-ipv4-record.json`, `delete-ipv4-record.json`).
const KINDS: [(&str, &str); 6] = [
    ("A", "ipv4"),
    ("AAAA", "ipv6"),
    ("CNAME", "cname"),
    ("MX", "mx"),
    ("TXT", "txt"),
    ("NS", "ns"),
];

fn call_name(kind: &str) -> Result<&'static str, RegistrarError> {
    KINDS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(kind))
        .map(|(_, c)| *c)
        .ok_or(RegistrarError::Unsupported(
            "this record type at LogicBoxes",
        ))
}

/// One page of 50 per type is what the API's search gives at most by
/// default; zones at a registrar are small.
pub async fn records(api: &Client<'_>, name: &str) -> Result<Vec<DnsRecord>, RegistrarError> {
    let mut out = Vec::new();
    for (kind, _) in KINDS {
        let v = api
            .get(
                "dns/manage/search-records.json",
                vec![
                    ("domain-name", name.to_string()),
                    ("type", kind.to_string()),
                    ("no-of-records", "50".into()),
                    ("page-no", "1".into()),
                ],
            )
            .await?;
        // Records are the members "1", "2", ... beside recsonpage/recsindb.
        let Some(map) = v.as_object() else { continue };
        let mut numbered: Vec<(u32, &Value)> = map
            .iter()
            .filter_map(|(k, r)| k.parse().ok().map(|n| (n, r)))
            .collect();
        numbered.sort_by_key(|(n, _)| *n);
        out.extend(numbered.into_iter().map(|(_, r)| {
            DnsRecord {
                host: r["host"].as_str().unwrap_or("@").to_string(),
                kind: kind.to_string(),
                value: r["value"].as_str().unwrap_or_default().to_string(),
                ttl: r["timetolive"]
                    .as_str()
                    .and_then(|t| t.parse().ok())
                    .unwrap_or(14400),
                priority: r["priority"].as_str().and_then(|p| p.parse().ok()),
            }
        }));
    }
    Ok(out)
}

fn params(name: &str, r: &DnsRecord) -> Params {
    let host = if r.host == "@" { "" } else { r.host.as_str() };
    vec![
        ("domain-name", name.to_string()),
        ("host", host.to_string()),
        ("value", r.value.clone()),
    ]
}

pub async fn add(api: &Client<'_>, name: &str, r: &DnsRecord) -> Result<Value, RegistrarError> {
    let call = format!("dns/manage/add-{}-record.json", call_name(&r.kind)?);
    let mut p = params(name, r);
    p.push(("ttl", r.ttl.to_string()));
    if let Some(priority) = r.priority {
        p.push(("priority", priority.to_string()));
    }
    api.post(&call, p).await
}

pub async fn delete(api: &Client<'_>, name: &str, r: &DnsRecord) -> Result<Value, RegistrarError> {
    let call = format!("dns/manage/delete-{}-record.json", call_name(&r.kind)?);
    api.post(&call, params(name, r)).await
}
