//! The store pages: browse the catalog, order from a product page, and land
//! on the order's invoice; a resent form makes one order. (Carts: see
//! `pages_cart.rs`.)

use serde_json::json;

use crate::support::{Browser, TestApp};

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test]
async fn anyone_browses_the_store_but_ordering_needs_a_login() {
    let app = TestApp::with_catalog();
    let mut browser = Browser::new(&app);
    let store = browser.get("/store").await;
    assert_eq!(store.status, 200);
    assert!(store.body.contains("Shared Hosting") && store.body.contains("Virtual Servers"));
    assert!(store.body.contains("href=\"/store/starter\""));

    let product = browser.get("/store/starter").await;
    assert_eq!(product.status, 200);
    // A guest may fill a cart, but "Order now" is for logged-in customers.
    assert!(product.body.contains("id=\"add-to-cart\""));
    assert!(!product.body.contains("formaction=\"/store/starter/order\""));
    assert_eq!(browser.get("/store/no-such-thing").await.status, 404);

    // Posting an order without a session goes to the login form (after
    // the CSRF check, which an anonymous browser can pass).
    let csrf = browser.get("/login").await.csrf();
    let res = browser
        .post(
            "/store/starter/order",
            &[
                ("csrf", &csrf),
                ("order_key", "k1"),
                ("billing_cycle", "monthly"),
                ("domain", "example.com"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location(), "/login");
    assert_eq!(app.order_count(None).await, 0);
}

#[tokio::test]
async fn an_order_from_the_product_page_lands_on_its_invoice_once() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    browser.login(&c.email, PASSWORD).await;

    let page = browser.get("/store/starter").await;
    assert!(page.body.contains("action=\"/store/starter/order\""));
    let key = page.input_value("order_key");

    // No domain for a hosting plan: the form comes back, nothing is made.
    let res = browser
        .post(
            "/store/starter/order",
            &[
                ("csrf", &page.csrf()),
                ("order_key", &key),
                ("billing_cycle", "annually"),
                ("domain", ""),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("domain-error"), "{}", res.body);
    assert_eq!(res.input_value("order_key"), key, "the same key is kept");
    assert_eq!(app.order_count(None).await, 0);

    let fields = [
        ("csrf", page.csrf()),
        ("order_key", key.clone()),
        ("billing_cycle", "annually".to_string()),
        ("domain", "Example.com".to_string()),
    ];
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let first = browser.post("/store/starter/order", &refs).await;
    assert_eq!(first.status, 303, "{}", first.body);
    assert!(first.location().starts_with("/account/invoices/"));
    // The browser resends the form (double click, back and resubmit).
    let again = browser.post("/store/starter/order", &refs).await;
    assert_eq!(again.location(), first.location());
    assert_eq!(app.order_count(None).await, 1);
    assert_eq!(app.invoice_count(None).await, 1);

    let invoice = browser.get(first.location()).await;
    assert_eq!(invoice.status, 200);
    assert!(invoice.body.contains("unpaid"));
    assert!(invoice.body.contains("example.com"), "{}", invoice.body);

    // Tampering with the form under the same key is refused.
    let tampered = browser
        .post(
            "/store/starter/order",
            &[
                ("csrf", &page.csrf()),
                ("order_key", &key),
                ("billing_cycle", "monthly"),
                ("domain", "example.com"),
            ],
        )
        .await;
    assert_eq!(tampered.status, 422);
    assert_eq!(app.order_count(None).await, 1);
}

#[tokio::test]
async fn a_contact_without_the_orders_privilege_cannot_order() {
    let app = TestApp::with_catalog();
    let owner = app.customer("owner@example.com").await;
    let res = app
        .http
        .post(app.url(&format!("/api/v1/clients/{}/contacts", owner.client_id)))
        .bearer_auth(&owner.access)
        .json(&json!({"email": "kofi@example.com", "first_name": "Kofi", "last_name": "B", "privileges": {"billing": ["payinvoice"]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    app.accept_invitation("kofi@example.com", "contact passphrase 1")
        .await;
    let mut kofi = Browser::new(&app);
    kofi.login("kofi@example.com", "contact passphrase 1").await;
    let page = kofi.get("/store/vps-2-gb").await;
    let res = kofi
        .post(
            "/store/vps-2-gb/order",
            &[
                ("csrf", &page.csrf()),
                ("order_key", &page.input_value("order_key")),
                ("billing_cycle", "monthly"),
            ],
        )
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(app.order_count(None).await, 0);
}

#[tokio::test]
async fn a_promotion_code_typed_on_the_product_page_lowers_the_invoice() {
    let app = TestApp::with_catalog();
    let key = app.staff_key(&["catalog:write"]);
    let res = app
        .http
        .post(app.url("/api/v1/promotions"))
        .bearer_auth(&key)
        .json(&json!({"code": "HALF", "kind": "percent", "value": "50"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    browser.login(&c.email, PASSWORD).await;
    let page = browser.get("/store/vps-2-gb").await;
    let key = page.input_value("order_key");
    let bad = browser
        .post(
            "/store/vps-2-gb/order",
            &[
                ("csrf", &page.csrf()),
                ("order_key", &key),
                ("billing_cycle", "monthly"),
                ("promo_code", "NOPE"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("promo_code-error"));
    assert!(bad.body.contains("is not a valid promotion code"));
    assert_eq!(app.order_count(None).await, 0);

    let res = browser
        .post(
            "/store/vps-2-gb/order",
            &[
                ("csrf", &page.csrf()),
                ("order_key", &key),
                ("billing_cycle", "monthly"),
                ("promo_code", "half"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let invoice = browser.get(res.location()).await;
    assert!(invoice.body.contains("Promotion HALF"));
    // 12.00 - 6.00 + 5.00 setup.
    assert_eq!(app.invoices(None).await[0]["total"]["amount_minor"], 1100);
}

/// The VPS's option ids by name, and the choice id of `4 GB` memory.
async fn vps_option_ids(app: &TestApp) -> (Vec<(String, i64)>, i64) {
    let res = app.get("/api/v1/catalog/products/vps-2-gb").await;
    let body: serde_json::Value = res.json().await.unwrap();
    let options = body["data"]["options"].as_array().unwrap();
    let ids = options
        .iter()
        .map(|o| {
            (
                o["name"].as_str().unwrap().to_string(),
                o["id"].as_i64().unwrap(),
            )
        })
        .collect();
    let four = options[0]["choices"][1]["id"].as_i64().unwrap();
    (ids, four)
}

#[tokio::test]
async fn the_product_page_offers_options_addons_and_a_domain_choice() {
    let app = TestApp::with_catalog();
    let c = app.customer("ama@example.com").await;
    let mut browser = Browser::new(&app);
    browser.login(&c.email, PASSWORD).await;
    let (ids, four) = vps_option_ids(&app).await;
    let id = |name: &str| ids.iter().find(|o| o.0 == name).unwrap().1;

    let page = browser.get("/store/vps-2-gb").await;
    assert_eq!(page.status, 200);
    let memory = format!("name=\"option_{}\"", id("Memory"));
    assert!(
        page.body
            .contains(&format!("<select id=\"option_{}\" {memory}", id("Memory"))),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("4 GB (+$6.00 USD monthly, $17.00 USD quarterly)")
    );
    assert!(page.body.contains(&format!(
        "type=\"radio\" name=\"option_{}\"",
        id("Operating system")
    )));
    assert!(page.body.contains(&format!(
        "type=\"number\" id=\"option_{}\"",
        id("Extra IPv4 addresses")
    )));
    assert!(page.body.contains(&format!(
        "type=\"checkbox\" name=\"option_{}\" value=\"yes\"",
        id("Managed backups")
    )));

    let starter = browser.get("/store/starter").await;
    assert!(starter.body.contains("Daily backups"));
    assert!(
        starter
            .body
            .contains("type=\"radio\" name=\"domain_option\" value=\"register\"")
    );

    let key = page.input_value("order_key");
    let (f_mem, f_ips, f_backups) = (
        format!("option_{}", id("Memory")),
        format!("option_{}", id("Extra IPv4 addresses")),
        format!("option_{}", id("Managed backups")),
    );
    let four = four.to_string();
    // Too many addresses: the form comes back with the message by the field.
    let bad = browser
        .post(
            "/store/vps-2-gb/order",
            &[
                ("csrf", &page.csrf()),
                ("order_key", &key),
                ("billing_cycle", "monthly"),
                (&f_mem, &four),
                (&f_ips, "99"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains(&format!("{f_ips}-error")), "{}", bad.body);
    assert!(bad.body.contains("value=\"99\""));
    assert_eq!(app.order_count(None).await, 0);

    let res = browser
        .post(
            "/store/vps-2-gb/order",
            &[
                ("csrf", &page.csrf()),
                ("order_key", &key),
                ("billing_cycle", "monthly"),
                (&f_mem, &four),
                (&f_ips, "2"),
                (&f_backups, "yes"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let invoice = browser.get(res.location()).await;
    assert!(
        invoice.body.contains("Option: Memory 4 GB"),
        "{}",
        invoice.body
    );
    // 12.00 + 5.00 setup + 6.00 + 2 × 2.00 + 3.00.
    assert_eq!(app.invoices(None).await[0]["total"]["amount_minor"], 3000);

    // Starter with a domain to register and an addon, from the form.
    let page = browser.get("/store/starter").await;
    let addon = app.addon_id("daily-backups").await;
    let addon_field = format!("addon_{addon}");
    let res = browser
        .post(
            "/store/starter/order",
            &[
                ("csrf", &page.csrf()),
                ("order_key", &page.input_value("order_key")),
                ("billing_cycle", "monthly"),
                ("domain", "my-new-site.org"),
                ("domain_option", "register"),
                ("years", "1"),
                (&addon_field, "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let invoice = browser.get(res.location()).await;
    assert!(
        invoice
            .body
            .contains("Domain registration my-new-site.org (1 year)")
    );
    // 4.99 + 1.50 + 11.99.
    assert_eq!(
        app.invoices(None).await.last().unwrap()["total"]["amount_minor"],
        499 + 150 + 1199
    );
}
