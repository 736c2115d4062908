//! News (announcements): what readers see once published, by the app's
//! clock (a `published_at` still ahead is scheduled and a 404 until then),
//! the feed's newest items, and staff writing them.

use jiff::{Timestamp, civil::DateTime, tz::TimeZone};

use super::fields::{MAX_BODY, MAX_TITLE, Problems, audit_staff};
use crate::{
    auth::principal::{RequestMeta, StaffPrincipal},
    db::Db,
    domain::{
        markdown::{SafeHtml, render},
        scopes::Scope,
        time::stamp,
    },
    error::{AppError, Result},
    store::{
        Page, PageRequest,
        knowledge::news::{self, NewsFields, NewsItem},
    },
};

/// An announcement with its body rendered and sanitized.
#[derive(Debug, Clone)]
pub struct ShownNews {
    pub item: NewsItem,
    pub body_html: SafeHtml,
    /// Its time has not come yet (only staff see it).
    pub scheduled: bool,
}

fn shown(item: NewsItem, now: Timestamp) -> ShownNews {
    ShownNews {
        body_html: render(&item.body),
        scheduled: item.published_at > stamp(now),
        item,
    }
}

fn shown_page(page: Page<NewsItem>, now: Timestamp) -> Page<ShownNews> {
    Page {
        rows: page.rows.into_iter().map(|i| shown(i, now)).collect(),
        total: page.total,
    }
}

/// The published announcements, newest first.
pub fn published(db: &Db, now: Timestamp, page: PageRequest) -> Result<Page<ShownNews>> {
    let at = stamp(now);
    let found = db.read(|c| Ok(news::list(c, Some(&at), page)?))?;
    Ok(shown_page(found, now))
}

/// A published announcement, or a 404 (also while it is scheduled).
pub fn show(db: &Db, id: i64, now: Timestamp) -> Result<ShownNews> {
    let at = stamp(now);
    let item = db.read(|c| news::find(c, id, Some(&at))?.ok_or(AppError::NotFound))?;
    Ok(shown(item, now))
}

/// Every announcement, scheduled ones too (staff, `support:read`).
pub fn list_all(
    db: &Db,
    staff: &StaffPrincipal,
    page: PageRequest,
    now: Timestamp,
) -> Result<Page<ShownNews>> {
    staff.require(Scope::SupportRead)?;
    let found = db.read(|c| Ok(news::list(c, None, page)?))?;
    Ok(shown_page(found, now))
}

pub fn get(db: &Db, staff: &StaffPrincipal, id: i64, now: Timestamp) -> Result<ShownNews> {
    staff.require(Scope::SupportRead)?;
    let item = db.read(|c| news::find(c, id, None)?.ok_or(AppError::NotFound))?;
    Ok(shown(item, now))
}

/// An announcement as staff send it; no `published_at` (or a blank one)
/// publishes it now.
#[derive(Debug, Clone, Default)]
pub struct NewsInput {
    pub title: String,
    /// Markdown.
    pub body: String,
    /// RFC 3339 (`2026-12-24T09:00:00Z`), or a date and time without a
    /// zone (a form's `datetime-local`), taken as UTC.
    pub published_at: Option<String>,
}

/// When an announcement is published, as staff typed it.
pub fn parse_published_at(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    text.parse::<Timestamp>().ok().or_else(|| {
        text.parse::<DateTime>()
            .ok()
            .and_then(|d| d.to_zoned(TimeZone::UTC).ok())
            .map(|z| z.timestamp())
    })
}

fn checked(input: &NewsInput, now: Timestamp) -> Result<(String, String, String)> {
    let mut p = Problems::default();
    let title = p.line("title", &input.title, MAX_TITLE);
    let body = p.markdown("body", &input.body, MAX_BODY, true);
    let published_at = match input.published_at.as_deref().map(str::trim) {
        None | Some("") => stamp(now),
        Some(text) => match parse_published_at(text) {
            Some(at) => stamp(at),
            None => {
                p.add(
                    "published_at",
                    "must be a date and time such as 2026-12-24T09:00:00Z",
                );
                String::new()
            }
        },
    };
    p.check()?;
    Ok((title, body, published_at))
}

fn fields(checked: &(String, String, String)) -> NewsFields<'_> {
    NewsFields {
        title: &checked.0,
        body: &checked.1,
        published_at: &checked.2,
    }
}

pub fn create(
    db: &Db,
    staff: &StaffPrincipal,
    input: NewsInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ShownNews> {
    staff.require(Scope::SupportWrite)?;
    let checked = checked(&input, now)?;
    let item = db.write(|tx| {
        let id = news::insert(tx, &fields(&checked), &stamp(now))?;
        let details = serde_json::json!({ "title": checked.0, "published_at": checked.2 });
        audit_staff(
            tx,
            staff,
            "news.created",
            ("news_item", id),
            details,
            meta,
            now,
        )?;
        news::find(tx, id, None)?.ok_or(AppError::NotFound)
    })?;
    Ok(shown(item, now))
}

pub fn update(
    db: &Db,
    staff: &StaffPrincipal,
    id: i64,
    input: NewsInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ShownNews> {
    staff.require(Scope::SupportWrite)?;
    let item = db.write(|tx| {
        let before = news::find(tx, id, None)?.ok_or(AppError::NotFound)?;
        let mut input = input;
        // Saving without a date keeps the one it has.
        if input
            .published_at
            .as_deref()
            .is_none_or(|t| t.trim().is_empty())
        {
            input.published_at = Some(before.published_at);
        }
        let checked = checked(&input, now)?;
        news::update(tx, id, &fields(&checked), &stamp(now))?;
        let details = serde_json::json!({ "title": checked.0, "published_at": checked.2 });
        audit_staff(
            tx,
            staff,
            "news.updated",
            ("news_item", id),
            details,
            meta,
            now,
        )?;
        news::find(tx, id, None)?.ok_or(AppError::NotFound)
    })?;
    Ok(shown(item, now))
}

pub fn delete(
    db: &Db,
    staff: &StaffPrincipal,
    id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    staff.require(Scope::SupportWrite)?;
    db.write(|tx| {
        let item = news::find(tx, id, None)?.ok_or(AppError::NotFound)?;
        news::delete(tx, id)?;
        let details = serde_json::json!({ "title": item.title });
        audit_staff(
            tx,
            staff,
            "news.deleted",
            ("news_item", id),
            details,
            meta,
            now,
        )
    })
}
