//! `GET /api/v1/status`, `/healthz`, `/metrics`, and what every response
//! carries.

use crate::support::{TestApp, json_with_status};

#[tokio::test]
async fn status_reports_version_time_from_the_clock_and_maintenance_mode() {
    let app = TestApp::spawn();
    let body = json_with_status(app.get("/api/v1/status").await, 200).await;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["api_version"], "v1");
    assert_eq!(body["time"], "2026-01-15T10:00:00Z");
    assert_eq!(body["maintenance_mode"], false);

    app.clock.advance(jiff::SignedDuration::from_hours(48));
    let body = json_with_status(app.get("/api/v1/status").await, 200).await;
    assert_eq!(body["time"], "2026-01-17T10:00:00Z");
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_the_security_headers() {
    let app = TestApp::spawn();
    let mut ids = Vec::new();
    for path in [
        "/api/v1/status",
        "/",
        "/no/such/page",
        "/api/v1/nope",
        "/healthz",
    ] {
        let res = app.get(path).await;
        let h = res.headers();
        let id = h
            .get("x-request-id")
            .expect("x-request-id")
            .to_str()
            .unwrap();
        assert_eq!(id.len(), 32, "{path}");
        ids.push(id.to_string());
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert!(h.contains_key("referrer-policy"), "{path}");
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5, "request ids must be unique");
}

#[tokio::test]
async fn healthz_checks_the_database() {
    let app = TestApp::spawn();
    let body = json_with_status(app.get("/healthz").await, 200).await;
    assert_eq!(body["database"], "ok");
}

#[tokio::test]
async fn metrics_are_prometheus_text_labelled_by_route_pattern() {
    let app = TestApp::spawn();
    app.get("/api/v1/status").await;
    app.get("/random/path/12345").await;
    let res = app.get("/metrics").await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    assert!(
        text.contains("# TYPE till_http_requests_total counter"),
        "{text}"
    );
    assert!(text.contains("endpoint=\"/api/v1/status\""), "{text}");
    assert!(
        !text.contains("/random/path/12345"),
        "raw paths must not become labels"
    );
}

#[tokio::test]
async fn maintenance_mode_refuses_changes_but_not_reads() {
    let app = TestApp::builder()
        .config(|c| c.maintenance_mode = true)
        .spawn();
    let body = json_with_status(app.get("/api/v1/status").await, 200).await;
    assert_eq!(body["maintenance_mode"], true);

    let res = app
        .http
        .post(app.url("/api/v1/status"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    let body = json_with_status(res, 503).await;
    assert_eq!(body["code"], "maintenance_mode");
}
