//! Staff writing the knowledgebase through the API: the support scopes,
//! every field checked (a 422 naming it, and nothing changes), nesting
//! one level, deleting only what is empty, and an audit row per change.

use serde_json::{Value, json};

use crate::support::{
    TestApp, json_with_status,
    knowledge::{article, category, public_category},
    ok, staff_post, staff_send,
};

async fn categories(app: &TestApp, key: &str) -> Vec<Value> {
    ok(app, "GET", "/api/v1/kb-categories", key, None, 200).await["data"]
        .as_array()
        .unwrap()
        .clone()
}

async fn refused(res: reqwest::Response, field: &str) {
    let body = json_with_status(res, 422).await;
    assert_eq!(body["code"], "validation_failed");
    assert!(
        body["errors"][field].is_array(),
        "no error for {field}: {body}"
    );
}

#[tokio::test]
async fn the_knowledgebase_needs_the_support_scopes() {
    let app = TestApp::spawn();
    let none = app.staff_key(&["clients:read"]);
    let read = app.staff_key(&["support:read"]);
    let write = app.kb_key();
    let id = public_category(&app, &write, "Billing").await;
    for path in [
        "/api/v1/kb-categories",
        "/api/v1/kb-articles",
        "/api/v1/announcements",
    ] {
        assert_eq!(
            staff_send(&app, "GET", path, &none, None).await.status(),
            403,
            "{path}"
        );
        assert_eq!(
            staff_send(&app, "GET", path, &read, None).await.status(),
            200,
            "{path}"
        );
    }
    let body = json!({ "name": "Domains" });
    assert_eq!(
        staff_post(&app, &read, "/api/v1/kb-categories", body.clone())
            .await
            .status(),
        403
    );
    let body = json!({ "category_id": id, "title": "T", "body": "B" });
    assert_eq!(
        staff_post(&app, &read, "/api/v1/kb-articles", body)
            .await
            .status(),
        403
    );
    let body = json!({ "title": "T", "body": "B" });
    assert_eq!(
        staff_post(&app, &read, "/api/v1/announcements", body)
            .await
            .status(),
        403
    );
    let path = format!("/api/v1/kb-categories/{id}");
    assert_eq!(
        staff_send(&app, "DELETE", &path, &read, None)
            .await
            .status(),
        403
    );
    // A customer's token is not a staff key.
    let c = app.customer("c@example.com").await;
    assert_eq!(
        staff_send(&app, "GET", "/api/v1/kb-categories", &c.access, None)
            .await
            .status(),
        403
    );
    // Support staff hold both scopes.
    use till::domain::{scopes::Scope, staff::StaffRole};
    assert!(Scope::SupportRead.allowed_for(StaffRole::Support));
    assert!(Scope::SupportWrite.allowed_for(StaffRole::Support));
}

#[tokio::test]
async fn every_category_field_is_checked_and_a_refused_one_changes_nothing() {
    let app = TestApp::spawn();
    let key = app.kb_key();
    let billing = category(
        &app,
        &key,
        json!({ "name": "Billing", "description": "Invoices *and* payments" }),
    )
    .await;
    let post = |body: Value| staff_post(&app, &key, "/api/v1/kb-categories", body);
    refused(post(json!({ "name": "" })).await, "name").await;
    refused(post(json!({ "name": "x".repeat(121) })).await, "name").await;
    refused(post(json!({ "name": "Tab\tname" })).await, "name").await;
    refused(
        post(json!({ "name": "Other", "visibility": "private" })).await,
        "visibility",
    )
    .await;
    refused(
        post(json!({ "name": "Other", "slug": "Not A Slug" })).await,
        "slug",
    )
    .await;
    refused(
        post(json!({ "name": "Other", "slug": "search" })).await,
        "slug",
    )
    .await;
    refused(
        post(json!({ "name": "Other", "slug": "2026" })).await,
        "slug",
    )
    .await;
    refused(post(json!({ "name": "Billing" })).await, "slug").await;
    refused(post(json!({ "name": "!!!" })).await, "slug").await;
    refused(
        post(json!({ "name": "Other", "parent_id": 999 })).await,
        "parent_id",
    )
    .await;
    refused(
        post(json!({ "name": "Other", "description": "d".repeat(10_001) })).await,
        "description",
    )
    .await;
    let res = post(json!({ "name": "Other", "sort_order": "first" })).await;
    assert_eq!(res.status(), 422, "a sort order is a number");
    assert_eq!(categories(&app, &key).await.len(), 1, "nothing was added");

    // A category with subcategories stays top-level; none is its own parent.
    let domains = public_category(&app, &key, "Domains").await;
    category(
        &app,
        &key,
        json!({ "name": "Transfers", "parent_id": domains }),
    )
    .await;
    let put = |id: i64, body: Value| {
        let (app, key) = (&app, key.clone());
        async move {
            let path = format!("/api/v1/kb-categories/{id}");
            staff_send(app, "PUT", &path, &key, Some(body)).await
        }
    };
    refused(
        put(domains, json!({ "name": "Domains", "parent_id": billing })).await,
        "parent_id",
    )
    .await;
    refused(
        put(billing, json!({ "name": "Billing", "parent_id": billing })).await,
        "parent_id",
    )
    .await;
    let saved = ok(
        &app,
        "GET",
        &format!("/api/v1/kb-categories/{billing}"),
        &key,
        None,
        200,
    )
    .await;
    assert_eq!(saved["data"]["description"], "Invoices *and* payments");
    assert_eq!(
        saved["data"]["description_html"],
        "<p>Invoices <em>and</em> payments</p>\n"
    );
    assert_eq!(saved["data"]["parent_id"], Value::Null);

    let moved = json_with_status(
        put(billing, json!({ "name": "Payments", "slug": "payments", "parent_id": domains, "visibility": "logged_in", "sort_order": 3 })).await,
        200,
    )
    .await;
    assert_eq!(moved["data"]["slug"], "payments");
    assert_eq!(moved["data"]["parent_id"], domains);
    assert_eq!(moved["data"]["visibility"], "logged_in");
    assert_eq!(put(999_999, json!({ "name": "Ghost" })).await.status(), 404);
    assert_eq!(app.audit_count("kb.category_created").await, 3);
    assert_eq!(app.audit_count("kb.category_updated").await, 1);
}

