//! Client accounts, profiles, overview, dashboard, events and contacts
//! through the API, with privileges enforced.

use serde_json::json;

use crate::support::{Customer, TestApp, json_with_status};

async fn patch(
    app: &TestApp,
    path: &str,
    token: &str,
    body: serde_json::Value,
) -> reqwest::Response {
    app.http
        .patch(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn post(
    app: &TestApp,
    path: &str,
    token: &str,
    body: serde_json::Value,
) -> reqwest::Response {
    app.http
        .post(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_user_sees_their_client_and_updates_its_profile() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let list = json_with_status(app.get_auth("/api/v1/clients", &c.access).await, 200).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);

    let path = format!("/api/v1/clients/{}/profile", c.client_id);
    let res = patch(&app, &path, &c.access, json!({"company_name": "Example Company", "kind": "company", "phone": "+233 55 050 7788", "country": "gb"})).await;
    let body = json_with_status(res, 200).await;
    assert_eq!(body["data"]["display_name"], "Example Company");
    assert_eq!(body["data"]["country"], "GB");

    let bad = patch(
        &app,
        &path,
        &c.access,
        json!({"country": "Great Britain", "first_name": ""}),
    )
    .await;
    let errors = json_with_status(bad, 422).await["errors"].clone();
    assert!(
        errors["country"].is_array() && errors["first_name"].is_array(),
        "{errors}"
    );
    let unknown_field = patch(&app, &path, &c.access, json!({"credit_balance": 100000})).await;
    assert_eq!(unknown_field.status(), 422);
    let after = json_with_status(
        app.get_auth(&format!("/api/v1/clients/{}", c.client_id), &c.access)
            .await,
        200,
    )
    .await;
    assert_eq!(after["data"]["country"], "GB");
    assert_eq!(after["data"]["credit_balance"]["amount_minor"], 0);

    // The change is in the account's events.
    let events = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/events", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    assert!(
        events["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "client.profile_updated")
    );
    assert_eq!(events["meta"]["current_page"], 1);

    let dash = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/dashboard", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(dash["data"]["overview"]["contacts"], 0);
    assert!(!dash["data"]["recent_events"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_uuid_works_as_the_client_id_and_x_client_id_must_match() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let one = json_with_status(
        app.get_auth(&format!("/api/v1/clients/{}", c.client_id), &c.access)
            .await,
        200,
    )
    .await;
    let uuid = one["data"]["uuid"].as_str().unwrap();
    let by_uuid = json_with_status(
        app.get_auth(&format!("/api/v1/clients/{uuid}"), &c.access)
            .await,
        200,
    )
    .await;
    assert_eq!(by_uuid["data"]["id"], c.client_id);

    let mismatch = app
        .http
        .get(app.url(&format!("/api/v1/clients/{}", c.client_id)))
        .bearer_auth(&c.access)
        .header("X-Client-Id", "999")
        .send()
        .await
        .unwrap();
    assert_eq!(mismatch.status(), 422);
    let matching = app
        .http
        .get(app.url(&format!("/api/v1/clients/{}", c.client_id)))
        .bearer_auth(&c.access)
        .header("X-Client-Id", c.client_id.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(matching.status(), 200);
}

async fn add_contact(
    app: &TestApp,
    owner: &Customer,
    email: &str,
    privileges: serde_json::Value,
) -> (i64, Customer) {
    app.add_contact(owner, email, privileges).await
}

#[tokio::test]
async fn contacts_are_added_listed_changed_and_removed() {
    let app = TestApp::spawn();
    let owner = app.customer("owner@example.com").await;
    let base = format!("/api/v1/clients/{}/contacts", owner.client_id);
    let (id, contact) = add_contact(
        &app,
        &owner,
        "kofi@example.com",
        json!({"billing": ["payinvoice"], "support": ["tickets"]}),
    )
    .await;
    assert!(
        app.deliver_mail()
            .await
            .iter()
            .any(|m| m.to == ["kofi@example.com"] && m.subject.contains("invited"))
    );

    // The contact logged in and sees the client, as a contact.
    let me = json_with_status(app.get_auth("/api/v1/me", &contact.access).await, 200).await;
    assert_eq!(me["clients"][0]["role"], "contact");
    assert!(
        me["clients"][0]["credit_balance"].is_null(),
        "no billing.balance, no balance"
    );

    let list = json_with_status(app.get_auth(&base, &owner.access).await, 200).await;
    assert_eq!(
        list["data"][0]["privileges"]["billing"],
        json!(["payinvoice"])
    );
    assert_eq!(list["data"][0]["can_log_in"], true);

    let changed = patch(
        &app,
        &format!("{base}/{id}"),
        &owner.access,
        json!({"privileges": {"billing": ["balance"], "misc": ["editmain"]}}),
    )
    .await;
    let body = json_with_status(changed, 200).await;
    assert_eq!(body["data"]["privileges"]["misc"], json!(["editmain"]));
    // Now the contact may edit the profile and see the balance.
    let res = patch(
        &app,
        &format!("/api/v1/clients/{}/profile", owner.client_id),
        &contact.access,
        json!({"city": "Kumasi"}),
    )
    .await;
    assert_eq!(res.status(), 200);

    let typo = patch(
        &app,
        &format!("{base}/{id}"),
        &owner.access,
        json!({"privileges": {"billing": ["everything"]}}),
    )
    .await;
    assert_eq!(typo.status(), 422);

    let res = app
        .http
        .delete(app.url(&format!("{base}/{id}")))
        .bearer_auth(&owner.access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // Removed: their sessions ended with them.
    assert_eq!(
        app.get_auth("/api/v1/me", &contact.access).await.status(),
        401
    );
    assert_eq!(
        app.get_auth(&format!("{base}/{id}"), &owner.access)
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn a_contact_without_a_privilege_is_refused_where_it_is_needed() {
    let app = TestApp::spawn();
    let owner = app.customer("owner@example.com").await;
    let (_, contact) = add_contact(
        &app,
        &owner,
        "kofi@example.com",
        json!({"support": ["tickets"]}),
    )
    .await;
    let client = owner.client_id;

    // May see the account...
    assert_eq!(
        app.get_auth(&format!("/api/v1/clients/{client}"), &contact.access)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.get_auth(
            &format!("/api/v1/clients/{client}/overview"),
            &contact.access
        )
        .await
        .status(),
        200
    );
    // ...but not do what needs a privilege it lacks.
    let refused = [
        patch(
            &app,
            &format!("/api/v1/clients/{client}/profile"),
            &contact.access,
            json!({"city": "X"}),
        )
        .await,
        app.get_auth(
            &format!("/api/v1/clients/{client}/contacts"),
            &contact.access,
        )
        .await,
        post(
            &app,
            &format!("/api/v1/clients/{client}/contacts"),
            &contact.access,
            json!({"email": "x@example.com", "first_name": "X", "last_name": "Y"}),
        )
        .await,
        app.get_auth(&format!("/api/v1/clients/{client}/events"), &contact.access)
            .await,
    ];
    for res in refused {
        assert_eq!(res.status(), 403, "{}", res.url());
    }
    let overview = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{client}/overview"),
            &contact.access,
        )
        .await,
        200,
    )
    .await;
    assert!(overview["data"]["credit_balance"].is_null());
}

#[tokio::test]
async fn a_contact_cannot_grant_more_than_it_holds_or_change_itself() {
    let app = TestApp::spawn();
    let owner = app.customer("owner@example.com").await;
    let (own_id, manager) = add_contact(
        &app,
        &owner,
        "kofi@example.com",
        json!({"misc": ["manageprofiles"], "billing": ["payinvoice"]}),
    )
    .await;
    let base = format!("/api/v1/clients/{}/contacts", owner.client_id);
    let too_much = post(&app, &base, &manager.access, json!({"email": "x@example.com", "first_name": "X", "last_name": "Y", "privileges": {"billing": ["payinvoice", "addfunds"]}})).await;
    assert_eq!(too_much.status(), 422);
    let fine = post(&app, &base, &manager.access, json!({"email": "x@example.com", "first_name": "X", "last_name": "Y", "privileges": {"billing": ["payinvoice"]}})).await;
    assert_eq!(fine.status(), 201);
    let escalate = patch(
        &app,
        &format!("{base}/{own_id}"),
        &manager.access,
        json!({"privileges": {"misc": ["manageprofiles", "editmain"]}}),
    )
    .await;
    assert_eq!(escalate.status(), 403);
}

#[tokio::test]
async fn one_user_may_belong_to_several_clients() {
    let app = TestApp::spawn();
    let a = app.customer("a@example.com").await;
    let b = app.customer("b@example.com").await;
    // b adds a (who has their own login) as a contact of b's client.
    let res = post(
        &app,
        &format!("/api/v1/clients/{}/contacts", b.client_id),
        &b.access,
        json!({"email": "a@example.com", "first_name": "A", "last_name": "A"}),
    )
    .await;
    assert_eq!(res.status(), 201);
    app.accept_invitation_as(&a).await;
    let list = json_with_status(app.get_auth("/api/v1/clients", &a.access).await, 200).await;
    let roles: Vec<&str> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["owner", "contact"]);
    // a's own password is unchanged.
    app.login(&a.email, &a.password).await;
}
