//! The knowledgebase's rules that need no database: who may read what
//! (`Visibility`), category slugs, and turning what a reader typed into a
//! safe SQLite FTS5 query.

use std::fmt;

/// Who may read a category or an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Visibility {
    /// Anyone, logged in or not.
    #[default]
    Public,
    /// Only logged-in customers (and staff); a 404 for everyone else.
    LoggedIn,
}

impl Visibility {
    pub const ALL: [Visibility; 2] = [Visibility::Public, Visibility::LoggedIn];

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::LoggedIn => "logged_in",
        }
    }

    pub fn parse(s: &str) -> Option<Visibility> {
        Self::ALL.into_iter().find(|v| v.as_str() == s.trim())
    }

    /// Whether a reader who is (or is not) logged in may see it.
    pub fn shown_to(self, logged_in: bool) -> bool {
        logged_in || self == Visibility::Public
    }
}

impl fmt::Display for Visibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Path segments under `/knowledgebase/` that are routes, never categories.
pub const RESERVED_SLUGS: [&str; 4] = ["article", "search", "related", "feed"];

pub const MAX_SLUG: usize = 80;

/// A slug made from a name: lower-case ASCII letters and digits, runs of
/// anything else as one hyphen (`"Domains & DNS"` is `domains-dns`).
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut slug: String = out.trim_end_matches('-').chars().take(MAX_SLUG).collect();
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// What is wrong with a slug, if anything.
pub fn slug_problem(slug: &str) -> Option<&'static str> {
    let well_formed = !slug.is_empty()
        && slug.len() <= MAX_SLUG
        && slug.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if !well_formed {
        Some("use lower-case letters, digits and single hyphens (at most 80)")
    } else if slug.bytes().all(|b| b.is_ascii_digit()) {
        Some("must not be only digits (those are ids)")
    } else if RESERVED_SLUGS.contains(&slug) {
        Some("is a reserved word")
    } else {
        None
    }
}

/// How the words of a query combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// Every word (a search); the last may be the start of a word, as
    /// someone still typing it.
    All,
    /// Any word of three letters or more (related articles for a subject
    /// being typed).
    Any,
}

/// At most this many words of a query are used.
const MAX_TERMS: usize = 12;

/// An FTS5 `MATCH` expression for what a reader typed, or `None` when
/// nothing searchable is left. Only letters and digits survive, each word
/// quoted, so no FTS5 syntax a reader types (`NEAR`, `*`, `"`, column
/// filters) reaches SQLite.
pub fn fts_query(text: &str, how: Match) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| how == Match::All || w.chars().count() >= 3)
        .map(str::to_lowercase)
        .take(MAX_TERMS)
        .collect();
    if words.is_empty() {
        return None;
    }
    let last = words.len() - 1;
    let quoted: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| match how {
            Match::All if i == last => format!("\"{w}\"*"),
            Match::All => format!("\"{w}\""),
            Match::Any => format!("\"{w}\"*"),
        })
        .collect();
    Some(match how {
        Match::All => quoted.join(" "),
        Match::Any => quoted.join(" OR "),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_come_from_names_and_are_checked() {
        assert_eq!(slugify("Domains & DNS"), "domains-dns");
        assert_eq!(slugify("  Billing, invoices!  "), "billing-invoices");
        assert_eq!(slugify("Ünïcode only ✓"), "n-code-only");
        assert_eq!(slugify("<script>"), "script");
        assert_eq!(slug_problem("domains-dns"), None);
        assert!(slug_problem("Domains").is_some());
        assert!(slug_problem("a--b").is_some());
        assert!(slug_problem("-a").is_some());
        assert!(slug_problem("").is_some());
        assert!(slug_problem("2026").is_some());
        assert!(slug_problem("search").is_some());
        assert!(slug_problem(&"a".repeat(81)).is_some());
    }

    #[test]
    fn queries_keep_only_quoted_words() {
        assert_eq!(
            fts_query("point a domain", Match::All).unwrap(),
            "\"point\" \"a\" \"domain\"*"
        );
        assert_eq!(
            fts_query("My domain is down!", Match::Any).unwrap(),
            "\"domain\"* OR \"down\"*"
        );
        assert_eq!(
            fts_query("title:x NEAR(\"a\" b) * OR -", Match::All).unwrap(),
            "\"title\" \"x\" \"near\" \"a\" \"b\" \"or\"*"
        );
        assert_eq!(fts_query("\"*-:()^", Match::All), None);
        assert_eq!(fts_query("is it on", Match::Any), None);
        assert_eq!(
            fts_query("Überweisung", Match::All).unwrap(),
            "\"überweisung\"*"
        );
    }

    #[test]
    fn logged_in_readers_see_everything() {
        assert!(Visibility::Public.shown_to(false));
        assert!(!Visibility::LoggedIn.shown_to(false));
        assert!(Visibility::LoggedIn.shown_to(true));
        assert_eq!(Visibility::parse("logged_in"), Some(Visibility::LoggedIn));
        assert_eq!(Visibility::parse("private"), None);
    }
}
