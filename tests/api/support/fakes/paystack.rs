//! `FakePaystack`: transaction initialize / verify, a hosted checkout page
//! with a "Pay" button, refunds, bearer auth, and `charge.success`
//! webhooks signed with the secret key (`x-paystack-signature`).

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex, MutexGuard},
};

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde_json::{Value, json};

use super::{Delivery, FakeServer, bearer, deliver, hmac_sha512_hex, pay_page};

pub struct FakePaystack {
    pub url: String,
    state: Arc<Mutex<State>>,
    _server: FakeServer,
}

#[derive(Default)]
struct State {
    url: String,
    secret_key: String,
    webhook_target: Option<String>,
    next_id: i64,
    /// By reference, as Paystack's verify answers them.
    transactions: BTreeMap<String, Value>,
    /// Access code → reference.
    access_codes: BTreeMap<String, String>,
    refunds: Vec<Value>,
    requests: Vec<(String, String)>,
    deliveries: Vec<Delivery>,
}

type Data = web::Data<Mutex<State>>;

impl FakePaystack {
    pub fn start(secret_key: &str) -> FakePaystack {
        let (listener, url) = super::listener();
        let state = Arc::new(Mutex::new(State {
            url: url.clone(),
            secret_key: secret_key.into(),
            next_id: 4_000_000,
            ..State::default()
        }));
        let data = web::Data::from(state.clone());
        let server = FakeServer::spawn(listener, move |cfg| {
            cfg.app_data(data.clone())
                .route("/transaction/initialize", web::post().to(initialize))
                .route("/transaction/verify/{reference}", web::get().to(verify))
                .route("/refund", web::post().to(refund))
                .route("/checkout/{code}", web::get().to(checkout_form))
                .route("/checkout/{code}", web::post().to(checkout_pay));
        });
        FakePaystack {
            url,
            state,
            _server: server,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    pub fn set_webhook_target(&self, url: &str) {
        self.lock().webhook_target = Some(url.to_string());
    }

    /// The customer finished paying (or was declined). No webhook is sent;
    /// build one with `event`. Answers the transaction after.
    pub fn complete(&self, reference: &str, success: bool) -> Value {
        let mut st = self.lock();
        st.complete(reference, success);
        st.transactions
            .get(reference)
            .cloned()
            .unwrap_or(Value::Null)
    }

    pub fn transaction(&self, reference: &str) -> Option<Value> {
        self.lock().transactions.get(reference).cloned()
    }

    /// A webhook body about the transaction `reference` and its
    /// `x-paystack-signature`.
    pub fn event(&self, event: &str, reference: &str) -> (Vec<u8>, String) {
        self.lock().event(event, reference)
    }

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
    fn new_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    fn complete(&mut self, reference: &str, success: bool) {
        let Some(tx) = self.transactions.get_mut(reference) else {
            return;
        };
        let now = jiff::Timestamp::now()
            .strftime("%Y-%m-%dT%H:%M:%S.000Z")
            .to_string();
        if success {
            tx["status"] = "success".into();
            tx["gateway_response"] = "Approved".into();
            tx["paid_at"] = now.into();
        } else {
            tx["status"] = "failed".into();
            tx["gateway_response"] = "Declined".into();
        }
    }

    fn event(&mut self, event: &str, reference: &str) -> (Vec<u8>, String) {
        let data = self
            .transactions
            .get(reference)
            .cloned()
            .unwrap_or(Value::Null);
        let body = json!({ "event": event, "data": data })
            .to_string()
            .into_bytes();
        let signature = hmac_sha512_hex(&self.secret_key, &body);
        (body, signature)
    }
}

fn reply(status: StatusCode, ok: bool, message: &str, data: Option<Value>) -> HttpResponse {
    let mut body = json!({ "status": ok, "message": message });
    if let Some(data) = data {
        body["data"] = data;
    }
    HttpResponse::build(status).json(body)
}

fn refuse(message: &str) -> HttpResponse {
    reply(StatusCode::BAD_REQUEST, false, message, None)
}

/// Record the request, then check the secret key.
fn enter<'a>(data: &'a Data, req: &HttpRequest) -> Result<MutexGuard<'a, State>, HttpResponse> {
    let mut st = data.lock().unwrap();
    st.requests
        .push((req.method().to_string(), req.path().to_string()));
    if bearer(req) == Some(st.secret_key.as_str()) {
        Ok(st)
    } else {
        Err(reply(StatusCode::UNAUTHORIZED, false, "Invalid key", None))
    }
}

/// An amount in subunits, given as a number or (as Paystack also accepts)
/// a numeric string.
fn amount_of(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|n| *n > 0)
}

