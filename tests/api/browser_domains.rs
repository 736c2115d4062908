//! A customer manages a domain in a real browser (headless Chromium, see
//! `browser.rs`): from the domains list to the domain's page, new
//! nameservers typed and saved (and queued for the registrar), then
//! auto-renew turned off; the API sees both.

use fantoccini::Locator;
use serde_json::json;

use crate::{
    browser::{
        browser_installed, enter_password, fill, in_browser, submit, text_of, wait_for,
        wait_for_path,
    },
    support::{TestApp, json_with_status, money},
};

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_changes_nameservers_and_turns_auto_renew_off_in_a_real_browser() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::with_catalog();
    let staff = app.staff_key(&["services:read", "services:write", "billing:write"]);
    let c = app.customer("browser-domains@example.com").await;
    let placed = app
        .place_order(
            &c,
            "browser-domain",
            json!({"items": [{"type": "domain", "domain": "clicked-through.org", "domain_option": "register", "years": 1}]}),
        )
        .await;
    let invoice = placed["invoice"]["id"].as_i64().unwrap();
    let total = placed["invoice"]["total"]["amount_minor"].as_i64().unwrap();
    assert_eq!(
        app.staff_pay(&staff, invoice, &money(total), "T-browser")
            .await
            .status(),
        200
    );
    till::jobs::registrar_tasks::run(app.state.clone(), app.state.now())
        .await
        .unwrap();
    // No registrar serves .org here: staff registered it by hand.
    let listed = json_with_status(app.get_auth("/api/v1/domains", &staff).await, 200).await;
    let id = listed["data"][0]["id"].as_i64().unwrap();
    let marked = app
        .http
        .post(app.url(&format!("/api/v1/domains/{id}/registered")))
        .bearer_auth(&staff)
        .json(&json!({"expiry_date": "2027-06-30"}))
        .send()
        .await
        .unwrap();
    assert_eq!(marked.status(), 200);

    let page = format!("/account/domains/{id}");
    in_browser(|browser| {
        let (app, c, page) = (&app, &c, page.clone());
        async move {
            enter_password(app, &browser, c).await;
            wait_for_path(&browser, "/account").await;
            browser.goto(&app.url("/account/domains")).await.unwrap();
            wait_for(&browser, &format!("a[href='{page}']"))
                .await
                .click()
                .await
                .unwrap();
            wait_for_path(&browser, &page).await;
            assert_eq!(text_of(&browser, "#domain-expiry").await, "2027-06-30");

            fill(
                &browser,
                "nameservers-input",
                "ns1.Clicked.example\nns2.clicked.example",
            )
            .await;
            submit(&browser, &format!("{page}/nameservers")).await;
            wait_for_path(&browser, &page).await;
            let saved = wait_for(&browser, "#nameservers-input")
                .await
                .prop("value")
                .await
                .unwrap();
            assert_eq!(
                saved.as_deref(),
                Some("ns1.clicked.example\nns2.clicked.example")
            );

            browser
                .find(Locator::Id("auto-renew-off"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_for(&browser, "#auto-renew-on").await;
            assert_eq!(text_of(&browser, "#domain-auto-renew").await, "off");
        }
    })
    .await;

    let d = json_with_status(
        app.get_auth(&format!("/api/v1/domains/{id}"), &staff).await,
        200,
    )
    .await;
    assert_eq!(
        d["data"]["nameservers"],
        json!(["ns1.clicked.example", "ns2.clicked.example"])
    );
    assert_eq!(d["data"]["auto_renew"], false);
    assert!(
        d["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["action"] == "nameservers"),
        "{d}"
    );
}
