//! Local stand-ins for the card gateways, speaking their wire formats
//! closely enough that till's real clients (and a browser) work against
//! them: `FakeStripe` and `FakePaystack`, plus `WebhookReceiver`, a sink
//! that records what is posted to it.
//!
//! Each runs on a port-0 listener in its own thread with its own actix
//! System (like `TestApp`), keeps its state in an `Arc<Mutex<…>>` that the
//! test controls reach too, and stops when dropped. Webhook signatures are
//! computed here with `hmac` directly, not with till's `sign`, so a
//! delivered webhook checks till's verification against an independent
//! signer.
// Some controls exist for the service-layer tests that will use the fakes;
// handlers answer refusals as `Err(HttpResponse)`, which is big but simple.
#![allow(dead_code, clippy::result_large_err)]

pub mod epp;
pub mod logicboxes;
pub mod paystack;
pub mod rdap;
pub mod receiver;
pub mod stripe;
pub mod vies;
pub mod whm;
pub mod whois;

pub use epp::FakeEpp;
pub use logicboxes::FakeLogicBoxes;
pub use paystack::FakePaystack;
pub use stripe::FakeStripe;
pub use whm::FakeWhm;

use std::{
    net::TcpListener,
    sync::{Arc, Mutex},
    thread::JoinHandle,
    time::{SystemTime, UNIX_EPOCH},
};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, dev::ServerHandle, web};
use hmac::{Hmac, KeyInit, Mac};

/// One fake's HTTP server; stops (and joins its thread) when dropped.
pub struct FakeServer {
    pub url: String,
    handle: ServerHandle,
    thread: Option<JoinHandle<()>>,
}

impl FakeServer {
    /// Serve the routes `configure` adds on `listener`.
    pub fn spawn<F>(listener: TcpListener, configure: F) -> FakeServer
    where
        F: Fn(&mut web::ServiceConfig) + Send + Clone + 'static,
    {
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || App::new().configure(configure.clone()))
                    .workers(1)
                    .disable_signals()
                    .shutdown_timeout(1)
                    .listen(listener)
                    .unwrap()
                    .run();
                tx.send(server.handle()).unwrap();
                let _ = server.await;
            })
        });
        FakeServer {
            url,
            handle: rx.recv().unwrap(),
            thread: Some(thread),
        }
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        // `stop` sends the command at once; its future only waits for it.
        drop(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A listener on a free loopback port, and its base URL.
pub fn listener() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    (listener, url)
}

/// A URL on which nothing listens (the port was bound, then released).
pub fn closed_port_url() -> String {
    let (listener, url) = listener();
    drop(listener);
    url
}

/// What a fake's attempt to deliver a webhook came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub event: String,
    pub target: String,
    /// The receiver's status, or `None` when it could not be reached.
    pub status: Option<u16>,
    pub error: Option<String>,
}

/// POST a signed webhook body to `target`, as the gateway would.
pub async fn deliver(
    target: &str,
    event: &str,
    signature_header: (&str, &str),
    body: Vec<u8>,
) -> Delivery {
    let sent = reqwest::Client::new()
        .post(target)
        .header("content-type", "application/json")
        .header(signature_header.0, signature_header.1)
        .body(body)
        .send()
        .await;
    let (status, error) = match sent {
        Ok(res) => (Some(res.status().as_u16()), None),
        Err(e) => (None, Some(e.to_string())),
    };
    Delivery {
        event: event.to_string(),
        target: target.to_string(),
        status,
        error,
    }
}

pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub fn hmac_sha256_hex(key: &str, parts: &[&[u8]]) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
    parts.iter().for_each(|p| mac.update(p));
    hex::encode(mac.finalize().into_bytes())
}

pub fn hmac_sha512_hex(key: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<sha2::Sha512>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// The bearer token of a request, if any.
pub fn bearer(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get("authorization")?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

/// The HTML "hosted payment page": one form whose button posts back.
pub fn pay_page(title: &str, action: &str, amount: i64, currency: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(format!(
            "<!doctype html><html><head><title>{title}</title></head><body>\
             <h1>{title}</h1><p id=\"amount\">{amount} {currency}</p>\
             <form method=\"post\" action=\"{action}\">\
             <button id=\"pay\" type=\"submit\">Pay</button></form></body></html>"
        ))
}

/// A request a `WebhookReceiver` got.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Records every request posted to it and answers 200: a stand-in for
/// till's webhook endpoint when testing a fake's deliveries.
pub struct WebhookReceiver {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
    _server: FakeServer,
}

impl WebhookReceiver {
    pub fn start() -> WebhookReceiver {
        let received = Arc::new(Mutex::new(Vec::new()));
        let data = web::Data::from(received.clone());
        let (listener, url) = listener();
        let server = FakeServer::spawn(listener, move |cfg| {
            cfg.app_data(data.clone()).default_service(web::to(record));
        });
        WebhookReceiver {
            url,
            received,
            _server: server,
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

async fn record(
    req: HttpRequest,
    body: web::Bytes,
    store: web::Data<Mutex<Vec<Received>>>,
) -> HttpResponse {
    let headers = req
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string()))
        .collect();
    store.lock().unwrap().push(Received {
        path: req.path().to_string(),
        headers,
        body: body.to_vec(),
    });
    HttpResponse::Ok().finish()
}
