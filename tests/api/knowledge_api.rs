//! The knowledgebase for readers through API v1: categories nested one
//! level, logged-in-only articles a 404 to anonymous callers on every
//! route, full-text search, related articles, and "was this helpful".

use jiff::SignedDuration;
use serde_json::{Value, json};

use crate::support::{
    TestApp, json_with_status,
    knowledge::{article, category, public_category},
};

fn titles(list: &Value) -> Vec<String> {
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect()
}

/// A public category with a public and a logged-in-only article, and a
/// logged-in-only category with a public article.
struct Shelf {
    key: String,
    open: i64,
    members: i64,
    public: i64,
    private: i64,
    inside: i64,
}

async fn shelf(app: &TestApp) -> Shelf {
    let key = app.kb_key();
    let open = public_category(app, &key, "Domains").await;
    let members = category(
        app,
        &key,
        json!({ "name": "Reseller guides", "visibility": "logged_in" }),
    )
    .await;
    let public = article(
        app,
        &key,
        open,
        "Point your domain at our nameservers",
        "Set **ns1** and ns2 at your registrar.",
        "public",
    )
    .await;
    let private = article(
        app,
        &key,
        open,
        "Nameserver glue for resellers",
        "Private nameservers need glue records.",
        "logged_in",
    )
    .await;
    let inside = article(
        app,
        &key,
        members,
        "White-label nameservers",
        "Reseller nameservers in your own brand.",
        "public",
    )
    .await;
    Shelf {
        key,
        open,
        members,
        public,
        private,
        inside,
    }
}

