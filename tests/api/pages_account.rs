//! The logged-in client area: dashboard, profile, contacts, security and
//! the account switcher. Each change is checked through the API too.

use jiff::SignedDuration;
use serde_json::json;
use till::{auth::totp, clock::Clock};

use crate::support::{Browser, TestApp, json_with_status};

const PASSWORD: &str = "correct horse battery staple";

async fn client_json(app: &TestApp, id: i64, access: &str) -> serde_json::Value {
    json_with_status(
        app.get_auth(&format!("/api/v1/clients/{id}"), access).await,
        200,
    )
    .await
}

#[tokio::test]
async fn pages_need_a_login_and_send_the_browser_to_the_login_form() {
    let app = TestApp::spawn();
    let mut browser = Browser::new(&app);
    for path in [
        "/account",
        "/account/profile",
        "/account/contacts",
        "/account/security",
    ] {
        let res = browser.get(path).await;
        assert_eq!(res.status, 303, "{path}");
        assert_eq!(res.location(), "/login", "{path}");
    }
    // A forged cookie is no session.
    browser
        .cookies
        .insert("till_session".into(), "ws_forged".into());
    assert_eq!(browser.get("/account").await.status, 303);
}

#[tokio::test]
async fn the_profile_is_edited_in_the_form_and_bad_input_changes_nothing() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    browser.login(&c.email, PASSWORD).await;

    let form = browser.get("/account/profile").await;
    assert_eq!(form.status, 200);
    assert_eq!(form.input_value("city"), "Accra");
    let mut fields: Vec<(&str, String)> = [
        "first_name",
        "last_name",
        "company_name",
        "email",
        "phone",
        "address1",
        "address2",
        "city",
        "state",
        "postcode",
        "country",
        "vat_id",
    ]
    .into_iter()
    .map(|f| (f, form.input_value(f)))
    .collect();
    fields.push(("csrf", form.csrf()));
    fields.push(("kind", "private".into()));
    let set = |fields: &mut Vec<(&str, String)>, name: &str, value: &str| {
        fields.iter_mut().find(|(k, _)| *k == name).unwrap().1 = value.into();
    };

    let mut bad = fields.clone();
    set(&mut bad, "first_name", "");
    set(&mut bad, "city", "Kumasi");
    let as_refs = |f: &Vec<(&str, String)>| -> Vec<(String, String)> {
        f.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    };
    let post = |f: Vec<(String, String)>| {
        let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        refs.into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<Vec<_>>()
    };
    let bad_fields = post(as_refs(&bad));
    let bad_refs: Vec<(&str, &str)> = bad_fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let res = browser.post("/account/profile", &bad_refs).await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("first_name-error"), "{}", res.body);
    assert!(
        res.body.contains("value=\"Kumasi\""),
        "typed values are shown again"
    );
    assert_eq!(
        client_json(&app, c.client_id, &c.access).await["data"]["city"],
        "Accra"
    );

    set(&mut fields, "city", "Kumasi");
    set(&mut fields, "phone", "+233244000111");
    let good = as_refs(&fields);
    let good_refs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = browser.post("/account/profile", &good_refs).await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), "/account/profile?saved=1");
    let page = browser.get("/account/profile?saved=1").await;
    assert!(page.body.contains("Your profile was saved."));
    assert_eq!(page.input_value("city"), "Kumasi");
    let stored = client_json(&app, c.client_id, &c.access).await;
    assert_eq!(stored["data"]["city"], "Kumasi");
    assert_eq!(stored["data"]["phone"], "+233244000111");
}

