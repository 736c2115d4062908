//! A transfer's auth (EPP) code from order to registry: required and
//! checked at ordering (API, quote, cart, store), sealed into the domain
//! row (and the cart row), never shown back or kept in plaintext, and
//! handed to the registry when the paid transfer's task runs.

use serde_json::{Value, json};

use crate::support::{Customer, TestApp, fakes::FakeEpp, json_with_status, money};

const USER: &str = "till-reg";
const PASSWORD: &str = "s3cret-EPP";
/// Distinct enough that finding it anywhere means it leaked.
const CODE: &str = "Xfer-7qZ!k2Lm";

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

fn staff(app: &TestApp) -> String {
    app.staff_key(&[
        "servers:write",
        "services:read",
        "services:write",
        "billing:write",
        "clients:read",
    ])
}

/// An EPP registrar for `.com`.
async fn epp_for_com(app: &TestApp, key: &str, fake: &FakeEpp) {
    let created = json_with_status(
        send(
            app,
            "POST",
            "/api/v1/registrars",
            key,
            json!({
                "name": "Test registry", "module": "epp",
                "settings": {"host": fake.host, "port": fake.port, "username": USER,
                    "password": PASSWORD, "ca_pem": fake.ca_pem, "timeout_secs": 5}
            }),
        )
        .await,
        201,
    )
    .await;
    let id = created["data"]["id"].as_i64().unwrap();
    json_with_status(
        send(
            app,
            "PUT",
            "/api/v1/tld-registrars/com",
            key,
            json!({"registrar_id": id}),
        )
        .await,
        200,
    )
    .await;
}

