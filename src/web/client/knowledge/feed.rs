//! `GET /news/feed.atom`: the newest published announcements as an Atom
//! feed (RFC 4287). Every link is absolute, from the configured base URL
//! (`public_url`, as emails' links are); text is XML-escaped and each
//! entry's content is its sanitized HTML, escaped as `type="html"`.

use actix_web::{HttpResponse, web as aw};

use crate::{
    service::knowledge::news::{self, ShownNews},
    state::AppState,
    store::PageRequest,
    web::errors::PageError,
};

/// How many announcements the feed carries.
const ENTRIES: i64 = 20;

/// Text as XML character data or an attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn entry(base: &str, n: &ShownNews) -> String {
    let url = format!("{base}/news/{}", n.item.id);
    let updated = n.item.updated_at.as_str().max(n.item.published_at.as_str());
    format!(
        "  <entry>\n    <id>{url}</id>\n    <title type=\"text\">{title}</title>\n    \
         <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n    \
         <published>{published}</published>\n    <updated>{updated}</updated>\n    \
         <content type=\"html\">{content}</content>\n  </entry>\n",
        url = escape(&url),
        title = escape(&n.item.title),
        published = escape(&n.item.published_at),
        updated = escape(updated),
        content = escape(n.body_html.as_str()),
    )
}

/// The feed's XML.
pub fn render(base: &str, company: &str, items: &[ShownNews], now: &str) -> String {
    let name = if company.is_empty() { "till" } else { company };
    let updated = items
        .iter()
        .map(|n| n.item.updated_at.as_str().max(n.item.published_at.as_str()))
        .max()
        .unwrap_or(now);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <id>{home}</id>\n  \
         <title type=\"text\">{title}</title>\n  <updated>{updated}</updated>\n  \
         <author><name>{name}</name></author>\n  \
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{feed}\"/>\n  \
         <link rel=\"alternate\" type=\"text/html\" href=\"{home}\"/>\n",
        home = escape(&format!("{base}/news")),
        feed = escape(&format!("{base}/news/feed.atom")),
        title = escape(&format!("{name} news")),
        updated = escape(updated),
        name = escape(name),
    );
    for n in items {
        xml.push_str(&entry(base, n));
    }
    xml.push_str("</feed>\n");
    xml
}

pub async fn atom(state: aw::Data<AppState>) -> Result<HttpResponse, PageError> {
    let now = state.now();
    let request = PageRequest {
        page: 1,
        per_page: ENTRIES,
    };
    let found = state
        .db
        .run(move |db| news::published(db, now, request))
        .await?;
    let xml = render(
        &state.config.base_url(),
        &state.config.company.name,
        &found.rows,
        &crate::domain::time::stamp(now),
    );
    Ok(HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .body(xml))
}
