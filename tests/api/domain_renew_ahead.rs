//! Renewing ahead through an invoice-first order: a `domain` item with
//! `domain_option: renew` for one of the client's own domains, priced
//! from the TLD's renew price, billing the term from the current expiry;
//! never past ten years from today, never twice on open invoices, never
//! for another client's domain (which reads as unknown). Reference 000's
//! `POST .../renew` answers its documented 422 after the usual checks.
//! The client area's "Renew" form places the same order. Paid, the line
//! is renewed at the registry (the EPP fake) once, for its years, by the
//! renewal engine's `renew` task; a term the renewal run already billed
//! cannot be ordered ahead again.

use serde_json::{Value, json};

use crate::support::{Browser, Customer, TestApp, json_with_status, money};

fn staff(app: &TestApp) -> String {
    app.staff_key(&[
        "servers:write",
        "services:read",
        "services:write",
        "billing:write",
        "clients:read",
    ])
}

async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    key: &str,
    body: Value,
) -> reqwest::Response {
    app.http
        .request(method.parse().unwrap(), app.url(path))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// A registered `.com` of the customer's, expiring on `expiry` (ordered,
/// paid, done by hand at the manual registrar); answers its id.
async fn active_domain(app: &TestApp, c: &Customer, key: &str, name: &str, expiry: &str) -> i64 {
    let placed = app
        .place_order(
            c,
            &format!("reg-{name}"),
            json!({"items": [
            {"type": "domain", "domain": name, "domain_option": "register", "years": 1}]}),
        )
        .await;
    let invoice = placed["invoice"]["id"].as_i64().unwrap();
    let total = placed["invoice"]["total"]["amount_minor"].as_i64().unwrap();
    assert_eq!(
        app.staff_pay(key, invoice, &money(total), &format!("T-{name}"))
            .await
            .status(),
        200
    );
    till::jobs::registrar_tasks::run(app.state.clone(), app.state.now())
        .await
        .unwrap();
    let list = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/domains", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    let id = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["domain_name"] == name)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    json_with_status(
        send(
            app,
            "POST",
            &format!("/api/v1/domains/{id}/registered"),
            key,
            json!({"expiry_date": expiry}),
        )
        .await,
        200,
    )
    .await;
    id
}

fn renew(name: &str, years: u32) -> Value {
    json!({"items": [{"type": "domain", "domain": name, "domain_option": "renew", "years": years}]})
}

async fn order(app: &TestApp, c: &Customer, key: &str, body: Value) -> reqwest::Response {
    app.http
        .post(app.url(&format!("/api/v1/clients/{}/orders", c.client_id)))
        .bearer_auth(&c.access)
        .header("Idempotency-Key", key)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn refused(app: &TestApp, c: &Customer, key: &str, body: Value) -> Value {
    json_with_status(order(app, c, key, body).await, 422).await
}

fn today(app: &TestApp) -> jiff::civil::Date {
    app.state.now().to_zoned(jiff::tz::TimeZone::UTC).date()
}

/// A date `years` from today, as text.
fn years_on(app: &TestApp, years: i16) -> String {
    today(app)
        .checked_add(jiff::Span::new().years(years))
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_renewal_order_bills_the_term_from_the_current_expiry() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let c = app.customer("renew@example.com").await;
    let expiry = years_on(&app, 1);
    let id = active_domain(&app, &c, &key, "keep-me.com", &expiry).await;

    let placed = json_with_status(
        order(&app, &c, "renew-1", renew("keep-me.com", 2)).await,
        201,
    )
    .await;
    let invoice = placed["invoice"]["id"].as_i64().unwrap();
    assert_eq!(placed["invoice"]["status"], "unpaid");
    let lines: Value = app
        .state
        .db
        .read(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT kind, domain_id, period_start, period_end, amount, description FROM invoice_items
                 WHERE invoice_id = ?1 ORDER BY position",
            )?;
            let rows: Vec<Value> = stmt
                .query_map([invoice], |r| {
                    Ok(json!({"kind": r.get::<_, String>(0)?, "domain_id": r.get::<_, Option<i64>>(1)?,
                        "start": r.get::<_, Option<String>>(2)?, "end": r.get::<_, Option<String>>(3)?,
                        "amount": r.get::<_, i64>(4)?, "description": r.get::<_, String>(5)?}))
                })?
                .collect::<Result<_, _>>()?;
            Ok(Value::Array(rows))
        })
        .unwrap();
    let line = &lines[0];
    let end: jiff::civil::Date = expiry
        .parse::<jiff::civil::Date>()
        .unwrap()
        .checked_add(jiff::Span::new().years(2))
        .unwrap();
    assert_eq!(line["kind"], "domain", "{lines}");
    assert_eq!(line["domain_id"], id);
    assert_eq!(line["start"], expiry.as_str());
    assert_eq!(line["end"], end.to_string().as_str());
    // The catalog's .com renew price for two years in USD: 2 × 14.99.
    assert_eq!(line["amount"], 2998);
    assert_eq!(
        line["description"],
        format!(
            "Domain renewal keep-me.com (2 years) {expiry} to {}",
            end.yesterday().unwrap()
        )
        .as_str()
    );
    // No new domain row: still one domain, unchanged until paid.
    let list = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/domains", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    assert_eq!(list["data"][0]["expiry_date"], expiry.as_str());

    // Asked again while that invoice is open: refused, naming it.
    let number = placed["invoice"]["invoice_number"]
        .as_str()
        .unwrap()
        .to_string();
    let again = refused(&app, &c, "renew-2", renew("keep-me.com", 1)).await;
    let why = again["errors"]["items.0.domain"][0].as_str().unwrap();
    assert!(
        why.contains(&format!("already invoiced: pay invoice {number}")),
        "{again}"
    );
}

