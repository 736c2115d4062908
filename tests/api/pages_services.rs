//! The services pages: the list, a service with its label, plan change and
//! cancellation forms, the control panel's login and password for a live
//! cPanel service (against the fake WHM), and nothing of another account's.

use serde_json::json;

use crate::support::{Browser, Customer, TestApp, hosting::Hosting};

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test]
async fn a_customer_labels_upgrades_and_cancels_a_service_in_the_browser() {
    let app = TestApp::with_catalog();
    let c = app.customer("pages-svc@example.com").await;
    let placed = app
        .place_order(&c, "o-1", json!({"items": [{"package_id": "starter", "billing_cycle": "monthly", "domain": "shop.example"}]}))
        .await;
    let staff = app.staff_key(&["billing:write"]);
    let invoice = placed["invoice"]["id"].as_i64().unwrap();
    assert_eq!(
        app.staff_pay(&staff, invoice, "4.99", "T-1").await.status(),
        200
    );

    let mut b = Browser::new(&app);
    b.login(&c.email, PASSWORD).await;
    let list = b.get("/account/services").await;
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains("href=\"/account/services/1\""),
        "{}",
        list.body
    );
    assert!(list.body.contains("shop.example"));

    let page = b.get("/account/services/1").await;
    assert!(page.body.contains("id=\"plan-business\""), "{}", page.body);
    let res = b
        .post(
            "/account/services/1/label",
            &[("csrf", &page.csrf()), ("label", "My <shop>")],
        )
        .await;
    assert_eq!(res.status, 303);
    let page = b.get(res.location()).await;
    assert!(
        page.body.contains("My &#60;shop&#62;"),
        "escaped: {}",
        page.body
    );
    assert!(!page.body.contains("My <shop>"));
    assert!(page.body.contains("The label was saved."));

    // The upgrade is invoiced: off to the invoice.
    let res = b
        .post(
            "/account/services/1/plan",
            &[("csrf", &page.csrf()), ("product", "business")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(
        res.location().starts_with("/account/invoices/"),
        "{}",
        res.location()
    );

    let page = b.get("/account/services/1").await;
    let res = b
        .post(
            "/account/services/1/cancel",
            &[
                ("csrf", &page.csrf()),
                ("cancellation_type", "end_of_billing_period"),
                ("reason", "moving"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let page = b.get(res.location()).await;
    assert!(
        page.body
            .contains("Cancellation requested: end of billing period")
    );
    assert!(!page.body.contains("id=\"cancel-service\""));

    // Without the token nothing changes; another account sees a 404.
    let res = b.post("/account/services/1/label", &[("label", "x")]).await;
    assert_eq!(res.status, 403);
    let other = app.customer("pages-other@example.com").await;
    let mut o = Browser::new(&app);
    o.login(&other.email, PASSWORD).await;
    assert_eq!(o.get("/account/services/1").await.status, 404);
    let csrf = o.get("/account/services").await.csrf();
    let res = o
        .post(
            "/account/services/1/label",
            &[("csrf", &csrf), ("label", "mine")],
        )
        .await;
    assert_eq!(res.status, 404);
}

/// A browser logged in as `c`.
async fn logged_in(app: &TestApp, c: &Customer) -> Browser {
    let mut b = Browser::new(app);
    b.login(&c.email, PASSWORD).await;
    b
}

#[tokio::test]
async fn a_cpanel_service_offers_the_panel_login_and_a_manual_one_does_not() {
    let h = Hosting::start().await;
    let c = h.app.customer("panel-pages@example.com").await;
    let cpanel = h.buy(&c, &h.cpanel, "example.com").await;
    let manual = h.buy(&c, "starter", "manual.example").await;
    assert_eq!(h.status(cpanel).await, "active");
    assert_eq!(h.status(manual).await, "active");

    let mut b = logged_in(&h.app, &c).await;
    let page = b.get(&format!("/account/services/{cpanel}")).await;
    assert!(
        page.body.contains("Log in to control panel"),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!(
        "action=\"/account/services/{cpanel}/panel-login\""
    )));
    assert!(
        page.body
            .contains(&format!("action=\"/account/services/{cpanel}/password\""))
    );
    let page = b.get(&format!("/account/services/{manual}")).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("Log in to control panel"));
    assert!(!page.body.contains("/password\""));
}

#[tokio::test]
async fn the_panel_login_continues_to_the_link_the_panel_gave() {
    let h = Hosting::start().await;
    let c = h.app.customer("sso-pages@example.com").await;
    let id = h.buy(&c, &h.cpanel, "example.com").await;
    let mut b = logged_in(&h.app, &c).await;
    let page = b.get(&format!("/account/services/{id}")).await;

    let res = b
        .post(
            &format!("/account/services/{id}/panel-login"),
            &[("csrf", &page.csrf())],
        )
        .await;
    // Not a redirect: `form-action 'self'` would stop a form post being
    // redirected to the panel's origin. A page of ours moves on instead.
    assert_eq!(res.status, 200, "{}", res.body);
    let url = "https://host.example.net:2083/cpsess0001/login/?session=examplec:sso";
    assert!(
        res.body.contains(&format!("content=\"0;url={url}\"")),
        "{}",
        res.body
    );
    assert!(
        res.body
            .contains(&format!("href=\"{url}\" role=\"button\" id=\"continue\""))
    );
    let sso = h
        .whm
        .calls()
        .into_iter()
        .find(|call| call.function == "create_user_session")
        .expect("the panel was asked for a session");
    assert_eq!(sso.params["user"], "examplec");
}

#[tokio::test]
async fn the_panel_password_is_changed_at_the_panel_and_never_shown() {
    let h = Hosting::start().await;
    let c = h.app.customer("passwd-pages@example.com").await;
    let id = h.buy(&c, &h.cpanel, "example.com").await;
    let mut b = logged_in(&h.app, &c).await;
    let page = b.get(&format!("/account/services/{id}")).await;
    let new = "Another horse battery 42";

    let res = b
        .post(
            &format!("/account/services/{id}/password"),
            &[
                ("csrf", &page.csrf()),
                ("password", new),
                ("password_confirmation", new),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(
        res.location(),
        format!("/account/services/{id}?done=password")
    );
    assert_eq!(h.whm.account("examplec").unwrap().password, new);
    let page = b.get(res.location()).await;
    assert!(
        page.body
            .contains("The control panel password was changed.")
    );
    assert!(!page.body.contains(new));
}

#[tokio::test]
async fn a_mismatched_or_weak_password_re_renders_the_page_and_reaches_no_panel() {
    let h = Hosting::start().await;
    let c = h.app.customer("weak-pages@example.com").await;
    let id = h.buy(&c, &h.cpanel, "example.com").await;
    let mut b = logged_in(&h.app, &c).await;
    let csrf = b.get(&format!("/account/services/{id}")).await.csrf();
    let path = format!("/account/services/{id}/password");

    let typed = "Another horse battery 42";
    let res = b
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("password", typed),
                ("password_confirmation", "Another horse battery 43"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(
        res.body.contains("does not match the password"),
        "{}",
        res.body
    );
    assert!(!res.body.contains(typed), "the password is never echoed");

    let res = b
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("password", "short1"),
                ("password_confirmation", "short1"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(
        res.body.contains("must be at least 12 characters"),
        "{}",
        res.body
    );
    assert!(!res.body.contains("value=\"short1\""));

    assert_eq!(h.whm.functions(), ["createacct"], "the panel was not asked");
    assert_ne!(h.whm.account("examplec").unwrap().password, typed);
}

#[tokio::test]
async fn panel_forms_need_the_token_the_services_privilege_and_the_account() {
    let h = Hosting::start().await;
    let owner = h.app.customer("owner-pages@example.com").await;
    let id = h.buy(&owner, &h.cpanel, "example.com").await;
    let login = format!("/account/services/{id}/panel-login");
    let password = format!("/account/services/{id}/password");
    let strong = [
        ("password", "Another horse battery 42"),
        ("password_confirmation", "Another horse battery 42"),
    ];

    // Without the CSRF token: refused.
    let mut b = logged_in(&h.app, &owner).await;
    assert_eq!(b.post(&login, &[]).await.status, 403);
    assert_eq!(b.post(&password, &strong).await.status, 403);

    // Another client's service: a 404, as in the API.
    let other = h.app.customer("other-pages@example.com").await;
    let mut o = logged_in(&h.app, &other).await;
    let csrf = o.get("/account/services").await.csrf();
    assert_eq!(o.post(&login, &[("csrf", &csrf)]).await.status, 404);
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend_from_slice(&strong);
    assert_eq!(o.post(&password, &fields).await.status, 404);

    // A contact of the owner's account without the services privilege is
    // refused by the pages as by the API.
    let res = h
        .app
        .http
        .post(
            h.app
                .url(&format!("/api/v1/clients/{}/contacts", owner.client_id)),
        )
        .bearer_auth(&owner.access)
        .json(
            &json!({"email": "tech@example.com", "first_name": "Kofi", "last_name": "B",
            "privileges": {"support": ["tickets"]}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    h.app
        .accept_invitation("tech@example.com", "contact passphrase 1")
        .await;
    let contact = h
        .app
        .login("tech@example.com", "contact passphrase 1")
        .await;
    let api = h
        .app
        .http
        .post(h.app.url(&format!(
            "/api/v1/clients/{}/hosting/{id}/login-url",
            owner.client_id
        )))
        .bearer_auth(&contact.access)
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 403);
    let mut k = Browser::new(&h.app);
    k.login("tech@example.com", "contact passphrase 1").await;
    let csrf = k.get("/account").await.csrf();
    assert_eq!(k.post(&login, &[("csrf", &csrf)]).await.status, 403);
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend_from_slice(&strong);
    assert_eq!(k.post(&password, &fields).await.status, 403);

    assert_eq!(h.whm.functions(), ["createacct"], "the panel was not asked");
}