#[tokio::test]
async fn contacts_are_added_with_privileges_edited_and_removed() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    browser.login(&c.email, PASSWORD).await;

    let res = browser
        .submit(
            "/account/contacts/new",
            "/account/contacts/new",
            &[
                ("email", "kofi@example.com"),
                ("first_name", "Kofi"),
                ("last_name", "Boateng"),
                ("priv.billing.payinvoice", "on"),
                ("priv.support.tickets", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let list = browser.get("/account/contacts?done=added").await;
    assert!(list.body.contains("kofi@example.com"));
    // Kofi accepts the emailed invitation, choosing a password.
    app.accept_invitation("kofi@example.com", "contact passphrase 1")
        .await;

    let api = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/contacts", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    let id = api["data"][0]["id"].as_i64().unwrap();
    assert_eq!(
        api["data"][0]["privileges"]["billing"],
        json!(["payinvoice"])
    );

    // The contact can log in to the client area.
    let mut kofi = Browser::new(&app);
    kofi.login("kofi@example.com", "contact passphrase 1").await;
    // Without misc.manageprofiles, the contacts pages are refused.
    assert_eq!(kofi.get("/account/contacts").await.status, 403);
    assert_eq!(
        kofi.get(&format!("/account/contacts/{id}")).await.status,
        403
    );
    // Without misc.editmain, the profile cannot be changed.
    let form = kofi.get("/account/profile").await;
    assert!(form.body.contains("<fieldset disabled>"));
    let res = kofi
        .post(
            "/account/profile",
            &[
                ("csrf", &form.csrf()),
                ("first_name", "Kofi"),
                ("last_name", "Owns"),
            ],
        )
        .await;
    assert_eq!(res.status, 403);

    // The owner edits the privileges.
    let edit = browser.get(&format!("/account/contacts/{id}")).await;
    assert_eq!(edit.status, 200);
    let res = browser
        .post(
            &format!("/account/contacts/{id}"),
            &[
                ("csrf", &edit.csrf()),
                ("first_name", "Kofi"),
                ("last_name", "Boateng"),
                ("priv.misc.manageprofiles", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(
        kofi.get("/account/contacts").await.status,
        200,
        "now allowed"
    );

    // A contact id of another client is a 404.
    let other = app.customer("other@example.com").await;
    let mut stranger = Browser::new(&app);
    stranger.login(&other.email, PASSWORD).await;
    assert_eq!(
        stranger
            .get(&format!("/account/contacts/{id}"))
            .await
            .status,
        404
    );
    let csrf = stranger.get("/account").await.csrf();
    let res = stranger
        .post(
            &format!("/account/contacts/{id}/delete"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(res.status, 404);

    let res = browser
        .post(
            &format!("/account/contacts/{id}/delete"),
            &[("csrf", &edit.csrf())],
        )
        .await;
    assert_eq!(res.status, 303);
    let api = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/contacts", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(api["data"], json!([]));
}

#[tokio::test]
async fn a_contact_form_with_bad_input_is_shown_again_with_its_errors() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    browser.login(&c.email, PASSWORD).await;
    let res = browser
        .submit(
            "/account/contacts/new",
            "/account/contacts/new",
            &[
                ("email", "nope"),
                ("first_name", ""),
                ("priv.billing.balance", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("email-error") && res.body.contains("first_name-error"));
    assert!(res.body.contains("name=\"priv.billing.balance\" checked"));
}

#[tokio::test]
async fn the_security_page_changes_the_password_and_ends_other_sessions() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    browser.login(&c.email, PASSWORD).await;

    let wrong = browser
        .submit(
            "/account/security",
            "/account/security/password",
            &[
                ("current_password", "wrong one entirely"),
                ("new_password", "another long passphrase"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("is not your current password"));

    let res = browser
        .submit(
            "/account/security",
            "/account/security/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "another long passphrase"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(
        browser.get("/account/security").await.status,
        200,
        "this session stays"
    );
    assert_eq!(
        app.get_auth("/api/v1/me", &c.access).await.status(),
        401,
        "the API session ended"
    );
}

#[tokio::test]
async fn two_factor_is_set_up_with_the_qr_code_and_recovery_codes_then_turned_off() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    browser.login(&c.email, PASSWORD).await;

    let setup = browser
        .submit("/account/security", "/account/security/2fa/setup", &[])
        .await;
    assert_eq!(setup.status, 200);
    assert!(setup.body.contains("<svg"), "the QR code is inline SVG");
    let start = setup.body.find("id=\"totp-secret\">").unwrap() + "id=\"totp-secret\">".len();
    let secret = setup.body[start..start + setup.body[start..].find('<').unwrap()].to_string();

    let wrong = browser
        .post(
            "/account/security/2fa/enable",
            &[("csrf", &setup.csrf()), ("code", "123456")],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(
        wrong.body.contains(&secret),
        "the same secret is shown again"
    );

    let code = totp::code_at(&secret, app.clock.now()).unwrap();
    let on = browser
        .post(
            "/account/security/2fa/enable",
            &[("csrf", &setup.csrf()), ("code", &code)],
        )
        .await;
    assert_eq!(on.status, 200);
    let codes = &on.body[on.body.find("id=\"recovery-codes\"").unwrap()..];
    let codes = &codes[..codes.find("</ul>").unwrap()];
    assert_eq!(codes.matches("<li>").count(), 10, "ten recovery codes");
    let me = json_with_status(app.get_auth("/api/v1/me", &c.access).await, 200).await;
    assert_eq!(me["user"]["two_factor_enabled"], true, "{me}");

    app.clock.advance(SignedDuration::from_secs(31));
    let page = browser.get("/account/security").await;
    assert!(page.body.contains("Turn off two-factor authentication"));
    let res = browser
        .post(
            "/account/security/2fa/disable",
            &[
                ("csrf", &page.csrf()),
                ("code", &totp::code_at(&secret, app.clock.now()).unwrap()),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let me = json_with_status(app.get_auth("/api/v1/me", &c.access).await, 200).await;
    assert_eq!(me["user"]["two_factor_enabled"], false);
}

#[tokio::test]
async fn sessions_are_listed_and_ending_one_stops_its_tokens_at_once() {
    let app = TestApp::spawn();
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    browser.login(&c.email, PASSWORD).await;
    let page = browser.get("/account/security").await;
    assert!(page.body.contains("this browser"));
    assert!(
        page.body.contains("tests"),
        "the API session is listed by its device name"
    );

    let tokens = json_with_status(app.get_auth("/api/v1/auth/tokens", &c.access).await, 200).await;
    let api_session = tokens["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "tests")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let res = browser
        .post(
            &format!("/account/security/sessions/{api_session}/revoke"),
            &[("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(app.get_auth("/api/v1/me", &c.access).await.status(), 401);

    // Someone else's session id is a 404 and ends nothing.
    let other = app.customer("other@example.com").await;
    let tokens = json_with_status(
        app.get_auth("/api/v1/auth/tokens", &other.access).await,
        200,
    )
    .await;
    let theirs = tokens["data"][0]["id"].as_i64().unwrap();
    let res = browser
        .post(
            &format!("/account/security/sessions/{theirs}/revoke"),
            &[("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(res.status, 404);
    assert_eq!(
        app.get_auth("/api/v1/me", &other.access).await.status(),
        200
    );
}

#[tokio::test]
async fn a_user_of_several_accounts_switches_between_them_but_not_into_others() {
    let app = TestApp::spawn();
    let owner = app.customer("owner@example.com").await;
    let ama = app.customer("ama@example.com").await;
    // Ama becomes a contact of the owner's company too.
    let res = app
        .http
        .post(app.url(&format!("/api/v1/clients/{}/contacts", owner.client_id)))
        .bearer_auth(&owner.access)
        .json(&json!({"email": ama.email, "first_name": "x", "last_name": "y", "privileges": {"misc": ["emails"]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    app.accept_invitation_as(&ama).await;
    let stranger = app.customer("stranger@example.com").await;

    let mut browser = Browser::new(&app);
    browser.login(&ama.email, PASSWORD).await;
    let dash = browser.get("/account").await;
    assert!(
        dash.body.contains("name=\"client\""),
        "the switcher is shown"
    );
    assert!(dash.body.contains(&format!("Account #{}", ama.client_id)));

    let res = browser
        .post(
            "/account/switch",
            &[
                ("csrf", &dash.csrf()),
                ("client", &owner.client_id.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let dash = browser.get("/account").await;
    assert!(dash.body.contains(&format!("Account #{}", owner.client_id)));
    assert!(dash.body.contains("you are contact"));

    let res = browser
        .post(
            "/account/switch",
            &[
                ("csrf", &dash.csrf()),
                ("client", &stranger.client_id.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status, 404);
    let dash = browser.get("/account").await;
    assert!(
        dash.body.contains(&format!("Account #{}", owner.client_id)),
        "unchanged"
    );
}
