//! The daily billing run (service lifecycle issue): 100,000 active services
//! of which 10,000 are due for a renewal invoice.
//!
//! Creates a data directory with the release binary (`till migrate`), the
//! sample catalog and `BENCH_SERVICES` services (100,000) over
//! `BENCH_SERVICES / 5` clients, of which `BENCH_DUE` (10,000) fall due
//! within the invoice window; then runs `till jobs run --at` once (every
//! job: renewals, dunning, the mail outbox to `.eml` files, cleanup,
//! maintenance) and reports the wall time of the run and of each job,
//! renewal invoices per second and the process's peak RSS (`VmHWM`,
//! sampled every 10 ms). A second run at the same instant shows the cost of
//! finding nothing to do.
//!
//! ```sh
//! cargo build --release && cargo bench --bench daily_run
//! ```
//!
//! Environment: `TILL_BIN` (default `$CARGO_TARGET_DIR/release/till` or
//! `./target/release/till`), `BENCH_SERVICES` (100000), `BENCH_DUE` (10000).
//! See bench/README.md.

use std::{
    error::Error,
    path::{Path, PathBuf},
    process::{Command, ExitCode, Stdio},
    time::{Duration, Instant},
};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

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

fn env_i64(name: &str, default: i64) -> Result<i64> {
    match std::env::var(name) {
        Ok(v) => Ok(v.parse()?),
        Err(_) => Ok(default),
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("daily_run bench: {e:?}");
            ExitCode::FAILURE
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

/// Run `till jobs run --at RUN_AT`; answers its output, wall time and peak RSS.
fn jobs_run(bin: &Path, data: &Path) -> Result<(String, Duration, Option<u64>)> {
    let started = Instant::now();
    let mut child = Command::new(bin)
        .args(["jobs", "run", "--at", RUN_AT, "--data-dir"])
        .arg(data)
        .env("TILL_LOG__LEVEL", "warn")
        .env_remove("TILL_BIN")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let pid = child.id();
    let mut peak = None;
    loop {
        if let Some(kib) = hwm_kib(pid) {
            peak = Some(peak.map_or(kib, |p: u64| p.max(kib)));
        }
        if child.try_wait()?.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output()?;
    let wall = started.elapsed();
    if !out.status.success() {
        return Err(format!(
            "till jobs run failed: {}",
            String::from_utf8_lossy(&out.stdout)
        )
        .into());
    }
    Ok((String::from_utf8_lossy(&out.stdout).to_string(), wall, peak))
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
    let services = env_i64("BENCH_SERVICES", 100_000)?.max(5);
    let due = env_i64("BENCH_DUE", 10_000)?.clamp(0, services);
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("data");
    let out = Command::new(&bin)
        .arg("migrate")
        .arg("--data-dir")
        .arg(&data)
        .env("TILL_ADMIN_EMAIL", "admin@bench.test")
        .env("TILL_ADMIN_PASSWORD", "bench-admin-password-0123456789")
        .env("TILL_LOG__LEVEL", "warn")
        .env_remove("TILL_BIN")
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "till migrate failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let db_path = data.join("till.db");
    let setup = Instant::now();
    let mut conn = rusqlite::Connection::open(&db_path)?;
    let catalog: i64 = conn.query_row(
        "SELECT COUNT(*) FROM products WHERE slug = 'vps-2-gb'",
        [],
        |r| r.get(0),
    )?;
    if catalog == 0 {
        // `till migrate` installs the sample catalog unless configured not to.
        let config = till::config::Config::default();
        let db = till::db::open::open_current(&db_path, &config.database)?;
        till::service::catalog::sample::install(&db, 1, "2028-01-01T00:00:00Z".parse()?)?;
    }
    let tx = conn.transaction()?;
    let clients = (services / 5).max(1);
    tx.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO clients (uuid, first_name, last_name, email, country, currency_code, created_at, updated_at)
         SELECT 'bench-' || i, 'Bench', 'Client ' || i, 'bench' || i || '@example.com', 'GH', 'USD',
                '2027-01-01T00:00:00Z', '2027-01-01T00:00:00Z' FROM n",
        [clients],
    )?;
    // Every (services / due)-th service is due on 10 February (invoiced 14
    // days ahead, so on the run's date); the others on 20 March.
    let every = if due > 0 {
        services / due
    } else {
        services + 1
    };
    tx.execute(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
         INSERT INTO services (uuid, client_id, product_id, status, billing_cycle, currency,
                recurring_amount, registration_date, next_due_date, activated_at, created_at, updated_at)
         SELECT 'bench-svc-' || i, (SELECT MIN(id) FROM clients WHERE uuid LIKE 'bench-%') + i % ?2,
                (SELECT id FROM products WHERE slug = 'vps-2-gb'), 'active', 'monthly', 'USD', 1200,
                CASE WHEN i % ?3 = 0 THEN '2027-01-10' ELSE '2027-01-20' END,
                CASE WHEN i % ?3 = 0 THEN '2028-02-10' ELSE '2028-03-20' END,
                '2027-01-01T00:00:00Z', '2027-01-01T00:00:00Z', '2027-01-01T00:00:00Z'
         FROM n",
        rusqlite::params![services, clients, every],
    )?;
    tx.commit()?;
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;")?;
    drop(conn);
    println!(
        "setup: {services} active services, {clients} clients, {} due ({:.1} s)",
        (services + every - 1) / every,
        setup.elapsed().as_secs_f64()
    );

    let (first, wall, peak) = jobs_run(&bin, &data)?;
    let conn = rusqlite::Connection::open(&db_path)?;
    let invoices: i64 = conn.query_row(
        "SELECT COUNT(*) FROM invoices WHERE order_id IS NULL",
        [],
        |r| r.get(0),
    )?;
    let renewal_secs: f64 = first
        .lines()
        .find(|l| l.trim_start().starts_with("renewals"))
        .and_then(|l| l.split_whitespace().rev().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(f64::NAN);
    println!("first run ({RUN_AT}):\n{first}");
    println!(
        "  wall time          {:.2} s (whole `till jobs run`, incl. start-up and sending mail)",
        wall.as_secs_f64()
    );
    println!("  renewal invoices   {invoices}");
    println!(
        "  invoices/s         {:.0} (renewals job), {:.0} (whole run)",
        invoices as f64 / renewal_secs,
        invoices as f64 / wall.as_secs_f64()
    );
    println!(
        "  peak RSS           {}",
        peak.map_or("n/a".to_string(), |k| format!(
            "{:.1} MiB",
            k as f64 / 1024.0
        ))
    );
    let (second, wall2, peak2) = jobs_run(&bin, &data)?;
    let again: i64 = conn.query_row(
        "SELECT COUNT(*) FROM invoices WHERE order_id IS NULL",
        [],
        |r| r.get(0),
    )?;
    println!("second run, same instant (nothing due):\n{second}");
    println!(
        "  wall time          {:.2} s, invoices now {again}, peak RSS {}",
        wall2.as_secs_f64(),
        peak2.map_or("n/a".to_string(), |k| format!(
            "{:.1} MiB",
            k as f64 / 1024.0
        ))
    );
    let size = std::fs::metadata(&db_path)?.len();
    println!("database: till.db {:.1} MiB", size as f64 / 1_048_576.0);
    Ok(())
}
