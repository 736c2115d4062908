//! User A can reach nothing of client B on any client-scoped route: every
//! one answers 404, as if B did not exist, and nothing changes.

use serde_json::json;
use till::api::routes::table;

use crate::support::TestApp;

#[tokio::test]
async fn every_client_scoped_route_is_a_404_for_someone_elses_client() {
    let app = TestApp::spawn();
    let a = app.customer("a@example.com").await;
    let b = app.customer("b@example.com").await;
    let contact = app
        .http
        .post(app.url(&format!("/api/v1/clients/{}/contacts", b.client_id)))
        .bearer_auth(&b.access)
        .json(&json!({"email": "c@example.com", "first_name": "C", "last_name": "C"}))
        .send()
        .await
        .unwrap();
    assert_eq!(contact.status(), 201);
    app.accept_invitation("c@example.com", "contact passphrase 1")
        .await;
    let list = app
        .get_auth(
            &format!("/api/v1/clients/{}/contacts", b.client_id),
            &b.access,
        )
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let b_contact = list["data"][0]["id"].as_i64().unwrap();
    app.install_catalog();
    let placed = app
        .http
        .post(app.url(&format!("/api/v1/clients/{}/orders", b.client_id)))
        .bearer_auth(&b.access)
        .header("Idempotency-Key", "b-order")
        .json(&json!({"items": [{"package_id": "vps-2-gb", "billing_cycle": "monthly"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(placed.status(), 201);
    let b_invoice = placed.json::<serde_json::Value>().await.unwrap()["invoice"]["id"]
        .as_i64()
        .unwrap();
    let b_uuid = app.client(b.client_id).await["uuid"]
        .as_str()
        .unwrap()
        .to_string();

    let scoped: Vec<_> = table()
        .into_iter()
        .filter(|r| r.path.contains("{client}"))
        .collect();
    assert!(
        scoped.len() >= 10,
        "every client-scoped route is covered: {scoped:?}"
    );
    for route in scoped {
        for ident in [b.client_id.to_string(), b_uuid.clone()] {
            let path = route
                .path
                .replace("{client}", &ident)
                .replace("{id}", &b_contact.to_string())
                .replace("{invoice}", &b_invoice.to_string())
                .replace("{service}", "1")
                .replace("{hostingAccount}", "1");
            let res = app
                .http
                .request(route.method.as_str().parse().unwrap(), app.url(&path))
                .bearer_auth(&a.access)
                .header("Idempotency-Key", "a-probe")
                .json(&body_for(&route.path))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 404, "{} {path}", route.method);
        }
    }
    // Nothing of B changed.
    let b_now = app
        .get_auth(&format!("/api/v1/clients/{}", b.client_id), &b.access)
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(b_now["data"]["city"], "Accra");
    // B's memberships: its owner and its one contact.
    assert_eq!(b_now["data"]["role"], "owner");
    let contacts = app
        .get_auth(
            &format!("/api/v1/clients/{}/contacts", b.client_id),
            &b.access,
        )
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(contacts["data"].as_array().unwrap().len() + 1, 2);
    let orders = app.order_count(None).await;
    assert_eq!(orders, 1, "A made no order for B");
}

/// A body each route would accept from B itself.
fn body_for(path: &str) -> serde_json::Value {
    if path.ends_with("/profile") {
        json!({"city": "Hacked"})
    } else if path.ends_with("/contacts") {
        json!({"email": "x@example.com", "first_name": "X", "last_name": "Y"})
    } else if path.ends_with("/orders") {
        json!({"items": [{"package_id": "vps-2-gb", "billing_cycle": "monthly"}]})
    } else if path.ends_with("{id}") {
        json!({"privileges": {"billing": ["payinvoice"]}})
    } else {
        json!({})
    }
}