#[tokio::test]
async fn an_article_for_logged_in_readers_is_a_404_to_anonymous_callers_on_every_route() {
    let app = TestApp::spawn();
    let s = shelf(&app).await;
    let c = app.customer("reader@example.com").await;
    for hidden in [s.private, s.inside] {
        let path = format!("/api/v1/knowledgebase/article/{hidden}");
        let res = app.read(&path, None).await;
        let body = json_with_status(res, 404).await;
        assert_eq!(body["code"], "not_found");
        let vote = app
            .post_json(&format!("{path}/vote"), json!({ "helpful": true }))
            .await;
        assert_eq!(vote.status(), 404);
        let shown = app.read_ok(&path, Some(&c.access)).await;
        assert_eq!(shown["data"]["visibility"], "logged_in");
    }
    // The hidden category is not listed, not readable, and no count or
    // search result gives its articles away.
    let anon = app.read_ok("/api/v1/knowledgebase", None).await;
    assert_eq!(anon["data"].as_array().unwrap().len(), 1);
    assert_eq!(anon["data"][0]["articles"], 1);
    let members = format!("/api/v1/knowledgebase/{}", s.members);
    assert_eq!(app.read(&members, None).await.status(), 404);
    assert_eq!(
        app.read("/api/v1/knowledgebase/reseller-guides", None)
            .await
            .status(),
        404
    );
    let open = app.read_ok("/api/v1/knowledgebase/domains", None).await;
    assert_eq!(
        titles(&json!({"data": open["data"]["articles"]})),
        ["Point your domain at our nameservers"]
    );
    let found = app
        .read_ok("/api/v1/knowledgebase/search?q=nameservers", None)
        .await;
    assert_eq!(titles(&found), ["Point your domain at our nameservers"]);
    let related = app
        .read_ok("/api/v1/knowledgebase/related?q=reseller+nameservers", None)
        .await;
    assert_eq!(titles(&related), ["Point your domain at our nameservers"]);

    // Logged in, everything shows.
    let token = Some(c.access.as_str());
    let all = app.read_ok("/api/v1/knowledgebase", token).await;
    assert_eq!(all["data"].as_array().unwrap().len(), 2);
    assert_eq!(
        app.read_ok(&members, token).await["data"]["articles"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let found = app
        .read_ok("/api/v1/knowledgebase/search?q=nameservers", token)
        .await;
    assert_eq!(found["data"].as_array().unwrap().len(), 3);
    // A token that is not valid is refused, not taken for anonymous.
    let res = app.read("/api/v1/knowledgebase", Some("not-a-token")).await;
    assert_eq!(res.status(), 401);
    let _ = (s.key, s.open, s.public);
}

#[tokio::test]
async fn categories_nest_one_level_and_list_their_children() {
    let app = TestApp::spawn();
    let key = app.kb_key();
    let top = public_category(&app, &key, "Billing").await;
    let child = category(&app, &key, json!({ "name": "Invoices", "parent_id": top })).await;
    let res = crate::support::staff_post(
        &app,
        &key,
        "/api/v1/kb-categories",
        json!({ "name": "Too deep", "parent_id": child }),
    )
    .await;
    let body = json_with_status(res, 422).await;
    assert_eq!(body["code"], "validation_failed");
    assert!(
        body["errors"]["parent_id"][0]
            .as_str()
            .unwrap()
            .contains("top-level")
    );

    let tree = app.read_ok("/api/v1/knowledgebase", None).await;
    assert_eq!(
        tree["data"].as_array().unwrap().len(),
        1,
        "children are not top-level"
    );
    assert_eq!(tree["data"][0]["children"][0]["slug"], "invoices");
    let page = app.read_ok("/api/v1/knowledgebase/invoices", None).await;
    assert_eq!(page["data"]["parent"]["slug"], "billing");
    // By id as well as by slug; an unknown one is a 404.
    let by_id = app
        .read_ok(&format!("/api/v1/knowledgebase/{child}"), None)
        .await;
    assert_eq!(by_id["data"]["category"]["name"], "Invoices");
    assert_eq!(
        app.read("/api/v1/knowledgebase/nothing-here", None)
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn search_ranks_titles_first_reads_bodies_and_ignores_query_syntax() {
    let app = TestApp::spawn();
    let key = app.kb_key();
    let c = public_category(&app, &key, "Billing").await;
    article(
        &app,
        &key,
        c,
        "Pay an invoice",
        "Use a card or a bank transfer.",
        "public",
    )
    .await;
    article(
        &app,
        &key,
        c,
        "Refunds",
        "A refund goes back to the card you paid the invoice with.",
        "public",
    )
    .await;
    article(
        &app,
        &key,
        c,
        "Account credit",
        "Credit pays future bills.",
        "public",
    )
    .await;

    let found = app
        .read_ok("/api/v1/knowledgebase/search?q=invoice", None)
        .await;
    assert_eq!(titles(&found), ["Pay an invoice", "Refunds"]);
    assert!(
        found["data"][1]["excerpt"]
            .as_str()
            .unwrap()
            .starts_with("A refund goes back")
    );
    // Every word must match; the last may be half typed.
    let found = app
        .read_ok("/api/v1/knowledgebase/search?q=card+refu", None)
        .await;
    assert_eq!(titles(&found), ["Refunds"]);
    // FTS5 syntax is only text: no error, no match-everything.
    for q in [
        "%22*",
        "NEAR(a%20b)",
        "title:pay",
        "*",
        "-credit",
        "a%22%20OR%20%22b",
    ] {
        let res = app
            .read(&format!("/api/v1/knowledgebase/search?q={q}"), None)
            .await;
        assert_eq!(res.status(), 200, "q={q}");
    }
    let found = app
        .read_ok("/api/v1/knowledgebase/search?q=title:pay", None)
        .await;
    assert!(
        titles(&found).is_empty(),
        "no column filter: 'title' is a word"
    );
    // No query, or one too long, is a 422 naming `q`.
    for path in [
        "/api/v1/knowledgebase/search",
        "/api/v1/knowledgebase/search?q=%20%20",
    ] {
        let body = json_with_status(app.read(path, None).await, 422).await;
        assert!(body["errors"]["q"].is_array(), "{body}");
    }
    let long = "a".repeat(201);
    let res = app
        .read(&format!("/api/v1/knowledgebase/search?q={long}"), None)
        .await;
    assert_eq!(res.status(), 422);
    // An edited article is found by its new words.
    let id = found_id(&app, "credit").await;
    let res = crate::support::staff_send(
        &app,
        "PUT",
        &format!("/api/v1/kb-articles/{id}"),
        &key,
        Some(json!({ "category_id": c, "title": "Prepaid balance", "body": "Top up." })),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert!(
        titles(
            &app.read_ok("/api/v1/knowledgebase/search?q=credit", None)
                .await
        )
        .is_empty()
    );
    assert_eq!(
        titles(
            &app.read_ok("/api/v1/knowledgebase/search?q=prepaid", None)
                .await
        ),
        ["Prepaid balance"]
    );
}

async fn found_id(app: &TestApp, q: &str) -> i64 {
    let found = app
        .read_ok(&format!("/api/v1/knowledgebase/search?q={q}"), None)
        .await;
    found["data"][0]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn related_articles_follow_a_subject_being_typed() {
    let app = TestApp::spawn();
    let key = app.kb_key();
    let c = public_category(&app, &key, "Help").await;
    for (title, body) in [
        (
            "My domain shows an error",
            "Check it points at our nameservers.",
        ),
        (
            "Email is not arriving",
            "Check the MX records of your domain.",
        ),
        ("Pay an invoice", "Card or bank transfer."),
        ("Members only domain tips", "Hidden."),
    ] {
        let visibility = if title.starts_with("Members") {
            "logged_in"
        } else {
            "public"
        };
        article(&app, &key, c, title, body, visibility).await;
    }
    let related = app
        .read_ok("/api/v1/knowledgebase/related?q=my+domain+is+down", None)
        .await;
    assert_eq!(
        titles(&related),
        ["My domain shows an error", "Email is not arriving"]
    );
    let one = app
        .read_ok("/api/v1/knowledgebase/related?q=domain&limit=1", None)
        .await;
    assert_eq!(one["data"].as_array().unwrap().len(), 1);
    // Short words alone relate to nothing; an empty subject neither.
    for q in ["is+it+on", "", "%3F%3F"] {
        let none = app
            .read_ok(&format!("/api/v1/knowledgebase/related?q={q}"), None)
            .await;
        assert!(titles(&none).is_empty(), "q={q}");
    }
    for limit in ["0", "11"] {
        let res = app
            .read(
                &format!("/api/v1/knowledgebase/related?q=domain&limit={limit}"),
                None,
            )
            .await;
        let body = json_with_status(res, 422).await;
        assert!(body["errors"]["limit"].is_array());
    }
    // The service function the ticket form calls.
    let db = &app.state.db;
    let found = till::service::knowledge::related(db, "domain email", true, 5).unwrap();
    assert_eq!(
        found.len(),
        3,
        "a logged-in reader also gets the members' article"
    );
    let found = till::service::knowledge::related(db, "domain email", false, 5).unwrap();
    assert_eq!(found.len(), 2);
}

async fn vote(app: &TestApp, id: i64, token: Option<&str>, helpful: bool) -> reqwest::Response {
    let mut req = app
        .http
        .post(app.url(&format!("/api/v1/knowledgebase/article/{id}/vote")))
        .json(&json!({ "helpful": helpful }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn a_customer_has_one_vote_per_article_and_a_second_changes_it() {
    let app = TestApp::spawn();
    let s = shelf(&app).await;
    let c = app.customer("voter@example.com").await;
    let token = Some(c.access.as_str());
    let first = json_with_status(vote(&app, s.public, token, true).await, 200).await;
    assert_eq!(
        first["data"],
        json!({ "helpful": { "yes": 1, "no": 0 }, "my_vote": true })
    );
    let again = json_with_status(vote(&app, s.public, token, true).await, 200).await;
    assert_eq!(
        again["data"]["helpful"],
        json!({ "yes": 1, "no": 0 }),
        "not a second vote"
    );
    let changed = json_with_status(vote(&app, s.public, token, false).await, 200).await;
    assert_eq!(changed["data"]["helpful"], json!({ "yes": 0, "no": 1 }));
    let other = app.customer("other@example.com").await;
    vote(&app, s.public, Some(&other.access), false).await;
    let shown = app
        .read_ok(
            &format!("/api/v1/knowledgebase/article/{}", s.public),
            token,
        )
        .await;
    assert_eq!(shown["data"]["helpful"], json!({ "yes": 0, "no": 2 }));
    assert_eq!(shown["data"]["my_vote"], false);
    // A body that is not a yes or no names the field; staff do not vote.
    let res = app
        .http
        .post(app.url(&format!("/api/v1/knowledgebase/article/{}/vote", s.public)))
        .json(&json!({ "helpful": "maybe" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(vote(&app, s.public, Some(&s.key), true).await.status(), 403);
    assert_eq!(vote(&app, 999_999, token, true).await.status(), 404);
}

#[tokio::test]
async fn anonymous_votes_are_limited_per_address() {
    let app = TestApp::spawn();
    let key = app.kb_key();
    let c = public_category(&app, &key, "Many").await;
    let mut ids = Vec::new();
    for i in 0..21 {
        ids.push(article(&app, &key, c, &format!("Article {i}"), "Body.", "public").await);
    }
    // One vote per article a day from an address.
    assert_eq!(vote(&app, ids[0], None, true).await.status(), 200);
    let again = vote(&app, ids[0], None, true).await;
    assert_eq!(again.status(), 429);
    assert!(again.headers().contains_key("retry-after"));
    // Twenty an hour from an address, on any articles.
    for id in &ids[1..20] {
        assert_eq!(vote(&app, *id, None, false).await.status(), 200);
    }
    assert_eq!(vote(&app, ids[20], None, false).await.status(), 429);
    let shown = app
        .read_ok(&format!("/api/v1/knowledgebase/article/{}", ids[20]), None)
        .await;
    assert_eq!(
        shown["data"]["helpful"],
        json!({ "yes": 0, "no": 0 }),
        "nothing counted"
    );
    // The app's clock lets the address vote again.
    app.clock.advance(SignedDuration::from_hours(25));
    assert_eq!(vote(&app, ids[20], None, false).await.status(), 200);
    assert_eq!(vote(&app, ids[0], None, true).await.status(), 200);
    let shown = app
        .read_ok(&format!("/api/v1/knowledgebase/article/{}", ids[0]), None)
        .await;
    assert_eq!(shown["data"]["helpful"], json!({ "yes": 2, "no": 0 }));
    // A logged-in customer is not limited by the address.
    let customer = app.customer("busy@example.com").await;
    assert_eq!(
        vote(&app, ids[0], Some(&customer.access), true)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn the_sample_data_adds_two_categories_three_articles_and_one_announcement() {
    let app = TestApp::spawn();
    till::service::knowledge::sample::install(
        &app.state.db,
        1,
        till::clock::Clock::now(&app.clock),
    )
    .unwrap();
    let tree = app.read_ok("/api/v1/knowledgebase", None).await;
    let names: Vec<&str> = tree["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Domains and DNS", "Billing"]);
    let found = app
        .read_ok("/api/v1/knowledgebase/search?q=nameservers", None)
        .await;
    assert_eq!(titles(&found)[0], "Point your domain at our nameservers");
    let found = app
        .read_ok("/api/v1/knowledgebase/search?q=pay+invoice", None)
        .await;
    assert_eq!(titles(&found), ["Pay an invoice"]);
    let news = app.read_ok("/api/v1/news", None).await;
    assert_eq!(news["meta"]["total"], 1);
}

/// The knowledge wing uses only the shared rooms and `accounts`.
#[test]
fn the_knowledge_wing_uses_only_the_shared_rooms_and_accounts() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/service/knowledge");
    let wings = [
        "automation",
        "billing",
        "catalog",
        "dns",
        "domains",
        "payments",
        "sales",
        "services",
        "settlement",
    ];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for wing in wings {
            assert!(
                !text.contains(&format!("service::{wing}")),
                "{} uses the {wing} wing",
                path.display()
            );
        }
    }
}
