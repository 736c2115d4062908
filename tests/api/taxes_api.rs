//! Taxes: staff rules by country and state, exclusive and inclusive prices,
//! EU reverse charge, and invoices whose total is exactly the sum of their
//! lines.

use serde_json::json;

use crate::support::{
    TestApp, json_with_status, staff_post,
    taxes::{assert_adds_up, locate, minor, order, quote, settings, starter},
};

#[tokio::test]
async fn exclusive_tax_is_added_once_on_the_sum_and_shown_as_an_invoice_line() {
    let app = TestApp::with_catalog();
    let key = app.staff_key(&["catalog:read", "catalog:write"]);
    let res = staff_post(
        &app,
        &key,
        "/api/v1/tax-rules",
        json!({"country": "gb", "name": "VAT", "rate": "20"}),
    )
    .await;
    let rule = json_with_status(res, 201).await;
    assert_eq!(rule["data"]["country"], "GB");
    assert_eq!(rule["data"]["rate"], "20");
    let c = app.customer("ama@example.com").await;

    // Not in GB yet: no tax.
    let q = quote(&app, &c).await;
    assert!(q["tax"].is_null());
    assert_eq!(minor(&q["totals"]["tax"]), 0);

    locate(&app, &c, "GB", "", None).await;
    let q = quote(&app, &c).await;
    // 4.99 + 12.00 + 5.00 setup = 21.99; 20% = 4.398 -> 4.40.
    assert_eq!(minor(&q["totals"]["subtotal"]), 2199);
    assert_eq!(minor(&q["totals"]["tax"]), 440);
    assert_eq!(minor(&q["totals"]["due_today"]), 2639);
    assert_eq!(q["tax"]["label"], "VAT 20%");
    let line_tax: i64 = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| minor(&l["tax"]))
        .sum();
    assert_eq!(line_tax, 440, "line shares add up to the tax");
    let line_due: i64 = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| minor(&l["due_today"]))
        .sum();
    assert_eq!(line_due, 2639);

    let invoice = order(&app, &c, "gb").await;
    assert_eq!(minor(&invoice["tax_total"]), 440);
    assert_eq!(minor(&invoice["total"]), 2639);
    let tax_line = invoice["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "tax")
        .unwrap();
    assert_eq!(tax_line["description"], "VAT 20%");
    assert_adds_up(&invoice);

    // A later change of rate leaves the issued invoice as it was.
    staff_post(
        &app,
        &key,
        "/api/v1/tax-rules",
        json!({"country": "GB", "name": "VAT", "rate": "17.5"}),
    )
    .await;
    let again = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/invoices/{}", c.client_id, invoice["id"]),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(minor(&again["data"]["tax_total"]), 440);
    assert_eq!(
        minor(&quote(&app, &c).await["totals"]["tax"]),
        385,
        "17.5% of 21.99 = 3.848"
    );
}

#[tokio::test]
async fn inclusive_prices_split_the_tax_out_and_the_customer_pays_the_listed_price() {
    let app = TestApp::with_catalog();
    let key = app.staff_key(&["catalog:read", "catalog:write"]);
    settings(&app, &key, true, "").await;
    staff_post(
        &app,
        &key,
        "/api/v1/tax-rules",
        json!({"country": "GB", "name": "VAT", "rate": "20"}),
    )
    .await;
    let c = app.customer("ama@example.com").await;
    locate(&app, &c, "GB", "", None).await;

    let q = quote(&app, &c).await;
    // 21.99 includes 20%: net 18.325 -> 18.33, tax 3.66.
    assert_eq!(minor(&q["totals"]["due_today"]), 2199);
    assert_eq!(minor(&q["totals"]["subtotal"]), 1833);
    assert_eq!(minor(&q["totals"]["tax"]), 366);
    assert_eq!(q["tax"]["prices_include_tax"], true);

    let invoice = order(&app, &c, "incl").await;
    assert_eq!(minor(&invoice["total"]), 2199);
    assert_adds_up(&invoice);
}

