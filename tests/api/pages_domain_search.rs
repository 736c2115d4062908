//! The store's domain search (`/domains`) and the product page's "Check
//! availability" button: the same check as the API (a fake RDAP server
//! answers), shown with its price in the shown currency and, for the
//! search, the same name in the other sold TLDs.

use crate::support::{Browser, TestApp, fakes::rdap::FakeRdap};

const PASSWORD: &str = "correct horse battery staple";

fn shop() -> (TestApp, FakeRdap) {
    let rdap = FakeRdap::start();
    let base = rdap.base_url.clone();
    let app = TestApp::builder()
        .config(move |c| c.domains.rdap_base_url = base)
        .spawn();
    app.install_catalog();
    (app, rdap)
}

/// The `<tr>` of `name` in the suggestions table.
fn suggestion_row<'a>(body: &'a str, name: &str) -> &'a str {
    let at = body
        .find(&format!("<td>{name}"))
        .unwrap_or_else(|| panic!("no suggestion {name} in:\n{body}"));
    let start = body[..at].rfind("<tr").unwrap();
    let end = at + body[at..].find("</tr>").unwrap();
    &body[start..end]
}

#[tokio::test]
async fn the_search_shows_the_name_its_price_and_the_other_sold_tlds() {
    let (app, rdap) = shop();
    rdap.register("example.net");
    let mut browser = Browser::new(&app);
    let store = browser.get("/store").await;
    assert!(store.body.contains("href=\"/domains\""));
    let page = browser
        .submit("/domains", "/domains", &[("domain", "example.com")])
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<h2>example.com</h2>"), "{}", page.body);
    assert!(
        page.body
            .contains("<strong>Available</strong>: $12.99 USD for 1 year")
    );
    assert!(suggestion_row(&page.body, "example.net").contains("Registered already"));
    let org = suggestion_row(&page.body, "example.org");
    assert!(
        org.contains("Available") && org.contains("$11.99 USD for 1 year"),
        "{org}"
    );
    let mut asked = rdap.calls();
    asked.sort();
    assert_eq!(asked, vec!["example.com", "example.net", "example.org"]);
}

#[tokio::test]
async fn a_bare_name_is_searched_under_the_first_sold_tld() {
    let (app, _rdap) = shop();
    let mut browser = Browser::new(&app);
    let page = browser
        .submit("/domains", "/domains", &[("domain", "bücher")])
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<h2>bücher.com</h2>"), "{}", page.body);
    assert!(page.body.contains("<code>xn--bcher-kva.com</code>"));
    suggestion_row(&page.body, "bücher.net");
}

#[tokio::test]
async fn a_logged_in_customer_sees_prices_in_the_accounts_currency() {
    let (app, _rdap) = shop();
    let email = "eva@example.com";
    let res = app
        .post_json(
            "/api/v1/auth/signup",
            serde_json::json!({"email": email, "password": PASSWORD, "first_name": "Eva",
                "last_name": "Ries", "country": "DE", "city": "Berlin", "address1": "Linden 1",
                "postcode": "10117", "phone": "+4930123456", "currency": "EUR"}),
        )
        .await;
    assert_eq!(res.status(), 202);
    let token = app.token_in_mail(email, "/verify-email").await;
    let res = app
        .post_json(
            "/api/v1/auth/email/verify",
            serde_json::json!({ "token": token }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let mut browser = Browser::new(&app);
    browser.login(email, PASSWORD).await;
    let page = browser
        .submit("/domains", "/domains", &[("domain", "euro.com")])
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("€11.99 EUR for 1 year"), "{}", page.body);
}

#[tokio::test]
async fn a_name_that_cannot_be_checked_comes_back_with_the_fields_message() {
    let (app, rdap) = shop();
    let mut browser = Browser::new(&app);
    let page = browser
        .submit("/domains", "/domains", &[("domain", "example.uk")])
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("id=\"domain-error\""));
    assert!(page.body.contains("we do not sell .uk domains"));
    assert!(page.body.contains("value=\"example.uk\""));
    assert!(rdap.calls().is_empty());
}

#[tokio::test]
async fn a_search_without_the_forms_token_is_refused() {
    let (app, rdap) = shop();
    let mut browser = Browser::new(&app);
    let res = browser
        .post("/domains", &[("csrf", "forged"), ("domain", "example.com")])
        .await;
    assert_eq!(res.status, 403);
    assert!(rdap.calls().is_empty());
}

#[tokio::test]
async fn the_product_pages_check_button_shows_the_domains_availability() {
    let (app, rdap) = shop();
    rdap.register("taken.com");
    let mut browser = Browser::new(&app);
    let page = browser.get("/store/starter").await;
    assert!(
        page.body
            .contains("formaction=\"/store/starter/check-domain\"")
    );
    let csrf = page.csrf();
    let key = page.input_value("order_key");
    let fields = |domain: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("order_key", key.clone()),
            ("billing_cycle", "monthly".to_string()),
            ("domain_option", "register".to_string()),
            ("domain", domain.to_string()),
        ]
    };
    let post = |f: Vec<(&'static str, String)>| {
        let mut b = Browser::new(&app);
        b.cookies = browser.cookies.clone();
        async move {
            let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            b.post("/store/starter/check-domain", &refs).await
        }
    };
    let free = post(fields("free.com")).await;
    assert_eq!(free.status, 200, "{}", free.body);
    let note = &free.body[free.body.find("id=\"domain-check\"").unwrap()..];
    assert!(
        note.starts_with("id=\"domain-check\" class=\"domain-available\""),
        "{note}"
    );
    assert!(note.contains("$12.99 USD for 1 year"));
    // The form keeps what was typed, with the same order key.
    assert!(free.body.contains("value=\"free.com\""));
    assert_eq!(free.input_value("order_key"), key);

    let taken = post(fields("taken.com")).await;
    assert!(taken.body.contains("class=\"domain-unavailable\""));
    assert!(taken.body.contains("Registered already"));

    let bad = post(fields("not a domain")).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("id=\"domain-error\""));
}
