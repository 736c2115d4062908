//! A hosting business with a cPanel server, for the page and email tests:
//! the sample catalog, a fake WHM (`fakes::whm`) as server `web1` in a
//! group, a cPanel product placed on that group, and customers whose paid
//! orders the module task worker provisions on it.

use serde_json::{Value, json};

use super::{Customer, TestApp, fakes::FakeWhm, json_with_status, staff_post};

const TOKEN: &str = "WHMTOKEN-FIXTURE-0123456789";

/// The hostname the fake WHM server is registered under.
pub const SERVER_HOSTNAME: &str = "web1.example.net";

pub struct Hosting {
    pub app: TestApp,
    pub whm: FakeWhm,
    /// A staff key for catalog, servers and payments.
    pub staff: String,
    /// The cPanel product's slug.
    pub cpanel: String,
}

/// A staff `POST` that must create (201); answers its JSON.
async fn created(app: &TestApp, key: &str, path: &str, body: Value) -> Value {
    json_with_status(staff_post(app, key, path, body).await, 201).await
}

impl Hosting {
    pub async fn start() -> Hosting {
        Self::start_with(|_| {}).await
    }

    /// The same business with its configuration changed first.
    pub async fn start_with(change: impl FnOnce(&mut till::config::Config)) -> Hosting {
        let app = TestApp::builder().config(change).spawn();
        app.install_catalog();
        let staff = app.staff_key(&[
            "catalog:write",
            "billing:write",
            "billing:read",
            "services:read",
            "services:write",
            "servers:write",
        ]);
        let whm = FakeWhm::start("root", TOKEN);
        let group = created(
            &app,
            &staff,
            "/api/v1/server-groups",
            json!({"name": "cPanel"}),
        )
        .await["data"]["id"]
            .as_i64()
            .unwrap();
        created(
            &app,
            &staff,
            "/api/v1/servers",
            json!({
                "group_id": group, "name": "web1", "hostname": SERVER_HOSTNAME,
                "address": "127.0.0.1", "module": "cpanel", "scheme": "http", "port": whm.port,
                "username": "root", "secret": TOKEN, "capacity": 10
            }),
        )
        .await;
        let cpanel = created(
            &app,
            &staff,
            "/api/v1/products",
            json!({
                "group": "shared-hosting", "kind": "hosting", "name": "cPanel Gold",
                "requires_domain": true, "module": "cpanel", "module_settings": {"package": "gold"},
                "server_group_id": group,
                "prices": [{"currency": "USD", "billing_cycle": "monthly", "price": "10"}]
            }),
        )
        .await["data"]["slug"]
            .as_str()
            .unwrap()
            .to_string();
        Hosting {
            app,
            whm,
            staff,
            cpanel,
        }
    }

    /// Order `product` for `domain`, pay its invoice in full and run the
    /// provisioning worker; answers the service id.
    pub async fn buy(&self, c: &Customer, product: &str, domain: &str) -> i64 {
        let placed = self
            .app
            .place_order(
                c,
                &format!("buy-{domain}"),
                json!({"items": [{"type": "hosting", "package_id": product, "billing_cycle": "monthly",
                    "domain": domain, "domain_option": "existing"}]}),
            )
            .await;
        let invoice = placed["invoice"]["id"].as_i64().unwrap();
        let minor = placed["invoice"]["total"]["amount_minor"].as_i64().unwrap();
        let amount = format!("{}.{:02}", minor / 100, minor % 100);
        let res = self
            .app
            .staff_pay(&self.staff, invoice, &amount, &format!("BANK-{domain}"))
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        self.app.settle_module_tasks().await;
        placed["pending_services"]
            .as_object()
            .unwrap()
            .keys()
            .next()
            .unwrap()
            .parse()
            .unwrap()
    }

    /// The service's status as staff see it.
    pub async fn status(&self, service: i64) -> String {
        let res = self
            .app
            .get_auth(&format!("/api/v1/services/{service}"), &self.staff)
            .await;
        json_with_status(res, 200).await["data"]["status"]
            .as_str()
            .unwrap()
            .to_string()
    }
}
