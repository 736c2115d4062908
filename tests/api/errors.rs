//! The error envelope: `/api` answers JSON `{"message","code"}` with the
//! right status; browser routes answer HTML pages.

use crate::support::{TestApp, json_with_status};

#[tokio::test]
async fn an_unknown_api_route_is_404_route_not_found() {
    let app = TestApp::spawn();
    for path in [
        "/api/v1/nope",
        "/api/v1/clients/1/nothing",
        "/api/unknown",
        "/api",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.headers()["content-type"], "application/json", "{path}");
        let body = json_with_status(res, 404).await;
        assert_eq!(body["code"], "route_not_found", "{path}");
        assert!(body["message"].is_string());
    }
}

#[tokio::test]
async fn a_known_route_with_the_wrong_method_is_405_with_allow() {
    let app = TestApp::spawn();
    let res = app
        .http
        .delete(app.url("/api/v1/status"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["allow"], "GET");
    let body = json_with_status(res, 405).await;
    assert_eq!(body["code"], "method_not_allowed");
}

#[tokio::test]
async fn a_body_over_the_configured_limit_is_413() {
    let app = TestApp::builder()
        .config(|c| c.http.body_limit_kib = 1)
        .spawn();
    let big = format!("{{\"pad\":\"{}\"}}", "x".repeat(4096));
    let res = app
        .http
        .post(app.url("/api/v1/status"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    let body = json_with_status(res, 413).await;
    assert_eq!(body["code"], "payload_too_large");
}

#[tokio::test]
async fn browser_routes_get_html_error_pages() {
    let app = TestApp::spawn();
    let res = app.get("/no/such/page").await;
    assert_eq!(res.status(), 404);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = res.text().await.unwrap();
    assert!(html.contains("<h1>Not Found</h1>"), "{html}");
}
