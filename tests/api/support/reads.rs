//! What the API answers about the shop, read as staff: a reading key of
//! the first admin (made once per app, on first use) asks the staff
//! endpoints, so tests ask "how many orders are there" the way an operator
//! would instead of reading the schema.

use serde_json::Value;

use super::{TestApp, json_with_status};

/// Every read scope, for the reading key.
const READ_SCOPES: &[&str] = &[
    "clients:read",
    "catalog:read",
    "billing:read",
    "audit:read",
    "system:read",
    "services:read",
];

#[allow(dead_code)]
impl TestApp {
    /// The reading staff key (its creation is audited as `api_key.created`).
    pub fn reader(&self) -> &str {
        self.reader.get_or_init(|| self.staff_key(READ_SCOPES))
    }

    /// `GET path` with the reading key; answers its JSON (asserting 200).
    pub async fn staff_get(&self, path: &str) -> Value {
        let res = self.get_auth(path, self.reader()).await;
        json_with_status(res, 200).await
    }

    /// Every row of a paginated staff list (`path` may have a query).
    pub async fn staff_all(&self, path: &str) -> Vec<Value> {
        let join = if path.contains('?') { '&' } else { '?' };
        let mut rows = Vec::new();
        let mut page = 1;
        loop {
            let body = self
                .staff_get(&format!("{path}{join}per_page=100&page={page}"))
                .await;
            rows.extend(body["data"].as_array().unwrap().iter().cloned());
            if page >= body["meta"]["last_page"].as_i64().unwrap() {
                return rows;
            }
            page += 1;
        }
    }

    /// The `meta.total` of a paginated staff list.
    pub async fn staff_total(&self, path: &str) -> i64 {
        let join = if path.contains('?') { '&' } else { '?' };
        self.staff_get(&format!("{path}{join}per_page=1")).await["meta"]["total"]
            .as_i64()
            .unwrap()
    }

    /// How many audit rows have `action` (`GET /audit-log?action=`).
    pub async fn audit_count(&self, action: &str) -> i64 {
        self.staff_total(&format!("/api/v1/audit-log?action={action}"))
            .await
    }

    /// Every client's id (`GET /clients` as staff).
    pub async fn client_ids(&self) -> Vec<i64> {
        self.staff_all("/api/v1/clients")
            .await
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    }

    /// A client as staff see it (`GET /clients/{id}`).
    pub async fn client(&self, client: i64) -> Value {
        self.staff_get(&format!("/api/v1/clients/{client}")).await["data"].clone()
    }

    /// Every client's orders.
    pub async fn orders(&self) -> Vec<Value> {
        let mut all = Vec::new();
        for c in self.client_ids().await {
            let list = self.staff_get(&format!("/api/v1/clients/{c}/orders")).await;
            all.extend(list["data"].as_array().unwrap().iter().cloned());
        }
        all
    }

    /// How many orders have `status` (any status: `None`).
    pub async fn order_count(&self, status: Option<&str>) -> usize {
        self.orders()
            .await
            .iter()
            .filter(|o| status.is_none_or(|s| o["status"] == s))
            .count()
    }

    /// Every client's invoices with `status` (any: `None`), oldest first.
    pub async fn invoices(&self, status: Option<&str>) -> Vec<Value> {
        let filter = status.map(|s| format!("?status={s}")).unwrap_or_default();
        let mut all = Vec::new();
        for c in self.client_ids().await {
            all.extend(
                self.staff_all(&format!("/api/v1/clients/{c}/invoices{filter}"))
                    .await,
            );
        }
        all.sort_by_key(|i| i["id"].as_i64().unwrap());
        all
    }

    /// How many invoices have `status` (any: `None`).
    pub async fn invoice_count(&self, status: Option<&str>) -> usize {
        let filter = status.map(|s| format!("?status={s}")).unwrap_or_default();
        let mut total = 0;
        for c in self.client_ids().await {
            total += self
                .staff_total(&format!("/api/v1/clients/{c}/invoices{filter}"))
                .await;
        }
        total as usize
    }

    /// Invoices no order made (renewals, addon and manual invoices):
    /// every invoice an order made is that order's `invoice_id`.
    pub async fn invoices_without_order(&self) -> Vec<Value> {
        let ordered: Vec<i64> = self
            .orders()
            .await
            .iter()
            .filter_map(|o| o["invoice_id"].as_i64())
            .collect();
        self.invoices(None)
            .await
            .into_iter()
            .filter(|i| !ordered.contains(&i["id"].as_i64().unwrap()))
            .collect()
    }

    /// One invoice with its lines, as staff see it under its client.
    pub async fn invoice(&self, id: i64) -> Value {
        for c in self.client_ids().await {
            let res = self
                .get_auth(&format!("/api/v1/clients/{c}/invoices/{id}"), self.reader())
                .await;
            if res.status() == 200 {
                return json_with_status(res, 200).await["data"].clone();
            }
        }
        panic!("no invoice {id}")
    }

