//! Issue 12, items 7 and 8: contacts cannot take over the account or each
//! other, and joining is by invitation: the invitee sets their own
//! password, and the inviter learns nothing about the address.

use serde_json::{Value, json};

use crate::support::{Browser, CONTACT_PASSWORD, Customer, TestApp, json_with_status, sql};

async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    body: Value,
) -> reqwest::Response {
    app.http
        .request(method.parse().unwrap(), app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn invite(
    app: &TestApp,
    by: &Customer,
    client: i64,
    email: &str,
    privileges: Value,
) -> reqwest::Response {
    send(
        app,
        "POST",
        &format!("/api/v1/clients/{client}/contacts"),
        &by.access,
        json!({"email": email, "first_name": "New", "last_name": "Person", "privileges": privileges}),
    )
    .await
}

/// A contact's privileges, as staff see the contact.
async fn privileges_of(app: &TestApp, client: i64, contact: i64) -> Value {
    app.staff_get(&format!("/api/v1/clients/{client}/contacts/{contact}"))
        .await["data"]["privileges"]
        .clone()
}

/// Who belongs to the client: its owner and its contacts (the contacts
/// list, as staff see it, leaves the owner out).
async fn memberships_of(app: &TestApp, client: i64) -> usize {
    let contacts = app
        .staff_get(&format!("/api/v1/clients/{client}/contacts"))
        .await;
    1 + contacts["data"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_contact_cannot_edit_the_account_owner() {
    let app = TestApp::spawn();
    let owner = app.customer("owner@example.com").await;
    let everything = json!({"billing": ["emails", "payinvoice", "orders", "balance", "addfunds"],
        "support": ["newticket", "tickets", "closeticket", "emails"],
        "misc": ["editmain", "emails", "manageprofiles"], "services": ["full"], "domains": ["full"]});
    let (_, manager) = app
        .add_contact(&owner, "manager@example.com", everything)
        .await;
    let owner_id = sql::owner_membership(&app, owner.client_id);
    let path = format!("/api/v1/clients/{}/contacts/{owner_id}", owner.client_id);

    for (method, body) in [
        ("GET", json!({})),
        ("PATCH", json!({"privileges": {}, "first_name": "Taken"})),
        ("DELETE", json!({})),
    ] {
        let res = send(&app, method, &path, &manager.access, body).await;
        assert_eq!(res.status(), 404, "{method}: the owner is nobody's contact");
    }
    // The owner is still the owner, with their login.
    let me = json_with_status(app.get_auth("/api/v1/me", &owner.access).await, 200).await;
    assert_eq!(me["clients"][0]["role"], "owner");
    assert_eq!(me["user"]["first_name"], "Ama");
    app.login(&owner.email, &owner.password).await;
}

#[tokio::test]
async fn a_contact_cannot_change_or_remove_a_contact_holding_more_than_it() {
    let app = TestApp::spawn();
    let owner = app.customer("owner@example.com").await;
    let (_, manager) = app
        .add_contact(
            &owner,
            "manager@example.com",
            json!({"misc": ["manageprofiles"], "billing": ["payinvoice"]}),
        )
        .await;
    let (rich, _) = app
        .add_contact(
            &owner,
            "rich@example.com",
            json!({"billing": ["payinvoice", "addfunds"]}),
        )
        .await;
    let (poor, _) = app
        .add_contact(
            &owner,
            "poor@example.com",
            json!({"billing": ["payinvoice"]}),
        )
        .await;
    let base = format!("/api/v1/clients/{}/contacts", owner.client_id);
    let before = privileges_of(&app, owner.client_id, rich).await;

    let strip = send(
        &app,
        "PATCH",
        &format!("{base}/{rich}"),
        &manager.access,
        json!({"privileges": {}}),
    )
    .await;
    assert_eq!(strip.status(), 403);
    let remove = send(
        &app,
        "DELETE",
        &format!("{base}/{rich}"),
        &manager.access,
        json!({}),
    )
    .await;
    assert_eq!(remove.status(), 403);
    assert_eq!(
        privileges_of(&app, owner.client_id, rich).await,
        before,
        "nothing changed"
    );

    // Someone it holds everything of, it may manage.
    let change = send(
        &app,
        "PATCH",
        &format!("{base}/{poor}"),
        &manager.access,
        json!({"privileges": {}}),
    )
    .await;
    assert_eq!(change.status(), 200);
    let remove = send(
        &app,
        "DELETE",
        &format!("{base}/{poor}"),
        &manager.access,
        json!({}),
    )
    .await;
    assert_eq!(remove.status(), 200);
}

#[tokio::test]
async fn a_contact_cannot_withdraw_an_invitation_granting_more_than_it_holds() {
    let app = TestApp::spawn();
    let owner = app.customer("owner@example.com").await;
    let (_, manager) = app
        .add_contact(
            &owner,
            "manager@example.com",
            json!({"misc": ["manageprofiles"]}),
        )
        .await;
    let invited = json_with_status(
        invite(
            &app,
            &owner,
            owner.client_id,
            "cfo@example.com",
            json!({"billing": ["addfunds"]}),
        )
        .await,
        201,
    )
    .await;
    let id = invited["data"]["id"].as_i64().unwrap();
    let path = format!("/api/v1/clients/{}/invitations/{id}", owner.client_id);
    assert_eq!(
        send(&app, "DELETE", &path, &manager.access, json!({}))
            .await
            .status(),
        403
    );
    assert_eq!(
        send(&app, "DELETE", &path, &owner.access, json!({}))
            .await
            .status(),
        200
    );
    // A withdrawn invitation's link no longer works.
    let token = app.invitation_token("cfo@example.com").await;
    let res = app
        .post_json(
            "/api/v1/invitations/accept",
            json!({"token": token, "password": CONTACT_PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn nobody_sets_a_contacts_password_for_them() {
    let app = TestApp::spawn();
    let owner = app.customer("owner@example.com").await;
    let with_password = send(
        &app,
        "POST",
        &format!("/api/v1/clients/{}/contacts", owner.client_id),
        &owner.access,
        json!({"email": "kofi@example.com", "first_name": "K", "last_name": "B", "password": "owner knows this 1"}),
    )
    .await;
    assert_eq!(
        with_password.status(),
        422,
        "no password is taken from the inviter"
    );

    let (id, kofi) = app.add_contact(&owner, "kofi@example.com", json!({})).await;
    let res = send(
        &app,
        "PATCH",
        &format!("/api/v1/clients/{}/contacts/{id}", owner.client_id),
        &owner.access,
        json!({"password": "owner knows this 1"}),
    )
    .await;
    assert_eq!(res.status(), 422);
    // Kofi's own password still works; the owner's guess does not.
    app.login(&kofi.email, CONTACT_PASSWORD).await;
    let res = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": kofi.email, "password": "owner knows this 1"}),
        )
        .await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn inviting_a_contact_answers_the_same_whether_or_not_the_email_has_a_login() {
    let app = TestApp::spawn();
    let owner = app.customer("owner@example.com").await;
    app.customer("has-login@example.com").await;

    let mut answers = Vec::new();
    for email in ["has-login@example.com", "no-login@example.com"] {
        let mut body = json_with_status(
            invite(
                &app,
                &owner,
                owner.client_id,
                email,
                json!({"billing": ["payinvoice"]}),
            )
            .await,
            201,
        )
        .await;
        assert_eq!(body["data"]["email"], email);
        assert_eq!(
            body["data"]["first_name"], "New",
            "what the inviter typed, never the login's name"
        );
        for key in ["id", "email", "created_at", "expires_at"] {
            body["data"][key] = Value::Null;
        }
        answers.push(body);
    }
    assert_eq!(answers[0], answers[1]);
    // Nobody has access before accepting; both got an invitation email.
    assert_eq!(memberships_of(&app, owner.client_id).await, 1);
    let mail = app.deliver_mail().await;
    for email in ["has-login@example.com", "no-login@example.com"] {
        assert!(
            mail.iter()
                .any(|m| m.to == [email] && m.subject.contains("invited")),
            "{email}"
        );
    }
    let pending = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/invitations", owner.client_id),
            &owner.access,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(pending["data"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn an_invitation_token_works_once_and_the_invitee_sets_their_own_password() {
    let app = TestApp::spawn();
    let owner = app.customer("owner@example.com").await;
    json_with_status(
        invite(&app, &owner, owner.client_id, "kofi@example.com", json!({})).await,
        201,
    )
    .await;
    let token = app.invitation_token("kofi@example.com").await;
    let accept = |password: &'static str| {
        app.post_json(
            "/api/v1/invitations/accept",
            json!({"token": token, "password": password}),
        )
    };
    let weak = accept("short").await;
    assert!(json_with_status(weak, 422).await["errors"]["password"].is_array());
    let ok = json_with_status(accept("a passphrase of my own").await, 200).await;
    assert_eq!(ok["client_id"], owner.client_id);
    assert_eq!(
        accept("another passphrase 2").await.status(),
        422,
        "the token is spent"
    );
    // Kofi logs in with the password Kofi chose, as a contact.
    let kofi = app
        .login("kofi@example.com", "a passphrase of my own")
        .await;
    let me = json_with_status(app.get_auth("/api/v1/me", &kofi.access).await, 200).await;
    assert_eq!(me["clients"][0]["role"], "contact");
    assert_eq!(
        me["user"]["email_verified"], true,
        "the token came by email"
    );
}

#[tokio::test]
async fn an_invited_login_accepts_by_logging_in_and_keeps_its_password() {
    let app = TestApp::spawn();
    let owner = app.customer("owner@example.com").await;
    let ama = app.customer("ama@example.com").await;
    json_with_status(
        invite(&app, &owner, owner.client_id, "ama@example.com", json!({})).await,
        201,
    )
    .await;
    let token = app.invitation_token("ama@example.com").await;

    // The token alone cannot set a password on an existing login.
    let res = app
        .post_json(
            "/api/v1/invitations/accept",
            json!({"token": token, "password": "taken over 12345"}),
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .post_json(
            "/api/v1/auth/login",
            json!({"email": ama.email, "password": "taken over 12345"}),
        )
        .await;
    assert_eq!(res.status(), 401);

    // Another login holding the link cannot use it.
    let stranger = app.customer("stranger@example.com").await;
    let res = send(
        &app,
        "POST",
        "/api/v1/invitations/accept",
        &stranger.access,
        json!({"token": token}),
    )
    .await;
    assert_eq!(res.status(), 422);
    assert_eq!(memberships_of(&app, owner.client_id).await, 1);

    let res = send(
        &app,
        "POST",
        "/api/v1/invitations/accept",
        &ama.access,
        json!({"token": token}),
    )
    .await;
    json_with_status(res, 200).await;
    let clients = json_with_status(app.get_auth("/api/v1/clients", &ama.access).await, 200).await;
    let roles: Vec<&str> = clients["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["owner", "contact"]);
    app.login(&ama.email, &ama.password).await;
}

#[tokio::test]
async fn an_expired_invitation_cannot_be_accepted() {
    let app = TestApp::spawn();
    let owner = app.customer("owner@example.com").await;
    json_with_status(
        invite(&app, &owner, owner.client_id, "late@example.com", json!({})).await,
        201,
    )
    .await;
    let token = app.invitation_token("late@example.com").await;
    app.clock
        .advance(jiff::SignedDuration::from_hours(7 * 24 + 1));
    let res = app
        .post_json(
            "/api/v1/invitations/accept",
            json!({"token": token, "password": CONTACT_PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(memberships_of(&app, owner.client_id).await, 1);
}

#[tokio::test]
async fn inviting_contacts_is_rate_limited_per_account() {
    let app = TestApp::spawn();
    let owner = app.customer("owner@example.com").await;
    for i in 0..10 {
        let res = invite(
            &app,
            &owner,
            owner.client_id,
            &format!("p{i}@example.com"),
            json!({}),
        )
        .await;
        assert_eq!(res.status(), 201, "invitation {i}");
    }
    let res = invite(
        &app,
        &owner,
        owner.client_id,
        "one-more@example.com",
        json!({}),
    )
    .await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    // Another account has its own allowance.
    let other = app.customer("other@example.com").await;
    assert_eq!(
        invite(&app, &other, other.client_id, "x@example.com", json!({}))
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn a_new_invitee_chooses_a_password_on_the_invitation_page_and_is_logged_in() {
    let app = TestApp::spawn();
    let owner = app.customer("owner@example.com").await;
    json_with_status(
        invite(&app, &owner, owner.client_id, "kofi@example.com", json!({})).await,
        201,
    )
    .await;
    let token = app.invitation_token("kofi@example.com").await;
    let mut browser = Browser::new(&app);
    let page = browser.get(&format!("/invitation?token={token}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Choose a password"), "{}", page.body);

    let res = browser
        .post(
            "/invitation",
            &[
                ("csrf", &page.csrf()),
                ("token", &token),
                ("first_name", "Kofi"),
                ("last_name", "Boateng"),
                ("password", "a passphrase picked here"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.location(), "/account");
    let dash = browser.get("/account").await;
    assert!(dash.body.contains("you are contact"), "{}", dash.body);
    // The link is spent.
    assert_eq!(
        Browser::new(&app)
            .get(&format!("/invitation?token={token}"))
            .await
            .status,
        404
    );
    app.login("kofi@example.com", "a passphrase picked here")
        .await;
}

#[tokio::test]
async fn an_existing_login_accepts_on_the_invitation_page_after_logging_in() {
    let app = TestApp::spawn();
    let owner = app.customer("owner@example.com").await;
    let ama = app.customer("ama@example.com").await;
    json_with_status(
        invite(&app, &owner, owner.client_id, "ama@example.com", json!({})).await,
        201,
    )
    .await;
    let token = app.invitation_token("ama@example.com").await;
    let mut browser = Browser::new(&app);
    let page = browser.get(&format!("/invitation?token={token}")).await;
    assert!(page.body.contains("already has a login"), "{}", page.body);
    assert!(!page.body.contains("Choose a password"));

    let next = format!("/invitation?token={token}");
    let res = browser
        .post(
            "/login",
            &[
                ("csrf", &page.csrf()),
                ("email", &ama.email),
                ("password", &ama.password),
                ("next", &next),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), next, "back to the invitation");
    let page = browser.get(&next).await;
    assert!(page.body.contains("Accept the invitation"), "{}", page.body);
    let res = browser
        .post(
            "/invitation/accept",
            &[("csrf", &page.csrf()), ("token", &token)],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(memberships_of(&app, owner.client_id).await, 2);
    let dash = browser.get("/account").await;
    assert!(
        dash.body.contains("you are contact"),
        "the joined account is the one shown"
    );
}

#[tokio::test]
async fn the_login_form_follows_no_next_page_but_its_own() {
    let app = TestApp::spawn();
    let ama = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    let page = browser.get("/login").await;
    let res = browser
        .post(
            "/login",
            &[
                ("csrf", &page.csrf()),
                ("email", &ama.email),
                ("password", &ama.password),
                ("next", "https://evil.example/invitation?token=x"),
            ],
        )
        .await;
    assert_eq!(res.location(), "/account");
}
