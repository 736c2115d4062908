//! `FakeStripe`: the part of Stripe's API till uses — PaymentIntents,
//! Checkout Sessions with a hosted "Pay" page, refunds, idempotency keys,
//! bearer auth with Stripe's error shapes, and signed webhooks.

use std::{
    collections::{BTreeMap, HashMap},
    sync::{Arc, Mutex, MutexGuard},
};

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Map, Value, json};

use super::{Delivery, FakeServer, bearer, deliver, hmac_sha256_hex, pay_page, unix_now};

pub struct FakeStripe {
    pub url: String,
    state: Arc<Mutex<State>>,
    _server: FakeServer,
}

#[derive(Default)]
struct State {
    url: String,
    secret_key: String,
    webhook_secret: String,
    webhook_target: Option<String>,
    next_id: u64,
    intents: BTreeMap<String, Value>,
    sessions: BTreeMap<String, Value>,
    /// Idempotency key → (the request's fingerprint, the first answer).
    idempotency: HashMap<String, (String, Value)>,
    refunds: Vec<Value>,
    requests: Vec<(String, String)>,
    deliveries: Vec<Delivery>,
}

type Data = web::Data<Mutex<State>>;

impl FakeStripe {
    pub fn start(secret_key: &str, webhook_secret: &str) -> FakeStripe {
        let (listener, url) = super::listener();
        let state = Arc::new(Mutex::new(State {
            url: url.clone(),
            secret_key: secret_key.into(),
            webhook_secret: webhook_secret.into(),
            ..State::default()
        }));
        let data = web::Data::from(state.clone());
        let server = FakeServer::spawn(listener, move |cfg| {
            cfg.app_data(data.clone())
                .route("/v1/payment_intents", web::post().to(create_intent))
                .route("/v1/payment_intents/{id}", web::get().to(get_intent))
                .route("/v1/checkout/sessions", web::post().to(create_session))
                .route("/v1/checkout/sessions/{id}", web::get().to(get_session))
                .route("/v1/refunds", web::post().to(create_refund))
                .route("/pay/{id}", web::get().to(pay_form))
                .route("/pay/{id}", web::post().to(pay));
        });
        FakeStripe {
            url,
            state,
            _server: server,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    /// Where the hosted page's payments send their webhooks.
    pub fn set_webhook_target(&self, url: &str) {
        self.lock().webhook_target = Some(url.to_string());
    }

    /// The customer paid: the intent (and its session) succeed. No webhook
    /// is sent; build one with `event`.
    pub fn succeed(&self, pi_id: &str) -> Value {
        let mut st = self.lock();
        st.succeed(pi_id);
        st.intents.get(pi_id).cloned().unwrap_or(Value::Null)
    }

    /// The customer's card was declined with `message`.
    pub fn fail(&self, pi_id: &str, message: &str) -> Value {
        let mut st = self.lock();
        let charge = st.new_id("ch");
        let Some(pi) = st.intents.get_mut(pi_id) else {
            return Value::Null;
        };
        pi["status"] = "requires_payment_method".into();
        pi["latest_charge"] = charge.into();
        pi["last_payment_error"] = json!({
            "type": "card_error", "code": "card_declined", "message": message
        });
        pi.clone()
    }

    pub fn intent(&self, pi_id: &str) -> Option<Value> {
        self.lock().intents.get(pi_id).cloned()
    }

    pub fn session(&self, session_id: &str) -> Option<Value> {
        self.lock().sessions.get(session_id).cloned()
    }

    /// A webhook body for `object` and its `Stripe-Signature`, signed now.
    pub fn event(&self, kind: &str, object: &Value) -> (Vec<u8>, String) {
        self.event_at(kind, object, unix_now())
    }

    /// The same, signed (and created) at `t`.
    pub fn event_at(&self, kind: &str, object: &Value, t: i64) -> (Vec<u8>, String) {
        let mut st = self.lock();
        st.event(kind, object, t)
    }

    /// Every request the fake answered, in order: (method, path).
    pub fn requests(&self) -> Vec<(String, String)> {
        self.lock().requests.clone()
    }

    pub fn refunds(&self) -> Vec<Value> {
        self.lock().refunds.clone()
    }

    pub fn deliveries(&self) -> Vec<Delivery> {
        self.lock().deliveries.clone()
    }
}

impl State {
    fn new_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}_fake{:08}", self.next_id)
    }

