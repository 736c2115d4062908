//! Knowledgebase articles (`kb_articles`), each with its category's name
//! and slug, its helpful counts, and the visibility it has for readers
//! (the strictest of its own and its categories').

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::{
    domain::knowledge::Visibility,
    store::{Page, PageRequest},
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub id: i64,
    pub category_id: i64,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub sort_order: i64,
    /// As staff set it on the article.
    pub visibility: Visibility,
    /// What readers get: `logged_in` when the article or one of its
    /// categories is.
    pub shown_as: Visibility,
    pub category_name: String,
    pub category_slug: String,
    pub helpful_yes: i64,
    pub helpful_no: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// What staff set on an article.
#[derive(Debug, Clone, Copy)]
pub struct ArticleFields<'a> {
    pub category_id: i64,
    pub title: &'a str,
    pub body: &'a str,
    pub sort_order: i64,
    pub visibility: Visibility,
}

pub(super) const COLUMNS: &str = "a.id, a.category_id, a.title, a.body, a.sort_order,
    a.visibility,
    CASE WHEN a.visibility = 'public' AND c.visibility = 'public'
              AND (p.id IS NULL OR p.visibility = 'public')
         THEN 'public' ELSE 'logged_in' END,
    c.name, c.slug,
    (SELECT COUNT(*) FROM kb_votes v WHERE v.article_id = a.id AND v.helpful = 1),
    (SELECT COUNT(*) FROM kb_votes v WHERE v.article_id = a.id AND v.helpful = 0),
    a.created_at, a.updated_at";

pub(super) const JOINS: &str = "JOIN kb_categories c ON c.id = a.category_id
    LEFT JOIN kb_categories p ON p.id = c.parent_id";

/// A reader sees an article when logged in (`?1 = 1`) or when it and its
/// categories are public.
pub(super) const SHOWN: &str = "(?1 = 1 OR (a.visibility = 'public' AND c.visibility = 'public'
    AND (p.id IS NULL OR p.visibility = 'public')))";

const ORDER: &str = "ORDER BY a.sort_order, a.title, a.id";

pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<Article> {
    Ok(Article {
        id: r.get(0)?,
        category_id: r.get(1)?,
        title: r.get(2)?,
        body: r.get(3)?,
        sort_order: r.get(4)?,
        visibility: r.get(5)?,
        shown_as: r.get(6)?,
        category_name: r.get(7)?,
        category_slug: r.get(8)?,
        helpful_yes: r.get(9)?,
        helpful_no: r.get(10)?,
        created_at: r.get(11)?,
        updated_at: r.get(12)?,
    })
}

pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Article>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM kb_articles a {JOINS} WHERE a.id = ?1"
    ))?
    .query_row([id], from_row)
    .optional()
}

/// An article, if the reader may see it.
pub fn find_shown(
    conn: &Connection,
    id: i64,
    logged_in: bool,
) -> rusqlite::Result<Option<Article>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM kb_articles a {JOINS} WHERE {SHOWN} AND a.id = ?2"
    ))?
    .query_row(params![logged_in, id], from_row)
    .optional()
}

/// The articles of one category a reader may see, in display order.
pub fn in_category(
    conn: &Connection,
    category_id: i64,
    logged_in: bool,
) -> rusqlite::Result<Vec<Article>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM kb_articles a {JOINS}
         WHERE {SHOWN} AND a.category_id = ?2 {ORDER}"
    ))?
    .query_map(params![logged_in, category_id], from_row)?
    .collect()
}

/// How many articles of each category a reader may see: (category, count).
pub fn counts_shown(conn: &Connection, logged_in: bool) -> rusqlite::Result<Vec<(i64, i64)>> {
    conn.prepare_cached(&format!(
        "SELECT a.category_id, COUNT(*) FROM kb_articles a {JOINS}
         WHERE {SHOWN} GROUP BY a.category_id"
    ))?
    .query_map([logged_in], |r| Ok((r.get(0)?, r.get(1)?)))?
    .collect()
}

/// Every article, or those of one category, for staff: newest changes
/// first.
pub fn list_all(
    conn: &Connection,
    category_id: Option<i64>,
    page: PageRequest,
) -> rusqlite::Result<Page<Article>> {
    let rows = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM kb_articles a {JOINS}
             WHERE (?1 IS NULL OR a.category_id = ?1)
             ORDER BY a.updated_at DESC, a.id DESC LIMIT ?2 OFFSET ?3"
        ))?
        .query_map(params![category_id, page.limit(), page.offset()], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let total = conn
        .prepare_cached("SELECT COUNT(*) FROM kb_articles WHERE (?1 IS NULL OR category_id = ?1)")?
        .query_row(params![category_id], |r| r.get(0))?;
    Ok(Page { rows, total })
}

pub fn insert(conn: &Connection, f: &ArticleFields<'_>, now: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO kb_articles
            (category_id, title, body, sort_order, visibility, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING id",
    )?
    .query_row(
        params![
            f.category_id,
            f.title,
            f.body,
            f.sort_order,
            f.visibility,
            now
        ],
        |r| r.get(0),
    )
}

pub fn update(
    conn: &Connection,
    id: i64,
    f: &ArticleFields<'_>,
    now: &str,
) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE kb_articles SET category_id = ?2, title = ?3, body = ?4, sort_order = ?5,
                visibility = ?6, updated_at = ?7
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            f.category_id,
            f.title,
            f.body,
            f.sort_order,
            f.visibility,
            now
        ])?
        > 0)
}

pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("DELETE FROM kb_articles WHERE id = ?1")?
        .execute([id])?
        > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{db::test_connection, store::knowledge::fixtures::*};

    #[test]
    fn an_article_is_as_hidden_as_its_strictest_category() {
        let conn = test_connection();
        let members = category(&conn, None, "members", Visibility::LoggedIn);
        let child = category(&conn, Some(members), "child", Visibility::Public);
        let open = category(&conn, None, "open", Visibility::Public);
        let inside = article(&conn, child, "Inside", "x", Visibility::Public);
        let outside = article(&conn, open, "Outside", "x", Visibility::Public);
        let own = article(&conn, open, "Own", "x", Visibility::LoggedIn);
        assert!(find_shown(&conn, inside, false).unwrap().is_none());
        assert!(find_shown(&conn, own, false).unwrap().is_none());
        assert_eq!(
            find_shown(&conn, inside, true).unwrap().unwrap().shown_as,
            Visibility::LoggedIn
        );
        let shown = find_shown(&conn, outside, false).unwrap().unwrap();
        assert_eq!(
            (shown.shown_as, shown.category_slug.as_str()),
            (Visibility::Public, "open")
        );
        assert_eq!(in_category(&conn, open, false).unwrap().len(), 1);
        assert_eq!(in_category(&conn, open, true).unwrap().len(), 2);
    }
}
