//! `?page=` and `?per_page=` (at most 100), and the `links` / `meta` of a
//! list response.

use actix_web::HttpRequest;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    error::{AppError, Result},
    store::PageRequest,
};

pub const DEFAULT_PER_PAGE: i64 = 25;
pub const MAX_PER_PAGE: i64 = 100;

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct PageQuery {
    /// 1-based page number.
    pub page: Option<i64>,
    /// Rows per page, 1 to 100 (default 25).
    pub per_page: Option<i64>,
}

impl PageQuery {
    pub fn request(&self) -> Result<PageRequest> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(DEFAULT_PER_PAGE);
        if page < 1 {
            return Err(AppError::invalid("page", "must be at least 1"));
        }
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            return Err(AppError::invalid("per_page", "must be between 1 and 100"));
        }
        Ok(PageRequest { page, per_page })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Links {
    pub first: String,
    pub last: String,
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Meta {
    pub current_page: i64,
    pub per_page: i64,
    pub total: i64,
    pub last_page: i64,
}

/// A page of `data` with its links and meta.
#[derive(Debug, Serialize)]
pub struct Paginated<T> {
    pub data: Vec<T>,
    pub links: Links,
    pub meta: Meta,
}

pub fn paginate<T>(req: &HttpRequest, data: Vec<T>, page: PageRequest, total: i64) -> Paginated<T> {
    let last_page = ((total + page.per_page - 1) / page.per_page).max(1);
    let link = |n: i64| {
        let mut pairs: Vec<(String, String)> = url_pairs(req.query_string())
            .into_iter()
            .filter(|(k, _)| k != "page" && k != "per_page")
            .collect();
        pairs.push(("page".into(), n.to_string()));
        pairs.push(("per_page".into(), page.per_page.to_string()));
        let query = pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        format!("{}?{query}", req.path())
    };
    Paginated {
        links: Links {
            first: link(1),
            last: link(last_page),
            prev: (page.page > 1).then(|| link(page.page - 1)),
            next: (page.page < last_page).then(|| link(page.page + 1)),
        },
        meta: Meta {
            current_page: page.page,
            per_page: page.per_page,
            total,
            last_page,
        },
        data,
    }
}

/// The query string's pairs, kept as given (already URL-encoded).
fn url_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (p.to_string(), String::new()),
        })
        .collect()
}