    fn succeed(&mut self, pi_id: &str) {
        let charge = self.new_id("ch");
        let Some(pi) = self.intents.get_mut(pi_id) else {
            return;
        };
        pi["status"] = "succeeded".into();
        pi["amount_received"] = pi["amount"].clone();
        pi["latest_charge"] = charge.into();
        pi["last_payment_error"] = Value::Null;
        for session in self.sessions.values_mut() {
            if session["payment_intent"] == pi_id {
                session["payment_status"] = "paid".into();
                session["status"] = "complete".into();
                session["url"] = Value::Null;
            }
        }
    }

    fn event(&mut self, kind: &str, object: &Value, t: i64) -> (Vec<u8>, String) {
        let id = self.new_id("evt");
        let body = json!({
            "id": id, "object": "event", "api_version": "2025-06-30.basil",
            "created": t, "livemode": false, "pending_webhooks": 1,
            "type": kind, "data": { "object": object },
        })
        .to_string()
        .into_bytes();
        let v1 = hmac_sha256_hex(
            &self.webhook_secret,
            &[t.to_string().as_bytes(), b".", &body],
        );
        (body, format!("t={t},v1={v1}"))
    }

    /// Run `create` unless `key` was seen: the same key with the same
    /// parameters answers the first result again, with other parameters it
    /// is Stripe's `idempotency_error`. Only successes are remembered, as
    /// Stripe does not save answers to requests it refused before running.
    fn idempotent(
        &mut self,
        key: Option<String>,
        fingerprint: String,
        create: impl FnOnce(&mut State) -> Result<Value, HttpResponse>,
    ) -> HttpResponse {
        if let Some(key) = &key
            && let Some((seen, answer)) = self.idempotency.get(key)
        {
            if *seen != fingerprint {
                return error(
                    400,
                    "idempotency_error",
                    None,
                    &format!(
                        "Keys for idempotent requests can only be used with the same \
                             parameters they were first used with. Try using a key other than \
                             '{key}' if you meant to execute a different request."
                    ),
                );
            }
            return HttpResponse::Ok()
                .insert_header(("Idempotent-Replayed", "true"))
                .json(answer);
        }
        match create(self) {
            Ok(answer) => {
                if let Some(key) = key {
                    self.idempotency.insert(key, (fingerprint, answer.clone()));
                }
                HttpResponse::Ok().json(answer)
            }
            Err(refused) => refused,
        }
    }
}

/// Stripe's error envelope.
fn error(status: u16, kind: &str, code: Option<&str>, message: &str) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(status).unwrap();
    HttpResponse::build(status).json(json!({
        "error": { "type": kind, "code": code, "message": message }
    }))
}

fn invalid(code: &str, param: &str, message: &str) -> HttpResponse {
    let status = actix_web::http::StatusCode::BAD_REQUEST;
    HttpResponse::build(status).json(json!({
        "error": {
            "type": "invalid_request_error", "code": code, "param": param, "message": message
        }
    }))
}

/// Record the request, then check its API key; the guard is the fake's state.
fn enter<'a>(data: &'a Data, req: &HttpRequest) -> Result<MutexGuard<'a, State>, HttpResponse> {
    let mut st = data.lock().unwrap();
    st.requests
        .push((req.method().to_string(), req.path().to_string()));
    match bearer(req) {
        Some(key) if key == st.secret_key => Ok(st),
        Some(key) => {
            let tail: String = key
                .chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            Err(error(
                401,
                "invalid_request_error",
                None,
                &format!("Invalid API Key provided: sk_****{tail}"),
            ))
        }
        None => Err(error(
            401,
            "invalid_request_error",
            None,
            "You did not provide an API key.",
        )),
    }
}

