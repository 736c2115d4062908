//! `FakeLogicBoxes`: the LogicBoxes HTTP API (`/api/<area>/<call>.json`,
//! parameters in the query string or a form body, `auth-userid` and
//! `api-key` among them), keeping customers, contacts, domain orders and
//! their DNS in memory and recording every call, so tests can check what
//! till sent and how. Errors come the platform's way: HTTP 500 with
//! `{"status": "ERROR", "message": ...}`.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex, MutexGuard},
};

use actix_web::{HttpRequest, HttpResponse, web};
use jiff::{Span, Timestamp, tz::TimeZone};
use serde_json::{Value, json};

use super::FakeServer;

/// One call as it arrived.
#[derive(Debug, Clone)]
pub struct Call {
    pub path: String,
    pub method: String,
    /// Query and body parameters together, repeated names kept.
    pub params: Vec<(String, String)>,
    /// The raw query string (what would reach an access log).
    pub query: String,
}

impl Call {
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.params
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: u64,
    pub customer: u64,
    pub endtime: i64,
    pub ns: Vec<String>,
    pub child_hosts: Vec<(String, Vec<String>)>,
    pub theft_lock: bool,
    pub privacy: bool,
    pub secret: String,
    pub contact: String,
    pub status: String,
}

#[derive(Default)]
struct State {
    userid: String,
    key: String,
    outage: bool,
    next: u64,
    customers: BTreeMap<String, u64>,
    contacts: BTreeMap<u64, BTreeMap<String, String>>,
    orders: BTreeMap<String, Order>,
    /// Names at other registrars, with their auth codes.
    elsewhere: BTreeMap<String, String>,
    dns: BTreeMap<String, Vec<HostedRecord>>,
    calls: Vec<Call>,
}

/// A record of a zone LogicBoxes hosts: (type, host, value, ttl, priority).
type HostedRecord = (String, String, String, String, String);

pub struct FakeLogicBoxes {
    /// The API base, as till's config takes it (`.../api/`).
    pub url: String,
    state: Arc<Mutex<State>>,
    _server: FakeServer,
}

impl FakeLogicBoxes {
    pub fn start(userid: &str, key: &str) -> FakeLogicBoxes {
        let state = Arc::new(Mutex::new(State {
            userid: userid.to_string(),
            key: key.to_string(),
            next: 1000,
            ..State::default()
        }));
        let data = web::Data::from(state.clone());
        let (listener, url) = super::listener();
        let server = FakeServer::spawn(listener, move |cfg| {
            cfg.app_data(data.clone())
                .route("/api/{call:.*}", web::get().to(call))
                .route("/api/{call:.*}", web::post().to(call));
        });
        FakeLogicBoxes {
            url: format!("{url}/api/"),
            state,
            _server: server,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    pub fn calls(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    pub fn calls_to(&self, path: &str) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| c.path == path)
            .collect()
    }

    pub fn order(&self, name: &str) -> Option<Order> {
        self.lock().orders.get(name).cloned()
    }

    pub fn contact(&self, id: &str) -> Option<BTreeMap<String, String>> {
        self.lock().contacts.get(&id.parse().ok()?).cloned()
    }

    /// A name registered at another registrar, movable with `auth`.
    pub fn add_elsewhere(&self, name: &str, auth: &str) {
        self.lock()
            .elsewhere
            .insert(name.to_string(), auth.to_string());
    }

    /// An order of ours that already exists, expiring at `endtime`.
    pub fn add_order(&self, name: &str, endtime: &str) {
        let mut s = self.lock();
        s.next += 1;
        let id = s.next;
        let order = Order {
            id,
            customer: 1,
            endtime: endtime.parse::<Timestamp>().unwrap().as_second(),
            ns: vec!["ns1.host.example".into()],
            child_hosts: Vec::new(),
            theft_lock: false,
            privacy: false,
            secret: format!("Sec<{id}>&"),
            contact: "1".into(),
            status: "Active".into(),
        };
        s.orders.insert(name.to_string(), order);
    }

    /// Answer every call with a 503, as the platform does in maintenance.
    pub fn set_outage(&self, on: bool) {
        self.lock().outage = on;
    }
}

fn error(message: &str) -> HttpResponse {
    HttpResponse::InternalServerError().json(json!({"status": "ERROR", "message": message}))
}

fn action(desc: &str, entity: u64) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "actiontypedesc": desc, "entityid": entity.to_string(), "actionstatus": "Success",
        "status": "Success", "eaqid": "9001", "description": desc,
        "actionstatusdesc": format!("{desc} completed successfully"),
    }))
}

fn plus_years(secs: i64, years: i64) -> i64 {
    Timestamp::from_second(secs)
        .unwrap()
        .to_zoned(TimeZone::UTC)
        .checked_add(Span::new().years(years))
        .unwrap()
        .timestamp()
        .as_second()
}

