//! Mail in: emails written as they arrive (`Mail`), handed to the desk
//! as the pipe does (`TestApp::receive`), and departments given an
//! address and staff who hear of their tickets (`TestApp::desk`).

use serde_json::json;
use till::{
    clock::Clock,
    integrations::mail_in,
    service::support::inbound::{self, Inbound, Via},
};

use super::{TestApp, ok};

/// An RFC 5322 email, built up field by field.
#[derive(Clone)]
pub struct Mail {
    headers: Vec<(String, String)>,
    text: Option<String>,
    html: Option<String>,
    files: Vec<(String, String, Vec<u8>)>,
}

impl Mail {
    /// From `from` to `to` with `subject`, a fresh Message-ID and `text`.
    pub fn new(from: &str, to: &str, subject: &str, text: &str) -> Mail {
        let id = format!("<{}@mail.example.net>", uuid::Uuid::new_v4());
        Mail {
            headers: vec![
                ("From".into(), from.into()),
                ("To".into(), to.into()),
                ("Subject".into(), subject.into()),
                ("Message-ID".into(), id),
                ("Date".into(), "Thu, 03 Dec 2026 10:00:00 +0000".into()),
                ("MIME-Version".into(), "1.0".into()),
            ],
            text: Some(text.into()),
            html: None,
            files: Vec::new(),
        }
    }

    /// Another header (or a second of the same name).
    pub fn header(mut self, name: &str, value: &str) -> Mail {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Replace a header.
    pub fn set(mut self, name: &str, value: &str) -> Mail {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.into(), value.into()));
        self
    }

    /// An HTML body only, no plain part.
    pub fn html_only(mut self, html: &str) -> Mail {
        self.text = None;
        self.html = Some(html.into());
        self
    }

    pub fn attach(mut self, name: &str, content_type: &str, content: &[u8]) -> Mail {
        self.files
            .push((name.into(), content_type.into(), content.to_vec()));
        self
    }

    /// The email as bytes on the wire.
    pub fn raw(&self) -> Vec<u8> {
        use base64::Engine;
        let mut out = String::new();
        for (n, v) in &self.headers {
            out.push_str(&format!("{n}: {v}\r\n"));
        }
        let boundary = "till-mail-in-boundary-42";
        let body_part = match (&self.text, &self.html) {
            (Some(t), _) => format!(
                "Content-Type: text/plain; charset=utf-8\r\n\r\n{}\r\n",
                t.replace('\n', "\r\n")
            ),
            (None, Some(h)) => format!("Content-Type: text/html; charset=utf-8\r\n\r\n{h}\r\n"),
            (None, None) => "Content-Type: text/plain\r\n\r\n\r\n".into(),
        };
        if self.files.is_empty() {
            out.push_str(&body_part);
            return out.into_bytes();
        }
        out.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n"
        ));
        out.push_str(&format!("--{boundary}\r\n{body_part}"));
        for (name, ct, bytes) in &self.files {
            let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
            out.push_str(&format!(
                "--{boundary}\r\nContent-Type: {ct}; name=\"{name}\"\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{b64}\r\n"
            ));
        }
        out.push_str(&format!("--{boundary}--\r\n"));
        out.into_bytes()
    }
}

#[allow(dead_code)]
impl TestApp {
    /// Hand `mail` to the desk as `till tickets pipe` does, now.
    pub fn receive(&self, mail: &Mail) -> Inbound {
        let limit = mail_in::size_limit(&self.state.config.support);
        let parsed = mail_in::parse(&mail.raw(), limit).unwrap();
        inbound::receive(
            &self.state.db,
            &self.state.config,
            &parsed,
            Via::Pipe,
            self.clock.now(),
        )
        .unwrap()
    }

    /// Give the department `name` the address `email`, with the first
    /// admin receiving its tickets; answers its id.
    pub async fn desk(&self, name: &str, email: &str) -> i64 {
        let list =
            super::json_with_status(self.get("/api/v1/support/departments").await, 200).await;
        let id = list["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == name)
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let key = self.staff_key(&["support:read", "support:write"]);
        ok(
            self,
            "PUT",
            &format!("/api/v1/support-departments/{id}"),
            &key,
            Some(json!({"name": name, "email": email, "staff_ids": [1]})),
            200,
        )
        .await;
        id
    }

    /// What came in by mail, newest first, as staff see it.
    pub async fn inbound_log(&self) -> Vec<serde_json::Value> {
        let key = self.staff_key(&["support:read"]);
        let log = ok(
            self,
            "GET",
            "/api/v1/inbound-mail?per_page=100",
            &key,
            None,
            200,
        )
        .await;
        log["data"].as_array().unwrap().clone()
    }
}