fn idempotency_key(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// A form body: Stripe's `a[b][c]=v` pairs.
struct Params(Vec<(String, String)>);

impl Params {
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `prefix[k]=v` pairs as a JSON object.
    fn map(&self, prefix: &str) -> Map<String, Value> {
        self.0
            .iter()
            .filter_map(|(k, v)| {
                let inner = k
                    .strip_prefix(prefix)?
                    .strip_prefix('[')?
                    .strip_suffix(']')?;
                (!inner.contains('[')).then(|| (inner.to_string(), Value::from(v.as_str())))
            })
            .collect()
    }

    fn amount(&self, key: &str) -> Result<i64, HttpResponse> {
        let raw = self.get(key).ok_or_else(|| {
            invalid(
                "parameter_missing",
                key,
                &format!("Missing required param: {key}."),
            )
        })?;
        match raw.parse::<i64>() {
            Ok(n) if n > 0 => Ok(n),
            Ok(_) => Err(invalid(
                "amount_too_small",
                key,
                "Amount must be at least 1 in the currency's smallest unit.",
            )),
            Err(_) => Err(invalid(
                "parameter_invalid_integer",
                key,
                &format!("Invalid integer: {raw}"),
            )),
        }
    }

    fn currency(&self, key: &str) -> Result<String, HttpResponse> {
        match self.get(key) {
            Some(c) if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_alphabetic()) => {
                Ok(c.to_lowercase())
            }
            Some(c) => Err(invalid(
                "parameter_invalid_string",
                key,
                &format!("Invalid currency: {c}"),
            )),
            None => Err(invalid(
                "parameter_missing",
                key,
                &format!("Missing required param: {key}."),
            )),
        }
    }

    fn required(&self, key: &str) -> Result<String, HttpResponse> {
        match self.get(key) {
            Some(v) if !v.is_empty() => Ok(v.to_string()),
            _ => Err(invalid(
                "parameter_missing",
                key,
                &format!("Missing required param: {key}."),
            )),
        }
    }

    fn fingerprint(&self, path: &str) -> String {
        let mut pairs = self.0.clone();
        pairs.sort();
        format!("{path}?{pairs:?}")
    }
}

fn new_intent(st: &mut State, amount: i64, currency: &str, metadata: Map<String, Value>) -> Value {
    let id = st.new_id("pi");
    let secret = uuid::Uuid::new_v4().simple().to_string();
    let intent = json!({
        "id": id, "object": "payment_intent", "amount": amount, "amount_received": 0,
        "currency": currency, "client_secret": format!("{id}_secret_{secret}"),
        "status": "requires_payment_method", "created": unix_now(), "livemode": false,
        "latest_charge": null, "last_payment_error": null, "metadata": metadata,
        "automatic_payment_methods": { "enabled": true },
    });
    st.intents.insert(id, intent.clone());
    intent
}

async fn create_intent(
    req: HttpRequest,
    data: Data,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let mut st = match enter(&data, &req) {
        Ok(st) => st,
        Err(refused) => return refused,
    };
    let p = Params(form.into_inner());
    st.idempotent(idempotency_key(&req), p.fingerprint(req.path()), |st| {
        let amount = p.amount("amount")?;
        let currency = p.currency("currency")?;
        let mut intent = new_intent(st, amount, &currency, p.map("metadata"));
        intent["description"] = p.get("description").into();
        intent["receipt_email"] = p.get("receipt_email").into();
        st.intents.insert(
            intent["id"].as_str().unwrap_or_default().into(),
            intent.clone(),
        );
        Ok(intent)
    })
}

async fn get_intent(req: HttpRequest, data: Data, id: web::Path<String>) -> HttpResponse {
    let st = match enter(&data, &req) {
        Ok(st) => st,
        Err(refused) => return refused,
    };
    match st.intents.get(id.as_str()) {
        Some(pi) => HttpResponse::Ok().json(pi),
        None => missing("payment_intent", &id),
    }
}

fn missing(kind: &str, id: &str) -> HttpResponse {
    error(
        404,
        "invalid_request_error",
        Some("resource_missing"),
        &format!("No such {kind}: '{id}'"),
    )
}

async fn create_session(
    req: HttpRequest,
    data: Data,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let mut st = match enter(&data, &req) {
        Ok(st) => st,
        Err(refused) => return refused,
    };
    let p = Params(form.into_inner());
    st.idempotent(idempotency_key(&req), p.fingerprint(req.path()), |st| {
        if p.get("mode") != Some("payment") {
            return Err(invalid(
                "parameter_invalid_string",
                "mode",
                "This fake only supports mode=payment.",
            ));
        }
        let item = "line_items[0]";
        let amount = p.amount(&format!("{item}[price_data][unit_amount]"))?;
        let currency = p.currency(&format!("{item}[price_data][currency]"))?;
        p.required(&format!("{item}[price_data][product_data][name]"))?;
        if p.get(&format!("{item}[quantity]")) != Some("1") {
            return Err(invalid(
                "parameter_invalid_integer",
                "quantity",
                "This fake only sells quantity 1.",
            ));
        }
        let success_url = p.required("success_url")?;
        let pi = new_intent(
            st,
            amount,
            &currency,
            p.map("payment_intent_data[metadata]"),
        );
        let id = st.new_id("cs_test");
        let session = json!({
            "id": id, "object": "checkout.session", "mode": "payment",
            "url": format!("{}/pay/{id}", st.url),
            "payment_intent": pi["id"], "payment_status": "unpaid", "status": "open",
            "amount_total": amount, "currency": currency, "metadata": p.map("metadata"),
            "client_reference_id": p.get("client_reference_id"),
            "customer_email": p.get("customer_email"),
            "success_url": success_url, "cancel_url": p.get("cancel_url"),
        });
        st.sessions.insert(id, session.clone());
        Ok(session)
    })
}

