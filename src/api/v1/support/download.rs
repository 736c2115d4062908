//! Sending an attachment: always as a download, never rendered by the
//! browser (`Content-Disposition: attachment`, `nosniff`, a `sandbox`
//! CSP), so an uploaded file can never run as a page of this site.

use actix_web::{
    HttpResponse,
    http::header::{self, ContentDisposition, DispositionParam, DispositionType, ExtendedValue},
};

use crate::service::support::attachments::Download;

pub fn attachment_response(d: Download) -> HttpResponse {
    let ascii: String = d
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(ascii),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: header::Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: d.name.into_bytes(),
            }),
        ],
    };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, d.mime_type))
        .insert_header(disposition)
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "sandbox; default-src 'none'",
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(d.content)
}
