//! An HTML part as plain text: ammonia keeps only the tags that shape
//! lines (no attributes, so nothing else survives), drops script, style
//! and quoted history (`blockquote`) with their content, and the few
//! tags left become line breaks; the entities its serializer writes are
//! decoded last.

use std::collections::{HashMap, HashSet};

/// Tags that start or end a paragraph (a blank line).
const PARAGRAPHS: &[&str] = &["p", "h1", "h2", "h3", "h4", "h5", "h6", "table"];
/// Tags that start or end a line.
const LINES: &[&str] = &["div", "tr", "li", "ul", "ol", "hr", "pre"];
/// Tags whose content never reaches the text.
const DROPPED: &[&str] = &["script", "style", "blockquote", "title", "template"];

/// `html` as text, with line breaks where the markup had them.
pub fn to_text(html: &str) -> String {
    let kept: HashSet<&str> = PARAGRAPHS
        .iter()
        .chain(LINES)
        .chain(&["br", "td", "th"])
        .copied()
        .collect();
    let cleaned = ammonia::Builder::empty()
        .tags(kept)
        .generic_attributes(HashSet::new())
        .tag_attributes(HashMap::new())
        .clean_content_tags(DROPPED.iter().copied().collect())
        .strip_comments(true)
        .link_rel(None)
        .clean(html)
        .to_string();
    tidy(&lines_of(&cleaned))
}

/// Walk the cleaned markup: text with its whitespace collapsed, tags as
/// breaks. Only bare tags are left by now (`<br>`, `</p>`).
fn lines_of(cleaned: &str) -> String {
    let mut out = String::new();
    let mut rest = cleaned;
    while let Some(at) = rest.find('<') {
        push_text(&mut out, &rest[..at]);
        let Some(end) = rest[at..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[at + 1..at + end]
            .trim_start_matches('/')
            .trim_end_matches('/');
        let name = tag.split_whitespace().next().unwrap_or("");
        if name == "br" {
            out.push('\n');
        } else if name == "td" || name == "th" {
            if !out.ends_with([' ', '\n']) && !out.is_empty() {
                out.push(' ');
            }
        } else if PARAGRAPHS.contains(&name) {
            blank_line(&mut out);
        } else if LINES.contains(&name) {
            line_break(&mut out);
            if name == "li" && !rest[at + 1..].starts_with('/') {
                out.push_str("- ");
            }
        }
        rest = &rest[at + end + 1..];
    }
    push_text(&mut out, rest);
    out
}

/// Text between tags: entities decoded, whitespace runs as one space.
fn push_text(out: &mut String, raw: &str) {
    let decoded = raw
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    for word_or_space in split_spaces(&decoded) {
        match word_or_space {
            None => {
                if !out.is_empty() && !out.ends_with([' ', '\n']) {
                    out.push(' ');
                }
            }
            Some(word) => out.push_str(word),
        }
    }
}

/// Words, with `None` for each run of whitespace between them.
fn split_spaces(s: &str) -> Vec<Option<&str>> {
    let mut parts = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            if let Some(st) = start.take() {
                parts.push(Some(&s[st..i]));
            }
            if parts.last() != Some(&None) {
                parts.push(None);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        parts.push(Some(&s[st..]));
    }
    parts
}

fn line_break(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn blank_line(out: &mut String) {
    line_break(out);
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
}

/// Lines trimmed, at most one blank line in a row, none at the ends.
fn tidy(text: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}
