//! A domain name as a customer types it, checked and in both of its forms:
//! the ASCII form the registries and DNS use (`xn--bcher-kva.de`) and the
//! Unicode form people read (`bücher.de`). Input in either form is taken
//! through UTS 46 (the `idna` crate: case folding, normalization,
//! punycode) with the STD3 rules, then held to the DNS's own limits: labels
//! of 1 to 63 letters, digits and hyphens, not starting or ending with a
//! hyphen, no `--` in the third and fourth places except an `xn--` label
//! (RFC 5891 4.2.3.1), at most 253 characters in all.
//!
//! Which part is the TLD depends on what is sold (`.com.gh` or `.gh`), so
//! `registrable` splits against the sold list: the longest that ends the
//! name wins, and exactly one label may stand before it.

use std::fmt;

/// Longest name in its ASCII form, without the root's trailing dot.
pub const MAX_NAME_LEN: usize = 253;
pub const MAX_LABEL_LEN: usize = 63;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainName {
    ascii: String,
    unicode: String,
}

/// Why a name was refused, in words for the customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    Empty,
    /// A URL, an address or something with spaces or other characters.
    NotAName,
    TooLong,
    /// A label that breaks the rules (empty, too long, bad hyphens or
    /// characters); the label as given.
    BadLabel(String),
    /// Only one label: `example` with no ending.
    NoTld,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::Empty => write!(f, "is required"),
            NameError::NotAName => write!(
                f,
                "must be a domain name such as example.com (no http://, spaces or paths)"
            ),
            NameError::TooLong => write!(f, "must be at most {MAX_NAME_LEN} characters"),
            NameError::BadLabel(l) => write!(
                f,
                "`{l}` is not a valid label: 1 to {MAX_LABEL_LEN} letters, digits or hyphens, \
                 not starting or ending with a hyphen"
            ),
            NameError::NoTld => write!(f, "must end with a domain ending such as .com"),
        }
    }
}

fn label_ok(label: &str) -> bool {
    let b = label.as_bytes();
    !b.is_empty()
        && b.len() <= MAX_LABEL_LEN
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && (b.len() < 4 || &b[2..4] != b"--" || label.starts_with("xn--"))
}

/// The first label of `text` that breaks the rules, as the customer wrote it.
fn first_bad_label(text: &str) -> String {
    text.split('.')
        .find(|l| {
            let lower = l.to_lowercase();
            lower.is_ascii() && !label_ok(&lower)
                || !lower.is_ascii() && idna::domain_to_ascii_strict(&lower).is_err()
        })
        .unwrap_or(text)
        .to_string()
}

impl DomainName {
    /// Check `input` (either form, any case, an optional trailing dot).
    pub fn parse(input: &str) -> Result<DomainName, NameError> {
        let text = input.trim().trim_end_matches('.');
        if text.is_empty() {
            return Err(NameError::Empty);
        }
        if text.contains(['/', ':', '@', ' ', '\t', '?', '#', '\\']) {
            return Err(NameError::NotAName);
        }
        let ascii = idna::domain_to_ascii_strict(text).map_err(|_| {
            if text.len() > MAX_NAME_LEN {
                NameError::TooLong
            } else {
                NameError::BadLabel(first_bad_label(text))
            }
        })?;
        if ascii.len() > MAX_NAME_LEN {
            return Err(NameError::TooLong);
        }
        if let Some(bad) = ascii.split('.').find(|l| !label_ok(l)) {
            return Err(NameError::BadLabel(bad.to_string()));
        }
        if !ascii.contains('.') {
            return Err(NameError::NoTld);
        }
        let (unicode, decoded) = idna::domain_to_unicode(&ascii);
        if decoded.is_err() {
            return Err(NameError::BadLabel(first_bad_label(&ascii)));
        }
        Ok(DomainName { ascii, unicode })
    }

    /// `xn--bcher-kva.de`: what registries, RDAP and WHOIS are asked about.
    pub fn ascii(&self) -> &str {
        &self.ascii
    }

    /// `bücher.de`: what people read (the same as `ascii` for plain names).
    pub fn unicode(&self) -> &str {
        &self.unicode
    }

    pub fn labels(&self) -> impl Iterator<Item = &str> {
        self.ascii.split('.')
    }

    /// The suffixes of the name after each of its labels, longest first:
    /// `a.com.gh` -> `com.gh`, `gh`.
    pub fn suffixes(&self) -> Vec<&str> {
        self.ascii
            .match_indices('.')
            .map(|(i, _)| &self.ascii[i + 1..])
            .collect()
    }