#[tokio::test]
async fn renewals_are_checked_term_limit_and_owner() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let c = app.customer("renew-bad@example.com").await;
    let other = app.customer("renew-other@example.com").await;
    active_domain(&app, &c, &key, "mine.com", &years_on(&app, 1)).await;
    active_domain(&app, &other, &key, "theirs.com", &years_on(&app, 1)).await;

    for (i, (body, field)) in [
        (renew("mine.com", 0), "items.0.years"),
        (renew("mine.com", 11), "items.0.years"),
        // Expiring in a year: ten more would pass the ten-year limit.
        (renew("mine.com", 10), "items.0.years"),
        // The catalog sells .com for 1 to 3 years only.
        (renew("mine.com", 4), "items.0.years"),
        (renew("theirs.com", 1), "items.0.domain"),
        (renew("nobody.com", 1), "items.0.domain"),
    ]
    .into_iter()
    .enumerate()
    {
        let body = refused(&app, &c, &format!("bad-{i}"), body).await;
        let fields: Vec<&String> = body["errors"].as_object().unwrap().keys().collect();
        assert_eq!(fields, vec![field], "{i}: {body}");
    }
    // Another client's domain reads exactly as an unknown one.
    let theirs = refused(&app, &c, "x-1", renew("theirs.com", 1)).await;
    let unknown = refused(&app, &c, "x-2", renew("nobody.com", 1)).await;
    assert_eq!(theirs["errors"], unknown["errors"]);
    assert!(!theirs.to_string().contains("renew-other"));
    // Nothing was ordered by any of it.
    let orders = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/orders", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        orders["data"].as_array().unwrap().len(),
        1,
        "only the registration"
    );
}

