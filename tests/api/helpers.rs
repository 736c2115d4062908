//! `TestApp::spawn()`: the real `AppState` on a temporary database, served
//! on a port-0 listener in its own thread, with a settable clock and a
//! recording mail transport. Every integration test starts here.

use std::{
    net::{SocketAddr, TcpListener},
    path::PathBuf,
    sync::Arc,
    thread::JoinHandle,
};

use jiff::Timestamp;
use tempfile::TempDir;
use till::{
    clock::{Clock, SettableClock},
    config::Config,
    db::{self, lock::DataDirLock, open::BackupPolicy},
    integrations::mail::{Mailer, Recorder},
    service::bootstrap::{self, FirstAdminInput},
    {app, state::AppState},
};
use tokio::sync::oneshot;

pub const ADMIN_EMAIL: &str = "admin@till.test";
pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";

/// The instant every test app's clock starts at.
pub fn start_time() -> Timestamp {
    "2026-01-15T10:00:00Z".parse().unwrap()
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub state: AppState,
    pub clock: SettableClock,
    /// Every email the app sent.
    #[allow(dead_code)]
    pub mail: Recorder,
    pub http: reqwest::Client,
    pub dir: TempDir,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<std::io::Result<()>>>,
    _lock: DataDirLock,
}

pub struct TestAppBuilder {
    config: Config,
    real_mailer: bool,
}

impl TestApp {
    pub fn spawn() -> TestApp {
        Self::builder().spawn()
    }

    pub fn builder() -> TestAppBuilder {
        let mut config = Config::default();
        config.company.name = "Test Hosting Ltd".into();
        config.http.workers = 2;
        config.http.shutdown_timeout_secs = 10;
        // Tests run the billing jobs themselves at the instants they choose;
        // the scheduler running them too on its tick would race them.
        config.jobs.billing = false;
        config.database.read_pool_size = 4;
        // The fakes of panels and webhook receivers listen on loopback,
        // which till refuses to call unless told (a test of that refusal
        // clears this).
        config.http.allow_private_targets = vec!["127.0.0.1".into()];
        // Never the real VIES: a port nothing listens on, so an EU VAT id
        // is "VIES unavailable" unless a test points this at its fake.
        config.vies.url = "http://127.0.0.1:9/vies-is-not-set-up-in-this-test".into();
        config.vies.timeout_secs = 2;
        TestAppBuilder {
            config,
            real_mailer: false,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    pub fn data_dir(&self) -> PathBuf {
        self.state.config.data_dir.clone()
    }

    /// Ask the server to stop, as SIGTERM would.
    pub fn begin_shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// Wait until the server and its jobs have stopped.
    pub fn wait_stopped(&mut self) -> std::io::Result<()> {
        match self.server.take() {
            Some(handle) => handle.join().expect("server thread panicked"),
            None => Ok(()),
        }
    }
}

impl TestAppBuilder {
    pub fn config(mut self, change: impl FnOnce(&mut Config)) -> Self {
        change(&mut self.config);
        self
    }

    /// Send email through the transport the config names (SMTP or files)
    /// instead of recording it.
    pub fn real_mailer(mut self) -> Self {
        self.real_mailer = true;
        self
    }

    pub fn spawn(self) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let mut config = self.config;
        config.data_dir = dir.path().join("data");
        std::fs::create_dir_all(&config.data_dir).unwrap();
        let lock = DataDirLock::acquire(&config.lock_path()).unwrap();

        let clock = SettableClock::new(start_time());
        let policy = BackupPolicy {
            dir: config.backups_dir(),
            keep: config.database.keep_migration_backups,
        };
        let (db, _report) = db::open(
            &config.database_path(),
            &config.database,
            &policy,
            start_time(),
        )
        .unwrap();
        bootstrap::ensure_first_admin(
            &db,
            start_time(),
            FirstAdminInput {
                email: Some(ADMIN_EMAIL.into()),
                password: Some(ADMIN_PASSWORD.into()),
            },
        )
        .unwrap();
        let (recorder_mailer, mail) = Mailer::recording();
        let mailer = if self.real_mailer {
            Mailer::from_config(&config.mail, config.outbox_dir()).unwrap()
        } else {
            recorder_mailer
        };
        let state = AppState::build(config, db, Arc::new(clock.clone()), mailer).unwrap();

        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let server_state = state.clone();
        let server = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(app::serve(server_state, listener, async {
                let _ = rx.await;
            }))
        });

        TestApp {
            addr,
            state,
            clock,
            mail,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            dir,
            shutdown: Some(tx),
            server: Some(server),
            _lock: lock,
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.begin_shutdown();
        let _ = self.wait_stopped();
    }
}

