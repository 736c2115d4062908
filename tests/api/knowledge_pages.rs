//! The knowledgebase and news pages: browsing, search and the helpful
//! vote (with CSRF) for everyone, logged-in-only articles a 404 until one
//! logs in; the admin editors with their preview, CSRF, staff login, and a
//! bad form re-rendered with its problem while nothing changes.

use serde_json::json;

use crate::support::{
    Browser, TestApp,
    knowledge::{announce, article, category, public_category},
    ok,
    staff::{admin, support},
};

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test]
async fn anyone_browses_searches_and_reads_and_logged_in_readers_see_more() {
    let app = TestApp::spawn();
    let key = app.kb_key();
    let c = public_category(&app, &key, "Domains").await;
    let open = article(
        &app,
        &key,
        c,
        "Point your domain at us",
        "Use **ns1**.",
        "public",
    )
    .await;
    let hidden = article(&app, &key, c, "Reseller domain glue", "Glue.", "logged_in").await;
    let mut browser = Browser::new(&app);

    let index = browser.get("/knowledgebase").await;
    assert_eq!(index.status, 200);
    assert!(index.body.contains("href=\"/knowledgebase/domains\""));
    assert!(
        index.body.contains("href=\"/knowledgebase\">Help</a>"),
        "the nav links the knowledgebase"
    );
    let page = browser.get("/knowledgebase/domains").await;
    assert!(page.body.contains("Point your domain at us"));
    assert!(!page.body.contains("Reseller domain glue"));
    let read = browser.get(&format!("/knowledgebase/article/{open}")).await;
    assert_eq!(read.status, 200);
    assert!(read.body.contains("Use <strong>ns1</strong>."));
    assert_eq!(
        browser
            .get(&format!("/knowledgebase/article/{hidden}"))
            .await
            .status,
        404
    );
    let found = browser.get("/knowledgebase/search?q=domain").await;
    assert!(found.body.contains("1 article for"));
    assert!(!found.body.contains("Reseller"));
    let empty = browser.get("/knowledgebase/search").await;
    assert_eq!(empty.status, 200);
    let long = browser
        .get(&format!("/knowledgebase/search?q={}", "a".repeat(201)))
        .await;
    assert_eq!(long.status, 422);
    assert!(long.body.contains("must be at most 200 characters"));
    assert_eq!(
        browser.get("/knowledgebase/no-such-thing").await.status,
        404
    );

    app.customer("reader@example.com").await;
    browser.login("reader@example.com", PASSWORD).await;
    let read = browser
        .get(&format!("/knowledgebase/article/{hidden}"))
        .await;
    assert_eq!(read.status, 200);
    assert!(read.body.contains("Log out"), "the logged-in layout");
    let found = browser.get("/knowledgebase/search?q=domain").await;
    assert!(found.body.contains("2 articles for"));
}

