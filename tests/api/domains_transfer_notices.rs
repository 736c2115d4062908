//! A transfer in, end to end through the EPP fake: a wrong auth code is
//! refused by the registry, the task fails and the customer is told by
//! email and in the portal (the code itself appears nowhere); the right
//! code waits for the losing registrar, and once the registry moved the
//! name the sync makes it active and the customer is told it transferred.

use jiff::SignedDuration;
use serde_json::json;

use crate::domains_renewal_rules::{
    USER, app_with_nameservers, epp_registrar, ok, pay_all, registrar_job, staff, staff_domain,
};
use crate::support::{Customer, TestApp, fakes::FakeEpp, sql};

const LOSING: &str = "losing-registrar";

async fn with_epp() -> (TestApp, FakeEpp, String) {
    let app = app_with_nameservers();
    let key = staff(&app);
    let fake = epp_registrar(&app, &key, "com").await;
    (app, fake, key)
}

/// Order the transfer of `name` with `code` and pay it; answers the
/// domain's id.
async fn transfer_in(app: &TestApp, c: &Customer, key: &str, name: &str, code: &str) -> i64 {
    app.place_order(
        c,
        &format!("transfer-{name}-{code}"),
        json!({"items": [{"type": "domain", "domain": name, "domain_option": "transfer",
            "years": 1, "epp_code": code}]}),
    )
    .await;
    pay_all(app, key).await;
    registrar_job(app).await;
    let all = ok(app, "GET", "/api/v1/domains", key, json!({})).await;
    all["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["domain_name"] == name)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_transfer_with_a_wrong_code_fails_and_the_customer_is_told() {
    let (app, fake, key) = with_epp().await;
    fake.add_domain(
        "moving-in.com",
        LOSING,
        "2027-06-01T00:00:00Z",
        "Right-Code-1",
    );
    let c = app.customer("wrong-code@example.com").await;
    let id = transfer_in(&app, &c, &key, "moving-in.com", "Wrong-Code-9").await;

    assert_eq!(fake.requests_with("<domain:transfer").len(), 1);
    let d = staff_domain(&app, &key, id).await;
    assert_eq!(d["tasks"][0]["action"], "transfer");
    assert_eq!(d["tasks"][0]["status"], "failed", "{d}");
    assert_eq!(d["data"]["status"], "pending");
    // The registry keeps the name where it was.
    assert_eq!(fake.domain("moving-in.com").unwrap().owner, LOSING);

    let mail = sql::outbox(&app, "domain_transfer_failed", &c.email);
    assert_eq!(mail.len(), 1);
    assert!(mail[0].text.contains("moving-in.com"), "{}", mail[0].text);
    assert!(!mail[0].text.contains("Wrong-Code-9"));
    assert!(!mail[0].html.contains("Wrong-Code-9"));
    assert!(!d.to_string().contains("Wrong-Code-9"));
    let login = app.login(&c.email, &c.password).await;
    let feed = ok(
        &app,
        "GET",
        "/api/v1/notifications",
        &login.access,
        json!({}),
    )
    .await;
    assert!(
        feed.to_string().contains("did not go through"),
        "a portal notice: {feed}"
    );
    // Nothing more is tried on its own.
    registrar_job(&app).await;
    assert_eq!(fake.requests_with("<domain:transfer").len(), 1);
}

#[tokio::test]
async fn an_approved_transfer_turns_active_with_the_registrys_expiry_and_the_customer_is_told() {
    let (app, fake, key) = with_epp().await;
    fake.add_domain(
        "arriving.com",
        LOSING,
        "2027-06-01T00:00:00Z",
        "Right-Code-2",
    );
    let c = app.customer("right-code@example.com").await;
    let id = transfer_in(&app, &c, &key, "arriving.com", "Right-Code-2").await;
    let xml = &fake.requests_with("<domain:transfer")[0];
    assert!(
        xml.contains("Right-Code-2"),
        "the code goes to the registry"
    );
    assert_eq!(
        staff_domain(&app, &key, id).await["data"]["status"],
        "pending"
    );
    assert!(sql::outbox(&app, "domain_registered", &c.email).is_empty());

    // The losing registrar approves: the registry moves the name to us
    // with a year added.
    fake.add_domain("arriving.com", USER, "2028-06-01T00:00:00Z", "Right-Code-2");
    app.clock.advance(SignedDuration::from_hours(2));
    registrar_job(&app).await;
    let d = staff_domain(&app, &key, id).await;
    assert_eq!(d["data"]["status"], "active", "{d}");
    assert_eq!(d["data"]["expiry_date"], "2028-06-01");
    let mail = sql::outbox(&app, "domain_registered", &c.email);
    assert_eq!(mail.len(), 1);
    assert!(mail[0].text.contains("arriving.com"));
    assert!(!mail[0].text.contains("Right-Code-2"));
}
