//! A body that is either `multipart/form-data` (text fields and files,
//! as reference 000's ticket operations send them) or a JSON object (text
//! fields only). Files are read as they stream, and a file over the limit
//! is refused before the rest of it is read; the checks of what a file
//! may be are the service's (`service::support::attachments`).

use std::collections::BTreeMap;

use actix_web::{HttpRequest, http::header, web as aw};
use futures_util::StreamExt;

use crate::{
    config::SupportConfig,
    error::{AppError, FieldErrors},
    service::support::Upload,
};

/// The fields and files of a submission.
#[derive(Debug, Default)]
pub struct Submission {
    pub fields: BTreeMap<String, String>,
    pub files: Vec<Upload>,
}

impl Submission {
    pub fn text(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }

    /// A field that must be an integer if given.
    pub fn id(&self, name: &str) -> Result<Option<i64>, AppError> {
        match self.text(name).map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => s
                .parse()
                .map(Some)
                .map_err(|_| AppError::invalid(name, "must be an integer id")),
        }
    }
}

/// Largest text field in a multipart body.
const FIELD_LIMIT: usize = 256 * 1024;

fn too_large(name: &str, limit: u64) -> AppError {
    let mut errors = FieldErrors::new();
    errors.insert(
        "attachments".into(),
        vec![format!("{name} is larger than {limit} bytes")],
    );
    AppError::UploadTooLarge(errors)
}

fn is_multipart(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// Read the body. Files come from parts named `attachments[]` (or
/// `attachments`); other parts with a file name are refused.
pub async fn read(
    req: &HttpRequest,
    payload: aw::Payload,
    limits: &SupportConfig,
    json_limit: usize,
) -> Result<Submission, AppError> {
    if !is_multipart(req) {
        let body = payload
            .to_bytes_limited(json_limit)
            .await
            .map_err(|_| AppError::PayloadTooLarge)?
            .map_err(|e| AppError::BadRequest(format!("reading the body: {e}")))?;
        return json_fields(&body);
    }
    let mut parts = actix_multipart::Multipart::new(req.headers(), payload.into_inner());
    let mut out = Submission::default();
    while let Some(part) = parts.next().await {
        let mut part = part.map_err(|e| AppError::BadRequest(format!("multipart body: {e}")))?;
        let name = part.name().unwrap_or("").to_string();
        let file_name = part
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .map(str::to_string);
        let limit = match &file_name {
            Some(_) => usize::try_from(limits.max_attachment_bytes).unwrap_or(usize::MAX),
            None => FIELD_LIMIT,
        };
        if file_name.is_some() && name != "attachments[]" && name != "attachments" {
            return Err(AppError::invalid(&name, "files go in attachments[]"));
        }
        if file_name.is_some() && out.files.len() >= limits.max_attachments {
            return Err(AppError::invalid(
                "attachments",
                format!(
                    "attach at most {} files to one message",
                    limits.max_attachments
                ),
            ));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(|e| AppError::BadRequest(format!("multipart body: {e}")))?;
            if bytes.len() + chunk.len() > limit {
                return Err(match &file_name {
                    Some(f) => too_large(f, limits.max_attachment_bytes),
                    None => AppError::invalid(&name, "is too long"),
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        match file_name {
            // A file input left empty sends a part with no name and no bytes.
            Some(f) if f.is_empty() && bytes.is_empty() => {}
            Some(f) => out.files.push(Upload {
                file_name: f,
                content: bytes,
            }),
            None => {
                let text = String::from_utf8(bytes)
                    .map_err(|_| AppError::invalid(&name, "must be UTF-8 text"))?;
                out.fields.insert(name, text);
            }
        }
    }
    Ok(out)
}

fn json_fields(body: &[u8]) -> Result<Submission, AppError> {
    if body.is_empty() {
        return Ok(Submission::default());
    }
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| AppError::BadRequest(format!("the body is not JSON: {e}")))?;
    let serde_json::Value::Object(map) = value else {
        return Err(AppError::BadRequest("send a JSON object".into()));
    };
    let mut out = Submission::default();
    for (k, v) in map {
        let text = match v {
            serde_json::Value::String(s) => s,
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            serde_json::Value::Null => continue,
            _ => return Err(AppError::invalid(&k, "must be a string, number or boolean")),
        };
        out.fields.insert(k, text);
    }
    Ok(out)
}
