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
    app::{self, AppState},
    clock::SettableClock,
    config::Config,
    db::{self, lock::DataDirLock, open::BackupPolicy},
    integrations::mail::{Mailer, Recorder},
    service::bootstrap::{self, FirstAdminInput},
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
        config.database.read_pool_size = 4;
        TestAppBuilder { config }
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
        let (mailer, mail) = Mailer::recording();
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
