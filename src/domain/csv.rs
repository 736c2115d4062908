//! CSV for spreadsheets (RFC 4180), safe to open: a cell a spreadsheet would
//! read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
//! return) gets a leading `'`, so exported data (a client's name, an audit
//! detail) can never run as a formula on the reader's machine (OWASP's
//! "CSV injection").

/// One cell as written: neutralised, then quoted when it must be.
pub fn cell(value: &str) -> String {
    let neutral = match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

/// A whole document: a header row, then the rows, CRLF line ends.
pub fn document<R, C>(header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = String>,
{
    let mut out = String::new();
    line(&mut out, header.iter().map(|h| h.to_string()));
    for row in rows {
        line(&mut out, row);
    }
    out
}

fn line(out: &mut String, cells: impl IntoIterator<Item = String>) {
    let cells: Vec<String> = cells.into_iter().map(|c| cell(&c)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formula_is_neutralised() {
        for bad in ["=1+2", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(cell(bad).trim_start_matches('"').starts_with('\''), "{bad}");
        }
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    }

    #[test]
    fn plain_text_is_left_alone_and_separators_are_quoted() {
        assert_eq!(cell("Acme Ltd"), "Acme Ltd");
        assert_eq!(cell("12.50"), "12.50");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell(""), "");
    }

    #[test]
    fn a_document_has_a_header_and_crlf_lines() {
        let doc = document(&["id", "name"], [vec!["1".into(), "=cmd".into()]]);
        assert_eq!(doc, "id,name\r\n1,'=cmd\r\n");
    }
}
