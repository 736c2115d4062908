//! What every admin list shares: the page number from `?page=`, and the
//! pager under the table, whose links keep the list's filters; a CSV
//! download answered with its file name.

use actix_web::{HttpResponse, http::header};
use serde::Deserialize;

use crate::store::PageRequest;

/// Rows on one page of an admin list.
pub const PER_PAGE: i64 = 50;

/// `?page=` of a list; anything unreadable or below 1 is the first page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageParam {
    pub page: Option<String>,
}

impl PageParam {
    pub fn number(&self) -> i64 {
        self.page
            .as_deref()
            .and_then(|p| p.parse::<i64>().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1)
    }

    pub fn request(&self) -> PageRequest {
        PageRequest {
            page: self.number(),
            per_page: PER_PAGE,
        }
    }
}

/// The pager of a list (`templates/admin/pager.html`).
pub struct Pager {
    pub page: i64,
    pub last_page: i64,
    pub total: i64,
    /// The list's address with its filters, ready for `page=` to be added
    /// (ends in `?` or `&`).
    pub base: String,
}

impl Pager {
    /// `filters` are the list's query parameters other than `page`; empty
    /// values are left out of the links.
    pub fn new(path: &str, filters: &[(&str, &str)], page: i64, total: i64) -> Pager {
        let query: Vec<String> = filters
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        let base = if query.is_empty() {
            format!("{path}?")
        } else {
            format!("{path}?{}&", query.join("&"))
        };
        Pager {
            page,
            last_page: ((total + PER_PAGE - 1) / PER_PAGE).max(1),
            total,
            base,
        }
    }

    pub fn prev(&self) -> Option<String> {
        (self.page > 1).then(|| format!("{}page={}", self.base, self.page - 1))
    }

    pub fn next(&self) -> Option<String> {
        (self.page < self.last_page).then(|| format!("{}page={}", self.base, self.page + 1))
    }
}

/// A query value percent-encoded (RFC 3986's unreserved bytes kept).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A CSV document as a download named `name` (`invoices-2026-12.csv`).
pub fn csv_download(name: &str, body: String) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pager_keeps_filters_and_counts_pages() {
        let p = Pager::new(
            "/admin/invoices",
            &[("status", "unpaid"), ("q", "")],
            2,
            120,
        );
        assert_eq!(p.last_page, 3);
        assert_eq!(p.prev().unwrap(), "/admin/invoices?status=unpaid&page=1");
        assert_eq!(p.next().unwrap(), "/admin/invoices?status=unpaid&page=3");
        let q = Pager::new("/admin/clients", &[("q", "a&b é")], 1, 1);
        assert_eq!(q.base, "/admin/clients?q=a%26b%20%C3%A9&");
        let one = Pager::new("/admin/clients", &[], 1, 0);
        assert_eq!((one.last_page, one.prev(), one.next()), (1, None, None));
    }

    #[test]
    fn an_unreadable_page_is_the_first() {
        for raw in [None, Some("x"), Some("0"), Some("-3")] {
            let q = PageParam {
                page: raw.map(String::from),
            };
            assert_eq!(q.number(), 1);
        }
    }
}
