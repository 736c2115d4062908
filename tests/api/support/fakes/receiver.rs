//! A webhook receiver that checks signatures itself and answers as told.

use std::sync::{Arc, Mutex};

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::Value;

use super::{FakeServer, hmac_sha256_hex, listener};

#[derive(Default)]
pub struct State {
    pub secret: String,
    /// (status, body) to answer with.
    pub answer: (u16, String),
    pub received: Vec<(Value, bool)>,
}

pub struct Receiver {
    pub url: String,
    pub state: Arc<Mutex<State>>,
    _server: FakeServer,
}

pub fn start(secret: &str) -> Receiver {
    let state = Arc::new(Mutex::new(State {
        secret: secret.into(),
        answer: (
            200,
            r#"{"success":true,"username":"hooky","message":"made"}"#.into(),
        ),
        ..State::default()
    }));
    let data = web::Data::from(state.clone());
    let (l, url) = listener();
    let server = FakeServer::spawn(l, move |cfg| {
        cfg.app_data(data.clone()).default_service(web::to(hook));
    });
    Receiver {
        url: format!("{url}/provision"),
        state,
        _server: server,
    }
}

async fn hook(req: HttpRequest, body: web::Bytes, st: web::Data<Mutex<State>>) -> HttpResponse {
    let mut st = st.lock().unwrap();
    let header = req
        .headers()
        .get("x-till-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let mut t = "";
    let mut v1 = "";
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", x)) => t = x,
            Some(("v1", x)) => v1 = x,
            _ => {}
        }
    }
    let expected = hmac_sha256_hex(&st.secret, &[t.as_bytes(), b".", &body]);
    let valid = !t.is_empty() && expected == v1;
    let json: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    st.received.push((json, valid));
    if !valid {
        return HttpResponse::Unauthorized()
            .json(serde_json::json!({"success": false, "message": "bad signature"}));
    }
    HttpResponse::build(actix_web::http::StatusCode::from_u16(st.answer.0).unwrap())
        .content_type("application/json")
        .body(st.answer.1.clone())
}
