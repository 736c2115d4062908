//! News: announcements published now or scheduled for later (by the app's
//! clock, not the system's), through API v1 and the Atom feed, whose links
//! are absolute from the configured base URL.

use quick_xml::{Reader, events::Event};
use serde_json::json;

use crate::support::{TestApp, at, json_with_status, knowledge::announce, ok, staff_post};

#[tokio::test]
async fn a_scheduled_announcement_waits_for_the_apps_clock() {
    let app = TestApp::spawn();
    let key = app.kb_key();
    let now_id = announce(&app, &key, "We moved", "New **address**.", None).await;
    let later = announce(
        &app,
        &key,
        "Maintenance",
        "Sunday.",
        Some("2026-02-01T08:00:00Z"),
    )
    .await;

    let list = app.read_ok("/api/v1/news", None).await;
    assert_eq!(list["meta"]["total"], 1);
    assert_eq!(list["data"][0]["id"], now_id);
    assert_eq!(
        list["data"][0]["body_html"],
        "<p>New <strong>address</strong>.</p>\n"
    );
    assert_eq!(
        app.read(&format!("/api/v1/news/{later}"), None)
            .await
            .status(),
        404
    );
    // Staff see it, marked scheduled.
    let staff = ok(&app, "GET", "/api/v1/announcements", &key, None, 200).await;
    assert_eq!(staff["meta"]["total"], 2);
    assert_eq!(staff["data"][0]["scheduled"], true);

    app.clock.set(at("2026-02-01"));
    let list = app.read_ok("/api/v1/news", None).await;
    assert_eq!(list["meta"]["total"], 2);
    assert_eq!(list["data"][0]["title"], "Maintenance", "newest first");
    let item = app.read_ok(&format!("/api/v1/news/{later}"), None).await;
    assert_eq!(item["data"]["published_at"], "2026-02-01T08:00:00Z");
    assert_eq!(app.read("/api/v1/news/nope", None).await.status(), 404);
}

#[tokio::test]
async fn announcements_are_checked_field_by_field_and_edits_keep_their_date() {
    let app = TestApp::spawn();
    let key = app.kb_key();
    let post = |body| staff_post(&app, &key, "/api/v1/announcements", body);
    for (body, field) in [
        (json!({ "title": "", "body": "B" }), "title"),
        (json!({ "title": "T", "body": "" }), "body"),
        (
            json!({ "title": "T", "body": "B", "published_at": "next tuesday" }),
            "published_at",
        ),
    ] {
        let res = json_with_status(post(body).await, 422).await;
        assert!(res["errors"][field].is_array(), "{res}");
    }
    assert_eq!(
        ok(&app, "GET", "/api/v1/announcements", &key, None, 200).await["meta"]["total"],
        0
    );
    // A form's date and time without a zone is UTC.
    let id = announce(&app, &key, "Later", "B", Some("2026-03-01T12:30")).await;
    let path = format!("/api/v1/announcements/{id}");
    let got = ok(&app, "GET", &path, &key, None, 200).await;
    assert_eq!(got["data"]["published_at"], "2026-03-01T12:30:00Z");
    let edited = ok(
        &app,
        "PUT",
        &path,
        &key,
        Some(json!({ "title": "Later still", "body": "C" })),
        200,
    )
    .await;
    assert_eq!(edited["data"]["published_at"], "2026-03-01T12:30:00Z");
    assert_eq!(edited["data"]["title"], "Later still");
    assert_eq!(
        ok(&app, "DELETE", &path, &key, None, 200).await["success"],
        true
    );
    assert_eq!(app.audit_count("news.created").await, 1);
    assert_eq!(app.audit_count("news.updated").await, 1);
    assert_eq!(app.audit_count("news.deleted").await, 1);
}

/// Every element's text, by name, from an XML document that must parse.
fn xml_texts(xml: &str) -> Vec<(String, String)> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<(String, String)> = Vec::new();
    let mut out = Vec::new();
    loop {
        let text = match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                stack.push((name, String::new()));
                continue;
            }
            Event::End(_) => {
                out.push(stack.pop().expect("balanced tags"));
                continue;
            }
            Event::Text(t) => t.xml10_content().to_string(),
            Event::GeneralRef(r) => match r.resolve_char_ref().unwrap() {
                Some(c) => c.to_string(),
                None => quick_xml::escape::resolve_predefined_entity(&r)
                    .expect("a predefined entity")
                    .to_string(),
            },
            Event::Eof => break,
            _ => continue,
        };
        if let Some((_, acc)) = stack.last_mut() {
            acc.push_str(&text);
        }
    }
    assert!(stack.is_empty(), "unclosed elements");
    out
}

#[tokio::test]
async fn the_atom_feed_is_valid_with_absolute_links_and_escaped_content() {
    let app = TestApp::builder()
        .config(|c| c.public_url = "https://billing.example.com/".into())
        .spawn();
    let key = app.kb_key();
    let id = announce(
        &app,
        &key,
        "Prices & plans <2027>",
        "Cheaper *now* & <b>bold</b>.",
        None,
    )
    .await;
    announce(&app, &key, "Not yet", "Soon.", Some("2027-01-01T00:00:00Z")).await;

    let res = app.get("/news/feed.atom").await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    let xml = res.text().await.unwrap();
    assert!(xml.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
    ));
    let texts = xml_texts(&xml);
    let text_of = |name: &str| -> Vec<String> {
        texts
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .collect()
    };
    assert_eq!(
        text_of("id"),
        [
            "https://billing.example.com/news".to_string(),
            format!("https://billing.example.com/news/{id}")
        ]
    );
    assert_eq!(
        text_of("title"),
        ["Test Hosting Ltd news", "Prices & plans <2027>"]
    );
    assert_eq!(text_of("name"), ["Test Hosting Ltd"]);
    assert_eq!(
        text_of("content"),
        ["<p>Cheaper <em>now</em> &amp; <b>bold</b>.</p>\n"]
    );
    assert_eq!(text_of("updated").len(), 2);
    assert!(xml.contains(&format!("href=\"https://billing.example.com/news/{id}\"")));
    assert!(xml.contains("rel=\"self\" type=\"application/atom+xml\" href=\"https://billing.example.com/news/feed.atom\""));
    assert!(
        !xml.contains("Not yet"),
        "a scheduled item is not in the feed"
    );
    // The raw title appears only escaped.
    assert!(xml.contains("Prices &amp; plans &lt;2027&gt;"));
}

#[tokio::test]
async fn an_empty_feed_is_still_a_valid_feed() {
    let app = TestApp::spawn();
    let xml = app.get("/news/feed.atom").await.text().await.unwrap();
    let texts = xml_texts(&xml);
    assert!(
        texts
            .iter()
            .any(|(n, t)| n == "updated" && t == "2026-01-15T10:00:00Z")
    );
    assert!(!xml.contains("<entry>"));
}