    /// Services with `status` (any: `None`), as staff list them.
    pub async fn services(&self, status: Option<&str>) -> Vec<Value> {
        let filter = status.map(|s| format!("?status={s}")).unwrap_or_default();
        self.staff_all(&format!("/api/v1/services{filter}")).await
    }

    /// How many services have `status` (any: `None`).
    pub async fn service_count(&self, status: Option<&str>) -> i64 {
        let filter = status.map(|s| format!("?status={s}")).unwrap_or_default();
        self.staff_total(&format!("/api/v1/services{filter}")).await
    }

    /// One service as staff see it, with its module tasks.
    pub async fn service(&self, id: i64) -> Value {
        self.staff_get(&format!("/api/v1/services/{id}")).await["data"].clone()
    }

    /// A product as staff see it (`GET /products/{slug}`), with its stock.
    pub async fn product(&self, slug: &str) -> Value {
        self.staff_get(&format!("/api/v1/products/{slug}")).await["data"].clone()
    }

    /// Every product, whatever its status.
    pub async fn products(&self) -> Vec<Value> {
        self.staff_get("/api/v1/products").await["data"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// The email log, newest first (`GET /admin/emails`).
    pub async fn emails(&self) -> Vec<Value> {
        self.staff_get("/api/v1/admin/emails?limit=500").await["data"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// Module tasks with `status` (any: `None`), newest first.
    pub async fn module_tasks(&self, status: Option<&str>) -> Vec<Value> {
        let filter = status.map(|s| format!("&status={s}")).unwrap_or_default();
        self.staff_get(&format!("/api/v1/module-tasks?limit=500{filter}"))
            .await["data"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// One module task as the staff task list shows it.
    pub async fn module_task(&self, id: i64) -> Value {
        self.module_tasks(None)
            .await
            .into_iter()
            .find(|t| t["id"] == id)
            .unwrap_or_else(|| panic!("no task {id}"))
    }

    /// Every server (`GET /servers`).
    pub async fn servers(&self) -> Vec<Value> {
        self.staff_get("/api/v1/servers").await["data"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// Every server group (`GET /server-groups`).
    pub async fn server_groups(&self) -> Vec<Value> {
        self.staff_get("/api/v1/server-groups").await["data"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// The id of the addon with `slug` (`GET /addons`, every status).
    pub async fn addon_id(&self, slug: &str) -> i64 {
        self.staff_get("/api/v1/addons").await["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["slug"] == slug)
            .unwrap_or_else(|| panic!("no addon {slug}"))["id"]
            .as_i64()
            .unwrap()
    }

    /// Every addon of every service, as each service's addon list shows
    /// it (`GET /clients/{c}/services/{s}/addons`).
    pub async fn service_addons(&self) -> Vec<Value> {
        let mut all = Vec::new();
        for s in self.services(None).await {
            let list = self
                .staff_get(&format!(
                    "/api/v1/clients/{}/services/{}/addons",
                    s["client_id"], s["id"]
                ))
                .await;
            all.extend(list["data"].as_array().unwrap().iter().cloned());
        }
        all
    }

    /// The promotion with `code` as staff list it (`GET /promotions`).
    pub async fn promotion(&self, code: &str) -> Value {
        self.staff_get("/api/v1/promotions").await["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == code)
            .unwrap_or_else(|| panic!("no promotion {code}"))
            .clone()
    }

    /// The sum of the services' recurring amounts (of those `keep` keeps).
    pub async fn recurring_sum(&self, keep: impl Fn(&Value) -> bool) -> i64 {
        self.services(None)
            .await
            .iter()
            .filter(|s| keep(s))
            .map(|s| s["recurring_amount_minor"].as_i64().unwrap())
            .sum()
    }

    /// Every domain ordered, as its order lists it (an item of type
    /// `domain`, with the name in its configuration).
    pub async fn domains(&self) -> Vec<Value> {
        self.orders()
            .await
            .iter()
            .flat_map(|o| o["items"].as_array().unwrap().clone())
            .filter(|i| i["type"] == "domain")
            .collect()
    }

    /// How many ordered domains named `name` (any: `None`) have `status`.
    pub async fn domain_count(&self, name: Option<&str>, status: &str) -> usize {
        self.domains()
            .await
            .iter()
            .filter(|d| name.is_none_or(|n| d["configuration"]["domain"] == n))
            .filter(|d| d["status"] == status)
            .count()
    }

    /// How many emails of `template` the email log holds.
    pub async fn email_count(&self, template: &str) -> usize {
        self.emails()
            .await
            .iter()
            .filter(|e| e["template"] == template)
            .count()
    }

    /// The lines of every invoice, in invoice order.
    pub async fn invoice_lines(&self) -> Vec<Value> {
        let mut all = Vec::new();
        for i in self.invoices(None).await {
            let detail = self.invoice(i["id"].as_i64().unwrap()).await;
            all.extend(detail["items"].as_array().unwrap().iter().cloned());
        }
        all
    }
}