/// The JSON body of a response, asserting its status first.
pub async fn json_with_status(res: reqwest::Response, status: u16) -> serde_json::Value {
    let actual = res.status().as_u16();
    let text = res.text().await.unwrap();
    assert_eq!(actual, status, "unexpected status; body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The `till` binary built for these tests.
pub fn till_bin() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_till"));
    // Only what a test sets may reach the process.
    for (key, _) in std::env::vars() {
        if key.starts_with("TILL_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("TILL_LOG__LEVEL", "warn");
    cmd
}

/// A customer with a client account, logged in through the API.
#[allow(dead_code)]
pub struct Customer {
    pub email: String,
    pub password: String,
    pub user_id: i64,
    pub client_id: i64,
    pub access: String,
    pub refresh: String,
}

#[allow(dead_code)]
impl TestApp {
    /// Run the mail job now and answer everything sent so far.
    /// (The background worker may be sending some right now: wait until
    /// nothing is pending.)
    pub async fn deliver_mail(&self) -> Vec<till::integrations::mail::RecordedEmail> {
        for _ in 0..250 {
            till::jobs::mail_outbox::run(self.state.clone(), self.clock.now())
                .await
                .unwrap();
            let pending: i64 = self
                .state
                .db
                .read(|c| {
                    Ok(c.query_row(
                        "SELECT COUNT(*) FROM email_outbox WHERE status = 'pending'",
                        [],
                        |r| r.get(0),
                    )?)
                })
                .unwrap();
            if pending == 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        self.mail.sent()
    }

    /// Let the module worker finish what is due now: the app's own worker
    /// is woken whenever a task is queued, so run it here too and wait
    /// until no task is due or in flight.
    pub async fn settle_module_tasks(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            till::jobs::module_tasks::run(self.state.clone(), self.clock.now())
                .await
                .unwrap();
            let now = till::domain::time::stamp(self.clock.now());
            let busy: i64 = self
                .state
                .db
                .read(move |c| {
                    Ok(c.query_row(
                        "SELECT COUNT(*) FROM module_tasks WHERE status = 'running'
                            OR (status = 'queued' AND run_after <= ?1)",
                        [now],
                        |r| r.get(0),
                    )?)
                })
                .unwrap();
            if busy == 0 {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "tasks never settled");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// The first link in the latest email to `to` whose URL contains `path`
    /// (read from the outbox's text part; the email is also delivered).
    pub async fn link_in_mail(&self, to: &str, path: &str) -> String {
        self.deliver_mail().await;
        let (to_owned, needle) = (to.to_string(), path.to_string());
        let text: String = self
            .state
            .db
            .read(move |c| {
                Ok(c.query_row(
                    "SELECT text_body FROM email_outbox
                     WHERE to_address = ?1 AND instr(text_body, ?2) > 0 ORDER BY id DESC LIMIT 1",
                    rusqlite::params![to_owned, needle],
                    |r| r.get(0),
                )?)
            })
            .unwrap_or_else(|e| panic!("no email to {to} with {path}: {e}"));
        let start = text
            .find(&format!("{}{path}", self.state.config.base_url()))
            .unwrap();
        text[start..].split_whitespace().next().unwrap().to_string()
    }

    /// The token query parameter of the link in the latest email to `to`.
    pub async fn token_in_mail(&self, to: &str, path: &str) -> String {
        let link = self.link_in_mail(to, path).await;
        link.split("token=").nth(1).unwrap().to_string()
    }

    pub async fn post_json(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get_auth(&self, path: &str, token: &str) -> reqwest::Response {
        self.http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// Sign up through the API, verify the email, and log in.
    pub async fn customer(&self, email: &str) -> Customer {
        let password = "correct horse battery staple".to_string();
        let res = self
            .post_json(
                "/api/v1/auth/signup",
                serde_json::json!({
                    "email": email, "password": password, "first_name": "Ama", "last_name": "Mensah",
                    "country": "GH", "city": "Accra", "address1": "1 Ring Road", "postcode": "00233",
                    "phone": "+233550507788"
                }),
            )
            .await;
        assert_eq!(res.status(), 202, "{}", res.text().await.unwrap());
        let token = self.token_in_mail(email, "/verify-email").await;
        let res = self
            .post_json(
                "/api/v1/auth/email/verify",
                serde_json::json!({ "token": token }),
            )
            .await;
        assert_eq!(res.status(), 200);
        self.login(email, &password).await
    }

    /// Log in through the API (no 2FA).
    pub async fn login(&self, email: &str, password: &str) -> Customer {
        let res = self
            .post_json(
                "/api/v1/auth/login",
                serde_json::json!({ "email": email, "password": password, "device_name": "tests" }),
            )
            .await;
        let body = json_with_status(res, 200).await;
        Customer {
            email: email.to_string(),
            password: password.to_string(),
            user_id: body["user"]["id"].as_i64().unwrap(),
            client_id: body["clients"][0]["id"].as_i64().unwrap_or(0),
            access: body["access_token"].as_str().unwrap().to_string(),
            refresh: body["refresh_token"].as_str().unwrap().to_string(),
        }
    }

    /// Place an order for the customer's client through the API; answers
    /// the 201 body (order, invoice, pending services).
    pub async fn place_order(
        &self,
        c: &Customer,
        idempotency_key: &str,
        body: serde_json::Value,
    ) -> serde_json::Value {
        let res = self
            .http
            .post(self.url(&format!("/api/v1/clients/{}/orders", c.client_id)))
            .bearer_auth(&c.access)
            .header("Idempotency-Key", idempotency_key)
            .json(&body)
            .send()
            .await
            .unwrap();
        json_with_status(res, 201).await
    }

    /// Staff record a payment on an invoice (`POST /invoices/{id}/pay`).
    pub async fn staff_pay(
        &self,
        staff_key: &str,
        invoice: i64,
        amount: &str,
        transaction_id: &str,
    ) -> reqwest::Response {
        self.http
            .post(self.url(&format!("/api/v1/invoices/{invoice}/pay")))
            .bearer_auth(staff_key)
            .json(&serde_json::json!({
                "amount": amount, "gateway": "bank_transfer", "transaction_id": transaction_id
            }))
            .send()
            .await
            .unwrap()
    }

    /// A staff API key of the first admin with these scopes.
    pub fn staff_key(&self, scopes: &[&str]) -> String {
        let scopes = till::service::api_keys::parse_scopes(
            &scopes.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
        .unwrap();
        till::service::api_keys::create(
            &self.state.db,
            till::service::audit::Actor::System,
            1,
            till::service::api_keys::NewKey {
                name: "tests".into(),
                scopes,
                expires_in_days: None,
            },
            &Default::default(),
            self.clock.now(),
        )
        .unwrap()
        .key
    }
}

/// The password contacts choose when they accept an invitation in tests.
#[allow(dead_code)]
pub const CONTACT_PASSWORD: &str = "contact passphrase 1";

#[allow(dead_code)]
impl TestApp {
    /// The token of the latest invitation emailed to `email`.
    pub async fn invitation_token(&self, email: &str) -> String {
        self.token_in_mail(email, "/invitation").await
    }

    /// Accept the latest invitation emailed to `email` by choosing
    /// `password` (an address without a login).
    pub async fn accept_invitation(&self, email: &str, password: &str) {
        let token = self.invitation_token(email).await;
        let res = self
            .post_json(
                "/api/v1/invitations/accept",
                serde_json::json!({ "token": token, "password": password }),
            )
            .await;
        json_with_status(res, 200).await;
    }

    /// Accept the latest invitation emailed to a user who has a login, as
    /// that user.
    pub async fn accept_invitation_as(&self, who: &Customer) {
        let token = self.invitation_token(&who.email).await;
        let res = self
            .http
            .post(self.url("/api/v1/invitations/accept"))
            .bearer_auth(&who.access)
            .json(&serde_json::json!({ "token": token }))
            .send()
            .await
            .unwrap();
        json_with_status(res, 200).await;
    }

    /// Invite `email` to `owner`'s client with `privileges` (reference
    /// 001's grouped shape), accept with `CONTACT_PASSWORD` and log in:
    /// answers the contact's id and login (working on the owner's client).
    pub async fn add_contact(
        &self,
        owner: &Customer,
        email: &str,
        privileges: serde_json::Value,
    ) -> (i64, Customer) {
        let res = self
            .http
            .post(self.url(&format!("/api/v1/clients/{}/contacts", owner.client_id)))
            .bearer_auth(&owner.access)
            .json(&serde_json::json!({
                "email": email, "first_name": "Kofi", "last_name": "Boateng", "privileges": privileges
            }))
            .send()
            .await
            .unwrap();
        json_with_status(res, 201).await;
        self.accept_invitation(email, CONTACT_PASSWORD).await;
        let list = json_with_status(
            self.get_auth(
                &format!("/api/v1/clients/{}/contacts", owner.client_id),
                &owner.access,
            )
            .await,
            200,
        )
        .await;
        let id = list["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["email"] == email)
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let mut contact = self.login(email, CONTACT_PASSWORD).await;
        contact.client_id = owner.client_id;
        (id, contact)
    }
}
