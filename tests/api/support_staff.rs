//! The staff desk: the queue and its counts, internal notes that no
//! customer surface ever shows, alerts to the department's staff and
//! watchers, routing, merging, departments, canned replies, and answered
//! tickets closing on their own after a notice.

use jiff::SignedDuration;
use serde_json::{Value, json};

use crate::support::{
    Customer, TestApp, call, json_with_status, ok, people::notification_kinds, sql,
};
use crate::support_tickets::{PNG, department, open, post_multipart};

const NOTE: &str = "internal-note-7f3a: customer owes us, be firm";

fn desk_key(app: &TestApp) -> String {
    app.staff_key(&["support:read", "support:write", "clients:read"])
}

fn staff_email(app: &TestApp) -> String {
    app.state
        .db
        .read(|c| {
            Ok(
                c.query_row("SELECT email FROM staff WHERE id = 1", [], |r| {
                    r.get::<_, String>(0)
                })?,
            )
        })
        .unwrap()
}

/// Every text a customer can reach about their account, as one string.
async fn customer_surfaces(app: &TestApp, c: &Customer, ticket: i64) -> String {
    let mut all = String::new();
    for path in [
        "/tickets",
        &format!("/tickets/{ticket}"),
        "/events",
        "/tickets?q=owes",
    ] {
        let res = call(app, c, "GET", path, None).await;
        all.push_str(&res.text().await.unwrap());
    }
    let emails: String = app
        .state
        .db
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT COALESCE(group_concat(subject || text_body || COALESCE(html_body, ''), ''), '') FROM email_outbox",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    all.push_str(&emails);
    let notices: String = app
        .state
        .db
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT COALESCE(group_concat(title || body, ''), '') FROM notifications",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    all.push_str(&notices);
    all
}

#[actix_web::test]
async fn internal_notes_never_reach_a_customer() {
    let app = TestApp::with_catalog();
    let key = desk_key(&app);
    let c = app.customer("notes@example.com").await;
    let t = open(&app, &c, "Refund please", "I want my money back").await;
    let id = t["id"].as_i64().unwrap();
    let (ct, body) =
        crate::support_tickets::multipart(&[("message", NOTE)], &[("evidence.png", PNG)]);
    let res = app
        .http
        .post(app.url(&format!("/api/v1/tickets/{id}/notes")))
        .bearer_auth(&key)
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap();
    let staff_view = json_with_status(res, 200).await;
    let note = staff_view["data"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["internal"] == true)
        .unwrap()
        .clone();
    assert_eq!(note["body"], NOTE);
    assert_eq!(
        staff_view["data"]["status"], "open",
        "a note changes no status"
    );
    let file = note["attachments"][0]["id"].as_i64().unwrap();
    ok(
        &app,
        "POST",
        &format!("/api/v1/tickets/{id}/reply"),
        &key,
        Some(json!({"message": "We are looking into it."})),
        200,
    )
    .await;
    let seen = customer_surfaces(&app, &c, id).await;
    assert!(
        !seen.contains("internal-note-7f3a"),
        "a note leaked to a customer surface"
    );
    assert!(seen.contains("We are looking into it."));
    let res = call(
        &app,
        &c,
        "GET",
        &format!("/tickets/{id}/attachments/{file}"),
        None,
    )
    .await;
    assert_eq!(res.status(), 404, "a note's file is not the customer's");
    let res = app
        .get_auth(&format!("/api/v1/tickets/{id}/attachments/{file}"), &key)
        .await;
    assert_eq!(res.bytes().await.unwrap().as_ref(), PNG);
    let staff_search = ok(&app, "GET", "/api/v1/tickets?q=owes", &key, None, 200).await;
    assert_eq!(
        staff_search["data"].as_array().unwrap().len(),
        1,
        "staff search reads notes"
    );
    assert!(notification_kinds(&app, &c).contains(&"ticket_reply".to_string()));
}