#[tokio::test]
async fn the_reference_renew_route_points_at_the_order_endpoint_after_access_checks() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let c = app.customer("renew-route@example.com").await;
    let other = app.customer("renew-route-other@example.com").await;
    let id = active_domain(&app, &c, &key, "routed.com", &years_on(&app, 1)).await;
    let path = format!("/api/v1/clients/{}/domains/{id}/renew", c.client_id);
    let body = json_with_status(send(&app, "POST", &path, &c.access, json!({})).await, 422).await;
    assert_eq!(
        body["message"],
        "Use invoice-first order endpoint when renewal ordering is enabled"
    );
    assert!(
        body["code"].is_string() && body["errors"]["domain"].is_array(),
        "{body}"
    );
    // Another client's domain, through either client's path, is a 404.
    let foreign = send(
        &app,
        "POST",
        &format!("/api/v1/clients/{}/domains/{id}/renew", other.client_id),
        &other.access,
        json!({}),
    )
    .await;
    assert_eq!(foreign.status(), 404);
    let foreign = send(&app, "POST", &path, &other.access, json!({})).await;
    assert_eq!(foreign.status(), 404);
    let unknown = send(
        &app,
        "POST",
        &format!("/api/v1/clients/{}/domains/999999/renew", c.client_id),
        &c.access,
        json!({}),
    )
    .await;
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn the_domain_page_renews_ahead_through_an_order_and_its_invoice() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let c = app.customer("renew-page@example.com").await;
    let id = active_domain(&app, &c, &key, "paged.com", &years_on(&app, 9)).await;
    let mut b = Browser::new(&app);
    b.login(&c.email, &c.password).await;
    let page = b.get(&format!("/account/domains/{id}")).await;
    assert_eq!(page.status.as_u16(), 200);
    // Expiring nine years from now: only one more year fits.
    assert!(page.body.contains("id=\"renew-years\""), "{}", page.body);
    assert!(
        page.body.contains("<option value=\"1\">") && !page.body.contains("<option value=\"2\">")
    );
    let (csrf, order_key) = (page.csrf(), page.input_value("order_key"));
    let bad = b
        .post(
            &format!("/account/domains/{id}/renew"),
            &[("csrf", &csrf), ("order_key", &order_key), ("years", "2")],
        )
        .await;
    assert_eq!(bad.status.as_u16(), 422, "{}", bad.body);
    assert!(bad.body.contains("years-error"));
    let page = b.get(&format!("/account/domains/{id}")).await;
    let (csrf, order_key) = (page.csrf(), page.input_value("order_key"));
    let done = b
        .post(
            &format!("/account/domains/{id}/renew"),
            &[("csrf", &csrf), ("order_key", &order_key), ("years", "1")],
        )
        .await;
    assert_eq!(done.status.as_u16(), 303, "{}", done.body);
    assert!(
        done.location().starts_with("/account/invoices/"),
        "{}",
        done.location()
    );
    // Sent twice (a double click): the same invoice, not a second order.
    let twice = b
        .post(
            &format!("/account/domains/{id}/renew"),
            &[("csrf", &csrf), ("order_key", &order_key), ("years", "1")],
        )
        .await;
    assert_eq!(twice.location(), done.location());
    let other = app.customer("renew-page-other@example.com").await;
    let mut ob = Browser::new(&app);
    ob.login(&other.email, &other.password).await;
    let page = ob.get("/account/domains").await;
    let csrf = page.csrf();
    let foreign = ob
        .post(
            &format!("/account/domains/{id}/renew"),
            &[("csrf", &csrf), ("order_key", "web_x"), ("years", "1")],
        )
        .await;
    assert_eq!(foreign.status.as_u16(), 404);
}

/// The domain's expiry as staff see it.
async fn expiry_at(app: &TestApp, key: &str, id: i64) -> jiff::civil::Date {
    let d = crate::domains_renewal_rules::staff_domain(app, key, id).await;
    d["data"]["expiry_date"].as_str().unwrap().parse().unwrap()
}

fn years_after(d: jiff::civil::Date, years: i16) -> jiff::civil::Date {
    d.checked_add(jiff::Span::new().years(years)).unwrap()
}

