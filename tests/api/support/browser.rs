//! A tiny browser for page tests: keeps cookies, never follows redirects
//! (tests look at each 303), and reads the CSRF token out of forms.

use std::collections::BTreeMap;

use reqwest::{StatusCode, header::HeaderMap};

use super::TestApp;

pub struct Browser {
    http: reqwest::Client,
    base: String,
    /// name -> value.
    pub cookies: BTreeMap<String, String>,
    /// Extra headers on every request (e.g. a proxy's).
    pub headers: HeaderMap,
}

pub struct PageResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

#[allow(dead_code)]
impl PageResponse {
    pub fn location(&self) -> &str {
        self.headers
            .get("location")
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }

    /// The value of the first hidden `csrf` field.
    pub fn csrf(&self) -> String {
        self.input_value("csrf")
    }

    /// The value of the first input named `name`.
    pub fn input_value(&self, name: &str) -> String {
        let needle = format!("name=\"{name}\" value=\"");
        let start = self
            .body
            .find(&needle)
            .unwrap_or_else(|| panic!("no input {name} in:\n{}", self.body))
            + needle.len();
        let end = self.body[start..].find('"').unwrap();
        self.body[start..start + end].to_string()
    }

    /// The raw Set-Cookie headers.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect()
    }
}

#[allow(dead_code)]
impl Browser {
    pub fn new(app: &TestApp) -> Browser {
        Browser {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: app.url(""),
            cookies: BTreeMap::new(),
            headers: HeaderMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn finish(&mut self, res: reqwest::Response) -> PageResponse {
        let status = res.status();
        let headers = res.headers().clone();
        for raw in headers.get_all("set-cookie") {
            let raw = raw.to_str().unwrap();
            let pair = raw.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            let removed = raw.to_ascii_lowercase().contains("max-age=0") || value.is_empty();
            if removed {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        PageResponse {
            status,
            headers,
            body: res.text().await.unwrap(),
        }
    }

    pub async fn get(&mut self, path: &str) -> PageResponse {
        let res = self
            .http
            .get(format!("{}{path}", self.base))
            .headers(self.headers.clone())
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.finish(res).await
    }

    /// Post a form as a browser would (urlencoded).
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> PageResponse {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .headers(self.headers.clone())
            .header("cookie", self.cookie_header())
            .form(fields)
            .send()
            .await
            .unwrap();
        self.finish(res).await
    }

    /// Post a form as multipart (`enctype="multipart/form-data"`), with
    /// files under `attachments[]`.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &[u8])],
    ) -> PageResponse {
        let (content_type, body) = crate::support_tickets::multipart(fields, files);
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .headers(self.headers.clone())
            .header("cookie", self.cookie_header())
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        self.finish(res).await
    }

    /// Open `form_page`, then post `fields` plus its CSRF token to `action`.
    pub async fn submit(
        &mut self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> PageResponse {
        let csrf = self.get(form_page).await.csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }

    /// Log in through the login form (no 2FA); panics unless it worked.
    pub async fn login(&mut self, email: &str, password: &str) {
        let res = self
            .submit(
                "/login",
                "/login",
                &[("email", email), ("password", password)],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
        assert_eq!(res.location(), "/account");
    }
}
