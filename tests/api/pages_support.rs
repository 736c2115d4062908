//! The support desk in the browser: a customer opens a ticket with a file
//! through the form, reads the thread, replies, closes and reopens; staff
//! work the queue, answer, note and route on the ticket page; and HTML in
//! every field a customer fills comes out escaped on every page.

use crate::support::{
    Browser, TestApp, call, json_with_status, ok,
    staff::{admin, support},
};
use crate::support_tickets::{PNG, department, open};

const PASSWORD: &str = "correct horse battery staple";

async fn customer_browser(app: &TestApp, email: &str) -> (crate::support::Customer, Browser) {
    let c = app.customer(email).await;
    let mut b = Browser::new(app);
    b.login(email, PASSWORD).await;
    (c, b)
}

fn ticket_id_of(location: &str) -> i64 {
    location
        .trim_start_matches("/account/tickets/")
        .split(['?', '/'])
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[actix_web::test]
async fn a_customer_opens_a_ticket_with_a_file_replies_closes_and_reopens() {
    let app = TestApp::with_catalog();
    let (_, mut b) = customer_browser(&app, "page-ticket@example.com").await;
    let form = b.get("/account/tickets/new").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Support") && form.body.contains("Billing"));
    let csrf = form.csrf();
    let dept = department(&app, "Billing").await.to_string();
    let res = b
        .post_multipart(
            "/account/tickets/new",
            &[
                ("csrf", &csrf),
                ("department_id", &dept),
                ("subject", "Card declined"),
                ("priority", "high"),
                ("message", "My card was declined twice."),
            ],
            &[("receipt.png", PNG)],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let id = ticket_id_of(res.location());
    let page = b.get(res.location()).await;
    assert!(
        page.body.contains("Card declined") && page.body.contains("My card was declined twice.")
    );
    assert!(page.body.contains("receipt.png"));
    let file = b.get(&format!("/account/tickets/{id}/attachments/1")).await;
    assert_eq!(file.status, 200);
    assert!(
        file.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let list = b.get("/account/tickets").await;
    assert!(list.body.contains(&format!("/account/tickets/{id}")));
    let csrf = page.csrf();
    let res = b
        .post_multipart(
            &format!("/account/tickets/{id}/reply"),
            &[("csrf", &csrf), ("message", "Any news?")],
            &[],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let res = b
        .post(&format!("/account/tickets/{id}/close"), &[("csrf", &csrf)])
        .await;
    assert_eq!(res.status, 303);
    assert!(
        b.get(&format!("/account/tickets/{id}"))
            .await
            .body
            .contains("id=\"reopen-ticket\"")
    );
    let res = b
        .post(&format!("/account/tickets/{id}/reopen"), &[("csrf", &csrf)])
        .await;
    assert_eq!(res.status, 303);
    assert!(
        b.get(&format!("/account/tickets/{id}"))
            .await
            .body
            .contains("id=\"close-ticket\"")
    );
}

#[actix_web::test]
async fn forms_without_their_token_or_with_bad_input_change_nothing() {
    let app = TestApp::builder()
        .config(|c| c.support.max_attachment_bytes = 100)
        .spawn();
    app.install_catalog();
    let (c, mut b) = customer_browser(&app, "page-bad@example.com").await;
    let dept = department(&app, "Support").await.to_string();
    let res = b
        .post_multipart(
            "/account/tickets/new",
            &[
                ("csrf", "forged"),
                ("department_id", &dept),
                ("subject", "x"),
                ("message", "y"),
            ],
            &[],
        )
        .await;
    assert_eq!(res.status, 403);
    let csrf = b.get("/account/tickets/new").await.csrf();
    let res = b
        .post_multipart(
            "/account/tickets/new",
            &[
                ("csrf", &csrf),
                ("department_id", &dept),
                ("subject", "  "),
                ("message", "kept text"),
            ],
            &[],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(
        res.body.contains("aria-invalid=\"true\"") && res.body.contains("kept text"),
        "the form comes back filled"
    );
    let big = vec![b'a'; 500];
    let res = b
        .post_multipart(
            "/account/tickets/new",
            &[
                ("csrf", &csrf),
                ("department_id", &dept),
                ("subject", "s"),
                ("message", "m"),
            ],
            &[("big.log", &big)],
        )
        .await;
    assert_eq!(res.status, 413);
    assert!(res.body.contains("big.log is larger than"), "{}", res.body);
    let list = json_with_status(call(&app, &c, "GET", "/tickets", None).await, 200).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 0);
}

#[actix_web::test]
async fn another_accounts_ticket_pages_are_404() {
    let app = TestApp::with_catalog();
    let owner = app.customer("page-owner@example.com").await;
    let t = open(&app, &owner, "Private", "mine").await;
    let id = t["id"].as_i64().unwrap();
    let (_, mut b) = customer_browser(&app, "page-other@example.com").await;
    assert_eq!(b.get(&format!("/account/tickets/{id}")).await.status, 404);
    assert_eq!(
        b.get(&format!("/account/tickets/{id}/attachments/1"))
            .await
            .status,
        404
    );
    let listed = b.get("/account/tickets").await;
    assert!(!listed.body.contains(&format!("/account/tickets/{id}")));
}

#[actix_web::test]
async fn staff_work_the_queue_and_the_ticket_page_and_notes_stay_inside() {
    let app = TestApp::with_catalog();
    let (c, mut customer) = customer_browser(&app, "page-staff@example.com").await;
    let t = open(&app, &c, "Migrate my site", "From another host").await;
    let id = t["id"].as_i64().unwrap();
    let mut staff = support(&app).await;
    let queue = staff.get("/admin/tickets").await;
    assert_eq!(queue.status, 200);
    assert!(
        queue.body.contains(&format!("/admin/tickets/{id}"))
            && queue.body.contains("Migrate my site")
    );
    let page = staff.get(&format!("/admin/tickets/{id}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = page.csrf();
    let res = staff
        .post_multipart(
            &format!("/admin/tickets/{id}/note"),
            &[
                ("csrf", &csrf),
                ("message", "staff-only-9c1: check the old host"),
            ],
            &[],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let res = staff
        .post_multipart(
            &format!("/admin/tickets/{id}/reply"),
            &[("csrf", &csrf), ("message", "We will move it tonight.")],
            &[],
        )
        .await;
    assert_eq!(res.status, 303);
    let res = staff
        .post(
            &format!("/admin/tickets/{id}/route"),
            &[
                ("csrf", &csrf),
                ("department_id", &t["department"]["id"].to_string()),
                ("priority", "high"),
                ("status", "on_hold"),
                ("assigned_staff_id", "0"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let page = staff.get(&format!("/admin/tickets/{id}")).await;
    assert!(page.body.contains("staff-only-9c1") && page.body.contains("internal note"));
    assert!(page.body.contains("On hold"));
    let mine = customer.get(&format!("/account/tickets/{id}")).await;
    assert!(mine.body.contains("We will move it tonight."));
    assert!(
        !mine.body.contains("staff-only-9c1"),
        "a note leaked to the client page"
    );
    assert!(
        !customer
            .get("/account/tickets")
            .await
            .body
            .contains("staff-only-9c1")
    );
    // The desk page: a canned reply made there fills the reply form.
    let desk = staff.get("/admin/support").await;
    assert_eq!(desk.status, 200);
    let res = staff
        .post(
            "/admin/support/canned",
            &[
                ("csrf", &desk.csrf()),
                ("title", "Thanks"),
                ("body", "Thanks for your patience."),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let key = app.staff_key(&["support:read"]);
    let canned = ok(&app, "GET", "/api/v1/canned-replies", &key, None, 200).await;
    let cid = canned["data"][0]["id"].as_i64().unwrap();
    let filled = staff
        .get(&format!("/admin/tickets/{id}?canned={cid}"))
        .await;
    assert!(
        filled
            .body
            .contains(">Thanks for your patience.</textarea>")
    );
}

#[actix_web::test]
async fn html_in_every_field_comes_out_escaped_on_every_page() {
    let app = TestApp::with_catalog();
    let (c, mut b) = customer_browser(&app, "page-xss@example.com").await;
    let csrf = b.get("/account/tickets/new").await.csrf();
    let dept = department(&app, "Support").await.to_string();
    let subject = "<script>alert('s')</script>";
    let message = "<img src=x onerror=alert('m')>";
    let res = b
        .post_multipart(
            "/account/tickets/new",
            &[
                ("csrf", &csrf),
                ("department_id", &dept),
                ("subject", subject),
                ("message", message),
            ],
            &[("<b onmouseover=alert(1)>.txt", b"plain")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let id = ticket_id_of(res.location());
    let mut staff = admin(&app).await;
    let pages = [
        b.get("/account/tickets").await.body,
        b.get(&format!("/account/tickets/{id}")).await.body,
        staff.get("/admin/tickets").await.body,
        staff.get(&format!("/admin/tickets/{id}")).await.body,
    ];
    for body in &pages {
        assert!(!body.contains("<script>alert"), "raw script on a page");
        assert!(!body.contains("<img src=x"), "raw img on a page");
        assert!(!body.contains("<b onmouseover"), "raw file name on a page");
    }
    assert!(
        pages[1].contains("&#60;script&#62;") && pages[1].contains("&#60;img src=x"),
        "{}",
        pages[1]
    );
    let json = json_with_status(
        call(&app, &c, "GET", &format!("/tickets/{id}"), None).await,
        200,
    )
    .await;
    assert_eq!(
        json["data"]["subject"], subject,
        "the API keeps the text as typed"
    );
}

#[actix_web::test]
async fn typing_a_subject_offers_knowledgebase_articles() {
    let app = TestApp::with_catalog();
    let key = app.staff_key(&["support:read", "support:write"]);
    let cat = ok(
        &app,
        "POST",
        "/api/v1/kb-categories",
        &key,
        Some(serde_json::json!({"name": "Email"})),
        201,
    )
    .await;
    let cat = cat["data"]["id"].as_i64().unwrap();
    let article = ok(&app, "POST", "/api/v1/kb-articles", &key,
        Some(serde_json::json!({"category_id": cat, "title": "Setting up mailboxes", "body": "Open **Email** and add a mailbox."})), 201).await;
    let id = article["data"]["id"].as_i64().unwrap();
    let (_, mut b) = customer_browser(&app, "page-related@example.com").await;
    let fragment = b
        .get("/account/tickets/related?subject=mailbox%20setup")
        .await;
    assert_eq!(fragment.status, 200);
    assert!(
        fragment
            .body
            .contains(&format!("/knowledgebase/article/{id}")),
        "{}",
        fragment.body
    );
    let none = b.get("/account/tickets/related?subject=zz").await;
    assert!(!none.body.contains("/knowledgebase/article/"));
    let form = b.get("/account/tickets/new").await;
    assert!(form.body.contains("hx-get=\"/account/tickets/related\""));
    let mut anon = Browser::new(&app);
    assert_eq!(
        anon.get("/account/tickets/related?subject=mailbox")
            .await
            .status,
        303,
        "customers only"
    );
}