#[tokio::test]
async fn the_helpful_vote_takes_a_csrf_token_and_a_customer_changes_their_vote() {
    let app = TestApp::spawn();
    let key = app.kb_key();
    let c = public_category(&app, &key, "Billing").await;
    let id = article(&app, &key, c, "Pay an invoice", "By card.", "public").await;
    let page = format!("/knowledgebase/article/{id}");
    let action = format!("{page}/vote");
    let mut anon = Browser::new(&app);

    let forged = anon
        .post(&action, &[("helpful", "yes"), ("csrf", "guess")])
        .await;
    assert_eq!(forged.status, 403);
    let bad = anon.submit(&page, &action, &[("helpful", "maybe")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("choose yes or no"));
    let voted = anon.submit(&page, &action, &[("helpful", "yes")]).await;
    assert_eq!(voted.status, 303);
    assert_eq!(voted.location(), format!("{page}?voted=1#helpful"));
    let again = anon.submit(&page, &action, &[("helpful", "yes")]).await;
    assert_eq!(
        again.status, 429,
        "one anonymous vote per article and address a day"
    );
    assert!(again.body.contains("Too many attempts"));

    app.customer("voter@example.com").await;
    let mut customer = Browser::new(&app);
    customer.login("voter@example.com", PASSWORD).await;
    customer.submit(&page, &action, &[("helpful", "yes")]).await;
    customer.submit(&page, &action, &[("helpful", "no")]).await;
    let shown = customer.get(&format!("{page}?voted=1")).await;
    assert!(shown.body.contains("Thank you for your feedback."));
    assert!(
        shown.body.contains("1 found this helpful, 1 did not."),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("value=\"no\" aria-pressed=\"true\""));
    let api = app
        .read_ok(&format!("/api/v1/knowledgebase/article/{id}"), None)
        .await;
    assert_eq!(api["data"]["helpful"], json!({ "yes": 1, "no": 1 }));
}

#[tokio::test]
async fn the_news_pages_show_what_is_published() {
    let app = TestApp::spawn();
    let key = app.kb_key();
    let now = announce(&app, &key, "We moved", "New *address*.", None).await;
    let later = announce(
        &app,
        &key,
        "Next year",
        "Soon.",
        Some("2027-01-01T00:00:00Z"),
    )
    .await;
    let mut browser = Browser::new(&app);
    let list = browser.get("/news").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("We moved") && !list.body.contains("Next year"));
    assert!(list.body.contains("href=\"/news/feed.atom\""));
    let item = browser.get(&format!("/news/{now}")).await;
    assert!(item.body.contains("New <em>address</em>."));
    assert_eq!(browser.get(&format!("/news/{later}")).await.status, 404);
    assert_eq!(browser.get("/news/x").await.status, 404);
}