fn transfer(name: &str, code: Option<&str>) -> Value {
    let mut item =
        json!({"type": "domain", "domain": name, "domain_option": "transfer", "years": 1});
    if let Some(c) = code {
        item["epp_code"] = json!(c);
    }
    json!({"items": [item]})
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

fn field_errors(body: &Value) -> Vec<String> {
    body["errors"]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

/// The sealed code on a domain row, opened with the instance key.
fn opened_code(app: &TestApp, domain: &str) -> Option<String> {
    let name = domain.to_string();
    let sealed: Option<Vec<u8>> = app
        .state
        .db
        .read(move |c| {
            Ok(c.query_row(
                "SELECT epp_code_sealed FROM domains WHERE name = ?1",
                [name],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    till::auth::sealed::open(&app.state.keys.credentials, b"domain-epp-code", &sealed?)
}

/// Nothing under the instance's data directory (the database, its WAL,
/// backups, any log) holds the code in plaintext.
fn assert_not_stored(app: &TestApp) {
    fn walk(dir: &std::path::Path) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                assert!(
                    !bytes.windows(CODE.len()).any(|w| w == CODE.as_bytes()),
                    "the code is in {path:?}"
                );
            }
        }
    }
    walk(&app.data_dir());
}

#[tokio::test]
async fn a_transfer_needs_a_sound_code_and_nothing_is_ordered_without_one() {
    let app = TestApp::with_catalog();
    let c = app.customer("xfer-bad@example.com").await;
    for (i, (code, why)) in [
        (None, "missing"),
        (Some(""), "empty"),
        (Some(&"x".repeat(65)[..]), "too long"),
        (Some("a\u{7}b"), "control"),
    ]
    .into_iter()
    .enumerate()
    {
        let res = order(&app, &c, &format!("bad-{i}"), transfer("moving.com", code)).await;
        let body = json_with_status(res, 422).await;
        assert_eq!(
            field_errors(&body),
            vec!["items.0.epp_code".to_string()],
            "{why}: {body}"
        );
    }
    // A code on a registration is refused too, by name.
    let res = order(
        &app,
        &c,
        "reg",
        json!({"items": [
        {"type": "domain", "domain": "fresh.com", "domain_option": "register", "epp_code": CODE}]}),
    )
    .await;
    assert_eq!(
        field_errors(&json_with_status(res, 422).await),
        vec!["items.0.epp_code".to_string()]
    );
    let res = app
        .http
        .post(app.url("/api/v1/orders/quote"))
        .json(&transfer("moving.com", None))
        .send()
        .await
        .unwrap();
    assert_eq!(
        field_errors(&json_with_status(res, 422).await),
        vec!["items.0.epp_code".to_string()]
    );
    let orders = json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/orders", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(orders["data"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn an_ordered_transfer_keeps_its_code_sealed_and_the_registry_gets_it() {
    let app = TestApp::with_catalog();
    let fake = FakeEpp::start(USER, PASSWORD);
    fake.add_domain(
        "moving.com",
        "other-registrar",
        "2027-03-01T00:00:00Z",
        CODE,
    );
    let key = staff(&app);
    epp_for_com(&app, &key, &fake).await;
    let c = app.customer("xfer@example.com").await;

    let quote = app
        .http
        .post(app.url("/api/v1/orders/quote"))
        .json(&transfer("moving.com", Some(CODE)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!quote.contains(CODE), "{quote}");

    let res = order(&app, &c, "xfer-1", transfer("moving.com", Some(CODE))).await;
    assert_eq!(res.status(), 201);
    let text = res.text().await.unwrap();
    assert!(!text.contains(CODE), "{text}");
    let placed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(opened_code(&app, "moving.com").as_deref(), Some(CODE));

    let invoice = placed["invoice"]["id"].as_i64().unwrap();
    let total = placed["invoice"]["total"]["amount_minor"].as_i64().unwrap();
    assert_eq!(
        app.staff_pay(&key, invoice, &money(total), "T-xfer")
            .await
            .status(),
        200
    );
    till::jobs::registrar_tasks::run(app.state.clone(), app.state.now())
        .await
        .unwrap();
    let asked = fake.requests_with("<domain:transfer");
    assert_eq!(asked.len(), 1);
    assert!(
        asked[0].contains(&format!("<domain:authInfo><domain:pw>{CODE}</domain:pw>")),
        "{}",
        asked[0]
    );

    for path in [
        format!("/api/v1/clients/{}/domains", c.client_id),
        format!("/api/v1/clients/{}/orders", c.client_id),
        format!("/api/v1/clients/{}/invoices/{invoice}", c.client_id),
    ] {
        let body = app.get_auth(&path, &c.access).await.text().await.unwrap();
        assert!(!body.contains(CODE), "{path}: {body}");
    }
    let staff_view = app
        .get_auth("/api/v1/domains?status=pending", &key)
        .await
        .text()
        .await
        .unwrap();
    assert!(!staff_view.contains(CODE), "{staff_view}");
    assert_not_stored(&app);
}

#[tokio::test]
async fn a_cart_keeps_a_transfers_code_sealed_until_checkout() {
    let app = TestApp::with_catalog();
    let c = app.customer("xfer-cart@example.com").await;
    let created = json_with_status(
        send(&app, "POST", "/api/v1/cart", &c.access, json!({})).await,
        200,
    )
    .await;
    let cart = created["data"]["id"].as_str().unwrap().to_string();
    let no_code = send(
        &app,
        "POST",
        &format!("/api/v1/cart/{cart}/items"),
        &c.access,
        transfer("moving.com", None),
    )
    .await;
    assert_eq!(
        field_errors(&json_with_status(no_code, 422).await),
        vec!["items.0.epp_code".to_string()]
    );

    let added = send(
        &app,
        "POST",
        &format!("/api/v1/cart/{cart}/items"),
        &c.access,
        transfer("moving.com", Some(CODE)),
    )
    .await;
    assert_eq!(added.status(), 200);
    let text = added.text().await.unwrap();
    assert!(!text.contains(CODE), "{text}");
    let kept: String = app
        .state
        .db
        .read(|c| Ok(c.query_row("SELECT request FROM cart_items", [], |r| r.get(0))?))
        .unwrap();
    assert!(
        !kept.contains(CODE) && kept.contains("epp_code_sealed"),
        "{kept}"
    );
    for what in ["items", "totals"] {
        let shown = app
            .get_auth(&format!("/api/v1/cart/{cart}/{what}"), &c.access)
            .await;
        assert_eq!(shown.status(), 200);
        let shown = shown.text().await.unwrap();
        assert!(!shown.contains(CODE), "{shown}");
    }

    let out = send(
        &app,
        "POST",
        &format!("/api/v1/cart/{cart}/checkout"),
        &c.access,
        json!({}),
    )
    .await;
    assert_eq!(out.status(), 200);
    let text = out.text().await.unwrap();
    assert!(!text.contains(CODE), "{text}");
    assert_eq!(opened_code(&app, "moving.com").as_deref(), Some(CODE));
    assert_not_stored(&app);
}

#[tokio::test]
async fn the_store_asks_for_the_code_and_never_fills_it_in_again() {
    let app = TestApp::with_catalog();
    let c = app.customer("xfer-store@example.com").await;
    let mut browser = crate::support::Browser::new(&app);
    browser.login(&c.email, &c.password).await;
    let page = browser.get("/store/starter").await;
    assert!(page.body.contains("name=\"epp_code\""), "{}", page.body);
    let key = page.input_value("order_key");
    let form = |code: &'static str| {
        vec![
            ("csrf", page.csrf()),
            ("order_key", key.clone()),
            ("billing_cycle", "annually".to_string()),
            ("domain", "moving.com".to_string()),
            ("domain_option", "transfer".to_string()),
            ("years", "1".to_string()),
            ("epp_code", code.to_string()),
        ]
    };
    let missing: Vec<(&str, String)> = form("");
    let refs: Vec<(&str, &str)> = missing.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = browser.post("/store/starter/order", &refs).await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("epp_code-error"), "{}", res.body);

    // A code with another problem on the form: the page comes back
    // without the code in it.
    let mut other = form(CODE);
    other[2].1 = "fortnightly".into();
    let refs: Vec<(&str, &str)> = other.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = browser.post("/store/starter/order", &refs).await;
    assert_eq!(res.status, 422);
    assert!(!res.body.contains(CODE));

    let good = form(CODE);
    let refs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = browser.post("/store/starter/order", &refs).await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(res.location().starts_with("/account/invoices/"));
    let invoice = browser.get(res.location()).await;
    assert!(!invoice.body.contains(CODE));
    assert_eq!(opened_code(&app, "moving.com").as_deref(), Some(CODE));
    assert_not_stored(&app);
}
