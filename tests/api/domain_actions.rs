//! What a customer (and staff) can ask of a registered domain at its
//! registrar: the transfer lock and ID protection, accepted at once, sent
//! by a durable registrar task and shown once the registrar made them
//! (the auth code is `domain_epp_codes`). Real conversations with the
//! local EPP and LogicBoxes fakes; the manual registrar answers "ask
//! support"; another client's domain is a 404 on every action.

use serde_json::{Value, json};

use crate::domains_lifecycle::{
    PASSWORD, USER, epp_for_com, paid_registration, run_registrar_tasks, send, staff, staff_domain,
};
use crate::support::{
    Customer, TestApp,
    fakes::{FakeEpp, FakeLogicBoxes},
    json_with_status,
};

pub(crate) const LB_USER: &str = "424242";
pub(crate) const LB_KEY: &str = "lb-api-key-1";

/// A registered `.com` domain at the EPP fake; answers its id.
pub(crate) async fn registered_at_epp(app: &TestApp, c: &Customer, key: &str, name: &str) -> i64 {
    let id = paid_registration(app, c, key, name).await;
    assert_eq!(run_registrar_tasks(app).await, 1);
    id
}

/// `.com` mapped to the LogicBoxes fake and `name` an order there that
/// staff marked registered; answers the domain's id.
pub(crate) async fn registered_at_logicboxes(
    app: &TestApp,
    fake: &FakeLogicBoxes,
    c: &Customer,
    key: &str,
    name: &str,
) -> i64 {
    let created = json_with_status(
        send(
            app,
            "POST",
            "/api/v1/registrars",
            key,
            json!({"name": "LogicBoxes", "module": "logicboxes",
                "settings": {"base_url": fake.url, "auth_userid": LB_USER, "api_key": LB_KEY}}),
        )
        .await,
        201,
    )
    .await;
    let registrar = created["data"]["id"].as_i64().unwrap();
    let mapped = send(
        app,
        "PUT",
        "/api/v1/tld-registrars/com",
        key,
        json!({"registrar_id": registrar}),
    )
    .await;
    assert_eq!(mapped.status(), 200);
    let id = paid_registration(app, c, key, name).await;
    fake.add_order(name, "2030-01-01T00:00:00Z");
    let path = format!("/api/v1/domains/{id}/registered");
    json_with_status(send(app, "POST", &path, key, json!({})).await, 200).await;
    id
}

pub(crate) fn base(c: &Customer, id: i64) -> String {
    format!("/api/v1/clients/{}/domains/{id}", c.client_id)
}

pub(crate) async fn domain(app: &TestApp, c: &Customer, id: i64) -> Value {
    json_with_status(app.get_auth(&base(c, id), &c.access).await, 200).await["data"].clone()
}

