//! HTML and script typed into every field of the knowledgebase and news
//! (titles, bodies, category names and descriptions) come out escaped or
//! sanitized on every surface: the API, the Atom feed, the client pages
//! and the admin pages.

use serde_json::{Value, json};

use crate::support::{
    Browser, TestApp, json_with_status,
    knowledge::{announce, article, category},
    ok,
    staff::admin,
};

const PAYLOAD: &str = "<script>alert(1)</script><img src=x onerror=alert(1)>\
                       <a href=\"javascript:alert(1)\">x</a>";
/// Markdown that carries the same, plus a Markdown `javascript:` link.
const BODY: &str = "Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n\
                    [click](javascript:alert(1)) <a href=\"javascript:alert(1)\">raw</a>\n\n\
                    <div onclick=\"alert(1)\">d</div>";

/// No live script, event handler or `javascript:` link in `html`.
fn assert_harmless(html: &str, surface: &str) {
    let lower = html.to_lowercase();
    assert!(
        !lower.contains("<script>alert"),
        "{surface}: a live <script>:\n{html}"
    );
    for attr in [
        "href=\"javascript:",
        "href='javascript:",
        "src=\"javascript:",
        "href=javascript:",
    ] {
        assert!(!lower.contains(attr), "{surface}: {attr}:\n{html}");
    }
    // Every tag the page holds: none with an event handler.
    let mut rest = lower.as_str();
    while let Some(start) = rest.find('<') {
        let tag = &rest[start..];
        let end = tag.find('>').unwrap_or(tag.len());
        // Quoted attribute values are text, not attributes.
        let mut quoted = false;
        let tag: String = tag[..end]
            .chars()
            .filter(|c| {
                if *c == '"' {
                    quoted = !quoted;
                }
                !quoted
            })
            .collect();
        assert!(
            !tag.contains(" onerror") && !tag.contains(" onclick"),
            "{surface}: a tag with a handler: {tag}"
        );
        rest = &rest[start + 1..];
    }
}

/// The payload as plain text must be there, escaped.
fn assert_escaped(html: &str, surface: &str) {
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
            || html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{surface}: the title is not shown escaped:\n{html}"
    );
}

fn assert_sanitized_json(v: &Value, surface: &str) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                if k.ends_with("_html") {
                    assert_harmless(v.as_str().unwrap(), &format!("{surface} {k}"));
                }
                assert_sanitized_json(v, surface);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| assert_sanitized_json(i, surface)),
        _ => {}
    }
}

#[tokio::test]
async fn script_in_every_field_is_escaped_or_sanitized_everywhere() {
    let app = TestApp::spawn();
    let key = app.kb_key();
    let cat = category(&app, &key, json!({ "name": PAYLOAD, "description": BODY })).await;
    let art = article(&app, &key, cat, PAYLOAD, BODY, "public").await;
    let news = announce(&app, &key, PAYLOAD, BODY, None).await;
    let slug = ok(
        &app,
        "GET",
        &format!("/api/v1/kb-categories/{cat}"),
        &key,
        None,
        200,
    )
    .await["data"]["slug"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        slug.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    );

    // The API: names and titles are the text as typed (JSON, never HTML);
    // every `*_html` is sanitized.
    let reader_paths = [
        "/api/v1/knowledgebase".to_string(),
        format!("/api/v1/knowledgebase/{slug}"),
        format!("/api/v1/knowledgebase/article/{art}"),
        "/api/v1/knowledgebase/search?q=hello".to_string(),
        "/api/v1/knowledgebase/related?q=hello+click".to_string(),
        "/api/v1/news".to_string(),
        format!("/api/v1/news/{news}"),
    ];
    for path in &reader_paths {
        let res = app.read(path, None).await;
        assert_eq!(res.headers()["content-type"], "application/json", "{path}");
        assert_eq!(res.headers()["x-content-type-options"], "nosniff", "{path}");
        let body = json_with_status(res, 200).await;
        assert_sanitized_json(&body, path);
    }
    let shown = app
        .read_ok(&format!("/api/v1/knowledgebase/article/{art}"), None)
        .await;
    assert_eq!(shown["data"]["title"], PAYLOAD);
    assert_eq!(shown["data"]["category"]["name"], PAYLOAD);
    assert!(
        shown["data"]["body_html"]
            .as_str()
            .unwrap()
            .contains("Hello")
    );
    let found = app
        .read_ok("/api/v1/knowledgebase/search?q=hello", None)
        .await;
    assert!(
        !found["data"][0]["excerpt"].as_str().unwrap().contains('<'),
        "excerpts are plain text"
    );
    for path in [
        format!("/api/v1/kb-categories/{cat}"),
        format!("/api/v1/kb-articles/{art}"),
        format!("/api/v1/announcements/{news}"),
    ] {
        assert_sanitized_json(&ok(&app, "GET", &path, &key, None, 200).await, &path);
    }

    // The feed: XML-escaped text, sanitized content.
    let feed = app.get("/news/feed.atom").await.text().await.unwrap();
    assert!(
        !feed.contains("<script") && !feed.contains("<img"),
        "{feed}"
    );
    assert!(feed.contains("<title type=\"text\">&lt;script&gt;alert(1)&lt;/script&gt;"));
    let content = feed
        .split("<content type=\"html\">")
        .nth(1)
        .unwrap()
        .split("</content>")
        .next()
        .unwrap();
    let unescaped = content
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    assert_harmless(&unescaped, "feed content");

    // The client pages, anonymous and logged in.
    let pages = [
        "/knowledgebase".to_string(),
        format!("/knowledgebase/{slug}"),
        format!("/knowledgebase/article/{art}"),
        "/knowledgebase/search?q=hello".to_string(),
        format!("/knowledgebase/search?q={}", urlencode(PAYLOAD)),
        "/news".to_string(),
        format!("/news/{news}"),
    ];
    app.customer("reader@example.com").await;
    let mut logged_in = Browser::new(&app);
    logged_in
        .login("reader@example.com", "correct horse battery staple")
        .await;
    for browser in [&mut Browser::new(&app), &mut logged_in] {
        for path in &pages {
            let page = browser.get(path).await;
            assert_eq!(page.status, 200, "{path}");
            assert_harmless(&page.body, path);
            if !path.contains("q=hello") {
                assert_escaped(&page.body, path);
            }
        }
    }

    // The admin pages, the editors and their previews.
    let mut staff = admin(&app).await;
    let admin_pages = [
        "/admin/knowledgebase".to_string(),
        format!("/admin/knowledgebase/categories/{cat}"),
        format!("/admin/knowledgebase/articles/{art}"),
        "/admin/news".to_string(),
        format!("/admin/news/{news}"),
    ];
    for path in &admin_pages {
        let page = staff.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert_harmless(&page.body, path);
        assert_escaped(&page.body, path);
    }
    let form = format!("/admin/knowledgebase/articles/{art}");
    let cat_s = cat.to_string();
    let preview = staff
        .submit(
            &form,
            &form,
            &[
                ("intent", "preview"),
                ("category_id", &cat_s),
                ("title", PAYLOAD),
                ("body", BODY),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("id=\"preview\""));
    assert_harmless(&preview.body, "article preview");
    assert_escaped(&preview.body, "article preview");
    // A rejected form shows the payload escaped too.
    let bad = staff
        .submit(
            &form,
            &form,
            &[
                ("intent", "save"),
                ("category_id", &cat_s),
                ("title", PAYLOAD),
                ("body", BODY),
                ("visibility", PAYLOAD),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_harmless(&bad.body, "rejected article form");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
