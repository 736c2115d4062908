//! Static files embedded in the binary, served with their Content-Type, an
//! ETag (304 when unchanged), and a year-long immutable cache when asked for
//! by their fingerprinted name (`css/till.<hash>.css`), which changes
//! whenever the content does.

use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    web as aw,
};
use rust_embed::RustEmbed;

use super::errors::error_page;

#[derive(RustEmbed)]
#[folder = "static/"]
#[exclude = "*.md"]
struct Static;

const FINGERPRINT_HEX: usize = 10;

/// The fingerprinted URL of an embedded file: templates link assets through
/// this so browsers may cache them forever.
pub fn url(path: &str) -> String {
    match Static::get(path) {
        Some(file) => format!(
            "/static/{}",
            fingerprinted(path, &fingerprint(&file.metadata.sha256_hash()))
        ),
        None => format!("/static/{path}"),
    }
}

fn fingerprint(hash: &[u8; 32]) -> String {
    hex::encode(&hash[..FINGERPRINT_HEX / 2])
}

/// `css/till.css` + `abc` -> `css/till.abc.css`.
fn fingerprinted(path: &str, print: &str) -> String {
    let (dir, name) = path.rsplit_once('/').map_or(("", path), |(d, n)| (d, n));
    let name = match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{print}.{ext}"),
        None => format!("{name}.{print}"),
    };
    if dir.is_empty() {
        name
    } else {
        format!("{dir}/{name}")
    }
}

/// `css/till.abc.css` -> (`css/till.css`, `abc`) when the middle part looks
/// like a fingerprint.
fn split_fingerprint(requested: &str) -> Option<(String, &str)> {
    let (dir, name) = requested
        .rsplit_once('/')
        .map_or(("", requested), |(d, n)| (d, n));
    let (rest, ext) = name.rsplit_once('.')?;
    let (stem, print) = rest.rsplit_once('.')?;
    let is_print = print.len() == FINGERPRINT_HEX && print.bytes().all(|b| b.is_ascii_hexdigit());
    if !is_print {
        return None;
    }
    let plain = format!("{stem}.{ext}");
    Some((
        if dir.is_empty() {
            plain
        } else {
            format!("{dir}/{plain}")
        },
        print,
    ))
}

pub async fn serve(req: HttpRequest, path: aw::Path<String>) -> HttpResponse {
    let requested = path.into_inner();
    let (file, immutable) = match Static::get(&requested) {
        Some(file) => (file, false),
        None => match split_fingerprint(&requested) {
            Some((plain, print)) => match Static::get(&plain) {
                // An old fingerprint still gets the current file, but only
                // the current fingerprint may be cached forever.
                Some(file) => {
                    let current = fingerprint(&file.metadata.sha256_hash()) == print;
                    (file, current)
                }
                None => return error_page(StatusCode::NOT_FOUND, "No such file."),
            },
            None => return error_page(StatusCode::NOT_FOUND, "No such file."),
        },
    };

    let etag = format!("\"{}\"", hex::encode(&file.metadata.sha256_hash()[..16]));
    let cache = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "public, no-cache"
    };
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut response = if matches {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, cache));
    if matches {
        return response.finish();
    }
    response
        .content_type(content_type(file.metadata.mimetype()))
        .body(file.data.into_owned())
}

/// Text types get an explicit charset.
fn content_type(mime: &str) -> String {
    if mime.starts_with("text/") || mime == "application/javascript" {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_go_before_the_extension_and_come_back_out() {
        assert_eq!(
            fingerprinted("css/till.css", "0123456789"),
            "css/till.0123456789.css"
        );
        assert_eq!(
            split_fingerprint("css/till.0123456789.css"),
            Some(("css/till.css".to_string(), "0123456789"))
        );
        assert_eq!(split_fingerprint("css/pico.min.css"), None);
        assert_eq!(
            split_fingerprint("css/pico.min.abcdefabcd.css"),
            Some(("css/pico.min.css".to_string(), "abcdefabcd"))
        );
    }

    #[test]
    fn every_linked_asset_exists_and_gets_a_fingerprinted_url() {
        for path in ["css/pico.min.css", "css/till.css", "js/htmx.min.js"] {
            let u = url(path);
            assert_ne!(u, format!("/static/{path}"), "{path} is not embedded");
        }
    }
}
