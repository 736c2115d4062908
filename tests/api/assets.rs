//! Embedded static files: Content-Type, ETag / 304, and long caching for
//! fingerprinted names only.

use crate::support::TestApp;

#[tokio::test]
async fn assets_have_their_content_type_and_an_etag_that_gives_304() {
    let app = TestApp::spawn();
    for (path, mime) in [
        ("/static/css/till.css", "text/css; charset=utf-8"),
        ("/static/js/htmx.min.js", "text/javascript; charset=utf-8"),
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["content-type"], mime, "{path}");
        assert_eq!(res.headers()["cache-control"], "public, no-cache", "{path}");
        let etag = res.headers()["etag"].to_str().unwrap().to_string();

        let again = app
            .http
            .get(app.url(path))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
        assert!(again.bytes().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn pages_link_fingerprinted_assets_which_are_cached_for_a_year() {
    let app = TestApp::spawn();
    let html = app.get("/").await.text().await.unwrap();
    let href = html
        .split("href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .find(|h| h.starts_with("/static/css/till."))
        .expect("till.css linked");
    assert_ne!(href, "/static/css/till.css", "link must be fingerprinted");
    let res = app.get(href).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(res.headers()["content-type"], "text/css; charset=utf-8");
}

#[tokio::test]
async fn a_stale_fingerprint_gets_the_file_but_not_the_forever_cache() {
    let app = TestApp::spawn();
    let res = app.get("/static/css/till.0000000000.css").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "public, no-cache");
}

#[tokio::test]
async fn a_missing_asset_is_404() {
    let app = TestApp::spawn();
    assert_eq!(app.get("/static/css/nope.css").await.status(), 404);
    assert_eq!(app.get("/static/../Cargo.toml").await.status(), 404);
}