async fn call(
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
    state: web::Data<Mutex<State>>,
) -> HttpResponse {
    let path = path.into_inner();
    let query = req.query_string().to_string();
    let mut params: Vec<(String, String)> =
        reqwest::Url::parse(&format!("http://q.invalid/?{query}"))
            .unwrap()
            .query_pairs()
            .into_owned()
            .collect();
    if req.method() == actix_web::http::Method::POST {
        let body = String::from_utf8_lossy(&body);
        let form = reqwest::Url::parse(&format!("http://form.invalid/?{body}")).unwrap();
        params.extend(form.query_pairs().into_owned());
    }
    let mut st = state.lock().unwrap();
    let c = Call {
        path: path.clone(),
        method: req.method().to_string(),
        params,
        query,
    };
    st.calls.push(c.clone());
    if st.outage {
        return HttpResponse::ServiceUnavailable().body("<html>Down for maintenance</html>");
    }
    if c.param("auth-userid") != Some(st.userid.as_str())
        || c.param("api-key") != Some(st.key.as_str())
    {
        return error("Invalid auth-userid or api-key");
    }
    let p = |k: &str| c.param(k).unwrap_or_default().to_string();
    let by_id = |st: &State, id: &str| -> Option<String> {
        st.orders
            .iter()
            .find(|(_, o)| o.id.to_string() == id)
            .map(|(n, _)| n.clone())
    };
    match path.as_str() {
        "domains/available.json" => {
            let name = format!("{}.{}", p("domain-name"), p("tlds"));
            let status = if st.orders.contains_key(&name) {
                "regthroughus"
            } else if st.elsewhere.contains_key(&name) {
                "regthroughothers"
            } else {
                "available"
            };
            HttpResponse::Ok().json(json!({ name: {"classkey": "domcno", "status": status} }))
        }
        "customers/details.json" => match st.customers.get(&p("username")) {
            Some(id) => HttpResponse::Ok()
                .json(json!({"customerid": id.to_string(), "username": p("username")})),
            None => error(&format!("Customer {} not found", p("username"))),
        },
        "customers/add.json" => {
            if c.param("passwd").is_none_or(|pw| pw.len() < 9) {
                return error("passwd is invalid");
            }
            st.next += 1;
            let id = st.next;
            st.customers.insert(p("username"), id);
            HttpResponse::Ok().json(id)
        }
        "contacts/add.json" => {
            let known = st
                .customers
                .values()
                .any(|id| id.to_string() == p("customer-id"));
            if !known {
                return error("Invalid customer-id");
            }
            // Contact attributes come in numbered pairs (`attr-name1`
            // with `attr-value1`, ...), as the real API wants them.
            let pairs = (1..=20).all(|i| {
                c.param(&format!("attr-name{i}")).is_some()
                    == c.param(&format!("attr-value{i}")).is_some()
            });
            if !pairs {
                return error("attr-nameN and attr-valueN go together");
            }
            st.next += 1;
            let id = st.next;
            st.contacts.insert(id, c.params.iter().cloned().collect());
            HttpResponse::Ok().json(id)
        }
        "domains/register.json" => {
            let name = p("domain-name");
            if st.orders.contains_key(&name) || st.elsewhere.contains_key(&name) {
                return error(&format!("{name} is already registered"));
            }
            if c.all("ns").is_empty() {
                return error("ns is required");
            }
            if p("invoice-option").is_empty() || p("years").parse::<i64>().is_err() {
                return error("invoice-option and years are required");
            }
            st.next += 1;
            let id = st.next;
            let order = Order {
                id,
                customer: p("customer-id").parse().unwrap_or(0),
                endtime: plus_years(Timestamp::now().as_second(), p("years").parse().unwrap()),
                ns: c.all("ns").into_iter().map(str::to_string).collect(),
                child_hosts: Vec::new(),
                theft_lock: false,
                privacy: p("protect-privacy") == "true",
                secret: format!("Sec<{id}>&"),
                contact: p("reg-contact-id"),
                status: "Active".into(),
            };
            st.orders.insert(name.clone(), order);
            action(
                &format!("Registration of {name} for {} years", p("years")),
                id,
            )
        }
        "domains/transfer.json" => {
            let name = p("domain-name");
            let Some(auth) = st.elsewhere.get(&name).cloned() else {
                return error(&format!("{name} is not registered elsewhere"));
            };
            if p("auth-code") != auth {
                return error("Invalid Domain Secret (auth code)");
            }
            st.next += 1;
            let id = st.next;
            let order = Order {
                id,
                customer: p("customer-id").parse().unwrap_or(0),
                endtime: 0,
                ns: c.all("ns").into_iter().map(str::to_string).collect(),
                child_hosts: Vec::new(),
                theft_lock: false,
                privacy: false,
                secret: auth,
                contact: p("reg-contact-id"),
                status: "Pending Transfer".into(),
            };
            st.orders.insert(name.clone(), order);
            action(&format!("Transfer of {name}"), id)
        }
        "domains/details-by-name.json" | "domains/details.json" => {
            let name = if path == "domains/details.json" {
                by_id(&st, &p("order-id"))
            } else {
                Some(p("domain-name")).filter(|n| st.orders.contains_key(n))
            };
            let Some(name) = name else {
                return error("Website doesn't exist");
            };
            let o = &st.orders[&name];
            let mut v = json!({
                "orderid": o.id.to_string(), "domainname": name, "customerid": o.customer.to_string(),
                "endtime": o.endtime.to_string(), "currentstatus": o.status,
                "orderstatus": if o.theft_lock { vec!["transferlock"] } else { vec![] },
                "domainstatus": [], "isprivacyprotected": o.privacy.to_string(),
                "noOfNameServers": o.ns.len().to_string(), "registrantcontactid": o.contact,
            });
            for (i, ns) in o.ns.iter().enumerate() {
                v[format!("ns{}", i + 1)] = Value::from(ns.clone());
            }
            // The secret is in the order details, not in the lookup by name.
            if path == "domains/details.json" {
                v["domsecret"] = Value::from(o.secret.clone());
            }
            HttpResponse::Ok().json(v)
        }
        "domains/delete.json" => {
            let Some(name) = by_id(&st, &p("order-id")) else {
                return error("Invalid order-id");
            };
            let o = st.orders.get_mut(&name).unwrap();
            o.status = "Deleted".into();
            let id = o.id;
            action(&format!("Deletion of {name}"), id)
        }
        "domains/renew.json" => {
            let Some(name) = by_id(&st, &p("order-id")) else {
                return error("Invalid order-id");
            };
            let o = st.orders.get_mut(&name).unwrap();
            if p("exp-date") != o.endtime.to_string() {
                return error("exp-date does not match the current expiry");
            }
            o.endtime = plus_years(o.endtime, p("years").parse().unwrap_or(1));
            let id = o.id;
            action(&format!("Renewal of {name}"), id)
        }
        "domains/modify-ns.json"
        | "domains/add-cns.json"
        | "domains/enable-theft-protection.json"
        | "domains/disable-theft-protection.json"
        | "domains/modify-privacy-protection.json"
        | "domains/modify-contact.json" => {
            let Some(name) = by_id(&st, &p("order-id")) else {
                return error("Invalid order-id");
            };
            let o = st.orders.get_mut(&name).unwrap();
            match path.as_str() {
                "domains/modify-ns.json" => {
                    o.ns = c.all("ns").into_iter().map(str::to_string).collect()
                }
                "domains/add-cns.json" => o.child_hosts.push((
                    p("cns"),
                    c.all("ip").into_iter().map(str::to_string).collect(),
                )),
                "domains/enable-theft-protection.json" => o.theft_lock = true,
                "domains/disable-theft-protection.json" => o.theft_lock = false,
                "domains/modify-privacy-protection.json" => {
                    o.privacy = p("protect-privacy") == "true"
                }
                _ => o.contact = p("reg-contact-id"),
            }
            let id = o.id;
            action(&format!("Modification of {name}"), id)
        }
        "dns/manage/search-records.json" => {
            let records = st.dns.get(&p("domain-name")).cloned().unwrap_or_default();
            let mut v = json!({});
            let mut n = 0;
            for (kind, host, value, ttl, priority) in records.iter().filter(|r| r.0 == p("type")) {
                n += 1;
                v[n.to_string()] = json!({"type": kind, "host": host, "value": value, "timetolive": ttl, "status": "Active"});
                if !priority.is_empty() {
                    v[n.to_string()]["priority"] = Value::from(priority.clone());
                }
            }
            v["recsonpage"] = Value::from(n.to_string());
            v["recsindb"] = Value::from(n.to_string());
            HttpResponse::Ok().json(v)
        }
        dns if dns.starts_with("dns/manage/add-") || dns.starts_with("dns/manage/delete-") => {
            let kind = match dns.split('-').nth(1).unwrap_or_default() {
                "ipv4" => "A",
                "ipv6" => "AAAA",
                "cname" => "CNAME",
                "mx" => "MX",
                "txt" => "TXT",
                "ns" => "NS",
                _ => return error("Unknown record type"),
            };
            let record = (
                kind.to_string(),
                p("host"),
                p("value"),
                p("ttl"),
                p("priority"),
            );
            let zone = st.dns.entry(p("domain-name")).or_default();
            if dns.starts_with("dns/manage/add-") {
                zone.push(record);
            } else {
                zone.retain(|r| !(r.0 == record.0 && r.1 == record.1 && r.2 == record.2));
            }
            HttpResponse::Ok().json(json!({"status": "Success", "msg": "Record updated"}))
        }
        _ => error("Unknown API call"),
    }
}
