//! Mail in: an email piped to the desk is threaded onto its ticket and
//! posted if its sender may write there, opens a ticket for a known user,
//! follows `unknown_sender` for anyone else, and is never answered when a
//! machine sent it. The limits per sender count across processes.

use jiff::SignedDuration;
use serde_json::{Value, json};
use till::service::support::inbound::{Inbound, Reason};

use crate::support::{ADMIN_EMAIL, Customer, Mail, TestApp, ok, sql};
use crate::support_tickets::{PNG, open};

const DESK: &str = "support@desk.test";

fn desk_key(app: &TestApp) -> String {
    app.staff_key(&["support:read", "support:write", "clients:read"])
}

/// The ticket as staff see it, with its whole thread.
async fn staff_view(app: &TestApp, id: i64) -> Value {
    let key = desk_key(app);
    ok(
        app,
        "GET",
        &format!("/api/v1/tickets/{id}"),
        &key,
        None,
        200,
    )
    .await["data"]
        .clone()
}

/// A customer with a ticket in Support, which has `DESK` as its address.
async fn ticket_of(app: &TestApp, email: &str) -> (Customer, Value) {
    app.desk("Support", DESK).await;
    let c = app.customer(email).await;
    let t = open(app, &c, "Site down", "My site shows 500.").await;
    (c, t)
}

fn number(t: &Value) -> String {
    t["ticket_number"].as_str().unwrap().to_string()
}

fn reply_subject(t: &Value) -> String {
    format!("Re: [{}] Site down", number(t))
}

fn posted_on(done: &Inbound) -> i64 {
    match done {
        Inbound::Posted { ticket_id, .. } | Inbound::Opened { ticket_id, .. } => *ticket_id,
        other => panic!("not posted: {other:?}"),
    }
}

#[actix_web::test]
async fn a_reply_from_the_owner_is_posted_with_its_attachment_and_staff_are_alerted() {
    let app = TestApp::with_catalog();
    let (c, t) = ticket_of(&app, "owner@example.com").await;
    let id = t["id"].as_i64().unwrap();
    let mail = Mail::new(
        "Ama Mensah <owner@example.com>",
        DESK,
        &reply_subject(&t),
        "Still down, see the screenshot.",
    )
    .attach("shot.png", "image/png", PNG);
    let done = app.receive(&mail);
    assert_eq!(posted_on(&done), id);
    let view = staff_view(&app, id).await;
    assert_eq!(view["status"], "customer_reply");
    let last = view["messages"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["body"], "Still down, see the screenshot.");
    assert_eq!(last["attachments"][0]["name"], "shot.png");
    let file = app
        .get_auth(
            &format!(
                "/api/v1/clients/{}/tickets/{id}/attachments/{}",
                c.client_id, last["attachments"][0]["id"]
            ),
            &c.access,
        )
        .await;
    assert_eq!(
        file.bytes().await.unwrap().as_ref(),
        PNG,
        "stored byte for byte"
    );
    let alerts = sql::outbox(&app, "ticket_staff_alert", ADMIN_EMAIL);
    assert!(
        alerts
            .iter()
            .any(|a| a.subject.contains("Customer reply") && a.mentions("Still down")),
        "the staff alert is queued"
    );
    let log = app.inbound_log().await;
    assert_eq!(
        (log[0]["outcome"].as_str(), log[0]["reason"].as_str()),
        (Some("posted"), Some("reply"))
    );
    assert_eq!(log[0]["ticket_id"], id);
}

#[actix_web::test]
async fn a_stranger_is_bounced_once_and_not_again_that_day() {
    let app = TestApp::with_catalog();
    let (_, t) = ticket_of(&app, "owner2@example.com").await;
    let stranger = Mail::new("mallory@evil.test", DESK, &reply_subject(&t), "let me in");
    assert_eq!(app.receive(&stranger), Inbound::Bounced(Reason::NotAllowed));
    let again = Mail::new(
        "mallory@evil.test",
        DESK,
        &reply_subject(&t),
        "let me in, please",
    );
    assert_eq!(app.receive(&again), Inbound::Dropped(Reason::NotAllowed));
    let bounces = sql::outbox(&app, "ticket_mail_bounce", "mallory@evil.test");
    assert_eq!(bounces.len(), 1, "one polite bounce");
    assert!(
        bounces[0].subject.contains("Site down"),
        "the short quoted subject: {}",
        bounces[0].subject
    );
    for secret in ["My site shows 500.", "let me in"] {
        assert!(!bounces[0].mentions(secret), "the bounce leaks {secret}");
    }
    let view = staff_view(&app, t["id"].as_i64().unwrap()).await;
    assert_eq!(
        view["messages"].as_array().unwrap().len(),
        1,
        "nothing posted"
    );
}