#[tokio::test]
async fn staff_write_a_category_and_an_article_with_a_preview_first() {
    let app = TestApp::spawn();
    let mut staff = admin(&app).await;
    let key = app.kb_key();
    let home = staff.get("/admin").await;
    assert!(home.body.contains("href=\"/admin/knowledgebase\""));

    let new = "/admin/knowledgebase/categories/new";
    let preview = staff
        .submit(
            new,
            new,
            &[
                ("intent", "preview"),
                ("name", "Billing"),
                ("description", "Pay *fast*"),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("<p>Pay <em>fast</em></p>"));
    assert_eq!(
        ok(&app, "GET", "/api/v1/kb-categories", &key, None, 200).await["data"]
            .as_array()
            .unwrap()
            .len(),
        0,
        "a preview saves nothing"
    );
    let bad = staff
        .submit(
            new,
            new,
            &[("intent", "save"), ("name", ""), ("visibility", "public")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Please correct the fields marked below."));
    assert!(bad.body.contains("is required"));
    let bad = staff
        .submit(
            new,
            new,
            &[
                ("intent", "save"),
                ("name", "Billing"),
                ("sort_order", "soon"),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("must be a whole number"));
    assert!(
        bad.body.contains("value=\"Billing\""),
        "what was typed stays"
    );
    let saved = staff
        .submit(
            new,
            new,
            &[
                ("intent", "save"),
                ("name", "Billing"),
                ("description", "Pay"),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303);
    assert_eq!(saved.location(), "/admin/knowledgebase?done=category-saved");
    let cats = ok(&app, "GET", "/api/v1/kb-categories", &key, None, 200).await;
    let cat = cats["data"][0]["id"].as_i64().unwrap();

    let new = "/admin/knowledgebase/articles/new";
    let cat_s = cat.to_string();
    let preview = staff
        .submit(
            new,
            new,
            &[
                ("intent", "preview"),
                ("category_id", &cat_s),
                ("title", "Pay"),
                ("body", "## Card\n\nPay **now**"),
                ("visibility", "public"),
            ],
        )
        .await;
    assert!(
        preview
            .body
            .contains("<h2>Card</h2>\n<p>Pay <strong>now</strong></p>"),
        "{}",
        preview.body
    );
    let bad = staff
        .submit(
            new,
            new,
            &[
                ("intent", "save"),
                ("category_id", ""),
                ("title", "Pay"),
                ("body", "B"),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("choose a category"));
    let saved = staff
        .submit(
            new,
            new,
            &[
                ("intent", "save"),
                ("category_id", &cat_s),
                ("title", "Pay an invoice"),
                ("body", "By card."),
                ("visibility", "logged_in"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303);
    let overview = staff.get("/admin/knowledgebase?done=article-saved").await;
    assert!(overview.body.contains("The article was saved."));
    assert!(overview.body.contains("Pay an invoice"));
    let list = ok(&app, "GET", "/api/v1/kb-articles", &key, None, 200).await;
    let id = list["data"][0]["id"].as_i64().unwrap();
    assert_eq!(list["data"][0]["visibility"], "logged_in");

    // Editing shows what is stored; deleting a category with an article
    // re-renders its form with the reason.
    let edit = staff
        .get(&format!("/admin/knowledgebase/articles/{id}"))
        .await;
    assert!(edit.body.contains("By card.</textarea>"));
    let cat_page = format!("/admin/knowledgebase/categories/{cat}");
    let refused = staff
        .submit(&cat_page, &format!("{cat_page}/delete"), &[])
        .await;
    assert_eq!(refused.status, 409);
    assert!(refused.body.contains("move or delete them first"));
    let gone = staff
        .submit(
            &format!("/admin/knowledgebase/articles/{id}"),
            &format!("/admin/knowledgebase/articles/{id}/delete"),
            &[],
        )
        .await;
    assert_eq!(gone.status, 303);
    assert_eq!(
        staff
            .submit(&cat_page, &format!("{cat_page}/delete"), &[])
            .await
            .status,
        303
    );
}

#[tokio::test]
async fn staff_schedule_news_from_the_editor() {
    let app = TestApp::spawn();
    let mut staff = support(&app).await;
    let new = "/admin/news/new";
    let preview = staff
        .submit(
            new,
            new,
            &[("intent", "preview"), ("title", "T"), ("body", "*Soon*")],
        )
        .await;
    assert!(preview.body.contains("<p><em>Soon</em></p>"));
    let bad = staff
        .submit(
            new,
            new,
            &[
                ("intent", "save"),
                ("title", "T"),
                ("body", "B"),
                ("published_at", "tomorrow"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("must be a date and time"));
    let saved = staff
        .submit(
            new,
            new,
            &[
                ("intent", "save"),
                ("title", "Maintenance"),
                ("body", "Sunday."),
                ("published_at", "2026-02-01T08:00"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "support staff write news");
    let list = staff.get("/admin/news").await;
    assert!(list.body.contains("Maintenance") && list.body.contains("scheduled"));
    assert!(
        !Browser::new(&app)
            .get("/news")
            .await
            .body
            .contains("Maintenance")
    );
}

#[tokio::test]
async fn the_editors_are_for_staff_only_and_check_csrf() {
    let app = TestApp::spawn();
    let key = app.kb_key();
    category(&app, &key, json!({ "name": "Billing" })).await;
    let mut anon = Browser::new(&app);
    for path in [
        "/admin/knowledgebase",
        "/admin/knowledgebase/categories/new",
        "/admin/news",
        "/admin/news/new",
    ] {
        let res = anon.get(path).await;
        assert_eq!(res.status, 303, "{path}");
        assert_eq!(res.location(), "/admin/login");
    }
    app.customer("c@example.com").await;
    let mut customer = Browser::new(&app);
    customer.login("c@example.com", PASSWORD).await;
    assert_eq!(
        customer.get("/admin/knowledgebase").await.location(),
        "/admin/login"
    );
    let mut staff = admin(&app).await;
    let forged = staff
        .post(
            "/admin/knowledgebase/categories/new",
            &[("csrf", "forged"), ("name", "X"), ("visibility", "public")],
        )
        .await;
    assert_eq!(forged.status, 403);
    let forged = staff
        .post("/admin/news/new", &[("title", "X"), ("body", "Y")])
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(
        ok(&app, "GET", "/api/v1/announcements", &key, None, 200).await["meta"]["total"],
        0
    );
    assert_eq!(
        staff.get("/admin/knowledgebase/articles/999").await.status,
        404
    );
}
