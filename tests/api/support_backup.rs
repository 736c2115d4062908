//! Attachments live inside the one SQLite file: a backup taken by
//! `till backup` and restored by `till restore` holds them byte for byte.

use sha2::{Digest, Sha256};

use crate::support::{TestApp, json_with_status, till_bin};
use crate::support_tickets::{PNG, department, post_multipart};

#[actix_web::test]
async fn a_restored_backup_holds_every_attachment_byte_for_byte() {
    let app = TestApp::with_catalog();
    let c = app.customer("backup-files@example.com").await;
    let dept = department(&app, "Support").await.to_string();
    let log: Vec<u8> = (0..200_000u32)
        .map(|i| b"abcdefghij\n"[(i % 11) as usize])
        .collect();
    let res = post_multipart(
        &app,
        &c,
        "/tickets",
        &[
            ("department_id", &dept),
            ("subject", "Keep these"),
            ("message", "two files"),
        ],
        &[("shot.png", PNG), ("big.log", &log)],
    )
    .await;
    json_with_status(res, 201).await;

    let file = app.dir.path().join("with-files.db");
    let out = till_bin()
        .arg("backup")
        .arg(&file)
        .arg("--data-dir")
        .arg(app.data_dir())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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

    let conn = rusqlite::Connection::open(fresh.path().join("till.db")).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, name, sha256 FROM ticket_attachments ORDER BY id")
        .unwrap();
    let rows: Vec<(i64, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 2);
    for ((id, name, sha), want) in rows.iter().zip([PNG, log.as_slice()]) {
        let got = till::store::support::attachments::content(&conn, *id).unwrap();
        assert_eq!(got, want, "{name}");
        assert_eq!(*sha, hex::encode(Sha256::digest(&got)));
    }
}