#[tokio::test]
async fn a_paid_renewal_ahead_is_renewed_at_the_registry_once_for_its_years() {
    use crate::domains_renewal_rules::{epp_registrar, registered, registrar_job, renewals_job};
    let app = TestApp::with_catalog();
    let key = crate::domains_renewal_rules::staff(&app);
    let fake = epp_registrar(&app, &key, "com").await;
    let c = app.customer("ahead-epp@example.com").await;
    let id = registered(&app, &c, &key, "ahead-epp.com").await;
    let e0 = expiry_at(&app, &key, id).await;
    assert!(fake.requests_with("<domain:renew").is_empty());

    let placed = json_with_status(
        order(&app, &c, "ahead-epp", renew("ahead-epp.com", 2)).await,
        201,
    )
    .await;
    let invoice = placed["invoice"]["id"].as_i64().unwrap();
    let total = placed["invoice"]["total"]["amount_minor"].as_i64().unwrap();
    assert_eq!(
        app.staff_pay(&key, invoice, &money(total), "T-ahead")
            .await
            .status(),
        200
    );
    // The day's jobs: the renewal run has nothing to bill (the domain is
    // a year from expiry), the worker asks the registry.
    renewals_job(&app).await;
    registrar_job(&app).await;

    let renews = fake.requests_with("<domain:renew");
    assert_eq!(renews.len(), 1, "{renews:?}");
    assert!(
        renews[0].contains(&format!("<domain:curExpDate>{e0}</domain:curExpDate>"))
            && renews[0].contains("<domain:period unit=\"y\">2</domain:period>"),
        "{}",
        renews[0]
    );
    let e2 = years_after(e0, 2);
    assert_eq!(expiry_at(&app, &key, id).await, e2);
    let at_registry = fake.domain("ahead-epp.com").unwrap().expiry;
    assert_eq!(at_registry.to_zoned(jiff::tz::TimeZone::UTC).date(), e2);
    // Nothing is asked twice, however often the jobs run.
    renewals_job(&app).await;
    registrar_job(&app).await;
    assert_eq!(fake.requests_with("<domain:renew").len(), 1);
    assert!(app.invoices(Some("unpaid")).await.is_empty());
}

#[tokio::test]
async fn a_renewal_ahead_of_a_term_the_renewal_run_billed_is_a_422() {
    use crate::domains_renewal_rules::{
        days_before, epp_registrar, pay_all, registered, registrar_job, renewals_job,
    };
    let app = TestApp::with_catalog();
    let key = crate::domains_renewal_rules::staff(&app);
    let fake = epp_registrar(&app, &key, "com").await;
    let c = app.customer("ahead-billed@example.com").await;
    let id = registered(&app, &c, &key, "ahead-billed.com").await;
    let e0 = expiry_at(&app, &key, id).await;
    days_before(&app, e0, 30);
    renewals_job(&app).await;
    let unpaid = app.invoices(Some("unpaid")).await;
    assert_eq!(unpaid.len(), 1, "{unpaid:?}");
    // Eleven months on: the customer signs in afresh.
    let c = app.login(&c.email, &c.password).await;

    // The term from e0 is on the renewal invoice, whatever the years.
    for (i, years) in [1, 3].into_iter().enumerate() {
        let body = refused(
            &app,
            &c,
            &format!("billed-{i}"),
            renew("ahead-billed.com", years),
        )
        .await;
        let fields: Vec<&String> = body["errors"].as_object().unwrap().keys().collect();
        assert_eq!(fields, vec!["items.0.domain"], "{body}");
        let why = body["errors"]["items.0.domain"][0].as_str().unwrap();
        assert!(why.contains("already invoiced: pay invoice"), "{body}");
    }
    // Paid but not renewed yet: still that term, still a 422 (never the
    // unique index's 500).
    assert_eq!(pay_all(&app, &key).await, 1);
    let body = refused(&app, &c, "billed-paid", renew("ahead-billed.com", 1)).await;
    assert!(
        body["errors"]["items.0.domain"][0]
            .as_str()
            .unwrap()
            .contains("already billed"),
        "{body}"
    );
    // Renewed: the next term starts from the new expiry and may be ordered.
    registrar_job(&app).await;
    assert_eq!(fake.requests_with("<domain:renew").len(), 1);
    let e1 = years_after(e0, 1);
    assert_eq!(expiry_at(&app, &key, id).await, e1);
    let placed = json_with_status(
        order(&app, &c, "billed-next", renew("ahead-billed.com", 1)).await,
        201,
    )
    .await;
    let invoice = placed["invoice"]["id"].as_i64().unwrap();
    let start: Option<String> = app
        .state
        .db
        .read(move |c| {
            Ok(c.query_row(
                "SELECT period_start FROM invoice_items WHERE invoice_id = ?1 AND kind = 'domain'",
                [invoice],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(start, Some(e1.to_string()));
}
