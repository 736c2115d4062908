//! A customer opens a ticket with a file in a real browser (headless
//! Chromium, see `browser.rs`), and sees staff's reply on the ticket's
//! page after staff answered.

use fantoccini::Locator;
use serde_json::json;

use crate::{
    browser::{
        browser_installed, enter_password, fill, in_browser, submit, text_of, wait_for,
        wait_for_path,
    },
    support::{TestApp, ok},
    support_tickets::PNG,
};

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_opens_a_ticket_with_a_screenshot_and_reads_the_staff_reply() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::with_catalog();
    let key = app.staff_key(&["support:read", "support:write"]);
    let c = app.customer("browser-ticket@example.com").await;
    let dir = tempfile::tempdir().unwrap();
    let shot = dir.path().join("screenshot.png");
    std::fs::write(&shot, PNG).unwrap();

    in_browser(|browser| {
        let (app, c, key, shot) = (&app, &c, key.clone(), shot.clone());
        async move {
            enter_password(app, &browser, c).await;
            wait_for_path(&browser, "/account").await;
            browser.goto(&app.url("/account/tickets")).await.unwrap();
            wait_for(&browser, "#open-ticket")
                .await
                .click()
                .await
                .unwrap();
            wait_for_path(&browser, "/account/tickets/new").await;
            fill(&browser, "subject", "Site shows a blank page").await;
            fill(
                &browser,
                "message",
                "Since this morning; screenshot attached.",
            )
            .await;
            browser
                .find(Locator::Id("attachments"))
                .await
                .unwrap()
                .send_keys(shot.to_str().unwrap())
                .await
                .unwrap();
            submit(&browser, "/account/tickets/new").await;
            wait_for(&browser, "#ticket-number").await;
            let url = browser.current_url().await.unwrap();
            let id: i64 = url
                .path()
                .trim_start_matches("/account/tickets/")
                .parse()
                .unwrap();
            assert!(
                text_of(&browser, "#thread")
                    .await
                    .contains("screenshot.png")
            );

            let staff_view = ok(
                app,
                "GET",
                &format!("/api/v1/tickets/{id}"),
                &key,
                None,
                200,
            )
            .await;
            let file = &staff_view["data"]["messages"][0]["attachments"][0];
            assert_eq!(file["name"], "screenshot.png");
            assert_eq!(file["size"], PNG.len());
            ok(
                app,
                "POST",
                &format!("/api/v1/tickets/{id}/reply"),
                &key,
                Some(json!({"message": "The PHP version changed; we switched it back."})),
                200,
            )
            .await;

            browser
                .goto(&app.url(&format!("/account/tickets/{id}")))
                .await
                .unwrap();
            let thread = text_of(&browser, "#thread").await;
            assert!(thread.contains("we switched it back"), "{thread}");
            assert_eq!(text_of(&browser, "#ticket-status").await, "Answered");
        }
    })
    .await;
}
