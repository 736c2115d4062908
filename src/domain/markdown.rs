//! Markdown as staff write it (knowledgebase articles, category
//! descriptions, news) turned into HTML a page may include: rendered with
//! pulldown-cmark, then cleaned by ammonia (no scripts, no event handlers,
//! no `javascript:` or `data:` links, links get `rel="noopener noreferrer
//! nofollow"`). `SafeHtml` can only be made here, so HTML that did not go
//! through the sanitizer cannot be marked safe in a template.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

/// HTML that went through the sanitizer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SafeHtml(String);

impl SafeHtml {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Display for SafeHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Render Markdown to sanitized HTML.
pub fn render(markdown: &str) -> SafeHtml {
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options()));
    let clean = ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&raw)
        .to_string();
    SafeHtml(clean)
}

/// The words of a Markdown text without its markup (raw HTML dropped), cut
/// to about `max` characters at a word: a search result's excerpt, shown
/// as plain (escaped) text.
pub fn excerpt(markdown: &str, max: usize) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item)
            | Event::Start(Tag::Item) => text.push(' '),
            _ => {}
        }
        if text.len() > max * 4 {
            break;
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for w in words {
        if out.chars().count() + w.chars().count() + 1 > max {
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_rendered() {
        let html = render("# Title\n\nSome *text* and a [link](https://example.com).");
        assert!(html.as_str().contains("<h1>Title</h1>"), "{html}");
        assert!(html.as_str().contains("<em>text</em>"));
        assert!(
            html.as_str().contains(
                "<a href=\"https://example.com\" rel=\"noopener noreferrer nofollow\">link</a>"
            ),
            "{html}"
        );
    }

    #[test]
    fn scripts_handlers_and_javascript_links_do_not_survive() {
        let html = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n\
             [click](javascript:alert(1)) <a href=\"javascript:alert(1)\">raw</a> \
             <a href=\"data:text/html,x\">data</a> <iframe src=\"https://x\"></iframe>\
             <p style=\"x\" onclick=\"alert(1)\">p</p>",
        );
        let h = html.as_str().to_lowercase();
        for bad in [
            "<script",
            "onerror",
            "javascript:",
            "onclick",
            "data:",
            "<iframe",
            "style=",
        ] {
            assert!(!h.contains(bad), "{bad} in {h}");
        }
        assert!(h.contains("<img src=\"x\">"), "{h}");
    }

    #[test]
    fn excerpts_are_plain_words() {
        let md = "# Pay an invoice\n\nOpen **Invoices**, choose one <b>and</b> pay.\n\n- by card\n- by bank";
        assert_eq!(
            excerpt(md, 200),
            "Pay an invoice Open Invoices, choose one and pay. by card by bank"
        );
        assert_eq!(excerpt(md, 20), "Pay an invoice Open…");
        assert!(!excerpt("<script>alert(1)</script> hi", 50).contains('<'));
    }
}