#[tokio::test]
async fn a_lock_is_a_domain_update_adding_client_transfer_prohibited_and_an_unlock_removes_it() {
    let app = TestApp::with_catalog();
    let fake = FakeEpp::start(USER, PASSWORD);
    let key = staff(&app);
    epp_for_com(&app, &key, &fake).await;
    let c = app.customer("lock-epp@example.com").await;
    let id = registered_at_epp(&app, &c, &key, "lock-epp.com").await;
    let lock = format!("{}/lock", base(&c, id));

    let accepted = json_with_status(
        send(&app, "PUT", &lock, &c.access, json!({"locked": true})).await,
        202,
    )
    .await;
    assert_eq!(accepted["success"], true);
    assert_eq!(accepted["data"]["locked"], false, "shown once done");
    assert_eq!(accepted["task"]["action"], "lock");
    assert_eq!(accepted["task"]["status"], "queued");
    assert!(fake.requests_with("<domain:update").is_empty());

    assert_eq!(run_registrar_tasks(&app).await, 1);
    let updates = fake.requests_with("<domain:update");
    assert_eq!(updates.len(), 1);
    let add = &updates[0][updates[0].find("<domain:add>").expect("an add")..];
    assert!(
        add.contains("<domain:status s=\"clientTransferProhibited\"/>"),
        "{}",
        updates[0]
    );
    assert!(!updates[0].contains("<domain:rem>"), "{}", updates[0]);
    let at_registry = fake.domain("lock-epp.com").unwrap().statuses;
    assert!(at_registry.contains("clientTransferProhibited"));
    assert_eq!(domain(&app, &c, id).await["locked"], true);

    json_with_status(
        send(&app, "PUT", &lock, &c.access, json!({"locked": false})).await,
        202,
    )
    .await;
    assert_eq!(run_registrar_tasks(&app).await, 1);
    let updates = fake.requests_with("<domain:update");
    let rem = &updates[1][updates[1].find("<domain:rem>").expect("a rem")..];
    assert!(rem.contains("<domain:status s=\"clientTransferProhibited\"/>"));
    assert!(!updates[1].contains("<domain:add>"), "{}", updates[1]);
    assert!(
        !fake
            .domain("lock-epp.com")
            .unwrap()
            .statuses
            .contains("clientTransferProhibited")
    );
    assert_eq!(domain(&app, &c, id).await["locked"], false);

    // Not a yes or no: a 422 naming the field.
    let bad = send(&app, "PUT", &lock, &c.access, json!({"locked": "yes"})).await;
    assert!(bad.status().is_client_error(), "{}", bad.status());
}

#[tokio::test]
async fn a_lock_at_logicboxes_is_its_theft_protection_on_the_domains_order() {
    let app = TestApp::with_catalog();
    let fake = FakeLogicBoxes::start(LB_USER, LB_KEY);
    let key = staff(&app);
    let c = app.customer("lock-lb@example.com").await;
    let id = registered_at_logicboxes(&app, &fake, &c, &key, "lock-lb.com").await;
    let order = fake.order("lock-lb.com").unwrap().id.to_string();
    let lock = format!("{}/lock", base(&c, id));

    json_with_status(
        send(&app, "PUT", &lock, &c.access, json!({"locked": true})).await,
        202,
    )
    .await;
    run_registrar_tasks(&app).await;
    let calls = fake.calls_to("domains/enable-theft-protection.json");
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].method, "POST");
    assert_eq!(calls[0].param("order-id"), Some(order.as_str()));
    assert!(fake.order("lock-lb.com").unwrap().theft_lock);
    assert_eq!(domain(&app, &c, id).await["locked"], true);

    json_with_status(
        send(&app, "PUT", &lock, &c.access, json!({"locked": false})).await,
        202,
    )
    .await;
    run_registrar_tasks(&app).await;
    let calls = fake.calls_to("domains/disable-theft-protection.json");
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].param("order-id"), Some(order.as_str()));
    assert!(!fake.order("lock-lb.com").unwrap().theft_lock);
    assert_eq!(domain(&app, &c, id).await["locked"], false);
}

