//! Provisioning: the module task worker run to a standstill, and a staff
//! world of server groups, WHM servers and module products with orders
//! paid for them.

use serde_json::{Value, json};
use till::clock::Clock;

use super::{Customer, TestApp, ok, sql};

/// The WHM API token the provisioning tests' servers use.
pub const TOKEN: &str = "WHMTOKEN0123456789SECRET";
/// Every scope the provisioning tests' staff key holds.
pub const ALL: &[&str] = &[
    "catalog:read",
    "catalog:write",
    "billing:read",
    "billing:write",
    "clients:read",
    "services:read",
    "services:write",
    "servers:write",
];

#[allow(dead_code)]
impl TestApp {
    /// Let the module worker finish what is due now: the app's own worker
    /// is woken whenever a task is queued, so run it here too and wait
    /// until no task is due or in flight.
    pub async fn settle_module_tasks(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            till::jobs::module_tasks::run(self.state.clone(), self.clock.now())
                .await
                .unwrap();
            let busy = sql::busy_module_tasks(self);
            if busy == 0 {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "tasks never settled");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

/// The app with the sample catalog and a staff key with `ALL`.
pub fn setup() -> (TestApp, String) {
    let app = TestApp::with_catalog();
    let key = app.staff_key(ALL);
    (app, key)
}

/// A server group named `name`; answers its id.
pub async fn group(app: &TestApp, key: &str, name: &str) -> i64 {
    ok(
        app,
        "POST",
        "/api/v1/server-groups",
        key,
        Some(json!({"name": name})),
        201,
    )
    .await["data"]["id"]
        .as_i64()
        .unwrap()
}

/// A WHM server at `url` (http://127.0.0.1:port) in `group`.
pub async fn whm_server(
    app: &TestApp,
    key: &str,
    group: i64,
    name: &str,
    url: &str,
    capacity: i64,
) -> i64 {
    let port: i64 = url.rsplit(':').next().unwrap().parse().unwrap();
    let body = ok(
        app,
        "POST",
        "/api/v1/servers",
        key,
        Some(json!({
            "group_id": group, "name": name, "hostname": format!("{name}.example.net"),
            "address": "127.0.0.1", "module": "cpanel", "scheme": "http", "port": port,
            "username": "root", "secret": TOKEN, "capacity": capacity,
            "nameservers": ["ns1.example.net", "ns2.example.net"]
        })),
        201,
    )
    .await;
    assert_eq!(body["data"]["has_secret"], true);
    assert!(!body.to_string().contains(TOKEN));
    body["data"]["id"].as_i64().unwrap()
}

/// A hosting product of `module` with `settings` (and `extra` fields),
/// monthly at 10 USD; answers its slug.
pub async fn product(
    app: &TestApp,
    key: &str,
    name: &str,
    module: &str,
    settings: Value,
    extra: Value,
) -> String {
    let mut body = json!({
        "group": "shared-hosting", "kind": "hosting", "name": name, "requires_domain": true,
        "module": module, "module_settings": settings,
        "prices": [{"currency": "USD", "billing_cycle": "monthly", "price": "10"}]
    });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    ok(app, "POST", "/api/v1/products", key, Some(body), 201).await["data"]["slug"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Order `slug` for `domain` and pay it; answers (invoice id, service id).
pub async fn buy(app: &TestApp, c: &Customer, key: &str, slug: &str, domain: &str) -> (i64, i64) {
    let placed = app
        .place_order(
            c,
            &format!("buy-{domain}"),
            json!({"items": [{"type": "hosting", "package_id": slug, "billing_cycle": "monthly",
                "domain": domain, "domain_option": "existing"}]}),
        )
        .await;
    let invoice = placed["invoice"]["id"].as_i64().unwrap();
    let service: i64 = placed["pending_services"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let minor = placed["invoice"]["total"]["amount_minor"].as_i64().unwrap();
    let amount = format!("{}.{:02}", minor / 100, minor % 100);
    let res = app
        .staff_pay(key, invoice, &amount, &format!("BANK-{domain}"))
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    (invoice, service)
}

/// Let the module worker finish what is due now (see
/// `settle_module_tasks`); answers how many tasks are done in all.
pub async fn work(app: &TestApp) -> u64 {
    app.settle_module_tasks().await;
    sql::done_module_tasks(app) as u64
}

/// The service as staff see it (`GET /services/{id}`).
pub async fn service(app: &TestApp, key: &str, id: i64) -> Value {
    ok(
        app,
        "GET",
        &format!("/api/v1/services/{id}"),
        key,
        None,
        200,
    )
    .await["data"]
        .clone()
}

/// The server form's fields, with its CSRF token.
pub fn server_fields<'a>(csrf: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("csrf", csrf),
        ("name", "web1"),
        ("hostname", "web1.example.net"),
        ("address", "192.0.2.10"),
        ("module", "cpanel"),
        ("scheme", "https"),
        ("port", "2087"),
        ("username", "root"),
        ("capacity", "10"),
        ("active", "on"),
        ("nameservers", "ns1.example.net\nns2.example.net"),
    ];
    for &(name, value) in extra {
        fields.retain(|(n, _)| *n != name);
        fields.push((name, value));
    }
    fields
}
