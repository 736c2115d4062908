//! `FakeRdap`: a registry's RDAP server (RFC 9082 `GET /domain/{name}`,
//! RFC 9083 answers). A name the test registered is a 200 with an
//! `application/rdap+json` domain object; any other is a 404 with an RDAP
//! error object, as RFC 7480 says for "no such object". The test can make
//! it refuse with 429 (and Retry-After), answer 503, or hang, per name, and
//! it counts the requests and how many were in flight at once.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{Arc, Mutex},
    time::Duration,
};

use actix_web::{HttpResponse, web};
use serde_json::json;

use super::FakeServer;

/// What the server does for one name instead of answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Misbehave {
    RateLimited,
    Down,
    /// Answers only after this long.
    Hang(Duration),
}

#[derive(Default)]
struct State {
    registered: BTreeSet<String>,
    misbehave: BTreeMap<String, Misbehave>,
    /// Every name asked about, in order.
    calls: Vec<String>,
    /// Each answer waits this long (to see concurrency).
    delay: Option<Duration>,
    in_flight: usize,
    max_in_flight: usize,
}

pub struct FakeRdap {
    /// The base URL to configure (`[domains] rdap_base_url`), ending in `/`.
    pub base_url: String,
    state: Arc<Mutex<State>>,
    _server: FakeServer,
}

impl FakeRdap {
    pub fn start() -> FakeRdap {
        let (listener, url) = super::listener();
        let state = Arc::new(Mutex::new(State::default()));
        let data = web::Data::from(state.clone());
        let server = FakeServer::spawn(listener, move |cfg| {
            cfg.app_data(data.clone())
                .route("/domain/{name}", web::get().to(domain));
        });
        FakeRdap {
            base_url: format!("{url}/"),
            state,
            _server: server,
        }
    }

    /// A name (ASCII form) the registry holds.
    pub fn register(&self, name: &str) {
        self.state.lock().unwrap().registered.insert(name.into());
    }

    pub fn misbehave(&self, name: &str, how: Misbehave) {
        self.state
            .lock()
            .unwrap()
            .misbehave
            .insert(name.into(), how);
    }

    pub fn delay_every_answer(&self, by: Duration) {
        self.state.lock().unwrap().delay = Some(by);
    }

    pub fn calls(&self) -> Vec<String> {
        self.state.lock().unwrap().calls.clone()
    }

    pub fn max_in_flight(&self) -> usize {
        self.state.lock().unwrap().max_in_flight
    }
}

fn rdap(status: actix_web::http::StatusCode, body: serde_json::Value) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("application/rdap+json")
        .body(body.to_string())
}

async fn domain(path: web::Path<String>, state: web::Data<Mutex<State>>) -> HttpResponse {
    use actix_web::http::StatusCode;
    let name = path.into_inner().to_lowercase();
    let (misbehave, delay, registered) = {
        let mut s = state.lock().unwrap();
        s.calls.push(name.clone());
        s.in_flight += 1;
        s.max_in_flight = s.max_in_flight.max(s.in_flight);
        (
            s.misbehave.get(&name).copied(),
            s.delay,
            s.registered.contains(&name),
        )
    };
    if let Some(d) = delay {
        actix_web::rt::time::sleep(d).await;
    }
    let answer = match misbehave {
        Some(Misbehave::RateLimited) => HttpResponse::TooManyRequests()
            .insert_header(("Retry-After", "60"))
            .content_type("application/rdap+json")
            .body(json!({"errorCode": 429, "title": "Too many requests"}).to_string()),
        Some(Misbehave::Down) => rdap(
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"errorCode": 503, "title": "Service unavailable"}),
        ),
        Some(Misbehave::Hang(d)) => {
            actix_web::rt::time::sleep(d).await;
            rdap(
                StatusCode::NOT_FOUND,
                json!({"errorCode": 404, "title": "Not found"}),
            )
        }
        None if registered => rdap(
            StatusCode::OK,
            json!({
                "rdapConformance": ["rdap_level_0"],
                "objectClassName": "domain",
                "ldhName": name,
                "status": ["active"],
                "events": [{"eventAction": "registration", "eventDate": "2020-01-01T00:00:00Z"}]
            }),
        ),
        None => rdap(
            StatusCode::NOT_FOUND,
            json!({"errorCode": 404, "title": "Not found", "description": ["no such domain"]}),
        ),
    };
    state.lock().unwrap().in_flight -= 1;
    answer
}
