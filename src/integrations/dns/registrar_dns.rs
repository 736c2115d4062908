//! A registrar's own DNS as a DNS backend (reference 000's `/dns` on a
//! domain whose registrar hosts its zone). The registrar keeps records one
//! by one (add and delete calls, no transactions), so a change is made
//! against what the registrar holds now, set by set: what is no longer
//! wanted is deleted, what is missing is added, and if any call fails the
//! calls already made are undone before the error is answered, so a
//! failed change leaves the zone as it was (as far as the registrar lets
//! the undo through; the error says so when it did not).

use futures_util::future::FutureExt;

use super::{Call, Change, DnsBackend, DnsError, DnsResult, RecordSet};
use crate::integrations::registrars::{DnsRecord, Registrar, RegistrarError};

pub struct RegistrarDns {
    registrar: Box<dyn Registrar>,
}

impl RegistrarDns {
    pub fn new(registrar: Box<dyn Registrar>) -> RegistrarDns {
        RegistrarDns { registrar }
    }
}

fn dns_error(e: RegistrarError) -> DnsError {
    match e {
        RegistrarError::Transient(m) => DnsError::Unreachable(m),
        RegistrarError::Refused { code, message } => DnsError::Refused {
            status: 422,
            message: format!("{code}: {message}"),
        },
        RegistrarError::Unsupported(what) => DnsError::Refused {
            status: 422,
            message: format!("the registrar does not support {what}"),
        },
        RegistrarError::Misconfigured(m) => DnsError::BadResponse(m),
    }
}

/// `example.com.` → `example.com`.
fn bare(name: &str) -> &str {
    name.trim_end_matches('.')
}

/// The registrar's host for an absolute record name in `zone`: `@` for
/// the apex, else the labels before the zone.
fn host_of(name: &str, zone: &str) -> String {
    let (name, zone) = (bare(name), bare(zone));
    if name == zone {
        return "@".into();
    }
    name.strip_suffix(&format!(".{zone}"))
        .unwrap_or(name)
        .to_string()
}

fn name_of(host: &str, zone: &str) -> String {
    match host.trim() {
        "" | "@" => format!("{}.", bare(zone)),
        h => format!("{}.{}.", bare(h), bare(zone)),
    }
}

/// One record of a set, as the registrar takes it.
fn record_of(set: &RecordSet, content: &str, zone: &str) -> DnsResult<DnsRecord> {
    let (priority, value) = match set.kind.as_str() {
        "MX" => {
            let (p, host) = content.split_once(' ').ok_or_else(|| {
                DnsError::BadResponse(format!("an MX record without a priority: {content}"))
            })?;
            let p = p
                .parse()
                .map_err(|_| DnsError::BadResponse(format!("an MX priority: {p}")))?;
            (Some(p), bare(host).to_string())
        }
        "CNAME" | "NS" => (None, bare(content).to_string()),
        "TXT" => (None, unquote(content)),
        "A" | "AAAA" => (None, content.to_string()),
        other => {
            return Err(DnsError::Refused {
                status: 422,
                message: format!("the registrar's DNS does not take {other} records"),
            });
        }
    };
    Ok(DnsRecord {
        host: host_of(&set.name, zone),
        kind: set.kind.clone(),
        value,
        ttl: set.ttl,
        priority,
    })
}

/// `"v=spf1 -all"` → `v=spf1 -all`; several strings are joined.
fn unquote(content: &str) -> String {
    let mut out = String::new();
    let mut chars = content.chars();
    let mut inside = false;
    while let Some(c) = chars.next() {
        match (c, inside) {
            ('"', _) => inside = !inside,
            ('\\', true) => out.extend(chars.next()),
            (c, true) => out.push(c),
            (_, false) => {}
        }
    }
    out
}