#[actix_web::test]
async fn bounces_per_day_cap_a_sender_across_tickets() {
    let app = TestApp::builder()
        .config(|c| c.support.bounces_per_day = 2)
        .spawn();
    app.install_catalog();
    app.desk("Support", DESK).await;
    let c = app.customer("many@example.com").await;
    let mut subjects = Vec::new();
    for i in 0..3 {
        let t = open(&app, &c, &format!("Issue {i}"), "x").await;
        subjects.push(format!("Re: [{}] Issue {i}", number(&t)));
    }
    let outcomes: Vec<Inbound> = subjects
        .iter()
        .map(|s| app.receive(&Mail::new("spam@evil.test", DESK, s, "hi")))
        .collect();
    assert_eq!(
        outcomes,
        [
            Inbound::Bounced(Reason::NotAllowed),
            Inbound::Bounced(Reason::NotAllowed),
            Inbound::Dropped(Reason::NotAllowed)
        ]
    );
    app.clock.advance(SignedDuration::from_hours(25));
    assert_eq!(
        app.receive(&Mail::new("spam@evil.test", DESK, &subjects[2], "hi")),
        Inbound::Bounced(Reason::NotAllowed)
    );
}

#[actix_web::test]
async fn machines_our_own_mail_and_our_own_address_are_dropped_unanswered() {
    let app = TestApp::with_catalog();
    let (c, t) = ticket_of(&app, "owner3@example.com").await;
    let id = t["id"].as_i64().unwrap();
    let key = desk_key(&app);
    ok(
        &app,
        "POST",
        &format!("/api/v1/tickets/{id}/reply"),
        &key,
        Some(json!({"message": "Restarted it."})),
        200,
    )
    .await;
    let away = Mail::new(&c.email, DESK, &reply_subject(&t), "I am on holiday")
        .header("Auto-Submitted", "auto-replied");
    assert_eq!(app.receive(&away), Inbound::Dropped(Reason::Automatic));
    let bulk =
        Mail::new("robot@example.com", DESK, "Newsletter", "buy").header("Precedence", "bulk");
    assert_eq!(app.receive(&bulk), Inbound::Dropped(Reason::Automatic));
    // Our own reply, delivered back to us.
    let ours = sql::outbox_message_ids(&app, "ticket_reply", &c.email)
        .pop()
        .unwrap();
    let echo =
        Mail::new(&c.email, DESK, &reply_subject(&t), "Restarted it.").set("Message-ID", &ours);
    assert_eq!(app.receive(&echo), Inbound::Dropped(Reason::OwnMessage));
    let from_us = Mail::new(DESK, DESK, "Loop", "x");
    assert_eq!(app.receive(&from_us), Inbound::Dropped(Reason::FromUs));
    assert_eq!(
        staff_view(&app, id).await["messages"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert!(
        sql::outbox(&app, "ticket_mail_bounce", &c.email).is_empty(),
        "machines are never answered"
    );
    assert!(sql::outbox(&app, "ticket_mail_bounce", "robot@example.com").is_empty());
}

#[actix_web::test]
async fn the_same_email_twice_posts_once() {
    let app = TestApp::with_catalog();
    let (c, t) = ticket_of(&app, "twice@example.com").await;
    let mail = Mail::new(&c.email, DESK, &reply_subject(&t), "Once only");
    posted_on(&app.receive(&mail));
    assert_eq!(app.receive(&mail), Inbound::Dropped(Reason::Duplicate));
    let view = staff_view(&app, t["id"].as_i64().unwrap()).await;
    let bodies: Vec<&str> = view["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies.iter().filter(|b| **b == "Once only").count(), 1);
}

#[actix_web::test]
async fn replies_thread_by_in_reply_to_alone_or_by_the_number_alone() {
    let app = TestApp::with_catalog();
    let (c, t) = ticket_of(&app, "thread@example.com").await;
    let id = t["id"].as_i64().unwrap();
    let key = desk_key(&app);
    ok(
        &app,
        "POST",
        &format!("/api/v1/tickets/{id}/reply"),
        &key,
        Some(json!({"message": "Which page?"})),
        200,
    )
    .await;
    let ours = sql::outbox_message_ids(&app, "ticket_reply", &c.email)
        .pop()
        .unwrap();
    let by_header =
        Mail::new(&c.email, DESK, "the homepage", "The homepage.").header("In-Reply-To", &ours);
    assert_eq!(posted_on(&app.receive(&by_header)), id);
    let by_number = Mail::new(
        &c.email,
        "someone-else@example.com",
        &format!("About {}", number(&t)),
        "Also /shop.",
    );
    assert_eq!(
        posted_on(&app.receive(&by_number)),
        id,
        "the number threads it, wherever it was sent"
    );
    // Neither: new mail, which opens a ticket of its own.
    let fresh = Mail::new(&c.email, DESK, "Another thing", "New question");
    assert_ne!(posted_on(&app.receive(&fresh)), id);
}

#[actix_web::test]
async fn new_mail_from_a_known_user_opens_a_ticket_in_the_department_of_the_address() {
    let app = TestApp::with_catalog();
    app.desk("Billing", "billing@desk.test").await;
    let c = app.customer("known@example.com").await;
    let mail = Mail::new(
        "Ama <KNOWN@example.com>",
        "Accounts <Billing@Desk.test>",
        "Invoice 12 is wrong",
        "Please check.",
    );
    let done = app.receive(&mail);
    let Inbound::Opened { ticket_id, .. } = done else {
        panic!("{done:?}")
    };
    let view = staff_view(&app, ticket_id).await;
    assert_eq!(view["department"]["name"], "Billing");
    assert_eq!(view["client_id"], c.client_id);
    assert_eq!(view["subject"], "Invoice 12 is wrong");
    assert_eq!(view["status"], "open");
    assert_eq!(
        sql::outbox(&app, "ticket_opened", &c.email).len(),
        1,
        "the department's auto-reply"
    );
    let nowhere = Mail::new(&c.email, "random@elsewhere.test", "Hello", "x");
    assert_eq!(
        app.receive(&nowhere),
        Inbound::Dropped(Reason::UnknownAddress),
        "mail to no department is dropped"
    );
}

#[actix_web::test]
async fn an_unknown_sender_is_bounced_by_default() {
    let app = TestApp::with_catalog();
    app.desk("Support", DESK).await;
    let mail = Mail::new(
        "Pat <pat@nowhere.test>",
        DESK,
        "Do you sell VPS?",
        "How much?",
    );
    assert_eq!(app.receive(&mail), Inbound::Bounced(Reason::UnknownSender));
    let bounce = sql::outbox(&app, "ticket_mail_bounce", "pat@nowhere.test");
    assert_eq!(bounce.len(), 1);
    assert!(bounce[0].mentions("does not belong to one of our customers"));
    assert!(!bounce[0].mentions("How much?"));
}

#[actix_web::test]
async fn an_unknown_sender_opens_a_guest_ticket_when_set_to_open() {
    let app = TestApp::builder()
        .config(|c| c.support.unknown_sender = till::config::UnknownSender::Open)
        .spawn();
    app.install_catalog();
    app.desk("Support", DESK).await;
    let first = Mail::new(
        "Pat Doe <pat@nowhere.test>",
        DESK,
        "Do you sell VPS?",
        "How much?",
    );
    let Inbound::Opened {
        ticket_id, number, ..
    } = app.receive(&first)
    else {
        panic!()
    };
    let view = staff_view(&app, ticket_id).await;
    assert_eq!(view["client_id"], Value::Null, "a guest's ticket");
    assert_eq!(view["messages"][0]["body"], "How much?");
    assert_eq!(
        sql::outbox(&app, "ticket_opened", "pat@nowhere.test").len(),
        1
    );
    // The guest may reply on it; nobody else may.
    let again = Mail::new(
        "pat@nowhere.test",
        DESK,
        &format!("Re: [{number}] Do you sell VPS?"),
        "And VPN?",
    );
    assert_eq!(posted_on(&app.receive(&again)), ticket_id);
    let other = Mail::new(
        "eve@nowhere.test",
        DESK,
        &format!("Re: [{number}] x"),
        "me too",
    );
    assert_eq!(app.receive(&other), Inbound::Bounced(Reason::NotAllowed));
}

#[actix_web::test]
async fn contacts_write_by_mail_with_the_support_privilege_only() {
    let app = TestApp::with_catalog();
    let (owner, t) = ticket_of(&app, "boss2@example.com").await;
    app.add_contact(
        &owner,
        "helper2@example.com",
        json!({"support": ["tickets"]}),
    )
    .await;
    app.add_contact(
        &owner,
        "books2@example.com",
        json!({"billing": ["payinvoice"]}),
    )
    .await;
    let helper = Mail::new(
        "helper2@example.com",
        DESK,
        &reply_subject(&t),
        "I can help",
    );
    assert_eq!(posted_on(&app.receive(&helper)), t["id"].as_i64().unwrap());
    let books = Mail::new("books2@example.com", DESK, &reply_subject(&t), "me too");
    assert_eq!(app.receive(&books), Inbound::Bounced(Reason::NotAllowed));
}

#[actix_web::test]
async fn an_html_only_email_arrives_as_clean_text_without_its_quoted_history() {
    let app = TestApp::with_catalog();
    let (c, t) = ticket_of(&app, "html@example.com").await;
    let html = "<html><head><style>p{color:red}</style></head><body><p>Fixed &amp; working,</p>\
                <p>thanks<br>Ama</p><script>alert(1)</script>\
                <div class=\"gmail_quote\">On Thu, 3 Dec 2026, Support &lt;support@desk.test&gt; wrote:<br>\
                <blockquote><p>Which page?</p></blockquote></div></body></html>";
    let mail = Mail::new(&c.email, DESK, &reply_subject(&t), "").html_only(html);
    let id = posted_on(&app.receive(&mail));
    let view = staff_view(&app, id).await;
    let body = view["messages"].as_array().unwrap().last().unwrap()["body"].clone();
    assert_eq!(body, "Fixed & working,\n\nthanks\nAma");
}

#[actix_web::test]
async fn the_plain_text_loses_its_quoted_history_too() {
    let app = TestApp::with_catalog();
    let (c, t) = ticket_of(&app, "plain@example.com").await;
    let text = "Works now.\n\nOn Thu, 3 Dec 2026 at 10:00, Support <support@desk.test> wrote:\n> Which page?\n> Thanks";
    let id = posted_on(&app.receive(&Mail::new(&c.email, DESK, &reply_subject(&t), text)));
    let view = staff_view(&app, id).await;
    assert_eq!(
        view["messages"].as_array().unwrap().last().unwrap()["body"],
        "Works now."
    );
}

#[actix_web::test]
async fn each_sender_posts_at_most_inbound_per_hour() {
    let app = TestApp::builder()
        .config(|c| c.support.inbound_per_hour = 2)
        .spawn();
    app.install_catalog();
    let (c, t) = ticket_of(&app, "chatty@example.com").await;
    let send = |n: i32| {
        app.receive(&Mail::new(
            &c.email,
            DESK,
            &reply_subject(&t),
            &format!("message {n}"),
        ))
    };
    posted_on(&send(1));
    posted_on(&send(2));
    assert_eq!(send(3), Inbound::Dropped(Reason::RateLimited));
    app.clock.advance(SignedDuration::from_mins(61));
    posted_on(&send(4));
}

#[actix_web::test]
async fn files_over_the_limits_are_left_off_and_the_sender_is_told_which() {
    let app = TestApp::builder()
        .config(|c| c.support.max_attachment_bytes = 1024)
        .spawn();
    app.install_catalog();
    let (c, t) = ticket_of(&app, "files@example.com").await;
    let mail = Mail::new(&c.email, DESK, &reply_subject(&t), "Three files")
        .attach("shot.png", "image/png", PNG)
        .attach("huge.log", "text/plain", &[b'a'; 4096])
        .attach("tool.exe", "application/octet-stream", b"MZ\x90\0");
    let Inbound::Posted {
        ticket_id, refused, ..
    } = app.receive(&mail)
    else {
        panic!()
    };
    assert_eq!(refused.len(), 2, "{refused:?}");
    let view = staff_view(&app, ticket_id).await;
    let last = view["messages"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last["attachments"].as_array().unwrap().len(),
        1,
        "the PNG is attached"
    );
    let body = last["body"].as_str().unwrap();
    assert!(
        body.starts_with("Three files")
            && body.contains("[Not attached: huge.log")
            && body.contains("tool.exe"),
        "{body}"
    );
    let note = sql::outbox(&app, "ticket_files_refused", &c.email);
    assert_eq!(note.len(), 1);
    assert!(
        note[0].mentions("huge.log")
            && note[0].mentions("tool.exe")
            && !note[0].mentions("shot.png")
    );
}
