//! Knowledgebase categories (`kb_categories`), nested one level.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::domain::knowledge::Visibility;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub slug: String,
    /// Markdown.
    pub description: String,
    pub sort_order: i64,
    pub visibility: Visibility,
    /// How many articles it holds (all, not only those a reader may see).
    pub articles: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// What staff set on a category.
#[derive(Debug, Clone, Copy)]
pub struct CategoryFields<'a> {
    pub parent_id: Option<i64>,
    pub name: &'a str,
    pub slug: &'a str,
    pub description: &'a str,
    pub sort_order: i64,
    pub visibility: Visibility,
}

const SELECT: &str = "SELECT c.id, c.parent_id, c.name, c.slug, c.description, c.sort_order,
        c.visibility, (SELECT COUNT(*) FROM kb_articles a WHERE a.category_id = c.id),
        c.created_at, c.updated_at
    FROM kb_categories c LEFT JOIN kb_categories p ON p.id = c.parent_id";

/// A reader sees a category when logged in (`?1 = 1`), or when it and its
/// parent are public.
const SHOWN: &str =
    "(?1 = 1 OR (c.visibility = 'public' AND (p.id IS NULL OR p.visibility = 'public')))";

const ORDER: &str = "ORDER BY c.sort_order, c.name, c.id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Category> {
    Ok(Category {
        id: r.get(0)?,
        parent_id: r.get(1)?,
        name: r.get(2)?,
        slug: r.get(3)?,
        description: r.get(4)?,
        sort_order: r.get(5)?,
        visibility: r.get(6)?,
        articles: r.get(7)?,
        created_at: r.get(8)?,
        updated_at: r.get(9)?,
    })
}

/// Every category, top-level ones and children alike, in display order.
pub fn list_all(conn: &Connection) -> rusqlite::Result<Vec<Category>> {
    conn.prepare_cached(&format!("{SELECT} {ORDER}"))?
        .query_map([], from_row)?
        .collect()
}

/// The categories a reader may see, in display order.
pub fn list_shown(conn: &Connection, logged_in: bool) -> rusqlite::Result<Vec<Category>> {
    conn.prepare_cached(&format!("{SELECT} WHERE {SHOWN} {ORDER}"))?
        .query_map([logged_in], from_row)?
        .collect()
}

pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Category>> {
    conn.prepare_cached(&format!("{SELECT} WHERE c.id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

/// A category by id or slug, if the reader may see it.
pub fn find_shown(
    conn: &Connection,
    ident: &str,
    logged_in: bool,
) -> rusqlite::Result<Option<Category>> {
    conn.prepare_cached(&format!(
        "{SELECT} WHERE {SHOWN} AND (c.slug = ?2 OR CAST(c.id AS TEXT) = ?2)"
    ))?
    .query_row(params![logged_in, ident], from_row)
    .optional()
}

pub fn slug_taken(conn: &Connection, slug: &str, other_than: i64) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM kb_categories WHERE slug = ?1 AND id <> ?2)")?
        .query_row(params![slug, other_than], |r| r.get(0))
}

pub fn count_children(conn: &Connection, id: i64) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT COUNT(*) FROM kb_categories WHERE parent_id = ?1")?
        .query_row([id], |r| r.get(0))
}

pub fn insert(conn: &Connection, f: &CategoryFields<'_>, now: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO kb_categories
            (parent_id, name, slug, description, sort_order, visibility, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING id",
    )?
    .query_row(
        params![
            f.parent_id,
            f.name,
            f.slug,
            f.description,
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
    f: &CategoryFields<'_>,
    now: &str,
) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE kb_categories SET parent_id = ?2, name = ?3, slug = ?4, description = ?5,
                sort_order = ?6, visibility = ?7, updated_at = ?8
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            f.parent_id,
            f.name,
            f.slug,
            f.description,
            f.sort_order,
            f.visibility,
            now
        ])?
        > 0)
}

pub fn delete(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("DELETE FROM kb_categories WHERE id = ?1")?
        .execute([id])?
        > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{db::test_connection, store::knowledge::fixtures::*};

    #[test]
    fn a_hidden_parent_hides_its_children_from_anonymous_readers() {
        let conn = test_connection();
        let open = category(&conn, None, "open", Visibility::Public);
        let members = category(&conn, None, "members", Visibility::LoggedIn);
        category(&conn, Some(members), "inside", Visibility::Public);
        category(&conn, Some(open), "child", Visibility::Public);
        let slugs = |logged_in| {
            list_shown(&conn, logged_in)
                .unwrap()
                .into_iter()
                .map(|c| c.slug)
                .collect::<Vec<_>>()
        };
        assert_eq!(slugs(false), ["child", "open"]);
        assert_eq!(slugs(true), ["child", "inside", "members", "open"]);
        assert!(find_shown(&conn, "inside", false).unwrap().is_none());
        assert!(find_shown(&conn, "inside", true).unwrap().is_some());
        assert_eq!(
            find_shown(&conn, &open.to_string(), false)
                .unwrap()
                .unwrap()
                .slug,
            "open"
        );
    }
}
