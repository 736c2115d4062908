//! Email leaves through real SMTP: a server on loopback inside the test
//! receives it; a server that is down leads to retries with backoff and,
//! in the end, a `failed` row in the email log.

use std::{
    net::TcpListener,
    sync::{Arc, Mutex},
};

use jiff::SignedDuration;
use mailin_embedded::{Handler, Response, Server, response};
use till::{clock::Clock, config::SmtpSecurity};

use crate::support::TestApp;

/// (recipients, the message as received).
type Received = (Vec<String>, String);

#[derive(Clone, Default)]
struct Inbox {
    messages: Arc<Mutex<Vec<Received>>>,
    current: Vec<u8>,
    to: Vec<String>,
}

impl Handler for Inbox {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.current.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let text = String::from_utf8_lossy(&self.current).into_owned();
        self.messages.lock().unwrap().push((self.to.clone(), text));
        response::OK
    }
}

fn smtp_server() -> (u16, Inbox) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = Inbox::default();
    let mut server = Server::new(inbox.clone());
    server.with_name("smtp.test").with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (port, inbox)
}

/// The latest email's status, attempts and last error, from the email log.
async fn outbox_state(app: &TestApp) -> (String, i64, Option<String>) {
    let latest = app.emails().await[0].clone();
    (
        latest["status"].as_str().unwrap().to_string(),
        latest["attempts"].as_i64().unwrap(),
        latest["last_error"].as_str().map(str::to_string),
    )
}

#[tokio::test]
async fn a_verification_email_is_delivered_over_smtp() {
    let (port, inbox) = smtp_server();
    let app = TestApp::builder()
        .config(|c| {
            c.mail.smtp_host = "127.0.0.1".into();
            c.mail.smtp_port = port;
            c.mail.smtp_security = SmtpSecurity::None;
            c.mail.from = "Test Hosting <billing@test.example>".into();
        })
        .real_mailer()
        .spawn();
    let res = app
        .post_json(
            "/api/v1/auth/signup",
            serde_json::json!({"email": "ama@example.com", "password": "correct horse battery staple",
                               "first_name": "Ama", "last_name": "Mensah"}),
        )
        .await;
    assert_eq!(res.status(), 202);
    app.deliver_mail().await;
    let (status, attempts, _) = outbox_state(&app).await;
    assert_eq!((status.as_str(), attempts), ("sent", 1));

    let messages = inbox.messages.lock().unwrap().clone();
    // Sign-up sends the welcome and the verification.
    assert_eq!(messages.len(), 2);
    let (to, text) = messages
        .iter()
        .find(|(_, text)| text.contains("Confirm your email"))
        .unwrap();
    assert_eq!(to, &vec!["ama@example.com".to_string()]);
    assert!(
        text.contains("From: \"Test Hosting\" <billing@test.example>")
            || text.contains("From: Test Hosting <billing@test.example>"),
        "{text}"
    );
    assert!(
        text.contains("Subject: Confirm your email address for Test Hosting Ltd"),
        "{text}"
    );
    assert!(text.contains("multipart/alternative"));
    assert!(text.contains("text/html"));
}

#[tokio::test]
async fn a_server_that_is_down_gets_retries_with_backoff_then_a_failed_state() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let app = TestApp::builder()
        .config(|c| {
            c.mail.smtp_host = "127.0.0.1".into();
            c.mail.smtp_port = port;
            c.mail.smtp_security = SmtpSecurity::None;
        })
        .real_mailer()
        .spawn();
    let state = app.state.clone();
    state
        .db
        .write(|tx| {
            till::service::email::queue(
                tx,
                app.clock.now(),
                "ama@example.com",
                &till::service::email::PasswordChanged {
                    brand: till::service::email::Branding::from_config(&state.config),
                    name: "Ama".into(),
                },
            )
        })
        .unwrap();

    let run = || till::jobs::mail_outbox::run(app.state.clone(), app.clock.now());
    run().await.unwrap();
    let (status, attempts, error) = outbox_state(&app).await;
    assert_eq!((status.as_str(), attempts), ("pending", 1));
    assert!(error.is_some());
    // Not due again until the backoff passes.
    run().await.unwrap();
    assert_eq!(outbox_state(&app).await.1, 1);

    for minutes in [1, 5, 15, 60, 240, 720] {
        app.clock.advance(SignedDuration::from_mins(minutes));
        run().await.unwrap();
    }
    let (status, attempts, _) = outbox_state(&app).await;
    assert_eq!((status.as_str(), attempts), ("failed", 7));
}
