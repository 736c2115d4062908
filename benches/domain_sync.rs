//! The daily domain sync (domains issue): 10,000 domains at one LogicBoxes
//! registrar, asked within the registrar's rate limit.
//!
//! Starts a small LogicBoxes stand-in on loopback (it answers
//! `domains/details-by-name.json` and records when each request arrived),
//! creates a data directory with the release binary (`till migrate`), adds
//! the registrar through the service (its settings sealed like any other)
//! with `rate_per_second` from `TILL_BENCH_SYNC_RATE` (50), seeds
//! `BENCH_DOMAINS` (10,000) active domains at it, then runs
//! `till jobs run --at` until every domain has been synced (a run asks at
//! most `jobs::domain_sync::BATCH` domains). Reports the wall time, the
//! rate held, the most requests that arrived in any one second and any ten
//! seconds, and till's peak RSS (`VmHWM`, sampled every 10 ms). Fails when
//! a 10-second window saw more than ten seconds' worth plus
//! `TILL_BENCH_SYNC_TOLERANCE` (3) requests.
//!
//! ```sh
//! cargo build --release && cargo bench --bench domain_sync
//! ```
//!
//! Environment: `TILL_BIN` (default `$CARGO_TARGET_DIR/release/till` or
//! `./target/release/till`). See bench/README.md.

use std::{
    error::Error,
    io::{BufRead, BufReader, Read, Write},
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use till::{
    auth::principal::{RequestMeta, StaffPrincipal},
    config::Config,
    domain::staff::StaffRole,
    integrations::outbound::TargetPolicy,
    service::{accounts::master_key, domains::registrars},
};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// The first run's instant; each further run is one minute later, still
/// within the day, so only the domains not yet asked are due.
const RUN_AT: &str = "2028-02-01T03:00:00Z";

fn till_binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("TILL_BIN") {
        return PathBuf::from(bin);
    }
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"))
        .join("release")
        .join("till")
}

fn env_u64(name: &str, default: u64) -> Result<u64> {
    match std::env::var(name) {
        Ok(v) => Ok(v.parse()?),
        Err(_) => Ok(default),
    }
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("domain_sync bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Arrival times of the requests the stand-in answered.
type Arrivals = Arc<Mutex<Vec<Instant>>>;

/// The arrivals so far (a poisoned lock still holds them).
fn arrived(a: &Arrivals) -> std::sync::MutexGuard<'_, Vec<Instant>> {
    a.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A LogicBoxes stand-in: HTTP/1.1 with keep-alive, one thread per
/// connection, every `details-by-name` answered with an active order.
fn start_registrar(arrivals: Arrivals) -> Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}/api/", listener.local_addr()?);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let arrivals = arrivals.clone();
            std::thread::spawn(move || serve_connection(stream, &arrivals));
        }
    });
    Ok(url)
}

fn serve_connection(stream: TcpStream, arrivals: &Arrivals) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut length = 0usize;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((k, v)) = header.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        arrived(arrivals).push(Instant::now());
        let name = request_line
            .split(['?', '&', ' '])
            .find_map(|p| p.strip_prefix("domain-name="))
            .unwrap_or("unknown.com")
            .to_string();
        let json = format!(
            r#"{{"orderid":"{}","customerid":"1","domainname":"{name}","endtime":"1893456000","ns1":"ns1.bench.example","ns2":"ns2.bench.example","orderstatus":[],"currentstatus":"Active","isprivacyprotected":"false"}}"#,
            name.len()
        );
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{json}",
            json.len()
        );
        if writer.write_all(answer.as_bytes()).is_err() {
            return;
        }
    }
}

