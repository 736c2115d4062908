//! EU reverse charge needs a validated VAT id (issue 12): the id's format
//! is checked for its member state, then VIES (`checkVatService`, here a
//! local fake that speaks its SOAP) is asked, outside any transaction.
//! Until VIES (or staff) validated it, or while VIES is down, VAT is
//! charged and the invoice says why; the result and its date are stored
//! and shown on the client resource, the profile page and the invoice.

use std::time::Duration;

use serde_json::{Value, json};
use till::clock::Clock;

use crate::support::{
    Browser, Customer, TestApp,
    fakes::vies::FakeVies,
    json_with_status, staff_post,
    taxes::{assert_adds_up, locate, minor, order, quote, settings},
};

const VAT: &str = "FR12345678901";

struct Shop {
    app: TestApp,
    vies: FakeVies,
    staff: String,
}

/// A German seller, French VAT at 20%, VIES pointed at the fake.
async fn shop() -> Shop {
    let vies = FakeVies::start();
    let url = vies.url.clone();
    let app = TestApp::builder().config(move |c| c.vies.url = url).spawn();
    app.install_catalog();
    let staff = app.staff_key(&[
        "catalog:read",
        "catalog:write",
        "clients:read",
        "clients:write",
    ]);
    settings(&app, &staff, false, "DE").await;
    let res = staff_post(
        &app,
        &staff,
        "/api/v1/tax-rules",
        json!({"country": "FR", "name": "TVA", "rate": "20"}),
    )
    .await;
    assert_eq!(res.status(), 201);
    Shop { app, vies, staff }
}

async fn client(app: &TestApp, c: &Customer) -> Value {
    json_with_status(
        app.get_auth(&format!("/api/v1/clients/{}", c.client_id), &c.access)
            .await,
        200,
    )
    .await["data"]
        .clone()
}

