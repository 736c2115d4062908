//! `FakeVies`: the EU's `checkVatService` SOAP endpoint
//! (`urn:ec.europa.eu:taxud:vies:services:checkVat:types`, operation
//! `checkVat`), answering from the VAT numbers a test registers: a
//! `checkVatResponse` with `valid` true (with the trader's name and
//! address) or false, a `soap:Fault` `INVALID_INPUT` for a malformed
//! request, and `MS_UNAVAILABLE` while the test says the member state's
//! service is down. It can also hold an answer until the test releases it.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
};

use actix_web::{HttpResponse, web};

use super::FakeServer;

pub const PATH: &str = "/taxation_customs/vies/services/checkVatService";

#[derive(Default)]
struct State {
    /// "FR12345678901" -> (name, address).
    registered: BTreeMap<String, (String, String)>,
    down: bool,
    /// Each check asked: (countryCode, vatNumber).
    calls: Vec<(String, String)>,
    /// While set, answers wait until it is released.
    gate: Option<Arc<tokio::sync::Notify>>,
}

pub struct FakeVies {
    /// The service URL to configure as `vies.url`.
    pub url: String,
    state: Arc<Mutex<State>>,
    _server: FakeServer,
}

impl FakeVies {
    pub fn start() -> FakeVies {
        let (listener, base) = super::listener();
        let state = Arc::new(Mutex::new(State::default()));
        let data = web::Data::from(state.clone());
        let server = FakeServer::spawn(listener, move |cfg| {
            cfg.app_data(data.clone())
                .route(PATH, web::post().to(check_vat));
        });
        FakeVies {
            url: format!("{base}{PATH}"),
            state,
            _server: server,
        }
    }

    /// A number VIES knows, with prefix: `register("FR12345678901", ..)`.
    pub fn register(&self, vat: &str, name: &str, address: &str) {
        self.state
            .lock()
            .unwrap()
            .registered
            .insert(vat.into(), (name.into(), address.into()));
    }

    pub fn set_down(&self, down: bool) {
        self.state.lock().unwrap().down = down;
    }

    pub fn calls(&self) -> Vec<(String, String)> {
        self.state.lock().unwrap().calls.clone()
    }

    /// Hold every answer until `release` is called.
    pub fn hold(&self) -> Arc<tokio::sync::Notify> {
        let gate = Arc::new(tokio::sync::Notify::new());
        self.state.lock().unwrap().gate = Some(gate.clone());
        gate
    }

    pub fn release(&self) {
        if let Some(gate) = self.state.lock().unwrap().gate.take() {
            gate.notify_waiters();
            gate.notify_one();
        }
    }
}

/// The text of the first element with local name `name`.
fn element(xml: &str, name: &str) -> Option<String> {
    for (i, _) in xml.match_indices('<') {
        let rest = &xml[i + 1..];
        let tag_end = rest.find(['>', ' ', '/'])?;
        let tag = &rest[..tag_end];
        let local = tag.rsplit(':').next().unwrap_or(tag);
        if local == name && !tag.starts_with('/') {
            let open_end = rest.find('>')?;
            let body = &rest[open_end + 1..];
            return Some(body[..body.find('<')?].trim().to_string());
        }
    }
    None
}

fn envelope(body: &str) -> String {
    format!(
        "<env:Envelope xmlns:env=\"http://schemas.xmlsoap.org/soap/envelope/\"><env:Header/>\
         <env:Body>{body}</env:Body></env:Envelope>"
    )
}

fn fault(code: &str) -> HttpResponse {
    HttpResponse::InternalServerError()
        .content_type("text/xml; charset=utf-8")
        .body(envelope(&format!(
            "<env:Fault><faultcode>env:Server</faultcode><faultstring>{code}</faultstring></env:Fault>"
        )))
}

async fn check_vat(body: String, state: web::Data<Mutex<State>>) -> HttpResponse {
    let gate = state.lock().unwrap().gate.clone();
    if let Some(gate) = gate {
        gate.notified().await;
    }
    let (Some(country), Some(number)) =
        (element(&body, "countryCode"), element(&body, "vatNumber"))
    else {
        return fault("INVALID_INPUT");
    };
    if !body.contains("urn:ec.europa.eu:taxud:vies:services:checkVat:types")
        || element(&body, "checkVat").is_none()
    {
        return fault("INVALID_INPUT");
    }
    let mut st = state.lock().unwrap();
    st.calls.push((country.clone(), number.clone()));
    if st.down {
        return fault("MS_UNAVAILABLE");
    }
    let known = st.registered.get(&format!("{country}{number}")).cloned();
    let (valid, name, address) = match &known {
        Some((n, a)) => ("true", n.as_str(), a.as_str()),
        None => ("false", "---", "---"),
    };
    HttpResponse::Ok()
        .content_type("text/xml; charset=utf-8")
        .body(envelope(&format!(
            "<ns2:checkVatResponse xmlns:ns2=\"urn:ec.europa.eu:taxud:vies:services:checkVat:types\">\
             <ns2:countryCode>{country}</ns2:countryCode><ns2:vatNumber>{number}</ns2:vatNumber>\
             <ns2:requestDate>2026-01-15+01:00</ns2:requestDate><ns2:valid>{valid}</ns2:valid>\
             <ns2:name>{name}</ns2:name><ns2:address>{address}</ns2:address>\
             </ns2:checkVatResponse>"
        )))
}