#[tokio::test]
async fn every_article_field_is_checked() {
    let app = TestApp::spawn();
    let key = app.kb_key();
    let c = public_category(&app, &key, "Billing").await;
    let post = |body: Value| staff_post(&app, &key, "/api/v1/kb-articles", body);
    refused(
        post(json!({ "category_id": 999, "title": "T", "body": "B" })).await,
        "category_id",
    )
    .await;
    refused(
        post(json!({ "category_id": c, "title": " ", "body": "B" })).await,
        "title",
    )
    .await;
    refused(
        post(json!({ "category_id": c, "title": "t".repeat(201), "body": "B" })).await,
        "title",
    )
    .await;
    refused(
        post(json!({ "category_id": c, "title": "T", "body": "  \n" })).await,
        "body",
    )
    .await;
    refused(
        post(json!({ "category_id": c, "title": "T", "body": "b".repeat(100_001) })).await,
        "body",
    )
    .await;
    refused(
        post(json!({ "category_id": c, "title": "T", "body": "B", "visibility": "staff" })).await,
        "visibility",
    )
    .await;
    let res = post(json!({ "title": "T", "body": "B" })).await;
    refused(res, "category_id").await;
    let list = ok(&app, "GET", "/api/v1/kb-articles", &key, None, 200).await;
    assert_eq!(list["meta"]["total"], 0, "nothing was added");

    let id = article(
        &app,
        &key,
        c,
        "Pay an invoice",
        "# Steps\n\n1. Open it",
        "logged_in",
    )
    .await;
    let got = ok(
        &app,
        "GET",
        &format!("/api/v1/kb-articles/{id}"),
        &key,
        None,
        200,
    )
    .await;
    assert_eq!(got["data"]["body"], "# Steps\n\n1. Open it");
    assert!(
        got["data"]["body_html"]
            .as_str()
            .unwrap()
            .starts_with("<h1>Steps</h1>")
    );
    assert_eq!(got["data"]["shown_as"], "logged_in");
    let list = ok(
        &app,
        "GET",
        &format!("/api/v1/kb-articles?category_id={c}"),
        &key,
        None,
        200,
    )
    .await;
    assert_eq!(list["data"][0]["id"], id);
    assert_eq!(app.audit_count("kb.article_created").await, 1);
}

#[tokio::test]
async fn only_an_empty_category_is_deleted_and_an_article_takes_its_votes_along() {
    let app = TestApp::spawn();
    let key = app.kb_key();
    let top = public_category(&app, &key, "Domains").await;
    let child = category(&app, &key, json!({ "name": "Transfers", "parent_id": top })).await;
    let id = article(
        &app,
        &key,
        child,
        "Transfer a domain in",
        "Ask for the code.",
        "public",
    )
    .await;
    let c = app.customer("v@example.com").await;
    let vote = app
        .http
        .post(app.url(&format!("/api/v1/knowledgebase/article/{id}/vote")))
        .bearer_auth(&c.access)
        .json(&json!({ "helpful": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(vote.status(), 200);

    let delete = |path: String| {
        let (app, key) = (&app, key.clone());
        async move { staff_send(app, "DELETE", &path, &key, None).await }
    };
    let res = delete(format!("/api/v1/kb-categories/{top}")).await;
    assert_eq!(json_with_status(res, 409).await["code"], "conflict");
    let res = delete(format!("/api/v1/kb-categories/{child}")).await;
    assert!(
        json_with_status(res, 409).await["message"]
            .as_str()
            .unwrap()
            .contains("articles")
    );
    assert_eq!(
        delete(format!("/api/v1/kb-articles/{id}")).await.status(),
        200
    );
    assert_eq!(
        delete(format!("/api/v1/kb-articles/{id}")).await.status(),
        404
    );
    assert_eq!(
        app.read(&format!("/api/v1/knowledgebase/article/{id}"), None)
            .await
            .status(),
        404
    );
    assert_eq!(
        delete(format!("/api/v1/kb-categories/{child}"))
            .await
            .status(),
        200
    );
    assert_eq!(
        delete(format!("/api/v1/kb-categories/{top}"))
            .await
            .status(),
        200
    );
    assert!(categories(&app, &key).await.is_empty());
    assert_eq!(app.audit_count("kb.article_deleted").await, 1);
    assert_eq!(app.audit_count("kb.category_deleted").await, 2);
}
