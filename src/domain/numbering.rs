//! Invoice number formats such as `{YYYY}/{SEQ}` or `INV-{YY}{MM}-{SEQ:4}`.
//!
//! A format has exactly one sequence token. Everything else in it, rendered
//! for a date, names the *series*: the sequence counts up within a series
//! and starts again at 1 in a new one, so `{YYYY}-{SEQ}` restarts every year
//! and `{SEQ}` never does. Numbers stay gapless because the counter of a
//! series moves in the same transaction that gives the number out.

use jiff::civil::Date;

pub const DEFAULT_FORMAT: &str = "{YYYY}-{SEQ:5}";
const MAX_LEN: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Year4,
    Year2,
    Month,
    Seq { width: usize },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberFormat {
    parts: Vec<Part>,
}

impl NumberFormat {
    /// Parse a format; the error says what is wrong in words a staff
    /// member can act on.
    pub fn parse(text: &str) -> Result<NumberFormat, String> {
        if text.is_empty() || text.len() > MAX_LEN {
            return Err(format!("give 1 to {MAX_LEN} characters"));
        }
        let mut parts = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('{') {
                let Some(end) = after.find('}') else {
                    return Err("a `{` is not closed".into());
                };
                parts.push(token(&after[..end])?);
                rest = &after[end + 1..];
            } else {
                let end = rest.find('{').unwrap_or(rest.len());
                let literal = &rest[..end];
                if let Some(bad) = literal
                    .chars()
                    .find(|c| !(c.is_ascii_alphanumeric() || "-/_.#".contains(*c)))
                {
                    return Err(format!(
                        "`{bad}` cannot be used; use letters, digits and - / _ . #"
                    ));
                }
                parts.push(Part::Text(literal.to_string()));
                rest = &rest[end..];
            }
        }
        match parts
            .iter()
            .filter(|p| matches!(p, Part::Seq { .. }))
            .count()
        {
            1 => Ok(NumberFormat { parts }),
            0 => Err("needs the sequence token {SEQ} (or {SEQ:5} for five digits)".into()),
            _ => Err("may contain {SEQ} only once".into()),
        }
    }

    /// The series a number issued on `date` belongs to: the format rendered
    /// with the literal `{SEQ}` in place of the sequence.
    pub fn series(&self, date: Date) -> String {
        self.render_with(date, |_| "{SEQ}".to_string())
    }

    /// The number for sequence `seq` issued on `date`.
    pub fn render(&self, date: Date, seq: i64) -> String {
        self.render_with(date, |width| format!("{seq:0width$}"))
    }

    fn render_with(&self, date: Date, seq: impl Fn(usize) -> String) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.clone(),
                Part::Year4 => format!("{:04}", date.year()),
                Part::Year2 => format!("{:02}", date.year().rem_euclid(100)),
                Part::Month => format!("{:02}", date.month()),
                Part::Seq { width } => seq(*width),
            })
            .collect()
    }
}

fn token(name: &str) -> Result<Part, String> {
    match name {
        "YYYY" => Ok(Part::Year4),
        "YY" => Ok(Part::Year2),
        "MM" => Ok(Part::Month),
        "SEQ" => Ok(Part::Seq { width: 1 }),
        _ => match name.strip_prefix("SEQ:").map(str::parse::<usize>) {
            Some(Ok(width)) if (1..=10).contains(&width) => Ok(Part::Seq { width }),
            Some(_) => Err("{SEQ:n} takes a width from 1 to 10".into()),
            None => Err(format!(
                "{{{name}}} is not a token; use {{YYYY}}, {{YY}}, {{MM}} and {{SEQ}}"
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn the_default_format_is_year_dash_five_digits() {
        let f = NumberFormat::parse(DEFAULT_FORMAT).unwrap();
        assert_eq!(f.render(d("2026-03-09"), 7), "2026-00007");
        assert_eq!(f.series(d("2026-03-09")), "2026-{SEQ}");
    }

    #[test]
    fn the_series_restarts_when_its_date_part_changes() {
        let f = NumberFormat::parse("INV-{YY}{MM}-{SEQ:3}").unwrap();
        assert_eq!(f.render(d("2027-01-31"), 12), "INV-2701-012");
        assert_ne!(f.series(d("2027-01-31")), f.series(d("2027-02-01")));
        let plain = NumberFormat::parse("{SEQ}").unwrap();
        assert_eq!(plain.series(d("2026-01-01")), plain.series(d("2099-12-31")));
        assert_eq!(plain.render(d("2026-01-01"), 123456), "123456");
    }

    #[test]
    fn a_sequence_wider_than_its_width_is_printed_whole() {
        let f = NumberFormat::parse("{YYYY}/{SEQ:2}").unwrap();
        assert_eq!(f.render(d("2026-01-01"), 1234), "2026/1234");
    }

    #[test]
    fn bad_formats_are_refused_with_a_reason() {
        for (bad, says) in [
            ("", "characters"),
            ("{YYYY}", "needs the sequence"),
            ("{SEQ}{SEQ}", "only once"),
            ("{SEQ:0}", "width"),
            ("{SEQ:11}", "width"),
            ("{DAY}-{SEQ}", "not a token"),
            ("{SEQ", "not closed"),
            ("A B{SEQ}", "cannot be used"),
            ("<b>{SEQ}", "cannot be used"),
        ] {
            let err = NumberFormat::parse(bad).unwrap_err();
            assert!(err.contains(says), "{bad}: {err}");
        }
    }
}
