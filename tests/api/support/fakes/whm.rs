//! `FakeWhm`: WHM's JSON API v1 (`/json-api/<function>`, parameters with
//! `api.version=1` in the query string or, as WHM also takes them, in a
//! form-encoded POST body) behind `Authorization: whm <user>:<token>`,
//! keeping accounts and recording every call, so tests can check what till
//! asked for and how.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex, MutexGuard},
};

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};

use super::FakeServer;

/// One account on the fake server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub domain: String,
    pub plan: String,
    pub password: String,
    pub suspended: Option<String>,
}

/// One call: the function, its parameters (query and body together), and
/// how they came.
#[derive(Debug, Clone)]
pub struct Call {
    pub function: String,
    pub params: BTreeMap<String, String>,
    pub method: String,
    /// The raw query string (what would reach an access log).
    pub query: String,
    /// The raw body.
    pub body: String,
}

#[derive(Default)]
struct State {
    auth: String,
    accounts: BTreeMap<String, Account>,
    calls: Vec<Call>,
    refused_auth: usize,
}

pub struct FakeWhm {
    pub url: String,
    pub port: u16,
    state: Arc<Mutex<State>>,
    _server: FakeServer,
}

impl FakeWhm {
    pub fn start(user: &str, token: &str) -> FakeWhm {
        let (listener, url) = super::listener();
        Self::start_on(listener, url, user, token)
    }

    /// Serve on a listener the test chose (e.g. a port that was closed before).
    pub fn start_on(
        listener: std::net::TcpListener,
        url: String,
        user: &str,
        token: &str,
    ) -> FakeWhm {
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State {
            auth: format!("whm {user}:{token}"),
            ..State::default()
        }));
        let data = web::Data::from(state.clone());
        let server = FakeServer::spawn(listener, move |cfg| {
            cfg.app_data(data.clone())
                .route("/json-api/{function}", web::get().to(call))
                .route("/json-api/{function}", web::post().to(call));
        });
        FakeWhm {
            url,
            port,
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

    pub fn functions(&self) -> Vec<String> {
        self.calls().into_iter().map(|c| c.function).collect()
    }

    pub fn account(&self, user: &str) -> Option<Account> {
        self.lock().accounts.get(user).cloned()
    }

    pub fn refused_auth(&self) -> usize {
        self.lock().refused_auth
    }
}

fn answer(ok: bool, reason: &str, data: Value) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "metadata": { "result": if ok { 1 } else { 0 }, "reason": reason, "version": 1 },
        "data": data,
    }))
}

async fn call(
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<BTreeMap<String, String>>,
    body: web::Bytes,
    state: web::Data<Mutex<State>>,
) -> HttpResponse {
    let function = path.into_inner();
    let mut params = query.into_inner();
    let body = String::from_utf8_lossy(&body).into_owned();
    if req.method() == actix_web::http::Method::POST {
        // Form decoding as a URL's query (reqwest re-exports `url`).
        let parsed = reqwest::Url::parse(&format!("http://form.invalid/?{body}")).unwrap();
        params.extend(parsed.query_pairs().into_owned());
    }
    let mut st = state.lock().unwrap();
    let auth = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if auth != st.auth {
        st.refused_auth += 1;
        return HttpResponse::Forbidden().body("Access denied");
    }
    if params.get("api.version").map(String::as_str) != Some("1") {
        return answer(false, "api.version=1 is required", Value::Null);
    }
    st.calls.push(Call {
        function: function.clone(),
        params: params.clone(),
        method: req.method().to_string(),
        query: req.query_string().to_string(),
        body,
    });
    let p = |k: &str| params.get(k).cloned().unwrap_or_default();
    let user = p("user");
    match function.as_str() {
        "version" => answer(true, "OK", json!({"version": "11.120.0.1"})),
        "createacct" => {
            let username = p("username");
            if st.accounts.contains_key(&username) {
                return answer(
                    false,
                    &format!("Sorry, a user named {username} already exists."),
                    Value::Null,
                );
            }
            st.accounts.insert(
                username,
                Account {
                    domain: p("domain"),
                    plan: p("plan"),
                    password: p("password"),
                    suspended: None,
                },
            );
            answer(
                true,
                "Account Creation Ok",
                json!({"nameserver": "ns1.example.net"}),
            )
        }
        "suspendacct" | "unsuspendacct" | "changepackage" | "passwd" | "create_user_session" => {
            let reason = p("reason");
            let Some(acct) = st.accounts.get_mut(&user) else {
                return answer(
                    false,
                    &format!("The user {user} does not exist."),
                    Value::Null,
                );
            };
            match function.as_str() {
                "suspendacct" => acct.suspended = Some(reason),
                "unsuspendacct" => acct.suspended = None,
                "changepackage" => acct.plan = p("pkg"),
                "passwd" => acct.password = p("password"),
                _ => {
                    return answer(
                        true,
                        "OK",
                        json!({
                            "url": format!("https://host.example.net:2083/cpsess0001/login/?session={user}:sso"),
                            "service": p("service"),
                        }),
                    );
                }
            }
            answer(true, "OK", Value::Null)
        }
        "removeacct" => {
            let username = p("username");
            if st.accounts.remove(&username).is_none() {
                return answer(
                    false,
                    &format!("The user {username} does not exist."),
                    Value::Null,
                );
            }
            answer(true, "OK", Value::Null)
        }
        _ => answer(false, "Unknown function", Value::Null),
    }
}
