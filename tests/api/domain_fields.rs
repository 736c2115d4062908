//! Per-TLD registrant fields: staff describe them on the TLD (the spec
//! itself checked), an order's domain item carries them in
//! `domain_fields` (checked against the spec, by name), the domain keeps
//! them, and the registrar is handed them with the registrant contact
//! (here the manual registrar's staff to-do lists them; the LogicBoxes
//! attributes are in `registrars_logicboxes`).

use serde_json::{Value, json};

use crate::support::{TestApp, json_with_status, money};

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

fn fields(body: &Value) -> Vec<String> {
    body["errors"]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

fn us_fields() -> Value {
    json!([
        {"key": "us_nexus", "label": "Nexus category", "required": true, "values": ["C11", "C12", "C21"]},
        {"key": "us_purpose", "label": "Purpose", "required": false, "values": ["P1", "P2", "P3"]},
        {"key": "note", "label": "Note", "max_length": 10}
    ])
}

#[tokio::test]
async fn staff_set_a_tlds_fields_and_orders_must_carry_them() {
    let app = TestApp::with_catalog();
    let key = app.staff_key(&[
        "catalog:read",
        "catalog:write",
        "services:read",
        "billing:write",
        "clients:read",
    ]);
    let bad = send(
        &app,
        "POST",
        "/api/v1/tlds",
        &key,
        json!({"tld": "us",
        "prices": [{"currency": "USD", "years": 1, "register": "9.00"}],
        "registrant_fields": [
            {"key": "Bad Key", "label": "x", "values": ["a"]},
            {"key": "free", "label": "Free text"},
            {"key": "both", "label": "Both", "values": ["a"], "max_length": 3}
        ]}),
    )
    .await;
    let body = json_with_status(bad, 422).await;
    for f in [
        "registrant_fields.0.key",
        "registrant_fields.1.values",
        "registrant_fields.2.max_length",
    ] {
        assert!(fields(&body).contains(&f.to_string()), "{f}: {body}");
    }
    json_with_status(
        send(
            &app,
            "POST",
            "/api/v1/tlds",
            &key,
            json!({"tld": "us",
            "prices": [{"currency": "USD", "years": 1, "register": "9.00", "renew": "9.00"}],
            "registrant_fields": us_fields()}),
        )
        .await,
        201,
    )
    .await;
    let public = json_with_status(app.get("/api/v1/catalog/domain-tlds").await, 200).await;
    let us = public["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["tld"] == ".us")
        .unwrap()
        .clone();
    assert_eq!(us["registrant_fields"][0]["key"], "us_nexus");
    assert_eq!(us["registrant_fields"][0]["values"][1], "C12");
    // An update without the list keeps it.
    json_with_status(
        send(
            &app,
            "PUT",
            "/api/v1/tlds/us",
            &key,
            json!({"tld": "us",
            "prices": [{"currency": "USD", "years": 1, "register": "9.00", "renew": "9.00"}]}),
        )
        .await,
        200,
    )
    .await;

    let c = app.customer("fields@example.com").await;
    let item = |f: Value| json!({"items": [{"type": "domain", "domain": "nexus-site.us", "years": 1, "domain_fields": f}]});
    for (i, (given, field)) in [
        (json!({}), "items.0.domain_fields.us_nexus"),
        (
            json!({"us_nexus": "C11", "bogus": "1"}),
            "items.0.domain_fields.bogus",
        ),
        (json!({"us_nexus": "C99"}), "items.0.domain_fields.us_nexus"),
        (
            json!({"us_nexus": "C11", "note": "far too long a note"}),
            "items.0.domain_fields.note",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let res = app
            .http
            .post(app.url(&format!("/api/v1/clients/{}/orders", c.client_id)))
            .bearer_auth(&c.access)
            .header("Idempotency-Key", format!("bad-{i}"))
            .json(&item(given))
            .send()
            .await
            .unwrap();
        let body = json_with_status(res, 422).await;
        assert_eq!(fields(&body), vec![field.to_string()], "{i}: {body}");
    }
    // Fields on a product's existing domain make no sense: refused by name.
    let quote = app
        .http
        .post(app.url("/api/v1/orders/quote"))
        .json(&json!({"items": [{"type": "hosting", "package_id": "starter", "billing_cycle": "monthly",
            "domain": "mine.com", "domain_option": "existing", "domain_fields": {"us_nexus": "C11"}}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        fields(&json_with_status(quote, 422).await),
        vec!["items.0.domain_fields".to_string()]
    );

    let placed = app
        .place_order(
            &c,
            "good",
            item(json!({"us_nexus": "C11", "us_purpose": "P1"})),
        )
        .await;
    let kept: String = app
        .state
        .db
        .read(|c| {
            Ok(c.query_row(
                "SELECT registrant_fields FROM domains WHERE name = 'nexus-site.us'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&kept).unwrap(),
        json!({"us_nexus": "C11", "us_purpose": "P1"})
    );

    // Paid: the manual registrar's to-do names them for staff.
    let invoice = placed["invoice"]["id"].as_i64().unwrap();
    let total = placed["invoice"]["total"]["amount_minor"].as_i64().unwrap();
    assert_eq!(
        app.staff_pay(&key, invoice, &money(total), "T-us")
            .await
            .status(),
        200
    );
    till::jobs::registrar_tasks::run(app.state.clone(), app.state.now())
        .await
        .unwrap();
    let list = json_with_status(app.get_auth("/api/v1/domains", &key).await, 200).await;
    let id = list["data"][0]["id"].as_i64().unwrap();
    let seen = json_with_status(
        app.get_auth(&format!("/api/v1/domains/{id}"), &key).await,
        200,
    )
    .await;
    let todo = seen["tasks"][0]["last_error"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        todo.contains("registrant fields: us_nexus C11, us_purpose P1"),
        "{seen}"
    );
}

#[tokio::test]
async fn the_store_form_shows_each_tlds_fields() {
    let app = TestApp::with_catalog();
    let key = app.staff_key(&["catalog:read", "catalog:write"]);
    json_with_status(
        send(
            &app,
            "POST",
            "/api/v1/tlds",
            &key,
            json!({"tld": "us",
            "prices": [{"currency": "USD", "years": 1, "register": "9.00"}],
            "registrant_fields": us_fields()}),
        )
        .await,
        201,
    )
    .await;
    let c = app.customer("fields-store@example.com").await;
    let mut browser = crate::support::Browser::new(&app);
    browser.login(&c.email, &c.password).await;
    let page = browser.get("/store/starter").await;
    assert!(page.body.contains("For .us domains"), "{}", page.body);
    assert!(page.body.contains("name=\"field_us_nexus\""));
    assert!(page.body.contains("<option value=\"C12\""));
    let base = vec![
        ("csrf", page.csrf()),
        ("order_key", page.input_value("order_key")),
        ("billing_cycle", "annually".to_string()),
        ("domain", "store-site.us".to_string()),
        ("domain_option", "register".to_string()),
        ("years", "1".to_string()),
        ("field_us_purpose", "P2".to_string()),
    ];
    let refs: Vec<(&str, &str)> = base.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = browser.post("/store/starter/order", &refs).await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("field_us_nexus-error"), "{}", res.body);
    let mut good = base.clone();
    good.push(("field_us_nexus", "C21".to_string()));
    let refs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = browser.post("/store/starter/order", &refs).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let kept: String = app
        .state
        .db
        .read(|c| {
            Ok(c.query_row(
                "SELECT registrant_fields FROM domains WHERE name = 'store-site.us'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&kept).unwrap(),
        json!({"us_nexus": "C21", "us_purpose": "P2"})
    );
}