#[actix_web::test]
async fn department_staff_and_watchers_are_alerted_and_the_queue_counts() {
    let app = TestApp::with_catalog();
    let key = desk_key(&app);
    let support = department(&app, "Support").await;
    let d = ok(&app, "PUT", &format!("/api/v1/support-departments/{support}"), &key,
        Some(json!({"name": "Support", "description": "Help", "email": "Help@Example.com", "staff_ids": [1]})), 200).await;
    assert_eq!(d["data"]["email"], "help@example.com");
    let c = app.customer("alerts@example.com").await;
    let t = open(&app, &c, "Slow site", "It is slow").await;
    let id = t["id"].as_i64().unwrap();
    let admin = staff_email(&app);
    let alerts = sql::outbox(&app, "ticket_staff_alert", &admin);
    assert_eq!(alerts.len(), 1);
    assert!(alerts[0].text.contains("It is slow") && alerts[0].subject.contains("New ticket"));
    // The customer's auto-reply comes from the department's address.
    let from: Option<String> = app
        .state
        .db
        .read(|c| {
            Ok(c.query_row(
                "SELECT from_address FROM email_outbox WHERE template = 'ticket_opened'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(from.as_deref(), Some("help@example.com"));
    json_with_status(
        call(
            &app,
            &c,
            "POST",
            &format!("/tickets/{id}/reply"),
            Some(json!({"message": "Any news?"})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(sql::outbox(&app, "ticket_staff_alert", &admin).len(), 2);
    let q = ok(
        &app,
        "GET",
        &format!("/api/v1/tickets?department_id={support}&status=customer_reply"),
        &key,
        None,
        200,
    )
    .await;
    assert_eq!(q["data"][0]["id"], id);
    assert_eq!(q["counts"]["by_status"][0]["status"], "customer_reply");
    let none = ok(
        &app,
        "GET",
        "/api/v1/tickets?assignee=none",
        &key,
        None,
        200,
    )
    .await;
    assert_eq!(none["data"].as_array().unwrap().len(), 1);
    let routed = ok(
        &app,
        "PATCH",
        &format!("/api/v1/tickets/{id}"),
        &key,
        Some(json!({"assigned_staff_id": 1, "priority": "urgent", "status": "in_progress"})),
        200,
    )
    .await;
    assert_eq!(routed["data"]["priority"], "urgent");
    assert_eq!(routed["data"]["status"], "in_progress");
    assert_eq!(routed["data"]["assigned_staff_id"], 1);
    let mine = ok(&app, "GET", "/api/v1/tickets?assignee=me", &key, None, 200).await;
    assert_eq!(mine["data"].as_array().unwrap().len(), 1);
    let bad = ok(
        &app,
        "PATCH",
        &format!("/api/v1/tickets/{id}"),
        &key,
        Some(json!({"assigned_staff_id": 999})),
        422,
    )
    .await;
    assert!(bad["errors"]["assigned_staff_id"].is_array());
    let unassigned = ok(
        &app,
        "PATCH",
        &format!("/api/v1/tickets/{id}"),
        &key,
        Some(json!({"assigned_staff_id": null})),
        200,
    )
    .await;
    assert!(unassigned["data"]["assigned_staff_id"].is_null());
    let res = app
        .http
        .put(app.url(&format!("/api/v1/tickets/{id}/watch")))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let detail = ok(
        &app,
        "GET",
        &format!("/api/v1/tickets/{id}"),
        &key,
        None,
        200,
    )
    .await;
    assert_eq!(detail["data"]["watchers"], json!([1]));
}

#[actix_web::test]
async fn two_tickets_of_one_client_merge_and_never_across_clients() {
    let app = TestApp::with_catalog();
    let key = desk_key(&app);
    let c = app.customer("merge@example.com").await;
    let other = app.customer("stranger@example.com").await;
    let a = open(&app, &c, "DNS", "first").await["id"].as_i64().unwrap();
    let b = open(&app, &c, "DNS again", "second").await["id"]
        .as_i64()
        .unwrap();
    let x = open(&app, &other, "Not yours", "third").await["id"]
        .as_i64()
        .unwrap();
    let refused = ok(
        &app,
        "POST",
        &format!("/api/v1/tickets/{b}/merge"),
        &key,
        Some(json!({"into_ticket_id": x})),
        422,
    )
    .await;
    assert!(refused["errors"]["into_ticket_id"].is_array());
    let merged = ok(
        &app,
        "POST",
        &format!("/api/v1/tickets/{b}/merge"),
        &key,
        Some(json!({"into_ticket_id": a})),
        200,
    )
    .await;
    let bodies: Vec<&str> = merged["data"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["first", "second"]);
    let list = json_with_status(call(&app, &c, "GET", "/tickets", None).await, 200).await;
    assert_eq!(
        list["data"].as_array().unwrap().len(),
        1,
        "the merged ticket leaves the list"
    );
    let via_old = json_with_status(
        call(&app, &c, "GET", &format!("/tickets/{b}"), None).await,
        200,
    )
    .await;
    assert_eq!(
        via_old["data"]["id"], a,
        "the old id leads to the ticket it joined"
    );
}

#[actix_web::test]
async fn an_answered_ticket_closes_after_a_notice_unless_the_customer_replies() {
    let app = TestApp::with_catalog();
    let key = desk_key(&app);
    let first_login = app.customer("quiet@example.com").await;
    let c = &first_login;
    let quiet = open(&app, c, "Quiet", "help").await["id"].as_i64().unwrap();
    let chatty = open(&app, c, "Chatty", "help").await["id"]
        .as_i64()
        .unwrap();
    for id in [quiet, chatty] {
        ok(
            &app,
            "POST",
            &format!("/api/v1/tickets/{id}/reply"),
            &key,
            Some(json!({"message": "Done?"})),
            200,
        )
        .await;
    }
    let run = |app: &TestApp| {
        till::service::support::auto_close::run(&app.state.db, &app.state.config, app.state.now())
            .unwrap()
    };
    app.clock.advance(SignedDuration::from_hours(24 * 5));
    assert_eq!(run(&app).warned, 0);
    app.clock.advance(SignedDuration::from_hours(24 + 1));
    let first = run(&app);
    assert_eq!((first.warned, first.closed), (2, 0));
    let notice = sql::outbox(&app, "ticket_status", "quiet@example.com");
    assert!(notice.iter().any(|m| m.text.contains("close in a day")));
    // Days later the access token is long expired: log in again.
    let c = app
        .login("quiet@example.com", "correct horse battery staple")
        .await;
    json_with_status(
        call(
            &app,
            &c,
            "POST",
            &format!("/tickets/{chatty}/reply"),
            Some(json!({"message": "Not yet!"})),
        )
        .await,
        200,
    )
    .await;
    app.clock.advance(SignedDuration::from_hours(24));
    let second = run(&app);
    assert_eq!((second.warned, second.closed), (0, 1));
    let c = app
        .login("quiet@example.com", "correct horse battery staple")
        .await;
    for (id, want) in [(quiet, "closed"), (chatty, "customer_reply")] {
        let t = json_with_status(
            call(&app, &c, "GET", &format!("/tickets/{id}"), None).await,
            200,
        )
        .await;
        assert_eq!(t["data"]["status"], want);
    }
}

#[actix_web::test]
async fn departments_and_canned_replies_are_staff_only_and_checked() {
    let app = TestApp::with_catalog();
    let key = desk_key(&app);
    let reader = app.staff_key(&["support:read"]);
    let billing_key = app.staff_key(&["billing:read"]);
    assert_eq!(
        app.get_auth("/api/v1/support-departments", &billing_key)
            .await
            .status(),
        403
    );
    let res = app
        .http
        .post(app.url("/api/v1/support-departments"))
        .bearer_auth(&reader)
        .json(&json!({"name": "Sales"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let dup = ok(
        &app,
        "POST",
        "/api/v1/support-departments",
        &key,
        Some(json!({"name": "support"})),
        422,
    )
    .await;
    assert!(
        dup["errors"]["name"].is_array(),
        "names are unique whatever their case"
    );
    let bad = ok(
        &app,
        "POST",
        "/api/v1/support-departments",
        &key,
        Some(json!({"name": "Sales", "email": "not mail", "staff_ids": [42]})),
        422,
    )
    .await;
    assert!(
        bad["errors"]["email"].is_array() && bad["errors"]["staff_ids"].is_array(),
        "{bad}"
    );
    let canned = ok(
        &app,
        "POST",
        "/api/v1/canned-replies",
        &key,
        Some(json!({"title": "Greeting", "body": "Hello, thanks for writing."})),
        201,
    )
    .await;
    let cid = canned["data"]["id"].as_i64().unwrap();
    ok(
        &app,
        "PUT",
        &format!("/api/v1/canned-replies/{cid}"),
        &key,
        Some(json!({"title": "Greeting", "body": "Hi!"})),
        200,
    )
    .await;
    let list: Value = ok(&app, "GET", "/api/v1/canned-replies", &reader, None, 200).await;
    assert_eq!(list["data"][0]["body"], "Hi!");
    ok(
        &app,
        "POST",
        "/api/v1/canned-replies",
        &key,
        Some(json!({"title": "", "body": "x"})),
        422,
    )
    .await;
    let res = app
        .http
        .delete(app.url(&format!("/api/v1/canned-replies/{cid}")))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let res = app
        .http
        .delete(app.url(&format!("/api/v1/canned-replies/{cid}")))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[actix_web::test]
async fn a_staff_reply_by_multipart_carries_its_file_to_the_customer() {
    let app = TestApp::with_catalog();
    let key = desk_key(&app);
    let c = app.customer("gets-file@example.com").await;
    let id = open(&app, &c, "Need the config", "send it").await["id"]
        .as_i64()
        .unwrap();
    let (ct, body) = crate::support_tickets::multipart(
        &[("message", "Attached.")],
        &[("nginx.txt", b"server { listen 80; }\n")],
    );
    let res = app
        .http
        .post(app.url(&format!("/api/v1/tickets/{id}/reply")))
        .bearer_auth(&key)
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap();
    json_with_status(res, 200).await;
    let t = json_with_status(
        call(&app, &c, "GET", &format!("/tickets/{id}"), None).await,
        200,
    )
    .await;
    let url = t["data"]["messages"][1]["attachments"][0]["url"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        url.starts_with(&format!(
            "/api/v1/clients/{}/tickets/{id}/attachments/",
            c.client_id
        )),
        "{url}"
    );
    let got = app.get_auth(&url, &c.access).await.bytes().await.unwrap();
    assert_eq!(got.as_ref(), b"server { listen 80; }\n");
    // A customer's multipart reply works the same way.
    let res = post_multipart(
        &app,
        &c,
        &format!("/tickets/{id}/reply"),
        &[("message", "thanks")],
        &[("ok.txt", b"ok")],
    )
    .await;
    json_with_status(res, 200).await;
}

#[actix_web::test]
async fn replies_by_email_are_threaded_under_the_ticket() {
    let app = TestApp::with_catalog();
    let key = desk_key(&app);
    let c = app.customer("thread@example.com").await;
    let t = open(&app, &c, "Threads", "first").await;
    let id = t["id"].as_i64().unwrap();
    ok(
        &app,
        "POST",
        &format!("/api/v1/tickets/{id}/reply"),
        &key,
        Some(json!({"message": "answer"})),
        200,
    )
    .await;
    let rows: Vec<(String, Option<String>, Option<String>)> = app
        .state
        .db
        .read(|c| {
            let mut stmt = c.prepare(
                "SELECT template, message_id, in_reply_to FROM email_outbox
                 WHERE template IN ('ticket_opened', 'ticket_reply') ORDER BY id",
            )?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let opened = rows[0].1.clone().unwrap();
    let reply = rows[1].1.clone().unwrap();
    assert!(
        opened.starts_with('<') && opened.ends_with('>') && opened.contains('@'),
        "{opened}"
    );
    assert_ne!(opened, reply);
    assert_eq!(
        rows[1].2.as_deref(),
        Some(opened.as_str()),
        "the reply answers the auto-reply"
    );
    assert!(rows[0].2.is_none());
    // On the wire: the headers, and the department's address as From.
    let key = desk_key(&app);
    let support = t["department"]["id"].as_i64().unwrap();
    ok(
        &app,
        "PUT",
        &format!("/api/v1/support-departments/{support}"),
        &key,
        Some(json!({"name": "Support", "email": "help@example.com"})),
        200,
    )
    .await;
    ok(
        &app,
        "POST",
        &format!("/api/v1/tickets/{id}/reply"),
        &key,
        Some(json!({"message": "again"})),
        200,
    )
    .await;
    let sent = app.deliver_mail().await;
    let first = sent
        .iter()
        .find(|m| m.subject.starts_with("Re: [") && m.raw.contains("answer"))
        .unwrap();
    let unfolded = first.raw.replace("\r\n ", " ");
    assert!(
        unfolded.contains(&format!("In-Reply-To: {opened}")),
        "{}",
        first.raw
    );
    assert!(
        unfolded.contains(&format!("Message-ID: {reply}")),
        "{}",
        first.raw
    );
    let last = sent.iter().find(|m| m.raw.contains("again")).unwrap();
    assert!(
        last.raw.contains("help@example.com>") || last.raw.contains("From: help@example.com"),
        "{}",
        last.raw
    );
}

#[actix_web::test]
async fn staff_open_a_ticket_for_a_client_who_is_told() {
    let app = TestApp::with_catalog();
    let key = desk_key(&app);
    let c = app.customer("told@example.com").await;
    let hidden = ok(
        &app,
        "POST",
        "/api/v1/support-departments",
        &key,
        Some(json!({"name": "Abuse", "visible": false})),
        201,
    )
    .await;
    let dept = hidden["data"]["id"].as_i64().unwrap();
    let t = ok(&app, "POST", "/api/v1/tickets", &key,
        Some(json!({"client_id": c.client_id, "department_id": dept, "subject": "Spam from your VPS", "message": "Please stop the mailer."})), 201).await;
    assert_eq!(t["data"]["status"], "answered");
    assert_eq!(t["data"]["department"]["name"], "Abuse");
    let mail = sql::outbox(&app, "ticket_reply", "told@example.com");
    assert!(mail[0].text.contains("Please stop the mailer."));
    let id = t["data"]["id"].as_i64().unwrap();
    let seen = json_with_status(
        call(&app, &c, "GET", &format!("/tickets/{id}"), None).await,
        200,
    )
    .await;
    assert_eq!(seen["data"]["subject"], "Spam from your VPS");
    for (body, field) in [
        (
            json!({"client_id": 99_999, "department_id": dept, "subject": "x", "message": "y"}),
            "client_id",
        ),
        (
            json!({"client_id": c.client_id, "department_id": 99_999, "subject": "x", "message": "y"}),
            "department_id",
        ),
        (
            json!({"client_id": c.client_id, "department_id": dept, "subject": "x", "message": "y", "service_id": 99_999}),
            "service_id",
        ),
    ] {
        let res = ok(&app, "POST", "/api/v1/tickets", &key, Some(body), 422).await;
        assert!(res["errors"][field].is_array(), "{field}: {res}");
    }
    let reader = app.staff_key(&["support:read"]);
    let res = app.http.post(app.url("/api/v1/tickets")).bearer_auth(&reader)
        .json(&json!({"client_id": c.client_id, "department_id": dept, "subject": "x", "message": "y"})).send().await.unwrap();
    assert_eq!(res.status(), 403);
}
