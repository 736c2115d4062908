//! Orders: placing one through the API and paying its invoice as staff.

use serde_json::Value;

use super::{Customer, TestApp, json_with_status};

/// An amount in minor units as the API's decimal text (`499` is `4.99`).
pub fn money(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

#[allow(dead_code)]
impl TestApp {
    /// Place an order for the customer's client through the API; answers
    /// the 201 body (order, invoice, pending services).
    pub async fn place_order(
        &self,
        c: &Customer,
        idempotency_key: &str,
        body: serde_json::Value,
    ) -> serde_json::Value {
        let res = self
            .http
            .post(self.url(&format!("/api/v1/clients/{}/orders", c.client_id)))
            .bearer_auth(&c.access)
            .header("Idempotency-Key", idempotency_key)
            .json(&body)
            .send()
            .await
            .unwrap();
        json_with_status(res, 201).await
    }

    /// Staff record a payment on an invoice (`POST /invoices/{id}/pay`).
    pub async fn staff_pay(
        &self,
        staff_key: &str,
        invoice: i64,
        amount: &str,
        transaction_id: &str,
    ) -> reqwest::Response {
        self.http
            .post(self.url(&format!("/api/v1/invoices/{invoice}/pay")))
            .bearer_auth(staff_key)
            .json(&serde_json::json!({
                "amount": amount, "gateway": "bank_transfer", "transaction_id": transaction_id
            }))
            .send()
            .await
            .unwrap()
    }
}

/// The customer's view of an invoice (`GET /clients/{c}/invoices/{id}`).
pub async fn invoice(app: &TestApp, c: &Customer, id: i64) -> Value {
    let res = app
        .get_auth(
            &format!("/api/v1/clients/{}/invoices/{id}", c.client_id),
            &c.access,
        )
        .await;
    json_with_status(res, 200).await
}

/// An invoice's payment timeline as its customer sees it.
pub async fn timeline(app: &TestApp, c: &Customer, id: i64) -> Value {
    let res = app
        .get_auth(
            &format!(
                "/api/v1/clients/{}/invoices/{id}/payment-timeline",
                c.client_id
            ),
            &c.access,
        )
        .await;
    json_with_status(res, 200).await
}