#[tokio::test]
async fn an_eu_business_in_another_member_state_is_reverse_charged() {
    // Reverse charge needs the VAT id validated (issue 12): VIES, here a
    // local fake, knows it.
    let vies = crate::support::fakes::vies::FakeVies::start();
    vies.register("FR12345678901", "ACME SARL", "PARIS");
    let url = vies.url.clone();
    let app = TestApp::builder().config(move |c| c.vies.url = url).spawn();
    app.install_catalog();
    let key = app.staff_key(&["catalog:read", "catalog:write"]);
    settings(&app, &key, false, "DE").await;
    staff_post(
        &app,
        &key,
        "/api/v1/tax-rules",
        json!({"country": "FR", "name": "TVA", "rate": "20"}),
    )
    .await;
    let c = app.customer("ama@example.com").await;

    // A French consumer pays French VAT.
    locate(&app, &c, "FR", "", None).await;
    assert_eq!(minor(&quote(&app, &c).await["totals"]["tax"]), 440);

    // A French business with a validated VAT id is reverse charged.
    locate(&app, &c, "FR", "", Some("FR12345678901")).await;
    let q = quote(&app, &c).await;
    assert_eq!(minor(&q["totals"]["tax"]), 0);
    assert_eq!(q["tax"]["reverse_charge"], true);
    let invoice = order(&app, &c, "rc").await;
    assert_eq!(minor(&invoice["tax_total"]), 0);
    assert!(
        invoice["notes"]
            .as_str()
            .unwrap()
            .starts_with("Reverse charge")
    );
    assert_adds_up(&invoice);
}

#[tokio::test]
async fn a_states_rule_wins_over_its_countrys() {
    let app = TestApp::with_catalog();
    let key = app.staff_key(&["catalog:read", "catalog:write"]);
    staff_post(
        &app,
        &key,
        "/api/v1/tax-rules",
        json!({"country": "US", "name": "Sales tax", "rate": "0"}),
    )
    .await;
    staff_post(
        &app,
        &key,
        "/api/v1/tax-rules",
        json!({"country": "US", "state": "ny", "name": "NY sales tax", "rate": "8.875"}),
    )
    .await;
    let c = app.customer("ama@example.com").await;
    locate(&app, &c, "US", "NY", None).await;
    let q = quote(&app, &c).await;
    // 8.875% of 21.99 = 1.9516 -> 1.95.
    assert_eq!(minor(&q["totals"]["tax"]), 195);
    assert_eq!(q["tax"]["label"], "NY sales tax 8.875%");
    locate(&app, &c, "US", "TX", None).await;
    assert_eq!(minor(&quote(&app, &c).await["totals"]["tax"]), 0);

    let list = json_with_status(app.get_auth("/api/v1/tax-rules", &key).await, 200).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 2);
    let id = list["data"][1]["id"].as_i64().unwrap();
    let res = app
        .http
        .delete(app.url(&format!("/api/v1/tax-rules/{id}")))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn bad_tax_input_is_refused_and_only_staff_with_the_scope_may_change_taxes() {
    let app = TestApp::with_catalog();
    let key = app.staff_key(&["catalog:read", "catalog:write"]);
    for (body, field) in [
        (
            json!({"country": "Germany", "name": "VAT", "rate": "19"}),
            "country",
        ),
        (json!({"country": "DE", "name": "", "rate": "19"}), "name"),
        (
            json!({"country": "DE", "name": "VAT", "rate": "19.0001"}),
            "rate",
        ),
        (
            json!({"country": "DE", "name": "VAT", "rate": "150"}),
            "rate",
        ),
        (
            json!({"country": "DE", "name": "VAT", "rate": "-1"}),
            "rate",
        ),
    ] {
        let res = staff_post(&app, &key, "/api/v1/tax-rules", body).await;
        let err = json_with_status(res, 422).await;
        assert!(err["errors"][field].is_array(), "{err}");
    }
    let res = app
        .http
        .put(app.url("/api/v1/tax-settings"))
        .bearer_auth(&key)
        .json(&json!({"prices_include_tax": false, "seller_country": "Deutschland"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let list = json_with_status(app.get_auth("/api/v1/tax-rules", &key).await, 200).await;
    assert_eq!(list["data"], json!([]), "nothing was saved");

    let reader = app.staff_key(&["catalog:read"]);
    let res = staff_post(
        &app,
        &reader,
        "/api/v1/tax-rules",
        json!({"country": "DE", "name": "VAT", "rate": "19"}),
    )
    .await;
    assert_eq!(res.status(), 403);
    let c = app.customer("ama@example.com").await;
    assert_eq!(
        app.get_auth("/api/v1/tax-rules", &c.access).await.status(),
        403
    );
    assert_eq!(
        app.get_auth("/api/v1/tax-settings", &c.access)
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn an_anonymous_quote_has_no_tax_since_the_place_is_unknown() {
    let app = TestApp::with_catalog();
    let key = app.staff_key(&["catalog:read", "catalog:write"]);
    staff_post(
        &app,
        &key,
        "/api/v1/tax-rules",
        json!({"country": "GB", "name": "VAT", "rate": "20"}),
    )
    .await;
    let res = app.post_json("/api/v1/orders/quote", starter()).await;
    let q = json_with_status(res, 200).await;
    assert!(q["tax"].is_null());
    assert_eq!(minor(&q["totals"]["due_today"]), 2199);
}
