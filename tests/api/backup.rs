//! Backups taken while the server writes, restores, and the safety net
//! around migrations.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicI64, Ordering},
    },
    time::Duration,
};

use rusqlite::Connection;
use till::{
    config::DatabaseConfig,
    db::{
        backup,
        migrations::{self, MIGRATIONS, Migration},
        open::{BackupPolicy, OpenError, open_with},
    },
    service::audit::{self, Actor, Event},
};

use crate::support::{TestApp, sql, start_time, till_bin};

fn audit_ids(path: &std::path::Path) -> Vec<i64> {
    sql::audit_ids_in(path, "test.tick")
}

#[test]
fn a_backup_taken_while_the_server_writes_restores_every_committed_row() {
    let app = TestApp::spawn();
    let stop = Arc::new(AtomicBool::new(false));
    let last_committed = Arc::new(AtomicI64::new(0));
    let writer = {
        let (db, stop, last) = (app.state.db.clone(), stop.clone(), last_committed.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let id = db
                    .write(|tx| {
                        audit::record(
                            tx,
                            start_time(),
                            Event {
                                actor: Actor::System,
                                action: "test.tick",
                                subject: None,
                                client_id: None,
                                ip: None,
                                details: serde_json::json!({ "pad": "x".repeat(500) }),
                            },
                        )
                    })
                    .unwrap();
                last.store(id, Ordering::SeqCst);
            }
        })
    };
    while last_committed.load(Ordering::SeqCst) < 200 {
        std::thread::sleep(Duration::from_millis(5));
    }

    let committed_before = last_committed.load(Ordering::SeqCst);
    let file = app.dir.path().join("online.db");
    let out = till_bin()
        .arg("backup")
        .arg(&file)
        .arg("--data-dir")
        .arg(app.data_dir())
        .output()
        .unwrap();
    let writes_during = last_committed.load(Ordering::SeqCst) - committed_before;
    stop.store(true, Ordering::SeqCst);
    writer.join().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        writes_during > 0,
        "the server must have written during the backup"
    );

    // The copy is intact and holds a gap-free prefix including every row
    // committed before the backup began.
    assert_eq!(
        backup::verify(&file).unwrap(),
        migrations::latest(MIGRATIONS)
    );
    let ids = audit_ids(&file);
    assert!(ids.len() as i64 >= committed_before - 1);
    let first = ids[0];
    assert!(
        ids.iter()
            .enumerate()
            .all(|(i, id)| *id == first + i as i64),
        "gap in backup"
    );
    assert!(*ids.last().unwrap() >= committed_before);

    // Restored into a fresh data directory, it is exactly the backup.
    let fresh = tempfile::tempdir().unwrap();
    let out = till_bin()
        .arg("restore")
        .arg(&file)
        .arg("--data-dir")
        .arg(fresh.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let restored = fresh.path().join("till.db");
    let conn = Connection::open(&restored).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    assert_eq!(audit_ids(&restored), ids);
}

#[test]
fn restore_is_refused_while_a_server_holds_the_data_directory() {
    let app = TestApp::spawn();
    let file = app.dir.path().join("copy.db");
    let out = till_bin()
        .arg("backup")
        .arg(&file)
        .arg("--data-dir")
        .arg(app.data_dir())
        .output()
        .unwrap();
    assert!(out.status.success());

    let out = till_bin()
        .arg("restore")
        .arg(&file)
        .arg("--data-dir")
        .arg(app.data_dir())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("another till process"), "{err}");
}

#[test]
fn restore_refuses_a_file_that_is_not_a_good_backup() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, vec![7u8; 8192]).unwrap();
    let out = till_bin()
        .arg("restore")
        .arg(&junk)
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to restore"));
    assert!(!dir.path().join("data/till.db").exists());
}

#[test]
fn backup_will_not_overwrite_an_existing_file() {
    let app = TestApp::spawn();
    let file = app.dir.path().join("exists.db");
    std::fs::write(&file, b"precious").unwrap();
    let out = till_bin()
        .arg("backup")
        .arg(&file)
        .arg("--data-dir")
        .arg(app.data_dir())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&file).unwrap(), b"precious");
}

#[test]
fn a_failed_migration_leaves_the_database_unchanged_and_its_backup_restorable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("till.db");
    let policy = BackupPolicy {
        dir: dir.path().join("backups"),
        keep: 5,
    };
    let config = DatabaseConfig::default();
    let (db, _) = open_with(&path, &config, &policy, start_time(), MIGRATIONS).unwrap();
    db.write(|tx| {
        tx.execute(
            "INSERT INTO settings (key, value, updated_at) VALUES ('company.vat', 'GB123', 'now')",
            [],
        )?;
        Ok(())
    })
    .unwrap();
    drop(db);

    let mut broken: Vec<Migration> = MIGRATIONS
        .iter()
        .map(|m| Migration {
            version: m.version,
            name: m.name,
            sql: m.sql,
        })
        .collect();
    broken.push(Migration {
        version: migrations::latest(MIGRATIONS) + 1,
        name: "broken",
        sql: "ALTER TABLE settings ADD COLUMN extra TEXT; UPDATE settings SET value = 'changed'; \
              INSERT INTO no_such_table VALUES (1);",
    });
    let err = match open_with(&path, &config, &policy, start_time(), &broken) {
        Err(e) => e,
        Ok(_) => panic!("the broken migration must fail"),
    };
    let backup_file = match &err {
        OpenError::Migration {
            backup: Some(b),
            at,
            ..
        } => {
            assert_eq!(*at, migrations::latest(MIGRATIONS));
            b.clone()
        }
        other => panic!("unexpected error: {other}"),
    };
    assert!(err.to_string().contains(&backup_file.display().to_string()));

    // Unchanged: same schema version, same data, no new column.
    let conn = Connection::open(&path).unwrap();
    assert_eq!(
        migrations::current_version(&conn).unwrap(),
        migrations::latest(MIGRATIONS)
    );
    drop(conn);
    let value = sql::setting_in(&path, "company.vat").unwrap();
    assert_eq!(value, "GB123");
    assert!(!sql::has_column_in(&path, "settings", "extra"));

    // And the backup taken before migrating restores to the same data.
    let restored_dir = tempfile::tempdir().unwrap();
    let restored = restored_dir.path().join("till.db");
    backup::restore(
        &backup_file,
        &restored,
        &restored_dir.path().join("b"),
        start_time(),
    )
    .unwrap();
    let value = sql::setting_in(&restored, "company.vat").unwrap();
    assert_eq!(value, "GB123");
}
