//! Domain actions at the edges: a registrar that is down (the auth code a
//! 503 that changes nothing; the lock retried, failed, retried by staff and
//! done once), another client's domain (a 404 on every action), a contact
//! (may lock, may not take the code) and staff's scopes.

use serde_json::json;

use crate::domain_actions::{base, registered_at_epp};
use crate::domains_lifecycle::{
    PASSWORD, USER, epp_for_com, run_registrar_tasks, send, staff, staff_domain,
};
use crate::support::{
    TestApp,
    fakes::{FakeEpp, epp::Mode},
    json_with_status,
};

#[tokio::test]
async fn a_registrar_outage_retries_the_lock_then_fails_it_and_a_staff_retry_locks_once() {
    let app = TestApp::with_catalog();
    let fake = FakeEpp::start(USER, PASSWORD);
    let key = staff(&app);
    epp_for_com(&app, &key, &fake).await;
    let c = app.customer("lock-outage@example.com").await;
    let id = registered_at_epp(&app, &c, &key, "lock-outage.com").await;
    fake.set_mode(Mode::DropConnections);

    // The auth code cannot be had meanwhile: a 503 that changes nothing.
    let code = send(
        &app,
        "POST",
        &format!("{}/epp-code", base(&c, id)),
        &c.access,
        json!({}),
    )
    .await;
    let said = json_with_status(code, 503).await;
    assert!(
        said["message"].as_str().unwrap().contains("try again"),
        "{said}"
    );

    let lock = format!("{}/lock", base(&c, id));
    json_with_status(
        send(&app, "PUT", &lock, &c.access, json!({"locked": true})).await,
        202,
    )
    .await;
    for _ in 0..6 {
        run_registrar_tasks(&app).await;
        app.clock.advance(jiff::SignedDuration::from_hours(7));
    }
    let seen = staff_domain(&app, &key, id).await;
    let task = seen["tasks"][0].clone();
    assert_eq!(task["action"], "lock");
    assert_eq!(task["status"], "failed", "{seen}");
    assert_eq!(task["attempts"], 6);
    assert_eq!(seen["data"]["locked"], false);

    fake.set_mode(Mode::Normal);
    let retry = format!("/api/v1/registrar-tasks/{}/retry", task["id"]);
    json_with_status(send(&app, "POST", &retry, &key, json!({})).await, 200).await;
    assert_eq!(run_registrar_tasks(&app).await, 1);
    assert_eq!(fake.requests_with("<domain:update").len(), 1, "locked once");
    assert_eq!(staff_domain(&app, &key, id).await["data"]["locked"], true);
}

#[tokio::test]
async fn another_clients_domain_is_a_404_on_every_action_and_the_code_is_for_the_owner_only() {
    let app = TestApp::with_catalog();
    let fake = FakeEpp::start(USER, PASSWORD);
    let key = staff(&app);
    epp_for_com(&app, &key, &fake).await;
    let owner = app.customer("actions-owner@example.com").await;
    let id = registered_at_epp(&app, &owner, &key, "actions-owner.com").await;
    let stranger = app.customer("actions-stranger@example.com").await;
    let asked = fake.requests().len();
    for b in [base(&stranger, id), base(&owner, id)] {
        for (method, route, body) in [
            ("PUT", "lock", json!({"locked": true})),
            ("PUT", "id-protection", json!({"enabled": true})),
            ("POST", "epp-code", json!({})),
        ] {
            let res = send(
                &app,
                method,
                &format!("{b}/{route}"),
                &stranger.access,
                body,
            )
            .await;
            assert_eq!(res.status(), 404, "{method} {b}/{route}");
        }
    }
    assert_eq!(
        fake.requests().len(),
        asked,
        "nothing asked of the registry"
    );
    assert_eq!(run_registrar_tasks(&app).await, 0, "nothing queued");

    // A contact with the domains privilege may lock, not take the code.
    let (_, contact) = app
        .add_contact(
            &owner,
            "actions-kofi@example.com",
            json!({"domains": ["full"]}),
        )
        .await;
    let b = base(&owner, id);
    let lock = send(
        &app,
        "PUT",
        &format!("{b}/lock"),
        &contact.access,
        json!({"locked": true}),
    )
    .await;
    assert_eq!(lock.status(), 202);
    let code = send(
        &app,
        "POST",
        &format!("{b}/epp-code"),
        &contact.access,
        json!({}),
    )
    .await;
    assert_eq!(code.status(), 403);

    // Staff: the write scope, and an unknown domain is a 404.
    let reader = app.staff_key(&["services:read"]);
    let res = send(
        &app,
        "PUT",
        &format!("/api/v1/domains/{id}/lock"),
        &reader,
        json!({"locked": true}),
    )
    .await;
    assert_eq!(res.status(), 403);
    let res = send(
        &app,
        "POST",
        &format!("/api/v1/domains/{id}/epp-code"),
        &reader,
        json!({}),
    )
    .await;
    assert_eq!(res.status(), 403);
    let res = send(
        &app,
        "PUT",
        "/api/v1/domains/99999/lock",
        &key,
        json!({"locked": true}),
    )
    .await;
    assert_eq!(res.status(), 404);
    let res = send(
        &app,
        "PUT",
        &format!("/api/v1/domains/{id}/lock"),
        &key,
        json!({"locked": false}),
    )
    .await;
    assert_eq!(json_with_status(res, 202).await["task"]["action"], "lock");
}
