//! HTTP edges (issue 12): who may read `/metrics`, when HSTS is sent, and
//! which `X-Forwarded-For` address counts as the client's.

use crate::support::{TestApp, json_with_status};

const METRICS_TOKEN: &str = "metrics-token-for-tests-0123";

fn behind_proxy() -> TestApp {
    TestApp::builder()
        .config(|c| c.http.trusted_proxies = vec!["127.0.0.1".parse().unwrap()])
        .spawn()
}

async fn metrics(app: &TestApp, headers: &[(&str, &str)]) -> (u16, String) {
    // A request counted, so the metrics have something to show.
    app.get("/healthz").await;
    let mut req = app.http.get(app.url("/metrics"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn metrics_reached_through_a_proxy_are_refused_without_the_token() {
    let app = behind_proxy();
    // A scrape on this host's loopback, not through a proxy, is answered.
    let (status, body) = metrics(&app, &[]).await;
    assert_eq!(status, 200);
    assert!(body.contains("till_http_requests_total"), "{body}");

    // The same request relayed by the proxy for someone outside is not,
    // even when the outsider claims to be loopback.
    for forwarded in ["203.0.113.5", "127.0.0.1", "127.0.0.1, 203.0.113.5"] {
        let (status, body) = metrics(&app, &[("X-Forwarded-For", forwarded)]).await;
        assert_eq!(status, 404, "{forwarded}");
        assert!(!body.contains("till_http_requests_total"));
    }
    // A peer that is not a trusted proxy is refused whatever it sends.
    let direct = TestApp::spawn();
    let (status, _) = metrics(&direct, &[("X-Forwarded-For", "127.0.0.1")]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn metrics_open_from_anywhere_with_the_configured_bearer_token_only() {
    let app = TestApp::builder()
        .config(|c| {
            c.http.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
            c.http.metrics_token = till::config::Secret::new(METRICS_TOKEN);
        })
        .spawn();
    let outside = ("X-Forwarded-For", "203.0.113.5");
    let bearer = format!("Bearer {METRICS_TOKEN}");
    let (status, body) = metrics(&app, &[outside, ("Authorization", &bearer)]).await;
    assert_eq!(status, 200);
    assert!(body.contains("till_http_requests_total"));
    for wrong in [
        "Bearer metrics-token-for-tests-0124",
        "Bearer ",
        "Basic bWV0cmljczp4",
    ] {
        let (status, body) = metrics(&app, &[outside, ("Authorization", wrong)]).await;
        assert_eq!(status, 401, "{wrong}");
        assert!(!body.contains("till_http_requests_total"));
    }
    let (status, _) = metrics(&app, &[outside]).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn hsts_is_sent_only_when_the_request_came_over_https() {
    let hsts = |res: &reqwest::Response| {
        res.headers()
            .get("strict-transport-security")
            .map(|v| v.to_str().unwrap().to_string())
    };
    let app = behind_proxy();
    let res = app
        .http
        .get(app.url("/healthz"))
        .header("X-Forwarded-Proto", "https")
        .send()
        .await
        .unwrap();
    let value = hsts(&res).expect("HSTS behind a TLS-terminating proxy");
    assert!(value.starts_with("max-age="), "{value}");
    assert!(hsts(&app.get("/healthz").await).is_none(), "plain http");

    // A client that is not a trusted proxy cannot switch it on: over plain
    // http the header would be ignored by browsers anyway, and a claim of
    // https from anyone must change nothing.
    let direct = TestApp::spawn();
    let res = direct
        .http
        .get(direct.url("/healthz"))
        .header("X-Forwarded-Proto", "https")
        .send()
        .await
        .unwrap();
    assert!(hsts(&res).is_none());
    // The proxy's own word (the last value) counts, not what the client
    // sent ahead of it.
    let res = app
        .http
        .get(app.url("/healthz"))
        .header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Proto", "http")
        .send()
        .await
        .unwrap();
    assert!(hsts(&res).is_none());
}

#[tokio::test]
async fn a_forged_first_x_forwarded_for_line_does_not_become_the_client_ip() {
    let app = behind_proxy();
    let c = app.customer("ama@example.com").await;
    // The client sent its own header line; the proxy appended another
    // with the address it really saw.
    let res = app
        .http
        .post(app.url("/api/v1/auth/login"))
        .header("X-Forwarded-For", "6.6.6.6")
        .header("X-Forwarded-For", "198.51.100.7")
        .json(&serde_json::json!({"email": c.email, "password": c.password, "device_name": "proxied"}))
        .send()
        .await
        .unwrap();
    json_with_status(res, 200).await;
    let ip = app
        .staff_get("/api/v1/audit-log?action=auth.login&per_page=1")
        .await["data"][0]["ip"]
        .clone();
    assert_eq!(ip, "198.51.100.7");
}
