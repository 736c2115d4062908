//! The `till` binary as an operator runs it: help, version, config errors
//! (exit code 2), migrate, and refusing a database from a newer till.

use std::process::Output;

use crate::support::till_bin;

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["backup", "--help"],
        vec!["restore", "--help"],
        vec!["config", "--help"],
        vec!["config", "default", "--help"],
        vec!["config", "show", "--help"],
        vec!["version", "--help"],
    ] {
        let out = till_bin().args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).contains("Usage: till"), "{args:?}");
    }
}

#[test]
fn version_prints_the_version_and_commit() {
    let out = till_bin().arg("version").output().unwrap();
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("till {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
}

#[test]
fn config_default_prints_a_config_that_the_binary_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let out = till_bin().args(["config", "default"]).output().unwrap();
    assert!(out.status.success());
    let file = dir.path().join("till.toml");
    std::fs::write(&file, &out.stdout).unwrap();
    let shown = till_bin()
        .args(["config", "show", "--config"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(shown.status.success(), "{}", stderr(&shown));
    assert!(stdout(&shown).contains("bind = \"127.0.0.1:8080\""));
}

#[test]
fn layers_apply_in_order_file_then_env_then_flags() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("till.toml");
    std::fs::write(
        &file,
        "bind = \"127.0.0.1:7001\"\ndata_dir = \"/from/file\"\n[company]\nname = \"File Co\"\n[mail]\nsmtp_password = \"file-secret\"\n",
    )
    .unwrap();
    let out = till_bin()
        .args(["config", "show", "--data-dir", "/from/flag"])
        .env("TILL_CONFIG", &file)
        .env("TILL_BIND", "127.0.0.1:7002")
        .env("TILL_COMPANY__NAME", "Env Co")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("bind = \"127.0.0.1:7002\""), "{text}");
    assert!(text.contains("data_dir = \"/from/flag\""), "{text}");
    assert!(text.contains("name = \"Env Co\""), "{text}");
    assert!(!text.contains("file-secret"), "secrets must be redacted");
}

#[test]
fn an_unknown_key_stops_start_up_with_exit_code_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("till.toml");
    std::fs::write(&file, "[http]\nbody_limit_kb = 10\n").unwrap();
    let out = till_bin()
        .args(["serve", "--config"])
        .arg(&file)
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("body_limit_kb"), "{}", stderr(&out));
    assert!(
        !dir.path().join("data").exists(),
        "nothing may happen before config is valid"
    );
}

#[test]
fn a_bad_value_stops_start_up_with_exit_code_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = till_bin()
        .arg("serve")
        .arg("--data-dir")
        .arg(dir.path())
        .env("TILL_DATABASE__SYNCHRONOUS", "sometimes")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).to_lowercase().contains("synchronous"),
        "{}",
        stderr(&out)
    );

    let out = till_bin()
        .args(["serve", "--bind", "nowhere"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--bind"), "{}", stderr(&out));
}

#[test]
fn migrate_creates_the_database_and_the_first_admin_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("nested/data");
    let out = till_bin()
        .arg("migrate")
        .arg("--data-dir")
        .arg(&data)
        .env("TILL_ADMIN_EMAIL", "owner@example.com")
        .env("TILL_ADMIN_PASSWORD", "a-long-enough-password")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(data.join("till.db").is_file());
    assert!(stderr(&out).contains("created the first admin owner@example.com"));
    assert!(!stderr(&out).contains("a-long-enough-password"));

    let again = till_bin()
        .arg("migrate")
        .arg("--data-dir")
        .arg(&data)
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(!stderr(&again).contains("created the first admin"));
    assert!(stdout(&again).contains("schema version"));
}

#[test]
fn without_admin_variables_a_random_password_is_printed_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = till_bin()
        .arg("migrate")
        .arg("--data-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("admin@localhost"), "{err}");
    let password = err
        .lines()
        .find_map(|l| l.trim().strip_prefix("password: "))
        .expect("password printed");
    assert_eq!(password.len(), 20);
}

#[test]
fn a_too_short_admin_password_is_refused_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = till_bin()
        .arg("migrate")
        .arg("--data-dir")
        .arg(dir.path())
        .env("TILL_ADMIN_PASSWORD", "short")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("TILL_ADMIN_PASSWORD"));
}

#[test]
fn a_database_from_a_newer_till_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = till_bin()
        .arg("migrate")
        .arg("--data-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let db = rusqlite::Connection::open(dir.path().join("till.db")).unwrap();
    db.pragma_update(None, "user_version", 9999).unwrap();
    drop(db);

    let out = till_bin()
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("written by a newer till"), "{err}");
    assert!(err.contains("9999"), "{err}");
}
