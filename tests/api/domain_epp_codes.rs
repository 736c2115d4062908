//! A domain's auth code, asked of its registrar when its owner (or
//! staff) presses for it: the EPP registry's `authInfo`, LogicBoxes'
//! domain secret; audited as revealed but never stored; a locked domain's
//! refusal passed on with its reason.

use serde_json::json;

use crate::domain_actions::{LB_KEY, LB_USER, base, registered_at_epp, registered_at_logicboxes};
use crate::domains_lifecycle::{PASSWORD, USER, epp_for_com, run_registrar_tasks, send, staff};
use crate::support::{
    TestApp,
    fakes::{FakeEpp, FakeLogicBoxes},
    json_with_status,
};

/// Every file of the app's data directory, as bytes (database and WAL).
fn stored_bytes(app: &TestApp) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(&app.state.config.data_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            all.extend(std::fs::read(path).unwrap());
        }
    }
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn the_owner_gets_the_auth_code_from_the_registry_and_it_is_audited_but_never_stored() {
    let app = TestApp::with_catalog();
    let fake = FakeEpp::start(USER, PASSWORD);
    let key = staff(&app);
    epp_for_com(&app, &key, &fake).await;
    let c = app.customer("code-epp@example.com").await;
    let id = registered_at_epp(&app, &c, &key, "code-epp.com").await;
    let code = fake.domain("code-epp.com").unwrap().auth;
    assert!(!code.is_empty());

    let path = format!("{}/epp-code", base(&c, id));
    let res = send(&app, "POST", &path, &c.access, json!({})).await;
    assert_eq!(res.headers()["cache-control"].to_str().unwrap(), "no-store");
    let body = json_with_status(res, 200).await;
    assert_eq!(body, json!({"data": {"epp_code": code}}));
    assert!(!fake.requests_with("<domain:info").is_empty());

    let auditor = app.staff_key(&["audit:read"]);
    let log = app
        .get_auth("/api/v1/audit-log?per_page=100", &auditor)
        .await
        .text()
        .await
        .unwrap();
    assert!(log.contains("domain.epp_code_revealed"), "{log}");
    assert!(!log.contains(&code), "the code is not in the audit row");
    assert!(!contains(&stored_bytes(&app), &code), "nor anywhere stored");

    // Staff ask on their own route.
    let staff_code = json_with_status(
        send(
            &app,
            "POST",
            &format!("/api/v1/domains/{id}/epp-code"),
            &key,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(staff_code["data"]["epp_code"], code.as_str());
}

#[tokio::test]
async fn a_registry_that_keeps_the_code_of_a_locked_domain_is_a_422_with_its_reason() {
    let app = TestApp::with_catalog();
    let fake = FakeEpp::start(USER, PASSWORD);
    let key = staff(&app);
    epp_for_com(&app, &key, &fake).await;
    let c = app.customer("code-locked@example.com").await;
    let id = registered_at_epp(&app, &c, &key, "code-locked.com").await;
    fake.hide_codes_while_locked();
    let lock = format!("{}/lock", base(&c, id));
    send(&app, "PUT", &lock, &c.access, json!({"locked": true})).await;
    run_registrar_tasks(&app).await;

    let path = format!("{}/epp-code", base(&c, id));
    let body = json_with_status(send(&app, "POST", &path, &c.access, json!({})).await, 422).await;
    let said = body["errors"]["epp_code"][0].as_str().unwrap();
    assert!(said.contains("shows no auth code"), "{said}");
    assert!(said.contains("unlock it first"), "{said}");
}

#[tokio::test]
async fn the_auth_code_at_logicboxes_is_the_orders_domain_secret() {
    let app = TestApp::with_catalog();
    let fake = FakeLogicBoxes::start(LB_USER, LB_KEY);
    let key = staff(&app);
    let c = app.customer("code-lb@example.com").await;
    let id = registered_at_logicboxes(&app, &fake, &c, &key, "code-lb.com").await;
    let order = fake.order("code-lb.com").unwrap();
    let path = format!("{}/epp-code", base(&c, id));
    let body = json_with_status(send(&app, "POST", &path, &c.access, json!({})).await, 200).await;
    assert_eq!(body["data"]["epp_code"], order.secret.as_str());
    let details = fake.calls_to("domains/details.json");
    assert_eq!(details.len(), 1);
    assert_eq!(
        details[0].param("order-id"),
        Some(order.id.to_string().as_str())
    );
}
