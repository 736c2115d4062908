//! Requests: reading a JSON answer with its status, the app's plain and
//! bearer requests, a client-scoped call, and staff requests.

use serde_json::Value;

use super::{Customer, TestApp};

/// The JSON body of a response, asserting its status first.
pub async fn json_with_status(res: reqwest::Response, status: u16) -> serde_json::Value {
    let actual = res.status().as_u16();
    let text = res.text().await.unwrap();
    assert_eq!(actual, status, "unexpected status; body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[allow(dead_code)]
impl TestApp {
    pub async fn post_json(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get_auth(&self, path: &str, token: &str) -> reqwest::Response {
        self.http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }
}

/// A request under the customer's client, `/api/v1/clients/{client}{path}`,
/// with the customer's bearer token.
pub async fn call(
    app: &TestApp,
    c: &Customer,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = app
        .http
        .request(
            method.parse().unwrap(),
            app.url(&format!("/api/v1/clients/{}{path}", c.client_id)),
        )
        .bearer_auth(&c.access);
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

/// A request with a staff key (`method` as text, an optional JSON body).
pub async fn staff_send(
    app: &TestApp,
    method: &str,
    path: &str,
    key: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = app
        .http
        .request(method.parse().unwrap(), app.url(path))
        .bearer_auth(key);
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

/// A staff request whose answer must have `status`; answers its JSON.
pub async fn ok(
    app: &TestApp,
    method: &str,
    path: &str,
    key: &str,
    body: Option<Value>,
    status: u16,
) -> Value {
    json_with_status(staff_send(app, method, path, key, body).await, status).await
}

/// `POST path` with a staff key and a JSON body.
pub async fn staff_post(app: &TestApp, key: &str, path: &str, body: Value) -> reqwest::Response {
    app.http
        .post(app.url(path))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap()
}
