//! Order placement through the HTTP API on loopback (issue 4).
//!
//! Starts the real release binary (`till serve`) on a free loopback port with a
//! temporary data directory and the sample catalog, signs up a few customers
//! through the API, then places orders with `POST /api/v1/clients/{client}/orders`:
//!
//! - scenario A: one client, one request at a time;
//! - scenario B: `BENCH_CONCURRENCY` (32) tasks at once, same total.
//!
//! It prints orders/s, p50/p99/max latency, errors, the server's peak RSS
//! (`VmHWM`) after each scenario and the database size at the end.
//!
//! ```sh
//! cargo build --release && cargo bench --bench orders
//! ```
//!
//! Environment: `TILL_BIN` (the binary; default `$CARGO_TARGET_DIR/release/till`
//! or `./target/release/till`), `BENCH_ORDERS` (orders per scenario, 300),
//! `BENCH_CONCURRENCY` (32), `BENCH_CUSTOMERS` (customers in scenario B, 8, at
//! most 10: sign-ups are rate limited per IP), `BENCH_WARMUP` (20). Other
//! `TILL_*` variables reach the server, e.g. `TILL_DATABASE__SYNCHRONOUS=normal`.
//! See bench/README.md.

use std::{
    error::Error,
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, ExitCode, Stdio},
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use serde_json::{Value, json};

type BoxError = Box<dyn Error + Send + Sync>;
type Result<T> = std::result::Result<T, BoxError>;

const ADMIN_EMAIL: &str = "admin@bench.test";
const ADMIN_PASSWORD: &str = "bench-admin-password-0123456789";
const CUSTOMER_PASSWORD: &str = "bench customer password 42";
const ORDER_BODY: &str = r#"{"items":[{"package_id":"vps-2-gb","billing_cycle":"monthly"}]}"#;

fn main() -> ExitCode {
    // `cargo bench` passes `--bench` (and any filter); nothing to parse.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("orders bench: cannot start a tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("orders bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn env_usize(name: &str, default: usize) -> Result<usize> {
    match std::env::var(name) {
        Ok(v) => Ok(v.trim().parse().map_err(|e| format!("{name}={v:?}: {e}"))?),
        Err(_) => Ok(default),
    }
}

/// `TILL_BIN`, else `$CARGO_TARGET_DIR/release/till`, else `./target/release/till`.
fn till_binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("TILL_BIN") {
        return PathBuf::from(bin);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"));
    target.join("release").join("till")
}

async fn run() -> Result<()> {
    let orders = env_usize("BENCH_ORDERS", 300)?.max(1);
    let concurrency = env_usize("BENCH_CONCURRENCY", 32)?.max(1);
    let customers = env_usize("BENCH_CUSTOMERS", 8)?.clamp(1, 10);
    let warmup = env_usize("BENCH_WARMUP", 20)?;

    let bin = till_binary();
    if !bin.is_file() {
        eprintln!(
            "orders bench: no till binary at {}.\n\
             Run `cargo build --release` first (with the same CARGO_TARGET_DIR), \
             or point TILL_BIN at the binary.",
            bin.display()
        );
        std::process::exit(1);
    }

    let data = tempfile::tempdir()?;
    let server = Server::start(&bin, data.path()).await?;
    let base = server.base.clone();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(concurrency + 4)
        .build()?;

    // Customers: sign up, confirm the email (token read from the outbox
    // table through a read-only connection; WAL allows it beside the
    // server), log in.
    let mut accounts = Vec::with_capacity(customers);
    for i in 0..customers {
        accounts.push(customer(&http, &base, &server.db_path, i).await?);
    }
    let accounts = Arc::new(accounts);

    let rss_start = rss(server.pid);
    if warmup > 0 {
        let w = place_orders(&http, &base, &accounts[..1], "warm", warmup, 1).await?;
        if w.errors > 0 {
            return Err(format!(
                "warm-up: {} of {warmup} orders failed: {}",
                w.errors, w.first_error
            )
            .into());
        }
    }

    let a = place_orders(&http, &base, &accounts[..1], "a", orders, 1).await?;
    let rss_a = rss(server.pid);
    let b = place_orders(&http, &base, &accounts, "b", orders, concurrency).await?;
    let rss_b = rss(server.pid);

    let db_bytes = file_size(&server.db_path);
    let wal_bytes = file_size(&server.db_path.with_extension("db-wal"));
    let total_orders = warmup + 2 * orders;
    let db_path = server.db_path.clone();
    server.stop()?;
    let db_after = file_size(&db_path);

    println!();
    println!("till orders bench ({})", bin.display());
    println!("machine: {}", machine());
    let sync = std::env::var("TILL_DATABASE__SYNCHRONOUS").ok();
    println!(
        "server : synchronous = {}, http workers = one per core, log level warn",
        sync.as_deref().map_or("full (default)".into(), |s| format!(
            "{s} (TILL_DATABASE__SYNCHRONOUS)"
        ))
    );
    println!(
        "load   : {warmup} warm-up orders, then {orders} orders per scenario; \
         product vps-2-gb monthly; {} customer(s) in B",
        accounts.len()
    );
    println!();
    println!(
        "{:<26} {:>8} {:>9} {:>9} {:>9} {:>9} {:>7} {:>12}",
        "scenario", "orders", "orders/s", "p50 ms", "p99 ms", "max ms", "errors", "peak RSS"
    );
    let row = |name: &str, r: &Outcome, peak: &Rss| {
        println!(
            "{:<26} {:>8} {:>9.1} {:>9.2} {:>9.2} {:>9.2} {:>7} {:>12}",
            name,
            r.latencies.len(),
            r.latencies.len() as f64 / r.elapsed.as_secs_f64(),
            ms(percentile(&r.latencies, 50.0)),
            ms(percentile(&r.latencies, 99.0)),
            ms(r.latencies.last().copied().unwrap_or_default()),
            r.errors,
            peak.hwm(),
        );
    };
    row("A: 1 client, sequential", &a, &rss_a);
    row(&format!("B: {concurrency} concurrent"), &b, &rss_b);
    println!();
    println!(
        "server RSS: {} after start-up and sign-ups, peak {} (VmHWM), {} at the end",
        rss_start.now(),
        rss_b.hwm(),
        rss_b.now()
    );
    println!(
        "database : till.db {} + WAL {} while running ({} orders); till.db {} after shutdown",
        human(db_bytes),
        human(wal_bytes),
        total_orders,
        human(db_after)
    );
    for (name, r) in [("A", &a), ("B", &b)] {
        if r.errors > 0 {
            println!(
                "scenario {name}: {} errors, first: {}",
                r.errors, r.first_error
            );
        }
    }
    drop(data);
    Ok(())
}