fn quote(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A record the registrar holds, as a set's content.
fn content_of(r: &DnsRecord) -> String {
    let absolute = |v: &str| format!("{}.", bare(v));
    match r.kind.as_str() {
        "MX" => format!("{} {}", r.priority.unwrap_or(0), absolute(&r.value)),
        "CNAME" | "NS" => absolute(&r.value),
        "TXT" => quote(&r.value),
        _ => r.value.clone(),
    }
}

/// The same record, whatever the registrar did to its TTL.
fn same(a: &DnsRecord, b: &DnsRecord) -> bool {
    a.host.eq_ignore_ascii_case(&b.host)
        && a.kind.eq_ignore_ascii_case(&b.kind)
        && a.value.eq_ignore_ascii_case(&b.value)
        && a.priority == b.priority
        && a.ttl == b.ttl
}

impl RegistrarDns {
    /// What the registrar holds, hosts in one spelling (`@` for the apex).
    async fn held(&self, zone: &str) -> DnsResult<Vec<DnsRecord>> {
        let mut records = self
            .registrar
            .dns_records(bare(zone))
            .await
            .map_err(dns_error)?;
        for r in &mut records {
            r.host = host_of(&name_of(&r.host, zone), zone);
        }
        Ok(records)
    }

    /// Make the sets named by `targets` exactly their records (a `None`
    /// record list: the set is removed), undoing on failure.
    async fn settle(
        &self,
        zone: &str,
        targets: &[((String, String), Vec<DnsRecord>)],
        held: &[DnsRecord],
    ) -> DnsResult<()> {
        let mut deletes = Vec::new();
        let mut adds = Vec::new();
        for ((host, kind), wanted) in targets {
            let current = held
                .iter()
                .filter(|r| r.host.eq_ignore_ascii_case(host) && r.kind.eq_ignore_ascii_case(kind));
            deletes.extend(
                current
                    .clone()
                    .filter(|r| !wanted.iter().any(|w| same(w, r)))
                    .cloned(),
            );
            adds.extend(
                wanted
                    .iter()
                    .filter(|w| !current.clone().any(|r| same(w, r)))
                    .cloned(),
            );
        }
        let name = bare(zone);
        let mut done: Vec<(bool, DnsRecord)> = Vec::new();
        // Deletes first: a CNAME may replace the records of its name.
        let steps = deletes
            .into_iter()
            .map(|r| (false, r))
            .chain(adds.into_iter().map(|r| (true, r)));
        for (add, r) in steps {
            let call = if add {
                self.registrar.add_dns_record(name, &r).await
            } else {
                self.registrar.delete_dns_record(name, &r).await
            };
            if let Err(e) = call {
                let mut undone = true;
                for (was_add, r) in done.iter().rev() {
                    let back = if *was_add {
                        self.registrar.delete_dns_record(name, r).await
                    } else {
                        self.registrar.add_dns_record(name, r).await
                    };
                    undone &= back.is_ok();
                }
                if !undone {
                    tracing::error!(
                        zone = name,
                        "a failed DNS change at the registrar could not be undone in full"
                    );
                }
                return Err(dns_error(e));
            }
            done.push((add, r));
        }
        Ok(())
    }

    fn wanted(set: &RecordSet, zone: &str) -> DnsResult<((String, String), Vec<DnsRecord>)> {
        let records = set
            .contents
            .iter()
            .map(|c| record_of(set, c, zone))
            .collect::<DnsResult<Vec<_>>>()?;
        Ok(((host_of(&set.name, zone), set.kind.clone()), records))
    }

    /// Every set of the zone becomes `sets`: those it holds and `sets` names.
    async fn make_exactly(&self, zone: &str, sets: &[RecordSet]) -> DnsResult<()> {
        let held = self.held(zone).await?;
        let mut targets = sets
            .iter()
            .map(|s| Self::wanted(s, zone))
            .collect::<DnsResult<Vec<_>>>()?;
        for r in &held {
            let key = (r.host.clone(), r.kind.clone());
            if !targets
                .iter()
                .any(|(k, _)| k.0.eq_ignore_ascii_case(&key.0) && k.1.eq_ignore_ascii_case(&key.1))
            {
                targets.push((key, Vec::new()));
            }
        }
        self.settle(zone, &targets, &held).await
    }
}

impl DnsBackend for RegistrarDns {
    fn name(&self) -> &'static str {
        "registrar"
    }

    /// The registrar's zone comes with the domain; till's zone is made by
    /// making it exactly `sets` (what the registrar held before is
    /// replaced, so till's copy is the whole zone).
    fn create_zone<'a>(&'a self, zone: &'a str, sets: &'a [RecordSet]) -> Call<'a, ()> {
        self.make_exactly(zone, sets).boxed()
    }

    /// The zone stays with the domain at the registrar; its records go.
    fn delete_zone<'a>(&'a self, zone: &'a str) -> Call<'a, ()> {
        self.make_exactly(zone, &[]).boxed()
    }

    fn list_records<'a>(&'a self, zone: &'a str) -> Call<'a, Vec<RecordSet>> {
        async move {
            let mut sets: Vec<RecordSet> = Vec::new();
            for r in self.held(zone).await? {
                let name = name_of(&r.host, zone);
                match sets.iter_mut().find(|s| s.name == name && s.kind == r.kind) {
                    Some(s) => s.contents.push(content_of(&r)),
                    None => sets.push(RecordSet {
                        name,
                        kind: r.kind.clone(),
                        ttl: r.ttl,
                        contents: vec![content_of(&r)],
                    }),
                }
            }
            Ok(sets)
        }
        .boxed()
    }

    fn apply<'a>(&'a self, zone: &'a str, changes: &'a [Change]) -> Call<'a, ()> {
        async move {
            let targets = changes
                .iter()
                .map(|c| match c {
                    Change::Replace(set) => Self::wanted(set, zone),
                    Change::Delete { name, kind } => {
                        Ok(((host_of(name, zone), kind.clone()), Vec::new()))
                    }
                })
                .collect::<DnsResult<Vec<_>>>()?;
            let held = self.held(zone).await?;
            self.settle(zone, &targets, &held).await
        }
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(name: &str, kind: &str, contents: &[&str]) -> RecordSet {
        RecordSet {
            name: name.into(),
            kind: kind.into(),
            ttl: 3600,
            contents: contents.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn records_go_to_the_registrar_in_its_words_and_come_back_in_the_zones() {
        let zone = "shop.example.";
        let mx = record_of(
            &set("shop.example.", "MX", &[]),
            "10 mail.shop.example.",
            zone,
        )
        .unwrap();
        assert_eq!(
            (mx.host.as_str(), mx.value.as_str(), mx.priority),
            ("@", "mail.shop.example", Some(10))
        );
        assert_eq!(content_of(&mx), "10 mail.shop.example.");
        let txt = record_of(
            &set("_dmarc.shop.example.", "TXT", &[]),
            "\"v=DMARC1; p=none\"",
            zone,
        )
        .unwrap();
        assert_eq!(
            (txt.host.as_str(), txt.value.as_str()),
            ("_dmarc", "v=DMARC1; p=none")
        );
        assert_eq!(content_of(&txt), "\"v=DMARC1; p=none\"");
        let www = record_of(
            &set("www.shop.example.", "CNAME", &[]),
            "shop.example.",
            zone,
        )
        .unwrap();
        assert_eq!(
            (www.host.as_str(), www.value.as_str()),
            ("www", "shop.example")
        );
        assert_eq!(name_of("www", zone), "www.shop.example.");
        assert_eq!(name_of("@", zone), "shop.example.");
        assert!(
            record_of(
                &set("shop.example.", "SRV", &[]),
                "0 5 5060 sip.shop.example.",
                zone
            )
            .is_err()
        );
    }

    #[test]
    fn quoted_text_is_unquoted_and_escapes_kept() {
        assert_eq!(unquote("\"a \\\"b\\\"\" \"c\""), "a \"b\"c");
        assert_eq!(quote("a \"b\""), "\"a \\\"b\\\"\"");
    }
}
