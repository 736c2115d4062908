//! The client area's DNS records editor: reached from the service page,
//! it lists, adds, edits and deletes records on the real PowerDNS; a bad
//! record is shown again with its error and changes nothing; a form
//! without its CSRF token is refused; another account's zone is not found.

use serde_json::json;

use crate::support::{Browser, Customer, TestApp, call, json_with_status, powerdns::powerdns};

const PASSWORD: &str = "correct horse battery staple";

/// An app with a customer's live `starter` service and its zone; answers
/// the app, the customer, the service id and the zone id.
async fn zone_of(domain: &str) -> Option<(TestApp, Customer, i64, i64)> {
    let pdns = powerdns()?;
    let app = TestApp::builder().config(|c| pdns.configure(c)).spawn();
    app.install_catalog();
    let c = app.customer(&format!("editor@{domain}")).await;
    let placed = app
        .place_order(&c, "o-1", json!({"items": [{"package_id": "starter", "billing_cycle": "monthly", "domain": domain}]}))
        .await;
    let staff = app.staff_key(&["billing:write"]);
    let invoice = placed["invoice"]["id"].as_i64().unwrap();
    let minor = placed["invoice"]["total"]["amount_minor"].as_i64().unwrap();
    let amount = format!("{}.{:02}", minor / 100, minor % 100);
    assert_eq!(
        app.staff_pay(&staff, invoice, &amount, "T-1")
            .await
            .status(),
        200
    );
    let res = call(&app, &c, "POST", "/services/1/dns", Some(json!({}))).await;
    let zone = json_with_status(res, 201).await["data"]["id"]
        .as_i64()
        .unwrap();
    Some((app, c, 1, zone))
}

#[tokio::test]
async fn the_editor_lists_adds_edits_and_deletes_records() {
    let Some((app, c, service, zone)) = zone_of("editor-zone.com").await else {
        return;
    };
    let pdns = powerdns().unwrap();
    let mut b = Browser::new(&app);
    b.login(&c.email, PASSWORD).await;
    let page = b.get(&format!("/account/services/{service}")).await;
    assert!(
        page.body.contains(&format!("href=\"/account/dns/{zone}\"")),
        "{}",
        page.body
    );

    let page = b.get(&format!("/account/dns/{zone}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("DNS for editor-zone.com"));
    let csrf = page.csrf();
    let res = b
        .post(
            &format!("/account/dns/{zone}/records"),
            &[
                ("csrf", &csrf),
                ("type", "A"),
                ("name", "shop"),
                ("value", "192.0.2.50"),
                ("ttl", ""),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(
        pdns.resolve("shop.editor-zone.com", "A"),
        vec!["192.0.2.50"]
    );
    let page = b.get(&format!("/account/dns/{zone}?done=added")).await;
    assert!(page.body.contains("The record was added."));
    assert!(page.body.contains("192.0.2.50"));

    let record = json_with_status(
        call(&app, &c, "GET", &format!("/dns/{zone}"), None).await,
        200,
    )
    .await["data"]["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["value"] == "192.0.2.50")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let form = b
        .get(&format!("/account/dns/{zone}/records/{record}"))
        .await;
    assert_eq!(form.input_value("value"), "192.0.2.50");
    let res = b
        .post(
            &format!("/account/dns/{zone}/records/{record}"),
            &[
                ("csrf", &csrf),
                ("type", "A"),
                ("name", "shop"),
                ("value", "192.0.2.51"),
                ("ttl", "600"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(
        pdns.resolve("shop.editor-zone.com", "A"),
        vec!["192.0.2.51"]
    );

    let res = b
        .post(
            &format!("/account/dns/{zone}/records/{record}/delete"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(pdns.resolve("shop.editor-zone.com", "A").is_empty());
}

#[tokio::test]
async fn a_bad_record_is_shown_again_with_its_error_and_changes_nothing() {
    let Some((app, c, _, zone)) = zone_of("bad-editor-zone.com").await else {
        return;
    };
    let pdns = powerdns().unwrap();
    let mut b = Browser::new(&app);
    b.login(&c.email, PASSWORD).await;
    let csrf = b.get(&format!("/account/dns/{zone}")).await.csrf();
    let res = b
        .post(
            &format!("/account/dns/{zone}/records"),
            &[
                ("csrf", &csrf),
                ("type", "A"),
                ("name", "bad"),
                ("value", "999.1.1.1"),
                ("ttl", ""),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("must be an IPv4 address"), "{}", res.body);
    assert_eq!(res.input_value("value"), "999.1.1.1");
    let res = b
        .post(
            &format!("/account/dns/{zone}/records"),
            &[
                ("csrf", &csrf),
                ("type", "A"),
                ("name", "bad"),
                ("value", "192.0.2.1"),
                ("ttl", "soon"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("must be a whole number"));
    assert!(pdns.resolve("bad.bad-editor-zone.com", "A").is_empty());
    let zone = json_with_status(
        call(&app, &c, "GET", &format!("/dns/{zone}"), None).await,
        200,
    )
    .await;
    assert_eq!(zone["data"]["records"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused() {
    let Some((app, c, _, zone)) = zone_of("csrf-zone.com").await else {
        return;
    };
    let pdns = powerdns().unwrap();
    let mut b = Browser::new(&app);
    b.login(&c.email, PASSWORD).await;
    let res = b
        .post(
            &format!("/account/dns/{zone}/records"),
            &[("type", "A"), ("name", "x"), ("value", "192.0.2.60")],
        )
        .await;
    assert_eq!(res.status, 403);
    let res = b
        .post(
            &format!("/account/dns/{zone}/records"),
            &[
                ("csrf", "forged"),
                ("type", "A"),
                ("name", "x"),
                ("value", "192.0.2.60"),
            ],
        )
        .await;
    assert_eq!(res.status, 403);
    assert!(pdns.resolve("x.csrf-zone.com", "A").is_empty());
}

#[tokio::test]
async fn another_accounts_zone_is_not_found() {
    let Some((app, _, _, zone)) = zone_of("private-zone.com").await else {
        return;
    };
    let other = app.customer("someone-else@example.com").await;
    let mut b = Browser::new(&app);
    b.login(&other.email, PASSWORD).await;
    assert_eq!(b.get(&format!("/account/dns/{zone}")).await.status, 404);
    let csrf = b.get("/account").await.csrf();
    let res = b
        .post(
            &format!("/account/dns/{zone}/records"),
            &[
                ("csrf", &csrf),
                ("type", "A"),
                ("name", "x"),
                ("value", "192.0.2.70"),
            ],
        )
        .await;
    assert_eq!(res.status, 404);
}
