//! `TestApp::spawn()`: the real `AppState` on a temporary database, served
//! on a port-0 listener in its own thread, with a settable clock and a
//! recording mail transport. Every integration test starts here; the
//! other files of `support/` add to `TestApp` what their job needs.

use std::{
    net::{SocketAddr, TcpListener},
    path::PathBuf,
    sync::Arc,
    thread::JoinHandle,
};

use tempfile::TempDir;
use till::{
    clock::SettableClock,
    config::Config,
    db::{self, lock::DataDirLock, open::BackupPolicy},
    integrations::mail::{Mailer, Recorder},
    service::bootstrap::{self, FirstAdminInput},
    {app, state::AppState},
};
use tokio::sync::oneshot;

use super::{
    clock::start_time,
    staff::{ADMIN_EMAIL, ADMIN_PASSWORD},
};

pub struct TestApp {
    pub addr: SocketAddr,
    pub state: AppState,
    pub clock: SettableClock,
    /// Every email the app sent.
    #[allow(dead_code)]
    pub mail: Recorder,
    pub http: reqwest::Client,
    pub dir: TempDir,
    /// The staff key `reads` uses, made on first use.
    pub(super) reader: std::sync::OnceLock<String>,
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
        // Never a real registry: every TLD's RDAP is a port nothing listens
        // on unless a test points it at its fake (or clears it to use the
        // bootstrap for a TLD it knows has no RDAP).
        config.domains.rdap_base_url = "http://127.0.0.1:9/rdap-is-not-set-up-in-this-test/".into();
        config.domains.lookup_timeout_ms = 2000;
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
            reader: std::sync::OnceLock::new(),
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
