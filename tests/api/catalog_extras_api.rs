//! Addons, configurable options and domain TLDs: staff management, the
//! public catalog, and quotes and orders that price them line by line.

use serde_json::{Value, json};

use crate::support::{Customer, TestApp, json_with_status, sql};

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

fn minor(v: &Value) -> i64 {
    v["amount_minor"].as_i64().unwrap()
}

fn errors_of(body: &Value) -> Vec<String> {
    body["errors"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

/// An option: its name, id, and its choices' names and ids.
type Opt = (String, i64, Vec<(String, i64)>);

/// The VPS's options by name: (option id, choice ids by name).
async fn vps_options(app: &TestApp) -> Vec<Opt> {
    let p = json_with_status(app.get("/api/v1/catalog/products/vps-2-gb").await, 200).await;
    p["data"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["name"].as_str().unwrap().to_string(),
                o["id"].as_i64().unwrap(),
                o["choices"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| {
                        (
                            c["name"].as_str().unwrap().to_string(),
                            c["id"].as_i64().unwrap(),
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

fn option<'a>(opts: &'a [Opt], name: &str) -> &'a Opt {
    opts.iter().find(|o| o.0 == name).unwrap()
}

fn choice(opt: &Opt, name: &str) -> i64 {
    opt.2.iter().find(|c| c.0 == name).unwrap().1
}

/// The rule every invoice keeps: total = sum of lines = subtotal + tax.
fn assert_adds_up(invoice: &Value) {
    let lines: i64 = invoice["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| minor(&i["amount"]))
        .sum();
    assert_eq!(lines, minor(&invoice["total"]), "{invoice}");
    assert_eq!(
        minor(&invoice["subtotal"]) + minor(&invoice["tax_total"]),
        minor(&invoice["total"])
    );
    for i in invoice["items"].as_array().unwrap() {
        assert_eq!(
            i["quantity"].as_i64().unwrap() * minor(&i["unit_amount"]),
            minor(&i["amount"]),
            "{i}"
        );
    }
}

async fn quote(app: &TestApp, c: Option<&Customer>, body: &Value) -> reqwest::Response {
    let mut req = app.http.post(app.url("/api/v1/orders/quote")).json(body);
    if let Some(c) = c {
        req = req
            .bearer_auth(&c.access)
            .header("X-Client-Id", c.client_id.to_string());
    }
    req.send().await.unwrap()
}

async fn order(app: &TestApp, c: &Customer, key: &str, body: &Value) -> reqwest::Response {
    app.http
        .post(app.url(&format!("/api/v1/clients/{}/orders", c.client_id)))
        .bearer_auth(&c.access)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn invoice(app: &TestApp, c: &Customer, id: i64) -> Value {
    json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/invoices/{id}", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await["data"]
        .clone()
}

#[tokio::test]
async fn staff_manage_addons_options_and_tlds_and_bad_input_is_refused() {
    let app = TestApp::with_catalog();
    let key = app.staff_key(&["catalog:read", "catalog:write"]);
    let reader = app.staff_key(&["catalog:read"]);

    // Addons.
    let bad = send(&app, "POST", "/api/v1/addons", &key, json!({"name": "", "status": "gone",
        "prices": [{"currency": "XXX", "billing_cycle": "weekly", "price": "1"}], "products": ["nope"]})).await;
    let fields = errors_of(&json_with_status(bad, 422).await);
    for f in [
        "name",
        "status",
        "prices.0.currency",
        "prices.0.cycle",
        "products.0",
    ] {
        assert!(fields.contains(&f.to_string()), "{f}: {fields:?}");
    }
    let body = json!({"name": "SSL certificate", "prices": [
        {"currency": "USD", "billing_cycle": "annually", "price": "25.00", "setup_fee": "5"},
        {"currency": "USD", "billing_cycle": "onetime", "price": "40"}], "products": ["starter", "business"]});
    assert_eq!(
        send(&app, "POST", "/api/v1/addons", &reader, body.clone())
            .await
            .status(),
        403
    );
    let created = json_with_status(
        send(&app, "POST", "/api/v1/addons", &key, body.clone()).await,
        201,
    )
    .await;
    let addon = &created["data"];
    assert_eq!(addon["slug"], "ssl-certificate");
    assert_eq!(addon["product_ids"].as_array().unwrap().len(), 2);
    assert_eq!(addon["pricing"][0]["billing_cycle"], "onetime");
    assert_eq!(addon["pricing"][1]["setup_fee"]["amount_minor"], 500);
    let dup = send(&app, "POST", "/api/v1/addons", &key, body).await;
    assert!(errors_of(&json_with_status(dup, 422).await).contains(&"slug".to_string()));
    let list = json_with_status(app.get_auth("/api/v1/addons", &reader).await, 200).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 3);
    let updated = json_with_status(
        send(
            &app,
            "PUT",
            "/api/v1/addons/ssl-certificate",
            &key,
            json!({"name": "SSL certificate", "status": "hidden", "products": ["starter"]}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(updated["data"]["status"], "hidden");
    assert_eq!(updated["data"]["is_free"], true);
    let public = json_with_status(
        app.get("/api/v1/catalog/products/starter/addons").await,
        200,
    )
    .await;
    assert_eq!(
        public["data"].as_array().unwrap().len(),
        2,
        "hidden addons are not listed"
    );
    json_with_status(
        send(
            &app,
            "DELETE",
            "/api/v1/addons/ssl-certificate",
            &key,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    let retired = json_with_status(
        app.get_auth("/api/v1/addons?status=retired", &reader).await,
        200,
    )
    .await;
    assert_eq!(retired["data"][0]["slug"], "ssl-certificate");
    assert_eq!(
        send(&app, "DELETE", "/api/v1/addons/nope", &key, json!({}))
            .await
            .status(),
        404
    );

    // Options.
    for (body, field) in [
        (
            json!({"name": "Disk", "kind": "slider", "choices": [{"name": "x"}]}),
            "kind",
        ),
        (
            json!({"name": "Disk", "kind": "quantity", "choices": [{"name": "a"}, {"name": "b"}]}),
            "choices",
        ),
        (
            json!({"name": "Disk", "kind": "dropdown", "choices": []}),
            "choices",
        ),
        (
            json!({"name": "Disk", "kind": "quantity", "min_quantity": 5, "max_quantity": 2, "choices": [{"name": "GB"}]}),
            "max_quantity",
        ),
        (
            json!({"name": "Disk", "kind": "dropdown", "choices": [{"name": "50 GB", "prices": [{"currency": "USD", "billing_cycle": "monthly", "price": "1.001"}]}]}),
            "choices.0.prices.0.price",
        ),
        (
            json!({"name": "Disk", "kind": "dropdown", "choices": [{"id": 999999, "name": "x"}]}),
            "choices.0.id",
        ),
    ] {
        let res = send(
            &app,
            "POST",
            "/api/v1/products/vps-2-gb/options",
            &key,
            body.clone(),
        )
        .await;
        let fields = errors_of(&json_with_status(res, 422).await);
        assert!(fields.contains(&field.to_string()), "{body}: {fields:?}");
    }
    let disk = json_with_status(send(&app, "POST", "/api/v1/products/vps-2-gb/options", &key, json!({
        "name": "Disk", "kind": "dropdown", "choices": [
            {"name": "40 GB"},
            {"name": "80 GB", "prices": [{"currency": "USD", "billing_cycle": "monthly", "price": "4.00"}]}]})).await, 201).await;
    let disk_id = disk["data"]["id"].as_i64().unwrap();
    let first = disk["data"]["choices"][0]["id"].as_i64().unwrap();
    let changed = json_with_status(send(&app, "PUT", &format!("/api/v1/options/{disk_id}"), &key, json!({
        "name": "Disk space", "kind": "dropdown", "choices": [
            {"id": first, "name": "40 GB NVMe"}, {"name": "160 GB", "prices": [{"currency": "USD", "billing_cycle": "monthly", "price": "9"}]}]})).await, 200).await;
    let names: Vec<&str> = changed["data"]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["40 GB NVMe", "160 GB"],
        "the 80 GB choice is retired"
    );
    let kind_change = send(
        &app,
        "PUT",
        &format!("/api/v1/options/{disk_id}"),
        &key,
        json!({"name": "Disk", "kind": "radio", "choices": [{"name": "x"}]}),
    )
    .await;
    assert!(errors_of(&json_with_status(kind_change, 422).await).contains(&"kind".to_string()));
    let staff_list = json_with_status(
        app.get_auth("/api/v1/products/vps-2-gb/options", &reader)
            .await,
        200,
    )
    .await;
    assert_eq!(staff_list["data"].as_array().unwrap().len(), 5);
    json_with_status(
        send(
            &app,
            "DELETE",
            &format!("/api/v1/options/{disk_id}"),
            &key,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        vps_options(&app).await.len(),
        4,
        "a retired option is not offered"
    );

    // TLDs.
    let bad = send(
        &app,
        "POST",
        "/api/v1/tlds",
        &key,
        json!({"tld": "bad tld!", "prices": [
        {"currency": "USD", "years": 11, "renew": "x"}]}),
    )
    .await;
    let fields = errors_of(&json_with_status(bad, 422).await);
    for f in [
        "tld",
        "prices.0.years",
        "prices.0.register",
        "prices.0.renew",
    ] {
        assert!(fields.contains(&f.to_string()), "{f}: {fields:?}");
    }
    let io = json_with_status(
        send(
            &app,
            "POST",
            "/api/v1/tlds",
            &key,
            json!({"tld": "IO", "prices": [
        {"currency": "USD", "years": 1, "register": "39.00", "renew": "45.00"}]}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(io["data"]["tld"], ".io");
    assert!(io["data"]["pricing"][0]["transfer"].is_null());
    let dup = send(&app, "POST", "/api/v1/tlds", &key, json!({"tld": ".io"})).await;
    assert!(errors_of(&json_with_status(dup, 422).await).contains(&"tld".to_string()));
    json_with_status(send(&app, "PUT", "/api/v1/tlds/io", &key, json!({"tld": ".io", "prices": [
        {"currency": "USD", "years": 1, "register_minor": 3500, "renew_minor": 4000, "transfer_minor": 3500}]})).await, 200).await;
    let all = json_with_status(app.get_auth("/api/v1/tlds", &reader).await, 200).await;
    assert_eq!(all["data"].as_array().unwrap().len(), 4);
    json_with_status(
        send(&app, "DELETE", "/api/v1/tlds/.io", &key, json!({})).await,
        200,
    )
    .await;
    let public = json_with_status(app.get("/api/v1/catalog/domain-tlds").await, 200).await;
    assert_eq!(
        public["data"].as_array().unwrap().len(),
        3,
        "retired TLDs are not sold"
    );

    let mut audited = 0;
    for action in [
        "catalog.addon_created",
        "catalog.addon_retired",
        "catalog.option_updated",
        "catalog.tld_created",
        "catalog.tld_retired",
    ] {
        audited += app.audit_count(action).await;
    }
    assert!(audited >= 5, "{audited}");
}

#[tokio::test]
async fn the_public_catalog_lists_tlds_and_a_products_options_and_addons() {
    let app = TestApp::with_catalog();
    let tlds = json_with_status(app.get("/api/v1/catalog/domain-tlds").await, 200).await;
    let list = tlds["data"].as_array().unwrap();
    let names: Vec<&str> = list.iter().map(|t| t["tld"].as_str().unwrap()).collect();
    assert_eq!(names, [".com", ".net", ".org"]);
    let com = &list[0];
    assert_eq!(com["supports_id_protection"], true);
    assert_eq!(com["requires_manual_check"], false);
    let one = &com["pricing"][0];
    assert_eq!(one["years"], 1);
    assert_eq!(one["register"]["amount_minor"], 1299);
    assert_eq!(one["register"]["formatted"], "$12.99 USD");
    assert_eq!(one["renew"]["amount_minor"], 1499);
    assert_eq!(one["transfer"]["amount_minor"], 1299);
    assert_eq!(com["pricing"][1]["register"]["amount_minor"], 2598);
    assert!(com["pricing"][1]["transfer"].is_null());
    assert_eq!(
        com["pricing"].as_array().unwrap().len(),
        3,
        "one currency only"
    );
    let eur = json_with_status(
        app.get("/api/v1/catalog/domain-tlds?currency=eur").await,
        200,
    )
    .await;
    assert_eq!(
        eur["data"][0]["pricing"][0]["register"]["formatted"],
        "€11.99 EUR"
    );
    assert_eq!(
        app.get("/api/v1/catalog/domain-tlds?currency=XYZ")
            .await
            .status(),
        422
    );

    let vps = json_with_status(
        app.get("/api/v1/catalog/products/vps-2-gb?currency=USD")
            .await,
        200,
    )
    .await;
    let options = vps["data"]["options"].as_array().unwrap();
    let kinds: Vec<&str> = options
        .iter()
        .map(|o| o["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["dropdown", "radio", "quantity", "yesno"]);
    assert_eq!(options[0]["choices"][1]["name"], "4 GB");
    assert_eq!(
        options[0]["choices"][1]["pricing"][0]["price"]["amount_minor"],
        600
    );
    assert_eq!(
        options[0]["choices"][1]["pricing"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(options[2]["min_quantity"], 0);
    assert_eq!(options[2]["max_quantity"], 8);
    assert!(options[0]["max_quantity"].is_null());
    assert_eq!(vps["data"]["addons"].as_array().unwrap().len(), 0);
    assert_eq!(vps["data"]["pricing"][0]["price"]["amount_minor"], 1200);

    let starter = json_with_status(app.get("/api/v1/catalog/products/starter").await, 200).await;
    let addons = starter["data"]["addons"].as_array().unwrap();
    assert_eq!(addons[0]["name"], "Daily backups");
    assert_eq!(addons[1]["slug"], "dedicated-ip");
    let listed = json_with_status(
        app.get("/api/v1/catalog/products/starter/addons?currency=USD")
            .await,
        200,
    )
    .await;
    assert_eq!(
        listed["data"][1]["pricing"][0]["setup_fee"]["amount_minor"],
        200
    );
    assert_eq!(
        app.get("/api/v1/catalog/products/nope/addons")
            .await
            .status(),
        404
    );
}

/// VPS with 4 GB, Ubuntu, 3 IPs and backups; Starter with two addons and a
/// two-year .com registration; and a .net transfer on its own.
async fn big_order(app: &TestApp) -> Value {
    let opts = vps_options(app).await;
    let memory = option(&opts, "Memory");
    let os = option(&opts, "Operating system");
    json!({"items": [
        {"type": "hosting", "package_id": "vps-2-gb", "billing_cycle": "monthly", "options": [
            {"option": memory.1, "value": choice(memory, "4 GB")},
            {"option": os.1.to_string(), "value": choice(os, "Ubuntu 24.04").to_string()},
            {"option": option(&opts, "Extra IPv4 addresses").1, "value": 3},
            {"option": option(&opts, "Managed backups").1, "value": "yes"}]},
        {"type": "hosting", "package_id": "starter", "billing_cycle": "annually", "domain": "example.com",
         "domain_option": "register", "years": 2, "addons": ["daily-backups", "dedicated-ip"]},
        {"type": "domain", "domain": "Example.NET", "domain_option": "transfer", "epp_code": "Tr4nsfer-Code"}]})
}

#[tokio::test]
async fn a_quote_and_an_order_price_options_addons_and_domains_line_by_line() {
    let app = TestApp::with_catalog();
    let body = big_order(&app).await;
    let q = json_with_status(quote(&app, None, &body).await, 200).await;
    let items = q["items"].as_array().unwrap();
    // VPS: 12.00 + 5.00 setup + 6.00 memory + 3 × 2.00 IPs + 3.00 backups.
    assert_eq!(minor(&items[0]["due_today"]), 3200);
    assert_eq!(minor(&items[0]["price"]), 1200);
    assert_eq!(minor(&items[0]["recurring"]), 2700);
    let opts = items[0]["options"].as_array().unwrap();
    assert_eq!(opts.len(), 4, "the free OS choice is recorded too");
    let ips = items[0]["charges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["description"] == "Option: Extra IPv4 addresses")
        .unwrap();
    assert_eq!(ips["quantity"], 3);
    assert_eq!(minor(&ips["unit_price"]), 200);
    assert_eq!(minor(&ips["amount"]), 600);
    // Starter: 49.90 + 15.00 + 30.00 + 2.00 setup + .com for 2 years 25.98.
    assert_eq!(
        minor(&items[1]["due_today"]),
        4990 + 1500 + 3000 + 200 + 2598
    );
    assert_eq!(items[1]["domain_option"], "register");
    assert_eq!(items[1]["years"], 2);
    assert_eq!(items[2]["type"], "domain");
    assert!(items[2]["package_id"].is_null());
    assert_eq!(items[2]["domain"], "example.net");
    assert_eq!(minor(&items[2]["due_today"]), 1399);
    let total = 3200 + 12288 + 1399;
    assert_eq!(minor(&q["totals"]["due_today"]), total);
    let recurring = &q["totals"]["recurring"];
    assert_eq!(minor(&recurring["monthly"]), 2700);
    assert_eq!(minor(&recurring["annually"]), 4990 + 1500 + 3000 + 1599);
    assert_eq!(minor(&recurring["biennially"]), 2998);

    // Tampering: amounts and currencies in items are ignored.
    let mut tampered = body.clone();
    for item in tampered["items"].as_array_mut().unwrap() {
        item["price"] = json!(0.01);
        item["amount_minor"] = json!(1);
        item["currency"] = json!("EUR");
        item["setup_fee"] = json!(0);
    }
    tampered["total"] = json!(1);
    assert_eq!(
        json_with_status(quote(&app, None, &tampered).await, 200).await,
        q
    );

    // Ordered with exclusive tax: every line, then one tax line.
    let staff = app.staff_key(&["catalog:read", "catalog:write", "billing:write"]);
    json_with_status(
        send(
            &app,
            "POST",
            "/api/v1/tax-rules",
            &staff,
            json!({"country": "GB", "name": "VAT", "rate": "20"}),
        )
        .await,
        201,
    )
    .await;
    let c = app.customer("ama@example.com").await;
    json_with_status(
        send(
            &app,
            "PATCH",
            &format!("/api/v1/clients/{}/profile", c.client_id),
            &c.access,
            json!({"country": "GB"}),
        )
        .await,
        200,
    )
    .await;
    let placed = json_with_status(order(&app, &c, "big", &body).await, 201).await;
    let inv = invoice(&app, &c, placed["invoice"]["id"].as_i64().unwrap()).await;
    let lines = inv["items"].as_array().unwrap();
    let kinds: Vec<&str> = lines.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "service", "setup", "option", "option", "option", "service", "addon", "addon", "setup",
            "domain", "domain", "tax"
        ]
    );
    let descriptions: Vec<&str> = lines
        .iter()
        .map(|l| l["description"].as_str().unwrap())
        .collect();
    assert_eq!(descriptions[2], "Option: Memory 4 GB");
    assert_eq!(descriptions[4], "Option: Managed backups");
    assert_eq!(descriptions[6], "Addon: Daily backups");
    assert_eq!(descriptions[9], "Domain registration example.com (2 years)");
    assert_eq!(descriptions[10], "Domain transfer example.net (1 year)");
    assert_eq!(lines[3]["quantity"], 3);
    assert_eq!(lines[2]["period_start"], "2026-01-15");
    assert!(lines[9]["domain_id"].is_i64());
    // 20% of 168.87 = 33.774 -> 33.77.
    assert_eq!(minor(&inv["tax_total"]), 3377);
    assert_eq!(minor(&inv["total"]), total + 3377);
    assert_adds_up(&inv);
    assert_eq!(
        placed["order"]["items"].as_array().unwrap().len(),
        4,
        "two services and two domains"
    );

    let rows = sql::service_option_rows(&app);
    assert_eq!(rows, 4);
    let vps = app.product("vps-2-gb").await["id"].clone();
    assert_eq!(app.recurring_sum(|s| s["product_id"] == vps).await, 2700);
    assert_eq!(
        app.service_addons()
            .await
            .iter()
            .filter(|a| a["status"] == "pending")
            .count(),
        2
    );
    assert_eq!(app.domain_count(None, "pending").await, 2);
    assert_eq!(sql::domain_recurring_amount(&app, "example.com"), 2998);

    // The same names cannot be ordered twice while pending.
    let again = order(&app, &c, "again", &body).await;
    let fields = errors_of(&json_with_status(again, 422).await);
    assert!(
        fields.contains(&"items.1.domain".to_string())
            && fields.contains(&"items.2.domain".to_string()),
        "{fields:?}"
    );

    // Inclusive prices: the customer pays the listed total and lines still add up.
    let res = app
        .http
        .put(app.url("/api/v1/tax-settings"))
        .bearer_auth(&staff)
        .json(&json!({"prices_include_tax": true, "seller_country": "GB"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let mut other = big_order(&app).await;
    other["items"][1]["domain"] = json!("example2.com");
    other["items"][2]["domain"] = json!("example2.net");
    let placed = json_with_status(order(&app, &c, "inclusive", &other).await, 201).await;
    let inv = invoice(&app, &c, placed["invoice"]["id"].as_i64().unwrap()).await;
    assert_eq!(minor(&inv["total"]), total);
    assert_eq!(
        minor(&inv["tax_total"]),
        total - 14073,
        "168.87 / 1.2 = 140.725 -> 140.73"
    );
    assert_adds_up(&inv);
}

#[tokio::test]
async fn foreign_or_bad_options_addons_and_domains_are_refused_and_nothing_is_made() {
    let app = TestApp::with_catalog();
    let key = app.staff_key(&["catalog:read", "catalog:write"]);
    let opts = vps_options(&app).await;
    let memory = option(&opts, "Memory");
    let os = option(&opts, "Operating system");
    let ips = option(&opts, "Extra IPv4 addresses");
    let backups = option(&opts, "Managed backups");
    // A product with a required option and an addon of its own.
    json_with_status(
        send(
            &app,
            "POST",
            "/api/v1/products",
            &key,
            json!({"group": "vps", "kind": "vps", "name": "Big VPS",
        "prices": [{"currency": "USD", "billing_cycle": "monthly", "price": "40"}]}),
        )
        .await,
        201,
    )
    .await;
    json_with_status(
        send(
            &app,
            "POST",
            "/api/v1/products/big-vps/options",
            &key,
            json!({"name": "Region", "kind": "radio",
        "required": true, "choices": [{"name": "Frankfurt"}, {"name": "Helsinki"}]}),
        )
        .await,
        201,
    )
    .await;
    json_with_status(
        send(
            &app,
            "POST",
            "/api/v1/addons",
            &key,
            json!({"name": "Snapshots", "products": ["big-vps"],
        "prices": [{"currency": "USD", "billing_cycle": "monthly", "price": "1"}]}),
        )
        .await,
        201,
    )
    .await;

    let vps = |options: Value, addons: Value| json!({"items": [{"package_id": "vps-2-gb", "billing_cycle": "monthly", "options": options, "addons": addons}]});
    let cases = [
        (
            json!({"items": [{"package_id": "starter", "billing_cycle": "monthly", "domain": "a.com", "options": [{"option": memory.1, "value": choice(memory, "4 GB")}]}]}),
            "items.0.options.0.option",
        ),
        (
            vps(
                json!([{"option": memory.1, "value": choice(os, "Ubuntu 24.04")}]),
                json!([]),
            ),
            "items.0.options.0.value",
        ),
        (
            vps(json!({ips.1.to_string(): 9}), json!([])),
            "items.0.options.0.value",
        ),
        (
            vps(json!({ips.1.to_string(): "-1"}), json!([])),
            "items.0.options.0.value",
        ),
        (
            vps(json!({backups.1.to_string(): "maybe"}), json!([])),
            "items.0.options.0.value",
        ),
        (
            vps(
                json!([{"option": memory.1, "value": choice(memory, "4 GB")}, {"option": memory.1, "value": choice(memory, "8 GB")}]),
                json!([]),
            ),
            "items.0.options.1.option",
        ),
        (vps(json!([]), json!(["snapshots"])), "items.0.addons.0"),
        (vps(json!([]), json!(["daily-backups"])), "items.0.addons.0"),
        (
            json!({"items": [{"package_id": "big-vps", "billing_cycle": "monthly"}]}),
            "items.0.options",
        ),
        (
            json!({"items": [{"package_id": "starter", "billing_cycle": "quarterly", "domain": "a.com", "addons": [{"addon_id": 1}]}]}),
            "items.0.billing_cycle",
        ),
        (
            json!({"items": [{"package_id": "starter", "billing_cycle": "monthly", "domain": "a.xyz", "domain_option": "register"}]}),
            "items.0.domain",
        ),
        (
            json!({"items": [{"package_id": "starter", "billing_cycle": "monthly", "domain": "a.com", "domain_option": "register", "years": 5}]}),
            "items.0.years",
        ),
        (
            json!({"items": [{"package_id": "starter", "billing_cycle": "monthly", "domain": "a.com", "domain_option": "park"}]}),
            "items.0.domain_option",
        ),
        (
            json!({"items": [{"type": "domain", "domain": "a.org", "domain_option": "transfer"}]}),
            "items.0.domain_option",
        ),
        (
            json!({"items": [{"type": "domain", "domain": "a.org", "domain_option": "existing"}]}),
            "items.0.domain_option",
        ),
        (json!({"items": [{"type": "domain"}]}), "items.0.domain"),
        (
            json!({"items": [{"type": "domain", "domain": "a.com"}, {"type": "domain", "domain": "A.com"}]}),
            "items.1.domain",
        ),
    ];
    let c = app.customer("ama@example.com").await;
    for (i, (body, field)) in cases.iter().enumerate() {
        let res = quote(&app, None, body).await;
        let fields = errors_of(&json_with_status(res, 422).await);
        assert!(fields.contains(&field.to_string()), "{body}: {fields:?}");
        let res = order(&app, &c, &format!("bad-{i}"), body).await;
        assert_eq!(res.status(), 422, "{body}");
    }
    for (table, rows) in [
        ("orders", app.order_count(None).await),
        ("invoices", app.invoice_count(None).await),
        ("services", app.services(None).await.len()),
        ("domains", app.domains().await.len()),
        ("service_addons", app.service_addons().await.len()),
        ("service_options", sql::service_option_rows(&app) as usize),
    ] {
        assert_eq!(rows, 0, "{table}");
    }
    // The addon of the other product is fine there; the required option given.
    let region = json_with_status(app.get("/api/v1/catalog/products/big-vps").await, 200).await;
    let region_id = region["data"]["options"][0]["id"].as_i64().unwrap();
    let helsinki = region["data"]["options"][0]["choices"][1]["id"]
        .as_i64()
        .unwrap();
    let ok = json_with_status(
        quote(
            &app,
            None,
            &json!({"items": [{"package_id": "big-vps", "billing_cycle": "monthly",
        "configoptions": {region_id.to_string(): helsinki}, "addons": ["snapshots"]}]}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(minor(&ok["totals"]["due_today"]), 4100);
    assert_eq!(ok["items"][0]["options"][0]["choice"], "Helsinki");
}

#[tokio::test]
async fn options_keep_exact_amounts_in_currencies_with_zero_and_three_decimals() {
    let app = TestApp::with_catalog();
    let key = app.staff_key(&["catalog:read", "catalog:write"]);
    for (code, decimals, prefix) in [("JPY", 0, "¥"), ("KWD", 3, "KD ")] {
        json_with_status(
            send(
                &app,
                "POST",
                "/api/v1/currencies",
                &key,
                json!({"code": code, "decimals": decimals, "prefix": prefix}),
            )
            .await,
            200,
        )
        .await;
    }
    json_with_status(
        send(
            &app,
            "POST",
            "/api/v1/products",
            &key,
            json!({"group": "vps", "kind": "vps", "name": "Tokyo VPS", "prices": [
        {"currency": "JPY", "billing_cycle": "monthly", "price": "1500"},
        {"currency": "KWD", "billing_cycle": "monthly", "price": "3.125"}]}),
        )
        .await,
        201,
    )
    .await;
    let half_yen = send(&app, "POST", "/api/v1/products/tokyo-vps/options", &key, json!({"name": "Disk", "kind": "quantity",
        "choices": [{"name": "10 GB", "prices": [{"currency": "JPY", "billing_cycle": "monthly", "price": "0.5"}]}]})).await;
    assert!(
        errors_of(&json_with_status(half_yen, 422).await)
            .contains(&"choices.0.prices.0.price".to_string())
    );
    let disk = json_with_status(
        send(
            &app,
            "POST",
            "/api/v1/products/tokyo-vps/options",
            &key,
            json!({"name": "Disk", "kind": "quantity",
        "max_quantity": 10, "choices": [{"name": "10 GB", "prices": [
            {"currency": "JPY", "billing_cycle": "monthly", "price": "333", "setup_fee": "7"},
            {"currency": "KWD", "billing_cycle": "monthly", "price": "0.625"}]}]}),
        )
        .await,
        201,
    )
    .await;
    let disk_id = disk["data"]["id"].as_i64().unwrap();
    for (code, email, expected, formatted) in [
        ("JPY", "jp@example.com", 1500 + 3 * 333 + 3 * 7, "¥2520"),
        ("KWD", "kw@example.com", 3125 + 3 * 625, "KD 5.000"),
    ] {
        let res = app
            .post_json(
                "/api/v1/auth/signup",
                json!({"email": email, "password": "correct horse battery staple",
            "first_name": "A", "last_name": "B", "currency": code}),
            )
            .await;
        assert_eq!(res.status(), 202);
        let c = app.login(email, "correct horse battery staple").await;
        let body = json!({"items": [{"package_id": "tokyo-vps", "billing_cycle": "monthly", "options": {disk_id.to_string(): "3"}}]});
        let q = json_with_status(quote(&app, Some(&c), &body).await, 200).await;
        assert_eq!(q["currency"], code);
        assert_eq!(minor(&q["totals"]["due_today"]), expected);
        assert_eq!(q["totals"]["due_today"]["formatted"], formatted);
        let placed = json_with_status(order(&app, &c, "k", &body).await, 201).await;
        let inv = invoice(&app, &c, placed["invoice"]["id"].as_i64().unwrap()).await;
        assert_eq!(minor(&inv["total"]), expected);
        assert_adds_up(&inv);
    }
}

#[tokio::test]
async fn paying_activates_addons_and_leaves_domains_pending_and_cancelling_cancels_both() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    let staff = app.staff_key(&["billing:write"]);
    let body = |domain: &str| {
        json!({"items": [{"package_id": "starter", "billing_cycle": "monthly", "domain": domain,
        "domain_option": "register", "addons": ["dedicated-ip"]}]})
    };
    let placed = json_with_status(order(&app, &c, "one", &body("paid.com")).await, 201).await;
    // 4.99 + 3.00 + 2.00 setup + 12.99.
    assert_eq!(minor(&placed["invoice"]["total"]), 2298);
    let res = app
        .staff_pay(
            &staff,
            placed["invoice"]["id"].as_i64().unwrap(),
            "22.98",
            "BANK-1",
        )
        .await;
    assert_eq!(json_with_status(res, 200).await["data"]["status"], "paid");
    assert_eq!(app.service_count(Some("active")).await, 1);
    assert_eq!(
        app.service_addons()
            .await
            .iter()
            .filter(|a| a["status"] == "active"
                && a["next_due_date"] == "2026-02-15"
                && a["recurring_amount"]["amount_minor"] == 300)
            .count(),
        1
    );
    assert_eq!(app.domain_count(Some("paid.com"), "pending").await, 1);

    let unpaid = json_with_status(order(&app, &c, "two", &body("unpaid.com")).await, 201).await;
    let billing = app.staff_key(&["billing:write"]);
    let res = send(
        &app,
        "POST",
        &format!("/api/v1/invoices/{}/cancel", unpaid["invoice"]["id"]),
        &billing,
        json!({}),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.service_addons()
            .await
            .iter()
            .filter(|a| a["status"] == "cancelled")
            .count(),
        1
    );
    assert_eq!(app.domain_count(Some("unpaid.com"), "cancelled").await, 1);
    // A cancelled name can be ordered again.
    json_with_status(order(&app, &c, "three", &body("unpaid.com")).await, 201).await;
}
