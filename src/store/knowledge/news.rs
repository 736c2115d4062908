//! Announcements (`news_items`). One is published once its
//! `published_at` is not after the instant asked about; before that it is
//! scheduled and only staff read it.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::store::{Page, PageRequest};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsItem {
    pub id: i64,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub published_at: String,
    pub created_at: String,
    pub updated_at: String,
}

/// What staff set on an announcement.
#[derive(Debug, Clone, Copy)]
pub struct NewsFields<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub published_at: &'a str,
}

const COLUMNS: &str = "id, title, body, published_at, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<NewsItem> {
    Ok(NewsItem {
        id: r.get(0)?,
        title: r.get(1)?,
        body: r.get(2)?,
        published_at: r.get(3)?,
        created_at: r.get(4)?,
        updated_at: r.get(5)?,
    })
}

/// Published announcements (at `now`), newest first; `now: None` lists
/// scheduled ones too (for staff).
pub fn list(
    conn: &Connection,
    now: Option<&str>,
    page: PageRequest,
) -> rusqlite::Result<Page<NewsItem>> {
    let rows = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM news_items WHERE (?1 IS NULL OR published_at <= ?1)
             ORDER BY published_at DESC, id DESC LIMIT ?2 OFFSET ?3"
        ))?
        .query_map(params![now, page.limit(), page.offset()], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let total = conn
        .prepare_cached("SELECT COUNT(*) FROM news_items WHERE (?1 IS NULL OR published_at <= ?1)")?
        .query_row(params![now], |r| r.get(0))?;
    Ok(Page { rows, total })
}

/// One announcement: published by `now`, or any with `now: None`.
pub fn find(conn: &Connection, id: i64, now: Option<&str>) -> rusqlite::Result<Option<NewsItem>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM news_items WHERE id = ?1 AND (?2 IS NULL OR published_at <= ?2)"
    ))?
    .query_row(params![id, now], from_row)
    .optional()
}

pub fn insert(conn: &Connection, f: &NewsFields<'_>, now: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO news_items (title, body, published_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id",
    )?
    .query_row(params![f.title, f.body, f.published_at, now], |r| r.get(0))
}

pub fn update(conn: &Connection, id: i64, f: &NewsFields<'_>, now: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE news_items SET title = ?2, body = ?3, published_at = ?4, updated_at = ?5
             WHERE id = ?1",
        )?
        .execute(params![id, f.title, f.body, f.published_at, now])?
        > 0)
}

pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("DELETE FROM news_items WHERE id = ?1")?
        .execute([id])?
        > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::test_connection;

    #[test]
    fn scheduled_items_wait_for_their_time() {
        let conn = test_connection();
        let item = |title, at| NewsFields {
            title,
            body: "x",
            published_at: at,
        };
        let now = "2026-12-01T10:00:00Z";
        insert(&conn, &item("Old", "2026-11-01T00:00:00Z"), now).unwrap();
        let later = insert(&conn, &item("Later", "2026-12-01T10:00:01Z"), now).unwrap();
        let page = PageRequest {
            page: 1,
            per_page: 10,
        };
        let titles = |at: Option<&str>| {
            list(&conn, at, page)
                .unwrap()
                .rows
                .into_iter()
                .map(|n| n.title)
                .collect::<Vec<_>>()
        };
        assert_eq!(titles(Some(now)), ["Old"]);
        assert_eq!(titles(None), ["Later", "Old"]);
        assert!(find(&conn, later, Some(now)).unwrap().is_none());
        assert!(
            find(&conn, later, Some("2026-12-01T10:00:01Z"))
                .unwrap()
                .is_some()
        );
    }
}