fn hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn till(bin: &Path, config: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(bin);
    cmd.args(args)
        .env("TILL_CONFIG", config)
        .env("TILL_ADMIN_EMAIL", "admin@bench.test")
        .env("TILL_ADMIN_PASSWORD", "bench-admin-password-0123456789")
        .env("TILL_LOG__LEVEL", "warn")
        // The bench's own settings are not till's.
        .env_remove("TILL_BIN")
        .env_remove("TILL_BENCH_SYNC_RATE")
        .env_remove("TILL_BENCH_SYNC_TOLERANCE");
    cmd
}

/// One `till jobs run --at`; answers its wall time and peak RSS.
fn jobs_run(bin: &Path, config: &Path, at: &str) -> Result<(Duration, Option<u64>)> {
    let started = Instant::now();
    let mut child = till(bin, config, &["jobs", "run", "--at", at])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()?;
    let pid = child.id();
    let mut peak = None;
    let status = loop {
        if let Some(kib) = hwm_kib(pid) {
            peak = Some(peak.map_or(kib, |p: u64| p.max(kib)));
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    if !status.success() {
        return Err(format!("till jobs run --at {at} failed: {status}").into());
    }
    Ok((started.elapsed(), peak))
}

/// The most arrivals within any `window`.
fn busiest(arrivals: &[Instant], window: Duration) -> usize {
    let mut most = 0;
    let mut start = 0;
    for end in 0..arrivals.len() {
        while arrivals[end] - arrivals[start] >= window {
            start += 1;
        }
        most = most.max(end - start + 1);
    }
    most
}

fn seed(data: &Path, config: &Config, url: &str, rate: u64, count: u64) -> Result<()> {
    let db = till::db::open::open_current(&data.join("till.db"), &config.database)?;
    let now = RUN_AT.parse::<jiff::Timestamp>()? - jiff::SignedDuration::from_hours(48);
    let keys = master_key::load(&db, &config.master_key_path(), now)
        .map_err(|e| format!("master key: {e:?}"))?;
    let staff = StaffPrincipal {
        staff_id: 1,
        role: StaffRole::Admin,
        api_key_id: None,
        scopes: None,
    };
    let registrar = registrars::create(
        &db,
        &keys,
        &TargetPolicy::from_config(&config.http.allow_private_targets),
        &staff,
        &registrars::RegistrarInput {
            name: "LogicBoxes (bench)".into(),
            module: "logicboxes".into(),
            settings: Some(serde_json::json!({
                "base_url": url, "auth_userid": "4242", "api_key": "bench-key", "timeout_secs": 10
            })),
            rate_per_second: i64::try_from(rate)?,
            enabled: true,
        },
        &RequestMeta::default(),
        now,
    )
    .map_err(|e| format!("registrar: {e:?}"))?;
    drop(db);
    let mut conn = rusqlite::Connection::open(data.join("till.db"))?;
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO clients (uuid, first_name, last_name, email, country, currency_code, created_at, updated_at)
         VALUES ('bench-sync', 'Bench', 'Sync', 'bench-sync@example.com', 'GH', 'USD',
                 '2027-01-01T00:00:00Z', '2027-01-01T00:00:00Z')",
        [],
    )?;
    tx.execute(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
         INSERT INTO domains (uuid, client_id, name, tld, action, years, status, currency,
                first_amount, recurring_amount, next_due_date, registrar_id, expiry_date,
                nameservers, created_at, updated_at)
         SELECT 'bench-domain-' || i, (SELECT id FROM clients WHERE uuid = 'bench-sync'),
                'bench-' || i || '.com', 'com', 'register', 1, 'active', 'USD', 1200, 1200,
                '2029-12-31', ?2, '2029-12-31T00:00:00Z', '[\"ns1.bench.example\",\"ns2.bench.example\"]',
                '2027-01-01T00:00:00Z', '2027-01-01T00:00:00Z'
         FROM n",
        rusqlite::params![i64::try_from(count)?, registrar.id],
    )?;
    tx.commit()?;
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;")?;
    Ok(())
}

fn run() -> Result<()> {
    let bin = till_binary();
    if !bin.is_file() {
        return Err(format!(
            "no binary at {}: run `cargo build --release` or set TILL_BIN",
            bin.display()
        )
        .into());
    }
    let rate = env_u64("TILL_BENCH_SYNC_RATE", 50)?.max(1);
    let tolerance = env_u64("TILL_BENCH_SYNC_TOLERANCE", 3)?;
    let count = env_u64("BENCH_DOMAINS", 10_000)?.max(1);

    let arrivals: Arrivals = Arc::default();
    let url = start_registrar(arrivals.clone())?;
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("data");
    let config_path = dir.path().join("till.toml");
    std::fs::write(
        &config_path,
        format!(
            "data_dir = {:?}\nsample_data = false\n\n[http]\nallow_private_targets = [\"127.0.0.1/32\"]\n",
            data.display().to_string()
        ),
    )?;
    let out = till(&bin, &config_path, &["migrate"]).output()?;
    if !out.status.success() {
        return Err(format!(
            "till migrate failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    // The file alone (TILL_BIN in the environment is the bench's, not a
    // setting).
    let config = Config::from_toml(&std::fs::read_to_string(&config_path)?)
        .map_err(|e| format!("config: {e:?}"))?;
    let setup = Instant::now();
    seed(&data, &config, &url, rate, count)?;
    println!(
        "setup: {count} active domains at one LogicBoxes registrar, {rate} req/s ({:.1} s)",
        setup.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let mut peak: Option<u64> = None;
    let mut at: jiff::Timestamp = RUN_AT.parse()?;
    let mut runs = 0;
    loop {
        let before = arrived(&arrivals).len();
        let (wall, hwm) = jobs_run(&bin, &config_path, &at.to_string())?;
        runs += 1;
        let asked = arrived(&arrivals).len() - before;
        println!(
            "  run {runs} at {at}: {asked} requests in {:.1} s",
            wall.as_secs_f64()
        );
        if let Some(k) = hwm {
            peak = Some(peak.map_or(k, |p| p.max(k)));
        }
        if asked == 0 || arrived(&arrivals).len() as u64 >= count {
            break;
        }
        at += jiff::SignedDuration::from_mins(1);
    }
    let wall = started.elapsed();

    let conn = rusqlite::Connection::open(data.join("till.db"))?;
    let unsynced: i64 = conn.query_row(
        "SELECT COUNT(*) FROM domains WHERE synced_at IS NULL",
        [],
        |r| r.get(0),
    )?;
    let times = arrived(&arrivals).clone();
    let span = match (times.first(), times.last()) {
        (Some(a), Some(b)) => (*b - *a).as_secs_f64(),
        _ => 0.0,
    };
    let per_second = busiest(&times, Duration::from_secs(1));
    let per_ten = busiest(&times, Duration::from_secs(10));
    println!("sync of {count} domains in {runs} runs:");
    println!(
        "  wall time          {:.1} s (every `till jobs run`, incl. start-up)",
        wall.as_secs_f64()
    );
    println!(
        "  requests           {} ({unsynced} unsynced left)",
        times.len()
    );
    println!(
        "  rate held          {:.1} req/s (first to last request, limit {rate})",
        times.len().saturating_sub(1) as f64 / span.max(f64::EPSILON)
    );
    println!("  busiest second     {per_second} requests");
    println!(
        "  busiest 10 s       {per_ten} requests (limit {} + tolerance {tolerance})",
        rate * 10
    );
    println!(
        "  peak RSS           {}",
        peak.map_or("n/a".to_string(), |k| format!(
            "{:.1} MiB",
            k as f64 / 1024.0
        ))
    );
    if unsynced > 0 {
        return Err(format!("{unsynced} domains were never synced").into());
    }
    if per_ten as u64 > rate * 10 + tolerance {
        return Err(
            format!("{per_ten} requests in 10 s exceeds the registrar's rate of {rate}/s").into(),
        );
    }
    Ok(())
}
