//! Paying an invoice by card in the client area: till sends the customer to
//! the gateway's hosted page, the customer pays there, and on the way back
//! till asks the gateway (the return alone proves nothing).

use crate::support::{
    Browser,
    gateways::{order, world},
};

const PASSWORD: &str = "correct horse battery staple";

/// Where the "continue to payment" page sends the browser.
fn continue_url(body: &str) -> String {
    let url = body
        .split("id=\"continue\"")
        .next()
        .unwrap()
        .rsplit("href=\"")
        .next()
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(body.contains(&format!("content=\"0;url={url}\"")), "{body}");
    url.replace("&amp;", "&")
}

/// Follow the gateway's hosted page as a browser would: open it, press
/// "Pay", and answer where the gateway sends the customer back.
async fn pay_on_gateway_page(page_url: &str) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = http.get(page_url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("id=\"pay\""));
    let paid = http.post(page_url).send().await.unwrap();
    assert!(paid.status().is_redirection(), "{}", paid.status());
    paid.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn a_customer_pays_with_stripe_checkout_and_the_invoice_is_paid() {
    let w = world();
    let c = w.app.customer("hosted@example.com").await;
    let inv = order(&w.app, &c, "o-1").await;
    let mut browser = Browser::new(&w.app);
    browser.login(&c.email, PASSWORD).await;
    let page = browser.get(&format!("/account/invoices/{inv}")).await;
    assert!(page.body.contains("id=\"pay-stripe\""), "{}", page.body);
    assert!(page.body.contains("id=\"pay-paystack\""));
    let pay_key = page.input_value("pay_key");
    let csrf = page.csrf();

    // No webhook this time: the return trip alone must settle it.
    let started = browser
        .post(
            &format!("/account/invoices/{inv}/pay"),
            &[
                ("csrf", &csrf),
                ("gateway", "stripe"),
                ("pay_key", &pay_key),
            ],
        )
        .await;
    assert_eq!(started.status, 200, "{}", started.body);
    let gateway_page = continue_url(&started.body);
    assert!(gateway_page.starts_with(&w.stripe.url), "{gateway_page}");
    // A double click opens the same session, not a second one.
    let again = browser
        .post(
            &format!("/account/invoices/{inv}/pay"),
            &[
                ("csrf", &csrf),
                ("gateway", "stripe"),
                ("pay_key", &pay_key),
            ],
        )
        .await;
    assert_eq!(continue_url(&again.body), gateway_page);

    let back = pay_on_gateway_page(&gateway_page).await;
    let path = back.trim_start_matches(&w.app.url(""));
    assert!(path.starts_with("/account/payments/return/"), "{back}");
    let returned = browser.get(path).await;
    assert_eq!(returned.status, 303);
    assert_eq!(
        returned.location(),
        format!("/account/invoices/{inv}?done=paid")
    );
    let shown = browser.get(returned.location()).await;
    assert!(shown.body.contains("your payment was received"));
    assert!(
        shown
            .body
            .contains("<strong id=\"invoice-status\">paid</strong>")
    );
    assert!(!shown.body.contains("id=\"pay-stripe\""));
}

#[tokio::test]
async fn a_customer_pays_with_paystack_and_the_webhook_and_the_return_settle_it_once() {
    let w = world();
    w.paystack
        .set_webhook_target(&w.app.url("/api/v1/webhooks/paystack"));
    let c = w.app.customer("ps-page@example.com").await;
    let inv = order(&w.app, &c, "o-1").await;
    let mut browser = Browser::new(&w.app);
    browser.login(&c.email, PASSWORD).await;
    let page = browser.get(&format!("/account/invoices/{inv}")).await;
    let started = browser
        .post(
            &format!("/account/invoices/{inv}/pay"),
            &[
                ("csrf", &page.csrf()),
                ("gateway", "paystack"),
                ("pay_key", &page.input_value("pay_key")),
            ],
        )
        .await;
    assert_eq!(started.status, 200, "{}", started.body);
    let back = pay_on_gateway_page(&continue_url(&started.body)).await;
    let delivered = w.paystack.deliveries();
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0].status, Some(200), "{delivered:?}");
    let path = back.trim_start_matches(&w.app.url(""));
    let returned = browser.get(path).await;
    assert_eq!(
        returned.location(),
        format!("/account/invoices/{inv}?done=paid")
    );
    let payments = w
        .app
        .get_auth(
            &format!("/api/v1/clients/{}/payments", c.client_id),
            &c.access,
        )
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(payments["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn another_accounts_payment_return_is_not_found() {
    let w = world();
    let c = w.app.customer("owner@example.com").await;
    let inv = order(&w.app, &c, "o-1").await;
    let mut owner = Browser::new(&w.app);
    owner.login(&c.email, PASSWORD).await;
    let page = owner.get(&format!("/account/invoices/{inv}")).await;
    let started = owner
        .post(
            &format!("/account/invoices/{inv}/pay"),
            &[
                ("csrf", &page.csrf()),
                ("gateway", "stripe"),
                ("pay_key", "k"),
            ],
        )
        .await;
    assert_eq!(started.status, 200);
    let other = w.app.customer("thief@example.com").await;
    let mut thief = Browser::new(&w.app);
    thief.login(&other.email, PASSWORD).await;
    assert_eq!(thief.get("/account/payments/return/1").await.status, 404);
    let page = thief.get("/account/invoices").await;
    let res = thief
        .post(
            &format!("/account/invoices/{inv}/pay"),
            &[
                ("csrf", &page.csrf()),
                ("gateway", "stripe"),
                ("pay_key", "k2"),
            ],
        )
        .await;
    assert_eq!(res.status, 404);
    // Without the CSRF token nothing starts.
    let res = owner
        .post(
            &format!("/account/invoices/{inv}/pay"),
            &[("gateway", "stripe")],
        )
        .await;
    assert_eq!(res.status, 403);
}
