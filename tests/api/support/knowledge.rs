//! The knowledgebase and news: staff writing categories, articles and
//! announcements through the staff API, and readers' requests with or
//! without a token.

use serde_json::{Value, json};

use super::{TestApp, json_with_status, staff_post};

/// The scopes a support member's key holds for the knowledgebase.
pub const SUPPORT_SCOPES: [&str; 2] = ["support:read", "support:write"];

#[allow(dead_code)]
impl TestApp {
    /// A staff key that may write the knowledgebase and news.
    pub fn kb_key(&self) -> String {
        self.staff_key(&SUPPORT_SCOPES)
    }

    /// A reader's GET: anonymous with `token: None`.
    pub async fn read(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut req = self.http.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap()
    }

    /// A reader's GET whose answer must be 200; its JSON.
    pub async fn read_ok(&self, path: &str, token: Option<&str>) -> Value {
        json_with_status(self.read(path, token).await, 200).await
    }
}

/// Make a category (`body` as the staff API takes it); its id.
#[allow(dead_code)]
pub async fn category(app: &TestApp, key: &str, body: Value) -> i64 {
    let res = staff_post(app, key, "/api/v1/kb-categories", body).await;
    json_with_status(res, 201).await["data"]["id"]
        .as_i64()
        .unwrap()
}

/// A public top-level category named `name`; its id.
#[allow(dead_code)]
pub async fn public_category(app: &TestApp, key: &str, name: &str) -> i64 {
    category(app, key, json!({ "name": name })).await
}

/// Write an article; its id.
#[allow(dead_code)]
pub async fn article(
    app: &TestApp,
    key: &str,
    category_id: i64,
    title: &str,
    body: &str,
    visibility: &str,
) -> i64 {
    let res = staff_post(
        app,
        key,
        "/api/v1/kb-articles",
        json!({ "category_id": category_id, "title": title, "body": body, "visibility": visibility }),
    )
    .await;
    json_with_status(res, 201).await["data"]["id"]
        .as_i64()
        .unwrap()
}

/// Publish an announcement (at `published_at`, or now); its id.
#[allow(dead_code)]
pub async fn announce(
    app: &TestApp,
    key: &str,
    title: &str,
    body: &str,
    published_at: Option<&str>,
) -> i64 {
    let res = staff_post(
        app,
        key,
        "/api/v1/announcements",
        json!({ "title": title, "body": body, "published_at": published_at }),
    )
    .await;
    json_with_status(res, 201).await["data"]["id"]
        .as_i64()
        .unwrap()
}