async fn get_session(req: HttpRequest, data: Data, id: web::Path<String>) -> HttpResponse {
    let st = match enter(&data, &req) {
        Ok(st) => st,
        Err(refused) => return refused,
    };
    match st.sessions.get(id.as_str()) {
        Some(s) => HttpResponse::Ok().json(s),
        None => missing("checkout.session", &id),
    }
}

async fn create_refund(
    req: HttpRequest,
    data: Data,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let mut st = match enter(&data, &req) {
        Ok(st) => st,
        Err(refused) => return refused,
    };
    let p = Params(form.into_inner());
    st.idempotent(idempotency_key(&req), p.fingerprint(req.path()), |st| {
        let pi_id = p.required("payment_intent")?;
        let pi = st
            .intents
            .get(&pi_id)
            .cloned()
            .ok_or_else(|| missing("payment_intent", &pi_id))?;
        if pi["status"] != "succeeded" {
            return Err(invalid(
                "charge_not_refundable",
                "payment_intent",
                &format!(
                    "This PaymentIntent ({pi_id}) does not have a successful charge to refund."
                ),
            ));
        }
        let refunded: i64 = st
            .refunds
            .iter()
            .filter(|r| r["payment_intent"] == pi_id.as_str())
            .filter_map(|r| r["amount"].as_i64())
            .sum();
        let left = pi["amount_received"].as_i64().unwrap_or(0) - refunded;
        let amount = if p.get("amount").is_some() {
            p.amount("amount")?
        } else {
            left
        };
        if amount > left || left == 0 {
            return Err(invalid(
                "amount_too_large",
                "amount",
                &format!(
                    "Refund amount ({amount}) is greater than unrefunded amount on charge ({left})"
                ),
            ));
        }
        let refund = json!({
            "id": st.new_id("re"), "object": "refund", "amount": amount,
            "currency": pi["currency"], "payment_intent": pi_id, "charge": pi["latest_charge"],
            "status": "succeeded", "created": unix_now(),
        });
        st.refunds.push(refund.clone());
        Ok(refund)
    })
}

async fn pay_form(data: Data, id: web::Path<String>) -> HttpResponse {
    let st = data.lock().unwrap();
    match st.sessions.get(id.as_str()) {
        Some(s) => pay_page(
            "Pay with FakeStripe",
            &format!("/pay/{id}"),
            s["amount_total"].as_i64().unwrap_or(0),
            s["currency"].as_str().unwrap_or_default(),
        ),
        None => HttpResponse::NotFound().body("no such checkout session"),
    }
}

/// The customer pressed "Pay": the payment succeeds, the webhooks go out
/// (a failed delivery is recorded, not shown), and the browser goes to the
/// session's success URL.
async fn pay(data: Data, id: web::Path<String>) -> HttpResponse {
    let (events, target, success_url) = {
        let mut st = data.lock().unwrap();
        let Some(session) = st.sessions.get(id.as_str()).cloned() else {
            return HttpResponse::NotFound().body("no such checkout session");
        };
        let mut events = Vec::new();
        if session["status"] != "complete" {
            let pi_id = session["payment_intent"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            st.succeed(&pi_id);
            let pi = st.intents.get(&pi_id).cloned().unwrap_or(Value::Null);
            let session = st.sessions.get(id.as_str()).cloned().unwrap_or(Value::Null);
            let now = unix_now();
            for (kind, object) in [
                ("payment_intent.succeeded", pi),
                ("checkout.session.completed", session),
            ] {
                let (body, signature) = st.event(kind, &object, now);
                events.push((kind, body, signature));
            }
        }
        let success_url = session["success_url"]
            .as_str()
            .unwrap_or_default()
            .replace("{CHECKOUT_SESSION_ID}", &id);
        (events, st.webhook_target.clone(), success_url)
    };
    if let Some(target) = target {
        for (kind, body, signature) in events {
            let delivery = deliver(&target, kind, ("Stripe-Signature", &signature), body).await;
            data.lock().unwrap().deliveries.push(delivery);
        }
    }
    HttpResponse::SeeOther()
        .insert_header(("Location", success_url))
        .finish()
}
