//! Staff API keys: scopes, the audit log, and the staff view of clients.

use serde_json::json;

use crate::support::{TestApp, json_with_status, sql, till_bin};

#[tokio::test]
async fn a_staff_key_sees_every_client_paginated() {
    let app = TestApp::spawn();
    app.customer("a@example.com").await;
    app.customer("b@example.com").await;
    let key = app.staff_key(&["clients:read"]);
    let page = json_with_status(app.get_auth("/api/v1/clients?per_page=1", &key).await, 200).await;
    assert_eq!(page["meta"]["total"], 2);
    assert_eq!(page["meta"]["last_page"], 2);
    assert!(page["links"]["next"].as_str().unwrap().contains("page=2"));
    let search = json_with_status(
        app.get_auth("/api/v1/clients?search=b%40example", &key)
            .await,
        200,
    )
    .await;
    assert_eq!(search["meta"]["total"], 1);
    let one = search["data"][0]["id"].as_i64().unwrap();
    let client = json_with_status(
        app.get_auth(&format!("/api/v1/clients/{one}"), &key).await,
        200,
    )
    .await;
    assert_eq!(client["data"]["role"], "staff");
    assert_eq!(
        app.get_auth("/api/v1/clients?per_page=500", &key)
            .await
            .status(),
        422
    );
}

#[tokio::test]
async fn scopes_bound_what_a_key_may_do() {
    let app = TestApp::spawn();
    let c = app.customer("a@example.com").await;
    let reader = app.staff_key(&["clients:read"]);
    assert_eq!(
        app.get_auth("/api/v1/audit-log", &reader).await.status(),
        403
    );
    assert_eq!(
        app.get_auth("/api/v1/api-keys", &reader).await.status(),
        403
    );
    let res = app
        .http
        .patch(app.url(&format!("/api/v1/clients/{}/profile", c.client_id)))
        .bearer_auth(&reader)
        .json(&json!({"city": "X"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // A customer token on a staff route is refused; a key on a customer-only route is not a login.
    assert_eq!(
        app.get_auth("/api/v1/audit-log", &c.access).await.status(),
        403
    );
    assert_eq!(app.get_auth("/api/v1/me", &reader).await.status(), 401);
    assert_eq!(
        app.get_auth("/api/v1/audit-log", "till_000000000000_nope")
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn api_keys_are_created_shown_once_listed_and_revoked() {
    let app = TestApp::spawn();
    let admin = app.staff_key(&["api_keys:write", "audit:read", "clients:read"]);
    let res = app
        .http
        .post(app.url("/api/v1/api-keys"))
        .bearer_auth(&admin)
        .json(&json!({"name": "billing sync", "scopes": ["clients:read"]}))
        .send()
        .await
        .unwrap();
    let created = json_with_status(res, 201).await;
    assert_eq!(created["success"], true);
    let secret = created["data"]["secret"].as_str().unwrap().to_string();
    let id = created["data"]["id"].as_i64().unwrap();
    assert!(secret.starts_with("till_"));
    assert_eq!(app.get_auth("/api/v1/clients", &secret).await.status(), 200);

    let list = json_with_status(app.get_auth("/api/v1/api-keys", &admin).await, 200).await;
    assert!(
        list["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["id"] == id)
    );
    assert!(
        !list.to_string().contains(&secret),
        "the secret is never listed"
    );
    let stored = sql::api_key_secret_hash(&app, id);
    assert_ne!(stored, secret);

    let broader = app
        .http
        .post(app.url("/api/v1/api-keys"))
        .bearer_auth(&secret)
        .json(&json!({"name": "x", "scopes": ["clients:read"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(broader.status(), 403);
    let unknown = app
        .http
        .post(app.url("/api/v1/api-keys"))
        .bearer_auth(&admin)
        .json(&json!({"name": "x", "scopes": ["root"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 422);

    let res = app
        .http
        .delete(app.url(&format!("/api/v1/api-keys/{id}")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(app.get_auth("/api/v1/clients", &secret).await.status(), 401);

    let log = json_with_status(
        app.get_auth("/api/v1/audit-log?action=api_key.", &admin)
            .await,
        200,
    )
    .await;
    let actions: Vec<&str> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"api_key.created") && actions.contains(&"api_key.revoked"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn the_audit_log_filters_by_actor_action_client_and_time() {
    let app = TestApp::spawn();
    let a = app.customer("a@example.com").await;
    app.customer("b@example.com").await;
    let key = app.staff_key(&["audit:read"]);
    let by_client = json_with_status(
        app.get_auth(
            &format!("/api/v1/audit-log?client_id={}", a.client_id),
            &key,
        )
        .await,
        200,
    )
    .await;
    assert!(
        by_client["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["client_id"] == a.client_id)
    );
    assert!(by_client["meta"]["total"].as_i64().unwrap() >= 1);
    let logins = json_with_status(
        app.get_auth(
            &format!(
                "/api/v1/audit-log?action=auth.login&actor_type=user&actor_id={}",
                a.user_id
            ),
            &key,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(logins["meta"]["total"], 1);
    let future = json_with_status(
        app.get_auth("/api/v1/audit-log?since=2030-01-01T00:00:00Z", &key)
            .await,
        200,
    )
    .await;
    assert_eq!(future["meta"]["total"], 0);
    assert_eq!(
        app.get_auth("/api/v1/audit-log?since=yesterday", &key)
            .await
            .status(),
        422
    );
}

#[tokio::test]
async fn the_cli_makes_keys_that_the_api_accepts_and_revokes_them() {
    let app = TestApp::spawn();
    let out = till_bin()
        .args([
            "api-key",
            "create",
            "--name",
            "ci",
            "--scope",
            "clients:read",
            "--data-dir",
        ])
        .arg(app.data_dir())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let key = stdout
        .lines()
        .find(|l| l.starts_with("till_"))
        .unwrap()
        .to_string();
    assert_eq!(app.get_auth("/api/v1/clients", &key).await.status(), 200);

    let list = till_bin()
        .args(["api-key", "list", "--data-dir"])
        .arg(app.data_dir())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&list.stdout).contains("ci"));
    let id = stdout.split_whitespace().nth(3).unwrap();
    let revoke = till_bin()
        .args(["api-key", "revoke", id, "--data-dir"])
        .arg(app.data_dir())
        .output()
        .unwrap();
    assert!(
        revoke.status.success(),
        "{}",
        String::from_utf8_lossy(&revoke.stderr)
    );
    assert_eq!(app.get_auth("/api/v1/clients", &key).await.status(), 401);
}

#[test]
fn the_cli_creates_staff_and_resets_their_password() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = till_bin()
        .args([
            "admin",
            "create",
            "--email",
            "billing@example.com",
            "--role",
            "billing",
            "--password-stdin",
            "--data-dir",
        ])
        .arg(dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"correct horse battery staple\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("created billing billing@example.com"));

    let dup = till_bin()
        .args([
            "admin",
            "create",
            "--email",
            "billing@example.com",
            "--data-dir",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(dup.status.code(), Some(1));

    let reset = till_bin()
        .args([
            "admin",
            "reset-password",
            "--email",
            "billing@example.com",
            "--data-dir",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(reset.status.success());
    assert!(String::from_utf8_lossy(&reset.stdout).contains("password (shown once): "));
}
