//! Configurations that would run but leave a door open (issue 12): a
//! gateway whose webhooks cannot be authenticated stops start-up with exit
//! code 2, and `till config check` prints the same findings without
//! starting anything.

use std::process::Output;

use crate::support::till_bin;

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn stripe_without_webhook_secret_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = till_bin()
        .arg("serve")
        .arg("--data-dir")
        .arg(&data)
        .env("TILL_BIND", "127.0.0.1:0")
        .env("TILL_GATEWAYS__STRIPE__SECRET_KEY", "sk_test_123")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("gateways.stripe.webhook_secret"),
        "{}",
        text(&out)
    );
    assert!(
        !data.exists(),
        "nothing may happen before the config is safe"
    );
}

#[test]
fn a_stripe_webhook_secret_that_is_no_signing_secret_refuses_to_start() {
    // Pasting the publishable key (or any non-`whsec_` value) would leave
    // every webhook unverifiable.
    let dir = tempfile::tempdir().unwrap();
    let out = till_bin()
        .arg("serve")
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .env("TILL_BIND", "127.0.0.1:0")
        .env("TILL_GATEWAYS__STRIPE__SECRET_KEY", "sk_test_123")
        .env("TILL_GATEWAYS__STRIPE__WEBHOOK_SECRET", "pk_test_oops")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("gateways.stripe.webhook_secret"));
    assert!(
        !text(&out).contains("pk_test_oops"),
        "secrets are never printed"
    );
}

#[test]
fn config_check_prints_the_findings_without_starting() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = till_bin()
        .args(["config", "check", "--data-dir"])
        .arg(&data)
        .env("TILL_GATEWAYS__STRIPE__SECRET_KEY", "sk_test_123")
        .env("TILL_HTTP__METRICS_TOKEN", "tok-9qz")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        report.contains("gateways.stripe.webhook_secret"),
        "{report}"
    );
    assert!(report.contains("http.metrics_token"), "{report}");
    assert!(!report.contains("tok-9qz"), "{report}");
    assert!(!data.exists());

    let fine = till_bin()
        .args(["config", "check", "--data-dir"])
        .arg(&data)
        .env("TILL_GATEWAYS__STRIPE__SECRET_KEY", "sk_test_123")
        .env("TILL_GATEWAYS__STRIPE__WEBHOOK_SECRET", "whsec_123")
        .output()
        .unwrap();
    assert_eq!(fine.status.code(), Some(0), "{}", text(&fine));
    assert!(String::from_utf8_lossy(&fine.stdout).contains("no findings"));

    // A config that does not even load is exit code 2 as well.
    let broken = till_bin()
        .args(["config", "check"])
        .env("TILL_BINDD", "x")
        .output()
        .unwrap();
    assert_eq!(broken.status.code(), Some(2));
    assert!(text(&broken).contains("bindd"));
}
