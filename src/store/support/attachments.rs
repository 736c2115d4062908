//! `ticket_attachments`: files on a message, kept as blobs in the
//! database so a backup carries them. The content is written and read
//! with SQLite's incremental blob I/O, in chunks, never as one bound
//! parameter.

use std::io::{Read, Write};

use rusqlite::{Connection, MAIN_DB, OptionalExtension, Row, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: i64,
    pub message_id: i64,
    pub ticket_id: i64,
    pub name: String,
    pub mime_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: String,
}

const COLUMNS: &str =
    "a.id, a.message_id, m.ticket_id, a.name, a.mime_type, a.size, a.sha256, a.created_at";
const FROM: &str = "ticket_attachments a JOIN ticket_messages m ON m.id = a.message_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Attachment> {
    Ok(Attachment {
        id: r.get(0)?,
        message_id: r.get(1)?,
        ticket_id: r.get(2)?,
        name: r.get(3)?,
        mime_type: r.get(4)?,
        size: r.get(5)?,
        sha256: r.get(6)?,
        created_at: r.get(7)?,
    })
}

pub struct NewAttachment<'a> {
    pub message_id: i64,
    pub name: &'a str,
    pub mime_type: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
    pub now: &'a str,
}

/// Store a file: a zeroblob of its size, then its bytes through a blob handle.
pub fn insert(conn: &Connection, a: &NewAttachment<'_>) -> rusqlite::Result<i64> {
    let size = i64::try_from(a.content.len()).unwrap_or(i64::MAX);
    conn.prepare_cached(
        "INSERT INTO ticket_attachments (message_id, name, mime_type, size, sha256, content, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, zeroblob(?4), ?6)",
    )?
    .execute(params![a.message_id, a.name, a.mime_type, size, a.sha256, a.now])?;
    let id = conn.last_insert_rowid();
    let mut blob = conn.blob_open(MAIN_DB, c"ticket_attachments", c"content", id, false)?;
    for chunk in a.content.chunks(64 * 1024) {
        blob.write_all(chunk)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    }
    blob.close()?;
    Ok(id)
}

pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Attachment>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE a.id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

/// The attachments of a ticket's messages, by message.
pub fn of_ticket(conn: &Connection, ticket_id: i64) -> rusqlite::Result<Vec<Attachment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE m.ticket_id = ?1 ORDER BY a.message_id, a.id"
    ))?;
    let rows = stmt.query_map([ticket_id], from_row)?;
    rows.collect()
}

/// The stored bytes, read through a blob handle.
pub fn content(conn: &Connection, id: i64) -> rusqlite::Result<Vec<u8>> {
    let mut blob = conn.blob_open(MAIN_DB, c"ticket_attachments", c"content", id, true)?;
    let mut out = Vec::with_capacity(blob.len());
    blob.read_to_end(&mut out).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Blob, Box::new(e))
    })?;
    Ok(out)
}
