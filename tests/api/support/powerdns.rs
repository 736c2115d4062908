//! A real PowerDNS Authoritative for the DNS tests: started once per test
//! binary on free loopback ports, over an SQLite database made from
//! Debian's schema (package `pdns-backend-sqlite3`), with its HTTP API on.
//! Each test uses its own zone names. A watcher shell kills the server
//! when this test process is gone. Without `pdns_server` a test is skipped
//! (it says so), except under CI, where it fails saying what to install.

use std::{
    net::{TcpListener, UdpSocket},
    path::Path,
    process::{Command, Stdio},
    sync::OnceLock,
    time::{Duration, Instant},
};

use till::config::{Config, Secret};

const PDNS: &str = "/usr/sbin/pdns_server";
const SCHEMA: &str = "/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql";
const KEY: &str = "pdns-test-api-key-0123456789";

pub struct PowerDns {
    pub api_url: String,
    pub dns_port: u16,
    /// Never waited for: it lives as long as this process.
    _watcher: std::process::Child,
    _dir: tempfile::TempDir,
}

static SERVER: OnceLock<Option<PowerDns>> = OnceLock::new();

/// The shared server, or `None` (after saying so) when PowerDNS is not
/// installed outside CI.
pub fn powerdns() -> Option<&'static PowerDns> {
    SERVER
        .get_or_init(|| {
            let installed = Path::new(PDNS).exists() && Path::new(SCHEMA).exists();
            let dig = Command::new("dig").arg("-v").output().is_ok();
            if !(installed && dig) {
                let what = "PowerDNS is not installed: apt-get install pdns-server \
                            pdns-backend-sqlite3 dnsutils (or run .ci/install-powerdns.sh)";
                assert!(std::env::var_os("CI").is_none(), "{what}");
                eprintln!("skipped: {what}");
                return None;
            }
            Some(start())
        })
        .as_ref()
}

/// A port free for both UDP and TCP on loopback, below the ephemeral
/// range, so no test's port-0 listener can be handed it before PowerDNS
/// binds it.
fn free_port(after: u16) -> u16 {
    let first = after.max(20_000 + (std::process::id() % 8_000) as u16);
    (first + 1..32_000)
        .find(|&port| {
            TcpListener::bind(("127.0.0.1", port)).is_ok()
                && UdpSocket::bind(("127.0.0.1", port)).is_ok()
        })
        .expect("a free port below 32000")
}

fn start() -> PowerDns {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("pdns.sqlite3");
    let schema = std::fs::read_to_string(SCHEMA).expect("schema");
    rusqlite::Connection::open(&db)
        .expect("open")
        .execute_batch(&schema)
        .expect("schema applies");
    let dns_port = free_port(0);
    let api_port = free_port(dns_port);
    let conf = format!(
        "launch=gsqlite3\ngsqlite3-database={db}\nlocal-address=127.0.0.1\nlocal-port={dns_port}\n\
         api=yes\napi-key={KEY}\nwebserver=yes\nwebserver-address=127.0.0.1\n\
         webserver-port={api_port}\nwebserver-allow-from=127.0.0.0/8\nsocket-dir={sock}\n\
         guardian=no\ndaemon=no\nloglevel=3\n",
        db = db.display(),
        sock = dir.path().display(),
    );
    std::fs::write(dir.path().join("pdns.conf"), conf).expect("pdns.conf");
    // The watcher ends the server once this process has exited; the
    // server's own log stays in its directory (`pdns.log`).
    let script = format!(
        "{PDNS} --config-dir={dir} 2>>{dir}/pdns.log & p=$!; while kill -0 {} 2>/dev/null; do sleep 0.5; done; kill $p",
        std::process::id(),
        dir = dir.path().display(),
    );
    let watcher = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("pdns_server starts");
    let api_url = format!("http://127.0.0.1:{api_port}");
    wait_ready(&api_url);
    PowerDns {
        api_url,
        dns_port,
        _watcher: watcher,
        _dir: dir,
    }
}

/// Wait until the API's port takes connections (the DNS port is bound
/// before the webserver starts).
fn wait_ready(api_url: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    let addr = api_url.trim_start_matches("http://").to_string();
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(&addr).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("pdns_server did not start its API at {api_url}");
}

impl PowerDns {
    /// Point till's `[dns]` at this server.
    pub fn configure(&self, c: &mut Config) {
        c.dns.powerdns_url = self.api_url.clone();
        c.dns.powerdns_api_key = Secret::new(KEY);
        c.dns.nameservers = vec!["ns1.till-test.net".into(), "ns2.till-test.net".into()];
        c.dns.default_ttl = 300;
    }

    /// What the server answers for `name` and `kind`, a real DNS query
    /// (`dig +short`), sorted.
    pub fn resolve(&self, name: &str, kind: &str) -> Vec<String> {
        let out = Command::new("dig")
            .args([
                "@127.0.0.1",
                "-p",
                &self.dns_port.to_string(),
                "+short",
                "+norecurse",
                "+time=2",
                "+tries=2",
                name,
                kind,
            ])
            .output()
            .expect("dig runs");
        let mut lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .filter(|l| !l.is_empty() && !l.starts_with(';'))
            .collect();
        lines.sort();
        lines
    }
}