#[tokio::test]
async fn id_protection_at_logicboxes_is_its_privacy_protection_and_only_where_the_tld_offers_it() {
    let app = TestApp::with_catalog();
    let fake = FakeLogicBoxes::start(LB_USER, LB_KEY);
    let key = staff(&app);
    let c = app.customer("privacy-lb@example.com").await;
    let id = registered_at_logicboxes(&app, &fake, &c, &key, "privacy-lb.com").await;
    let path = format!("{}/id-protection", base(&c, id));
    let accepted = json_with_status(
        send(&app, "PUT", &path, &c.access, json!({"enabled": true})).await,
        202,
    )
    .await;
    assert_eq!(accepted["task"]["action"], "id_protection");
    assert_eq!(accepted["data"]["id_protection"], false);
    run_registrar_tasks(&app).await;
    let calls = fake.calls_to("domains/modify-privacy-protection.json");
    assert_eq!(calls.len(), 1);
    let order = fake.order("privacy-lb.com").unwrap();
    assert_eq!(
        calls[0].param("order-id"),
        Some(order.id.to_string().as_str())
    );
    assert_eq!(calls[0].param("protect-privacy"), Some("true"));
    assert!(order.privacy);
    assert_eq!(domain(&app, &c, id).await["id_protection"], true);

    json_with_status(
        send(&app, "PUT", &path, &c.access, json!({"enabled": false})).await,
        202,
    )
    .await;
    run_registrar_tasks(&app).await;
    let calls = fake.calls_to("domains/modify-privacy-protection.json");
    assert_eq!(calls[1].param("protect-privacy"), Some("false"));
    assert_eq!(domain(&app, &c, id).await["id_protection"], false);

    // A TLD that does not offer it: a 422 naming the field, nothing queued.
    app.state
        .db
        .write(|tx| {
            tx.execute(
                "UPDATE tlds SET supports_id_protection = 0 WHERE tld = '.com'",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    let body = json_with_status(
        send(&app, "PUT", &path, &c.access, json!({"enabled": true})).await,
        422,
    )
    .await;
    assert!(
        body["errors"]["enabled"][0]
            .as_str()
            .unwrap()
            .contains("do not offer")
    );
    assert_eq!(run_registrar_tasks(&app).await, 0);
}

#[tokio::test]
async fn id_protection_over_plain_epp_fails_its_task_at_once_as_unsupported() {
    let app = TestApp::with_catalog();
    let fake = FakeEpp::start(USER, PASSWORD);
    let key = staff(&app);
    epp_for_com(&app, &key, &fake).await;
    let c = app.customer("privacy-epp@example.com").await;
    let id = registered_at_epp(&app, &c, &key, "privacy-epp.com").await;
    let path = format!("{}/id-protection", base(&c, id));
    json_with_status(
        send(&app, "PUT", &path, &c.access, json!({"enabled": true})).await,
        202,
    )
    .await;
    assert_eq!(run_registrar_tasks(&app).await, 0);
    let task = staff_domain(&app, &key, id).await["tasks"][0].clone();
    assert_eq!(task["action"], "id_protection");
    assert_eq!(task["status"], "failed", "not retried: {task}");
    assert_eq!(task["attempts"], 1);
    let error = task["last_error"].as_str().unwrap();
    assert!(error.contains("does not support ID protection"), "{error}");
    assert_eq!(domain(&app, &c, id).await["id_protection"], false);
}

#[tokio::test]
async fn at_the_manual_registrar_every_action_asks_for_support_and_nothing_is_queued() {
    let app = TestApp::with_catalog();
    let key = staff(&app);
    let c = app.customer("manual-actions@example.com").await;
    let id = paid_registration(&app, &c, &key, "manual-actions.com").await;
    let b = base(&c, id);

    // Not registered yet: a 422 naming the field.
    let body = json_with_status(
        send(
            &app,
            "PUT",
            &format!("{b}/lock"),
            &c.access,
            json!({"locked": true}),
        )
        .await,
        422,
    )
    .await;
    assert!(
        body["errors"]["locked"][0]
            .as_str()
            .unwrap()
            .contains("active")
    );

    let path = format!("/api/v1/domains/{id}/registered");
    json_with_status(send(&app, "POST", &path, &key, json!({})).await, 200).await;
    for (method, route, body, field, words) in [
        (
            "PUT",
            "lock",
            json!({"locked": true}),
            "locked",
            "support ticket",
        ),
        (
            "PUT",
            "id-protection",
            json!({"enabled": true}),
            "enabled",
            "support ticket",
        ),
        ("POST", "epp-code", json!({}), "epp_code", "support team"),
    ] {
        let res = send(&app, method, &format!("{b}/{route}"), &c.access, body).await;
        let said = json_with_status(res, 422).await;
        let message = said["errors"][field][0].as_str().unwrap().to_string();
        assert!(message.contains(words), "{route}: {message}");
    }
    let tasks = staff_domain(&app, &key, id).await["tasks"].clone();
    assert_eq!(
        tasks.as_array().unwrap().len(),
        1,
        "only the registration: {tasks}"
    );
}
