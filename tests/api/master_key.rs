//! The master key that seals credentials lives in its own file (issue 12),
//! driven through the real binary: an older install's key moves out of the
//! database on start, a database backup alone cannot open a sealed server
//! secret, and a backup made `--with-key` restores into a till that uses it.

use std::{
    path::Path,
    process::{Command, Output, Stdio},
    time::{Duration, Instant},
};

use rusqlite::Connection;
use till::auth::keys::AuthKeys;

use crate::support::{fakes::FakeWhm, sql, till_bin};

const TOKEN: &str = "WHMTOKEN-SEALED-0123456789";

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn till(data: &Path, args: &[&str]) -> Command {
    let mut cmd = till_bin();
    cmd.args(args).arg("--data-dir").arg(data);
    cmd
}

/// Run to the end, but never past `secs` (a till that should have refused
/// to start and did not is killed, and the test fails on its status).
fn run_within(cmd: &mut Command, secs: u64) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(secs);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Whether `hex` appears anywhere in the file (or its WAL).
fn holds(path: &Path, hex: &str) -> bool {
    [path.to_path_buf(), path.with_extension("db-wal")]
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .any(|bytes| bytes.windows(hex.len()).any(|w| w == hex.as_bytes()))
}

/// A data directory as a till from before the key file left it: the
/// master key in `settings`, and a cPanel server at `whm` whose token is
/// sealed under it. Answers the key.
fn older_install(data: &Path, whm: &FakeWhm) -> [u8; 32] {
    let out = till(data, &["migrate"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    std::fs::remove_file(data.join("master.key")).unwrap();
    let key = [42u8; 32];
    let sealed = till::auth::sealed::seal(
        &AuthKeys::from_master(&key).unwrap().credentials,
        till::integrations::provisioning::SERVER_SECRET,
        TOKEN,
    )
    .unwrap();
    let conn = Connection::open(data.join("till.db")).unwrap();
    conn.execute_batch(
        "DELETE FROM settings WHERE key = 'auth.master_key_fingerprint';
         INSERT INTO server_groups (name, created_at, updated_at) VALUES ('g', 'now', 'now');",
    )
    .unwrap();
    conn.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES ('auth.master_key', ?1, 'now')",
        [hex::encode(key)],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO servers (uuid, group_id, name, hostname, address, module, scheme, port,
            username, secret, capacity, created_at, updated_at)
         VALUES ('srv-1', 1, 'web1', 'web1.example.net', '127.0.0.1', 'cpanel', 'http', ?1,
            'root', ?2, 10, 'now', 'now')",
        rusqlite::params![whm.port, sealed],
    )
    .unwrap();
    key
}

#[test]
fn an_older_installs_master_key_moves_out_of_the_database_into_a_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let whm = FakeWhm::start("root", TOKEN);
    let key = older_install(&data, &whm);
    let db = data.join("till.db");
    assert!(holds(&db, &hex::encode(key)), "the old layout holds it");

    let out = till(&data, &["migrate"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let file = data.join("master.key");
    assert_eq!(mode(&file), 0o600);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap().trim(),
        hex::encode(key)
    );
    assert_eq!(sql::setting_in(&db, "auth.master_key"), None);
    assert!(
        !holds(&db, &hex::encode(key)),
        "not even in a free page or the WAL"
    );
    assert!(sql::setting_in(&db, "auth.master_key_fingerprint").is_some());

    // Again: nothing changes.
    let out = till(&data, &["migrate"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap().trim(),
        hex::encode(key)
    );

    // A crash after the file was written but before the row went: the next
    // start finishes the move.
    Connection::open(&db)
        .unwrap()
        .execute(
            "INSERT INTO settings (key, value, updated_at) VALUES ('auth.master_key', ?1, 'now')",
            [hex::encode(key)],
        )
        .unwrap();
    let out = till(&data, &["migrate"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(sql::setting_in(&db, "auth.master_key"), None);

    // A key file that is not this database's stops start-up.
    std::fs::write(&file, format!("{}\n", hex::encode([7u8; 32]))).unwrap();
    let out = run_within(till(&data, &["serve"]).env("TILL_BIND", "127.0.0.1:0"), 20);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("master.key"), "{}", text(&out));
}

#[test]
fn a_database_backup_alone_cannot_open_the_sealed_server_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let whm = FakeWhm::start("root", TOKEN);
    let key = older_install(&data, &whm);
    let plain = dir.path().join("plain.db");

    // Even taken before the first start moved the key, the backup leaves
    // it out.
    let out = till(&data, &["backup"]).arg(&plain).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("does not hold the master key"),
        "{}",
        text(&out)
    );
    assert!(!holds(&plain, &hex::encode(key)));
    assert_eq!(sql::setting_in(&plain, "auth.master_key"), None);
    assert!(!dir.path().join("plain.db.key").exists());

    // Restored on a machine without the key, till refuses to run with
    // secrets it cannot open (rather than make a new key that opens none).
    let other = dir.path().join("other");
    let out = till(&other, &["restore"]).arg(&plain).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("master key"), "{}", text(&out));
    let out = run_within(till(&other, &["serve"]).env("TILL_BIND", "127.0.0.1:0"), 20);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("master.key is missing"),
        "{}",
        text(&out)
    );
    let out = till(&other, &["config", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));

    // Given up for lost: a new key, and the secrets it cannot open are gone.
    let out = till(&other, &["master-key", "reset", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let secret = sql::server_secret_in(&other.join("till.db"));
    assert_eq!(secret, None);
}

#[test]
fn a_backup_with_its_key_restores_into_a_till_that_opens_the_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let whm = FakeWhm::start("root", TOKEN);
    let key = older_install(&data, &whm);
    let out = till(&data, &["migrate"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));

    let backup = dir.path().join("full.db");
    let out = till(&data, &["backup", "--with-key"])
        .arg(&backup)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let key_copy = dir.path().join("full.db.key");
    assert!(text(&out).contains("full.db.key"), "{}", text(&out));
    assert_eq!(mode(&key_copy), 0o600);
    assert!(
        !holds(&backup, &hex::encode(key)),
        "the key is beside, not in"
    );

    let restored = dir.path().join("restored");
    let out = till(&restored, &["restore"]).arg(&backup).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let file = restored.join("master.key");
    assert_eq!(mode(&file), 0o600);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap().trim(),
        hex::encode(key)
    );

    // The restored till runs and opens the server's sealed token: WHM
    // accepts it.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let config = dir.path().join("till.toml");
    std::fs::write(
        &config,
        format!("bind = \"127.0.0.1:{port}\"\n[http]\nallow_private_targets = [\"127.0.0.1\"]\n"),
    )
    .unwrap();
    let out = till(&restored, &["api-key", "create", "--name", "t"])
        .args(["--scope", "servers:write", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let api_key = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_string();
    let mut server = till(&restored, &["serve"])
        .arg("--config")
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let tested = tokio_test_connection(port, &api_key);
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(tested["success"], true, "{tested}");
    assert_eq!(whm.refused_auth(), 0);
}

/// `POST /api/v1/servers/1/test` on the till at `port`, once it answers.
fn tokio_test_connection(port: u16, api_key: &str) -> serde_json::Value {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while http.get(format!("{base}/healthz")).send().await.is_err() {
            assert!(Instant::now() < deadline, "the restored till never came up");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        http.post(format!("{base}/api/v1/servers/1/test"))
            .bearer_auth(api_key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    })
}

#[test]
fn a_master_key_others_can_read_stops_start_up() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = till(&data, &["migrate"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let key = data.join("master.key");
    assert_eq!(mode(&key), 0o600);
    let out = till(&data, &["config", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = till(&data, &["config", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("chmod 600"), "{}", text(&out));
    let out = run_within(till(&data, &["serve"]).env("TILL_BIND", "127.0.0.1:0"), 20);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("master.key"), "{}", text(&out));
}
