//! The client area's home page.

use crate::support::TestApp;

#[tokio::test]
async fn the_home_page_shows_the_company_name_from_config() {
    let app = TestApp::builder()
        .config(|c| c.company.name = "Acme <Hosting> & Co".into())
        .spawn();
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    // Shown, and escaped.
    assert!(html.contains("Acme &#60;Hosting&#62; &#38; Co"), "{html}");
    assert!(!html.contains("<Hosting>"));
    // No inline script anywhere: the CSP forbids it.
    assert!(!html.contains("<script>"));
}
