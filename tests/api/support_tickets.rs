//! A customer's support tickets through reference 000's operations:
//! opening one (multipart with attachments, or JSON), the thread, replies
//! and the statuses they lead to, closing and reopening, search, the
//! limits on files, and every ticket route refusing another client.

use serde_json::{Value, json};

use crate::support::{Customer, TestApp, call, json_with_status, ok, sql};

/// A 1x1 PNG.
pub(crate) const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xff\xff?\0\x05\xfe\x02\xfe\xa7\x35\x81\x84\0\0\0\0IEND\xaeB`\x82";

/// A multipart body: text fields, then files under `attachments[]`.
pub(crate) fn multipart(fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "till-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .bytes(),
        );
    }
    for (name, bytes) in files {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"attachments[]\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// `POST /api/v1/clients/{client}{path}` as multipart.
pub(crate) async fn post_multipart(
    app: &TestApp,
    c: &Customer,
    path: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &[u8])],
) -> reqwest::Response {
    let (content_type, body) = multipart(fields, files);
    app.http
        .post(app.url(&format!("/api/v1/clients/{}{path}", c.client_id)))
        .bearer_auth(&c.access)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

pub(crate) async fn department(app: &TestApp, name: &str) -> i64 {
    let list = json_with_status(app.get("/api/v1/support/departments").await, 200).await;
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == name)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// Open a ticket in Support by JSON; answers its detail.
pub(crate) async fn open(app: &TestApp, c: &Customer, subject: &str, message: &str) -> Value {
    let dept = department(app, "Support").await;
    let res = call(
        app,
        c,
        "POST",
        "/tickets",
        Some(json!({"department_id": dept, "subject": subject, "message": message, "priority": "high"})),
    )
    .await;
    json_with_status(res, 201).await["data"].clone()
}

fn ticket_count(app: &TestApp) -> i64 {
    app.state
        .db
        .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM tickets", [], |r| r.get(0))?))
        .unwrap()
}

#[actix_web::test]
async fn the_sample_departments_are_listed_for_anyone() {
    let app = TestApp::with_catalog();
    let list = json_with_status(app.get("/api/v1/support/departments").await, 200).await;
    let names: Vec<&str> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Support", "Billing"]);
    assert!(
        list["data"][0].get("email").is_none(),
        "staff fields stay hidden: {list}"
    );
}

#[actix_web::test]
async fn a_ticket_opens_with_files_in_reference_shape_and_files_come_back_byte_for_byte() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    let dept = department(&app, "Support").await.to_string();
    let res = post_multipart(
        &app,
        &c,
        "/tickets",
        &[
            ("department_id", &dept),
            ("subject", "Site down"),
            ("message", "My site shows 500."),
            ("priority", "urgent"),
        ],
        &[("shot.png", PNG), ("error.log", b"PHP Fatal error\n")],
    )
    .await;
    let t = json_with_status(res, 201).await["data"].clone();
    for key in [
        "id",
        "ticket_number",
        "subject",
        "status",
        "status_label",
        "priority",
        "department",
        "last_reply_at",
        "created_at",
    ] {
        assert!(t.get(key).is_some(), "Ticket.{key} missing: {t}");
    }
    let number = t["ticket_number"].as_str().unwrap();
    assert!(
        number.starts_with("TKT-")
            && number.len() == 10
            && number[4..].chars().all(|c| c.is_ascii_digit()),
        "{number}"
    );
    assert_eq!(t["status"], "open");
    assert_eq!(t["status_label"], "Open");
    assert_eq!(t["priority"], "urgent");
    assert_eq!(t["department"]["name"], "Support");
    let files = t["messages"][0]["attachments"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["name"], "shot.png");
    assert_eq!(files[0]["mime_type"], "image/png");
    let res = app
        .get_auth(files[0]["url"].as_str().unwrap(), &c.access)
        .await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert!(
        res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), PNG);
    // The auto-reply went out, threaded, with the number in its subject.
    let mail = sql::outbox(&app, "ticket_opened", "ama@example.com");
    assert_eq!(mail.len(), 1);
    assert!(mail[0].subject.contains(number), "{}", mail[0].subject);
}

#[actix_web::test]
async fn replies_move_the_status_and_close_and_reopen_work() {
    let app = TestApp::with_catalog();
    let c = app.customer("kwame@example.com").await;
    let t = open(&app, &c, "Email bounces", "Mail to info@ bounces.").await;
    let id = t["id"].as_i64().unwrap();
    let key = app.staff_key(&["support:read", "support:write", "clients:read"]);
    let answered = ok(
        &app,
        "POST",
        &format!("/api/v1/tickets/{id}/reply"),
        &key,
        Some(json!({"message": "Fixed the MX record."})),
        200,
    )
    .await;
    assert_eq!(answered["data"]["status"], "answered");
    let mail = sql::outbox(&app, "ticket_reply", "kwame@example.com");
    assert_eq!(mail.len(), 1);
    assert!(mail[0].text.contains("Fixed the MX record."));
    let back = json_with_status(
        call(
            &app,
            &c,
            "POST",
            &format!("/tickets/{id}/reply"),
            Some(json!({"message": "Still bouncing."})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(back["data"]["status"], "customer_reply");
    assert_eq!(back["data"]["messages"].as_array().unwrap().len(), 3);
    let closed = json_with_status(
        call(&app, &c, "POST", &format!("/tickets/{id}/close"), None).await,
        200,
    )
    .await;
    assert_eq!(closed["data"]["status"], "closed");
    let again = call(&app, &c, "POST", &format!("/tickets/{id}/close"), None).await;
    assert_eq!(again.status(), 409);
    let reopened = json_with_status(
        call(&app, &c, "POST", &format!("/tickets/{id}/reopen"), None).await,
        200,
    )
    .await;
    assert_eq!(reopened["data"]["status"], "open");
    // A reply on a closed ticket opens it for staff again.
    json_with_status(
        call(&app, &c, "POST", &format!("/tickets/{id}/close"), None).await,
        200,
    )
    .await;
    let revived = json_with_status(
        call(
            &app,
            &c,
            "POST",
            &format!("/tickets/{id}/reply"),
            Some(json!({"message": "One more thing"})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(revived["data"]["status"], "customer_reply");
}

#[actix_web::test]
async fn another_clients_ticket_is_a_404_on_every_route() {
    let app = TestApp::with_catalog();
    let owner = app.customer("owner@example.com").await;
    let other = app.customer("other@example.com").await;
    let dept = department(&app, "Support").await.to_string();
    let res = post_multipart(
        &app,
        &owner,
        "/tickets",
        &[
            ("department_id", &dept),
            ("subject", "Mine"),
            ("message", "private"),
        ],
        &[("a.txt", b"secret")],
    )
    .await;
    let t = json_with_status(res, 201).await["data"].clone();
    let id = t["id"].as_i64().unwrap();
    let file = t["messages"][0]["attachments"][0]["id"].as_i64().unwrap();
    // Through the other's own client id...
    for (method, path) in [
        ("GET", format!("/tickets/{id}")),
        ("POST", format!("/tickets/{id}/reply")),
        ("POST", format!("/tickets/{id}/close")),
        ("POST", format!("/tickets/{id}/reopen")),
        ("GET", format!("/tickets/{id}/attachments/{file}")),
    ] {
        let res = call(&app, &other, method, &path, Some(json!({"message": "x"}))).await;
        assert_eq!(res.status(), 404, "{method} {path}");
    }
    // ...and through the owner's client id.
    let res = app
        .get_auth(
            &format!("/api/v1/clients/{}/tickets/{id}", owner.client_id),
            &other.access,
        )
        .await;
    assert_eq!(res.status(), 404);
    let list = json_with_status(call(&app, &other, "GET", "/tickets", None).await, 200).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 0);
}

#[actix_web::test]
async fn bad_files_are_refused_naming_the_file_and_nothing_is_stored() {
    let app = TestApp::builder()
        .config(|c| c.support.max_attachment_bytes = 1024)
        .spawn();
    app.install_catalog();
    let c = app.customer("files@example.com").await;
    let dept = department(&app, "Support").await.to_string();
    let fields = [
        ("department_id", dept.as_str()),
        ("subject", "Files"),
        ("message", "see attached"),
    ];
    let big = vec![b'a'; 2048];
    let res = post_multipart(&app, &c, "/tickets", &fields, &[("huge.txt", &big)]).await;
    let body = json_with_status(res, 413).await;
    assert!(
        body["errors"]["attachments"][0]
            .as_str()
            .unwrap()
            .contains("huge.txt"),
        "{body}"
    );
    for (name, bytes) in [
        ("page.html", b"<script>alert(1)</script>".as_slice()),
        ("fake.png", b"not a png"),
        ("run.exe", b"MZ\x90\0"),
    ] {
        let res = post_multipart(&app, &c, "/tickets", &fields, &[(name, bytes)]).await;
        let body = json_with_status(res, 422).await;
        assert!(
            body["errors"]["attachments"][0]
                .as_str()
                .unwrap()
                .contains(name),
            "{body}"
        );
    }
    let six: Vec<(String, &[u8])> = (0..6)
        .map(|i| (format!("{i}.txt"), b"x".as_slice()))
        .collect();
    let six: Vec<(&str, &[u8])> = six.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    let res = post_multipart(&app, &c, "/tickets", &fields, &six).await;
    assert_eq!(res.status(), 422);
    assert_eq!(ticket_count(&app), 0, "nothing was stored");
}

#[actix_web::test]
async fn forged_departments_services_and_bad_fields_change_nothing() {
    let app = TestApp::with_catalog();
    let c = app.customer("forge@example.com").await;
    let key = app.staff_key(&["support:read", "support:write"]);
    let hidden = ok(
        &app,
        "POST",
        "/api/v1/support-departments",
        &key,
        Some(json!({"name": "Abuse desk", "visible": false})),
        201,
    )
    .await;
    let hidden = hidden["data"]["id"].as_i64().unwrap();
    let support = department(&app, "Support").await;
    for body in [
        json!({"department_id": hidden, "subject": "x", "message": "y"}),
        json!({"department_id": 99_999, "subject": "x", "message": "y"}),
        json!({"department_id": support, "subject": "x", "message": "y", "service_id": 99_999}),
    ] {
        let res = call(&app, &c, "POST", "/tickets", Some(body.clone())).await;
        assert_eq!(res.status(), 404, "{body}");
    }
    for (body, field) in [
        (
            json!({"department_id": support, "subject": "", "message": "y"}),
            "subject",
        ),
        (
            json!({"department_id": support, "subject": "x", "message": "  "}),
            "message",
        ),
        (
            json!({"department_id": support, "subject": "x", "message": "y", "priority": "asap"}),
            "priority",
        ),
        (json!({"subject": "x", "message": "y"}), "department_id"),
    ] {
        let body =
            json_with_status(call(&app, &c, "POST", "/tickets", Some(body)).await, 422).await;
        assert!(body["errors"][field].is_array(), "{field}: {body}");
    }
    assert_eq!(ticket_count(&app), 0);
}

#[actix_web::test]
async fn search_finds_a_customers_own_words_only() {
    let app = TestApp::with_catalog();
    let c = app.customer("search@example.com").await;
    let other = app.customer("nosy@example.com").await;
    open(
        &app,
        &c,
        "Backup restore",
        "Please restore the nightly snapshot",
    )
    .await;
    open(&app, &c, "Invoice question", "Why two invoices?").await;
    open(&app, &other, "Snapshot too", "my snapshot").await;
    let found = json_with_status(call(&app, &c, "GET", "/tickets?q=snapsh", None).await, 200).await;
    let subjects: Vec<&str> = found["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["subject"].as_str().unwrap())
        .collect();
    assert_eq!(subjects, ["Backup restore"]);
    let odd = call(&app, &c, "GET", "/tickets?q=%22%20OR%20*", None).await;
    assert_eq!(odd.status(), 200, "FTS syntax never reaches SQLite raw");
    let bad = call(&app, &c, "GET", "/tickets?status=lost", None).await;
    assert_eq!(bad.status(), 422);
}

#[actix_web::test]
async fn opening_is_limited_per_client() {
    let app = TestApp::builder()
        .config(|c| c.support.tickets_per_hour = 2)
        .spawn();
    app.install_catalog();
    let c = app.customer("busy@example.com").await;
    open(&app, &c, "one", "1").await;
    open(&app, &c, "two", "2").await;
    let dept = department(&app, "Support").await;
    let res = call(
        &app,
        &c,
        "POST",
        "/tickets",
        Some(json!({"department_id": dept, "subject": "three", "message": "3"})),
    )
    .await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
}

#[actix_web::test]
async fn contacts_need_the_support_privileges_and_see_what_they_may() {
    let app = TestApp::with_catalog();
    let owner = app.customer("boss@example.com").await;
    open(&app, &owner, "Owner's own", "private to the owner").await;
    let (_, opener) = app
        .add_contact(
            &owner,
            "helper@example.com",
            json!({"support": ["newticket"]}),
        )
        .await;
    let (_, billing) = app
        .add_contact(
            &owner,
            "books@example.com",
            json!({"billing": ["payinvoice"]}),
        )
        .await;
    let mine = open(&app, &opener, "Helper's", "from the helper").await;
    let seen = json_with_status(call(&app, &opener, "GET", "/tickets", None).await, 200).await;
    let ids: Vec<i64> = seen["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        ids,
        [mine["id"].as_i64().unwrap()],
        "a contact without 'view all' sees only their own"
    );
    assert_eq!(
        call(&app, &billing, "GET", "/tickets", None).await.status(),
        403
    );
    let all = json_with_status(call(&app, &owner, "GET", "/tickets", None).await, 200).await;
    assert_eq!(
        all["data"].as_array().unwrap().len(),
        2,
        "the owner sees all"
    );
}
