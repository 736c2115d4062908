//! Per-TLD registrant fields: what a registry wants beyond the contact's
//! address (`.us` a nexus category, `.eu` a citizenship country). Staff
//! describe them per TLD; an order's domain item carries the values; both
//! are checked here, with no I/O.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Most fields one TLD may ask for, and the longest value any may take.
pub const MAX_FIELDS: usize = 20;
pub const MAX_VALUE_LEN: usize = 255;

/// One field a TLD's registry needs: a list of allowed values, or free
/// text up to `max_length` characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSpec {
    /// `[a-z0-9_]`, 1 to 32 long: the key in `domain_fields` and what the
    /// registrar is sent (LogicBoxes' `attr-name`).
    pub key: String,
    pub label: String,
    #[serde(default)]
    pub required: bool,
    /// The values allowed; empty: free text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// For free text: the longest value (1 to 255).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
}

fn printable(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

/// What is wrong with a TLD's list of fields, as `(field, message)`
/// pairs named under `registrant_fields.N`.
pub fn check_specs(specs: &[FieldSpec]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if specs.len() > MAX_FIELDS {
        out.push((
            "registrant_fields".into(),
            format!("at most {MAX_FIELDS} fields"),
        ));
    }
    for (i, s) in specs.iter().enumerate() {
        let mut bad = |f: &str, m: &str| out.push((format!("registrant_fields.{i}.{f}"), m.into()));
        let key_ok = (1..=32).contains(&s.key.len())
            && s.key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !key_ok {
            bad("key", "must be 1 to 32 of a-z, 0-9 and _");
        } else if specs[..i].iter().any(|o| o.key == s.key) {
            bad("key", "is listed twice");
        }
        if s.label.trim().is_empty() || s.label.chars().count() > 100 || !printable(&s.label) {
            bad("label", "must be 1 to 100 printable characters");
        }
        match (s.values.is_empty(), s.max_length) {
            (true, None) => bad("values", "give the allowed values or a max_length"),
            (false, Some(_)) => bad("max_length", "give either values or a max_length"),
            (true, Some(n)) if !(1..=MAX_VALUE_LEN).contains(&n) => {
                bad("max_length", "must be between 1 and 255")
            }
            _ => {}
        }
        if s.values.len() > 300
            || s.values
                .iter()
                .any(|v| v.trim().is_empty() || v.chars().count() > MAX_VALUE_LEN || !printable(v))
        {
            bad(
                "values",
                "up to 300 values of 1 to 255 printable characters",
            );
        }
    }
    out
}

/// What is wrong with an item's values against its TLD's fields, as
/// `(key, message)`: unknown keys, required ones missing, values not
/// allowed or too long. Values are trimmed; an empty one is absent.
pub fn check_values(
    specs: &[FieldSpec],
    given: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, Vec<(String, String)>> {
    let mut problems = Vec::new();
    let mut kept = BTreeMap::new();
    for key in given.keys().filter(|k| !specs.iter().any(|s| &s.key == *k)) {
        problems.push((key.clone(), "is not a field of this domain ending".into()));
    }
    for s in specs {
        let value = given.get(&s.key).map(|v| v.trim()).unwrap_or_default();
        if value.is_empty() {
            if s.required {
                problems.push((s.key.clone(), format!("{} is required", s.label)));
            }
            continue;
        }
        let ok = if s.values.is_empty() {
            printable(value) && value.chars().count() <= s.max_length.unwrap_or(MAX_VALUE_LEN)
        } else {
            s.values.iter().any(|v| v == value)
        };
        if ok {
            kept.insert(s.key.clone(), value.to_string());
        } else if s.values.is_empty() {
            problems.push((
                s.key.clone(),
                format!(
                    "must be at most {} printable characters",
                    s.max_length.unwrap_or(MAX_VALUE_LEN)
                ),
            ));
        } else {
            problems.push((
                s.key.clone(),
                format!("must be one of {}", s.values.join(", ")),
            ));
        }
    }
    if problems.is_empty() {
        Ok(kept)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nexus() -> FieldSpec {
        FieldSpec {
            key: "us_nexus".into(),
            label: "Nexus category".into(),
            required: true,
            values: vec!["C11".into(), "C12".into()],
            max_length: None,
        }
    }

    #[test]
    fn specs_are_checked() {
        assert!(check_specs(&[nexus()]).is_empty());
        let bad = FieldSpec {
            key: "Bad Key".into(),
            values: vec![],
            ..nexus()
        };
        let found = check_specs(&[bad, nexus(), nexus()]);
        let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert!(fields.contains(&"registrant_fields.0.key"), "{found:?}");
        assert!(fields.contains(&"registrant_fields.0.values"), "{found:?}");
        assert!(fields.contains(&"registrant_fields.2.key"), "{found:?}");
    }

    #[test]
    fn values_are_checked_against_the_spec() {
        let text = FieldSpec {
            key: "eu_country".into(),
            label: "Citizenship".into(),
            required: false,
            values: vec![],
            max_length: Some(2),
        };
        let specs = [nexus(), text];
        let given = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>()
        };
        let ok = check_values(&specs, &given(&[("us_nexus", " C11 ")])).unwrap();
        assert_eq!(ok.get("us_nexus").map(String::as_str), Some("C11"));
        let err = check_values(
            &specs,
            &given(&[("eu_country", "DEU"), ("other", "x"), ("us_nexus", "")]),
        )
        .unwrap_err();
        let keys: Vec<&str> = err.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, vec!["other", "us_nexus", "eu_country"]);
        assert!(check_values(&specs, &given(&[("us_nexus", "C99")])).is_err());
    }
}
