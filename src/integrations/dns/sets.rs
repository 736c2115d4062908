//! Records grouped as a DNS server keeps them: one set per name and type
//! with one TTL, and the changes that turn one zone's sets into another's.

use std::collections::BTreeMap;

use crate::domain::dns::Record;

/// Every record of one name and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordSet {
    /// Absolute, with the trailing dot.
    pub name: String,
    pub kind: String,
    pub ttl: u32,
    /// Each record's content as the server writes it (`10 mail.example.com.`).
    pub contents: Vec<String>,
}

/// One change to a zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The set becomes exactly this.
    Replace(RecordSet),
    /// The set is removed.
    Delete { name: String, kind: String },
}

/// `records` as sets, in name and type order.
pub fn sets_of(records: &[Record]) -> Vec<RecordSet> {
    let mut sets: BTreeMap<(String, &'static str), RecordSet> = BTreeMap::new();
    for r in records {
        let set = sets
            .entry((r.name.clone(), r.kind.as_str()))
            .or_insert_with(|| RecordSet {
                name: r.name.clone(),
                kind: r.kind.as_str().to_string(),
                ttl: r.ttl,
                contents: Vec::new(),
            });
        set.contents.push(r.content());
    }
    sets.into_values().collect()
}

/// What turns `old` into `new`: every set that differs is replaced whole,
/// every set that is gone is deleted; unchanged sets are left alone.
pub fn changes(old: &[Record], new: &[Record]) -> Vec<Change> {
    let key = |s: &RecordSet| (s.name.clone(), s.kind.clone());
    let before: BTreeMap<_, _> = sets_of(old).into_iter().map(|s| (key(&s), s)).collect();
    let after: BTreeMap<_, _> = sets_of(new).into_iter().map(|s| (key(&s), s)).collect();
    let mut out = Vec::new();
    for (k, set) in &after {
        let same = before.get(k).is_some_and(|b| {
            let (mut x, mut y) = (b.contents.clone(), set.contents.clone());
            x.sort();
            y.sort();
            b.ttl == set.ttl && x == y
        });
        if !same {
            out.push(Change::Replace(set.clone()));
        }
    }
    for (name, kind) in before.keys() {
        if !after.contains_key(&(name.clone(), kind.clone())) {
            out.push(Change::Delete {
                name: name.clone(),
                kind: kind.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dns::RecordType;

    fn a(name: &str, ip: &str, ttl: u32) -> Record {
        Record {
            kind: RecordType::A,
            name: name.into(),
            data: ip.into(),
            priority: None,
            ttl,
        }
    }

    #[test]
    fn records_of_one_name_and_type_make_one_set() {
        let sets = sets_of(&[
            a("www.x.com.", "192.0.2.1", 60),
            a("www.x.com.", "192.0.2.2", 60),
        ]);
        assert_eq!(sets.len(), 1);
        assert_eq!(sets[0].contents, vec!["192.0.2.1", "192.0.2.2"]);
    }

    #[test]
    fn only_sets_that_differ_are_changed() {
        let old = [
            a("a.x.com.", "192.0.2.1", 60),
            a("b.x.com.", "192.0.2.1", 60),
        ];
        let new = [
            a("a.x.com.", "192.0.2.1", 60),
            a("c.x.com.", "192.0.2.3", 60),
        ];
        assert_eq!(
            changes(&old, &new),
            vec![
                Change::Replace(sets_of(&[a("c.x.com.", "192.0.2.3", 60)])[0].clone()),
                Change::Delete {
                    name: "b.x.com.".into(),
                    kind: "A".into()
                },
            ]
        );
        assert!(changes(&old, &old).is_empty());
    }

    #[test]
    fn a_new_ttl_replaces_the_set() {
        let changed = changes(
            &[a("a.x.com.", "192.0.2.1", 60)],
            &[a("a.x.com.", "192.0.2.1", 120)],
        );
        assert_eq!(changed.len(), 1);
    }
}