async fn patch_vat(app: &TestApp, c: &Customer, country: &str, vat: &str) -> reqwest::Response {
    app.http
        .patch(app.url(&format!("/api/v1/clients/{}/profile", c.client_id)))
        .bearer_auth(&c.access)
        .json(&json!({"country": country, "vat_id": vat}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_vies_validated_vat_id_is_reverse_charged_and_the_result_is_shown() {
    let s = shop().await;
    s.vies
        .register(VAT, "ACME SARL", "1 RUE DE LA PAIX 75002 PARIS");
    let c = s.app.customer("ama@example.com").await;
    locate(&s.app, &c, "FR", "", Some(VAT)).await;
    assert_eq!(s.vies.calls(), vec![("FR".into(), "12345678901".into())]);

    let data = client(&s.app, &c).await;
    let v = &data["vat_validation"];
    assert_eq!(v["status"], "valid", "{data}");
    assert_eq!(v["source"], "vies");
    assert_eq!(v["checked_at"], "2026-01-15T10:00:00Z");
    assert!(v["detail"].as_str().unwrap().contains("ACME SARL"), "{v}");

    let q = quote(&s.app, &c).await;
    assert_eq!(q["tax"]["reverse_charge"], true);
    assert_eq!(minor(&q["totals"]["tax"]), 0);
    let invoice = order(&s.app, &c, "rc").await;
    assert_eq!(minor(&invoice["tax_total"]), 0);
    assert!(
        invoice["notes"]
            .as_str()
            .unwrap()
            .starts_with("Reverse charge")
    );
    assert_adds_up(&invoice);

    // The profile page and the invoice page show it.
    let mut browser = Browser::new(&s.app);
    let res = browser
        .submit(
            "/login",
            "/login",
            &[
                ("email", c.email.as_str()),
                ("password", c.password.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let profile = browser.get("/account/profile").await;
    assert!(
        profile.body.contains("Validated by VIES on 2026-01-15"),
        "{}",
        profile.body
    );
    let page = browser
        .get(&format!("/account/invoices/{}", invoice["id"]))
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("validated by VIES on 2026-01-15"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn a_made_up_vat_id_is_charged_vat_and_the_invoice_says_so() {
    let s = shop().await;
    let c = s.app.customer("ama@example.com").await;
    // Well formed for France, but VIES does not know it.
    locate(&s.app, &c, "FR", "", Some("FR99999999999")).await;
    let data = client(&s.app, &c).await;
    assert_eq!(data["vat_validation"]["status"], "invalid", "{data}");

    let q = quote(&s.app, &c).await;
    assert_eq!(q["tax"]["reverse_charge"], false);
    assert_eq!(minor(&q["totals"]["tax"]), 440);
    let invoice = order(&s.app, &c, "made-up").await;
    assert_eq!(minor(&invoice["tax_total"]), 440);
    let notes = invoice["notes"].as_str().unwrap();
    assert!(notes.contains("VAT charged"), "{notes}");
    assert!(
        notes.contains("FR99999999999") && notes.contains("not valid"),
        "{notes}"
    );
}

#[tokio::test]
async fn while_vies_is_down_vat_is_charged_and_the_check_is_retried() {
    let s = shop().await;
    s.vies.register(VAT, "ACME SARL", "PARIS");
    s.vies.set_down(true);
    let c = s.app.customer("ama@example.com").await;
    locate(&s.app, &c, "FR", "", Some(VAT)).await;
    let data = client(&s.app, &c).await;
    assert_eq!(data["vat_validation"]["status"], "unavailable", "{data}");
    assert!(
        data["vat_validation"]["detail"]
            .as_str()
            .unwrap()
            .contains("MS_UNAVAILABLE")
    );
    let invoice = order(&s.app, &c, "down").await;
    assert_eq!(minor(&invoice["tax_total"]), 440);
    let notes = invoice["notes"].as_str().unwrap();
    assert!(notes.contains("could not be validated"), "{notes}");

    // VIES is back; the next check after a while validates the id.
    s.vies.set_down(false);
    till::jobs::vat_checks::run(s.app.state.clone(), s.app.clock.now())
        .await
        .unwrap();
    assert_eq!(
        client(&s.app, &c).await["vat_validation"]["status"],
        "unavailable",
        "not retried at once"
    );
    s.app.clock.advance(jiff::SignedDuration::from_hours(2));
    let checked = till::jobs::vat_checks::run(s.app.state.clone(), s.app.clock.now())
        .await
        .unwrap();
    assert_eq!(checked, 1);
    // (Two hours on, the access token has expired.)
    let c = s.app.login(&c.email, &c.password).await;
    assert_eq!(
        client(&s.app, &c).await["vat_validation"]["status"],
        "valid"
    );
    assert_eq!(quote(&s.app, &c).await["tax"]["reverse_charge"], true);
}

#[tokio::test]
async fn only_staff_can_mark_a_vat_id_verified_and_a_new_id_needs_it_again() {
    let s = shop().await;
    s.vies.set_down(true);
    let c = s.app.customer("ama@example.com").await;
    locate(&s.app, &c, "FR", "", Some(VAT)).await;
    let path = format!("/api/v1/clients/{}/vat-id/verify", c.client_id);

    let res = s
        .app
        .http
        .post(s.app.url(&path))
        .bearer_auth(&c.access)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert!(
        matches!(res.status().as_u16(), 401 | 403),
        "{}",
        res.status()
    );
    assert_eq!(quote(&s.app, &c).await["tax"]["reverse_charge"], false);

    let res = s
        .app
        .http
        .post(s.app.url(&path))
        .bearer_auth(&s.staff)
        .json(&json!({"note": "checked the certificate by phone"}))
        .send()
        .await
        .unwrap();
    let body = json_with_status(res, 200).await;
    assert_eq!(
        body["data"]["vat_validation"]["status"], "verified",
        "{body}"
    );
    assert_eq!(body["data"]["vat_validation"]["source"], "staff");
    assert_eq!(quote(&s.app, &c).await["tax"]["reverse_charge"], true);

    // Another VAT id is a new question.
    locate(&s.app, &c, "FR", "", Some("FR11111111111")).await;
    assert_ne!(
        client(&s.app, &c).await["vat_validation"]["status"],
        "verified"
    );
    assert_eq!(quote(&s.app, &c).await["tax"]["reverse_charge"], false);
}

#[tokio::test]
async fn a_vat_id_in_the_wrong_format_for_its_member_state_is_refused() {
    let s = shop().await;
    let c = s.app.customer("ama@example.com").await;
    for (country, vat) in [
        ("FR", "FR123"),
        ("DE", "DE12345678"),
        ("DE", VAT),
        ("NL", "NL123456789"),
    ] {
        let res = patch_vat(&s.app, &c, country, vat).await;
        let body = json_with_status(res, 422).await;
        assert!(
            body["errors"]["vat_id"].is_array(),
            "{country} {vat}: {body}"
        );
    }
    // Sign-up checks it the same way.
    let res = s
        .app
        .post_json(
            "/api/v1/auth/signup",
            json!({
                "email": "kofi@example.com", "password": "correct horse battery staple",
                "first_name": "Kofi", "last_name": "Boateng", "country": "FR",
                "vat_id": "FR123", "city": "Paris", "address1": "1 rue de Rivoli",
                "postcode": "75001"
            }),
        )
        .await;
    let body = json_with_status(res, 422).await;
    assert!(body["errors"]["vat_id"].is_array(), "{body}");
    assert!(s.vies.calls().is_empty(), "nothing malformed reaches VIES");

    // Spaces, dots and a missing prefix are tidied.
    let res = patch_vat(&s.app, &c, "FR", "12.345 678-901").await;
    json_with_status(res, 200).await;
    assert_eq!(client(&s.app, &c).await["vat_id"], VAT);
    let res = patch_vat(&s.app, &c, "GR", "el 123456789").await;
    json_with_status(res, 200).await;
    assert_eq!(client(&s.app, &c).await["vat_id"], "EL123456789");
}

#[tokio::test]
async fn a_slow_vies_never_holds_the_database_writer() {
    let s = shop().await;
    s.vies.register(VAT, "ACME SARL", "PARIS");
    let c = s.app.customer("ama@example.com").await;
    let gate = s.vies.hold();
    let (app_url, access, client_id) = (s.app.url(""), c.access.clone(), c.client_id);
    let http = s.app.http.clone();
    let pending = tokio::spawn(async move {
        http.patch(format!("{app_url}/api/v1/clients/{client_id}/profile"))
            .bearer_auth(&access)
            .json(&json!({"country": "FR", "vat_id": VAT}))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    });
    // VIES has the question (the fake sits on it until released) ...
    tokio::time::sleep(Duration::from_millis(300)).await;
    // ... while every other write goes on.
    let db = s.app.state.db.clone();
    let write = tokio::task::spawn_blocking(move || {
        db.write(|tx| {
            till::store::settings::put(tx, "test.write", "done", "now")?;
            Ok(())
        })
    });
    let finished = tokio::time::timeout(Duration::from_secs(5), write).await;
    s.vies.release();
    drop(gate);
    assert!(
        matches!(finished, Ok(Ok(Ok(())))),
        "a write waited for VIES"
    );
    assert_eq!(pending.await.unwrap(), 200);
    assert_eq!(
        client(&s.app, &c).await["vat_validation"]["status"],
        "valid"
    );
}
