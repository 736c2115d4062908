//! A record as sent and the rules a whole zone keeps. Each record is
//! checked on its own (`validate_record`), then the set (`validate_zone`):
//! no CNAME at the apex, a CNAME alone at its name, one TTL per name and
//! type (a DNS server keeps one per record set), no duplicates. A problem
//! the set has is put on the later of the records involved, so the one
//! just added or edited (the service puts it last) carries it.

use std::collections::HashMap;

use super::{MAX_RECORDS, MAX_TTL, MIN_TTL, Record, RecordType, content, name::absolute};

/// A record as a caller sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordInput {
    pub kind: String,
    /// Relative to the zone (`www`, `@`) or absolute.
    pub name: String,
    pub content: String,
    /// The zone's default when absent.
    pub ttl: Option<i64>,
    /// MX and SRV; ignored for the other types.
    pub priority: Option<i64>,
}

/// A problem: which record (`None` for the set as a whole), which field.
pub type ZoneErrors = Vec<(Option<usize>, &'static str, String)>;

/// One record, alone, in `zone` (its name without the trailing dot).
pub fn validate_record(
    input: &RecordInput,
    zone: &str,
    default_ttl: i64,
) -> Result<Record, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let kind = RecordType::parse(&input.kind);
    if kind.is_none() {
        errors.push((
            "type",
            "must be one of A, AAAA, CNAME, MX, TXT, SRV, CAA, NS".to_string(),
        ));
    }
    let name = absolute(&input.name, zone).map_err(|m| errors.push(("name", m)));
    let ttl = input.ttl.unwrap_or(default_ttl);
    if !(MIN_TTL..=MAX_TTL).contains(&ttl) {
        errors.push((
            "ttl",
            format!("must be between {MIN_TTL} and {MAX_TTL} seconds"),
        ));
    }
    let parsed = kind.map(|k| content::parse(k, &input.content, input.priority));
    if let Some(Err(problem)) = &parsed {
        errors.push(problem.clone());
    }
    match (kind, name, parsed) {
        (Some(kind), Ok(name), Some(Ok((data, priority)))) if errors.is_empty() => Ok(Record {
            kind,
            name,
            data,
            priority,
            ttl: u32::try_from(ttl).unwrap_or(MIN_TTL as u32),
        }),
        _ => Err(errors),
    }
}

/// Every record, then the set; answers the records in canonical form or
/// every problem found.
pub fn validate_zone(
    inputs: &[RecordInput],
    zone: &str,
    default_ttl: i64,
) -> Result<Vec<Record>, ZoneErrors> {
    let mut errors: ZoneErrors = Vec::new();
    if inputs.len() > MAX_RECORDS {
        errors.push((
            None,
            "records",
            format!("a zone holds at most {MAX_RECORDS} records"),
        ));
    }
    let mut records = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        match validate_record(input, zone, default_ttl) {
            Ok(r) => records.push((i, r)),
            Err(es) => errors.extend(es.into_iter().map(|(f, m)| (Some(i), f, m))),
        }
    }
    set_rules(&records, zone, &mut errors);
    if errors.is_empty() {
        Ok(records.into_iter().map(|(_, r)| r).collect())
    } else {
        Err(errors)
    }
}

fn set_rules(records: &[(usize, Record)], zone: &str, errors: &mut ZoneErrors) {
    let apex = format!("{zone}.");
    let mut at_name: HashMap<&str, Vec<&(usize, Record)>> = HashMap::new();
    let mut first_ttl: HashMap<(&str, RecordType), u32> = HashMap::new();
    for (pos, entry) in records.iter().enumerate() {
        let (i, r) = entry;
        if r.kind == RecordType::Cname && r.name == apex {
            errors.push((
                Some(*i),
                "name",
                "a CNAME cannot be at the zone's apex (@)".into(),
            ));
        }
        let duplicate = records[..pos]
            .iter()
            .any(|(_, o)| o.name == r.name && o.kind == r.kind && o.content() == r.content());
        if duplicate {
            errors.push((Some(*i), "value", "is the same as another record".into()));
        }
        let ttl = *first_ttl.entry((r.name.as_str(), r.kind)).or_insert(r.ttl);
        if ttl != r.ttl {
            errors.push((
                Some(*i),
                "ttl",
                format!(
                    "must be {ttl}, as for the other {} records of this name",
                    r.kind.as_str()
                ),
            ));
        }
        at_name.entry(r.name.as_str()).or_default().push(entry);
    }
    for group in at_name.values() {
        if group.len() > 1 && group.iter().any(|(_, r)| r.kind == RecordType::Cname) {
            for (i, _) in group.iter().skip(1) {
                errors.push((
                    Some(*i),
                    "name",
                    "a name with a CNAME may hold no other record".into(),
                ));
            }
        }
    }
}

#[cfg(test)]
#[path = "zone_tests.rs"]
mod tests;