async fn initialize(req: HttpRequest, data: Data, body: web::Bytes) -> HttpResponse {
    let mut st = match enter(&data, &req) {
        Ok(st) => st,
        Err(refused) => return refused,
    };
    let Ok(input) = serde_json::from_slice::<Value>(&body) else {
        return refuse("Invalid JSON body");
    };
    let email = input["email"].as_str().unwrap_or_default();
    if !email.contains('@') {
        return refuse("Invalid Email Address Passed");
    }
    let Some(amount) = amount_of(input.get("amount")) else {
        return refuse("Invalid Amount Sent");
    };
    let id = st.new_id();
    let reference = match input["reference"].as_str() {
        Some(r) if !r.is_empty() => r.to_string(),
        _ => format!("T{id}"),
    };
    if st.transactions.contains_key(&reference) {
        return refuse("Duplicate Transaction Reference");
    }
    let access_code = format!("ac{}", uuid::Uuid::new_v4().simple());
    let authorization_url = format!("{}/checkout/{access_code}", st.url);
    let currency = input["currency"].as_str().unwrap_or("NGN").to_uppercase();
    st.transactions.insert(
        reference.clone(),
        json!({
            "id": id, "domain": "test", "status": "abandoned", "reference": reference,
            "amount": amount, "message": null,
            "gateway_response": "The transaction was not completed", "paid_at": null,
            "created_at": jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%S.000Z").to_string(),
            "channel": "card", "currency": currency, "metadata": input["metadata"],
            "customer": { "email": email },
            "callback_url": input["callback_url"],
        }),
    );
    st.access_codes
        .insert(access_code.clone(), reference.clone());
    reply(
        StatusCode::OK,
        true,
        "Authorization URL created",
        Some(json!({
            "authorization_url": authorization_url, "access_code": access_code,
            "reference": reference,
        })),
    )
}

async fn verify(req: HttpRequest, data: Data, reference: web::Path<String>) -> HttpResponse {
    let st = match enter(&data, &req) {
        Ok(st) => st,
        Err(refused) => return refused,
    };
    match st.transactions.get(reference.as_str()) {
        Some(tx) => reply(
            StatusCode::OK,
            true,
            "Verification successful",
            Some(tx.clone()),
        ),
        None => refuse("Transaction reference not found"),
    }
}

async fn refund(req: HttpRequest, data: Data, body: web::Bytes) -> HttpResponse {
    let mut st = match enter(&data, &req) {
        Ok(st) => st,
        Err(refused) => return refused,
    };
    let Ok(input) = serde_json::from_slice::<Value>(&body) else {
        return refuse("Invalid JSON body");
    };
    // A transaction is named by its id or its reference.
    let wanted = match &input["transaction"] {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return refuse("Transaction reference is required"),
    };
    let Some(tx) = st
        .transactions
        .values()
        .find(|t| {
            t["reference"] == wanted.as_str()
                || matches!((wanted.parse::<i64>(), t["id"].as_i64()), (Ok(a), Some(b)) if a == b)
        })
        .cloned()
    else {
        return refuse("Transaction not found");
    };
    if tx["status"] != "success" {
        return refuse("Transaction has not been paid");
    }
    let refunded: i64 = st
        .refunds
        .iter()
        .filter(|r| r["transaction"]["id"] == tx["id"])
        .filter_map(|r| r["amount"].as_i64())
        .sum();
    let left = tx["amount"].as_i64().unwrap_or(0) - refunded;
    let amount = match input.get("amount") {
        None | Some(Value::Null) => left,
        given => match amount_of(given) {
            Some(a) => a,
            None => return refuse("Invalid amount"),
        },
    };
    if amount > left || left == 0 {
        return refuse("Refund amount cannot be more than the unrefunded transaction amount");
    }
    let refund = json!({
        "id": st.new_id(), "transaction": { "id": tx["id"], "reference": tx["reference"] },
        "amount": amount, "currency": tx["currency"], "status": "pending",
        "refunded_by": "fake@paystack", "deducted_amount": 0,
    });
    st.refunds.push(refund.clone());
    reply(
        StatusCode::OK,
        true,
        "Refund has been queued for processing",
        Some(refund),
    )
}

async fn checkout_form(data: Data, code: web::Path<String>) -> HttpResponse {
    let st = data.lock().unwrap();
    let tx = st
        .access_codes
        .get(code.as_str())
        .and_then(|r| st.transactions.get(r));
    match tx {
        Some(tx) => pay_page(
            "Pay with FakePaystack",
            &format!("/checkout/{code}"),
            tx["amount"].as_i64().unwrap_or(0),
            tx["currency"].as_str().unwrap_or_default(),
        ),
        None => HttpResponse::NotFound().body("no such checkout"),
    }
}

/// The customer pressed "Pay": the transaction succeeds, `charge.success`
/// goes to the webhook target (a failed delivery is recorded, not shown),
/// and the browser returns to the callback URL with the reference.
async fn checkout_pay(data: Data, code: web::Path<String>) -> HttpResponse {
    let (event, target, callback) = {
        let mut st = data.lock().unwrap();
        let Some(reference) = st.access_codes.get(code.as_str()).cloned() else {
            return HttpResponse::NotFound().body("no such checkout");
        };
        let first = st.transactions[&reference]["status"] != "success";
        if first {
            st.complete(&reference, true);
        }
        let event = first.then(|| st.event("charge.success", &reference));
        let callback = st.transactions[&reference]["callback_url"]
            .as_str()
            .filter(|u| !u.is_empty())
            .and_then(|u| reqwest::Url::parse(u).ok())
            .map(|mut url| {
                url.query_pairs_mut()
                    .append_pair("trxref", &reference)
                    .append_pair("reference", &reference);
                url.to_string()
            });
        (event, st.webhook_target.clone(), callback)
    };
    if let (Some((body, signature)), Some(target)) = (event, target) {
        let delivery = deliver(
            &target,
            "charge.success",
            ("x-paystack-signature", &signature),
            body,
        )
        .await;
        data.lock().unwrap().deliveries.push(delivery);
    }
    match callback {
        Some(url) => HttpResponse::Found()
            .insert_header(("Location", url))
            .finish(),
        None => HttpResponse::Ok()
            .content_type("text/html")
            .body("<p>Payment complete.</p>"),
    }
}