/// The real server as a child process; killed if the bench stops early.
struct Server {
    child: Option<Child>,
    pid: u32,
    base: String,
    db_path: PathBuf,
    log: PathBuf,
}

impl Server {
    async fn start(bin: &Path, data_dir: &Path) -> Result<Server> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let log = data_dir.join("server.log");
        let log_file = std::fs::File::create(&log)?;
        let child = Command::new(bin)
            .arg("serve")
            .arg("--bind")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data-dir")
            .arg(data_dir)
            // Settings that would change what is measured or break the run.
            .env_remove("TILL_CONFIG")
            .env_remove("TILL_SAMPLE_DATA")
            .env_remove("TILL_MAINTENANCE_MODE")
            .env_remove("TILL_MAIL__SMTP_HOST")
            .env("TILL_ADMIN_EMAIL", ADMIN_EMAIL)
            .env("TILL_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("TILL_LOG__LEVEL", "warn")
            .stdin(Stdio::null())
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let mut server = Server {
            pid: child.id(),
            child: Some(child),
            base: format!("http://127.0.0.1:{port}"),
            db_path: data_dir.join("till.db"),
            log,
        };
        server.wait_ready().await?;
        Ok(server)
    }

    async fn wait_ready(&mut self) -> Result<()> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()?;
        let url = format!("{}/api/v1/status", self.base);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(child) = self.child.as_mut()
                && let Some(status) = child.try_wait()?
            {
                return Err(
                    format!("till exited at start-up ({status}):\n{}", self.log_text()).into(),
                );
            }
            if let Ok(res) = http.get(&url).send().await
                && res.status().is_success()
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "till did not answer {url} within 60 s:\n{}",
                    self.log_text()
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGTERM (graceful: in-flight requests finish), then wait.
    fn stop(mut self) -> Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        let termed = Command::new("kill")
            .args(["-TERM", &self.pid.to_string()])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !termed {
            child.kill()?;
        }
        let deadline = Instant::now() + Duration::from_secs(40);
        loop {
            if let Some(status) = child.try_wait()? {
                if !status.success() && termed {
                    eprintln!("till exited with {status}:\n{}", self.log_text());
                }
                return Ok(());
            }
            if Instant::now() > deadline {
                child.kill()?;
                child.wait()?;
                return Err("till did not stop within 40 s of SIGTERM; killed".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

struct Account {
    client_id: i64,
    access: String,
}

async fn customer(http: &reqwest::Client, base: &str, db: &Path, i: usize) -> Result<Account> {
    let email = format!("customer{i}@bench.test");
    let res = http
        .post(format!("{base}/api/v1/auth/signup"))
        .json(&json!({
            "email": email, "password": CUSTOMER_PASSWORD,
            "first_name": "Bench", "last_name": format!("Customer {i}"),
            "country": "GH", "city": "Accra", "address1": "1 Ring Road",
            "postcode": "00233", "phone": "+233550507788"
        }))
        .send()
        .await?;
    expect_status(res, 202, "sign-up").await?;

    let token = verify_token(db, &email)?;
    let res = http
        .post(format!("{base}/api/v1/auth/email/verify"))
        .json(&json!({ "token": token }))
        .send()
        .await?;
    expect_status(res, 200, "email verification").await?;

    let res = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": CUSTOMER_PASSWORD, "device_name": "bench" }))
        .send()
        .await?;
    let body = expect_status(res, 200, "login").await?;
    let access = body["access_token"]
        .as_str()
        .ok_or("login: no access_token")?
        .to_string();
    let client_id = body["clients"][0]["id"]
        .as_i64()
        .ok_or("login: no clients[0].id")?;
    Ok(Account { client_id, access })
}

async fn expect_status(res: reqwest::Response, want: u16, what: &str) -> Result<Value> {
    let status = res.status().as_u16();
    let text = res.text().await?;
    if status != want {
        return Err(format!("{what}: expected {want}, got {status}: {text}").into());
    }
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The token of the latest verification link sent to `email`, read from the
/// `email_outbox` table (committed with the sign-up, before its 202).
fn verify_token(db: &Path, email: &str) -> Result<String> {
    let conn = rusqlite::Connection::open_with_flags(
        db,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    let text: String = conn.query_row(
        "SELECT text_body FROM email_outbox
         WHERE to_address = ?1 AND instr(text_body, 'verify-email?token=') > 0
         ORDER BY id DESC LIMIT 1",
        [email],
        |r| r.get(0),
    )?;
    let token = text
        .split("verify-email?token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .ok_or_else(|| format!("no verification link in the email to {email}"))?;
    Ok(token.to_string())
}

struct Outcome {
    /// Latencies of the successful (201) orders, sorted.
    latencies: Vec<Duration>,
    elapsed: Duration,
    errors: usize,
    first_error: String,
}

/// Place `total` orders from `concurrency` tasks that take the next order
/// number from a shared counter; task `t` orders as `accounts[t % len]`.
async fn place_orders(
    http: &reqwest::Client,
    base: &str,
    accounts: &[Account],
    label: &str,
    total: usize,
    concurrency: usize,
) -> Result<Outcome> {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(concurrency);
    for t in 0..concurrency {
        let account = &accounts[t % accounts.len()];
        let url = format!("{base}/api/v1/clients/{}/orders", account.client_id);
        let auth = format!("Bearer {}", account.access);
        let (http, next, label) = (http.clone(), next.clone(), label.to_string());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let (mut errors, mut first_error) = (0usize, String::new());
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= total {
                    break;
                }
                let sent = Instant::now();
                let res = http
                    .post(&url)
                    .header("Authorization", &auth)
                    .header("Idempotency-Key", format!("bench-{label}-{n}"))
                    .header("Content-Type", "application/json")
                    .body(ORDER_BODY)
                    .send()
                    .await;
                let outcome = match res {
                    Ok(res) => {
                        let status = res.status().as_u16();
                        match res.bytes().await {
                            Ok(_) if status == 201 => Ok(()),
                            Ok(body) => {
                                Err(format!("{status}: {}", String::from_utf8_lossy(&body)))
                            }
                            Err(e) => Err(format!("{status}: reading the body: {e}")),
                        }
                    }
                    Err(e) => Err(format!("request: {e}")),
                };
                let took = sent.elapsed();
                match outcome {
                    Ok(()) => latencies.push(took),
                    Err(e) => {
                        errors += 1;
                        if first_error.is_empty() {
                            first_error = e;
                        }
                    }
                }
            }
            (latencies, errors, first_error)
        }));
    }
    let mut out = Outcome {
        latencies: Vec::with_capacity(total),
        elapsed: Duration::ZERO,
        errors: 0,
        first_error: String::new(),
    };
    for task in tasks {
        let (latencies, errors, first_error) = task.await?;
        out.latencies.extend(latencies);
        out.errors += errors;
        if out.first_error.is_empty() {
            out.first_error = first_error;
        }
    }
    out.elapsed = started.elapsed();
    out.latencies.sort_unstable();
    Ok(out)
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `VmHWM` (peak) and `VmRSS` (current) of a process, in KiB; Linux only.
struct Rss {
    hwm_kib: Option<u64>,
    rss_kib: Option<u64>,
}

impl Rss {
    fn hwm(&self) -> String {
        self.hwm_kib.map_or("n/a".into(), |k| human(k * 1024))
    }
    fn now(&self) -> String {
        self.rss_kib.map_or("n/a".into(), |k| human(k * 1024))
    }
}

fn rss(pid: u32) -> Rss {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    };
    Rss {
        hwm_kib: field("VmHWM:"),
        rss_kib: field("VmRSS:"),
    }
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn human(bytes: u64) -> String {
    let mib = bytes as f64 / (1024.0 * 1024.0);
    if mib >= 1.0 {
        format!("{mib:.1} MiB")
    } else {
        format!("{:.0} KiB", bytes as f64 / 1024.0)
    }
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| {
            let parts: Vec<&str> = l.split_whitespace().take(3).collect();
            (parts.len() == 3).then(|| parts.join(" "))
        })
        .map_or(String::new(), |l| format!(", load average {l} at the end"));
    format!(
        "{cores} cores ({model}), {} {}{load}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}
