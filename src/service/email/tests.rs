//! Unit tests for `service::email`.

use super::*;

use jiff::Timestamp;

use crate::{domain::time::stamp, store::outbox};

fn brand() -> Branding {
    Branding {
        company: "Acme <Hosting>".into(),
        base_url: "https://billing.example.com".into(),
    }
}

#[test]
fn emails_have_a_text_and_an_escaped_html_part() {
    let email = VerifyEmail {
        brand: brand(),
        name: "Ama <b>".into(),
        link: brand().link("/verify-email?token=vt_abc"),
    };
    let text = email.text().unwrap();
    assert!(text.contains("https://billing.example.com/verify-email?token=vt_abc"));
    assert!(text.contains("Ama <b>"));
    let html = email.html().unwrap();
    assert!(html.contains("Ama &#60;b&#62;"));
    assert!(!html.contains("<b>"));
    assert_eq!(
        email.subject(),
        "Confirm your email address for Acme <Hosting>"
    );
}

#[test]
fn the_activation_shows_access_details_only_when_there_are_some() {
    let mut email = ServiceActivated {
        brand: brand(),
        name: "Ama".into(),
        product: "cPanel Gold".into(),
        domain: Some("example.com".into()),
        next_due_date: Some("2026-02-15".into()),
        username: Some("examplec".into()),
        server: Some("web1.example.net".into()),
        link: brand().link("/account/services/7"),
    };
    let text = email.text().unwrap();
    assert!(text.contains("Username:  examplec"), "{text}");
    assert!(text.contains("Server:    web1.example.net"), "{text}");
    assert!(text.contains("https://billing.example.com/account/services/7"));
    email.username = None;
    email.server = None;
    let text = email.text().unwrap();
    assert!(!text.contains("Access details") && !text.contains("Username"));
    assert!(!email.html().unwrap().contains("Access details"));
}

#[test]
fn a_cancellation_says_when_the_service_ends() {
    let mut email = CancellationConfirmed {
        brand: brand(),
        name: "Ama".into(),
        product: "Starter".into(),
        domain: Some("shop.example".into()),
        immediate: false,
        ends_on: Some("2026-02-15".into()),
        link: brand().link("/account/services/7"),
    };
    let text = email.text().unwrap();
    assert!(text.contains("ends on 2026-02-15"), "{text}");
    email.ends_on = None;
    assert!(email.text().unwrap().contains("ends then"));
    email.immediate = true;
    let text = email.text().unwrap();
    assert!(text.contains("It is cancelled now"), "{text}");
    assert!(!text.contains("ends"));
}

#[test]
fn queueing_writes_the_outbox() {
    let conn = crate::db::test_connection();
    let now: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let email = PasswordReset {
        brand: brand(),
        name: "Ama".into(),
        link: "https://x/reset".into(),
    };
    queue(&conn, now, "ama@example.com", &email).unwrap();
    let due = outbox::due(&conn, &stamp(now), 10).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].template, "password_reset");
    assert!(
        due[0]
            .html_body
            .as_deref()
            .unwrap()
            .contains("https://x/reset")
    );
}