    /// The sold TLD (`.com.gh`, with its dot) this name is registered
    /// under: the longest in `sold` that ends it. `None` when none does;
    /// `Err` when more than one label stands before it (`www.example.com`).
    pub fn registrable<'a>(&self, sold: &[&'a str]) -> Result<Option<&'a str>, NameError> {
        let best = sold
            .iter()
            .copied()
            .filter(|t| {
                let t = t.trim_start_matches('.');
                self.suffixes().contains(&t)
            })
            .max_by_key(|t| t.len());
        let Some(tld) = best else {
            return Ok(None);
        };
        let head = &self.ascii[..self.ascii.len() - tld.trim_start_matches('.').len() - 1];
        if head.contains('.') {
            return Err(NameError::NotAName);
        }
        Ok(Some(tld))
    }

    /// The same first label under another ending (`.net` for `example.com`
    /// sold under `.com`): for suggestions.
    pub fn with_tld(&self, current: &str, other: &str) -> Option<DomainName> {
        let head_len = self
            .ascii
            .len()
            .checked_sub(current.trim_start_matches('.').len() + 1)?;
        let head = &self.ascii[..head_len];
        DomainName::parse(&format!("{head}.{}", other.trim_start_matches('.'))).ok()
    }
}

impl fmt::Display for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.unicode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(s: &str) -> DomainName {
        DomainName::parse(s).unwrap()
    }

    #[test]
    fn plain_names_are_lowercased_and_lose_their_trailing_dot() {
        let n = ok(" Example.COM. ");
        assert_eq!(n.ascii(), "example.com");
        assert_eq!(n.unicode(), "example.com");
    }

    #[test]
    fn an_idn_is_accepted_in_either_form_and_shown_in_both() {
        let from_unicode = ok("Bücher.de");
        let from_ascii = ok("xn--bcher-kva.de");
        assert_eq!(from_unicode, from_ascii);
        assert_eq!(from_unicode.ascii(), "xn--bcher-kva.de");
        assert_eq!(from_unicode.unicode(), "bücher.de");
    }

    #[test]
    fn broken_labels_are_named() {
        assert_eq!(
            DomainName::parse("-bad.com"),
            Err(NameError::BadLabel("-bad".into()))
        );
        assert_eq!(
            DomainName::parse("ab--cd.com"),
            Err(NameError::BadLabel("ab--cd".into()))
        );
        assert!(matches!(
            DomainName::parse("under_score.com"),
            Err(NameError::BadLabel(_))
        ));
        assert!(matches!(
            DomainName::parse("a..com"),
            Err(NameError::BadLabel(_))
        ));
        let long = format!("{}.com", "a".repeat(64));
        assert!(matches!(
            DomainName::parse(&long),
            Err(NameError::BadLabel(_))
        ));
        assert!(matches!(
            DomainName::parse("xn--zz.com"),
            Err(NameError::BadLabel(_))
        ));
    }

    #[test]
    fn urls_single_labels_and_overlong_names_are_refused() {
        assert_eq!(
            DomainName::parse("https://example.com"),
            Err(NameError::NotAName)
        );
        assert_eq!(DomainName::parse("a b.com"), Err(NameError::NotAName));
        assert_eq!(DomainName::parse("example"), Err(NameError::NoTld));
        assert_eq!(DomainName::parse("  "), Err(NameError::Empty));
        let long = format!("{}com", "abcdefghi.".repeat(26));
        assert_eq!(DomainName::parse(&long), Err(NameError::TooLong));
    }

    #[test]
    fn the_longest_sold_tld_wins_and_only_one_label_may_precede_it() {
        let sold = [".gh", ".com.gh", ".com"];
        assert_eq!(ok("shop.com.gh").registrable(&sold), Ok(Some(".com.gh")));
        assert_eq!(ok("shop.gh").registrable(&sold), Ok(Some(".gh")));
        assert_eq!(ok("shop.org").registrable(&sold), Ok(None));
        assert_eq!(
            ok("www.shop.com").registrable(&sold),
            Err(NameError::NotAName)
        );
        // `ecom.gh` does not end in `.com.gh`; labels are compared whole.
        assert_eq!(ok("ecom.gh").registrable(&sold), Ok(Some(".gh")));
    }

    #[test]
    fn suggestions_keep_the_first_label() {
        let n = ok("bücher.de");
        assert_eq!(
            n.with_tld(".de", ".com.gh").unwrap().unicode(),
            "bücher.com.gh"
        );
    }

    proptest! {
        #[test]
        fn what_parses_is_valid_ascii_and_parses_back_the_same(s in "[a-zA-Z0-9ü.-]{1,80}") {
            if let Ok(n) = DomainName::parse(&s) {
                prop_assert!(n.ascii().len() <= MAX_NAME_LEN);
                prop_assert!(n.labels().all(label_ok));
                prop_assert_eq!(DomainName::parse(n.ascii()), Ok(n.clone()));
                prop_assert_eq!(DomainName::parse(n.unicode()), Ok(n.clone()));
            }
        }
    }
}
