//! Files on a ticket message: checked before anything is stored (count,
//! size, an allowed extension, and content that is what its name says by
//! its magic bytes), names made safe, and stored as blobs in the same
//! transaction as their message.

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use crate::{
    config::{NEVER_ALLOWED, SupportConfig},
    error::{AppError, FieldErrors, Result},
    store::support::attachments::{self, NewAttachment},
};

/// A file as it arrived (multipart part or MIME attachment).
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: String,
    pub content: Vec<u8>,
}

/// A file that passed the checks.
#[derive(Debug, Clone)]
pub struct CheckedFile {
    pub name: String,
    pub mime_type: String,
    pub content: Vec<u8>,
}

/// Extensions whose content has no magic bytes: UTF-8 text.
const TEXT: &[&str] = &["txt", "log", "csv", "md"];

/// A name safe to show and to send in `Content-Disposition`: the last path
/// segment, letters, digits and `._- ()` only, at most 100 characters.
pub fn safe_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| {
            if c.is_alphanumeric() || "._- ()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c == ' ');
    let mut name: String = trimmed
        .chars()
        .rev()
        .take(100)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if name.is_empty() {
        name = "attachment".into();
    }
    name
}

fn extension(name: &str) -> Option<String> {
    let (_, ext) = name.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

/// Whether the content's magic bytes say it is a file of `ext`.
fn content_matches(ext: &str, content: &[u8]) -> bool {
    match infer::get(content) {
        Some(kind) => {
            let found = kind.extension();
            found == ext || (found == "jpg" && ext == "jpeg") || (found == "gz" && ext == "tgz")
        }
        None => {
            TEXT.contains(&ext) && !content.contains(&0) && std::str::from_utf8(content).is_ok()
        }
    }
}

fn mime_of(ext: &str, content: &[u8]) -> String {
    match infer::get(content) {
        Some(kind) => kind.mime_type().to_string(),
        None if ext == "csv" => "text/csv".into(),
        None => "text/plain".into(),
    }
}

/// Check every upload; nothing is stored unless all pass. A file over the
/// size limit is a 413 naming it; the rest are 422s on `attachments`.
pub fn check(config: &SupportConfig, uploads: Vec<Upload>) -> Result<Vec<CheckedFile>> {
    let field = |message: String| {
        let mut errors = FieldErrors::new();
        errors.insert("attachments".into(), vec![message]);
        errors
    };
    if uploads.len() > config.max_attachments {
        return Err(AppError::Validation(field(format!(
            "attach at most {} files to one message",
            config.max_attachments
        ))));
    }
    let mut checked = Vec::with_capacity(uploads.len());
    for upload in uploads {
        let name = safe_name(&upload.file_name);
        if upload.content.len() as u64 > config.max_attachment_bytes {
            return Err(AppError::UploadTooLarge(field(format!(
                "{name} is larger than {} bytes",
                config.max_attachment_bytes
            ))));
        }
        let ext = extension(&name).unwrap_or_default();
        let allowed =
            !NEVER_ALLOWED.contains(&ext.as_str()) && config.allowed_extensions.contains(&ext);
        if !allowed {
            return Err(AppError::Validation(field(format!(
                "{name}: files of this type are not accepted (allowed: {})",
                config.allowed_extensions.join(", ")
            ))));
        }
        if !content_matches(&ext, &upload.content) {
            return Err(AppError::Validation(field(format!(
                "{name}: the content is not a .{ext} file"
            ))));
        }
        checked.push(CheckedFile {
            mime_type: mime_of(&ext, &upload.content),
            name,
            content: upload.content,
        });
    }
    Ok(checked)
}

/// Store checked files on a message.
pub fn store(conn: &Connection, message_id: i64, files: &[CheckedFile], now: &str) -> Result<()> {
    for f in files {
        let sha256 = hex::encode(Sha256::digest(&f.content));
        attachments::insert(
            conn,
            &NewAttachment {
                message_id,
                name: &f.name,
                mime_type: &f.mime_type,
                sha256: &sha256,
                content: &f.content,
                now,
            },
        )?;
    }
    Ok(())
}

/// A stored file ready to send: its name, the type to send it as (never
/// one a browser would render as a page), and its bytes.
#[derive(Debug, Clone)]
pub struct Download {
    pub name: String,
    pub mime_type: String,
    pub content: Vec<u8>,
}

/// The attachment `id` if it is on `ticket_id` and, for a customer, on a
/// message they may see (never a note).
pub fn download(conn: &Connection, ticket_id: i64, id: i64, with_notes: bool) -> Result<Download> {
    let a = attachments::find(conn, id)?
        .filter(|a| a.ticket_id == ticket_id)
        .ok_or(AppError::NotFound)?;
    if !with_notes {
        let on_note =
            crate::store::support::messages::find(conn, a.message_id)?.is_none_or(|m| m.internal);
        if on_note {
            return Err(AppError::NotFound);
        }
    }
    let safe_type = a.mime_type.starts_with("image/") && a.mime_type != "image/svg+xml"
        || a.mime_type == "application/pdf"
        || a.mime_type.starts_with("text/plain");
    Ok(Download {
        name: a.name,
        mime_type: if safe_type {
            a.mime_type
        } else {
            "application/octet-stream".into()
        },
        content: attachments::content(conn, id)?,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const PNG: &[u8] =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

    fn up(name: &str, content: &[u8]) -> Upload {
        Upload {
            file_name: name.into(),
            content: content.to_vec(),
        }
    }

    #[test]
    fn names_lose_paths_and_odd_characters() {
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("C:\\temp\\a b.png"), "a b.png");
        assert_eq!(safe_name("<script>x.txt"), "_script_x.txt");
        assert_eq!(safe_name("a\"; filename=b.txt"), "a__ filename_b.txt");
        assert_eq!(safe_name("..."), "attachment");
        assert_eq!(safe_name(&format!("{}.txt", "a".repeat(200))).len(), 100);
    }

    #[test]
    fn content_must_be_what_the_name_says() {
        let c = SupportConfig::default();
        assert_eq!(
            check(&c, vec![up("shot.png", PNG)]).unwrap()[0].mime_type,
            "image/png"
        );
        assert!(check(&c, vec![up("notes.txt", b"disk full\n")]).is_ok());
        assert!(matches!(
            check(&c, vec![up("shot.png", b"hello")]),
            Err(AppError::Validation(_))
        ));
        assert!(matches!(
            check(&c, vec![up("fake.txt", PNG)]),
            Err(AppError::Validation(_))
        ));
        assert!(matches!(
            check(&c, vec![up("bin.txt", b"a\0b")]),
            Err(AppError::Validation(_))
        ));
    }

    #[test]
    fn forbidden_types_count_and_size() {
        let mut c = SupportConfig::default();
        assert!(check(&c, vec![up("page.html", b"<p>")]).is_err());
        assert!(check(&c, vec![up("x.svg", b"<svg/>")]).is_err());
        assert!(check(&c, vec![up("run.exe", b"MZ")]).is_err());
        assert!(check(&c, vec![up("noext", b"abc")]).is_err());
        let six = (0..6).map(|i| up(&format!("{i}.txt"), b"x")).collect();
        assert!(matches!(check(&c, six), Err(AppError::Validation(_))));
        c.max_attachment_bytes = 4;
        match check(&c, vec![up("big.txt", b"12345")]) {
            Err(AppError::UploadTooLarge(e)) => assert!(e["attachments"][0].contains("big.txt")),
            other => panic!("{other:?}"),
        }
    }
}
